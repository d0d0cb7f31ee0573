//! The hand-written fixtures: a multi-file tree and the same API bundled by hand.

use std::path::{Path, PathBuf};

use codegen::error::Location;
use codegen::load::{load, to_yaml, Spec};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures")
}

fn load_ok(path: &Path) -> Spec {
    match load(path) {
        Ok(spec) => spec,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

fn multi() -> Spec {
    load_ok(&fixtures().join("multi/openapi.yaml"))
}

#[test]
fn multi_file_tree_and_hand_bundled_file_give_the_same_document() {
    let tree = multi();
    let bundled = load_ok(&fixtures().join("bundled.yaml"));
    if tree.raw != bundled.raw {
        let a = serde_json::to_string_pretty(&tree.raw).unwrap_or_default();
        let b = serde_json::to_string_pretty(&bundled.raw).unwrap_or_default();
        panic!("documents differ\n--- from the tree:\n{a}\n--- bundled by hand:\n{b}");
    }
    let typed = |s: &Spec| serde_json::to_value(&s.doc).ok();
    assert_eq!(typed(&tree), typed(&bundled));
}

#[test]
fn hoisted_components_are_named_by_file_or_pointer_with_suffixes_on_collision() {
    let raw = multi().raw;
    let names =
        |section: &str| -> Vec<String> { raw["components"][section].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default() };
    // Walk order: the entry's own components first, then the order refs are met.
    let schemas =
        ["owner", "status", "kind", "pet", "status-2", "details", "dog_details", "cat_details", "links", "error", "new_pet", "error-2"];
    assert_eq!(names("schemas"), schemas);
    assert_eq!(names("parameters"), ["per_page", "pet_kind", "pet_id", "owner_id"]);
    assert_eq!(names("responses"), ["pet_list", "error", "pet"]);
    assert_eq!(names("headers"), ["ratelimit-limit"]);
    assert_eq!(names("examples"), ["rex"]);
    assert_eq!(names("links"), ["GetPet"]);
    assert_eq!(names("requestBodies"), ["new_pet"]);
}

#[test]
fn refs_in_non_component_places_are_inlined() {
    let raw = multi().raw;
    let get = &raw["paths"]["/v1/pets"]["get"];
    assert_eq!(get["operationId"], "pets_list");
    assert_eq!(get["x-codeSamples"][0]["lang"], "cURL");
    assert_eq!(raw["tags"][0]["description"], "Pets are *animals*.");
    let new_pet = &raw["components"]["schemas"]["new_pet"]["properties"];
    assert_eq!(new_pet["name"]["example"], "Rex");
    let example = &raw["components"]["responses"]["pet_list"]["content"]["application/json"]["example"];
    assert_eq!(example["pets"][0]["status"], json!("off"));
}

#[test]
fn recursive_schemas_and_discriminator_mappings_point_at_components() {
    let raw = multi().raw;
    let pet = &raw["components"]["schemas"]["pet"]["properties"];
    assert_eq!(pet["parent"], json!({"$ref": "#/components/schemas/pet"}));
    assert_eq!(pet["owner"], json!({"$ref": "#/components/schemas/owner"}));
    let owner_items = &raw["components"]["schemas"]["owner"]["properties"]["pets"]["items"];
    assert_eq!(owner_items, &json!({"$ref": "#/components/schemas/pet"}));
    let mapping = &raw["components"]["schemas"]["details"]["discriminator"]["mapping"];
    assert_eq!(mapping, &json!({"dog": "#/components/schemas/dog_details", "cat": "#/components/schemas/cat_details"}));
}

#[test]
fn locate_maps_bundled_pointers_back_to_files() {
    let spec = multi();
    let cases = [
        ("/components/schemas/pet/properties/name", "resources/pets/models/pet.yml", "/properties/name"),
        ("#/components/parameters/pet_id/schema", "resources/pets/parameters.yml", "/pet_id/schema"),
        ("/components/headers/ratelimit-limit", "shared/headers.yml", "/ratelimit-limit"),
        ("/paths/~1v1~1pets/get/responses", "resources/pets/list_pets.yml", "/responses"),
        ("/paths/~1v1~1pets/get/x-codeSamples/0/source", "resources/pets/examples/curl/list_pets.yml", "/source"),
        ("/components/schemas/new_pet/properties/kind", "resources/pets/models/pet_properties.yml", "/kind"),
        ("/components/schemas/new_pet/required", "resources/pets/models/new_pet.yml", "/required"),
        ("/components/schemas/owner/properties/id", "resources/owners/models/owner.yml", "/properties/id"),
        ("/components/schemas/status", "openapi.yaml", "/components/schemas/status"),
        ("/info/title", "openapi.yaml", "/info/title"),
    ];
    for (bundled, file, pointer) in cases {
        assert_eq!(spec.locate(bundled), Location::new(file, pointer), "{bundled}");
    }
}

#[test]
fn output_is_deterministic_and_survives_a_yaml_round_trip() {
    let first = multi();
    let text = match to_yaml(&first) {
        Ok(text) => text,
        Err(e) => panic!("{e}"),
    };
    let again = match to_yaml(&multi()) {
        Ok(text) => text,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(text, again);
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("{e}"),
    };
    let path = dir.path().join("bundled.yaml");
    if let Err(e) = std::fs::write(&path, &text) {
        panic!("{e}");
    }
    let reloaded = load_ok(&path);
    assert_eq!(reloaded.raw, first.raw);
    assert_eq!(to_yaml(&reloaded).ok().as_deref(), Some(text.as_str()));
    assert_eq!(
        reloaded.locate("/components/schemas/pet/properties/name"),
        Location::new("bundled.yaml", "/components/schemas/pet/properties/name")
    );
    let _: &Value = &reloaded.raw;
}
