//! The generated crate's layout on the whole spec: no Rust file is too long to review; a tag
//! whose methods pass `MAX_LINES` is split into `apis/<tag>.rs` and `<tag>_<first method>.rs`,
//! each operation's methods in exactly one part, and `apis/mod.rs` declares every part. The
//! manifest (`api/*.json`) is split the same way. Moving the pin changes two files.

use std::path::Path;

use codegen::emit::MAX_LINES;
use codegen::{load, File, Selection};

fn files() -> Vec<File> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = codegen::source::load_workspace_spec(&root).unwrap();
    codegen::generate(&spec, &Selection::default(), "test").unwrap().files
}

fn file<'a>(files: &'a [File], path: &str) -> &'a str {
    &files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}")).contents
}

#[test]
fn no_rust_file_passes_the_line_limit_and_long_tags_are_split() {
    let files = files();
    // The header and the docs of a part come on top of its items.
    let long: Vec<(usize, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".rs") || f.path.starts_with("api/"))
        .map(|f| (f.contents.lines().count(), f.path.as_str()))
        .filter(|(lines, _)| *lines > MAX_LINES + 10)
        .collect();
    assert_eq!(long, Vec::<(usize, &str)>::new(), "files over {MAX_LINES} lines");

    // The GradientAI Platform's operations (about 13,000 lines with their builders and samples)
    // are in several parts; the first re-exports the builders of the others.
    let mut parts: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| *p == "src/apis/gradientai_platform.rs" || p.starts_with("src/apis/gradientai_platform_"))
        .collect();
    parts.sort_by_key(|p| (p.len(), *p));
    assert!(parts.len() >= 4, "{parts:?}");
    let mod_rs = file(&files, "src/apis/mod.rs");
    let texts: Vec<&str> = parts.iter().map(|p| file(&files, p)).collect();
    for (i, part) in parts.iter().enumerate().skip(1) {
        // Each further part is named after its first method, never numbered.
        let module = part.trim_start_matches("src/apis/").trim_end_matches(".rs");
        let first = texts[i].split("\n    pub fn ").nth(1).and_then(|rest| rest.split('(').next()).unwrap_or_default();
        assert_eq!(module, format!("gradientai_platform_{first}"));
        assert!(mod_rs.contains(&format!("#[cfg(feature = \"gradientai_platform\")]\nmod {module};")), "{mod_rs}");
        assert!(texts[0].contains(&format!("pub use super::{module}::*;")), "{}", texts[0]);
        // No part number in a part's text: a part that keeps its items keeps its text.
        assert!(texts[i].contains("//! More operations of [`GradientAiPlatform`] (those tagged `GradientAI Platform`)."), "{}", texts[i]);
        assert!(texts[i].contains("use super::gradientai_platform::GradientAiPlatform;\n\nimpl<'a> GradientAiPlatform<'a> {\n"));
    }
    assert!(texts[0].contains("pub struct GradientAiPlatform<'a> {\n    pub(super) client: &'a rt::Client,"), "{}", texts[0]);

    // Every operation's plain method is in exactly one part.
    let manifest = file(&files, "api/gradientai_platform.json");
    let api: serde_json::Value = serde_json::from_str(manifest).unwrap();
    let methods: Vec<String> = api["operations"]
        .as_array()
        .unwrap_or_else(|| panic!("no operations"))
        .iter()
        .filter(|op| op["tag"] == "GradientAI Platform")
        .filter_map(|op| op["rust"].as_str()?.strip_prefix("gradientai_platform().").map(str::to_owned))
        .collect();
    assert!(methods.len() > 100, "{}", methods.len());
    let all = texts.join("\n");
    for method in &methods {
        let needle = format!("    pub fn {method}(");
        assert_eq!(all.matches(&needle).count(), 1, "{method}");
    }
    // A tag that fits stays one file, whose client field is private.
    assert!(file(&files, "src/apis/functions.rs").contains("pub struct Functions<'a> {\n    client: &'a rt::Client,"));
    assert!(!files.iter().any(|f| f.path.starts_with("src/apis/functions_")));
}

#[test]
fn moving_the_pin_changes_the_crate_docs_and_api_md_only() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = codegen::source::find(None, &root).unwrap();
    let spec = load::load(&path).unwrap();
    let generate = |commit: &str| {
        let settings = codegen::Settings {
            source: format!("https://example.com/openapi at commit {commit}"),
            ..codegen::Settings::with_header(&codegen::header("test"))
        };
        codegen::generate_with(&spec, &Selection::default(), &settings).unwrap().files
    };
    let (before, after) = (generate("1111111"), generate("2222222"));
    assert_eq!(before.len(), after.len());
    let changed: Vec<&str> = before.iter().zip(&after).filter(|(b, a)| b.contents != a.contents).map(|(b, _)| b.path.as_str()).collect();
    assert_eq!(changed, ["src/lib.rs", "API.md"]);
    assert!(file(&after, "src/lib.rs")
        .contains("//! Generated from the DigitalOcean OpenAPI description: `https://example.com/openapi at commit 2222222`."));
}
