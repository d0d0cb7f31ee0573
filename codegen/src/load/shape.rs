//! The bundled document read as `openapiv3` types, with shape errors pinned to the node at fault.
//!
//! `serde_path_to_error` loses the path inside the many `#[serde(flatten)]` and untagged types of
//! `openapiv3` (everything under `paths` reports as `/paths`). So when the whole document fails,
//! the same role-aware view the bundler walks with is used to find the deepest node that fails on
//! its own, and the error is reported there.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::origins::Origins;
use super::pointer;
use super::role::{Kind, Role};
use crate::error::Error;
use openapiv3 as oa;

/// Reads `doc` as an OpenAPI document. Read without tracking the path first (tracking costs
/// time at every node); only a document that fails is read again to find where.
pub fn typed(doc: &Value, origins: &Origins) -> Result<oa::OpenAPI, Error> {
    if let Ok(api) = <oa::OpenAPI as serde::Deserialize>::deserialize(doc) {
        return Ok(api);
    }
    match serde_path_to_error::deserialize::<_, oa::OpenAPI>(doc) {
        Ok(api) => Ok(api),
        Err(e) => {
            let whole = (path_pointer(e.path()), e.inner().to_string());
            let (at, message) = first_error(doc, Role::One(Kind::Document), "").unwrap_or(whole);
            Err(Error::Shape { at: origins.locate(&at), message: format!("{message} (bundled document at #{at})") })
        }
    }
}

/// The pointer and message of the deepest node under `at` that fails to read as its role's type.
fn first_error(node: &Value, role: Role, at: &str) -> Option<(String, String)> {
    let own = match role {
        Role::One(kind) => attempt_kind(node, kind),
        Role::MapOf(_) | Role::ListOf(_) => None,
    };
    if matches!(role, Role::One(_)) && own.is_none() {
        return None;
    }
    let deeper = match node {
        Value::Object(map) => map.iter().find_map(|(key, child)| first_error(child, role.child(key), &pointer::push(at, key))),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| first_error(child, role.item(), &pointer::push_index(at, i))),
        _ => None,
    };
    deeper.or_else(|| own.map(|(inner, message)| (format!("{at}{inner}"), message)))
}

fn attempt_kind(node: &Value, kind: Kind) -> Option<(String, String)> {
    match kind {
        Kind::Document => attempt::<oa::OpenAPI>(node),
        Kind::Components => attempt::<oa::Components>(node),
        Kind::PathItem => attempt_ref::<oa::PathItem>(node),
        Kind::Operation => attempt::<oa::Operation>(node),
        Kind::Responses => attempt::<oa::Responses>(node),
        Kind::Response => attempt_ref::<oa::Response>(node),
        Kind::Parameter => attempt_ref::<oa::Parameter>(node),
        Kind::Header => attempt_ref::<oa::Header>(node),
        Kind::Schema => attempt_ref::<oa::Schema>(node),
        Kind::MediaType => attempt::<oa::MediaType>(node),
        Kind::RequestBody => attempt_ref::<oa::RequestBody>(node),
        Kind::Example => attempt_ref::<oa::Example>(node),
        Kind::Link => attempt_ref::<oa::Link>(node),
        Kind::SecurityScheme => attempt_ref::<oa::SecurityScheme>(node),
        Kind::Callback => attempt_ref::<oa::Callback>(node),
        Kind::Encoding => attempt::<oa::Encoding>(node),
        Kind::Discriminator => attempt::<oa::Discriminator>(node),
        Kind::Mapping | Kind::Any => None,
    }
}

/// A `$ref` object is read as a reference; anything else as the type itself, which gives a
/// sharper message than "did not match any variant of untagged enum ReferenceOr".
fn attempt_ref<T: DeserializeOwned>(node: &Value) -> Option<(String, String)> {
    if node.get("$ref").is_some() {
        attempt::<oa::ReferenceOr<T>>(node)
    } else {
        attempt::<T>(node)
    }
}

fn attempt<T: DeserializeOwned>(node: &Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(node).err().map(|e| (path_pointer(e.path()), e.inner().to_string()))
}

fn path_pointer(path: &serde_path_to_error::Path) -> String {
    let mut at = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Map { key } => at = pointer::push(&at, key),
            serde_path_to_error::Segment::Seq { index } => at = pointer::push_index(&at, *index),
            _ => {}
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn error_at(doc: Value) -> Option<(String, String)> {
        first_error(&doc, Role::One(Kind::Document), "")
    }

    #[test]
    fn deep_errors_are_found_below_flattened_types() {
        let doc = json!({
            "openapi": "3.0.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"type": "object", "properties": {"a": {"type": 5}}}}}}}}}}
        });
        let (at, _) = error_at(doc).unwrap_or_default();
        assert!(at.starts_with("/paths/~1x/get/responses/200/content/application~1json/schema/properties/a"), "{at}");
    }

    #[test]
    fn a_valid_document_has_no_error() {
        let doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        assert_eq!(error_at(doc), None);
    }
}
