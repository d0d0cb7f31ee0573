//! Every JSON example in the spec against the generated types.
//!
//! The examples come from `codegen::examples::collect` (schemas, struct fields, parameters,
//! request bodies, success answers). Each named type must decode the example and encode it back
//! unchanged (an object member that is null counts as absent, numbers compare by value); a
//! scalar must be the right JSON kind. Examples that violate their own schema in the upstream
//! spec are listed, with the reason, in `spec/example-exceptions.txt`: the test fails on any
//! other failure, and on a listed exception that passes (so that the list never goes stale).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::ir::{Api, TypeKind, TypeRef};
use digitalocean::models::roundtrip;
use serde_json::{Map, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf()
}

/// `spec/example-exceptions.txt`: `<pointer> | <reason>` per line; `#` starts a comment.
fn exceptions() -> BTreeMap<String, String> {
    let path = root().join("spec/example-exceptions.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (pointer, reason) = line
            .split_once(" | ")
            .unwrap_or_else(|| panic!("{}:{}: expected `<pointer> | <reason>`", path.display(), n + 1));
        assert!(!reason.trim().is_empty(), "{}:{}: no reason given", path.display(), n + 1);
        let previous = out.insert(pointer.trim().to_string(), reason.trim().to_string());
        assert!(previous.is_none(), "{}:{}: {pointer} listed twice", path.display(), n + 1);
    }
    out
}

/// Checks `value` against `ty`: `Err` says where and how it differs.
fn check(api: &Api, ty: &TypeRef, value: &Value, at: &str) -> Result<(), String> {
    let kind = |ok: bool, what: &str| if ok { Ok(()) } else { Err(format!("{at}: expected {what}, got {value}")) };
    let in_range = |lo: i128, hi: i128| {
        let n = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from));
        n.is_some_and(|n| (lo..=hi).contains(&n))
    };
    match ty {
        TypeRef::String => kind(value.is_string(), "a string"),
        TypeRef::Bool => kind(value.is_boolean(), "a boolean"),
        TypeRef::I32 => kind(in_range(i32::MIN.into(), i32::MAX.into()), "an i32"),
        TypeRef::I64 => kind(in_range(i64::MIN.into(), i64::MAX.into()), "an i64"),
        TypeRef::U32 => kind(in_range(0, u32::MAX.into()), "a u32"),
        TypeRef::U64 => kind(in_range(0, u64::MAX.into()), "a u64"),
        TypeRef::F32 | TypeRef::F64 => kind(value.is_number(), "a number"),
        TypeRef::Json | TypeRef::JsonObject | TypeRef::Bytes => Ok(()),
        TypeRef::Vec(item) => {
            let Value::Array(items) = value else { return kind(false, "an array") };
            items.iter().enumerate().try_for_each(|(i, v)| check(api, item, v, &format!("{at}/{i}")))
        }
        TypeRef::Map(item) => {
            let Value::Object(members) = value else { return kind(false, "an object") };
            members.iter().try_for_each(|(k, v)| check(api, item, v, &format!("{at}/{k}")))
        }
        TypeRef::Named(name) => match roundtrip::value(name, value.clone()) {
            Some(Ok(back)) => same(value, &back, at),
            Some(Err(e)) => Err(format!("{at}: does not decode as {name}: {e}")),
            None => match api.types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => check(api, target, value, at),
                _ => Err(format!("{at}: no model type {name} to decode with")),
            },
        },
    }
}

/// Whether the schema whose `example` is at `pointer` allows null (`nullable: true` on it or on
/// one of its `allOf`/`anyOf`/`oneOf` members): a null example is then valid.
fn nullable(raw: &Value, pointer: &str) -> bool {
    let Some(schema) = pointer.strip_suffix("/example").and_then(|p| raw.pointer(p)) else { return false };
    let is_nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool) == Some(true);
    is_nullable(schema)
        || ["allOf", "anyOf", "oneOf"].iter().any(|k| {
            schema.get(*k).and_then(Value::as_array).is_some_and(|members| members.iter().any(is_nullable))
        })
}

/// A parameter's example is text in the URL or a header: a `String` parameter (the generator's
/// type for `anyOf: [integer, string]` identifiers too) takes any scalar, written as text.
fn check_parameter(api: &Api, ty: &TypeRef, value: &Value) -> Result<(), String> {
    match (ty, value) {
        (TypeRef::String, Value::Number(_) | Value::Bool(_)) => Ok(()),
        _ => check(api, ty, value, ""),
    }
}

/// `value` without null object members, recursively.
fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), strip_nulls(v))).collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// The example and what the round trip gave back agree (nulls in objects as absent).
fn same(example: &Value, back: &Value, at: &str) -> Result<(), String> {
    diff(&strip_nulls(example), &strip_nulls(back), at)
}

fn diff(a: &Value, b: &Value, at: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => diff(v, w, &format!("{at}/{k}"))?,
                    None => return Err(format!("{at}/{k}: dropped by the round trip (was {v})")),
                }
            }
            match y.iter().find(|(k, _)| !x.contains_key(*k)) {
                Some((k, w)) => Err(format!("{at}/{k}: absent from the example, {w} after the round trip")),
                None => Ok(()),
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().try_for_each(|(i, (v, w))| diff(v, w, &format!("{at}/{i}")))
        }
        (Value::Number(x), Value::Number(y)) if x == y || x.as_f64() == y.as_f64() => Ok(()),
        _ if a == b => Ok(()),
        _ => Err(format!("{at}: {a} became {b}")),
    }
}

#[test]
fn every_example_round_trips() {
    let path = codegen::source::find(None, &root()).expect("the spec");
    let spec = codegen::load::load(&path).expect("the spec loads");
    let api = codegen::lower::lower(&spec, &codegen::Selection::default()).expect("the spec lowers");
    let examples = codegen::examples::collect(&spec, &api);
    let mut listed = exceptions();

    let (mut passed, mut excepted) = (0, 0);
    let mut unexpected = Vec::new();
    let mut stale = Vec::new();
    for example in &examples {
        let result = if example.value.is_null() && nullable(&spec.raw, &example.pointer) {
            Ok(())
        } else if example.pointer.contains("/parameters/") {
            check_parameter(&api, &example.ty, &example.value)
        } else {
            check(&api, &example.ty, &example.value, "")
        };
        match (result, listed.remove(&example.pointer)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some(reason)) => stale.push(format!("{} (listed: {reason})", example.pointer)),
            (Err(_), Some(_)) => excepted += 1,
            (Err(e), None) => unexpected.push(format!("{} as {:?}\n    {e}", example.pointer, example.ty)),
        }
    }
    let checked = examples.len();
    println!("examples: {checked} checked, {passed} passed, {excepted} excepted");
    eprintln!("examples: {checked} checked, {passed} passed, {excepted} excepted");

    let mut problems = Vec::new();
    if !unexpected.is_empty() {
        problems.push(format!("{} examples fail and are not listed as exceptions:\n{}", unexpected.len(), unexpected.join("\n")));
    }
    if !stale.is_empty() {
        problems.push(format!("{} listed exceptions now pass (remove them):\n{}", stale.len(), stale.join("\n")));
    }
    if !listed.is_empty() {
        let gone: Vec<_> = listed.keys().cloned().collect();
        problems.push(format!("{} listed exceptions name no example:\n{}", gone.len(), gone.join("\n")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
