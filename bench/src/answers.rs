//! The answers' bodies, made from the spec's own examples: the spec is loaded with the
//! workspace's overlays and lowered as `cargo xtask codegen` does, and every example is taken
//! with the type it belongs to (`codegen::examples::collect`).
//!
//! For a list answer, an item of the operation's answer example (or, after those, an example of
//! the item's schema) is repeated to the wanted count, each copy with its own `id` (or `uuid`),
//! inside that answer example's envelope (`links`, `meta` with its `total` set). An answer the
//! spec gives no example of at all is put together from its members' examples ([`assemble`]);
//! such an item comes last for the others. Every distinct item is a candidate; the caller keeps
//! the first that both clients decode.
//!
//! [`assemble`]: crate::assemble

use std::collections::BTreeSet;
use std::path::Path;

use codegen::examples::Example;
use codegen::ir::{Answer, Api, Success, TypeKind, TypeRef};
use serde_json::{Map, Value};

use crate::assemble;
use crate::cases::Case;

/// The spec's examples, with the IR that types them.
pub struct Examples {
    api: Api,
    examples: Vec<Example>,
}

/// Loads the spec at `entry` with the overlays of `root/spec/overlays/`, lowers all of it and
/// collects its examples.
pub fn load(entry: &Path, root: &Path) -> Result<Examples, String> {
    let overlays = codegen::overlay::read_dir(&root.join("spec/overlays")).map_err(|e| e.to_string())?;
    let spec = codegen::load::load_with_overlays(entry, &overlays).map_err(|e| e.to_string())?;
    let api = codegen::lower::lower(&spec, &codegen::Selection::default()).map_err(|e| e.to_string())?;
    let examples = codegen::examples::collect(&spec, &api);
    Ok(Examples { api, examples })
}

/// One body to decode, and the example its items come from.
pub struct Candidate {
    /// JSON pointer of the item's example in the bundled spec.
    pub pointer: String,
    pub body: Vec<u8>,
}

/// Every candidate body of `case`, in the order described in the module's docs.
pub fn candidates(examples: &Examples, case: &Case) -> Result<Vec<Candidate>, String> {
    let answer = answer_type(&examples.api, case)?;
    let item = item_type(&examples.api, &answer, case)?;
    let mut envelopes: Vec<(String, &Value)> = examples
        .examples
        .iter()
        .filter(|e| e.ty == TypeRef::Named(answer.clone()) && e.value.get(case.subject).is_some())
        .map(|e| (e.pointer.clone(), &e.value))
        .collect();
    let assembled_answer = assemble::example(&examples.api, &TypeRef::Named(answer.clone()), None);
    if envelopes.is_empty() {
        if let Some(value) = assembled_answer.as_ref().filter(|v| v.get(case.subject).is_some()) {
            envelopes.push((format!("(assembled from the member examples of `{answer}`)"), value));
        }
    }
    let mut items: Vec<(String, &Value, Option<&Value>)> = Vec::new();
    for (pointer, envelope) in &envelopes {
        // An assembled envelope has no pointer to extend.
        let at = |suffix: String| if pointer.starts_with('(') { pointer.clone() } else { format!("{pointer}/{}{suffix}", case.subject) };
        match &envelope[case.subject] {
            Value::Array(list) => {
                for (i, value) in list.iter().enumerate() {
                    items.push((at(format!("/{i}")), value, Some(envelope)));
                }
            }
            value => items.push((at(String::new()), value, Some(envelope))),
        }
    }
    let first_envelope = envelopes.first().map(|(_, e)| *e).or(assembled_answer.as_ref());
    for example in examples.examples.iter().filter(|e| e.ty == TypeRef::Named(item.clone())) {
        items.push((example.pointer.clone(), &example.value, first_envelope));
    }
    let assembled_item = assemble::example(&examples.api, &TypeRef::Named(item.clone()), None);
    if let Some(value) = &assembled_item {
        items.push((format!("(assembled from the member examples of `{item}`)"), value, first_envelope));
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (pointer, value, envelope) in items {
        if !value.is_object() || !seen.insert(value.to_string()) {
            continue;
        }
        let body = serde_json::to_vec(&body(case, value, envelope)).map_err(|e| e.to_string())?;
        out.push(Candidate { pointer, body });
    }
    if out.is_empty() {
        return Err(format!("the spec has no example of `{answer}` or `{item}` (operation {})", case.operation));
    }
    Ok(out)
}

/// The generated answer type of the case's operation, checked against the name the bench uses.
fn answer_type(api: &Api, case: &Case) -> Result<String, String> {
    let op = api
        .tags
        .iter()
        .flat_map(|t| &t.operations)
        .find(|o| o.id == case.operation)
        .ok_or_else(|| format!("the spec has no operation {}", case.operation))?;
    let name = match &op.success {
        Success::One(Answer::Json { ty: TypeRef::Named(name), .. }) => name.clone(),
        other => return Err(format!("{}: the bench expects one JSON answer of a named type, not {other:?}", case.operation)),
    };
    if name != case.ours_type {
        return Err(format!(
            "{}: the generator names its answer `{name}`, the bench decodes `{}`: update bench/src/cases.rs",
            case.operation, case.ours_type
        ));
    }
    Ok(name)
}

/// The type of the answer's subject's items.
fn item_type(api: &Api, answer: &str, case: &Case) -> Result<String, String> {
    let Some(TypeKind::Struct(s)) = api.types.get(answer).map(|t| &t.kind) else {
        return Err(format!("`{answer}` is not a struct"));
    };
    let field = s.fields.iter().find(|f| f.wire == case.subject).ok_or_else(|| format!("`{answer}` has no member `{}`", case.subject))?;
    match (&field.ty, case.items) {
        (TypeRef::Vec(inner), Some(_)) => match inner.as_ref() {
            TypeRef::Named(name) => Ok(name.clone()),
            other => Err(format!("`{answer}.{}` is a list of {other:?}", case.subject)),
        },
        (TypeRef::Named(name), None) => Ok(name.clone()),
        (other, _) => Err(format!("`{answer}.{}` is {other:?}, not what the case says", case.subject)),
    }
}

/// The answer: `envelope` (or a bare object) with its subject set to `item`, repeated.
fn body(case: &Case, item: &Value, envelope: Option<&Value>) -> Value {
    let mut out = envelope.and_then(Value::as_object).cloned().unwrap_or_else(Map::new);
    let Some(count) = case.items else {
        out.insert(case.subject.to_owned(), item.clone());
        return Value::Object(out);
    };
    let list = (0..count).map(|i| with_id(item, i)).collect();
    out.insert(case.subject.to_owned(), Value::Array(list));
    if let Some(Value::Object(meta)) = out.get_mut("meta") {
        meta.insert("total".to_owned(), Value::from(count));
    }
    Value::Object(out)
}

/// `item` with its `id` and `uuid` made the `i`th of their kind: a number plus `i`, a UUID with
/// `i` in its last 12 digits, other text with `-i` after it.
fn with_id(item: &Value, i: usize) -> Value {
    let mut copy = item.clone();
    for key in ["id", "uuid"] {
        let Some(slot) = copy.get_mut(key) else { continue };
        *slot = match &*slot {
            Value::Number(n) if n.as_i64().is_some() => Value::from(n.as_i64().unwrap_or(0) + i as i64),
            Value::String(s) if is_uuid(s) => Value::from(format!("{}{i:012x}", &s[..24])),
            Value::String(s) => Value::from(format!("{s}-{i}")),
            other => other.clone(),
        };
    }
    copy
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(at, c)| if [8, 13, 18, 23].contains(&at) { c == '-' } else { c.is_ascii_hexdigit() })
}
