//! `cargo xtask spec update --from DIR` as a library, on scratch workspaces: the pin records
//! the commit (from git, from a SOURCE file, or given) and the digest, the spec is copied to the
//! local copy, a spec that does not load changes nothing, and codegen warns about an edited copy.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use xtask::pin::Pin;
use xtask::spec_update::{update, UpdateArgs, LOCAL_COPY};
use xtask::{codegen, CodegenArgs};

fn fixture(name: &str) -> PathBuf {
    xtask::workspace_root().join("spec/fixtures").join(name)
}

/// A scratch workspace: `spec/PIN` pinning commit `aaaaaaa` without a digest, version 0.1.0.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    fs::write(dir.path().join("spec/PIN"), "repository: https://example.com/openapi\ncommit: aaaaaaa\n").unwrap();
    fs::write(dir.path().join(xtask::CRATE_VERSION), "0.1.0\n").unwrap();
    dir
}

/// An upstream-shaped tree (`specification/DigitalOcean-public.v2.yaml`) holding `spec`'s text.
fn upstream_tree(spec: &Path, source_commit: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let entry = dir.path().join(codegen::source::ENTRY);
    fs::create_dir_all(entry.parent().unwrap_or(dir.path())).unwrap();
    fs::copy(spec, &entry).unwrap();
    if let Some(commit) = source_commit {
        fs::write(dir.path().join("SOURCE"), format!("repository: x\ncommit: {commit}\n")).unwrap();
    }
    dir
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@127.0.0.1", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("git: {e}"));
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn pins_the_commit_from_git_and_the_digest_copies_the_tree_and_regenerates() {
    let root = workspace();
    let tree = upstream_tree(&fixture("bundled.yaml"), None);
    git(tree.path(), &["init", "-q"]);
    git(tree.path(), &["add", "."]);
    git(tree.path(), &["commit", "-q", "-m", "spec"]);
    let head = git(tree.path(), &["rev-parse", "HEAD"]);

    let updated = update(root.path(), &UpdateArgs { from: Some(tree.path().to_path_buf()), commit: None }).unwrap();
    let expected_digest = codegen::load::load(&tree.path().join(codegen::source::ENTRY)).unwrap().digest;
    let pin = Pin::read(root.path()).unwrap();
    assert_eq!(pin.commit, head);
    assert_eq!(pin.digest.as_deref(), Some(expected_digest.as_str()));
    assert_eq!(pin.repository, "https://example.com/openapi", "the repository is kept");
    assert_eq!(updated.pin, pin);
    assert!(updated.warnings.is_empty(), "{:?}", updated.warnings);
    let copy = root.path().join(LOCAL_COPY);
    assert!(copy.join(codegen::source::ENTRY).is_file());
    assert!(!copy.join(".git").exists(), "git metadata is not copied");

    // Regenerating from the copy names the new commit and warns about nothing.
    let summary = codegen(root.path(), &CodegenArgs { spec: Some(copy.clone()), ..Default::default() }).unwrap();
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    // The commit is said once, in the crate's docs (and API.md), not in every file's header.
    let lib_rs = fs::read_to_string(root.path().join("generated/src/lib.rs")).unwrap_or_default();
    assert!(lib_rs.contains(&format!("https://example.com/openapi at commit {head}")), "the crate docs name the pinned commit");
    let cargo_toml = fs::read_to_string(root.path().join("generated/Cargo.toml")).unwrap_or_default();
    assert!(!cargo_toml.contains(&head), "the header does not name the commit");

    // Someone edits the copy: codegen still runs, and says the spec is not the pinned one.
    let entry = copy.join(codegen::source::ENTRY);
    let text = fs::read_to_string(&entry).unwrap_or_default();
    fs::write(&entry, text.replace("title: Pet store fixture", "title: Pet store fixture, edited")).unwrap();
    let summary = codegen(root.path(), &CodegenArgs { spec: Some(copy), ..Default::default() }).unwrap();
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(summary.warnings[0].contains("not the one spec/PIN records"), "{}", summary.warnings[0]);
}

#[test]
fn a_dirty_checkout_is_pinned_with_a_warning() {
    let root = workspace();
    let tree = upstream_tree(&fixture("bundled.yaml"), None);
    git(tree.path(), &["init", "-q"]);
    git(tree.path(), &["add", "."]);
    git(tree.path(), &["commit", "-q", "-m", "spec"]);
    let entry = tree.path().join(codegen::source::ENTRY);
    let text = fs::read_to_string(&entry).unwrap_or_default();
    fs::write(&entry, format!("{text}\n# local edit\n")).unwrap();
    let updated = update(root.path(), &UpdateArgs { from: Some(tree.path().to_path_buf()), commit: None }).unwrap();
    assert_eq!(updated.warnings.len(), 1, "{:?}", updated.warnings);
    assert!(updated.warnings[0].contains("uncommitted changes"), "{}", updated.warnings[0]);
}

#[test]
fn the_commit_comes_from_source_or_from_the_flag() {
    let root = workspace();
    let tree = upstream_tree(&fixture("bundled.yaml"), Some("1e51da83a5f2f8b71a0e2a9d1fec6aad62b9c7c2"));
    update(root.path(), &UpdateArgs { from: Some(tree.path().to_path_buf()), commit: None }).unwrap();
    assert_eq!(Pin::read(root.path()).unwrap().commit, "1e51da83a5f2f8b71a0e2a9d1fec6aad62b9c7c2");
    update(root.path(), &UpdateArgs { from: Some(tree.path().to_path_buf()), commit: Some("abcdef1".into()) }).unwrap();
    assert_eq!(Pin::read(root.path()).unwrap().commit, "abcdef1", "--commit wins");
}

#[test]
fn bad_requests_change_nothing() {
    let root = workspace();
    let before = common::snapshot(root.path());
    let no_commit = upstream_tree(&fixture("bundled.yaml"), None);
    let broken = upstream_tree(&fixture("bad/malformed_yaml/openapi.yaml"), Some("abcdef1"));
    let cases: Vec<(UpdateArgs, &str)> = vec![
        (UpdateArgs { from: None, commit: Some("abcdef1".into()) }, "does not download"),
        (UpdateArgs { from: Some(root.path().join("nowhere")), commit: None }, "no specification/DigitalOcean-public.v2.yaml here"),
        (UpdateArgs { from: Some(no_commit.path().to_path_buf()), commit: None }, "pass --commit SHA"),
        (UpdateArgs { from: Some(no_commit.path().to_path_buf()), commit: Some("not-a-sha".into()) }, "not a commit id"),
        (UpdateArgs { from: Some(broken.path().to_path_buf()), commit: None }, "DigitalOcean-public.v2.yaml"),
    ];
    for (args, expected) in cases {
        let error = update(root.path(), &args).map(|_| ()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains(expected), "{args:?}: expected an error containing `{expected}`, got `{error}`");
        assert_eq!(common::snapshot(root.path()), before, "{args:?} changed the workspace");
    }
}
