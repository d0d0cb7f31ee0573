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
