//! A bundle of the spec made by another tool generates the same crate as the tree, byte for byte.
//!
//! Redocly's CLI (pinned, installed on first use into `<repo>/.tools/redocly/`) bundles the tree
//! its own way: it walks the files in another order, so two schemas that share a name get the
//! counter (`version`, `version-2`) the other way round, and it writes YAML with js-yaml (`5.0`
//! becomes `5`). Neither may change a generated file: names come from the committed manifest and
//! from where a schema is used, never from a bundler's counter.

#[allow(dead_code)]
#[path = "../../generated/tests/support/npm.rs"]
mod npm;

use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::{codegen, workspace_root, CodegenArgs};

/// The pinned Redocly CLI: 2.x needs Node.js 20.19 or newer.
const REDOCLY: npm::Package = npm::Package { name: "@redocly/cli", version: "2.77.0", bin: "redocly" };
const NEED_NODE: &str = "this test runs Redocly's CLI, which needs Node.js 20.19 or newer with npm on PATH";

/// The tree's entry file, and a Redocly bundle of it in `dir`.
fn redocly_bundle(dir: &Path) -> (PathBuf, PathBuf) {
    let root = workspace_root();
    let entry = codegen::source::find(None, &root).unwrap();
    npm::check_node(20, NEED_NODE).unwrap();
    let redocly = npm::ensure_installed(&root.join(".tools/redocly"), &REDOCLY, NEED_NODE).unwrap();
    let bundle = dir.join("bundled.yaml");
    let output = Command::new(&redocly)
        .arg("bundle")
        .arg(&entry)
        .arg("--output")
        .arg(&bundle)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", redocly.display()));
    assert!(output.status.success(), "redocly bundle failed: {}", String::from_utf8_lossy(&output.stderr));
    (entry, bundle)
}

/// Every file of the crate generated from `spec`, keeping the names of `lock`.
fn generate(spec: &Path, lock: &codegen::lower::Lock) -> Vec<codegen::File> {
    let root = workspace_root();
    let loaded = xtask::load_spec(&root, spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let settings = codegen::Settings { lock: lock.clone(), ..codegen::Settings::with_header("test") };
    codegen::generate_with(&loaded, &codegen::Selection::default(), &settings).unwrap().files
}

/// The paths of the files that differ between two generations (or that only one has).
fn differing(a: &[codegen::File], b: &[codegen::File]) -> Vec<String> {
    let mut out: Vec<String> = a.iter().filter(|f| !b.contains(f)).map(|f| f.path.clone()).collect();
    out.extend(b.iter().filter(|f| !a.iter().any(|g| g.path == f.path)).map(|f| f.path.clone()));
    out
}

#[test]
fn a_redocly_bundle_generates_the_committed_crate_and_the_same_crate_as_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let (entry, bundle) = redocly_bundle(dir.path());
    let bundled = std::fs::read_to_string(&bundle).unwrap();
    // The point of the test: Redocly numbers a shared name the other way round from the tree's
    // loader (if it ever stops, this test no longer shows anything).
    let ours = codegen::load::to_yaml(&xtask::load_spec(&workspace_root(), &entry).unwrap()).unwrap();
    let version_2 = |text: &str| text.lines().skip_while(|l| l.trim() != "version-2:").nth(1).map(str::trim).map(str::to_owned);
    assert_ne!(version_2(&bundled), version_2(&ours), "both bundlers gave `version-2` to the same schema");

    // With the committed manifest: exactly the committed crate.
    let check = CodegenArgs { check: true, spec: Some(bundle.clone()), report_dir: Some(dir.path().to_path_buf()), ..Default::default() };
    let summary = codegen(&workspace_root(), &check).unwrap_or_else(|e| panic!("codegen --check --spec <redocly bundle>: {e}"));
    assert!(
        summary.report.is_clean(),
        "the Redocly bundle generates another crate than the tree: changed {:?}, not produced {:?}",
        summary.report.changed,
        summary.report.removed
    );

    // Without one (a crate generated for the first time): the same files from both.
    let none = codegen::lower::Lock::default();
    let (from_tree, from_bundle) = (generate(&entry, &none), generate(&bundle, &none));
    assert_eq!(from_tree.len(), from_bundle.len());
    assert_eq!(differing(&from_tree, &from_bundle), Vec::<String>::new(), "without a lock, the tree and the Redocly bundle differ");
}
