//! The golden test: the code generated for `functions_create_namespace` alone (its method and
//! the models it reaches) must equal `tests/golden/create_namespace.rs`.
//!
//! The golden file is rewritten only by running this test with `UPDATE_GOLDEN=1`:
//! `UPDATE_GOLDEN=1 cargo test -p codegen --test golden`. It honours `DO_OPENAPI_SPEC` and
//! applies `spec/overlays/` as codegen does, so a spec or an overlay edited to change
//! `create_namespace` makes it fail with a diff.

mod support;

use std::path::{Path, PathBuf};

use codegen::{load, Selection};

const GOLDEN: &str = "tests/golden/create_namespace.rs";

fn spec_path() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match codegen::source::find(None, &root) {
        Ok(path) => path,
        Err(e) => panic!("{e}"),
    }
}

/// The method's file and the models file, as generated for the one operation.
fn generate_create_namespace() -> String {
    // With the project's overlays, as `cargo xtask codegen` generates it.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let overlays = codegen::overlay::read_dir(&root.join("spec/overlays")).unwrap();
    let spec = load::load_with_overlays(&spec_path(), &overlays).unwrap();
    let selection = Selection { tags: vec![], operations: vec!["functions_create_namespace".into()] };
    let header = codegen::header("cargo test -p codegen --test golden");
    let output = codegen::generate(&spec, &selection, &header).unwrap();
    assert_eq!(output.operations, 1);
    let mut text = String::new();
    for path in ["src/apis/functions.rs", "src/models/functions.rs"] {
        let file = output.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} not generated"));
        text.push_str(&format!("// ===== {path} =====\n{}\n", file.contents));
    }
    text
}

#[test]
fn create_namespace_regenerates_identically() {
    support::golden::check("generated code for functions_create_namespace", GOLDEN, &generate_create_namespace());
}

#[test]
fn the_golden_holds_the_method_and_only_the_models_it_reaches() {
    let actual = generate_create_namespace();
    assert!(actual.contains("pub fn create_namespace("));
    // The call's builder (in `apis::functions`) and the body (in `models`).
    assert_eq!(actual.matches("pub struct CreateNamespace {").count(), 1);
    assert_eq!(actual.matches("pub struct CreateNamespace: sent, slots {").count(), 1);
    assert!(actual.contains("impl std::future::IntoFuture for CreateNamespace {"));
    assert!(actual.contains("pub struct NamespaceCreated: received, slots {"));
    assert!(actual.contains("pub struct NamespaceInfo: received, direct {"));
    assert!(!actual.contains("pub fn get_namespace("), "other operations leaked in");
    assert!(!actual.contains("pub struct TriggerInfo"), "unreached models leaked in");
}
