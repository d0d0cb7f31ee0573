//! The upstream DigitalOcean tree (beside the checkout, or `DO_OPENAPI_SPEC`) loads, and its
//! bundled form loads back to the same document.

use std::path::PathBuf;

use codegen::error::Location;
use codegen::load::{load, to_yaml, Spec};

fn tree_entry() -> PathBuf {
    match std::env::var_os("DO_OPENAPI_SPEC") {
        Some(path) => PathBuf::from(path),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/digitalocean-openapi/specification/DigitalOcean-public.v2.yaml")
        }
    }
}

fn load_tree() -> Spec {
    let entry = tree_entry();
    match load(&entry) {
        Ok(spec) => spec,
        Err(e) => panic!("{}: {e} (set DO_OPENAPI_SPEC to the tree's entry file)", entry.display()),
    }
}

fn operation_ids(spec: &Spec) -> Vec<String> {
    let items = spec.doc.paths.paths.values().filter_map(|item| item.as_item());
    items.flat_map(|item| item.iter().filter_map(|(_, op)| op.operation_id.clone())).collect()
}

#[test]
fn the_whole_tree_loads() {
    let spec = load_tree();
    // The entry file lists every path and, under each, every operation (by `$ref` to its file):
    // counted there, with nothing followed.
    let entry: serde_json::Value = serde_yaml::from_str(&std::fs::read_to_string(tree_entry()).unwrap()).unwrap();
    let listed = entry["paths"].as_object().unwrap_or_else(|| panic!("the entry file has no paths"));
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let operations: usize = listed.values().map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count()).sum();
    assert_eq!(spec.doc.paths.paths.len(), listed.len());
    let ids = operation_ids(&spec);
    assert_eq!(ids.len(), operations);
    assert!(operations > 600, "the pin has 659 operations; found {operations}");
    for id in ["functions_list_namespaces", "functions_create_namespace", "functions_get_trigger", "functionsAccessKey_create"] {
        assert!(ids.iter().any(|i| i == id), "{id} missing");
    }
    let components = spec.doc.components.as_ref();
    let schemas = components.map(|c| &c.schemas);
    for name in ["create_namespace", "namespace_info", "error", "access_key_create_response", "scheduled_details"] {
        assert!(schemas.is_some_and(|s| s.contains_key(name)), "schema {name} missing");
    }
    let raw = &spec.raw["components"];
    assert!(raw["responses"].get("namespace_created").is_some());
    assert!(raw["parameters"].get("namespace_id").is_some());
    assert!(raw["headers"].get("ratelimit-limit").is_some());
    let create = &spec.raw["paths"]["/v2/functions/namespaces"]["post"];
    let body_schema = &create["requestBody"]["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(body_schema, "#/components/schemas/create_namespace");
    assert_eq!(create["responses"]["200"]["$ref"], "#/components/responses/namespace_created");
}

#[test]
fn unquoted_off_stays_a_string() {
    let spec = load_tree();
    let status = &spec.raw["components"]["schemas"]["droplet"]["properties"]["status"]["enum"];
    assert_eq!(status, &serde_json::json!(["new", "active", "off", "archive"]));
}

#[test]
fn locate_finds_the_source_file() {
    let spec = load_tree();
    let at = spec.locate("/components/schemas/create_namespace/properties/label");
    assert_eq!(at, Location::new("resources/functions/models/create_namespace.yml", "/properties/label"));
    let at = spec.locate("/components/parameters/namespace_id/schema");
    assert_eq!(at, Location::new("resources/functions/parameters.yml", "/namespace_id/schema"));
    let at = spec.locate("/paths/~1v2~1functions~1namespaces/post/responses/401");
    assert_eq!(at, Location::new("resources/functions/functions_create_namespace.yml", "/responses/401"));
}

#[test]
fn tree_and_its_bundled_yaml_give_the_same_document() {
    let tree = load_tree();
    let text = match to_yaml(&tree) {
        Ok(text) => text,
        Err(e) => panic!("{e}"),
    };
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("{e}"),
    };
    let path = dir.path().join("DigitalOcean-public.v2.bundled.yaml");
    if let Err(e) = std::fs::write(&path, &text) {
        panic!("{e}");
    }
    let bundled = match load(&path) {
        Ok(spec) => spec,
        Err(e) => panic!("bundled form: {e}"),
    };
    assert!(tree.raw == bundled.raw, "raw documents differ");
    let typed = |s: &Spec| serde_json::to_value(&s.doc).ok();
    assert!(typed(&tree) == typed(&bundled), "typed documents differ");
    assert!(to_yaml(&bundled).ok().as_deref() == Some(text.as_str()), "bundled form does not print the same");
}
