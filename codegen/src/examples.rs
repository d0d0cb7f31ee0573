//! Every JSON example the spec gives, with the IR type it should decode as (for tests).
//!
//! Collected from the bundled document (`Spec::raw`) at the pointers the IR records: the
//! `example` of each type's schema and of each struct field's schema, the `example` and
//! `examples/*/value` of each parameter, and the `example` and `examples/*/value` of each
//! request body and JSON success answer (an `examples` entry may be a `$ref` into
//! `#/components/examples`, which is followed).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::ir::{self, Answer, Success, TypeKind, TypeRef};
use crate::load::{self, pointer};

/// One example: where its value is in the bundled document, and the type it should decode as.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// JSON pointer of the example's value in the bundled document.
    pub pointer: String,
    pub ty: TypeRef,
    pub value: Value,
}

/// Every example of the spec that the lowered `api` gives a type to: types first (by name,
/// each followed by its fields), then operations (in the API's order: parameters, body,
/// answers). An example reached twice with the same type is listed once.
pub fn collect(spec: &load::Spec, api: &ir::Api) -> Vec<Example> {
    let mut out = Collector { raw: &spec.raw, seen: BTreeSet::new(), examples: Vec::new() };
    for def in api.types.values() {
        let named = TypeRef::Named(def.name.clone());
        out.schema_example(&def.origin, &named);
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                out.schema_example(&field.origin, &field.ty);
            }
        }
    }
    for tag in &api.tags {
        for op in &tag.operations {
            for param in &op.params {
                out.media_examples(&param.origin, &param.ty);
            }
            if let Some(body) = &op.body {
                out.media_examples(&body.origin, &body.ty);
            }
            let answers: Vec<&Answer> = match &op.success {
                Success::One(answer) => vec![answer],
                Success::ByStatus { variants, .. } => variants.iter().map(|v| &v.answer).collect(),
            };
            for answer in answers {
                if let Answer::Json { ty, origin } = answer {
                    out.media_examples(origin, ty);
                }
            }
        }
    }
    out.examples
}

struct Collector<'a> {
    raw: &'a Value,
    seen: BTreeSet<(String, String)>,
    examples: Vec<Example>,
}

impl<'a> Collector<'a> {
    fn push(&mut self, at: String, ty: &TypeRef, value: &Value) {
        if self.seen.insert((at.clone(), format!("{ty:?}"))) {
            self.examples.push(Example { pointer: at, ty: ty.clone(), value: value.clone() });
        }
    }

    /// A schema's `example`.
    fn schema_example(&mut self, origin: &str, ty: &TypeRef) {
        let Some((at, node)) = resolve(self.raw, origin) else { return };
        if let Some(value) = node.get("example") {
            self.push(pointer::push(&at, "example"), ty, value);
        }
    }

    /// The `example` and `examples/*/value` of a parameter or a media type object.
    fn media_examples(&mut self, origin: &str, ty: &TypeRef) {
        for (at, value) in media_values(self.raw, origin) {
            self.push(at, ty, value);
        }
    }
}

/// The node at `at` in `raw`, following a local `$ref` (a few hops at most), with its pointer.
pub(crate) fn resolve<'a>(raw: &'a Value, at: &str) -> Option<(String, &'a Value)> {
    let mut at = at.strip_prefix('#').unwrap_or(at).to_string();
    for _ in 0..8 {
        let node = pointer::get(raw, &at)?;
        match node.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with('#') => at = target[1..].to_string(),
            _ => return Some((at, node)),
        }
    }
    None
}

/// The `example` and `examples/*/value` of a parameter or a media type object, with their
/// pointers, in the spec's order.
pub(crate) fn media_values<'a>(raw: &'a Value, origin: &str) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    let Some((at, node)) = resolve(raw, origin) else { return out };
    if let Some(value) = node.get("example") {
        out.push((pointer::push(&at, "example"), value));
    }
    let Some(Value::Object(examples)) = node.get("examples") else { return out };
    let base = pointer::push(&at, "examples");
    for name in examples.keys() {
        let Some((entry_at, entry)) = resolve(raw, &pointer::push(&base, name)) else { continue };
        if let Some(value) = entry.get("value") {
            out.push((pointer::push(&entry_at, "value"), value));
        }
    }
    out
}

/// One documented error answer of an operation: what a mock server sends for
/// `Prefer: code=<status>[, example=<name>]`, and the body it sends.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorAnswer {
    /// The operation id.
    pub operation: String,
    /// The status, or `None` for the operation's `default` answer (any status it does not list).
    pub status: Option<u16>,
    /// The name of the example, when the answer lists them under `examples`.
    pub example: Option<String>,
    /// JSON pointer of the body's example (or of the schema it is made from) in the bundled
    /// document; of the response when it has no JSON content.
    pub pointer: String,
    /// The body: the example, else one made of the schema's examples; `None` when the answer has
    /// no JSON content.
    pub body: Option<Value>,
    /// The headers the answer declares, lower-case.
    pub headers: Vec<String>,
}

/// Every documented error answer (4xx, 5xx and `default`) of every operation of `api`, in the
/// API's order and each operation's response order; an answer with several named examples once
/// per example.
pub fn error_answers(spec: &load::Spec, api: &ir::Api) -> Vec<ErrorAnswer> {
    let raw = &spec.raw;
    let mut out = Vec::new();
    for op in api.tags.iter().flat_map(|tag| &tag.operations) {
        let Some((at, node)) = resolve(raw, &op.origin) else { continue };
        let Some(Value::Object(responses)) = node.get("responses") else { continue };
        for key in responses.keys() {
            let status = match key.as_str() {
                "default" => None,
                code => match code.parse::<u16>() {
                    Ok(code @ 400..=599) => Some(code),
                    _ => continue,
                },
            };
            let Some((response_at, response)) = resolve(raw, &pointer::push(&pointer::push(&at, "responses"), key)) else {
                continue;
            };
            let headers = match response.get("headers") {
                Some(Value::Object(headers)) => headers.keys().map(|name| name.to_ascii_lowercase()).collect(),
                _ => Vec::new(),
            };
            let answer = |example: Option<String>, pointer: String, body: Option<Value>| ErrorAnswer {
                operation: op.id.clone(),
                status,
                example,
                pointer,
                body,
                headers: headers.clone(),
            };
            let media_at = pointer::push(&pointer::push(&response_at, "content"), "application/json");
            let Some((media_at, media)) = resolve(raw, &media_at) else {
                out.push(answer(None, response_at.clone(), None));
                continue;
            };
            if let Some(value) = media.get("example") {
                out.push(answer(None, pointer::push(&media_at, "example"), Some(value.clone())));
            } else if let Some(Value::Object(examples)) = media.get("examples") {
                let base = pointer::push(&media_at, "examples");
                for name in examples.keys() {
                    let Some((entry_at, entry)) = resolve(raw, &pointer::push(&base, name)) else { continue };
                    let value = entry.get("value").cloned();
                    out.push(answer(Some(name.clone()), pointer::push(&entry_at, "value"), value));
                }
            } else {
                let schema_at = pointer::push(&media_at, "schema");
                out.push(answer(None, schema_at.clone(), made_example(raw, &schema_at, 0)));
            }
        }
    }
    out
}

/// A value made of a schema's examples, as a mock server makes one: the schema's `example`, else
/// its `default`, else its first `enum` value, else for an object each property's made value.
fn made_example(raw: &Value, at: &str, depth: usize) -> Option<Value> {
    let (at, node) = resolve(raw, at)?;
    for key in ["example", "default"] {
        if let Some(value) = node.get(key) {
            return Some(value.clone());
        }
    }
    if let Some(first) = node.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
        return Some(first.clone());
    }
    let Some(Value::Object(properties)) = node.get("properties") else { return None };
    if depth > 8 {
        return None;
    }
    let base = pointer::push(&at, "properties");
    let members =
        properties.keys().filter_map(|name| Some((name.clone(), made_example(raw, &pointer::push(&base, name), depth + 1)?))).collect();
    Some(Value::Object(members))
}
