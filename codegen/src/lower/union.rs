//! `oneOf`/`anyOf` to types. Members that only validate (`required`, a description) or that
//! say nothing (`{}`) are dropped; one member left is that member's type; `anyOf` over objects
//! is one struct whose fields are all optional; alternatives with a discriminator are a tagged
//! union (one variant per mapping key, so the wire value round-trips); other alternatives are
//! an untagged union.

use openapiv3::{ReferenceOr, Schema};

use super::schema::{SchemaOr, Shape};
use super::view::View;
use super::Lowerer;
use crate::error::Result;
use crate::ir::{TypeRef, Union, UnionVariant};
use crate::names;

/// What a schema's `oneOf`/`anyOf` means.
pub(super) enum Alternatives<'s> {
    /// No alternatives that carry a type.
    None,
    /// One alternative: the schema is that member.
    Single(SchemaOr<'s>, String),
    /// `anyOf` over objects: one struct with every member's properties, all optional.
    Merge(Vec<(SchemaOr<'s>, String)>),
    /// A union: one variant per member (or per discriminator value).
    Union(Vec<(SchemaOr<'s>, String)>),
}

impl<'s> Lowerer<'s> {
    pub(super) fn alternatives(&self, schema: &'s Schema, at: &str) -> Result<Alternatives<'s>> {
        let view = View::of(schema);
        let (members, keyword) = if !view.one_of.is_empty() {
            (view.one_of, "oneOf")
        } else if !view.any_of.is_empty() {
            (view.any_of, "anyOf")
        } else {
            return Ok(Alternatives::None);
        };
        let mut typed = Vec::new();
        let mut free = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let member_at = format!("{at}/{keyword}/{i}");
            if let ReferenceOr::Item(item) = member {
                let member_view = View::of(item);
                if member_view.is_annotation_only() {
                    continue;
                }
                if member_view.is_free_object() {
                    free.push((SchemaOr::Item(item), member_at));
                    continue;
                }
            }
            typed.push((SchemaOr::from(member), member_at));
        }
        if typed.is_empty() {
            return Ok(match free.into_iter().next() {
                Some((member, member_at)) => Alternatives::Single(member, member_at),
                None => Alternatives::None,
            });
        }
        if typed.len() == 1 {
            let (member, member_at) = typed.remove(0);
            return Ok(Alternatives::Single(member, member_at));
        }
        if keyword == "anyOf" && view.discriminator.is_none() {
            let mut all_structs = true;
            for (member, member_at) in &typed {
                let (resolved, resolved_at) = self.resolve(*member, member_at)?;
                all_structs &= self.shape(resolved, &resolved_at)? == Shape::Struct;
            }
            if all_structs {
                return Ok(Alternatives::Merge(typed));
            }
        }
        Ok(Alternatives::Union(typed))
    }

    /// The variants of a union named `name`.
    pub(super) fn union(&mut self, schema: &'s Schema, at: &str, name: &str) -> Result<Union> {
        let Alternatives::Union(members) = self.alternatives(schema, at)? else {
            return Ok(Union { variants: Vec::new(), tag: None });
        };
        let view = View::of(schema);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut taken = std::collections::BTreeSet::new();
        let mut claim = |base: String| {
            let mut rust = base.clone();
            let mut n = 2;
            while !taken.insert(rust.clone()) {
                rust = format!("{base}{n}");
                n += 1;
            }
            rust
        };
        if let Some(discriminator) = view.discriminator.filter(|d| !d.mapping.is_empty()) {
            for (key, target) in &discriminator.mapping {
                let Some((member, member_at)) = members.iter().find(|(m, _)| maps_to(*m, target)) else {
                    let what = format!("discriminator value `{key}` maps to `{target}`, which is none of the alternatives");
                    return Err(self.unsupported(at, &what));
                };
                let ty = self.type_of(*member, member_at, &[format!("{name}{}", names::type_name(key))])?;
                let docs = Some(format!("`{}: {key}`", discriminator.property_name));
                variants.push(UnionVariant { rust: claim(names::variant_name(key)), ty, tag: Some(key.clone()), docs });
            }
            return Ok(Union { variants, tag: Some(discriminator.property_name.clone()) });
        }
        for (i, (member, member_at)) in members.into_iter().enumerate() {
            let (resolved, _) = self.resolve(member, &member_at)?;
            let member_view = View::of(resolved);
            let docs = member_view.docs();
            // An inline member is named by its title where it has one (`Single Droplet Request`).
            let title = match member {
                SchemaOr::Item(_) => member_view.data.title.as_deref().map(names::type_name),
                SchemaOr::Ref(_) => None,
            };
            let mut member_base: Vec<String> = title.iter().map(|t| format!("{name}{t}")).collect();
            member_base.push(format!("{name}{}", i + 1));
            let ty = self.type_of(member, &member_at, &member_base)?;
            // Two alternatives of the same type (`string_value` and `allowance_value`, both a
            // string) cannot be told apart in an answer: one variant holds both.
            if let Some(same) = variants.iter_mut().find(|v| v.ty == ty) {
                let also = title.clone().unwrap_or_else(|| variant_for(&ty, name));
                let note = format!("Also the alternative `{also}`, which has the same type.");
                same.docs = Some(match same.docs.take() {
                    Some(docs) => format!("{docs}\n\n{note}"),
                    None => note,
                });
                continue;
            }
            let rust = claim(title.clone().unwrap_or_else(|| variant_for(&ty, name)));
            variants.push(UnionVariant { rust, ty, tag: None, docs });
        }
        // serde tries untagged variants in order: free-form values last, so they never win
        // over a typed alternative.
        variants.sort_by_key(|v| matches!(v.ty, TypeRef::Json | TypeRef::JsonObject));
        Ok(Union { variants, tag: None })
    }
}


/// Whether a discriminator mapping's target (`models/x.yml`, `#/x`, `#/components/schemas/x`)
/// names this member. The bundler names a hoisted schema after the file stem or the pointer's
/// last segment, with `-2`, `-3` on a collision.
fn maps_to(member: SchemaOr<'_>, target: &str) -> bool {
    let SchemaOr::Ref(reference) = member else { return false };
    let name = reference.rsplit('/').next().unwrap_or(reference);
    let stem = target.rsplit(['/', '#']).next().unwrap_or(target);
    let stem = stem.strip_suffix(".yml").or_else(|| stem.strip_suffix(".yaml")).unwrap_or(stem);
    name == stem || name.strip_prefix(stem).is_some_and(|rest| rest.starts_with('-'))
}

/// A variant's name from its type: `Droplet(Droplet)`, `String(String)`, `List(Vec<String>)`.
fn variant_for(ty: &TypeRef, union: &str) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::DateTime => "DateTime".to_owned(),
        TypeRef::Bool => "Bool".to_owned(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Json | TypeRef::JsonObject => "Other".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Vec(inner) => format!("{}List", variant_for(inner, union)),
        TypeRef::Map(inner) => format!("{}Map", variant_for(inner, union)),
        TypeRef::Named(name) => match name.strip_prefix(union) {
            Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_owned(),
            _ => name.clone(),
        },
    }
}
