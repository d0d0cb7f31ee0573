//! The subjects of answer envelopes. Most answers wrap what they are about in an object with one
//! member (`{"droplet": {...}}`), sometimes beside `links` and `meta`. The spec rarely marks that
//! member required, yet the API always sends it: typed as an `Option`, every caller would write
//! `.droplet.expect(..)`. So the one member of such an envelope is required, and marked as the
//! subject: a struct or union subject missing from an answer is a decode error (never a default
//! value standing in for the real one); a list subject missing is an empty list.

use crate::ir::{Api, TypeDef, TypeKind, TypeRef};

/// Envelope members that are not the subject.
const BESIDE: &[&str] = &["links", "meta"];

/// Marks the subject of every envelope that operations answer with and no request sends.
pub fn mark(api: &mut Api) {
    let answers: Vec<String> = api
        .tags
        .iter()
        .flat_map(|t| &t.operations)
        .flat_map(|op| op.success.json_types())
        .filter_map(|ty| match ty {
            TypeRef::Named(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    for name in answers {
        let Some(def) = api.types.get(&name) else { continue };
        let Some(index) = subject(def, &api.types) else { continue };
        if let Some(TypeDef { kind: TypeKind::Struct(s), .. }) = api.types.get_mut(&name) {
            let field = &mut s.fields[index];
            field.required = true;
            field.subject = true;
        }
    }
}

/// The index of the envelope's subject: the one member besides `links` and `meta`, of a model
/// or list type, neither nullable nor sent one way only.
fn subject(def: &TypeDef, types: &std::collections::BTreeMap<String, TypeDef>) -> Option<usize> {
    if def.usage.request {
        return None;
    }
    let TypeKind::Struct(s) = &def.kind else { return None };
    if s.additional.is_some() {
        return None;
    }
    let mut members = s.fields.iter().enumerate().filter(|(_, f)| !BESIDE.contains(&f.wire.as_str()));
    let (index, field) = members.next()?;
    if members.next().is_some() || field.nullable || field.read_only || field.write_only {
        return None;
    }
    let model = |ty: &TypeRef| match ty {
        TypeRef::Named(name) => types.get(name).is_some_and(|d| matches!(d.kind, TypeKind::Struct(_) | TypeKind::Union(_))),
        _ => false,
    };
    match &field.ty {
        TypeRef::Vec(item) if model(item.non_null()) => Some(index),
        ty if model(ty) => Some(index),
        _ => None,
    }
}
