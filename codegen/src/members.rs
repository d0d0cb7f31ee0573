//! Members in, members out: a check, independent of [`crate::lower`], that every member the spec
//! defines for a schema is a field of the type generated for it. It reads the bundled document
//! as JSON and walks each struct with every schema that describes it: the struct's own, and for
//! a field, every definition of that member in every `allOf` part, `anyOf`/`oneOf` alternative
//! or `$ref` target, so a member that one part adds to another's object is looked for too.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::ir::{Api, TypeKind, TypeRef};
use crate::load::Spec;

/// A member the spec defines that the generated type does not hold.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Lost {
    /// The Rust type that lacks it.
    pub type_name: String,
    /// The member's wire name.
    pub member: String,
    /// Where the spec defines it (a JSON pointer into the bundled document).
    pub defined_at: String,
}

/// How many members were looked for, and the ones not found.
#[derive(Debug, Default)]
pub struct Census {
    /// (type, member) pairs checked.
    pub checked: usize,
    pub lost: Vec<Lost>,
}

/// Checks every struct of `api` against the schemas of `spec` it was made from.
pub fn check(spec: &Spec, api: &Api) -> Census {
    let mut walk = Walk { raw: &spec.raw, api, seen: BTreeSet::new(), census: Census::default() };
    for (name, def) in &api.types {
        if matches!(def.kind, TypeKind::Struct(_)) {
            walk.visit(name, vec![def.origin.clone()]);
        }
    }
    walk.census.lost.sort();
    walk.census.lost.dedup();
    walk.census
}

struct Walk<'a> {
    raw: &'a Value,
    api: &'a Api,
    /// (type, the schemas it was checked against): each pair once.
    seen: BTreeSet<(String, Vec<String>)>,
    census: Census,
}

impl Walk<'_> {
    /// Checks the type `name` against the schemas at `schemas` (JSON pointers).
    fn visit(&mut self, name: &str, mut schemas: Vec<String>) {
        schemas.sort();
        schemas.dedup();
        if !self.seen.insert((name.to_owned(), schemas.clone())) {
            return;
        }
        let Some(def) = self.api.types.get(name) else { return };
        let fields = match &def.kind {
            TypeKind::Struct(s) => &s.fields,
            TypeKind::Alias(ty) => return self.descend(ty, schemas),
            _ => return,
        };
        let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for schema in &schemas {
            self.members(schema, &mut members, 0);
        }
        for (member, definitions) in members {
            self.census.checked += 1;
            match fields.iter().find(|f| f.wire == member) {
                Some(field) => self.descend(&field.ty, definitions),
                None => {
                    let defined_at = definitions.first().cloned().unwrap_or_default();
                    self.census.lost.push(Lost { type_name: name.to_owned(), member, defined_at });
                }
            }
        }
    }

    /// Follows a field's type into the schemas that describe its values.
    fn descend(&mut self, ty: &TypeRef, schemas: Vec<String>) {
        match ty {
            TypeRef::Named(name) => self.visit(name, schemas),
            TypeRef::Vec(inner) => {
                let items = schemas.iter().filter_map(|s| self.child(s, "items")).collect();
                self.descend(inner, items)
            }
            TypeRef::Map(inner) => {
                let values = schemas.iter().filter_map(|s| self.child(s, "additionalProperties")).collect();
                self.descend(inner, values)
            }
            TypeRef::Nullable(inner) => self.descend(inner, schemas),
            _ => {}
        }
    }

    /// `key` of the schema at `pointer` (through `$ref`s and `allOf` parts), if it is a schema.
    fn child(&self, pointer: &str, key: &str) -> Option<String> {
        let (node, at) = self.resolve(pointer)?;
        if node.get(key).is_some_and(Value::is_object) {
            return Some(format!("{at}/{key}"));
        }
        let parts = node.get("allOf").and_then(Value::as_array)?;
        (0..parts.len()).find_map(|i| self.child(&format!("{at}/allOf/{i}"), key))
    }

    /// Every member the schema at `pointer` defines, with where: its properties, and those of
    /// its `allOf` parts and `anyOf`/`oneOf` alternatives.
    fn members(&self, pointer: &str, out: &mut BTreeMap<String, Vec<String>>, depth: usize) {
        let Some((node, at)) = self.resolve(pointer).filter(|_| depth < 64) else { return };
        for keyword in ["allOf", "anyOf", "oneOf"] {
            let count = node.get(keyword).and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                self.members(&format!("{at}/{keyword}/{i}"), out, depth + 1);
            }
        }
        let Some((properties, properties_at)) = self.resolve(&format!("{at}/properties")) else { return };
        for key in properties.as_object().into_iter().flat_map(|m| m.keys()) {
            out.entry(key.clone()).or_default().push(format!("{properties_at}/{}", crate::load::pointer::escape(key)));
        }
    }

    /// The node at `pointer`, through any `$ref`s, and the pointer where it is.
    fn resolve(&self, pointer: &str) -> Option<(&Value, String)> {
        let mut at = pointer.to_owned();
        for _ in 0..64 {
            let node = self.raw.pointer(&at)?;
            match node.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
                Some(target) => at = target.to_owned(),
                None => return Some((node, at)),
            }
        }
        None
    }
}
