//! Bad input gives an error naming the file and the JSON pointer, never a panic.

use std::path::{Path, PathBuf};

use codegen::error::{Error, Location};
use codegen::load::load;

fn fixture(case: &str, entry: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/fixtures/bad").join(case).join(entry)
}

fn error_of(case: &str, entry: &str) -> Error {
    match load(&fixture(case, entry)) {
        Ok(_) => panic!("{case}: loaded without an error"),
        Err(e) => e,
    }
}

/// The `Ref` error's location, reference and reason, after checking the message shows them.
fn ref_error(case: &str, entry: &str) -> (Location, String, String) {
    match error_of(case, entry) {
        e @ Error::Ref { .. } => {
            let message = e.to_string();
            let Error::Ref { at, reference, reason } = e else { unreachable!() };
            assert!(message.contains(&at.to_string()), "{message}");
            assert!(message.contains(&reference), "{message}");
            (at, reference, reason)
        }
        other => panic!("{case}: expected Error::Ref, got {other:?}"),
    }
}

#[test]
fn malformed_yaml_names_the_file_the_line_and_the_referring_pointer() {
    match error_of("malformed_yaml", "openapi.yaml") {
        e @ Error::Yaml { .. } => {
            let message = e.to_string();
            let Error::Yaml { file, .. } = &e else { unreachable!() };
            assert_eq!(file, Path::new("ops/list_things.yml"));
            assert!(message.contains("ops/list_things.yml"), "{message}");
            assert!(message.contains("line 5"), "{message}");
            assert!(message.contains("openapi.yaml#/paths/~1v1~1things/get"), "{message}");
        }
        other => panic!("expected Error::Yaml, got {other:?}"),
    }
}

#[test]
fn ref_to_a_missing_file() {
    let (at, reference, reason) = ref_error("missing_file", "openapi.yaml");
    let pointer = "/responses/200/content/application~1json/schema";
    assert_eq!(at, Location::new("ops/list_things.yml", pointer));
    assert_eq!(reference, "../models/no_such_file.yml");
    assert!(reason.contains("models/no_such_file.yml") && reason.contains("does not exist"), "{reason}");
}

#[test]
fn ref_to_a_missing_pointer() {
    let (at, reference, reason) = ref_error("missing_pointer", "openapi.yaml");
    assert_eq!(at, Location::new("ops/list_things.yml", "/parameters/0"));
    assert_eq!(reference, "parameters.yml#/no_such_parameter");
    assert!(reason.contains("ops/parameters.yml") && reason.contains("/no_such_parameter"), "{reason}");
}

#[test]
fn loop_of_inlined_files() {
    let (at, reference, reason) = ref_error("loop_files", "openapi.yaml");
    assert_eq!(at, Location::new("b.yml", ""));
    assert_eq!(reference, "a.yml");
    assert!(reason.contains("loop") && reason.contains("a.yml -> b.yml -> a.yml"), "{reason}");
}

#[test]
fn loop_of_component_files() {
    let (at, reference, reason) = ref_error("loop_schemas", "openapi.yaml");
    assert_eq!(at, Location::new("models/a.yml", ""));
    assert_eq!(reference, "b.yml");
    assert!(reason.contains("loop") && reason.contains("models/a.yml -> models/b.yml -> models/a.yml"), "{reason}");
}

#[test]
fn loop_in_a_bundled_file() {
    let (at, reference, reason) = ref_error("loop_bundled", "openapi.yaml");
    assert_eq!(at, Location::new("openapi.yaml", "/components/schemas/thing"));
    assert_eq!(reference, "#/components/schemas/alias");
    assert!(reason.contains("loop") && reason.contains("/components/schemas/alias"), "{reason}");
}

#[test]
fn component_that_refers_to_itself() {
    let (at, reference, reason) = ref_error("loop_self", "openapi.yaml");
    assert_eq!(at, Location::new("openapi.yaml", "/components/schemas/itself"));
    assert_eq!(reference, "#/components/schemas/itself");
    assert!(reason.contains("loop"), "{reason}");
}

#[test]
fn ref_leaving_the_root_folder() {
    let (at, reference, reason) = ref_error("outside_root", "spec/openapi.yaml");
    let pointer = "/responses/200/content/application~1json/schema";
    assert_eq!(at, Location::new("ops/list_things.yml", pointer));
    assert_eq!(reference, "../../outside.yml");
    assert!(reason.contains("root folder"), "{reason}");
}

#[test]
fn ref_naming_a_url() {
    let (at, reference, reason) = ref_error("url_ref", "openapi.yaml");
    let pointer = "/paths/~1v1~1things/get/responses/200/content/application~1json/schema";
    assert_eq!(at, Location::new("openapi.yaml", pointer));
    assert_eq!(reference, "https://example.com/schemas/thing.yml");
    assert!(reason.contains("URL"), "{reason}");
}

fn shape_error(case: &str) -> (Location, String) {
    match error_of(case, "openapi.yaml") {
        e @ Error::Shape { .. } => {
            let text = e.to_string();
            let Error::Shape { at, message } = e else { unreachable!() };
            assert!(text.contains(&at.to_string()), "{text}");
            (at, message)
        }
        other => panic!("{case}: expected Error::Shape, got {other:?}"),
    }
}

#[test]
fn paths_as_a_list_is_not_openapi() {
    let (at, message) = shape_error("not_openapi");
    assert_eq!(at, Location::new("openapi.yaml", "/paths"));
    assert!(message.contains("sequence"), "{message}");
}

#[test]
fn shape_error_in_a_referenced_file_names_that_file() {
    let (at, message) = shape_error("bad_shape_in_file");
    assert_eq!(at, Location::new("ops/list_things.yml", "/responses/200/headers"));
    assert!(message.contains("sequence") && message.contains("#/paths/~1v1~1things/get/responses/200/headers"), "{message}");
}

#[test]
fn missing_entry_file_is_an_io_error() {
    match load(&fixture("no_such_case", "openapi.yaml")) {
        Err(Error::Io { path, .. }) => assert!(path.ends_with("no_such_case/openapi.yaml")),
        other => panic!("expected Error::Io, got {other:?}"),
    }
}
