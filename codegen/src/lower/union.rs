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

    /// The variants of a union named `name`. Each is named after what its alternative is,
    /// never by a counter: a discriminator value; a component's name (without the union's
    /// name in front); for an inline alternative what `meanings` finds; for a plain
    /// type its kind (`String`, `StringList`). An inline type is named the same way after the
    /// union (`ChatCompletionRequestToolChoiceMode`). Two alternatives that no name tells apart
    /// are a located error.
    ///
    /// Long (about 85 lines): the discriminator's mapping and the plain alternatives are named in
    /// two loops that share the claimed names and the error for a nameless alternative.
    pub(super) fn union(&mut self, schema: &'s Schema, at: &str, name: &str) -> Result<Union> {
        let Alternatives::Union(members) = self.alternatives(schema, at)? else {
            return Ok(Union { variants: Vec::new(), tag: None });
        };
        let view = View::of(schema);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut taken = std::collections::BTreeSet::new();
        let mut claim = |candidates: &[String]| candidates.iter().find(|c| taken.insert((*c).clone())).cloned();
        let nameless = |lowerer: &Self, at: &str, candidates: &[String]| {
            let what = format!("an alternative of `{name}` whose names ({}) other alternatives took", candidates.join(", "));
            lowerer.unsupported(at, &what)
        };
        if let Some(discriminator) = view.discriminator.filter(|d| !d.mapping.is_empty()) {
            for (key, target) in &discriminator.mapping {
                let Some((member, member_at)) = members.iter().find(|(m, _)| maps_to(*m, target)) else {
                    let what = format!("discriminator value `{key}` maps to `{target}`, which is none of the alternatives");
                    return Err(self.unsupported(at, &what));
                };
                let ty = self.type_of(*member, member_at, &[format!("{name}{}", names::type_name(key))])?;
                let docs = Some(format!("`{}: {key}`", discriminator.property_name));
                let candidates = [names::variant_name(key), variant_for(&ty, name)];
                let Some(rust) = claim(&candidates) else { return Err(nameless(self, member_at, &candidates)) };
                variants.push(UnionVariant { rust, ty, tag: Some(key.clone()), docs });
            }
            return Ok(Union { variants, tag: Some(discriminator.property_name.clone()) });
        }
        for (member, member_at) in members {
            let (resolved, _) = self.resolve(member, &member_at)?;
            let docs = View::of(resolved).docs();
            let (candidates, ty) = match member {
                SchemaOr::Item(item) => {
                    let shape = self.shape(item, &member_at)?;
                    let mut candidates = self.meanings(item, &member_at, shape)?;
                    let mut bases: Vec<String> = candidates.iter().map(|m| format!("{name}{m}")).collect();
                    let item_view = View::of(item);
                    let titled = item_view.data.title.is_some();
                    let plain_container = item_view.all_of.is_empty()
                        && item_view.one_of.is_empty()
                        && item_view.any_of.is_empty()
                        && matches!(item_view.typ, Some("array" | "object"));
                    if shape == Shape::Other && plain_container && !titled {
                        // An untitled list's items (a map's values) are the union's: `{name}Item`.
                        bases = vec![name.to_owned()];
                    }
                    let ty = self.type_of(member, &member_at, &bases)?;
                    if shape == Shape::Other {
                        // A plain type is named by its kind after its title (`ItemList`,
                        // `StringList` say more than `List`).
                        candidates.insert(usize::from(titled), variant_for(&ty, name));
                    }
                    (candidates, ty)
                }
                SchemaOr::Ref(_) => {
                    let ty = self.type_of(member, &member_at, &[])?;
                    let full = match &ty {
                        TypeRef::Named(full) => full.clone(),
                        other => variant_for(other, ""),
                    };
                    (vec![variant_for(&ty, name), full], ty)
                }
            };
            // Two alternatives of the same type (`string_value` and `allowance_value`, both a
            // string) cannot be told apart in an answer: one variant holds both.
            if let Some(same) = variants.iter_mut().find(|v| v.ty == ty) {
                let also = candidates.first().cloned().unwrap_or_default();
                let note = format!("Also the alternative `{also}`, which has the same type.");
                same.docs = Some(match same.docs.take() {
                    Some(docs) => format!("{docs}\n\n{note}"),
                    None => note,
                });
                continue;
            }
            let Some(rust) = claim(&candidates) else { return Err(nameless(self, &member_at, &candidates)) };
            variants.push(UnionVariant { rust, ty, tag: None, docs });
        }
        // serde tries untagged variants in order: free-form values last, so they never win
        // over a typed alternative.
        variants.sort_by_key(|v| matches!(v.ty, TypeRef::Json | TypeRef::JsonObject));
        Ok(Union { variants, tag: None })
    }

    /// Names for an inline alternative of shape `shape`, best first, from what the schema says
    /// it is:
    /// 1. its `title` (`Single Droplet Request`);
    /// 2. a string enum: its one value (`auto` gives `Auto`), or for several values `Mode` (a
    ///    keyword that picks a behaviour, beside richer alternatives: `none`/`auto`/`required`);
    ///    an object: the constant of its tag, a required member with one allowed value
    ///    (`type: [function]` gives `Function`), else its one required member (`droplet_id`
    ///    gives `DropletId`; not `type` or `kind`, which say that it has a kind, not which);
    /// 3. its kind: `Object`, `String`, `Integer`, `List`, ...;
    /// 4. at worst what tells it apart: an object's member names or an enum's values, joined
    ///    (`NameArguments`, `LowHigh`).
    fn meanings(&self, item: &'s Schema, at: &str, shape: Shape) -> Result<Vec<String>> {
        let view = View::of(item);
        let mut out: Vec<String> = view.data.title.as_deref().map(names::type_name).into_iter().collect();
        let values: Vec<&str> = view.enum_strings.iter().flatten().map(String::as_str).collect();
        let properties: Vec<&String> = view.properties.map(|p| p.keys().collect()).unwrap_or_default();
        match shape {
            Shape::Enum => {
                out.push(if let [one] = values.as_slice() { names::variant_name(one) } else { "Mode".to_owned() });
                out.push("String".to_owned());
                out.push(values.iter().map(|v| names::variant_name(v)).collect());
            }
            Shape::Struct => {
                for wire in view.required {
                    let Some(property) = view.properties.and_then(|p| p.get(wire)) else { continue };
                    let property_at = format!("{at}/properties/{}", crate::load::pointer::escape(wire));
                    let (resolved, _) = self.resolve(property.into(), &property_at)?;
                    if let [Some(constant)] = View::of(resolved).enum_strings.as_slice() {
                        out.push(names::variant_name(constant));
                    }
                }
                if let [one] = view.required {
                    if !matches!(one.as_str(), "type" | "kind") {
                        out.push(names::type_name(one));
                    }
                }
                out.push("Object".to_owned());
                if !properties.is_empty() {
                    out.push(properties.iter().map(|p| names::type_name(p)).collect());
                }
            }
            Shape::IntEnum => out.push("Integer".to_owned()),
            Shape::Union => out.push("Choice".to_owned()),
            Shape::Other => out.push(
                match view.typ {
                    Some("string") => "String",
                    Some("integer") => "Integer",
                    Some("number") => "Number",
                    Some("boolean") => "Bool",
                    Some("array") => "List",
                    Some("object") => "Object",
                    _ => "Value",
                }
                .to_owned(),
            ),
        }
        out.dedup();
        Ok(out)
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
        TypeRef::F64 => "Number".to_owned(),
        TypeRef::Json | TypeRef::JsonObject => "Other".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Vec(inner) => format!("{}List", variant_for(inner, union)),
        TypeRef::Map(inner) => format!("{}Map", variant_for(inner, union)),
        TypeRef::Nullable(inner) => format!("{}OrNull", variant_for(inner, union)),
        TypeRef::Named(name) => match name.strip_prefix(union) {
            Some(rest) if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_owned(),
            _ => name.clone(),
        },
    }
}
