//! The documented error answers (`examples::error_answers`) that the contract test asks Prism for:
//! every 4xx, 5xx and `default` answer of every operation, one per named example, and a body made
//! of the schema's examples where the answer gives none.

use crate::support;

use std::collections::BTreeMap;

use codegen::examples::{error_answers, ErrorAnswer};
use serde_json::json;

fn answers() -> Vec<ErrorAnswer> {
    let (spec, api) = (support::pinned_spec(), support::pinned_api());
    error_answers(spec, api)
}

fn of<'a>(all: &'a [ErrorAnswer], operation: &str, status: Option<u16>) -> Vec<&'a ErrorAnswer> {
    all.iter().filter(|a| a.operation == operation && a.status == status).collect()
}

/// What the spec says the list holds, counted from the bundled document on its own: per status
/// (`None`: `default`), one answer per named example of the operation's answer of that status,
/// or one where it names none.
fn expected_counts(raw: &serde_json::Value) -> BTreeMap<Option<u16>, usize> {
    let resolve = |value: &serde_json::Value| -> serde_json::Value {
        match value.get("$ref").and_then(|r| r.as_str()).and_then(|r| r.strip_prefix('#')) {
            Some(pointer) => raw.pointer(pointer).cloned().unwrap_or_default(),
            None => value.clone(),
        }
    };
    let mut out = BTreeMap::new();
    let paths = raw["paths"].as_object().into_iter().flatten();
    for item in paths.filter_map(|(_, item)| item.as_object()) {
        for operation in item.values().filter(|op| op.get("operationId").is_some()) {
            for (status, answer) in operation["responses"].as_object().into_iter().flatten() {
                let status = match status.as_str() {
                    "default" => None,
                    code => match code.parse::<u16>() {
                        Ok(code) if (400..600).contains(&code) => Some(code),
                        _ => continue,
                    },
                };
                let answer = resolve(answer);
                let named = answer["content"]["application/json"]["examples"].as_object().map_or(0, |e| e.len());
                *out.entry(status).or_default() += named.max(1);
            }
        }
    }
    out
}

#[test]
fn every_operation_lists_its_error_answers() {
    let spec = support::pinned_spec();
    let all = answers();
    let mut by_status: BTreeMap<Option<u16>, usize> = BTreeMap::new();
    for answer in &all {
        *by_status.entry(answer.status).or_default() += 1;
    }
    // Derived from the spec, not written down: the test holds for the next upstream commit too.
    assert_eq!(by_status, expected_counts(&spec.raw));
    assert!(by_status.get(&Some(401)).is_some_and(|n| *n > 0), "no 401 answer at all: {by_status:?}");
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
