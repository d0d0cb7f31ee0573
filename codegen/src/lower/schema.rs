//! Schemas to types: structs (properties, merged `allOf`), string enums, aliases and the
//! primitive, array and map uses of them. Inline schemas are named by where they live.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::depth::Step;
use super::union::Alternatives;
use super::view::View;
use super::{child, Lowerer};
use crate::error::Result;
use crate::ir::{Field, IntVariant, Struct, TypeDef, TypeKind, TypeRef, Variant};
use crate::names;

/// A schema or a reference to one, whichever box it came in.
#[derive(Clone, Copy)]
pub(super) enum SchemaOr<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaOr<'a> {
    fn from(s: &'a ReferenceOr<Schema>) -> Self {
        match s {
            ReferenceOr::Reference { reference } => SchemaOr::Ref(reference),
            ReferenceOr::Item(item) => SchemaOr::Item(item),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaOr<'a> {
    fn from(s: &'a ReferenceOr<Box<Schema>>) -> Self {
        match s {
            ReferenceOr::Reference { reference } => SchemaOr::Ref(reference),
            ReferenceOr::Item(item) => SchemaOr::Item(item),
        }
    }
}

/// What a schema becomes when it stands somewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Struct,
    Enum,
    IntEnum,
    Union,
    Other,
}

impl<'s> Lowerer<'s> {
    /// The named component a `#/components/schemas/...` reference points at.
    pub(super) fn schema_component(&self, reference: &str, at: &str) -> Result<(&'s str, &'s Schema)> {
        let name = self.component_name(reference, "schemas", at)?;
        let components = self.spec.doc.components.as_ref();
        let (key, schema) = components
            .and_then(|c| c.schemas.get_key_value(name.as_str()))
            .ok_or_else(|| self.ref_error(at, reference, "no such schema in components"))?;
        match schema {
            ReferenceOr::Item(schema) => Ok((key.as_str(), schema)),
            ReferenceOr::Reference { reference: inner } => {
                // An alias of an alias: follow it (the loader refuses loops).
                let _entered = self.enter(Step::Alias, at)?;
                let (_, target) = self.schema_component(inner, &format!("/components/schemas/{}", crate::load::pointer::escape(key)))?;
                Ok((key.as_str(), target))
            }
        }
    }

    /// Follows a reference to the schema it names (items are returned as they are).
    pub(super) fn resolve(&self, schema: SchemaOr<'s>, at: &str) -> Result<(&'s Schema, String)> {
        match schema {
            SchemaOr::Item(item) => Ok((item, at.to_owned())),
            SchemaOr::Ref(reference) => {
                let (name, item) = self.schema_component(reference, at)?;
                Ok((item, format!("/components/schemas/{}", crate::load::pointer::escape(name))))
            }
        }
    }

    pub(super) fn shape(&self, schema: &'s Schema, at: &str) -> Result<Shape> {
        let _entered = self.enter(Step::Shape, at)?;
        let view = View::of(schema);
        if view.is_string_enum() {
            return Ok(Shape::Enum);
        }
        if view.is_int_enum() {
            return Ok(Shape::IntEnum);
        }
        if view.has_properties() {
            return Ok(Shape::Struct);
        }
        match self.alternatives(schema, at)? {
            Alternatives::Merge(_) => return Ok(Shape::Struct),
            Alternatives::Union(_) => return Ok(Shape::Union),
            Alternatives::Single(..) | Alternatives::None => {}
        }
        if !view.all_of.is_empty() {
            let mut objects = 0;
            for (i, member) in view.all_of.iter().enumerate() {
                let (member, member_at) = self.resolve(member.into(), &format!("{at}/allOf/{i}"))?;
                match self.shape(member, &member_at)? {
                    Shape::Struct => objects += 1,
                    Shape::Enum | Shape::IntEnum | Shape::Union => return Ok(Shape::Other),
                    Shape::Other if View::of(member).adds_no_type() => {}
                    Shape::Other => return Ok(Shape::Other),
                }
            }
            // A single object member with annotations is that member, not a new struct.
            let refs = view.all_of.iter().filter(|m| matches!(m, ReferenceOr::Reference { .. })).count();
            if objects > 1 || (objects == 1 && refs == 0) {
                return Ok(Shape::Struct);
            }
        }
        Ok(Shape::Other)
    }

    /// The type of the schema standing at `at`; `base` is the name it gets if it needs one.
    pub(super) fn type_of(&mut self, schema: SchemaOr<'s>, at: &str, base: &[String]) -> Result<TypeRef> {
        let schema = match schema {
            SchemaOr::Ref(reference) => return self.component_type(reference, at),
            SchemaOr::Item(schema) => schema,
        };
        if let Some(known) = self.inline_types.get(at) {
            return Ok(known.clone());
        }
        let _entered = self.enter(Step::Type, at)?;
        let ty = match self.shape(schema, at)? {
            Shape::Struct | Shape::Enum | Shape::IntEnum | Shape::Union => {
                let name = match self.pre_named.get(at) {
                    Some(name) => name.clone(),
                    None => self.names.claim(base),
                };
                let ty = TypeRef::Named(name.clone());
                self.inline_types.insert(at.to_owned(), ty.clone());
                self.define(&name, schema, at)?;
                ty
            }
            Shape::Other => self.plain_type(schema, at, base)?,
        };
        self.inline_types.insert(at.to_owned(), ty.clone());
        Ok(ty)
    }

    /// A `#/components/schemas/X` use: the component's type, lowered once.
    pub(super) fn component_type(&mut self, reference: &str, at: &str) -> Result<TypeRef> {
        let (key, schema) = self.schema_component(reference, at)?;
        let rust = self.component_names.get(key).cloned().ok_or_else(|| self.ref_error(at, reference, "unnamed schema"))?;
        if self.lowered.insert(key.to_owned()) {
            self.define(&rust, schema, &format!("/components/schemas/{}", crate::load::pointer::escape(key)))?;
        }
        Ok(TypeRef::Named(rust))
    }

    /// Adds the type definition `name` for the schema at `at`.
    fn define(&mut self, name: &str, schema: &'s Schema, at: &str) -> Result<()> {
        // A component is defined inside the use that reached it first: a chain of components
        // (items or maps of the next) nests definitions.
        let _entered = self.enter(Step::Type, at)?;
        let view = View::of(schema);
        let base = vec![name.to_owned()];
        let kind = match self.shape(schema, at)? {
            Shape::Enum => TypeKind::Enum(enum_variants(&view.enum_strings)),
            Shape::IntEnum => TypeKind::IntEnum(int_variants(&view.enum_ints)),
            Shape::Union => TypeKind::Union(self.union(schema, at, name)?),
            Shape::Struct => TypeKind::Struct(self.structure(schema, at, name)?),
            Shape::Other => TypeKind::Alias(self.plain_type(schema, at, &base)?),
        };
        let def = TypeDef { name: name.to_owned(), docs: view.docs(), origin: at.to_owned(), kind, usage: Default::default() };
        self.types.insert(name.to_owned(), def);
        Ok(())
    }

    /// Primitive, array, map and free-form uses, and single-member `allOf` wrappers.
    fn plain_type(&mut self, schema: &'s Schema, at: &str, base: &[String]) -> Result<TypeRef> {
        let view = View::of(schema);
        if !view.all_of.is_empty() {
            // One typed member plus annotations: the type of that member.
            let typed: Vec<_> =
                view.all_of.iter().enumerate().filter(|(_, m)| !matches!(m, ReferenceOr::Item(s) if View::of(s).adds_no_type())).collect();
            if let [(i, member)] = typed.as_slice() {
                return self.type_of((*member).into(), &format!("{at}/allOf/{i}"), base);
            }
            return Ok(self.fallback(at, "allOf whose members are not all objects"));
        }
        if let Alternatives::Single(member, member_at) = self.alternatives(schema, at)? {
            return self.type_of(member, &member_at, base);
        }
        if view.has_not {
            return Ok(self.fallback(at, "`not` has no typed mapping"));
        }
        Ok(match view.typ {
            Some("string") if view.string_format == Some("date-time") => TypeRef::DateTime,
            Some("string") => TypeRef::String,
            Some("boolean") => TypeRef::Bool,
            Some("number") => TypeRef::F64,
            Some("integer") => match view.integer_format {
                _ if beyond_i64(&view) => TypeRef::U64,
                Some("int32") => TypeRef::I32,
                Some("uint32") => TypeRef::U32,
                Some("uint64") => TypeRef::U64,
                _ => TypeRef::I64,
            },
            Some("array") => match view.items {
                Some(items) => {
                    let item_base = child(base, "Item");
                    let item_at = format!("{at}/items");
                    let item = self.type_of(items.into(), &item_at, &item_base)?;
                    TypeRef::Vec(Box::new(self.nullable(items.into(), &item_at, item)?))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            Some("object") | None => match view.additional {
                Some(AdditionalProperties::Schema(value)) => {
                    let value_base = child(base, "Value");
                    let value_at = format!("{at}/additionalProperties");
                    let ty = self.type_of(value.as_ref().into(), &value_at, &value_base)?;
                    TypeRef::Map(Box::new(self.nullable(value.as_ref().into(), &value_at, ty)?))
                }
                _ if view.typ.is_some() => TypeRef::JsonObject,
                _ => TypeRef::Json,
            },
            Some(other) => return Err(self.unsupported(at, &format!("schema type `{other}`"))),
        })
    }

    /// `ty`, an array item's or a map value's type, as `Option<ty>` when its schema (or the
    /// component it refers to) is `nullable`: `[null]` is then a valid answer.
    fn nullable(&self, schema: SchemaOr<'s>, at: &str, ty: TypeRef) -> Result<TypeRef> {
        let (resolved, _) = self.resolve(schema, at)?;
        Ok(if resolved.schema_data.nullable && ty != TypeRef::Json { TypeRef::Nullable(Box::new(ty)) } else { ty })
    }

    /// The fields of an object schema, with `allOf` members merged in order.
    fn structure(&mut self, schema: &'s Schema, at: &str, name: &str) -> Result<Struct> {
        self.structure_of(&[(SchemaOr::Item(schema), at.to_owned())], "allOf", at, name)
    }

    /// The one struct for the schemas in `parts`: their members, with a member that several of
    /// them define merged (see [`super::merge`]). With `keyword` `allOf` an instance is every
    /// part, with `anyOf` any of them (so none requires a member). `at` is where the struct is.
    pub(super) fn structure_of(&mut self, parts: &[(SchemaOr<'s>, String)], keyword: &str, at: &str, name: &str) -> Result<Struct> {
        let alternatives = keyword == "anyOf";
        let mut collected = Collected { within_any_of: alternatives, ..Collected::default() };
        for (part, part_at) in parts {
            let (schema, schema_at) = self.resolve(*part, part_at)?;
            self.collect(schema, &schema_at, name, &mut collected)?;
            if alternatives {
                collected.required.clear();
            }
        }
        let Collected { mut fields, required, additional, definitions, any_of_members, .. } = collected;
        for field in &mut fields {
            if let Some(defined) = definitions.get(&field.wire).filter(|d| d.len() > 1) {
                let keyword = if any_of_members.contains(&field.wire) { "anyOf" } else { "allOf" };
                self.merge_member(at, name, field, defined, keyword)?;
            }
        }
        let mut taken = BTreeSet::new();
        for field in &mut fields {
            field.required = required.contains(&field.wire);
            field.rust = names::claim_in(&mut taken, [field.rust.clone()], "_");
        }
        Ok(Struct { fields, additional })
    }

    fn collect(&mut self, schema: &'s Schema, at: &str, name: &str, into: &mut Collected<'s>) -> Result<()> {
        let _entered = self.enter(Step::Collect, at)?;
        let view = View::of(schema);
        into.required.extend(view.required.iter().cloned());
        for (i, member) in view.all_of.iter().enumerate() {
            let member_at = format!("{at}/allOf/{i}");
            match SchemaOr::from(member) {
                SchemaOr::Ref(reference) => {
                    let (key, target) = self.schema_component(reference, &member_at)?;
                    let owner = self.component_names.get(key).cloned().unwrap_or_else(|| name.to_owned());
                    let target_at = format!("/components/schemas/{}", crate::load::pointer::escape(key));
                    self.collect(target, &target_at, &owner, into)?;
                }
                SchemaOr::Item(item) => self.collect(item, &member_at, name, into)?,
            }
        }
        if !view.has_properties() {
            if let Alternatives::Merge(members) = self.alternatives(schema, at)? {
                // Any of the members' properties may be present: none is required.
                let required = std::mem::take(&mut into.required);
                let within = std::mem::replace(&mut into.within_any_of, true);
                for (member, member_at) in members {
                    let (target, target_at) = self.resolve(member, &member_at)?;
                    self.collect(target, &target_at, name, into)?;
                }
                into.required = required;
                into.within_any_of = within;
            }
        }
        if let Some(properties) = view.properties {
            for (wire, property) in properties {
                let property_at = format!("{at}/properties/{}", crate::load::pointer::escape(wire));
                if into.within_any_of {
                    into.any_of_members.insert(wire.clone());
                }
                let defined = into.definitions.entry(wire.clone()).or_default();
                defined.push((property.into(), property_at.clone()));
                if defined.len() > 1 {
                    // Merged once every part is collected.
                    continue;
                }
                let (resolved, _) = self.resolve(property.into(), &property_at)?;
                let resolved = View::of(resolved);
                let own = match property {
                    ReferenceOr::Item(item) => Some(View::of(item)),
                    ReferenceOr::Reference { .. } => None,
                };
                let base = vec![format!("{name}{}", names::type_name(wire))];
                let ty = self.type_of(property.into(), &property_at, &base)?;
                into.fields.push(Field {
                    wire: wire.clone(),
                    rust: names::field_name(wire),
                    ty,
                    required: false,
                    nullable: resolved.data.nullable,
                    read_only: resolved.data.read_only,
                    write_only: resolved.data.write_only,
                    deprecated: resolved.data.deprecated,
                    docs: resolved.field_docs(own.as_ref().and_then(View::docs)),
                    origin: property_at,
                    subject: false,
                });
            }
        }
        if let Some(AdditionalProperties::Schema(value)) = view.additional {
            if view.has_properties() {
                let value_at = format!("{at}/additionalProperties");
                let base = vec![format!("{name}Value")];
                into.additional = Some(self.type_of(value.as_ref().into(), &value_at, &base)?);
            }
        }
        Ok(())
    }
}

/// What the parts of one object schema define, as they are collected.
#[derive(Default)]
struct Collected<'s> {
    fields: Vec<Field>,
    required: BTreeSet<String>,
    additional: Option<TypeRef>,
    /// Every definition of each member, in the order met; the first made the field.
    definitions: BTreeMap<String, Vec<(SchemaOr<'s>, String)>>,
    /// Whether the parts being collected are the alternatives of an `anyOf` over objects.
    within_any_of: bool,
    /// Members that an `anyOf` alternative defines.
    any_of_members: BTreeSet<String>,
}

/// Whether an integer schema's values go beyond `i64` (its maximum, example or default) and
/// cannot be negative (its minimum is 0 or more), so that `u64` holds every one of them. Without
/// a minimum a negative value is valid, and `i64` is the type that holds it: a big example alone
/// (Kafka's `9223372036854776000`, `i64::MAX` rounded through a float) does not make it `u64`.
fn beyond_i64(view: &View<'_>) -> bool {
    let big = |v: &serde_json::Value| v.as_u64().is_some_and(|n| n > i64::MAX as u64) || v.as_f64().is_some_and(|f| f > i64::MAX as f64);
    let beyond = view.maximum.is_some_and(|m| m > i64::MAX as f64)
        || view.data.example.as_ref().is_some_and(big)
        || view.data.default.as_ref().is_some_and(big);
    beyond && view.minimum.is_some_and(|m| m >= 0.0)
}

/// Variants for integer enum values: `V1000`, and `Minus1` for `-1`.
fn int_variants(values: &[i64]) -> Vec<IntVariant> {
    values
        .iter()
        .map(|v| IntVariant { value: *v, rust: if *v < 0 { format!("Minus{}", v.unsigned_abs()) } else { format!("V{v}") } })
        .collect()
}

/// Variants for string enum values; `null` members make the field optional instead. Values
/// that are identifiers as they stand claim their names first, so `red` is `Red` and `red*`
/// spells its symbol, `RedStar`, whatever their order; a number is the last resort.
fn enum_variants(values: &[Option<String>]) -> Vec<Variant> {
    let mut taken = BTreeSet::from(["Other".to_owned()]);
    let wires: Vec<&String> = values.iter().flatten().collect();
    let plain = |w: &str| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
    let mut names: Vec<Option<String>> = vec![None; wires.len()];
    for pass in [true, false] {
        for (i, wire) in wires.iter().enumerate() {
            if plain(wire) != pass {
                continue;
            }
            let mut base = names::variant_name(wire);
            if !pass && taken.contains(&base) {
                base = names::variant_name(&names::spell_symbols(wire));
            }
            names[i] = Some(names::claim_in(&mut taken, [base], ""));
        }
    }
    wires.into_iter().zip(names).map(|(wire, rust)| Variant { wire: wire.clone(), rust: rust.unwrap_or_default() }).collect()
}
