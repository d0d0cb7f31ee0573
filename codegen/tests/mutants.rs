//! Structured mutation test: real operations of the spec (with every component they reach),
//! mutated the way hand edits go wrong (a node deleted, a `type` changed, a `$ref` broken or
//! pointed elsewhere, a schema swapped for a scalar, a key written twice, a schema nested deep,
//! a long chain of `$ref`s), then the whole pipeline: load, lower, emit. Every mutant must end
//! in `Ok` or an error that names a place in the spec; a panic, an error naming no place (and a
//! stack overflow, which aborts the test) fail it.
//!
//! Deterministic: a fixed seed and a PRNG of our own. `MUTANTS=N` runs N mutants instead of
//! the default, `MUTANTS_SEED=S` another seed, `MUTANTS_VERBOSE=1` prints each mutant before
//! it runs (to find the one a stack overflow aborted on).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use codegen::{load, Error, Selection, Settings};
use serde_json::{json, Value};

/// The operations mutated: a small create, a big create, a paged list, a request body that is
/// a `oneOf`, and a nested configuration.
const OPERATIONS: [&str; 5] =
    ["functions_create_namespace", "droplets_create", "droplets_list", "autoscalepools_create", "monitoring_create_alertPolicy"];

const DEFAULT_MUTANTS: usize = 200;
const DEFAULT_SEED: u64 = 0x0005_eed0_fd16;

/// splitmix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len()))
        }
    }
}

/// One mutant: the document, and the pointer of an object whose first key is written twice.
struct Mutant {
    doc: Value,
    duplicate: Option<String>,
    what: Vec<String>,
}

/// Every node's pointer (the root excluded), in document order.
fn pointers(node: &Value, at: String, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let child = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(child.clone());
                pointers(value, child, out);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                let child = format!("{at}/{i}");
                out.push(child.clone());
                pointers(value, child, out);
            }
        }
        _ => {}
    }
}

fn split_last(pointer: &str) -> (&str, String) {
    let i = pointer.rfind('/').unwrap_or(0);
    (&pointer[..i], pointer[i + 1..].replace("~1", "/").replace("~0", "~"))
}

/// Objects that have `key`, and the value there.
fn objects_with(doc: &Value, key: &str) -> Vec<String> {
    let mut all = vec![String::new()];
    pointers(doc, String::new(), &mut all);
    all.into_iter().filter(|p| doc.pointer(p).and_then(|v| v.get(key)).is_some()).collect()
}

/// Pointers of every schema-like object: a component schema or anything with a `type`,
/// `properties`, `items`, `allOf`, `oneOf` or `anyOf`.
fn schemas(doc: &Value) -> Vec<String> {
    let mut all = Vec::new();
    pointers(doc, String::new(), &mut all);
    let keys = ["type", "properties", "items", "allOf", "oneOf", "anyOf"];
    all.into_iter()
        .filter(|p| {
            let node = doc.pointer(p);
            node.is_some_and(|n| keys.iter().any(|k| n.get(k).is_some()))
                || (p.starts_with("/components/schemas/") && p.matches('/').count() == 3)
        })
        .collect()
}

/// How often each mutation is picked (out of the sum): deleting, retyping, re-pointing and
/// swapping are the common hand edits; a duplicate key ends in the YAML reader, so it is rarer.
const WEIGHTS: [usize; 8] = [3, 3, 3, 3, 1, 1, 2, 2];

fn mutate(doc: &mut Value, duplicate: &mut Option<String>, rng: &mut Rng) -> String {
    let mut pick = rng.below(WEIGHTS.iter().sum());
    let mut which = 0;
    while pick >= WEIGHTS[which] {
        pick -= WEIGHTS[which];
        which += 1;
    }
    match which {
        0 => {
            let mut all = Vec::new();
            pointers(doc, String::new(), &mut all);
            let Some(at) = rng.pick(&all).cloned() else { return "nothing to delete".into() };
            let (parent, key) = split_last(&at);
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = key.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
            format!("delete {at}")
        }
        1 => {
            let found = objects_with(doc, "type");
            let Some(at) = rng.pick(&found).cloned() else { return "no type to change".into() };
            let types = [
                json!("string"),
                json!("integer"),
                json!("number"),
                json!("boolean"),
                json!("array"),
                json!("object"),
                json!("null"),
                json!("nonsense"),
                json!(5),
                json!(["string", "null"]),
                json!({}),
            ];
            let new = rng.pick(&types).cloned().unwrap_or(Value::Null);
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert("type".into(), new.clone());
            }
            format!("type of {at} := {new}")
        }
        2 => {
            let found = objects_with(doc, "$ref");
            let Some(at) = rng.pick(&found).cloned() else { return "no $ref to break".into() };
            let mut components = Vec::new();
            if let Some(Value::Object(sections)) = doc.get("components") {
                for (section, entries) in sections {
                    for name in entries.as_object().into_iter().flat_map(|e| e.keys()) {
                        components.push(format!("#/components/{section}/{name}"));
                    }
                }
            }
            let broken = [
                "#/components/schemas/no_such_schema",
                "no_such_file.yml",
                "no_such_file.yml#/x",
                "#/components/schemas",
                "#/paths",
                "#",
                "",
                "#no-slash",
                "https://example.com/x.yml",
                "/etc/passwd",
                "../outside.yml",
                "openapi.yaml",
                "#/components/schemas/a~2b",
                "%ff",
            ];
            let new = if rng.below(2) == 0 {
                rng.pick(&broken).map(|s| s.to_string()).unwrap_or_default()
            } else {
                rng.pick(&components).cloned().unwrap_or_default()
            };
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert("$ref".into(), Value::String(new.clone()));
            }
            format!("$ref at {at} := {new:?}")
        }
        3 => {
            let found = schemas(doc);
            let Some(at) = rng.pick(&found).cloned() else { return "no schema to swap".into() };
            let scalars = [json!("a string"), json!(0), json!(true), Value::Null, json!([]), json!([1, "two"])];
            let new = rng.pick(&scalars).cloned().unwrap_or(Value::Null);
            if let Some(node) = doc.pointer_mut(&at) {
                *node = new.clone();
            }
            format!("schema {at} := {new}")
        }
        4 => {
            let mut all = vec![String::new()];
            pointers(doc, String::new(), &mut all);
            let objects: Vec<String> =
                all.into_iter().filter(|p| doc.pointer(p).and_then(Value::as_object).is_some_and(|m| !m.is_empty())).collect();
            let Some(at) = rng.pick(&objects).cloned() else { return "no object".into() };
            *duplicate = Some(at.clone());
            format!("duplicate the first key of {at}")
        }
        5 => {
            let found = schemas(doc);
            let Some(at) = rng.pick(&found).cloned() else { return "no schema to nest".into() };
            // Mostly within the YAML reader's depth limit, so that the loader and the lowering
            // see deep schemas; sometimes far beyond it.
            let depth = if rng.below(4) == 0 { 1 + rng.below(3000) } else { 1 + rng.below(50) };
            if let Some(node) = doc.pointer_mut(&at) {
                let mut nested = node.take();
                for _ in 0..depth {
                    nested = json!({"type": "array", "items": nested});
                }
                *node = nested;
            }
            format!("schema {at} nested {depth} arrays deep")
        }
        6 => {
            let schema_ref = |p: &String| {
                doc.pointer(p).and_then(|v| v.get("$ref")).and_then(Value::as_str).is_some_and(|r| r.starts_with("#/components/schemas/"))
            };
            let found: Vec<String> = objects_with(doc, "$ref").into_iter().filter(schema_ref).collect();
            let Some(at) = rng.pick(&found).cloned() else { return "no schema $ref for a chain".into() };
            let Some(old) = doc.pointer(&at).and_then(|v| v.get("$ref")).cloned() else { return "no $ref".into() };
            let length = if rng.below(4) == 0 { 1 + rng.below(5000) } else { 1 + rng.below(200) };
            let how = rng.below(5);
            let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else { return "no schemas".into() };
            for i in 0..length {
                let next = if i + 1 == length { old.clone() } else { json!(format!("#/components/schemas/chain_{}", i + 1)) };
                let link = match how {
                    0 => json!({"$ref": next}),
                    1 => json!({"allOf": [{"$ref": next}]}),
                    2 => json!({"type": "array", "items": {"$ref": next}}),
                    3 => json!({"type": "object", "properties": {"next": {"$ref": next}}}),
                    _ => json!({"type": "object", "additionalProperties": {"$ref": next}}),
                };
                schemas.insert(format!("chain_{i}"), link);
            }
            if let Some(Value::Object(map)) = doc.pointer_mut(&at) {
                map.insert("$ref".into(), json!("#/components/schemas/chain_0"));
            }
            let kind = ["aliases", "allOf wrappers", "arrays", "properties", "maps"][how];
            format!("$ref at {at} through a chain of {length} {kind}")
        }
        _ => {
            // A schema that includes itself: an `allOf`, `items` or property `$ref` to its own component.
            let names: Vec<String> =
                doc.pointer("/components/schemas").and_then(Value::as_object).map(|m| m.keys().cloned().collect()).unwrap_or_default();
            let Some(name) = rng.pick(&names).cloned() else { return "no component".into() };
            let own = json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
            let how = rng.below(3);
            if let Some(Value::Object(schema)) =
                doc.pointer_mut(&format!("/components/schemas/{}", name.replace('~', "~0").replace('/', "~1")))
            {
                match how {
                    0 => {
                        let all_of = schema.entry("allOf").or_insert_with(|| json!([]));
                        if let Value::Array(members) = all_of {
                            members.push(own);
                        }
                    }
                    1 => {
                        schema.insert("oneOf".into(), json!([own, {"type": "string"}]));
                    }
                    _ => {
                        let props = schema.entry("properties").or_insert_with(|| json!({}));
                        if let Value::Object(props) = props {
                            props.insert("again".into(), own);
                        }
                    }
                }
            }
            format!("schema {name} includes itself ({})", ["allOf", "oneOf", "property"][how])
        }
    }
}

/// JSON text (which YAML reads), with the first key of the object at `duplicate` written twice.
fn write_json(node: &Value, at: &str, duplicate: Option<&str>, out: &mut String) {
    match node {
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            let mut entry = |key: &String, value: &Value, out: &mut String| {
                if !first {
                    out.push(',');
                }
                first = false;
                let _ = write!(out, "{}:", Value::String(key.clone()));
                let child = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                write_json(value, &child, duplicate, out);
            };
            if duplicate == Some(at) {
                if let Some((key, value)) = map.iter().next() {
                    entry(key, value, out);
                }
            }
            for (key, value) in map {
                entry(key, value, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, &format!("{at}/{i}"), duplicate, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[derive(Default)]
struct Tally {
    run: usize,
    ok: usize,
    located: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
    slowest: (std::time::Duration, String),
}

fn kind(error: &Error) -> &'static str {
    match error {
        Error::Yaml { .. } => "yaml",
        Error::Ref { .. } => "ref",
        Error::Shape { .. } => "shape",
        Error::Unsupported { .. } => "unsupported",
        Error::Io { .. } => "io",
        _ => "other",
    }
}

fn run_pipeline(entry: &Path) -> Result<(), Error> {
    let spec = load::load(entry)?;
    codegen::generate_with(&spec, &Selection::default(), &Settings::with_header("mutant")).map(|_| ())
}

#[test]
fn mutants_of_real_operations_end_in_ok_or_a_located_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = codegen::source::find(None, &root).unwrap();
    let spec = load::load(&path).unwrap();
    let base = codegen::excerpt::excerpt(&spec.raw, &OPERATIONS).unwrap_or_else(|| panic!("none of {OPERATIONS:?} in the spec"));
    let count = std::env::var("MUTANTS").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_MUTANTS);
    let seed = std::env::var("MUTANTS_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_SEED);
    let verbose = std::env::var_os("MUTANTS_VERBOSE").is_some();
    let dir = tempfile::tempdir().unwrap();
    let entry = dir.path().join("openapi.yaml");

    // The unmutated excerpt generates: a mutant's error is the mutation's doing.
    let mut text = String::new();
    write_json(&base, "", None, &mut text);
    std::fs::write(&entry, &text).unwrap();
    run_pipeline(&entry).unwrap_or_else(|e| panic!("the unmutated excerpt: {e}"));

    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    for n in 0..count {
        let mut mutant = Mutant { doc: base.clone(), duplicate: None, what: Vec::new() };
        for _ in 0..1 + rng.below(3) {
            let what = mutate(&mut mutant.doc, &mut mutant.duplicate, &mut rng);
            mutant.what.push(what);
        }
        let label = format!("mutant {n} (seed {seed}): {}", mutant.what.join("; "));
        if verbose {
            eprintln!("{label}");
        }
        let mut text = String::new();
        write_json(&mutant.doc, "", mutant.duplicate.as_deref(), &mut text);
        std::fs::write(&entry, &text).unwrap();
        tally.run += 1;
        let started = std::time::Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| run_pipeline(&entry)));
        if started.elapsed() > tally.slowest.0 {
            tally.slowest = (started.elapsed(), label.clone());
        }
        if verbose {
            eprintln!("  -> {:?}", outcome.as_ref().map(|r| r.as_ref().map_err(ToString::to_string)));
        }
        match outcome {
            Ok(Ok(())) => tally.ok += 1,
            // The loader turns a panic in its document reader thread into an error: still a panic.
            Ok(Err(error)) if error.to_string().contains("panicked") => tally.failures.push(format!("{label}: {error}")),
            Ok(Err(error)) => match error.location() {
                Some(at) if !at.file.as_os_str().is_empty() => *tally.located.entry(kind(&error)).or_default() += 1,
                _ => tally.failures.push(format!("{label}: an error naming no place: {error}")),
            },
            Err(_) => tally.failures.push(format!("{label}: panicked")),
        }
    }
    let located: usize = tally.located.values().sum();
    let kinds: Vec<String> = tally.located.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let line = format!(
        "mutants: {} run, {} ok, {located} located errors ({}), {} failures",
        tally.run,
        tally.ok,
        kinds.join(", "),
        tally.failures.len()
    );
    println!("{line}");
    // Kept for CI, which prints the counts of `cargo test`'s whole-spec tests after the run.
    let figures = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("figures");
    let kept = std::fs::create_dir_all(&figures).and_then(|()| std::fs::write(figures.join("mutants.txt"), format!("{line}\n")));
    if let Err(e) = kept {
        eprintln!("cannot keep the counts in {}: {e}", figures.display());
    }
    println!("slowest mutant: {:.0} ms, {}", tally.slowest.0.as_secs_f64() * 1000.0, tally.slowest.1);
    assert!(tally.failures.is_empty(), "{} mutants failed:\n{}", tally.failures.len(), tally.failures.join("\n"));
    assert_eq!(tally.run, tally.ok + located);
}
