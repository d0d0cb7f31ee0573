//! The golden test: the code generated for `functions_create_namespace` alone (its method and
//! the models it reaches) must equal `tests/golden/create_namespace.rs`.
//!
//! The golden file is rewritten only by running this test with `UPDATE_GOLDEN=1`:
//! `UPDATE_GOLDEN=1 cargo test -p codegen --test golden`. It honours `DO_OPENAPI_SPEC` and
//! applies `spec/overlays/` as codegen does, so a spec or an overlay edited to change
//! `create_namespace` makes it fail with a diff.

use std::path::{Path, PathBuf};

use codegen::{load, Selection};

const GOLDEN: &str = "tests/golden/create_namespace.rs";
const UPDATE_VAR: &str = "UPDATE_GOLDEN";

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
    let actual = generate_create_namespace();
    let golden_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os(UPDATE_VAR).is_some() {
        std::fs::write(&golden_path, &actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", golden_path.display()));
        return;
    }
    let expected = std::fs::read_to_string(&golden_path).unwrap_or_default();
    if expected != actual {
        panic!(
            "generated code for functions_create_namespace differs from {GOLDEN} (- golden, + generated):\n{}\n\
             If the change is intended, review it and rerun with {UPDATE_VAR}=1.",
            line_diff(&expected, &actual)
        );
    }
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

/// A unified-style line diff (longest common subsequence), with two lines of context.
fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i + 1, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i + 1, a[i]));
            i += 1;
        } else {
            ops.push(('+', j + 1, b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| ops[k.saturating_sub(2)..(k + 3).min(ops.len())].iter().any(|o| o.0 != ' ');
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line, text)) in ops.iter().enumerate() {
        if near_change(k) {
            out.push_str(&format!("{tag} {line:>5} | {text}\n"));
            skipped = false;
        } else if !skipped {
            out.push_str("  ...\n");
            skipped = true;
        }
    }
    out
}
