//! The spec's example values for the request samples: for each operation its request-body and
//! JSON success examples, and for each type, struct field and parameter the value the spec
//! suggests (its `example`, else its `default`, else its first `enum` value). Only data is
//! gathered here; `emit::samples` turns it into Rust.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::examples::{media_values, resolve};
use crate::ir::{Answer, ExampleValue, OperationExamples, Samples, Success, Tag, TypeDef, TypeKind};
use crate::load::pointer;

pub(super) fn collect(raw: &Value, tags: &[Tag], types: &BTreeMap<String, TypeDef>) -> Samples {
    let mut samples = Samples::default();
    let mut value_at = |origin: &str, media: bool| {
        if samples.values.contains_key(origin) {
            return;
        }
        let found = if media { first_media(raw, origin) } else { None }.or_else(|| schema_value(raw, origin));
        if let Some(found) = found {
            samples.values.insert(origin.to_owned(), found);
        }
    };
    for def in types.values() {
        value_at(&def.origin, false);
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                value_at(&field.origin, false);
            }
        }
    }
    for op in tags.iter().flat_map(|t| &t.operations) {
        for param in &op.params {
            value_at(&param.origin, true);
        }
    }
    for op in tags.iter().flat_map(|t| &t.operations) {
        let mut examples = OperationExamples::default();
        if let Some(body) = &op.body {
            examples.bodies = owned(media_values(raw, &body.origin));
        }
        let answers: Vec<&Answer> = match &op.success {
            Success::One(answer) => vec![answer],
            Success::ByStatus { variants, .. } => variants.iter().map(|v| &v.answer).collect(),
        };
        for answer in answers {
            if let Answer::Json { origin, .. } = answer {
                examples.answers.extend(owned(media_values(raw, origin)));
                // An answer whose media type gives no example may have one on its schema.
                if examples.answers.is_empty() {
                    examples.answers.extend(schema_value(raw, &pointer::push(origin, "schema")));
                }
            }
        }
        samples.operations.insert(op.id.clone(), examples);
    }
    samples
}

fn owned(values: Vec<(String, &Value)>) -> Vec<ExampleValue> {
    values.into_iter().map(|(pointer, value)| ExampleValue { pointer, value: value.clone() }).collect()
}

/// A parameter's (or media type's) own first example.
fn first_media(raw: &Value, origin: &str) -> Option<ExampleValue> {
    owned(media_values(raw, origin)).into_iter().next()
}

/// A schema's `example`, `default` or first `enum` value; for a parameter, its schema's.
fn schema_value(raw: &Value, origin: &str) -> Option<ExampleValue> {
    let (at, node) = resolve(raw, origin)?;
    let (at, node) = if node.get("in").is_some() { resolve(raw, &pointer::push(&at, "schema"))? } else { (at, node) };
    for key in ["example", "default"] {
        if let Some(value) = node.get(key) {
            return Some(ExampleValue { pointer: pointer::push(&at, key), value: value.clone() });
        }
    }
    let first = node.get("enum").and_then(Value::as_array).and_then(|e| e.first())?;
    Some(ExampleValue { pointer: pointer::push(&pointer::push(&at, "enum"), "0"), value: first.clone() })
}
