//! Every bad input under `spec/fixtures/bad/` makes `cargo xtask codegen` exit non-zero with
//! one error naming the file (and the JSON pointer, or the line for malformed YAML), without a
//! panic, and without touching `generated/`.

mod common;

use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn fixtures() -> Vec<(String, PathBuf)> {
    let dir = xtask::workspace_root().join("spec/fixtures/bad");
    let mut cases: Vec<(String, PathBuf)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_dir())
        .map(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
            let entry = [path.join("openapi.yaml"), path.join("spec/openapi.yaml")].into_iter().find(|p| p.is_file());
            (name.clone(), entry.unwrap_or_else(|| panic!("fixture {name} has no openapi.yaml")))
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn each_bad_input_fails_cleanly_naming_the_place() {
    let generated = xtask::workspace_root().join("generated/src");
    let before = common::snapshot(&generated);
    let cases = fixtures();
    // The project's overlays correct DigitalOcean's spec; these fixtures are not it.
    let no_overlays = tempfile::tempdir().unwrap();
    assert!(cases.len() >= 12, "expected a fixture per bad input, found {}", cases.len());
    for (name, entry) in cases {
        // --check, so that a fixture that wrongly passes cannot rewrite the real crate; writing
        // after a failure is covered by `a_failed_codegen_leaves_generated_untouched`.
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["codegen", "--check", "--spec"])
            .arg(&entry)
            .env_remove(codegen::source::ENV_VAR)
            .env(xtask::OVERLAYS_VAR, no_overlays.path())
            .output()
            .unwrap_or_else(|e| panic!("{name}: cannot run xtask: {e}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: exit status {:?}, stderr:\n{stderr}", output.status);
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        let message = stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or_else(|| panic!("{name}: no error line:\n{stderr}"));
        assert!(message.contains(".yml") || message.contains(".yaml"), "{name}: no file named: {message}");
        let located =
            if name == "malformed_yaml" { message.contains("line ") } else { message.contains(".yml#") || message.contains(".yaml#") };
        assert!(located, "{name}: no pointer (or line) in: {message}");
    }
    assert!(common::snapshot(&generated) == before, "a failed codegen changed generated/src");
}
