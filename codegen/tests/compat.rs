//! The change report against the compiler: for every case of `spec/fixtures/changes/` (one
//! change each to a common base), the crate of the base and the crate of the change are
//! generated, and one caller (`spec/fixtures/changes/caller.rs`, which uses every item of the
//! base the way a careful user does: `new` and chained methods, every argument, `match` with a
//! `_` arm) is compiled against each. The caller must compile against the base, and against a
//! case's crate exactly when the report calls the case not breaking. A `match` without `_`
//! (`exhaustive.rs`) must not compile: that is what makes an added value or variant safe.
//!
//! All crates are checked in one `cargo check --offline` of a workspace under
//! `target/compat`, with the repository's `Cargo.lock`, so it needs no network and builds the
//! dependencies once.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::changes;
use codegen::{load, Selection, Settings};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures() -> PathBuf {
    root().join("spec/fixtures/changes")
}

/// Generates the crate of `spec` into `dir` as the package `package` (library `digitalocean`).
fn generate(spec: &Path, dir: &Path, package: &str) -> codegen::Manifest {
    let loaded = load::load(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let settings = Settings { crate_version: "0.1.0".into(), ..Settings::with_header("compat test") };
    let output = codegen::generate_with(&loaded, &Selection::default(), &settings).unwrap();
    for file in output.files.iter().filter(|f| f.path == "Cargo.toml" || f.path.starts_with("src/")) {
        let contents = match file.path.as_str() {
            "Cargo.toml" => {
                library_only(&file.contents).replacen("name = \"digitalocean\"", &format!("name = \"{package}\""), 1)
                    + "\n[lib]\nname = \"digitalocean\"\npath = \"src/lib.rs\"\n"
            }
            _ => file.contents.clone(),
        };
        let path = dir.join(&file.path);
        fs::create_dir_all(path.parent().unwrap_or(dir)).unwrap();
        fs::write(&path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    output.manifest
}

/// The generated `Cargo.toml` without what only its tests need (`[dev-dependencies]`, which
/// name the workspace's own crates by path).
fn library_only(manifest: &str) -> String {
    let mut out = String::new();
    let mut kept = true;
    for line in manifest.lines() {
        if line.starts_with('[') {
            kept = line != "[dev-dependencies]";
        }
        if kept {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A caller package `name` of `source` (a file of `spec/fixtures/changes/`) depending on the
/// crate package `on` (at `../on`).
fn caller(workspace: &Path, name: &str, source: &str, on: &str) {
    let dir = workspace.join(name);
    fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\ndigitalocean = {{ path = \"../{on}\", package = \"{on}\" }}\n"
    );
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let source = fs::read_to_string(fixtures().join(source)).unwrap();
    fs::write(dir.join("src/lib.rs"), source).unwrap();
}

/// The repository's `Cargo.lock` without its own (path) packages: the registry versions the
/// generated crates resolve to offline.
fn registry_packages(lock: &Path) -> String {
    let text = fs::read_to_string(lock).unwrap_or_else(|e| panic!("{}: {e}", lock.display()));
    let mut blocks = text.split("\n[[package]]\n");
    let head = blocks.next().unwrap_or_default().to_owned();
    blocks.filter(|block| block.contains("\nsource = ")).fold(head, |out, block| out + "\n[[package]]\n" + block)
}

#[test]
fn the_compiler_agrees_with_the_report_on_every_rule() {
    let workspace = root().join("target/compat");
    // Everything but the build folder, which keeps the dependencies for the next run.
    for entry in fs::read_dir(&workspace).into_iter().flatten().filter_map(|e| e.ok()) {
        if entry.file_name() != "target" {
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        }
    }
    fs::create_dir_all(&workspace).unwrap();
    let mut cases: Vec<String> = fs::read_dir(fixtures())
        .unwrap()
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("new.yaml").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    // Every case starts from the same base: its `old.yaml` files are one spec.
    let base = fixtures().join(&cases[0]).join("old.yaml");
    let base_text = fs::read_to_string(&base).unwrap_or_default();
    let body = |text: &str| text.lines().skip(1).collect::<Vec<_>>().join("\n");
    let base_manifest = generate(&base, &workspace.join("base"), "base");
    caller(&workspace, "caller_base", "caller.rs", "base");
    caller(&workspace, "exhaustive_base", "exhaustive.rs", "base");
    let mut members = vec!["base".to_owned(), "caller_base".to_owned(), "exhaustive_base".to_owned()];
    let mut breaking = BTreeSet::new();
    for case in &cases {
        let old = fs::read_to_string(fixtures().join(case).join("old.yaml")).unwrap_or_default();
        assert_eq!(body(&old), body(&base_text), "{case}/old.yaml is not the common base");
        let package = format!("new_{case}");
        let manifest = generate(&fixtures().join(case).join("new.yaml"), &workspace.join(&package), &package);
        if changes::compare(&base_manifest, &manifest).breaking().next().is_some() {
            breaking.insert(case.clone());
        }
        caller(&workspace, &format!("caller_{case}"), "caller.rs", &package);
        members.extend([package, format!("caller_{case}")]);
    }
    let members: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    fs::write(workspace.join("Cargo.toml"), format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", "))).unwrap();
    fs::write(workspace.join("Cargo.lock"), registry_packages(&root().join("Cargo.lock"))).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--workspace", "--keep-going", "--message-format=short"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", workspace.join("target"))
        .output()
        .unwrap_or_else(|e| panic!("cargo check: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // `error: could not compile `caller_x` (lib) due to ...`
    let failed: BTreeSet<String> =
        stderr.lines().filter_map(|line| line.strip_prefix("error: could not compile `")?.split('`').next().map(str::to_owned)).collect();
    let crates_failed: Vec<&String> = failed.iter().filter(|name| !name.starts_with("caller_") && *name != "exhaustive_base").collect();
    assert!(crates_failed.is_empty(), "generated crates that do not compile: {crates_failed:?}\n{stderr}");
    assert!(!failed.contains("caller_base"), "the caller does not compile against the base crate:\n{stderr}");
    // Enums and unions are `#[non_exhaustive]`: a `match` without `_` is refused, twice.
    assert!(failed.contains("exhaustive_base"), "a match without `_` compiled:\n{stderr}");
    let refused = stderr.lines().filter(|l| l.starts_with("exhaustive_base/") && l.contains("error[E0004]")).count();
    assert_eq!(refused, 2, "{stderr}");
    let does_not_compile: BTreeSet<String> = failed.iter().filter_map(|name| name.strip_prefix("caller_")).map(str::to_owned).collect();
    assert!(!breaking.is_empty() && breaking.len() < cases.len(), "{breaking:?}");
    assert_eq!(does_not_compile, breaking, "left: cases whose change breaks the caller; right: cases the report calls breaking\n{stderr}");
}
