//! `cargo xtask fuzz-corpus`: the seed corpora of the generator's fuzz targets (`codegen/fuzz/`),
//! built from the spec at run time into a git-ignored folder (never committed: the spec is
//! upstream data beside the checkout).
//!
//! - `load_one/`: every YAML file of the spec tree as it is, and every operation's excerpt;
//! - `load_tree/`: per operation, a small tree: an entry file whose one path is a `$ref` to the
//!   operation's file, and every file that file reaches, at their real relative paths, written
//!   as one input in the format the `load_tree` target reads (a `#> path` line before each file);
//! - `lower_emit/`: per operation, its excerpt of the bundled spec (the operation and every
//!   component it reaches) as one YAML file.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

/// The line that starts a file inside a `load_tree` input: `#> ` and the file's relative path.
pub const FILE_MARKER: &str = "#> ";

/// A tree larger than this (files or bytes) is left out of the `load_tree` seeds.
const MAX_TREE_FILES: usize = 24;
const MAX_TREE_BYTES: usize = 96 * 1024;

/// How many seeds went into each corpus.
#[derive(Debug, Default)]
pub struct Counts {
    pub load_one: usize,
    pub load_tree: usize,
    pub lower_emit: usize,
}

/// Writes the three corpora under `out`, from the spec tree whose entry file is `entry`.
pub fn build(entry: &Path, out: &Path) -> Result<Counts, Box<dyn std::error::Error>> {
    let root = entry.parent().ok_or("the spec's entry file has no folder")?;
    let spec = codegen::load::load(entry)?;
    let entry_text = read(entry)?;
    let entry_doc = codegen::load::parse_yaml(&entry_text, entry)?;
    let mut counts = Counts::default();
    let dirs = ["load_one", "load_tree", "lower_emit"].map(|d| out.join(d));
    for dir in &dirs {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }

    let mut files = Vec::new();
    yaml_files(root, &mut files);
    files.sort();
    for (i, file) in files.iter().enumerate() {
        std::fs::copy(file, dirs[0].join(format!("file-{i:04}.yaml")))?;
        counts.load_one += 1;
    }

    let paths = entry_doc.get("paths").and_then(Value::as_object).ok_or("the entry file has no paths")?;
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for (method, op) in item {
            let Some(Value::String(reference)) = op.get("$ref") else { continue };
            let Some(op_file) = normalize(Path::new(reference.split('#').next().unwrap_or(""))) else { continue };
            let id = operation_id(&root.join(&op_file)).unwrap_or_else(|| format!("{method}-{path}"));
            let name = seed_name(&id);
            if let Some(tree) = tree_seed(root, path, method, &op_file)? {
                std::fs::write(dirs[1].join(&name), tree)?;
                counts.load_tree += 1;
            }
            if let Some(cut) = codegen::excerpt::excerpt(&spec.raw, &[id.as_str()]) {
                let text = yaml_text(&cut);
                std::fs::write(dirs[0].join(format!("excerpt-{name}")), &text)?;
                std::fs::write(dirs[2].join(&name), &text)?;
                counts.load_one += 1;
                counts.lower_emit += 1;
            }
        }
    }
    Ok(counts)
}

fn read(path: &Path) -> Result<String, Box<dyn std::error::Error>> {
    Ok(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?)
}

/// A document as block YAML (one key per line mutates more usefully than one line of JSON).
fn yaml_text(doc: &Value) -> String {
    let mut out = String::new();
    block(doc, 0, &mut out);
    out
}

/// A plain block-style YAML writer: every scalar quoted as JSON (which YAML reads back as is).
fn block(node: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Value::Object(map) if !map.is_empty() => {
            for (key, value) in map {
                let key = Value::String(key.clone()).to_string();
                match value {
                    Value::Object(m) if !m.is_empty() => {
                        let _ = writeln!(out, "{pad}{key}:");
                        block(value, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        let _ = writeln!(out, "{pad}{key}:");
                        block(value, indent + 2, out);
                    }
                    _ => {
                        let _ = writeln!(out, "{pad}{key}: {value}");
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                match item {
                    Value::Object(m) if !m.is_empty() => {
                        let _ = writeln!(out, "{pad}-");
                        block(item, indent + 2, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        let _ = writeln!(out, "{pad}-");
                        block(item, indent + 2, out);
                    }
                    _ => {
                        let _ = writeln!(out, "{pad}- {item}");
                    }
                }
            }
        }
        other => {
            let _ = writeln!(out, "{pad}{other}");
        }
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

fn operation_id(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let doc = codegen::load::parse_yaml(&text, file).ok()?;
    doc.get("operationId").and_then(Value::as_str).map(str::to_owned)
}

fn seed_name(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect::<String>() + ".yaml"
}

/// The `load_tree` input for one operation, or `None` when its tree is too large.
fn tree_seed(root: &Path, path: &str, method: &str, op_file: &Path) -> Result<Option<String>, Box<dyn std::error::Error>> {
    let mut reached = BTreeSet::new();
    let mut todo = vec![op_file.to_path_buf()];
    while let Some(file) = todo.pop() {
        if !reached.insert(file.clone()) || reached.len() > MAX_TREE_FILES {
            continue;
        }
        let text = read(&root.join(&file))?;
        let doc = codegen::load::parse_yaml(&text, &file)?;
        let mut refs = Vec::new();
        references(&doc, &mut refs);
        let folder = file.parent().unwrap_or(Path::new(""));
        for reference in refs {
            let target = reference.split('#').next().unwrap_or("");
            if target.is_empty() || target.contains(':') {
                continue;
            }
            if let Some(next) = normalize(&folder.join(target)) {
                todo.push(next);
            }
        }
    }
    if reached.len() > MAX_TREE_FILES {
        return Ok(None);
    }
    let op = op_file.display().to_string();
    let mut seed = format!(
        "{FILE_MARKER}openapi.yaml\nopenapi: \"3.0.0\"\ninfo:\n  title: fuzz tree\n  version: \"1.0\"\npaths:\n  {}:\n    {method}:\n      $ref: {}\ncomponents:\n  securitySchemes:\n    bearer_auth:\n      type: http\n      scheme: bearer\n",
        Value::String(path.to_owned()),
        Value::String(op),
    );
    for file in &reached {
        let text = read(&root.join(file))?;
        let _ = write!(seed, "{FILE_MARKER}{}\n{text}", file.display());
        if !text.ends_with('\n') {
            seed.push('\n');
        }
    }
    Ok((seed.len() <= MAX_TREE_BYTES).then_some(seed))
}

/// Every `$ref` value and discriminator mapping value under `node` that may name a file.
fn references(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    ("mapping", Value::Object(m)) => out.extend(m.values().filter_map(Value::as_str).map(str::to_owned)),
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| references(i, out)),
        _ => {}
    }
}

fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}
