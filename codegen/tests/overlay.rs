//! Overlays on the multi-file fixture (`spec/fixtures/multi/`): the overlays of
//! `spec/fixtures/overlays/pets/` change the generated code and the report, no overlays give the
//! plain output, file-name order matters, and every bad overlay of `spec/fixtures/overlays/bad/`
//! fails naming the file, the action and its target.

use std::path::{Path, PathBuf};

use codegen::load::{load, load_with_overlays, Spec};
use codegen::overlay::{read_dir, Overlay};
use codegen::{File, Selection};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures")
}

fn entry() -> PathBuf {
    fixtures().join("multi/openapi.yaml")
}

fn pets() -> Vec<Overlay> {
    read_dir(&fixtures().join("overlays/pets")).unwrap()
}

fn files(spec: &Spec) -> Vec<File> {
    codegen::generate(spec, &Selection::default(), "test").unwrap().files
}

fn file<'a>(files: &'a [File], path: &str) -> &'a str {
    files.iter().find(|f| f.path == path).map(|f| f.contents.as_str()).unwrap_or_else(|| panic!("{path} not generated"))
}

fn with_pets() -> Spec {
    load_with_overlays(&entry(), &pets()).unwrap()
}

#[test]
fn the_folder_is_read_in_file_name_order_and_only_overlay_files() {
    let names: Vec<String> = pets().into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["01-nickname.yaml", "02-nickname-docs.json"]);
    assert!(read_dir(&fixtures().join("overlays/no such folder")).unwrap().is_empty());
}

#[test]
fn overlays_change_the_generated_code() {
    let plain = files(&load(&entry()).unwrap());
    let overlaid = files(&with_pets());
    let (before, after) = (file(&plain, "src/models/pets.rs"), file(&overlaid, "src/models/pets.rs"));
    // update: a new member, documented by the second file.
    assert!(!before.contains("nickname"), "{before}");
    assert!(after.contains("        /// What the owner calls the pet.\n        pub nickname: Option<String> = \"nickname\" ("), "{after}");
    // update of an array: the value is appended (an enum value).
    assert!(!before.contains("\"sold\""), "{before}");
    assert!(after.contains("        Sold = \"sold\",\n"), "{after}");
    // remove
    assert!(before.contains("pub good_boy: Option<bool> = \"good_boy\" ("), "{before}");
    assert!(!after.contains("good_boy"), "{after}");
}

#[test]
fn without_overlays_the_output_is_the_plain_output() {
    let plain = load(&entry()).unwrap();
    let none = load_with_overlays(&entry(), &[]).unwrap();
    assert!(none.overlays.is_empty());
    assert_eq!(none.raw, plain.raw);
    let (plain_files, none_files) = (files(&plain), files(&none));
    assert_eq!(plain_files.len(), none_files.len());
    for (a, b) in plain_files.iter().zip(&none_files) {
        assert_eq!((&a.path, &a.contents), (&b.path, &b.contents));
    }
    // The digest is the spec's as read, overlays or not; the document is not.
    let overlaid = with_pets();
    assert_eq!(overlaid.digest, plain.digest);
    assert_ne!(overlaid.raw, plain.raw);
}

#[test]
fn file_name_order_decides_and_the_other_order_fails() {
    let mut reversed = pets();
    reversed.reverse();
    let message = load_with_overlays(&entry(), &reversed).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("02-nickname-docs.json: action 1 (target `$.components.schemas.pet.properties.nickname`)"), "{message}");
    assert!(message.contains("matches nothing"), "{message}");
}

#[test]
fn the_spec_records_and_the_report_lists_each_action_with_its_pointers() {
    let spec = with_pets();
    let changed: Vec<(&str, usize, &str, Vec<&str>)> =
        spec.overlays.iter().map(|a| (a.file.as_str(), a.action, a.kind, a.pointers.iter().map(String::as_str).collect())).collect();
    assert_eq!(
        changed,
        [
            ("01-nickname.yaml", 1, "update", vec!["/components/schemas/pet/properties"]),
            ("01-nickname.yaml", 2, "update", vec!["/components/schemas/status-2/enum"]),
            ("02-nickname-docs.json", 1, "update", vec!["/components/schemas/pet/properties/nickname"]),
            ("02-nickname-docs.json", 2, "remove", vec!["/components/schemas/dog_details/properties/good_boy"]),
        ]
    );
    let files = files(&spec);
    let report = file(&files, "API.md");
    let expected = "### `01-nickname.yaml`: Pets have nicknames\n\n\
        - action 1, update `$.components.schemas.pet.properties`: Adds `nickname` to a pet.\n  \
        - `/components/schemas/pet/properties`\n\
        - action 2, update `$.components.schemas['status-2'].enum`: Appends `sold` to the pet statuses (the hoisted `status-2`).\n  \
        - `/components/schemas/status-2/enum`\n\n\
        ### `02-nickname-docs.json`: Nicknames documented, dogs unjudged\n\n\
        - action 1, update `$.components.schemas.pet.properties.nickname`: Documents the member 01-nickname.yaml adds: file-name order matters.\n  \
        - `/components/schemas/pet/properties/nickname`\n\
        - action 2, remove `$.components.schemas.dog_details.properties.good_boy`\n  \
        - `/components/schemas/dog_details/properties/good_boy`\n";
    assert!(report.contains(expected), "{report}");
    let plain = plain_report();
    assert!(plain.contains("## Overlays\n\nCorrections"), "{plain}");
    assert!(
        plain.contains("before lowering; under each action, the JSON pointers of the nodes it updated or removed.\n\nNone.\n"),
        "{plain}"
    );
}

fn plain_report() -> String {
    let files = files(&load(&entry()).unwrap());
    file(&files, "API.md").to_owned()
}

/// The error of the bad overlay `name`, whether reading or applying it fails.
fn error_of(name: &str) -> String {
    let path = fixtures().join("overlays/bad").join(name);
    let result = Overlay::read(&path).and_then(|overlay| load_with_overlays(&entry(), &[overlay]));
    match result {
        Ok(_) => panic!("{name}: the overlay applied"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_bad_overlay_fails_naming_the_file_the_action_and_the_target() {
    let cases: &[(&str, &str, &str)] = &[
        ("malformed_yaml.yaml", "malformed_yaml.yaml: malformed YAML", "line 6 column 1"),
        ("not_an_overlay.yaml", "not_an_overlay.yaml: not an overlay", "no `overlay` key"),
        ("wrong_version.yaml", "wrong_version.yaml: `overlay` is `1.1.0`", "only Overlay 1.0.x"),
        (
            "unknown_key.yaml",
            "unknown_key.yaml: action 2 (target `$.components.schemas.pet.properties.name`)",
            "unknown key `remvoe` in `/actions/1`",
        ),
        ("both.yaml", "both.yaml: action 2 (target `$.components.schemas.pet`)", "both `update` and `remove: true`"),
        ("neither.yaml", "neither.yaml: action 1 (target `$.components.schemas.pet`)", "neither `update` nor `remove: true`"),
        ("bad_jsonpath.yaml", "bad_jsonpath.yaml: action 2 (target `$.components.schemas[pet`)", "not a JSONPath (RFC 9535): at position"),
        (
            "matches_nothing.yaml",
            "matches_nothing.yaml: action 2 (target `$.components.schemas.pet.properties.nickname`)",
            "matches nothing in the bundled document",
        ),
        (
            "wrong_kind.yaml",
            "wrong_kind.yaml: action 1 (target `$.components.schemas.pet.properties.name.type`)",
            "matches a string at `/components/schemas/pet/properties/name/type`",
        ),
        ("remove_all.yaml", "remove_all.yaml: action 1 (target `$`)", "the whole document"),
    ];
    let bad = std::fs::read_dir(fixtures().join("overlays/bad")).map(|d| d.count()).unwrap_or_default();
    assert_eq!(bad, cases.len(), "a case for every file of spec/fixtures/overlays/bad/");
    for (name, place, what) in cases {
        let message = error_of(name);
        assert!(message.contains(place) && message.contains(what), "{name}: expected `{place}` ... `{what}`, got: {message}");
    }
}

#[test]
fn every_stale_action_is_named_at_once_with_the_way_out() {
    let stale = |name: &str, target: &str| {
        let text = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n  - target: {target}\n    remove: true\n");
        Overlay::parse(&text, Path::new(name)).unwrap()
    };
    let mut overlays = pets();
    overlays.insert(0, stale("00-gone.yaml", "$.components.schemas.gone"));
    overlays.push(stale("99-also-gone.yaml", "$.components.schemas.also_gone"));
    let message = load_with_overlays(&entry(), &overlays).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.starts_with("00-gone.yaml: action 1 (target `$.components.schemas.gone`): the target matches nothing"), "{message}");
    assert!(message.contains("also stale: 99-also-gone.yaml: action 1 (target `$.components.schemas.also_gone`)"), "{message}");
    assert!(message.contains("retire the action (or its file)") && message.contains("DO_OPENAPI_OVERLAYS"), "{message}");
}
