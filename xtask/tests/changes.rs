//! The change report on real history: `codegen` against the committed manifest (`generated/api/`),
//! `--check` on a stale crate, `diff` between two spec trees, and `spec update` moving the pin
//! and the crate version. The earlier upstream commit is `../shared/digitalocean-openapi-prev/`.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use xtask::{codegen, workspace_root, CodegenArgs};

fn shared(name: &str) -> PathBuf {
    workspace_root().join("../shared").join(name)
}

/// The operationIds of a spec tree, read from the bundled document without the generator.
fn operation_ids(tree: &Path) -> BTreeSet<String> {
    let spec = codegen::load::load(&tree.join(codegen::source::ENTRY)).unwrap();
    let mut ids = BTreeSet::new();
    for item in spec.raw["paths"].as_object().into_iter().flat_map(|paths| paths.values()) {
        for operation in item.as_object().into_iter().flat_map(|item| item.values()) {
            if let Some(id) = operation.get("operationId").and_then(|id| id.as_str()) {
                ids.insert(id.to_owned());
            }
        }
    }
    ids
}

/// A scratch workspace (`spec/PIN`, version 0.1.0) whose `generated/` comes from the earlier commit.
fn generated_from_prev() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    fs::copy(workspace_root().join("spec/PIN"), dir.path().join("spec/PIN")).unwrap();
    fs::write(dir.path().join(xtask::CRATE_VERSION), "0.1.0\n").unwrap();
    let args =
        CodegenArgs { spec: Some(shared("digitalocean-openapi-prev")), report_dir: Some(dir.path().join("target")), ..Default::default() };
    let first = codegen(dir.path(), &args).unwrap();
    assert!(first.changes.is_none(), "no committed manifest yet: no report");
    dir
}

#[test]
fn codegen_reports_the_api_changes_against_the_committed_manifest() {
    let root = generated_from_prev();
    let added: Vec<String> =
        operation_ids(&shared("digitalocean-openapi")).difference(&operation_ids(&shared("digitalocean-openapi-prev"))).cloned().collect();
    assert!(!added.is_empty(), "upstream added operations between the two commits");

    // --check on the stale crate fails and already says why, in API terms.
    let report_dir = root.path().join("target");
    let check =
        CodegenArgs { check: true, spec: Some(shared("digitalocean-openapi")), report_dir: Some(report_dir.clone()), ..Default::default() };
    let stale = codegen(root.path(), &check).unwrap();
    assert!(!stale.report.is_clean());
    let changes = stale.changes.unwrap_or_else(|| panic!("a committed manifest gives a report"));
    assert!(changes.summary.contains(&format!("{} added", added.len())), "{}", changes.summary);
    assert!(changes.summary.contains("0.1.0 → 0.2.0"), "{}", changes.summary);

    // The real run writes the same report to the report folder; every added operation is in it.
    let run = CodegenArgs { check: false, ..check.clone() };
    let written = codegen(root.path(), &run).unwrap();
    let report = written.changes.unwrap_or_else(|| panic!("a report"));
    let path = report.path.clone().unwrap_or_default();
    assert_eq!(path, report_dir.join("api-changes.md"));
    assert_eq!(fs::read_to_string(&path).unwrap_or_default(), report.markdown);
    for id in &added {
        assert!(report.markdown.contains(&format!("(`{id}`): added")), "{id} missing from the report");
    }
    assert_eq!(report.markdown, changes.markdown, "--check and the run report the same");

    // Now the committed manifest is the new one: nothing to report, nothing stale.
    let again = codegen(root.path(), &check).unwrap();
    assert!(again.report.is_clean());
    assert!(again.changes.is_some_and(|c| c.changes.is_empty()));
}

#[test]
fn diff_compares_two_trees_without_touching_generated() {
    let root = workspace_root();
    let before = common::snapshot(&root.join("generated/src"));
    let (prev, pin) = (shared("digitalocean-openapi-prev"), shared("digitalocean-openapi"));
    let forward = xtask::changes::diff(&root, &prev, &pin, false).unwrap();
    let backward = xtask::changes::diff(&root, &pin, &prev, false).unwrap();
    let same = xtask::changes::diff(&root, &pin, &pin, true).unwrap();
    assert!(forward.path.is_none() && backward.path.is_none(), "diff writes no file of its own");
    assert!(!forward.changes.is_empty());
    assert!(same.changes.is_empty(), "{}", same.summary);
    // Going back removes what going forward added: removed operations break callers.
    let added = forward.changes.counts(codegen::changes::Area::Operation).0;
    assert_eq!(backward.changes.counts(codegen::changes::Area::Operation).1, added);
    assert!(backward.changes.breaking().count() > 0);
    assert_eq!(common::snapshot(&root.join("generated/src")), before);
}

#[test]
fn spec_update_moves_the_pin_and_the_crate_version_as_the_report_asks() {
    let root = generated_from_prev();
    let copy_of_pin = tempfile::tempdir().unwrap();
    copy_tree(&shared("digitalocean-openapi"), copy_of_pin.path());
    let args = xtask::spec_update::UpdateArgs { from: Some(copy_of_pin.path().to_path_buf()), commit: None };
    let updated = xtask::spec_update::update(root.path(), &args).unwrap();
    // The commit comes from the copy's SOURCE file; upstream changed types, so 0.1.0 → 0.2.0.
    assert_eq!(updated.pin.commit, "7c1300c479fed9c353cda9fc21cd968619552304");
    assert_eq!(updated.version, Some(("0.1.0".to_owned(), "0.2.0".to_owned())));
    assert_eq!(fs::read_to_string(root.path().join(xtask::CRATE_VERSION)).unwrap_or_default(), "0.2.0\n");
    let run = CodegenArgs { spec: Some(updated.copy.clone()), report_dir: Some(root.path().join("target")), ..Default::default() };
    let summary = codegen(root.path(), &run).unwrap();
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let report = summary.changes.unwrap_or_else(|| panic!("a report"));
    assert!(report.changes.already_bumped(), "{}", report.summary);
    let cargo_toml = fs::read_to_string(root.path().join("generated/Cargo.toml")).unwrap_or_default();
    assert!(cargo_toml.contains("version = \"0.2.0\""), "the crate's version comes from spec/crate-version");
    // The digest is the spec's, wherever its copy is: the same as the tree's beside the checkout.
    let entry = shared("digitalocean-openapi").join("specification/DigitalOcean-public.v2.yaml");
    let shared_digest = codegen::load::load(&entry).unwrap().digest;
    assert_eq!(updated.pin.digest, Some(shared_digest));
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}
