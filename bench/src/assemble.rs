//! An example of a type that the spec gives no whole example of (the GenAI agents, whose
//! schemas have an `example` on each property instead), put together from the examples of its
//! members: the value the spec suggests for a member (`ir::Samples::values`: its `example`,
//! else its `default`, else its first `enum` value), else one made the same way from the
//! member's type. A member with neither is left out; so are write-only ones (never in an answer).

use std::collections::BTreeSet;

use codegen::ir::{Api, TypeKind, TypeRef};
use serde_json::{Map, Value};

/// How deep an example nests before what is below is left out.
const MAX_DEPTH: usize = 12;

/// An example of `ty`, whose schema (if it is a struct's member) is at `origin`.
pub fn example(api: &Api, ty: &TypeRef, origin: Option<&str>) -> Option<Value> {
    Assembler { api, open: BTreeSet::new() }.value(ty, origin, 0)
}

struct Assembler<'a> {
    api: &'a Api,
    /// The named types being assembled: one that contains itself stops there.
    open: BTreeSet<String>,
}

impl Assembler<'_> {
    fn given(&self, origin: &str) -> Option<Value> {
        self.api.samples.values.get(origin).map(|v| v.value.clone())
    }

    fn value(&mut self, ty: &TypeRef, origin: Option<&str>, depth: usize) -> Option<Value> {
        if let Some(given) = origin.and_then(|o| self.given(o)) {
            return Some(given);
        }
        if depth > MAX_DEPTH {
            return None;
        }
        match ty {
            TypeRef::Named(name) => self.named(name, depth),
            TypeRef::Vec(inner) => self.value(inner, None, depth + 1).map(|v| Value::Array(vec![v])),
            _ => None,
        }
    }

    fn named(&mut self, name: &str, depth: usize) -> Option<Value> {
        let def = self.api.types.get(name)?;
        if let Some(given) = self.given(&def.origin) {
            return Some(given);
        }
        if !self.open.insert(name.to_owned()) {
            return None;
        }
        let out = match &def.kind {
            TypeKind::Struct(s) => {
                let mut object = Map::new();
                for field in s.fields.iter().filter(|f| !f.write_only) {
                    if let Some(value) = self.value(&field.ty, Some(&field.origin), depth + 1) {
                        object.insert(field.wire.clone(), value);
                    }
                }
                (!object.is_empty()).then_some(Value::Object(object))
            }
            TypeKind::Alias(inner) => self.value(inner, None, depth + 1),
            TypeKind::Enum(variants) => variants.first().map(|v| Value::from(v.wire.clone())),
            TypeKind::IntEnum(variants) => variants.first().map(|v| Value::from(v.value)),
            TypeKind::Union(u) => u.variants.first().and_then(|v| {
                let mut value = self.value(&v.ty, None, depth + 1)?;
                if let (Some(tag), Some(wire), Some(object)) = (&u.tag, &v.tag, value.as_object_mut()) {
                    object.insert(tag.clone(), Value::from(wire.clone()));
                }
                Some(value)
            }),
            TypeKind::Answers(_) => None,
        };
        self.open.remove(name);
        out
    }
}
