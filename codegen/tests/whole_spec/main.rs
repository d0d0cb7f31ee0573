//! The tests that read the whole pinned spec, in one binary so that the spec is loaded and
//! lowered once for all of them (`support::pinned_spec`, `support::pinned_api`): here, that the
//! whole spec loads and lowers (all 659 operations, every tag on its own too: a tag's types must
//! not depend on the others being selected) and nothing falls back to `serde_json::Value` for
//! want of a mapping; in the modules, the builders' shapes, the date-times, the request and
//! response directions of types, the documented error answers, the pagination styles and the
//! request samples.

#[path = "../support/mod.rs"]
mod support;

mod builders;
mod dates;
mod directions;
mod error_answers;
mod pagination;
mod samples;

use codegen::{lower, Error, Selection};

/// The digits of a name, in order.
fn digits(name: &str) -> String {
    name.chars().filter(char::is_ascii_digit).collect()
}

#[test]
fn every_tag_lowers_or_fails_with_a_located_unsupported_error() {
    let spec = support::pinned_spec();
    let mut operations = 0;
    let mut unsupported = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    for op in spec.doc.operations().filter_map(|(_, _, op)| op.tags.first()) {
        if !tags.contains(&op.as_str()) {
            tags.push(op);
        }
    }
    // Counted from the spec, so that an update with more operations or tags passes.
    let in_spec = spec.doc.operations().count();
    for tag in tags {
        match lower::lower(spec, &Selection::tags(&[tag])) {
            Ok(api) => operations += api.tags.iter().map(|t| t.operations.len()).sum::<usize>(),
            Err(Error::Unsupported { at, what }) => unsupported.push(format!("{tag}: {} {what}", at.file.display())),
            Err(other) => panic!("{tag}: {other}"),
        }
    }
    assert_eq!(unsupported, Vec::<String>::new());
    assert_eq!(operations, in_spec);
    let whole = lower::lower(spec, &Selection::default()).unwrap();
    assert_eq!(whole.tags.iter().map(|t| t.operations.len()).sum::<usize>(), in_spec);
    // A tag of the crate for each first tag of an operation (a tag used only second, as
    // `Embeddings` is, has none).
    assert_eq!(
        whole.tags.len(),
        spec.doc.operations().filter_map(|(_, _, op)| op.tags.first()).collect::<std::collections::BTreeSet<_>>().len()
    );
    assert_eq!(whole.fallbacks, Vec::new(), "fallbacks to serde_json::Value");
}

/// A union variant's name says what the alternative is (`lower::union`): a digit in it comes
/// from the spec (the discriminator value, or the component the variant holds), never from a
/// counter (`ToolChoice1`, `ToolChoice2`).
#[test]
fn no_union_variant_is_named_by_a_counter() {
    let api = support::pinned_api();
    let (mut variants, mut numbered) = (0, Vec::new());
    for def in api.types.values() {
        let codegen::ir::TypeKind::Union(union) = &def.kind else { continue };
        for v in &union.variants {
            variants += 1;
            let held = match &v.ty {
                codegen::ir::TypeRef::Named(name) => api.types.get(name),
                _ => None,
            };
            let component = held.filter(|d| d.origin.starts_with("/components/schemas/") && d.origin.matches('/').count() == 3);
            let source = format!("{}{}", v.tag.as_deref().unwrap_or_default(), component.map_or("", |d| d.name.as_str()));
            if !digits(&v.rust).is_empty() && !digits(&source).contains(&digits(&v.rust)) {
                numbered.push(format!("{}::{}", def.name, v.rust));
            }
        }
    }
    println!("union variants: {variants}, named by a counter: {}", numbered.len());
    assert!(variants > 100, "only {variants} union variants");
    assert_eq!(numbered, Vec::<String>::new());
}

/// A string enum's variant is named after its value; where two values would give one name
/// (`red`, `red*`), the symbol is spelled (`RedStar`): a digit the value does not have never
/// comes from a counter.
#[test]
fn no_enum_variant_is_named_by_a_counter() {
    let api = support::pinned_api();
    let (mut variants, mut numbered) = (0, Vec::new());
    for def in api.types.values() {
        let codegen::ir::TypeKind::Enum(values) = &def.kind else { continue };
        for v in values {
            variants += 1;
            if digits(&v.rust) != digits(&v.wire) {
                numbered.push(format!("{}::{} ({:?})", def.name, v.rust, v.wire));
            }
        }
    }
    println!("enum variants: {variants}, named by a counter: {}", numbered.len());
    assert!(variants > 1000, "only {variants} enum variants");
    assert_eq!(numbered, Vec::<String>::new());
}
