//! Overlays: corrections to the upstream spec, kept beside it in
//! [OpenAPI Overlay 1.0](https://spec.openapis.org/overlay/v1.0.0.html) files.
//!
//! An overlay is a YAML (or JSON) document:
//!
//! ```yaml
//! overlay: 1.0.0
//! info: {title: Functions dates, version: 1.0.0}
//! actions:
//!   - target: $.components.schemas.namespace_info.properties.created_at
//!     description: Why the upstream spec is wrong here.
//!     update: {format: date-time}
//!   - target: $.components.schemas.namespace_info.properties.legacy
//!     remove: true
//! ```
//!
//! Each action's `target` is an RFC 9535 JSONPath (evaluated by `serde_json_path`) into the
//! **bundled** document: the one [`crate::load`] produces and `cargo xtask bundle --out FILE`
//! writes, where every reusable component is hoisted under `#/components/<section>/<name>`.
//! An action does exactly one thing:
//!
//! - `remove: true` removes every node the target matches from its parent object or array;
//! - `update: VALUE` merges `VALUE` into every node the target matches. An object target takes
//!   an object: its members replace the target's members of the same name, except that an
//!   object member merged onto an object member is merged recursively; new members are
//!   appended. An array target gets `VALUE` appended. Any other target is an error.
//!
//! Overlays apply in file-name order after bundling, before the document is read as OpenAPI,
//! each action on the document the previous one left. A target that matches nothing is an
//! error, so that an overlay never outlives the upstream error it corrects unnoticed. Keys the
//! Overlay 1.0 specification does not define are errors too (a misspelt `remove` must not do
//! nothing), except `x-` extensions. `extends` is read and not used: the overlays always apply
//! to the spec the generator reads. [`Applied`] records what each action changed, for the
//! report.

mod apply;

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Error, Result};

pub use apply::apply;

/// One overlay file, checked.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The file it was read from, as given (for messages).
    pub path: PathBuf,
    /// The file's name alone (for the report, which must not depend on where the checkout is).
    pub name: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `extends`, when given (not used).
    pub extends: Option<String>,
    pub actions: Vec<Action>,
}

/// One action of an overlay.
#[derive(Debug, Clone)]
pub struct Action {
    /// The JSONPath as written.
    pub target: String,
    pub description: Option<String>,
    pub change: Change,
    path: JsonPath,
}

/// What an action does to each node its target matches.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into the node (an object), or append it (an array).
    Update(Value),
    /// Remove the node from its parent.
    Remove,
}

/// What one action did: the record the report lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The overlay's file name (`01-functions-dates.yaml`).
    pub file: String,
    /// The overlay's `info.title`.
    pub title: String,
    /// The action's number in its file, from 1.
    pub action: usize,
    pub description: Option<String>,
    pub target: String,
    /// `update` or `remove`.
    pub kind: &'static str,
    /// JSON pointers, in the bundled document, of the nodes updated or removed, in the order
    /// the target matched them.
    pub pointers: Vec<String>,
}

/// Reads every `*.yaml`, `*.yml` and `*.json` file of `dir`, in file-name order. A folder that
/// does not exist holds no overlays; other files are left alone.
pub fn read_dir(dir: &Path) -> Result<Vec<Overlay>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path: dir.to_path_buf(), source }),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|source| Error::Io { path: dir.to_path_buf(), source })?.path();
        let overlay_file = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"));
        if overlay_file && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    paths.iter().map(|path| Overlay::read(path)).collect()
}

impl Overlay {
    /// Reads and checks one overlay file.
    pub fn read(path: &Path) -> Result<Overlay> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Overlay::parse(&text, path)
    }

    /// Checks the text of an overlay; `path` names it in messages and decides the syntax
    /// (JSON for `*.json`, else YAML).
    pub fn parse(text: &str, path: &Path) -> Result<Overlay> {
        let doc = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(text).map_err(|e| error(path, None, None, format!("malformed JSON: {e}")))?
        } else {
            crate::load::yaml::parse(text, path).map_err(|e| match e {
                Error::Yaml { message, .. } => error(path, None, None, format!("malformed YAML: {message}")),
                other => other,
            })?
        };
        Overlay::from_value(&doc, path)
    }

    fn from_value(doc: &Value, path: &Path) -> Result<Overlay> {
        let fail = |message: String| error(path, None, None, message);
        let Value::Object(top) = doc else {
            return Err(fail(format!("not an overlay: the document is {}, not a mapping with `overlay: 1.0.0`", kind(doc))));
        };
        match top.get("overlay") {
            None => return Err(fail("not an overlay: no `overlay` key (expected `overlay: 1.0.0`)".into())),
            Some(Value::String(v)) if is_version_1_0(v) => {}
            Some(other) => return Err(fail(format!("`overlay` is {}; only Overlay 1.0.x is supported (`overlay: 1.0.0`)", shown(other)))),
        }
        unknown_keys(top, &["overlay", "info", "extends", "actions"], "").map_err(&fail)?;
        let info = match top.get("info") {
            Some(Value::Object(info)) => info,
            Some(other) => return Err(fail(format!("`info` is {}, not a mapping with `title` and `version`", kind(other)))),
            None => return Err(fail("no `info` (a mapping with `title` and `version`)".into())),
        };
        unknown_keys(info, &["title", "version"], "/info").map_err(&fail)?;
        let title = string(info, "title", "/info").map_err(&fail)?.ok_or_else(|| fail("no `info.title`".into()))?;
        let version = string(info, "version", "/info").map_err(&fail)?.ok_or_else(|| fail("no `info.version`".into()))?;
        let extends = string(top, "extends", "").map_err(&fail)?;
        let actions = match top.get("actions") {
            Some(Value::Array(actions)) if !actions.is_empty() => actions,
            Some(Value::Array(_)) => return Err(fail("`actions` is empty".into())),
            Some(other) => return Err(fail(format!("`actions` is {}, not a list", kind(other)))),
            None => return Err(fail("no `actions` (a non-empty list)".into())),
        };
        let actions = actions.iter().enumerate().map(|(i, action)| Action::from_value(action, path, i + 1)).collect::<Result<Vec<_>>>()?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(Overlay { path: path.to_path_buf(), name, title, version, extends, actions })
    }
}

impl Action {
    /// Checks the action numbered `number` (from 1) of the overlay at `path`.
    fn from_value(action: &Value, path: &Path, number: usize) -> Result<Action> {
        let at = format!("/actions/{}", number - 1);
        let Value::Object(fields) = action else {
            return Err(error(path, Some(number), None, format!("`{at}` is {}, not a mapping", kind(action))));
        };
        let target = match fields.get("target") {
            Some(Value::String(target)) => target.clone(),
            Some(other) => return Err(error(path, Some(number), None, format!("`{at}/target` is {}, not a JSONPath string", kind(other)))),
            None => return Err(error(path, Some(number), None, format!("`{at}` has no `target`"))),
        };
        let fail = |message: String| error(path, Some(number), Some(&target), message);
        unknown_keys(fields, &["target", "description", "update", "remove"], &at).map_err(&fail)?;
        let description = string(fields, "description", &at).map_err(&fail)?;
        let remove = match fields.get("remove") {
            None | Some(Value::Bool(false)) => false,
            Some(Value::Bool(true)) => true,
            Some(other) => return Err(fail(format!("`{at}/remove` is {}, not true or false", shown(other)))),
        };
        let change = match (fields.get("update"), remove) {
            (Some(update), false) => Change::Update(update.clone()),
            (None, true) => Change::Remove,
            (Some(_), true) => return Err(fail("has both `update` and `remove: true`; an action does one of them".into())),
            (None, false) => return Err(fail("has neither `update` nor `remove: true`; it would do nothing".into())),
        };
        let path = JsonPath::parse(&target).map_err(|e| fail(format!("the target is not a JSONPath (RFC 9535): {e}")))?;
        Ok(Action { target, description, change, path })
    }

    /// The parsed target.
    pub fn path(&self) -> &JsonPath {
        &self.path
    }
}

fn error(path: &Path, action: Option<usize>, target: Option<&str>, message: String) -> Error {
    Error::Overlay { file: path.to_path_buf(), action, target: target.map(str::to_owned), message }
}

/// `1.0.0`, `1.0.1`, ...: the Overlay versions this reader implements.
fn is_version_1_0(version: &str) -> bool {
    version.strip_prefix("1.0.").is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// The first key of `map` that is neither in `known` nor an `x-` extension, as an error message.
fn unknown_keys(map: &Map<String, Value>, known: &[&str], at: &str) -> Result<(), String> {
    match map.keys().find(|k| !known.contains(&k.as_str()) && !k.starts_with("x-")) {
        Some(key) => Err(format!(
            "unknown key `{key}` in `{}` (Overlay 1.0 knows {}, and `x-` extensions)",
            if at.is_empty() { "/" } else { at },
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )),
        None => Ok(()),
    }
}

/// The string member `key` of `map`, if present.
fn string(map: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, String> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("`{at}/{key}` is {}, not a string", kind(other))),
    }
}

/// `an object`, `a string`, ...: a value's JSON kind, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A scalar as written (`1.1`, `yes`), anything else by its kind.
fn shown(value: &Value) -> String {
    match value {
        Value::Array(_) | Value::Object(_) => kind(value).to_owned(),
        Value::String(s) => format!("`{s}`"),
        scalar => format!("`{scalar}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Overlay> {
        Overlay::parse(text, Path::new("o.yaml"))
    }

    #[test]
    fn a_minimal_overlay_reads() {
        let o = parse("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.a\n    remove: true\n  - target: $.b\n    description: d\n    update: {x: 1}\n    x-note: fine\n")
            .unwrap();
        assert_eq!(o.name, "o.yaml");
        assert_eq!(o.actions.len(), 2);
        assert_eq!(o.actions[0].change, Change::Remove);
        assert_eq!(o.actions[1].description.as_deref(), Some("d"));
    }

    #[test]
    fn versions_other_than_1_0_are_refused() {
        for version in ["1.1.0", "'1.0'", "1.0", "2.0.0", "1.0.x"] {
            let text = format!("overlay: {version}\ninfo: {{title: t, version: '1'}}\nactions: [{{target: $.a, remove: true}}]\n");
            let message = parse(&text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(message.contains("only Overlay 1.0.x"), "{version}: {message}");
        }
    }

    #[test]
    fn remove_false_alone_does_nothing_and_is_refused() {
        let message = parse("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions: [{target: $.a, remove: false}]\n")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("action 1 (target `$.a`)") && message.contains("neither"), "{message}");
    }
}
