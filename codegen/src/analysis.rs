//! Facts about the IR that several phases need and none should decide alone: which types
//! implement `Default`, `Serialize` and decoding, and which fields and union variants hold their
//! value in a `Box` (the field would make its struct infinitely large; a struct variant beside
//! others would make every value as large as it). Computed once per set of types, read by the
//! emitter, the samples and the manifest. It writes no Rust: `surface::types` spells the types.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Field, TypeDef, TypeKind, TypeRef, UnionVariant, Usage};

/// Facts about the whole set of types that single definitions need.
pub(crate) struct Facts<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    /// Structs that derive `Default`.
    defaults: BTreeSet<String>,
    /// `(struct, field)` pairs that hold a struct of their own cycle inline: boxed.
    boxed: BTreeSet<(String, String)>,
}

impl<'a> Facts<'a> {
    pub(crate) fn new(types: &'a BTreeMap<String, TypeDef>) -> Self {
        let mut facts = Facts { types, defaults: BTreeSet::new(), boxed: BTreeSet::new() };
        facts.defaults = facts.defaultable();
        facts.boxed = facts.recursive_fields();
        facts
    }

    /// The types these facts are about.
    pub(crate) fn types(&self) -> &'a BTreeMap<String, TypeDef> {
        self.types
    }

    /// Fields that would give a struct infinite size: the field's type is held inline (not in
    /// a `Vec` or map) and leads back to the struct through other inline fields.
    fn recursive_fields(&self) -> BTreeSet<(String, String)> {
        let inline = |name: &str| -> Vec<String> {
            let mut out = Vec::new();
            match self.types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => s.fields.iter().for_each(|f| inline_named(&f.ty, self.types, &mut out)),
                Some(TypeKind::Alias(ty)) => inline_named(ty, self.types, &mut out),
                _ => {}
            }
            out
        };
        let mut boxed = BTreeSet::new();
        for def in self.types.values() {
            let TypeKind::Struct(s) = &def.kind else { continue };
            for field in &s.fields {
                let mut starts = Vec::new();
                inline_named(&field.ty, self.types, &mut starts);
                let mut seen = BTreeSet::new();
                let mut todo = starts;
                while let Some(name) = todo.pop() {
                    if name == def.name {
                        boxed.insert((def.name.clone(), field.rust.clone()));
                        break;
                    }
                    if seen.insert(name.clone()) {
                        todo.extend(inline(&name));
                    }
                }
            }
        }
        boxed
    }

    /// Structs that derive `Default`: every field optional; or, for a type only ever
    /// received, every required field of a type with a default (so that missing fields decode).
    fn defaultable(&self) -> BTreeSet<String> {
        let mut yes: BTreeSet<String> = BTreeSet::new();
        loop {
            let before = yes.len();
            for def in self.types.values() {
                let TypeKind::Struct(s) = &def.kind else { continue };
                let received_only = def.usage.response && !def.usage.request;
                let ok = s.fields.iter().all(|f| f.optional() || (received_only && self.has_default(&f.ty, &yes)));
                if ok {
                    yes.insert(def.name.clone());
                }
            }
            if yes.len() == before {
                return yes;
            }
        }
    }

    /// Whether a field of this type can take `#[serde(default)]`.
    fn has_default(&self, ty: &TypeRef, structs: &BTreeSet<String>) -> bool {
        match ty {
            TypeRef::Named(name) => match self.types.get(name).map(|d| (&d.kind, &d.usage)) {
                Some((TypeKind::Struct(_), _)) => structs.contains(name),
                Some((TypeKind::Enum(_) | TypeKind::IntEnum(_), usage)) => usage.response,
                Some((TypeKind::Alias(target), _)) => self.has_default(target, structs),
                _ => false,
            },
            TypeRef::Bytes => false,
            _ => true,
        }
    }

    /// Whether a field of this type has a default (`Default::default()` compiles for it).
    pub(crate) fn field_has_default(&self, ty: &TypeRef) -> bool {
        self.has_default(ty, &self.defaults)
    }

    /// Whether the emitted type implements `Default`: structs that derive it, enums that
    /// answers decode (an empty `Other`), aliases of types with a default.
    pub(crate) fn implements_default(&self, def: &TypeDef) -> bool {
        match &def.kind {
            TypeKind::Struct(_) => self.defaults.contains(&def.name),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => enum_default(&def.usage),
            TypeKind::Alias(target) => self.has_default(target, &self.defaults),
            TypeKind::Union(_) | TypeKind::Answers(_) => false,
        }
    }

    /// Whether the emitted type implements `Serialize` and `Deserialize` without the
    /// `roundtrip` feature: what requests and responses need; the answers of several statuses
    /// are decoded by the client, not by serde; an alias is what its target is.
    pub(crate) fn implements_serde(&self, def: &TypeDef) -> (bool, bool) {
        match &def.kind {
            TypeKind::Answers(_) => (false, false),
            TypeKind::Alias(target) => match target.named() {
                Some(name) => match self.types.get(name) {
                    Some(target) if target.name != def.name => self.implements_serde(target),
                    _ => (false, false),
                },
                None => (true, true),
            },
            _ => (def.usage.request, def.usage.response),
        }
    }

    /// Whether a struct field holds its value in a `Box`.
    pub(crate) fn is_boxed(&self, def: &TypeDef, f: &Field) -> bool {
        self.boxed.contains(&(def.name.clone(), f.rust.clone()))
    }

    /// Whether a union variant holds its value in a `Box` (see `surface::types::variant_types`).
    pub(crate) fn variant_boxed(&self, variants: &[UnionVariant], v: &UnionVariant) -> bool {
        let distinct: BTreeSet<&TypeRef> = variants.iter().map(|v| &v.ty).collect();
        let is_struct = matches!(&v.ty, TypeRef::Named(n) if matches!(self.types.get(n).map(|d| &d.kind), Some(TypeKind::Struct(_))));
        is_struct && distinct.len() > 1
    }
}

/// Named types a type holds inline (through `Option` or an alias, not a `Vec` or map).
fn inline_named(ty: &TypeRef, types: &BTreeMap<String, TypeDef>, out: &mut Vec<String>) {
    if let TypeRef::Named(name) = ty {
        if let Some(TypeDef { kind: TypeKind::Alias(inner), .. }) = types.get(name) {
            inline_named(inner, types, out);
        } else {
            out.push(name.clone());
        }
    }
}

/// Whether an enum implements `Default`: when responses carry it, so that an answer that
/// omits a required value still decodes.
fn enum_default(usage: &Usage) -> bool {
    usage.response
}
