//! Names for component schemas that share a name.
//!
//! A bundler that hoists two different schemas to the same component name tells them apart
//! with a counter (`user`, `user-2`), and which one gets the counter depends on the order it
//! walks the files in. Redocly and this project's loader walk differently, and a schema added
//! anywhere can come first. So a counter never names a type here:
//!
//! 1. `name` and every `name-N` of the same section form one group (a `name-N` without a
//!    `name` is an ordinary name).
//! 2. The committed manifest (the [`Lock`]) keeps the names users already have: each member
//!    takes the name of the locked type of its group that it resembles (same kind, most
//!    members in common), so that adding a schema elsewhere never renames an existing type.
//! 3. A member the lock does not know takes the plain name when no other member holds it
//!    (the member with the most referrers first), else the name of where it is used: the
//!    first of its referrers (a schema, a response, a request body or an operation) in name
//!    order, before its own name (`VpcUrn`).
//!
//! Everything here is read from the bundled document in a way that does not depend on the
//! counters, so a tree and a bundle of it give the same names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::load::pointer;
use crate::manifest::{Kind, Manifest};
use crate::names;

/// The type names a generated crate already has, by component schema: the committed manifest.
#[derive(Debug, Clone, Default)]
pub struct Lock {
    /// Component schema name (the group's name, as the manifest writes it) and its type.
    types: Vec<(String, Locked)>,
}

#[derive(Debug, Clone)]
struct Locked {
    name: String,
    outline: Outline,
}

/// What a schema looks like, enough to tell the members of a group apart.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Outline {
    kind: Coarse,
    members: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Coarse {
    Object,
    Enum,
    Union,
    Other,
}

const SCHEMAS: &str = "/components/schemas/";

impl Lock {
    /// The names of the types of `manifest` that stand for component schemas.
    pub fn from_manifest(manifest: &Manifest) -> Lock {
        let mut types = Vec::new();
        for ty in &manifest.types {
            let Some(key) = ty.origin.strip_prefix(SCHEMAS).map(pointer::unescape) else { continue };
            let kind = match ty.kind {
                Kind::Struct => Coarse::Object,
                Kind::Enum | Kind::IntEnum => Coarse::Enum,
                Kind::Union | Kind::Answers => Coarse::Union,
                Kind::Alias => Coarse::Other,
            };
            let members = ty.fields.iter().map(|f| f.wire.clone()).collect();
            let outline = Outline { kind, members };
            types.push((key, Locked { name: ty.name.clone(), outline }));
        }
        Lock { types }
    }

    /// The names of the manifest committed in the generated crate at `dir` (`api/`): how the
    /// crate's own tests lower the spec as codegen did. Empty when there is no manifest.
    pub fn committed(dir: &std::path::Path) -> crate::error::Result<Lock> {
        if !dir.join(crate::manifest::INDEX).is_file() {
            return Ok(Lock::default());
        }
        let manifest = Manifest::from_files(|path| std::fs::read_to_string(dir.join(path)))?;
        Ok(Lock::from_manifest(&manifest))
    }
}

/// Every numbered component schema name and its group (`user-2` -> `user`): the manifest
/// writes origins with the group's name, which does not depend on the bundler.
pub(super) fn numbered(raw: &Value) -> BTreeMap<String, String> {
    let Some(Value::Object(schemas)) = raw.pointer("/components/schemas") else { return BTreeMap::new() };
    let keys: BTreeSet<String> = schemas.keys().cloned().collect();
    keys.iter().filter(|k| group_of(k, &keys) != k.as_str()).map(|k| (k.clone(), group_of(k, &keys).to_owned())).collect()
}

/// The group a component name belongs to: `user-2` -> `user` when `user` exists too.
fn group_of<'k>(key: &'k str, keys: &BTreeSet<String>) -> &'k str {
    if let Some((base, counter)) = key.rsplit_once('-') {
        let numbered = !counter.is_empty() && counter.bytes().all(|b| b.is_ascii_digit()) && counter != "1";
        if numbered && keys.contains(base) {
            return base;
        }
    }
    key
}

/// The Rust name of every component schema that belongs to a group of several (or that the
/// lock names otherwise than its plain name); the others are named as before.
pub(super) fn names(raw: &Value, lock: &Lock) -> BTreeMap<String, String> {
    let Some(Value::Object(schemas)) = raw.pointer("/components/schemas") else { return BTreeMap::new() };
    let keys: BTreeSet<String> = schemas.keys().cloned().collect();
    let mut groups: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for key in &keys {
        groups.entry(group_of(key, &keys)).or_default().push(key);
    }
    // The committed crate's names by group, grouped by this spec's names: a locked `user-2`
    // belongs to this spec's `user`, even when its own bundle had no `user` left.
    let mut locks: BTreeMap<&str, Vec<Locked>> = BTreeMap::new();
    for (key, locked) in &lock.types {
        locks.entry(group_of(key, &keys)).or_default().push(locked.clone());
    }
    let referrers = referrers(raw, &keys);
    let mut out = BTreeMap::new();
    for (group, members) in groups {
        let locked = locks.get(group).map(Vec::as_slice).unwrap_or_default();
        let plain = names::type_name(group);
        if members.len() == 1 && locked.iter().all(|l| l.name == plain) {
            continue;
        }
        let found: Vec<Member<'_>> = members
            .iter()
            .map(|key| Member {
                key,
                outline: outline(schemas.get(*key).unwrap_or(&Value::Null), raw),
                referrers: referrers.get(*key).cloned().unwrap_or_default(),
                content: canonical(schemas.get(*key).unwrap_or(&Value::Null), &keys),
            })
            .collect();
        out.extend(name_group(group, &found, locked));
    }
    out
}

struct Member<'k> {
    key: &'k str,
    outline: Outline,
    /// The Rust names of what refers to it, sorted.
    referrers: BTreeSet<String>,
    /// Its JSON with the counters of its `$ref`s removed: the last word between equals.
    content: String,
}

fn name_group(group: &str, members: &[Member<'_>], locked: &[Locked]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut held = BTreeSet::new();
    // Best resemblance first; each member and each locked name is used once.
    let mut pairs = Vec::new();
    for (m, member) in members.iter().enumerate() {
        for (l, lock) in locked.iter().enumerate() {
            if let Some(score) = resemblance(&member.outline, &lock.outline) {
                pairs.push((std::cmp::Reverse(score), l, m));
            }
        }
    }
    pairs.sort();
    let mut matched = BTreeSet::new();
    for (_, l, m) in pairs {
        if matched.contains(&m) || held.contains(&locked[l].name) {
            continue;
        }
        matched.insert(m);
        held.insert(locked[l].name.clone());
        out.insert(members[m].key.to_owned(), locked[l].name.clone());
    }
    let mut rest: Vec<&Member<'_>> = members.iter().enumerate().filter(|(m, _)| !matched.contains(m)).map(|(_, m)| m).collect();
    rest.sort_by(|a, b| {
        (std::cmp::Reverse(a.referrers.len()), &a.outline, &a.content).cmp(&(std::cmp::Reverse(b.referrers.len()), &b.outline, &b.content))
    });
    let plain = names::type_name(group);
    for member in rest {
        let mut candidates = vec![plain.clone()];
        candidates.extend(member.referrers.iter().map(|r| format!("{r}{plain}")));
        // Every candidate taken (members with no referrers left): a number, in the order above,
        // which does not depend on the bundler.
        out.insert(member.key.to_owned(), names::claim_in(&mut held, candidates, ""));
    }
    out
}

/// How much a schema resembles a locked type, or `None` when it is another thing: the same
/// kind scores 1, plus the share of members both have (Jaccard); another kind matches only
/// when most members are shared.
fn resemblance(schema: &Outline, locked: &Outline) -> Option<u32> {
    let both = schema.members.intersection(&locked.members).count();
    let either = schema.members.union(&locked.members).count();
    let shared = (both * 1000).checked_div(either).unwrap_or(1000);
    let shared = u32::try_from(shared).unwrap_or(0);
    if schema.kind == locked.kind {
        Some(1000 + shared)
    } else if shared > 500 {
        Some(shared)
    } else {
        None
    }
}

fn outline(schema: &Value, raw: &Value) -> Outline {
    let kind = match schema {
        Value::Object(map) if map.contains_key("enum") => Coarse::Enum,
        Value::Object(map) if map.contains_key("oneOf") || map.contains_key("anyOf") => Coarse::Union,
        Value::Object(map) if map.contains_key("properties") || map.contains_key("allOf") => Coarse::Object,
        Value::Object(map) if map.get("type").and_then(Value::as_str) == Some("object") => Coarse::Object,
        _ => Coarse::Other,
    };
    let mut members = BTreeSet::new();
    collect_members(schema, raw, &mut members, 0);
    Outline { kind, members }
}

/// The property names of a schema and of its `allOf` parts (followed through `$ref`s).
fn collect_members(schema: &Value, raw: &Value, out: &mut BTreeSet<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')) {
        if let Some(next) = raw.pointer(target) {
            collect_members(next, raw, out, depth + 1);
        }
        return;
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        out.extend(properties.keys().cloned());
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for part in parts {
            collect_members(part, raw, out, depth + 1);
        }
    }
}

/// Where each component schema is referred to from, as Rust names: the schema, response or
/// request body component, or the operation (its `operationId`) whose subtree holds the `$ref`.
fn referrers(raw: &Value, keys: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let Value::Object(top) = raw else { return out };
    if let Some(Value::Object(paths)) = top.get("paths") {
        for item in paths.values() {
            let Value::Object(item) = item else { continue };
            for operation in item.values() {
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
                refs_under(operation, &mut |target| {
                    out.entry(target).or_default().insert(names::type_name(id));
                });
            }
        }
    }
    if let Some(Value::Object(components)) = top.get("components") {
        for section in ["schemas", "responses", "requestBodies"] {
            let Some(Value::Object(entries)) = components.get(section) else { continue };
            for (name, value) in entries {
                let own = names::type_name(group_of(name, keys));
                refs_under(value, &mut |target| {
                    if !(section == "schemas" && &target == name) {
                        out.entry(target).or_default().insert(own.clone());
                    }
                });
            }
        }
    }
    out
}

/// Calls `found` with the component schema name of every `$ref` under `value`.
fn refs_under(value: &Value, found: &mut impl FnMut(String)) {
    match value {
        Value::Object(map) => {
            let component = map.get("$ref").and_then(Value::as_str).and_then(pointer::component);
            if let Some(schema) = component.filter(|c| c.whole && c.section == "schemas") {
                found(schema.name);
            }
            map.values().for_each(|v| refs_under(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| refs_under(v, found)),
        _ => {}
    }
}

/// A schema's JSON with each `$ref` to a numbered member of a group written as its group.
fn canonical(schema: &Value, keys: &BTreeSet<String>) -> String {
    fn strip(value: &Value, keys: &BTreeSet<String>) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let target = (k == "$ref").then(|| v.as_str().and_then(|r| r.strip_prefix("#/components/schemas/"))).flatten();
                        match target {
                            Some(target) => (k.clone(), Value::String(format!("#/components/schemas/{}", group_of(target, keys)))),
                            None => (k.clone(), strip(v, keys)),
                        }
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(|v| strip(v, keys)).collect()),
            other => other.clone(),
        }
    }
    strip(schema, keys).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A Kubernetes-like `user` and a gateway-like `user`, each used by one schema, hoisted
    /// under `first` and `second` (`user` and `user-2`, in either order).
    fn doc(first: Value, second: Value) -> Value {
        json!({
            "paths": {},
            "components": { "schemas": {
                "user": first,
                "user-2": second,
                "cluster_user": { "type": "object", "properties": { "user": { "$ref": "#/components/schemas/CLUSTER" } } },
                "get_user_response": { "type": "object", "properties": { "user": { "$ref": "#/components/schemas/GATEWAY" } } }
            }}
        })
    }

    fn cluster() -> Value {
        json!({ "type": "object", "properties": { "kubernetes_cluster_user": { "type": "object" } } })
    }

    fn gateway() -> Value {
        json!({ "type": "object", "properties": { "id": { "type": "string" }, "email": { "type": "string" } } })
    }

    /// `doc` with the placeholders pointing at wherever each schema was hoisted.
    fn hoisted(cluster_key: &str, gateway_key: &str) -> Value {
        let (first, second) = if cluster_key == "user" { (cluster(), gateway()) } else { (gateway(), cluster()) };
        let text = doc(first, second).to_string();
        let text = text.replace("#/components/schemas/CLUSTER", &format!("#/components/schemas/{cluster_key}"));
        let text = text.replace("#/components/schemas/GATEWAY", &format!("#/components/schemas/{gateway_key}"));
        serde_json::from_str(&text).unwrap()
    }

    /// The names given to the cluster's user and to the gateway's user.
    fn both(raw: &Value, cluster_key: &str, gateway_key: &str, lock: &Lock) -> (String, String) {
        let names = names(raw, lock);
        (names[cluster_key].clone(), names[gateway_key].clone())
    }

    fn lock_with_cluster_user(origin_key: &str) -> Lock {
        let manifest = json!({
            "format": crate::manifest::FORMAT, "crate_version": "0.1.0", "api_title": "t", "api_version": "1",
            "operations": [],
            "types": [{
                "name": "User", "kind": "struct", "origin": format!("/components/schemas/{origin_key}"),
                "serialize": false, "deserialize": true, "default": true,
                "fields": [{ "wire": "kubernetes_cluster_user", "rust": "kubernetes_cluster_user", "rust_type": "X", "required": true, "nullable": false }]
            }]
        });
        let manifest = Manifest::from_json(&manifest.to_string()).unwrap();
        Lock::from_manifest(&manifest)
    }

    #[test]
    fn which_schema_the_bundler_numbered_does_not_change_a_name() {
        let none = Lock::default();
        let one_way = both(&hoisted("user", "user-2"), "user", "user-2", &none);
        let other_way = both(&hoisted("user-2", "user"), "user-2", "user", &none);
        assert_eq!(one_way, other_way);
        // Equal referrer counts: the outline orders them (an object with `email` and `id` first);
        // the other is named after where it is used.
        assert_eq!(one_way, ("ClusterUserUser".to_owned(), "User".to_owned()));
    }

    #[test]
    fn a_locked_name_stays_with_its_schema_when_another_schema_takes_the_name() {
        // The committed crate had only the cluster's `user`; the update adds the gateway's, and
        // the loader now hoists the gateway's first.
        let lock = lock_with_cluster_user("user");
        let names = both(&hoisted("user-2", "user"), "user-2", "user", &lock);
        assert_eq!(names, ("User".to_owned(), "GetUserResponseUser".to_owned()));
        // The same whichever got the number, and whatever the committed manifest's key was.
        assert_eq!(both(&hoisted("user", "user-2"), "user", "user-2", &lock), names);
        assert_eq!(both(&hoisted("user", "user-2"), "user", "user-2", &lock_with_cluster_user("user-2")), names);
    }

    #[test]
    fn a_numbered_name_without_its_base_is_an_ordinary_name() {
        let raw = json!({ "components": { "schemas": { "ipv-6": { "type": "string" }, "user": { "type": "string" } } } });
        assert!(names(&raw, &Lock::default()).is_empty());
        assert!(numbered(&raw).is_empty());
        let raw = json!({ "components": { "schemas": { "user-2": { "type": "string" }, "user": { "type": "object" } } } });
        assert_eq!(numbered(&raw), BTreeMap::from([("user-2".to_owned(), "user".to_owned())]));
    }
}
