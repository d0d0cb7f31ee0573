//! No member of the spec is lost between a schema and its generated type: every struct the
//! whole API reaches, checked with [`codegen::members`] against every schema that describes it
//! (its `allOf` parts and alternatives included), as codegen sees the spec (with the project's
//! overlays). The pinned spec, and the next update beside it when it is there.

use std::path::{Path, PathBuf};

use codegen::{load, lower, members, Selection};

/// Members the generated types may lack, each with its reason: (type, member, reason).
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec(entry: &Path) -> load::Spec {
    let overlays = codegen::overlay::read_dir(&root().join("spec/overlays")).unwrap();
    load::load_with_overlays(entry, &overlays).unwrap()
}

/// Checks the selection of `spec`; returns how many members were looked for.
fn check(spec: &load::Spec, selection: &Selection) -> usize {
    let api = lower::lower(spec, selection).unwrap();
    let census = members::check(spec, &api);
    let unexpected: Vec<String> = census
        .lost
        .iter()
        .filter(|l| !EXCEPTIONS.iter().any(|(t, m, _)| *t == l.type_name && *m == l.member))
        .map(|l| format!("{} lacks `{}` ({})", l.type_name, l.member, l.defined_at))
        .collect();
    assert!(unexpected.is_empty(), "{} of {} members lost:\n{}", unexpected.len(), census.checked, unexpected.join("\n"));
    census.checked
}

#[test]
fn every_member_of_the_pinned_spec_is_a_field() {
    let spec = spec(&codegen::source::find(None, &root()).unwrap());
    let checked = check(&spec, &Selection::default());
    assert!(checked > 10_000, "only {checked} members checked");
}

#[test]
fn every_member_of_the_next_update_is_a_field() {
    let next = root().join("../shared/digitalocean-openapi-next/specification/DigitalOcean-public.v2.yaml");
    if !next.is_file() {
        eprintln!("skipped: {} is not there", next.display());
        return;
    }
    let checked = check(&spec(&next), &Selection::default());
    assert!(checked > 10_000, "only {checked} members checked");
}
