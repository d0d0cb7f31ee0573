//! The documented error answers (`examples::error_answers`) that the contract test asks Prism for:
//! every 4xx, 5xx and `default` answer of every operation, one per named example, and a body made
//! of the schema's examples where the answer gives none.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::examples::{error_answers, ErrorAnswer};
use codegen::{lower, Selection};
use serde_json::json;

fn answers() -> Vec<ErrorAnswer> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let spec = codegen::source::load_workspace_spec(&root).unwrap_or_else(|e| panic!("{e}"));
    let api = lower::lower(&spec, &Selection::default()).unwrap_or_else(|e| panic!("{e}"));
    error_answers(&spec, &api)
}

fn of<'a>(all: &'a [ErrorAnswer], operation: &str, status: Option<u16>) -> Vec<&'a ErrorAnswer> {
    all.iter().filter(|a| a.operation == operation && a.status == status).collect()
}

#[test]
fn every_operation_lists_its_error_answers() {
    let all = answers();
    let mut by_status: BTreeMap<Option<u16>, usize> = BTreeMap::new();
    for answer in &all {
        *by_status.entry(answer.status).or_default() += 1;
    }
    // Counted in the bundled spec: every operation lists 401, 429 and 500; three have no `default`.
    assert_eq!(by_status[&Some(401)], 659);
    assert_eq!(by_status[&Some(429)], 659);
    assert_eq!(by_status[&Some(500)], 659);
    assert_eq!(by_status[&None], 656);
    assert_eq!(by_status[&Some(404)], 519, "516 operations, three of them with two named examples");
    assert!(all.iter().all(|a| a.status.is_none_or(|s| (400..600).contains(&s))));

    // A shared answer: its example, and the headers it declares.
    let unauthorized = of(&all, "functions_create_namespace", Some(401));
    assert_eq!(unauthorized.len(), 1);
    assert_eq!(unauthorized[0].body, Some(json!({"id": "unauthorized", "message": "Unable to authenticate you."})));
    assert_eq!(unauthorized[0].example, None);
    assert!(unauthorized[0].pointer.ends_with("/content/application~1json/example"), "{}", unauthorized[0].pointer);
    assert!(unauthorized[0].headers.contains(&"ratelimit-limit".to_owned()));
}

#[test]
fn named_examples_are_listed_one_by_one_in_the_spec_order() {
    let all = answers();
    let not_found = of(&all, "functions_get_trigger", Some(404));
    let names: Vec<Option<&str>> = not_found.iter().map(|a| a.example.as_deref()).collect();
    assert_eq!(names, [Some("namespace not found"), Some("trigger not found")]);
    assert_eq!(not_found[1].body.as_ref().map(|b| b["message"].clone()), Some(json!("trigger not found")));

    let bad_request = of(&all, "nfs_create_access_point", Some(400));
    assert_eq!(bad_request.len(), 3);
    assert_eq!(bad_request[0].body, Some(json!({"code": "MISSING_NAME", "message": "name is required"})));
}

#[test]
fn an_answer_without_an_example_is_made_of_its_schema_and_one_without_content_has_no_body() {
    let all = answers();
    let made = of(&all, "inference_create_messages", Some(400));
    assert_eq!(made.len(), 1);
    assert_eq!(
        made[0].body,
        Some(json!({"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens must be positive"}}))
    );
    assert!(made[0].pointer.ends_with("/schema"), "{}", made[0].pointer);

    let empty = of(&all, "inference_upload_batch_file", Some(403));
    assert_eq!(empty.len(), 1);
    assert_eq!(empty[0].body, None);
}
