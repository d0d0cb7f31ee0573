//! A member that several `allOf` parts of one schema define holds what every part says, since an
//! instance must satisfy them all (and a member that several alternatives of an `anyOf` merged
//! into one struct define holds what any of them may send): object definitions merge into one struct (the members of
//! each, merged again where they meet, required when any part requires them); definitions of
//! one type stay that type; a string enum narrows a plain string. Any other disagreement is an
//! error naming both places. Every case is recorded for `API.md`.

use super::schema::{SchemaOr, Shape};
use super::view::View;
use super::Lowerer;
use crate::error::{Error, Result};
use crate::ir::{Field, Merge, TypeDef, TypeKind, TypeRef};
use crate::names;

impl<'s> Lowerer<'s> {
    /// Makes `field` of the struct `name` (its schema at `at`) hold every one of `defined`, the
    /// member's definitions in the order met (the first made the field), which come from the
    /// parts of `keyword` (`allOf`, or an `anyOf` merged into one struct).
    pub(super) fn merge_member(
        &mut self,
        at: &str,
        name: &str,
        field: &mut Field,
        defined: &[(SchemaOr<'s>, String)],
        keyword: &'static str,
    ) -> Result<()> {
        // Distinct definitions that carry a type: two references to one schema are one, and a
        // part that only annotates the member (a description, `type: object` alone) adds none.
        let mut typed: Vec<Definition<'s>> = Vec::new();
        for (definition, definition_at) in defined {
            let (schema, resolved_at) = self.resolve(*definition, definition_at)?;
            let view = View::of(schema);
            field.nullable |= view.data.nullable;
            field.read_only |= view.data.read_only;
            field.write_only |= view.data.write_only;
            field.deprecated |= view.data.deprecated;
            if field.docs.is_none() {
                field.docs = view.docs();
            }
            if !view.adds_no_type() && !typed.iter().any(|seen| seen.resolved_at == resolved_at) {
                typed.push(Definition { given: *definition, at: definition_at.clone(), resolved_at, schema });
            }
        }
        let base = vec![format!("{name}{}", names::type_name(&field.wire))];
        let outcome = match typed.as_slice() {
            [] => "one member: no part gives it a type".to_owned(),
            [only] => {
                field.ty = self.type_of(only.given, &only.at, &base)?;
                format!("one member of type `{}`: the other parts repeat or annotate it", shown(&field.ty))
            }
            _ => {
                let mut shapes = Vec::new();
                for definition in &typed {
                    shapes.push(self.shape(definition.schema, &definition.resolved_at)?);
                }
                if shapes.iter().all(|s| *s == Shape::Struct) {
                    let merged = self.names.claim(&base);
                    let parts: Vec<(SchemaOr<'s>, String)> = typed.iter().map(|d| (d.given, d.at.clone())).collect();
                    let docs = View::of(typed[0].schema).docs();
                    // The last part is the one that extends the others: its place is this type's.
                    let origin = typed[typed.len() - 1].resolved_at.clone();
                    let structure = self.structure_of(&parts, keyword, &origin, &merged)?;
                    let def = TypeDef { name: merged.clone(), docs, origin, kind: TypeKind::Struct(structure), usage: Default::default() };
                    self.types.insert(merged.clone(), def);
                    field.ty = TypeRef::Named(merged.clone());
                    format!("merged into `{merged}`: the members of every part")
                } else {
                    let mut types = Vec::new();
                    for definition in &typed {
                        types.push(self.type_of(definition.given, &definition.at, &base)?);
                    }
                    field.ty = self.common(&types, keyword).ok_or_else(|| {
                        let list: Vec<String> = typed.iter().zip(&types).map(|(d, t)| format!("`{}` at {}", shown(t), d.at)).collect();
                        Error::Unsupported {
                            at: self.spec.locate(&typed[1].at),
                            what: format!("{keyword} parts that give member `{}` different types ({})", field.wire, list.join(", ")),
                        }
                    })?;
                    if types.iter().all(|t| *t == field.ty) {
                        format!("one member of type `{}`: every part gives that type", shown(&field.ty))
                    } else if keyword == "allOf" {
                        format!("the enum `{}`: it narrows the plain string of the other parts", shown(&field.ty))
                    } else {
                        "a `String`: any alternative may send it, and one of them allows any string".to_owned()
                    }
                }
            }
        };
        // The same schema reached twice is not two definitions: nothing to report.
        if typed.len() > 1 || defined.iter().any(|(_, d)| !typed.iter().any(|t| t.at == *d)) {
            let parts = defined.iter().map(|(_, definition_at)| definition_at.clone()).collect();
            self.merges.insert(Merge { keyword, pointer: at.to_owned(), member: field.wire.clone(), parts, outcome });
        }
        Ok(())
    }

    /// The one type for a member defined as each of `types`: all the same, or where a string
    /// enum meets plain strings, the enum for `allOf` (every part holds) and the string for
    /// `anyOf` (any alternative may).
    fn common(&self, types: &[TypeRef], keyword: &str) -> Option<TypeRef> {
        let is_enum = |t: &TypeRef| matches!(t, TypeRef::Named(n) if matches!(self.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_))));
        let narrow: Vec<&TypeRef> = types.iter().filter(|t| **t != TypeRef::String).collect();
        match narrow.as_slice() {
            [] => Some(TypeRef::String),
            [first, ..] if types.iter().all(|t| t == *first) => Some((*first).clone()),
            [first, rest @ ..] if rest.iter().all(|t| t == first) && is_enum(first) => {
                Some(if keyword == "allOf" { (*first).clone() } else { TypeRef::String })
            }
            _ => None,
        }
    }
}

/// One definition of a member that carries a type.
struct Definition<'s> {
    /// As the part gives it (a reference or an inline schema), and where.
    given: SchemaOr<'s>,
    at: String,
    /// The schema it is, through references, and where that is.
    resolved_at: String,
    schema: &'s openapiv3::Schema,
}

/// A type as `API.md` shows it.
fn shown(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::Vec(inner) => format!("Vec<{}>", shown(inner)),
        TypeRef::Map(inner) => format!("Map<String, {}>", shown(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", shown(inner)),
        TypeRef::String => "String".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::U32 => "u32".into(),
        TypeRef::U64 => "u64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map".into(),
        TypeRef::Bytes => "bytes".into(),
    }
}
