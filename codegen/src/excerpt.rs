//! A small self-contained document cut from a bundled one: some operations and every component
//! they reach. The fuzz targets and the mutation test start from such excerpts of the real spec,
//! so that each input is a real operation with its real schemas, small enough to generate in
//! milliseconds.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::load::pointer;

/// The operations of `doc` (a bundled document, every `$ref` local) whose `operationId` is in
/// `operation_ids`, as a document of their own: the top-level keys as they are (`tags` cut to
/// the tags these operations use), their path items with only those operations, and every
/// component reached by a `$ref` or a discriminator mapping from them (security schemes whole).
/// `None` when no operation matches.
pub fn excerpt(doc: &Value, operation_ids: &[&str]) -> Option<Value> {
    let paths = doc.get("paths")?.as_object()?;
    let mut kept_paths = Map::new();
    let mut used_tags = BTreeSet::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        let mut kept = Map::new();
        let mut any = false;
        for (key, value) in item {
            let id = value.get("operationId").and_then(Value::as_str);
            match id {
                Some(id) if operation_ids.contains(&id) => {
                    any = true;
                    for tag in value.get("tags").and_then(Value::as_array).into_iter().flatten() {
                        if let Some(tag) = tag.as_str() {
                            used_tags.insert(tag.to_owned());
                        }
                    }
                    kept.insert(key.clone(), value.clone());
                }
                Some(_) => {}
                None if !is_method(key) => {
                    kept.insert(key.clone(), value.clone());
                }
                None => {}
            }
        }
        if any {
            kept_paths.insert(path.clone(), Value::Object(kept));
        }
    }
    if kept_paths.is_empty() {
        return None;
    }
    let mut out = Map::new();
    for (key, value) in doc.as_object()? {
        match key.as_str() {
            "paths" => {
                out.insert(key.clone(), Value::Object(std::mem::take(&mut kept_paths)));
            }
            "components" => {}
            "tags" => {
                let tags = value.as_array().into_iter().flatten();
                let kept: Vec<Value> =
                    tags.filter(|t| t.get("name").and_then(Value::as_str).is_some_and(|n| used_tags.contains(n))).cloned().collect();
                out.insert(key.clone(), Value::Array(kept));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    out.insert("components".to_owned(), Value::Object(components(doc, &out)));
    Some(Value::Object(out))
}

fn is_method(key: &str) -> bool {
    matches!(key, "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
}

/// Every component reached from `start` (transitively), in the sections of `doc`'s components.
fn components(doc: &Value, start: &Map<String, Value>) -> Map<String, Value> {
    let mut out: Map<String, Value> = Map::new();
    if let Some(schemes) = doc.pointer("/components/securitySchemes") {
        out.insert("securitySchemes".to_owned(), schemes.clone());
    }
    let mut todo = Vec::new();
    start.values().for_each(|v| references(v, &mut todo));
    let mut seen = BTreeSet::new();
    while let Some(reference) = todo.pop() {
        let Some((section, name)) = component_of(&reference) else { continue };
        if !seen.insert((section.clone(), name.clone())) {
            continue;
        }
        let at = pointer::push(&pointer::push("/components", &section), &name);
        let Some(node) = pointer::get(doc, &at) else { continue };
        references(node, &mut todo);
        let slot = out.entry(section).or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(slot) = slot {
            slot.insert(name, node.clone());
        }
    }
    // Spec order within each section would need the source's order; sorted is as good and stable.
    for section in out.values_mut() {
        if let Value::Object(entries) = section {
            entries.sort_keys();
        }
    }
    out
}

/// Every `$ref` string and discriminator mapping value under `node`.
fn references(node: &Value, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(reference)) => out.push(reference.clone()),
                    ("mapping", Value::Object(mapping)) => {
                        out.extend(mapping.values().filter_map(Value::as_str).map(str::to_owned));
                        references(value, out);
                    }
                    _ => references(value, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

/// `#/components/schemas/a~1b/...` → (`schemas`, `a/b`).
fn component_of(reference: &str) -> Option<(String, String)> {
    pointer::component(reference).map(|c| (c.section, c.name))
}

#[cfg(test)]
mod tests {
    use super::excerpt;
    use serde_json::json;

    #[test]
    fn keeps_the_operations_and_what_they_reach() {
        let doc = json!({
            "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "tags": [{"name": "A"}, {"name": "B"}],
            "paths": {
                "/a": {"parameters": [{"$ref": "#/components/parameters/p"}],
                       "get": {"operationId": "a", "tags": ["A"], "responses": {"200": {"$ref": "#/components/responses/r"}}},
                       "post": {"operationId": "b", "tags": ["B"], "responses": {}}},
                "/c": {"get": {"operationId": "c", "tags": ["B"], "responses": {}}}
            },
            "components": {
                "parameters": {"p": {"name": "p", "in": "query"}},
                "responses": {"r": {"description": "d", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/x"}}}}},
                "schemas": {"x": {"oneOf": [{"$ref": "#/components/schemas/y"}], "discriminator": {"propertyName": "k", "mapping": {"z": "#/components/schemas/z"}}},
                            "y": {"type": "string"}, "z": {"type": "object"}, "unused": {"type": "integer"}}
            }
        });
        let cut = excerpt(&doc, &["a"]).unwrap_or_default();
        assert_eq!(cut["tags"], json!([{"name": "A"}]));
        assert_eq!(cut["paths"].as_object().map(|p| p.len()), Some(1));
        assert!(cut["paths"]["/a"].get("post").is_none() && cut["paths"]["/a"].get("parameters").is_some());
        let schemas: Vec<&String> = cut["components"]["schemas"].as_object().map(|s| s.keys().collect()).unwrap_or_default();
        assert_eq!(schemas, ["x", "y", "z"]);
        assert!(cut["components"]["parameters"].get("p").is_some() && cut["components"]["responses"].get("r").is_some());
        assert_eq!(excerpt(&doc, &["nothing"]), None);
    }
}
