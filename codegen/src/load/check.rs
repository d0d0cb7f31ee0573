//! Checks on the bundled document's `$ref`s: every one points at something, and no chain of
//! them loops back on itself.

use std::collections::BTreeSet;

use serde_json::Value;

use super::origins::Origins;
use super::pointer;
use crate::error::{Error, Location};

/// Checks every `$ref` left in `doc` (all local after bundling). `written` gives the reference
/// as it was written in the source, for messages.
pub fn refs(doc: &Value, origins: &Origins, written: &std::collections::BTreeMap<String, String>) -> Result<(), Error> {
    let mut found = Vec::new();
    collect(doc, String::new(), &mut found);
    let mut settled = BTreeSet::new();
    for (at, reference) in &found {
        let mut chain = vec![at.clone()];
        let mut current = reference.clone();
        loop {
            let bad = |reason: String| Error::Ref {
                at: origins.locate(chain.last().map(String::as_str).unwrap_or("")),
                reference: written.get(chain.last().map(String::as_str).unwrap_or("")).cloned().unwrap_or(current.clone()),
                reason,
            };
            let Some(target) = current.strip_prefix('#') else {
                return Err(bad("a $ref left unresolved after bundling".to_string()));
            };
            let Some(node) = pointer::get(doc, target) else {
                return Err(bad(format!("the bundled document has nothing at `{target}`")));
            };
            if settled.contains(target) {
                break;
            }
            let Some(next) = node.get("$ref").and_then(Value::as_str) else {
                break;
            };
            if let Some(start) = chain.iter().position(|p| p == target) {
                let looped: Vec<String> = chain[start..].iter().chain([&chain[start]]).map(|p| show(&origins.locate(p))).collect();
                let reason = format!("loop of $refs that only point at each other: {}", looped.join(" -> "));
                let at = chain[start].clone();
                return Err(Error::Ref {
                    at: origins.locate(&at),
                    reference: written.get(&at).cloned().unwrap_or_default(),
                    reason,
                });
            }
            chain.push(target.to_string());
            current = next.to_string();
        }
        settled.extend(chain);
    }
    Ok(())
}

fn show(at: &Location) -> String {
    if at.pointer.is_empty() {
        at.file.display().to_string()
    } else {
        at.to_string()
    }
}

fn collect(node: &Value, at: String, found: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.push((at.clone(), reference.clone()));
            }
            for (key, value) in map {
                collect(value, pointer::push(&at, key), found);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, pointer::push_index(&at, i), found);
            }
        }
        _ => {}
    }
}
