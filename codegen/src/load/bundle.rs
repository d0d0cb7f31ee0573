//! The bundler: walks the entry document with OpenAPI context and follows every `$ref`.
//!
//! A `$ref` standing where a reusable component stands is hoisted into
//! `components/<section>/<name>` and rewritten to point there; any other `$ref` is replaced by
//! its target. Refs into the entry file itself are kept as written (a bundled file stays as is).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::files::{FileId, Files, OpenError};
use super::origins::Origins;
use super::pointer;
use super::role::{Kind, Role, ANY, HOISTABLE};
use crate::error::{Error, Location};

/// The bundled document and what the checks after bundling need to report errors well.
pub struct Bundle {
    pub doc: Value,
    pub origins: Origins,
    /// For each `$ref` node left in the bundled document: the reference as written in the source.
    pub written: BTreeMap<String, String>,
}

/// A node in one file: the thing a `$ref` points at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: FileId,
    pointer: String,
}

/// Where the walk is: the node's file and pointer in it, and its pointer in the bundled document.
/// The walk steps in and out of children on the same two buffers ([`Here::enter`],
/// [`Here::leave`]) rather than building two strings per node.
struct Here {
    file: FileId,
    src: String,
    out: String,
}

/// The pointers' lengths before a step in, to go back to.
#[derive(Clone, Copy)]
struct Mark(usize, usize);

impl Here {
    fn enter(&mut self, key: &str) -> Mark {
        let mark = Mark(self.src.len(), self.out.len());
        pointer::append(&mut self.src, key);
        pointer::append(&mut self.out, key);
        mark
    }

    fn enter_index(&mut self, i: usize) -> Mark {
        use std::fmt::Write;
        let mark = Mark(self.src.len(), self.out.len());
        // Writing into a `String` cannot fail.
        let _ = write!(self.src, "/{i}");
        let _ = write!(self.out, "/{i}");
        mark
    }

    fn leave(&mut self, Mark(src, out): Mark) {
        self.src.truncate(src);
        self.out.truncate(out);
    }
}

struct Bundler<'f> {
    files: &'f mut Files,
    entry: FileId,
    names: BTreeMap<(Kind, Target), String>,
    taken: BTreeMap<Kind, BTreeSet<String>>,
    hoisted: BTreeMap<Kind, Map<String, Value>>,
    inline_stack: Vec<Target>,
    origins: Origins,
    written: BTreeMap<String, String>,
    /// How deep the walk is (nodes within nodes, and each followed `$ref` within the walk of
    /// the node that reached it).
    depth: usize,
}

/// The deepest the walk goes. The whole DigitalOcean spec needs 44 (measured when this was
/// written). A single YAML file cannot nest deeper than 128 (the reader's limit), but `$ref`s
/// chain and inlined targets nest without bound: a hand-edited tree could overflow the stack
/// here, and every later reader of the document recurses as deep as it nests.
pub const MAX_DEPTH: usize = 256;

/// Bundles the document whose entry file is `entry`.
pub fn bundle(files: &mut Files, entry: FileId) -> Result<Bundle, Error> {
    let mut b = Bundler {
        files,
        entry,
        names: BTreeMap::new(),
        taken: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        inline_stack: Vec::new(),
        origins: Origins::default(),
        written: BTreeMap::new(),
        depth: 0,
    };
    b.origins.record("", b.location(entry, ""));
    b.register_entry_components()?;
    let doc = b.files.doc(entry);
    let mut root = Here { file: entry, src: String::new(), out: String::new() };
    let mut out = b.walk(&doc, Role::One(Kind::Document), &mut root)?;
    b.merge_hoisted(&mut out)?;
    Ok(Bundle { doc: out, origins: b.origins, written: b.written })
}

impl Bundler<'_> {
    fn location(&self, file: FileId, at: &str) -> Location {
        Location::new(self.files.name(file), at)
    }

    /// The entry's own components keep their names; a component that is a bare `$ref` to
    /// another file gives that file its name (it is inlined there, not hoisted again).
    fn register_entry_components(&mut self) -> Result<(), Error> {
        let doc = self.files.doc(self.entry);
        let Some(Value::Object(sections)) = doc.get("components") else {
            return Ok(());
        };
        let mut aliases = Vec::new();
        for (section, entries) in sections {
            let (Some(kind), Value::Object(entries)) = (Kind::from_section(section), entries) else {
                continue;
            };
            for (name, value) in entries {
                let at = pointer::push(&pointer::push("/components", section), name);
                self.taken.entry(kind).or_default().insert(name.clone());
                let target = Target { file: self.entry, pointer: at.clone() };
                self.names.insert((kind, target), name.clone());
                if let Some(Value::String(reference)) = value.get("$ref") {
                    aliases.push((kind, name.clone(), at, reference.clone()));
                }
            }
        }
        for (kind, name, at, reference) in aliases {
            let here = Here { file: self.entry, src: at.clone(), out: at };
            let target = self.resolve(&reference, &here)?;
            if target.file != self.entry {
                self.names.entry((kind, target)).or_insert(name);
            }
        }
        Ok(())
    }

    fn walk(&mut self, node: &Value, role: Role, here: &mut Here) -> Result<Value, Error> {
        if self.depth >= MAX_DEPTH {
            let what = format!(
                "the document nests more than {MAX_DEPTH} deep here (through $refs that chain or whose targets nest); the node that went too deep is here"
            );
            return Err(Error::Unsupported { at: self.location(here.file, &here.src), what });
        }
        self.depth += 1;
        let walked = self.walk_node(node, role, here);
        self.depth -= 1;
        walked
    }

    fn walk_node(&mut self, node: &Value, role: Role, here: &mut Here) -> Result<Value, Error> {
        // A node of no OpenAPI role (an example's value, an extension) without any `$ref` in
        // it is copied whole: nothing in it is hoisted, inlined or renamed.
        if role == ANY && plain(node, MAX_DEPTH - self.depth) {
            return Ok(node.clone());
        }
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    return self.follow(map, reference, role, here);
                }
                if role == Role::One(Kind::Mapping) {
                    return self.mapping(map, here);
                }
                let mut out = Map::with_capacity(map.len());
                for (key, value) in map {
                    let mark = here.enter(key);
                    out.insert(key.clone(), self.walk(value, role.child(key), here)?);
                    here.leave(mark);
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let mark = here.enter_index(i);
                    out.push(self.walk(item, role.item(), here)?);
                    here.leave(mark);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    fn follow(&mut self, map: &Map<String, Value>, reference: &str, role: Role, here: &mut Here) -> Result<Value, Error> {
        let target = self.resolve(reference, here)?;
        let hoisted = match role.hoisted_kind() {
            Some(kind) => self.component_ref(kind, &target, here)?,
            None => None,
        };
        let mut out = match hoisted {
            Some(at) => {
                self.written.insert(here.out.clone(), reference.to_string());
                let mut only_ref = Map::new();
                only_ref.insert("$ref".to_string(), Value::String(format!("#{at}")));
                Value::Object(only_ref)
            }
            None => self.inline(target, role, here, reference)?,
        };
        // Keys beside `$ref` (none in the upstream tree) are kept and win over the target's.
        for (key, value) in map.iter().filter(|(k, _)| *k != "$ref") {
            let mark = here.enter(key);
            self.origins.record(&here.out, self.location(here.file, &here.src));
            let walked = self.walk(value, role.child(key), here)?;
            here.leave(mark);
            if let Value::Object(out) = &mut out {
                out.insert(key.clone(), walked);
            }
        }
        Ok(out)
    }

    /// The bundled pointer a component `$ref` to `target` becomes, hoisting the target on first
    /// use; `None` when `here` is the very component that target defines (so inline it).
    fn component_ref(&mut self, kind: Kind, target: &Target, here: &Here) -> Result<Option<String>, Error> {
        if let Some(name) = self.names.get(&(kind, target.clone())) {
            let at = component_pointer(kind, name);
            return Ok((at != here.out).then_some(at));
        }
        if target.file == self.entry {
            return Ok(Some(target.pointer.clone()));
        }
        let name = self.fresh_name(kind, target);
        self.names.insert((kind, target.clone()), name.clone());
        let at = component_pointer(kind, &name);
        self.hoisted.entry(kind).or_default().insert(name.clone(), Value::Null);
        self.origins.record(&at, self.location(target.file, &target.pointer));
        let doc = self.files.doc(target.file);
        let node = pointer::get(&doc, &target.pointer).unwrap_or(&Value::Null);
        let mut there = Here { file: target.file, src: target.pointer.clone(), out: at.clone() };
        let outer_stack = std::mem::take(&mut self.inline_stack);
        let walked = self.walk(node, Role::One(kind), &mut there);
        self.inline_stack = outer_stack;
        self.hoisted.entry(kind).or_default().insert(name, walked?);
        Ok(Some(at))
    }

    fn inline(&mut self, target: Target, role: Role, here: &Here, reference: &str) -> Result<Value, Error> {
        if let Some(start) = self.inline_stack.iter().position(|t| *t == target) {
            let mut chain: Vec<String> = self.inline_stack[start..].iter().map(|t| self.describe(t)).collect();
            chain.push(self.describe(&target));
            return Err(Error::Ref {
                at: self.location(here.file, &here.src),
                reference: reference.to_string(),
                reason: format!("loop of $refs that only point at each other: {}", chain.join(" -> ")),
            });
        }
        self.origins.record(&here.out, self.location(target.file, &target.pointer));
        let doc = self.files.doc(target.file);
        let node = pointer::get(&doc, &target.pointer).unwrap_or(&Value::Null);
        let mut there = Here { file: target.file, src: target.pointer.clone(), out: here.out.clone() };
        self.inline_stack.push(target);
        let walked = self.walk(node, role, &mut there);
        self.inline_stack.pop();
        walked
    }

    /// `discriminator.mapping` values naming schemas by reference become component pointers.
    fn mapping(&mut self, map: &Map<String, Value>, here: &mut Here) -> Result<Value, Error> {
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map {
            let mark = here.enter(key);
            let mapped = match value {
                Value::String(reference) if looks_like_reference(reference) => {
                    let target = self.resolve(reference, here)?;
                    match self.component_ref(Kind::Schema, &target, here)? {
                        Some(at) => Value::String(format!("#{at}")),
                        None => value.clone(),
                    }
                }
                other => self.walk(other, ANY, here)?,
            };
            here.leave(mark);
            out.insert(key.clone(), mapped);
        }
        Ok(Value::Object(out))
    }

    fn resolve(&mut self, reference: &str, here: &Here) -> Result<Target, Error> {
        let bad = |files: &Files, reason: String| Error::Ref {
            at: Location::new(files.name(here.file), here.src.clone()),
            reference: reference.to_string(),
            reason,
        };
        if pointer::has_scheme(reference) {
            let reason = "URLs are not followed; only files inside the spec's root folder".to_string();
            return Err(bad(self.files, reason));
        }
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let (Some(path), Some(fragment)) = (pointer::percent_decode(path), pointer::percent_decode(fragment)) else {
            return Err(bad(self.files, "not UTF-8 after percent-decoding".to_string()));
        };
        let file = if path.is_empty() {
            here.file
        } else {
            match self.files.open(here.file, &path) {
                Ok(id) => id,
                Err(OpenError::Refused(reason)) => return Err(bad(self.files, reason)),
                Err(OpenError::Failed(Error::Yaml { file, message })) => {
                    let from = self.location(here.file, &here.src);
                    let message = format!("{message} (file reached by $ref `{reference}` at {from})");
                    return Err(Error::Yaml { file, message });
                }
                Err(OpenError::Failed(e)) => return Err(e),
            }
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            let reason = "the part after `#` must be a JSON pointer starting with `/`".to_string();
            return Err(bad(self.files, reason));
        }
        if pointer::get(&self.files.doc(file), &fragment).is_none() {
            let reason = format!("{} has nothing at the pointer `{fragment}`", self.files.name(file).display());
            return Err(bad(self.files, reason));
        }
        Ok(Target { file, pointer: fragment })
    }

    /// A name for a new component: the pointer's last segment, else the file's stem;
    /// `-2`, `-3`, ... when a different target already took it.
    fn fresh_name(&mut self, kind: Kind, target: &Target) -> String {
        let mut base = pointer::last_segment(&target.pointer);
        if target.pointer.is_empty() {
            let stem = self.files.name(target.file).file_stem().map(|s| s.to_string_lossy().into_owned());
            base = stem.unwrap_or_default();
        }
        if base.is_empty() {
            base = "component".to_string();
        }
        crate::names::claim_in(self.taken.entry(kind).or_default(), [base], "-")
    }

    fn describe(&self, target: &Target) -> String {
        let file = self.files.name(target.file).display();
        if target.pointer.is_empty() {
            file.to_string()
        } else {
            format!("{file}#{}", target.pointer)
        }
    }

    fn merge_hoisted(&mut self, out: &mut Value) -> Result<(), Error> {
        if self.hoisted.is_empty() {
            return Ok(());
        }
        let entry = self.files.name(self.entry).to_path_buf();
        let shape = |at: &str, message: &str| Error::Shape { at: Location::new(&entry, at), message: message.into() };
        let Value::Object(doc) = out else {
            return Err(shape("", "the entry file is not a mapping"));
        };
        let components = doc.entry("components").or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            return Err(shape("/components", "`components` is not a mapping"));
        };
        for kind in HOISTABLE {
            let (Some(entries), Some(section)) = (self.hoisted.remove(&kind), kind.section()) else {
                continue;
            };
            let slot = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(slot) = slot else {
                return Err(shape(&format!("/components/{section}"), "this components section is not a mapping"));
            };
            slot.extend(entries);
        }
        Ok(())
    }
}

/// Whether `node` holds no `$ref` and nests less than `depth` deep (deeper, the walk reports it).
fn plain(node: &Value, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    match node {
        Value::Object(map) => !map.contains_key("$ref") && map.values().all(|v| plain(v, depth - 1)),
        Value::Array(items) => items.iter().all(|v| plain(v, depth - 1)),
        _ => true,
    }
}

fn component_pointer(kind: Kind, name: &str) -> String {
    let section = kind.section().unwrap_or("schemas");
    pointer::push(&pointer::push("/components", section), name)
}

/// A mapping value is a reference when it has a `#` or `/` or a file extension; otherwise it
/// is a plain schema name and stays as written.
fn looks_like_reference(value: &str) -> bool {
    value.contains('#') || value.contains('/') || [".yml", ".yaml", ".json"].iter().any(|ext| value.ends_with(ext))
}
