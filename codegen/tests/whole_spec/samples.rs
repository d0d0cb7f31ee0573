//! The request samples' builder (`emit::samples`): values from the spec's examples, placeholders
//! where it gives none, and examples listed as violating their schema left out.

use crate::support;

use std::path::PathBuf;

use codegen::emit::samples::{self, Sample};
use codegen::{load, lower, Selection};

fn root() -> PathBuf {
    support::root()
}

fn samples_of(spec: &load::Spec, selection: &Selection, exceptions: &[[String; 2]]) -> std::collections::BTreeMap<String, Sample> {
    let api = lower::lower(spec, selection).unwrap();
    samples::build(&api, exceptions).unwrap()
}

fn real_spec() -> &'static load::Spec {
    support::pinned_spec()
}

#[test]
fn the_seed_sample_uses_the_spec_examples_and_is_the_doc_example() {
    let all = samples_of(real_spec(), &Selection::tags(&["Functions"]), &[]);
    let sample = &all["functions_create_namespace"];
    // Built as a caller writes it: `new` with the required members, from the spec's examples.
    assert!(sample.code.contains("models::CreateNamespace::new(\"nyc1\", \"my namespace\")"), "{}", sample.code);
    assert!(sample.complete);
    assert_eq!(sample.function_name, "functions_create_namespace");
    // The doc shows the function's body, and the answer built from the property examples.
    let doc = samples::doc_text(Some(sample));
    assert!(doc.contains(&sample.code), "{doc}");
    assert!(doc.contains("```no_run\n"), "{doc}");
    assert!(doc.contains("\"api_host\": \"https://api_host.io\""), "{doc}");
    // A path parameter comes from its example.
    let get = &all["functions_get_namespace"];
    assert!(get.code.contains("\"fn-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\""), "{}", get.code);
}

#[test]
fn an_example_listed_as_violating_its_schema_is_not_used() {
    let spec = real_spec();
    let selection = Selection { tags: Vec::new(), operations: vec!["databases_create_kafka_topic".into()] };
    let pointer = "/paths/~1v2~1databases~1{database_cluster_uuid}~1topics/post/requestBody/content/application~1json/example";
    let with = &samples_of(spec, &selection, &[])["databases_create_kafka_topic"];
    let without = &samples_of(spec, &selection, &[[pointer.to_owned(), "a reason".to_owned()]])["databases_create_kafka_topic"];
    assert!(with.code.contains("customer-events"), "{}", with.code);
    assert!(!without.code.contains("customer-events"), "{}", without.code);
}

#[test]
fn missing_values_get_placeholders_that_are_counted() {
    let path = root().join("spec/fixtures/constructs/openapi.yaml");
    let spec = load::load(&path).unwrap();
    let all = samples_of(&spec, &Selection::default(), &[]);
    // A scalar-union path parameter without example, and a raw upload.
    let get = &all["shapes_get"];
    assert!(get.code.contains(".get("), "{}", get.code);
    let upload = &all["extra_upload"];
    assert!(upload.code.contains("b\"<file contents>\".to_vec()") || upload.code.contains("https://example.com/upload"), "{}", upload.code);
    assert!(!upload.complete);
    let (complete, placeholders) = samples::counts(&all);
    assert_eq!(complete + placeholders, all.len());
    assert!(placeholders >= 1);
}
