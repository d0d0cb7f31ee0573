//! Every `format: date-time` member of the whole spec is typed `DateTime`: each struct field and
//! parameter whose schema (through `$ref`s) says `type: string, format: date-time`, counted in the
//! bundled document independently of the lowering, has `TypeRef::DateTime` in the IR, and no
//! other field has. The spec is read with `spec/overlays/`, as `cargo xtask codegen` reads it.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};

use codegen::ir::{Api, TypeDef, TypeKind, TypeRef};
use codegen::{load, lower, Selection};
use serde_json::Value;

/// `format: date-time` nodes that no struct field or parameter stands on, and why.
const UNREACHED: &[(&str, &str)] = &[(
    "/components/schemas/partner_attachment_service_key/properties/created_at",
    "upstream declares the answer's `service_key` as `type: object` with `items` (a free-form object)",
)];

/// The node at `pointer`, with `$ref`s followed, and where it is.
fn resolve<'a>(doc: &'a Value, pointer: &str) -> (&'a Value, String) {
    let mut at = pointer.to_owned();
    for _ in 0..16 {
        let node = doc.pointer(&at).unwrap_or_else(|| panic!("{pointer}: no node at {at}"));
        let Some(target) = node.get("$ref").and_then(Value::as_str) else { return (node, at) };
        at = target.strip_prefix('#').unwrap_or_else(|| panic!("{pointer}: external $ref {target}")).to_owned();
    }
    panic!("{pointer}: $ref chain too long")
}

fn is_date_time(schema: &Value) -> bool {
    schema.get("format").and_then(Value::as_str) == Some("date-time")
        && schema.get("type").and_then(Value::as_str).is_none_or(|t| t == "string")
}

/// Whether a member of this type holds date-times (itself, a list or map of them, an alias).
fn typed(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::DateTime => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => typed(inner, types),
        TypeRef::Named(name) => matches!(types.get(name).map(|d| &d.kind), Some(TypeKind::Alias(inner)) if typed(inner, types)),
        _ => false,
    }
}

/// Every `format: date-time` node of the document, by pointer.
fn date_time_nodes(value: &Value, at: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(members) => {
            if is_date_time(value) {
                out.insert(at.to_owned());
            }
            for (key, member) in members {
                date_time_nodes(member, &codegen::load::pointer::push(at, key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                date_time_nodes(item, &codegen::load::pointer::push_index(at, i), out);
            }
        }
        _ => {}
    }
}

/// `(typed, date-time)` counts of struct fields and of parameters, the members whose type does
/// not match, and where the date-time schemas counted are.
struct Count {
    fields: (usize, usize),
    params: (usize, usize),
    wrong: Vec<String>,
    origins: BTreeSet<String>,
}

fn count(api: &Api, doc: &Value) -> Count {
    let mut out = Count { fields: (0, 0), params: (0, 0), wrong: Vec::new(), origins: BTreeSet::new() };
    for def in api.types.values() {
        let TypeKind::Struct(s) = &def.kind else { continue };
        for field in &s.fields {
            let (schema, schema_at) = resolve(doc, &field.origin);
            let date_time = is_date_time(schema);
            let is_typed = typed(&field.ty, &api.types);
            out.fields.0 += usize::from(date_time && is_typed);
            out.fields.1 += usize::from(date_time);
            if date_time != is_typed {
                out.wrong.push(format!("{}.{} ({}) is {:?}", def.name, field.rust, field.origin, field.ty));
            }
            if date_time {
                out.origins.insert(schema_at);
            }
        }
    }
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        for param in &op.params {
            let (_, param_at) = resolve(doc, &param.origin);
            let (schema, schema_at) = resolve(doc, &format!("{param_at}/schema"));
            let date_time = is_date_time(schema);
            let is_typed = typed(&param.ty, &api.types);
            out.params.0 += usize::from(date_time && is_typed);
            out.params.1 += usize::from(date_time);
            if date_time != is_typed {
                out.wrong.push(format!("{} parameter {} ({}) is {:?}", op.id, param.wire, param.origin, param.ty));
            }
            if date_time {
                out.origins.insert(schema_at);
            }
        }
    }
    out
}

#[test]
fn every_date_time_member_is_typed() {
    let (root, spec, api) = (support::root(), support::pinned_spec(), support::pinned_api());
    let counted = count(api, &spec.raw);

    // The same count upstream, without the overlays, to say where the figure comes from.
    let path = codegen::source::find(None, &root).unwrap();
    let upstream = load::load(&path).unwrap();
    let upstream_api = lower::lower(&upstream, &Selection::default()).unwrap();
    let upstream_fields = count(&upstream_api, &upstream.raw).fields.1;

    let (typed_fields, fields) = counted.fields;
    let (typed_params, params) = counted.params;
    println!(
        "date-times: {typed_fields}/{fields} typed struct fields ({upstream_fields} upstream, {} from spec/overlays), \
         {typed_params}/{params} typed parameters",
        fields - upstream_fields
    );
    assert_eq!(counted.wrong, Vec::<String>::new(), "members whose type does not match their `format: date-time`");
    assert_eq!(typed_fields, fields);
    assert_eq!(typed_params, params);
    assert!(fields > 200 && params > 0, "the spec has hundreds of date-time fields and some parameters");

    // Nothing else in the document is a date-time that lowering could have reached another way
    // (an array's items, a map's values, a union's member).
    let mut nodes = BTreeSet::new();
    date_time_nodes(&spec.raw, "", &mut nodes);
    let elsewhere: Vec<&String> = nodes.difference(&counted.origins).collect();
    let known: Vec<&str> = UNREACHED.iter().map(|(pointer, _)| *pointer).collect();
    assert_eq!(elsewhere, known, "`format: date-time` nodes that are neither a struct field nor a parameter");
}
