//! Checks on the bundled document's `$ref`s: every one points at something, and no chain of
//! them loops back on itself.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::origins::Origins;
use super::pointer;
use crate::error::{Error, Location};

/// Checks every `$ref` left in `doc` (all local after bundling). `written` gives the reference
/// as it was written in the source, for messages.
pub fn refs(doc: &Value, origins: &Origins, written: &BTreeMap<String, String>) -> Result<(), Error> {
    let mut found = Vec::new();
    collect(doc, String::new(), &mut found);
    let mut settled = BTreeSet::new();
    for (at, reference) in &found {
        let mut chain = vec![at.clone()];
        // Where each pointer of the chain is in it: a chain of aliases can be long, and looking
        // each step up in the chain itself made checking it quadratic.
        let mut in_chain: BTreeMap<String, usize> = BTreeMap::from([(at.clone(), 0)]);
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
            if let Some(&start) = in_chain.get(target) {
                let looped: Vec<String> = chain[start..].iter().chain([&chain[start]]).map(|p| show(&origins.locate(p))).collect();
                let reason = format!("loop of $refs that only point at each other: {}", looped.join(" -> "));
                let at = chain[start].clone();
                return Err(Error::Ref { at: origins.locate(&at), reference: written.get(&at).cloned().unwrap_or_default(), reason });
            }
            in_chain.insert(target.to_string(), chain.len());
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_long_chain_of_aliases_is_checked_in_linear_time() {
        // 200,000 schemas, each a `$ref` to the next: quadratic, this took minutes.
        let n = 200_000;
        let mut schemas = serde_json::Map::new();
        for i in 0..n {
            schemas.insert(format!("a{i}"), json!({"$ref": format!("#/components/schemas/a{}", i + 1)}));
        }
        schemas.insert(format!("a{n}"), json!({"type": "string"}));
        let doc = json!({"paths": {"/x": {"$ref": "#/components/schemas/a0"}}, "components": {"schemas": schemas}});
        let started = std::time::Instant::now();
        let checked = refs(&doc, &Origins::default(), &BTreeMap::new());
        assert!(checked.is_ok(), "{checked:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "took {:?}", started.elapsed());
        // And a loop at the end of it is still found.
        schemas_loop(n);
    }

    fn schemas_loop(n: usize) {
        let mut schemas = serde_json::Map::new();
        for i in 0..n {
            schemas.insert(format!("a{i}"), json!({"$ref": format!("#/components/schemas/a{}", (i + 1) % n)}));
        }
        let doc = json!({"components": {"schemas": schemas}});
        let error = refs(&doc, &Origins::default(), &BTreeMap::new()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("loop of $refs"), "{}", &error[..error.len().min(300)]);
    }
}
