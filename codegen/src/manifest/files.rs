//! The manifest as files, each short enough to review: `api/index.json` (the format, the
//! versions and the list of parts) and one part per module of the generated crate,
//! `api/<module>.json` (split past [`MAX_LINES`] as the code is, into `<module>_<first item>.json`),
//! holding the operations of that tag and the types whose home it is (as in `src/models/`).

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{located, write_value, Manifest, Operation, Type, FORMAT};
use crate::error::{Error, Result};
use crate::pack::MAX_LINES;
use crate::File;

/// The folder of the manifest in the generated crate.
pub const DIR: &str = "api";
/// The manifest's index, in the generated crate.
pub const INDEX: &str = "api/index.json";

#[derive(Serialize, Deserialize)]
struct Index {
    format: u32,
    crate_version: String,
    api_title: String,
    api_version: String,
    /// The parts, `api/<part>.json`, in order.
    parts: Vec<String>,
}

/// A part as it is read (written by [`part_text`]).
#[derive(Deserialize, Default)]
struct Part {
    operations: Vec<Operation>,
    types: Vec<Type>,
}

impl Manifest {
    /// The manifest as the files under [`DIR`]; `home` gives the module of each type (by Rust
    /// name; `shared` for one it does not name).
    pub fn to_files(&self, home: &BTreeMap<String, String>) -> Vec<File> {
        let mut modules: BTreeMap<&str, (Vec<&Operation>, Vec<&Type>)> = BTreeMap::new();
        for op in &self.operations {
            modules.entry(&op.feature).or_default().0.push(op);
        }
        for ty in &self.types {
            modules.entry(home.get(&ty.name).map_or("shared", String::as_str)).or_default().1.push(ty);
        }
        let mut files = Vec::new();
        let mut parts = Vec::new();
        let mut taken: std::collections::BTreeSet<String> = modules.keys().map(|m| (*m).to_owned()).collect();
        for (module, (operations, types)) in modules {
            let split = split(operations, types);
            // Later parts are named after their first operation or type (see `emit::pack`).
            let first = |(ops, types): &(Vec<Item<'_>>, Vec<Item<'_>>)| match (ops.first(), types.first()) {
                (Some((_, Ok(op))), _) => op.id.to_snake_case(),
                (None, Some((_, Err(ty)))) => ty.name.to_snake_case(),
                _ => String::new(),
            };
            let names = crate::pack::part_names(module, &split, first, &mut taken);
            for ((operations, types), name) in split.into_iter().zip(names) {
                files.push(File { path: format!("{DIR}/{name}.json"), contents: part_text(&operations, &types) });
                parts.push(name);
            }
        }
        let index = Index {
            format: self.format,
            crate_version: self.crate_version.clone(),
            api_title: self.api_title.clone(),
            api_version: self.api_version.clone(),
            parts,
        };
        files.insert(0, File { path: INDEX.to_owned(), contents: text(&index) });
        files
    }

    /// Reads the manifest from its files: `read` gives the text of a path under the generated
    /// crate (`api/index.json`, then each part). An error names the file and the place in it.
    pub fn from_files(read: impl Fn(&str) -> std::io::Result<String>) -> Result<Manifest> {
        let load = |path: &str| read(path).map_err(|e| Error::Manifest { at: path.to_owned(), message: e.to_string() });
        let index: Index = located(&load(INDEX)?, INDEX)?;
        if index.format != FORMAT {
            let message = format!("format {} is not the one this generator reads ({FORMAT}): regenerate it", index.format);
            return Err(Error::Manifest { at: format!("{INDEX}: `format`"), message });
        }
        let mut manifest = Manifest {
            format: index.format,
            crate_version: index.crate_version,
            api_title: index.api_title,
            api_version: index.api_version,
            operations: Vec::new(),
            types: Vec::new(),
        };
        for name in &index.parts {
            let path = format!("{DIR}/{name}.json");
            let part: Part = located(&load(&path)?, &path)?;
            manifest.operations.extend(part.operations);
            manifest.types.extend(part.types);
        }
        manifest.operations.sort_by(|a, b| a.id.cmp(&b.id));
        manifest.types.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(manifest)
    }
}

/// An item of a part, its text as it stands in the part (each written once: the text gives the
/// item's lines for [`split`], then goes into the part as it is).
type Item<'a> = (String, Result<&'a Operation, &'a Type>);

/// A module's operations and types into parts of at most [`MAX_LINES`] lines, operations first,
/// cut where `emit::pack` cuts (an item added or removed moves few others).
fn split<'a>(operations: Vec<&'a Operation>, types: Vec<&'a Type>) -> Vec<(Vec<Item<'a>>, Vec<Item<'a>>)> {
    let items: Vec<(String, usize, Item<'a>)> = operations
        .into_iter()
        .map(|op| (format!("operation {}", op.id), item_text(op), Ok(op)))
        .chain(types.into_iter().map(|ty| (format!("type {}", ty.name), item_text(ty), Err(ty))))
        .map(|(key, text, item)| (key, text.lines().count(), (text, item)))
        .collect();
    crate::pack::split(items, MAX_LINES, |(key, lines, _)| (key.as_str(), *lines))
        .into_iter()
        .map(|part| {
            let (mut operations, mut types) = (Vec::new(), Vec::new());
            for (_, _, item) in part {
                match item.1 {
                    Ok(_) => operations.push(item),
                    Err(_) => types.push(item),
                }
            }
            (operations, types)
        })
        .collect()
}

/// How deep an item stands in its part: `{"operations": [<item>, ...], ...}`.
const ITEM_INDENT: usize = 2;

/// An operation's or a type's JSON as it stands in a part.
fn item_text(item: &impl Serialize) -> String {
    // Serializing plain structs of strings, numbers and booleans cannot fail.
    let value = serde_json::to_value(item).unwrap_or(Value::Null);
    let mut out = String::new();
    write_value(&value, ITEM_INDENT, &mut out);
    out
}

/// The text of a part (`Part` written by [`text`]) from its items' texts.
fn part_text(operations: &[Item<'_>], types: &[Item<'_>]) -> String {
    let mut out = String::from("{\n");
    for (key, items, last) in [("operations", operations, false), ("types", types, true)] {
        out.push_str(&format!("  \"{key}\": "));
        if items.is_empty() {
            out.push_str("[]");
        } else {
            out.push_str("[\n");
            for (i, (text, _)) in items.iter().enumerate() {
                out.push_str("    ");
                out.push_str(text);
                out.push_str(if i + 1 == items.len() { "\n" } else { ",\n" });
            }
            out.push_str("  ]");
        }
        out.push_str(if last { "\n" } else { ",\n" });
    }
    out.push_str("}\n");
    out
}

/// Deterministic JSON, one line per object of scalars, ending with a newline.
fn text(value: &impl Serialize) -> String {
    // Serializing plain structs of strings, numbers and booleans cannot fail.
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    let mut out = String::new();
    write_value(&value, 0, &mut out);
    out.push('\n');
    out
}
