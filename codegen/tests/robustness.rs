//! Regression tests for what the fuzz targets (`codegen/fuzz/`) and the mutation test
//! (`mutants.rs`) found: inputs that made the generator overflow its stack, loop or panic. Each
//! must now end in an error that names the place in the spec, on an ordinary test thread.

use std::path::Path;

use codegen::{load, Error, Selection, Settings};
use serde_json::{json, Map, Value};

/// A spec with one operation whose answer is the schema `root`, and these component schemas.
fn spec_with(schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {
            "operationId": "get_x", "tags": ["X"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/root"}}}}}
        }}},
        "components": {"schemas": schemas}
    })
}

/// Writes `doc` as the spec's one file and runs the whole pipeline on it.
fn generate(doc: &Value) -> Result<(), Error> {
    let dir = tempfile::tempdir().unwrap();
    let entry = dir.path().join("openapi.yaml");
    std::fs::write(&entry, doc.to_string()).unwrap();
    generate_file(&entry)
}

fn generate_file(entry: &Path) -> Result<(), Error> {
    let spec = load::load(entry)?;
    codegen::generate_with(&spec, &Selection::default(), &Settings::with_header("test")).map(|_| ())
}

/// The error, its text, and the pointer it names (in `openapi.yaml`).
fn failure(result: Result<(), Error>) -> (String, String) {
    let error = match result {
        Ok(()) => panic!("expected an error"),
        Err(e) => e,
    };
    let at = error.location().unwrap_or_else(|| panic!("no location: {error}"));
    assert_eq!(at.file, Path::new("openapi.yaml"), "{error}");
    (error.to_string(), at.pointer)
}

/// How one schema of a chain holds the next (given as a `$ref`).
type Link = fn(Value) -> Value;

/// `root` and `chain_1` ... `chain_{n-1}`: each the `link` of the next, the last a string.
fn chain(n: usize, link: Link) -> Map<String, Value> {
    let mut schemas = Map::new();
    for i in 0..n {
        let name = if i == 0 { "root".to_owned() } else { format!("chain_{i}") };
        let next = json!({"$ref": format!("#/components/schemas/chain_{}", i + 1)});
        schemas.insert(name, if i + 1 == n { json!({"type": "string"}) } else { link(next) });
    }
    schemas
}

#[test]
fn a_schema_that_includes_itself_through_all_of_is_a_located_error() {
    // Found by the mutation test: `shape` and `collect` recursed forever (a stack overflow).
    let mut schemas = Map::new();
    schemas.insert(
        "root".into(),
        json!({"allOf": [{"$ref": "#/components/schemas/base"}, {"type": "object", "properties": {"a": {"type": "string"}}}]}),
    );
    schemas.insert("base".into(), json!({"allOf": [{"$ref": "#/components/schemas/root"}]}));
    let (message, at) = failure(generate(&spec_with(schemas)));
    assert!(message.contains("includes itself through allOf/oneOf/anyOf"), "{message}");
    assert!(at.starts_with("/components/schemas/"), "{at}");

    let mut schemas = Map::new();
    schemas.insert(
        "root".into(),
        json!({"anyOf": [{"$ref": "#/components/schemas/root"}, {"type": "object", "properties": {"a": {"type": "string"}}}]}),
    );
    let (message, _) = failure(generate(&spec_with(schemas)));
    assert!(message.contains("includes itself"), "{message}");
}

#[test]
fn long_chains_of_schemas_are_a_located_error_not_a_stack_overflow() {
    // Found by the mutation test: 2,364 `allOf` wrappers, and 4,733 maps of the next, each
    // overflowed the stack of a test thread.
    // The longest chain of each kind that still generates (a property takes two steps).
    let links: [(&str, usize, Link); 4] = [
        ("allOf", 95, |next| json!({"allOf": [next]})),
        ("maps", 95, |next| json!({"type": "object", "additionalProperties": next})),
        ("arrays", 95, |next| json!({"type": "array", "items": next})),
        ("properties", 45, |next| json!({"type": "object", "properties": {"next": next}})),
    ];
    for (kind, within, link) in links {
        let (message, at) = failure(generate(&spec_with(chain(5000, link))));
        assert!(message.contains("more than 100 deep"), "{kind}: {message}");
        assert!(at.starts_with("/components/schemas/chain_"), "{kind}: {at}");
        // Just within the limit the same chain generates (on a 2 MiB test thread).
        generate(&spec_with(chain(within, link))).unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
}

#[test]
fn a_schema_that_is_a_map_of_itself_through_refs_only_is_a_located_error() {
    // Found by the mutation test: `a` a map of `b`, `b` a map of `a` lowered to two type
    // aliases of each other, and the emitter followed them forever (a stack overflow).
    let mut schemas = Map::new();
    schemas.insert("root".into(), json!({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/other"}}));
    schemas.insert("other".into(), json!({"type": "array", "items": {"$ref": "#/components/schemas/root"}}));
    let (message, at) = failure(generate(&spec_with(schemas)));
    assert!(message.contains("array or map of itself"), "{message}");
    assert!(at == "/components/schemas/other" || at == "/components/schemas/root", "{at}");
}

/// A two-file tree: `openapi.yaml` (the `doc`) and `more.yml` (the `more` text).
fn tree(doc: &Value, more: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), doc.to_string()).unwrap();
    std::fs::write(dir.path().join("more.yml"), more).unwrap();
    dir
}

/// `openapi.yaml` whose `info` has `x-more: {$ref: more.yml#/x0}` and whose one answer is
/// `more.yml#/s0`.
fn entry_into_more() -> Value {
    json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1", "x-more": {"$ref": "more.yml#/x0"}},
        "paths": {"/x": {"get": {
            "operationId": "get_x", "tags": ["X"],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "more.yml#/s0"}}}}}
        }}}
    })
}

/// The error of loading (and generating) a tree, its text and where it is.
fn tree_failure(dir: &tempfile::TempDir) -> (String, codegen::Location) {
    let error = match generate_file(&dir.path().join("openapi.yaml")) {
        Ok(()) => panic!("expected an error"),
        Err(e) => e,
    };
    let at = error.location().unwrap_or_else(|| panic!("no location: {error}"));
    (error.to_string(), at)
}

fn inlined_chain(n: usize) -> String {
    let mut more = String::from("s0: {type: string}\n");
    for i in 0..n {
        let _ = std::fmt::Write::write_fmt(&mut more, format_args!("x{i}: {{$ref: '#/x{}'}}\n", i + 1));
    }
    more.push_str(&format!("x{n}: end\n"));
    more
}

/// Loads a tree (without lowering it).
fn loads(dir: &tempfile::TempDir) -> Result<(), Error> {
    load::load(&dir.path().join("openapi.yaml")).map(|_| ())
}

#[test]
fn a_long_chain_of_inlined_refs_in_another_file_is_a_located_error() {
    // Found by a hand-written probe of what the issue names (a long `$ref` chain): the bundler
    // followed each `$ref` inside the walk of the one before, and 20,000 of them overflowed.
    let dir = tree(&entry_into_more(), &inlined_chain(20_000));
    let (message, at) = tree_failure(&dir);
    assert!(message.contains("more than 256 deep"), "{message}");
    assert_eq!(at.file, Path::new("more.yml"), "{message}");
    assert!(at.pointer.starts_with("/x"), "{message}");
    loads(&tree(&entry_into_more(), &inlined_chain(250))).unwrap();
}

fn hoisted_chain(n: usize) -> String {
    let mut more = String::from("x0: {}\n");
    for i in 0..n {
        let _ =
            std::fmt::Write::write_fmt(&mut more, format_args!("s{i}: {{type: object, properties: {{next: {{$ref: '#/s{}'}}}}}}\n", i + 1));
    }
    more.push_str(&format!("s{n}: {{type: string}}\n"));
    more
}

#[test]
fn a_long_chain_of_hoisted_schemas_in_another_file_is_a_located_error() {
    // The same probe: each schema a property of the one before, hoisted into components, each
    // walked inside the walk of the one that reached it first.
    let dir = tree(&entry_into_more(), &hoisted_chain(20_000));
    let (message, at) = tree_failure(&dir);
    assert!(message.contains("more than 256 deep"), "{message}");
    assert_eq!(at.file, Path::new("more.yml"), "{message}");
    loads(&tree(&entry_into_more(), &hoisted_chain(80))).unwrap();
}

/// Pieces 100 mappings deep (within the YAML reader's limit), each ending in a `$ref` to the
/// next: inlined, they nest 100 deeper each.
fn nested_pieces(pieces: usize) -> String {
    let mut more = String::from("s0: {type: string}\n");
    for i in 0..pieces {
        let open = "{a: ".repeat(100);
        let close = "}".repeat(100);
        let _ = std::fmt::Write::write_fmt(&mut more, format_args!("x{i}: {open}{{$ref: '#/x{}'}}{close}\n", i + 1));
    }
    more.push_str(&format!("x{pieces}: end\n"));
    more
}

#[test]
fn deep_nesting_through_inlined_refs_is_a_located_error() {
    // The same probe (deeply nested YAML): 100 pieces made a document 10,000 deep, which
    // overflowed the bundler, and would have every later reader of the document.
    let dir = tree(&entry_into_more(), &nested_pieces(100));
    let (message, at) = tree_failure(&dir);
    assert!(message.contains("more than 256 deep"), "{message}");
    assert_eq!(at.file, Path::new("more.yml"), "{message}");
    // Just within the limit (about 250 deep) the whole document is read, typed and checked.
    let mut within = nested_pieces(2);
    within.push_str(&format!("x3: {}end{}\n", "{a: ".repeat(40), "}".repeat(40)));
    within = within.replace("x2: end\n", "x2: {$ref: '#/x3'}\n");
    loads(&tree(&entry_into_more(), &within)).unwrap();
}

#[test]
fn an_alias_bomb_is_refused_quickly() {
    // Not a finding (the YAML reader refuses it); this guards that it stays so: nine levels of
    // nine aliases would expand to 387 million nodes.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    let started = std::time::Instant::now();
    let error = codegen::load::parse_yaml(&text, Path::new("bomb.yml")).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(error.contains("bomb.yml"), "{error}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
}

#[test]
fn a_long_chain_of_aliases_in_the_entry_file_is_a_located_error() {
    // Found by a hand-written probe: checking the loader's `$ref` chains was quadratic in their
    // length (80,000 aliases took 7.7 s to load; see `load::check`'s unit test). Lowering them
    // stops at its depth limit.
    let n = 20_000;
    let mut schemas = Map::new();
    for i in 0..n {
        let name = if i == 0 { "root".to_owned() } else { format!("a{i}") };
        schemas.insert(name, json!({"$ref": format!("#/components/schemas/a{}", i + 1)}));
    }
    schemas.insert(format!("a{n}"), json!({"type": "string"}));
    let (message, at) = failure(generate(&spec_with(schemas)));
    assert!(message.contains("more than 100 deep"), "{message}");
    assert!(at.starts_with("/components/schemas/a"), "{at}");
}

#[test]
fn a_ref_to_a_folder_is_a_located_error() {
    // Found by the fuzz smoke run in CI (`load_tree`): a `$ref` to a folder (here `./`, the
    // root; `sub/` alike) gave "cannot read : Is a directory", an error naming no place.
    for target in ["./", "sub/", "sub"] {
        let mut doc = entry_into_more();
        doc["info"]["x-more"] = json!({"$ref": target});
        let dir = tree(&doc, "s0: {type: string}\n");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let (message, at) = tree_failure(&dir);
        assert!(message.contains("is a folder, not a file"), "{target}: {message}");
        assert_eq!(at.file, Path::new("openapi.yaml"), "{target}: {message}");
        assert_eq!(at.pointer, "/info/x-more", "{target}: {message}");
    }
}
