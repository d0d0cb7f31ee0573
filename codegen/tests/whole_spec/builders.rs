//! On the whole spec: every type a request sends can be built from its required members alone
//! (`new`), with one chained method per optional member that is not read-only.

use crate::support;

use codegen::ir::TypeKind;
use codegen::Selection;

#[test]
fn every_request_struct_has_new_and_a_setter_per_writable_optional_member() {
    let (spec, api) = (support::pinned_spec(), support::pinned_api());
    let out = codegen::generate(spec, &Selection::default(), "test").unwrap();
    let models: String = out.files.iter().filter(|f| f.path.starts_with("src/models/")).map(|f| f.contents.as_str()).collect();

    let (mut structs, mut problems) = (0, Vec::new());
    for def in api.types.values().filter(|d| d.usage.request) {
        let TypeKind::Struct(s) = &def.kind else { continue };
        structs += 1;
        let start = format!("impl {} {{\n", def.name);
        let Some(at) = models.find(&start) else {
            problems.push(format!("{}: no inherent impl", def.name));
            continue;
        };
        let block = &models[at..];
        let block = &block[..block.find("\n}\n").unwrap_or(block.len())];
        if !block.contains("    pub fn new(") {
            problems.push(format!("{}: no `new`", def.name));
        }
        let writable = s.fields.iter().filter(|f| f.optional() && !f.read_only).count();
        let setters = block.matches("mut self").count();
        if setters != writable {
            problems.push(format!("{}: {setters} setters for {writable} optional writable members", def.name));
        }
        for f in s.fields.iter().filter(|f| f.read_only) {
            let rust = f.rust.trim_end_matches('_');
            if block.contains(&format!("pub fn {rust}(")) || block.contains(&format!("pub fn {rust}_(")) {
                problems.push(format!("{}: a setter for the read-only `{}`", def.name, f.wire));
            }
        }
    }
    println!("builders: {structs} request structs, {} without `new` or with a wrong set of setters", problems.len());
    assert!(structs > 350, "only {structs} request structs");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
