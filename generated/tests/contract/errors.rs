//! Every documented error answer of every operation against Prism: for each 4xx and 5xx answer an
//! operation lists (and its `default` answer), the operation's sample is sent with
//! `Prefer: code=<status>` (and `example=<name>` when the answer names several examples), Prism
//! answers with that answer's example, and the client must return the typed API error with the
//! example's `id`, `message` and `request_id`, the status, and the rate-limit figures where the
//! answer declares them.
//!
//! The answers come from the spec Prism serves (`codegen::examples::error_answers`). An answer
//! without an example is made of its schema's examples, as Prism makes it; one without JSON
//! content must give an error without id or message. The `default` answer is asked for with a
//! 5xx status that its operation does not list (503 where it can). It prints
//! `errors: N answers of N operations, N passed, N excepted (by status: ...)`.

use std::collections::BTreeMap;

use codegen::examples::{error_answers, ErrorAnswer};
use digitalocean::reqwest::header::{HeaderMap, HeaderValue};
use digitalocean::{Client, Error};
use futures_util::StreamExt;
use serde_json::Value;

use super::{exceptions, figures, on_worker_stack, prism, prism_client, run_sample, samples, violations, yaml_bodies};

/// The statuses the `default` answer is asked for with, in order: the first its operation does
/// not list.
const UNLISTED: [u16; 4] = [503, 504, 502, 599];
/// How many requests are in flight at once.
const IN_FLIGHT: usize = 8;

/// The status to ask for, and the `Prefer` header that asks for it (`all`: every answer, for the
/// statuses the operation lists).
fn prefer(answer: &ErrorAnswer, all: &[ErrorAnswer]) -> (u16, String) {
    let listed = |status: &u16| all.iter().any(|a| a.operation == answer.operation && a.status == Some(*status));
    let unlisted = UNLISTED.into_iter().find(|s| !listed(s)).unwrap_or(UNLISTED[0]);
    let status = answer.status.unwrap_or(unlisted);
    match &answer.example {
        Some(name) => (status, format!("code={status}, example={name}")),
        None => (status, format!("code={status}")),
    }
}

/// The id, message and request id the client must read from `body`, whatever its documented
/// shape: `{id, message, request_id}`, NFS's `{code, message}`, the tags' `{error, root_causes}`,
/// the inference endpoints' `{error: {type|code, message}}` (see `ApiError`).
fn expected(body: Option<&Value>) -> (Option<&str>, Option<&str>, Option<&str>) {
    let Some(body) = body else { return (None, None, None) };
    fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
        value.get(key).and_then(Value::as_str)
    }
    let error = body.get("error");
    let id = text(body, "id")
        .or_else(|| text(body, "code"))
        .or_else(|| error.and_then(|e| text(e, "code").or_else(|| text(e, "type"))));
    let message = text(body, "message")
        .or_else(|| error.and_then(Value::as_str))
        .or_else(|| error.and_then(|e| text(e, "message")));
    (id, message, text(body, "request_id"))
}

/// Checks the client's error for `answer` against what the answer documents.
fn check(answer: &ErrorAnswer, (status, prefer): (u16, String), outcome: Result<(), Error>) -> Result<(), String> {
    let err = match outcome {
        Ok(()) => return Err(format!("Prefer: {prefer}: the call succeeded")),
        Err(err) => err,
    };
    let Some(api) = err.api_error() else { return Err(format!("Prefer: {prefer}: not an API error: {err}")) };
    if let Some(violations) = violations(api.headers()) {
        return Err(format!("Prefer: {prefer}: Prism found the request invalid: {violations}"));
    }
    let mut wrong = Vec::new();
    let mut compare = |what: &str, got: Option<&str>, want: Option<&str>| {
        if got != want {
            wrong.push(format!("{what} {got:?}, documented {want:?}"));
        }
    };
    compare("status", Some(api.status().as_str()), Some(&status.to_string()));
    let (id, message, request_id) = expected(answer.body.as_ref());
    compare("id", api.id(), id);
    compare("message", api.message(), message);
    // Without one in the body, the request id is the `x-request-id` header's.
    let header_id = api.headers().get("x-request-id").and_then(|v| v.to_str().ok());
    compare("request id", api.request_id(), request_id.or(header_id));
    if answer.headers.iter().any(|h| h == "ratelimit-limit") && api.rate_limit().is_none() {
        wrong.push("no rate-limit figures, though the answer declares them".to_owned());
    }
    if err.is_not_found() != (status == 404) || err.is_rate_limited() != (status == 429) {
        wrong.push("is_not_found or is_rate_limited disagrees with the status".to_owned());
    }
    let shown = err.to_string();
    if !shown.contains(api.status().as_str()) || message.is_some_and(|m| !shown.contains(m)) {
        wrong.push(format!("the message does not name the status and the documented message: {shown}"));
    }
    match wrong.is_empty() {
        true => Ok(()),
        false => Err(format!("Prefer: {prefer} ({}): {}", answer.pointer, wrong.join("; "))),
    }
}

async fn every_error_answer() {
    let prism = prism::prism();
    let url = prism.base_url().to_owned();
    let spec = codegen::load::load(prism.spec()).unwrap_or_else(|e| panic!("the spec Prism serves: {e}"));
    let api = crate::lowered::as_committed(&spec);
    let answers = error_answers(&spec, &api);

    // One client per `Prefer` header.
    let mut clients: BTreeMap<String, Client> = BTreeMap::new();
    for answer in &answers {
        let (_, value) = prefer(answer, &answers);
        clients.entry(value.clone()).or_insert_with(|| {
            let mut headers = HeaderMap::new();
            let header = HeaderValue::from_str(&value).unwrap_or_else(|e| panic!("Prefer: {value}: {e}"));
            headers.insert("prefer", header);
            prism_client(&url, headers)
        });
    }
    let outcomes: Vec<(&ErrorAnswer, Result<(), String>)> = futures_util::stream::iter(&answers)
        .map(|answer| {
            let asked = prefer(answer, &answers);
            let client = &clients[&asked.1];
            let url = &url;
            async move { (answer, check(answer, asked, run_sample(url, client, &answer.operation).await)) }
        })
        .buffered(IN_FLIGHT)
        .collect()
        .await;

    // An operation whose sample Prism rejects because of an upstream error (see
    // `spec/contract-exceptions.txt`) may have its error answers rejected for the same reason.
    let listed = exceptions();
    let yaml = yaml_bodies();
    let mut passed = 0;
    let mut excepted: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_status: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (answer, outcome) in &outcomes {
        let status = answer.status.map_or("default".to_owned(), |s| s.to_string());
        *by_status.entry(status).or_default() += 1;
        match outcome {
            Ok(()) => passed += 1,
            Err(why) if listed.contains_key(&answer.operation) && why.contains("found the request invalid") => {
                *excepted.entry(&answer.operation).or_default() += 1
            }
            // Prism reads a YAML body as a string (see `yaml_bodies`).
            Err(why) if yaml.contains(&answer.operation) && why.contains("Request body must be object") => {
                *excepted.entry(&answer.operation).or_default() += 1
            }
            Err(why) => problems.push(format!("{}: {why}", answer.operation)),
        }
    }
    let operations: std::collections::BTreeSet<&str> = answers.iter().map(|a| a.operation.as_str()).collect();
    let by_status: Vec<String> = by_status.iter().map(|(status, n)| format!("{status}: {n}")).collect();
    let excepted_in: Vec<String> = excepted.iter().map(|(id, n)| format!("{id}: {n}")).collect();
    figures::report(
        "errors",
        &format!(
            "errors: {} answers of {} operations, {passed} passed, {} excepted (by status: {}; excepted: {})",
            answers.len(),
            operations.len(),
            excepted.values().sum::<usize>(),
            by_status.join(", "),
            excepted_in.join(", ")
        ),
    );
    let log = prism.log().display();
    assert!(problems.is_empty(), "{} problems (Prism log {log}):\n{}", problems.len(), problems.join("\n"));
    assert_eq!(operations.len(), samples::OPERATIONS.len(), "every operation documents an error answer");
}

#[test]
fn every_documented_error_answer_against_prism() {
    on_worker_stack(every_error_answer);
}
