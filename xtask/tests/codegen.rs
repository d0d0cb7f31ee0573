//! `cargo xtask codegen` as a library: the committed `generated/` is up to date, a second run
//! changes nothing, and a failed run leaves the output folder untouched.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use xtask::{codegen, workspace_root, CodegenArgs};

#[test]
fn committed_generated_crate_is_up_to_date() {
    let summary = codegen(&workspace_root(), &CodegenArgs { check: true, ..Default::default() })
        .unwrap_or_else(|e| panic!("codegen --check failed: {e}"));
    assert!(
        summary.report.is_clean(),
        "generated/ is stale, run `cargo xtask codegen`: changed {:?}, not produced {:?}",
        summary.report.changed,
        summary.report.removed
    );
    // Every operation of the spec the workspace reads.
    let root = workspace_root();
    let spec = xtask::load_spec(&root, &codegen::source::find(None, &root).unwrap()).unwrap();
    assert_eq!(summary.operations, spec.doc.operations().count());
}

/// A copy of the workspace's `spec/PIN`, overlays and `generated/` in a temporary folder, so that
/// writing tests never touch the real crate.
fn scratch_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace_root();
    fs::create_dir_all(dir.path().join("spec")).unwrap();
    for file in ["spec/PIN", xtask::EXAMPLE_EXCEPTIONS, xtask::CONTRACT_EXCEPTIONS, xtask::CRATE_VERSION] {
        fs::copy(root.join(file), dir.path().join(file)).unwrap();
    }
    if root.join(xtask::OVERLAYS).is_dir() {
        copy_dir(&root.join(xtask::OVERLAYS), &dir.path().join(xtask::OVERLAYS));
    }
    copy_dir(&root.join("generated/src"), &dir.path().join("generated/src"));
    fs::create_dir_all(dir.path().join("generated/tests/support")).unwrap();
    copy_dir(&root.join("generated/api"), &dir.path().join("generated/api"));
    for file in ["Cargo.toml", "API.md", "tests/support/roundtrip.rs"] {
        fs::copy(root.join("generated").join(file), dir.path().join("generated").join(file)).unwrap();
    }
    copy_dir(&root.join("generated/tests/support/samples"), &dir.path().join("generated/tests/support/samples"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).unwrap();
        }
    }
}

fn default_spec() -> PathBuf {
    codegen::source::find(None, &workspace_root()).unwrap()
}

#[test]
fn regenerating_twice_writes_nothing_the_second_time() {
    let dir = scratch_root();
    fs::write(dir.path().join("generated/src/models/mod.rs"), "stale").unwrap();
    fs::write(dir.path().join("generated/src/leftover.rs"), "old").unwrap();
    let args = CodegenArgs { spec: Some(default_spec()), ..Default::default() };
    let first = codegen(dir.path(), &args).unwrap();
    assert_eq!(first.report.changed, ["src/models/mod.rs"]);
    assert_eq!(first.report.removed, ["src/leftover.rs"]);
    let before = common::snapshot(dir.path());
    let second = codegen(dir.path(), &args).unwrap();
    assert!(second.report.is_clean(), "{:?}", second.report);
    assert_eq!(common::snapshot(dir.path()), before, "the second run changed bytes");
}

#[test]
fn check_mode_names_stale_files_and_writes_nothing() {
    let dir = scratch_root();
    fs::write(dir.path().join("generated/src/models/mod.rs"), "stale").unwrap();
    let before = common::snapshot(&dir.path().join("generated"));
    let args = CodegenArgs { check: true, spec: Some(default_spec()), ..Default::default() };
    let summary = codegen(dir.path(), &args).unwrap();
    assert_eq!(summary.report.changed, ["src/models/mod.rs"]);
    // Only the change report (in the target folder) is written.
    assert!(common::snapshot(&dir.path().join("generated")) == before, "--check wrote into generated/");
}

#[test]
fn a_failed_codegen_leaves_generated_untouched() {
    let bad = tempfile::tempdir().unwrap();
    let spec = bad.path().join("openapi.yaml");
    fs::write(&spec, "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      $ref: missing.yml\n").unwrap();
    let dir = scratch_root();
    fs::write(dir.path().join("generated/src/models/mod.rs"), "stale").unwrap();
    let before = common::snapshot(dir.path());
    let error = codegen(dir.path(), &CodegenArgs { spec: Some(spec), ..Default::default() })
        .err()
        .unwrap_or_else(|| panic!("codegen accepted a spec with a broken $ref"));
    assert!(error.to_string().contains("missing.yml"), "{error}");
    assert_eq!(common::snapshot(dir.path()), before);
}

#[test]
fn a_bad_overlay_fails_naming_it_and_leaves_generated_untouched() {
    let dir = scratch_root();
    fs::write(dir.path().join("generated/src/models/mod.rs"), "stale").unwrap();
    let overlay =
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas.no_such_schema\n    remove: true\n";
    fs::create_dir_all(dir.path().join(xtask::OVERLAYS)).unwrap();
    fs::write(dir.path().join(xtask::OVERLAYS).join("99-stale.yaml"), overlay).unwrap();
    let before = common::snapshot(dir.path());
    let error = codegen(dir.path(), &CodegenArgs { spec: Some(default_spec()), ..Default::default() })
        .err()
        .unwrap_or_else(|| panic!("codegen applied an overlay whose target matches nothing"));
    let message = error.to_string();
    assert!(message.contains("99-stale.yaml: action 1 (target `$.components.schemas.no_such_schema`)"), "{message}");
    assert!(message.contains("matches nothing"), "{message}");
    assert_eq!(common::snapshot(dir.path()), before);
}

#[test]
fn a_missing_spec_says_how_to_get_one() {
    let dir = scratch_root();
    let args = CodegenArgs { spec: Some(dir.path().join("nowhere.yaml")), ..Default::default() };
    let error = codegen(dir.path(), &args).err().unwrap_or_else(|| panic!("codegen ran without a spec"));
    let message = error.to_string();
    assert!(message.contains("nowhere.yaml") && message.contains("DO_OPENAPI_SPEC"), "{message}");
}

#[test]
fn every_generated_file_is_marked_generated_for_review() {
    let root = workspace_root();
    let spec = xtask::load_spec(&root, &codegen::source::find(None, &root).unwrap()).unwrap();
    let output = codegen::generate(&spec, &codegen::Selection::default(), "test").unwrap();
    let paths: Vec<String> = output.files.iter().map(|f| format!("generated/{}", f.path)).collect();
    let mut child = std::process::Command::new("git")
        .args(["check-attr", "--stdin", "linguist-generated"])
        .current_dir(&root)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("git: {e}"));
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        stdin.write_all(paths.join("\n").as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let unmarked: Vec<&str> = text.lines().filter(|l| !l.ends_with(": linguist-generated: true")).collect();
    assert_eq!(text.lines().count(), paths.len(), "{text}");
    assert!(unmarked.is_empty(), "generated files .gitattributes does not mark: {unmarked:#?}");
}
