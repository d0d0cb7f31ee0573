//! The change report: one pair of small specs per kind of change
//! (`spec/fixtures/changes/<case>/{old,new}.yaml`), each with the classification the rules call
//! for, written here from the rules; and the real pair of upstream commits beside the checkout
//! (`../shared/digitalocean-openapi-prev` → `../shared/digitalocean-openapi`), whose report must
//! list every operation added and equal its snapshot (`tests/snapshots/prev_to_pin.md`,
//! rewritten with `UPDATE_SNAPSHOT=1`).

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::changes::{self, Bump, Changes, Class};
use codegen::{load, Manifest, Selection, Settings};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn manifest_of(path: &Path) -> Manifest {
    let spec = load::load(path).unwrap();
    let settings = Settings { crate_version: "0.1.0".into(), ..Settings::with_header("test") };
    let output = codegen::generate_with(&spec, &Selection::default(), &settings).unwrap();
    // The manifest is also the files `api/*.json`, and reads back as itself, as does its one-document form.
    let read = |path: &str| {
        let file = output.files.iter().find(|f| f.path == path);
        file.map(|f| f.contents.clone()).ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, path.to_owned()))
    };
    assert_eq!(Manifest::from_files(read).unwrap(), output.manifest);
    assert_eq!(Manifest::from_json(&output.manifest.to_json()).unwrap(), output.manifest);
    output.manifest
}

fn fixture(case: &str) -> Changes {
    let dir = root().join("spec/fixtures/changes").join(case);
    changes::compare(&manifest_of(&dir.join("old.yaml")), &manifest_of(&dir.join("new.yaml")))
}

/// Checks a case: whether anything breaks, the bump, and for each `(needle, class)` that some
/// change naming `needle` (in its Rust item, wire item or description) has that class and
/// that the Markdown names it.
fn check(case: &str, breaking: bool, bump: Bump, expected: &[(&str, Class)]) -> Changes {
    let changes = fixture(case);
    let markdown = changes.markdown(case);
    let listing = changes.entries.iter().map(|c| format!("{:?} {} — {}: {}", c.class, c.rust, c.wire, c.what)).collect::<Vec<_>>();
    assert_eq!(changes.breaking().next().is_some(), breaking, "{case}: breaking?\n{listing:#?}");
    assert_eq!(changes.bump(), bump, "{case}: bump\n{listing:#?}");
    for (needle, class) in expected {
        let found = changes
            .entries
            .iter()
            .any(|c| c.class == *class && (c.rust.contains(needle) || c.wire.contains(needle) || c.what.contains(needle)));
        assert!(found, "{case}: no {class:?} change naming {needle}\n{listing:#?}");
        assert!(markdown.contains(needle), "{case}: the report does not name {needle}:\n{markdown}");
    }
    changes
}

#[test]
fn operation_added_is_not_breaking() {
    let c = check(
        "operation_added",
        false,
        Bump::Patch,
        &[("`client.things().delete()`", Class::Additive), ("things_delete", Class::Additive)],
    );
    assert_eq!(c.counts(changes::Area::Operation), (1, 0, 0));
    assert_eq!(c.suggested_version(), "0.1.1");
}

#[test]
fn operation_removed_is_breaking() {
    let c = check(
        "operation_removed",
        true,
        Bump::Minor,
        &[("`client.things().get()`", Class::Breaking), ("GET /v1/things/{thing_id}", Class::Breaking)],
    );
    assert_eq!(c.counts(changes::Area::Operation), (0, 1, 0));
    assert_eq!(c.suggested_version(), "0.2.0");
}

#[test]
fn an_operation_moved_to_another_tag_is_one_breaking_move() {
    let c = check(
        "method_renamed",
        true,
        Bump::Minor,
        &[("moved to `client.thing_store().list()` (tag `Things` → `Thing Store`, feature `things` → `thing_store`)", Class::Breaking)],
    );
    // One line per operation, not a rename and a feature move (and the tag's behaviour line).
    let lines: Vec<String> = c.entries.iter().filter(|e| e.subject == "things_list").map(|e| format!("{:?} {}", e.class, e.what)).collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
}

#[test]
fn optional_field_added_to_a_response_struct_is_not_breaking() {
    check(
        "optional_field_added_response",
        false,
        Bump::Patch,
        &[("`models::Thing::color`", Class::Additive), ("`thing.color`", Class::Additive)],
    );
}

#[test]
fn optional_field_added_to_a_request_struct_with_default_is_not_breaking() {
    check("optional_field_added_request_default", false, Bump::Patch, &[("`models::ThingPatch::color`", Class::Additive)]);
}

#[test]
fn optional_field_added_to_a_request_struct_without_default_is_not_breaking_either() {
    // Structs are `#[non_exhaustive]`: no caller writes one out field by field, `new` is unchanged.
    check(
        "optional_field_added_request_no_default",
        false,
        Bump::Patch,
        &[("`models::NewThing::color`", Class::Additive), ("a new chained method", Class::Additive)],
    );
}

#[test]
fn required_field_added_breaks_a_request_struct_only() {
    check("required_field_added_request", true, Bump::Minor, &[("`models::NewThing::color`", Class::Breaking)]);
    check("required_field_added_response", false, Bump::Patch, &[("`models::Thing::color`", Class::Additive)]);
}

#[test]
fn field_removed_is_breaking() {
    check("field_removed", true, Bump::Minor, &[("`models::Thing::name`", Class::Breaking), ("field removed", Class::Breaking)]);
}

#[test]
fn field_retyped_is_breaking() {
    check(
        "field_retyped",
        true,
        Bump::Minor,
        &[("`models::NewThing::size`", Class::Breaking), ("`Option<i64>` → `Option<String>`", Class::Breaking)],
    );
}

#[test]
fn field_became_required_is_breaking() {
    check("field_became_required", true, Bump::Minor, &[("became required (`Option<i64>` → `i64`)", Class::Breaking)]);
}

#[test]
fn optional_parameter_added_is_a_new_chained_method_and_not_breaking() {
    check(
        "parameter_added_optional",
        false,
        Bump::Patch,
        &[("`client.things().list(..).page()`", Class::Additive), ("a new chained method", Class::Additive)],
    );
}

#[test]
fn parameter_became_required_is_breaking() {
    // It moves from a chained method to an argument of the method.
    check(
        "parameter_became_required",
        true,
        Bump::Minor,
        &[("argument `per_page`", Class::Breaking), ("is an argument, was a chained method", Class::Breaking)],
    );
}

#[test]
fn enum_value_added_is_absorbed_by_the_catch_all() {
    check(
        "enum_value_added",
        false,
        Bump::Patch,
        &[("`models::Status::Archived`", Class::Additive), ("Other(\"archived\")", Class::Additive)],
    );
}

#[test]
fn enum_value_removed_is_breaking() {
    check("enum_value_removed", true, Bump::Minor, &[("`models::Status::Off`", Class::Breaking), ("value removed", Class::Breaking)]);
}

#[test]
fn union_variant_added_is_not_breaking_since_unions_are_non_exhaustive() {
    check(
        "union_variant_added",
        false,
        Bump::Patch,
        &[("`models::Shape::Triangle`", Class::Additive), ("`models::Triangle`", Class::Additive)],
    );
}

#[test]
fn type_renamed_is_one_breaking_rename_not_a_retyped_field() {
    let c = check(
        "type_renamed",
        true,
        Bump::Minor,
        &[("renamed `models::ThingSize` → `models::ThingSize2`", Class::Breaking), ("`models::Thing::limits`", Class::Additive)],
    );
    // The field holding the renamed type is not listed as retyped: the rename is.
    assert!(!c.entries.iter().any(|e| e.rust == "`models::Thing::size`"), "{:#?}", c.entries);
}

#[test]
fn no_change_is_an_empty_report() {
    let c = check("no_change", false, Bump::None, &[]);
    assert!(c.is_empty());
    assert_eq!(c.suggested_version(), "0.1.0");
    assert!(c.markdown("x").contains("No change to the Rust API."));
    assert!(c.summary().contains("version: 0.1.0 stays"), "{}", c.summary());
}

#[test]
fn version_rules_and_the_already_bumped_note() {
    let mut c = fixture("operation_removed");
    assert!(c.summary().contains("version: 0.1.0 → 0.2.0 (breaking changes; 0.x bumps the minor)"), "{}", c.summary());
    assert!(c.summary().contains("spec/crate-version should become 0.2.0"), "{}", c.summary());
    c.new_version = "0.2.0".into();
    assert!(c.summary().contains("already bumped"), "{}", c.summary());
    c.old_version = "1.4.2".into();
    assert_eq!((c.bump(), c.suggested_version()), (Bump::Major, "2.0.0".to_owned()));
    let mut added = fixture("operation_added");
    added.old_version = "1.4.2".into();
    assert_eq!((added.bump(), added.suggested_version()), (Bump::Minor, "1.5.0".to_owned()));
    assert!(added.summary().lines().count() <= 8, "{}", added.summary());
}

/// The upstream spec trees beside the checkout: (prev, pin).
fn real_pair() -> (PathBuf, PathBuf) {
    let shared = root().join("../shared");
    let entry = codegen::source::ENTRY;
    (shared.join("digitalocean-openapi-prev").join(entry), shared.join("digitalocean-openapi").join(entry))
}

#[test]
fn prev_to_pin_lists_every_added_operation_and_matches_its_snapshot() {
    let (prev, pin) = real_pair();
    let ids = |path: &Path| -> BTreeSet<String> {
        let spec = load::load(path).unwrap();
        spec.doc.operations().filter_map(|(_, _, op)| op.operation_id.clone()).collect()
    };
    let added: Vec<String> = ids(&pin).difference(&ids(&prev)).cloned().collect();
    assert!(!added.is_empty(), "the two commits should differ by some operations");

    let (old, new) = (manifest_of(&prev), manifest_of(&pin));
    let changes = changes::compare(&old, &new);
    let markdown = changes.markdown("API changes: digitalocean-openapi-prev → digitalocean-openapi");
    for id in &added {
        assert!(markdown.contains(&format!("(`{id}`): added")), "operation {id} is not listed as added");
    }
    assert_eq!(changes.counts(changes::Area::Operation).0, added.len());

    support::golden::check_with("UPDATE_SNAPSHOT", "the prev → pin report", "tests/snapshots/prev_to_pin.md", &markdown);
    // The summary agrees with the report.
    let summary = changes.summary();
    assert!(summary.contains(&format!("operations: {} added", added.len())), "{summary}");
}

#[test]
fn whole_api_manifest_is_deterministic_and_round_trips() {
    let (_, pin) = real_pair();
    let spec = load::load(&pin).unwrap();
    let build = || {
        let api = codegen::lower::lower(&spec, &Selection::default()).unwrap();
        codegen::manifest::build(&api, "0.1.0")
    };
    let (first, second) = (build(), build());
    assert_eq!(first, second);
    let json = first.to_json();
    assert_eq!(json, second.to_json());
    assert!(json.ends_with("}\n"));
    assert_eq!(Manifest::from_json(&json).unwrap(), first);
    assert_eq!(first.operations.len(), spec.doc.operations().count());
    // Sorted, and every field on one line.
    assert!(first.operations.windows(2).all(|w| w[0].id < w[1].id));
    assert!(first.types.windows(2).all(|w| w[0].name < w[1].name));
    let droplet = first.type_named("Droplet").unwrap_or_else(|| panic!("no Droplet"));
    let field = droplet.fields.iter().find(|f| f.wire == "size_slug").unwrap_or_else(|| panic!("no size_slug"));
    let line = format!(
        "{{\"wire\": \"size_slug\", \"rust\": \"size_slug\", \"rust_type\": \"{}\", \"required\": true, \"nullable\": false}}",
        field.rust_type
    );
    assert!(json.lines().any(|l| l.trim().trim_end_matches(',') == line), "{line}");
    assert!(changes::compare(&first, &second).is_empty());
}

#[test]
fn pagination_added_is_not_breaking_and_its_removal_is() {
    check("pagination_added", false, Bump::Patch, &[("pagination added (page style, items `Thing`)", Class::Additive)]);
    let dir = root().join("spec/fixtures/changes/pagination_added");
    let back = changes::compare(&manifest_of(&dir.join("new.yaml")), &manifest_of(&dir.join("old.yaml")));
    assert!(back.entries.iter().any(|c| c.class == Class::Breaking && c.what.starts_with("pagination removed")), "{back:#?}");
    // The report says why the operation has none now: what the generator did not recognise.
    let removed = back.entries.iter().find(|c| c.what.starts_with("pagination removed")).map(|c| c.what.as_str()).unwrap_or_default();
    assert!(removed.contains("(the generator no longer recognises the paging: "), "{removed}");
}
