//! The 13 Functions operations, each by hand: the request Prism finds valid, every field of the
//! example it answers, the documented error answers with their reviewed `id` and `message`,
//! requests Prism rejects, the `create_namespace` example program, and a pagination walk.

use super::{prism, TOKEN};
use digitalocean::reqwest::header::{HeaderMap, HeaderValue};
use digitalocean::reqwest::{self, Method, StatusCode};
use digitalocean::{models, Client, DateTime, Error, Response};
use serde_json::Value;

/// The path parameters' examples in the spec (`resources/functions/parameters.yml`).
const NAMESPACE_ID: &str = "fn-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
const TRIGGER_NAME: &str = "my trigger";
const KEY_ID: &str = "dof-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

/// The rate-limit header examples (`shared/headers.yml`) that Prism sends with every answer.
const RATE_LIMIT: (u64, u64, u64) = (5000, 4816, 1444931833);

// ---------------------------------------------------------------------------------------------
// Clients and requests

fn client() -> Client {
    build_client(prism::prism().base_url(), HeaderMap::new())
}

/// A client whose every request carries `Prefer: <prefer>`, e.g. `code=404`.
fn client_preferring(prefer: &str) -> Client {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_str(prefer).expect("a valid Prefer header");
    headers.insert("prefer", value);
    build_client(prism::prism().base_url(), headers)
}

/// No retries, so that a 429 or 500 comes back at once.
fn build_client(base_url: &str, default_headers: HeaderMap) -> Client {
    super::prism_client(base_url, default_headers)
}

fn create_namespace_body() -> models::CreateNamespace {
    models::CreateNamespace::new("nyc1", "my namespace")
}

fn create_trigger_body() -> models::CreateTrigger {
    let details = models::ScheduledDetails::new("* * * * *").body(models::ScheduledDetailsBody::new().name("Welcome to DO!"));
    models::CreateTrigger::new(TRIGGER_NAME, "hello", "SCHEDULED", true, details)
}

fn update_trigger_body() -> models::UpdateTrigger {
    models::UpdateTrigger::new().is_enabled(false).scheduled_details(models::ScheduledDetails::new("0 * * * *"))
}

fn access_key_create_body() -> models::AccessKeyCreateRequest {
    models::AccessKeyCreateRequest::new("my-function-access-key").expires_in("7d")
}

fn access_key_update_body() -> models::FunctionsAccessKeyUpdateRequest {
    models::FunctionsAccessKeyUpdateRequest::new("updated-key-name")
}

// ---------------------------------------------------------------------------------------------
// What the spec's examples say

/// Prism accepted the request (no `sl-violations`) and answered `status` with the rate-limit examples.
fn assert_accepted<T>(response: &Response<T>, status: u16, operation: &str) {
    let prism = prism::prism();
    let violations = response.headers().get("sl-violations");
    assert!(
        violations.is_none(),
        "{operation}: Prism found the request invalid against {}: {violations:?}",
        prism.spec().display()
    );
    assert_eq!(
        response.status().as_u16(),
        status,
        "{operation}: status (Prism log {})",
        prism.log().display()
    );
    let rate = response
        .rate_limit()
        .unwrap_or_else(|| panic!("{operation}: no rate-limit figures"));
    assert_eq!(
        (rate.limit, rate.remaining, rate.reset),
        RATE_LIMIT,
        "{operation}: rate limit"
    );
}

/// The properties' examples of `models/namespace_info.yml`.
fn assert_example_namespace(namespace: &models::NamespaceInfo) {
    assert_eq!(namespace.api_host.as_deref(), Some("https://api_host.io"));
    assert_eq!(namespace.namespace.as_deref(), Some(NAMESPACE_ID));
    assert_eq!(
        namespace.created_at.as_ref().map(DateTime::as_str),
        Some("2022-09-14T04:16:45Z")
    );
    assert_eq!(
        namespace.updated_at.as_ref().map(DateTime::as_str),
        Some("2022-09-14T04:16:45Z")
    );
    assert_eq!(namespace.label.as_deref(), Some("my namespace"));
    assert_eq!(namespace.region.as_deref(), Some("nyc1"));
    assert_eq!(
        namespace.uuid.as_deref(),
        Some("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
    );
    assert_eq!(
        namespace.key.as_deref(),
        Some("d1zcd455h01mqjfs4s2eaewyejehi5f2uj4etqq3h7cera8iwkub6xg5of1wdde2")
    );
}

/// The properties' examples of `models/trigger_info.yml`.
fn assert_example_trigger(trigger: &models::TriggerInfo) {
    assert_eq!(trigger.namespace.as_deref(), Some(NAMESPACE_ID));
    assert_eq!(trigger.name.as_deref(), Some("my trigger"));
    assert_eq!(trigger.function.as_deref(), Some("hello"));
    assert_eq!(trigger.type_.as_deref(), Some("SCHEDULED"));
    assert_eq!(trigger.is_enabled, Some(true));
    assert_eq!(trigger.created_at.as_ref().map(DateTime::as_str), Some("2022-11-11T04:16:45Z"));
    assert_eq!(trigger.updated_at.as_ref().map(DateTime::as_str), Some("2022-11-11T04:16:45Z"));
    let details = trigger
        .scheduled_details
        .as_ref()
        .expect("scheduled_details");
    assert_eq!(details.cron, "* * * * *");
    let body = details.body.as_ref().expect("scheduled_details.body");
    assert_eq!(body.name.as_deref(), Some("Welcome to DO!"));
    let runs = trigger.scheduled_runs.as_ref().expect("scheduled_runs");
    assert_eq!(runs.last_run_at.as_deref(), Some("2022-11-11T04:16:45Z"));
    assert_eq!(runs.next_run_at.as_deref(), Some("2022-11-11T04:16:45Z"));
}

// ---------------------------------------------------------------------------------------------
// The 13 operations, each through the generated client

#[tokio::test]
async fn list_namespaces_decodes_the_example() {
    let response = client()
        .functions()
        .list_namespaces().with_meta()
        .await
        .expect("list_namespaces");
    assert_accepted(&response, 200, "list_namespaces");
    let namespaces = response.into_inner().namespaces;
    assert_eq!(namespaces.len(), 1);
    assert_example_namespace(&namespaces[0]);
}

#[tokio::test]
async fn create_namespace_sends_a_valid_body_and_decodes_the_example() {
    let body = create_namespace_body();
    let response = client()
        .functions()
        .create_namespace(body).with_meta()
        .await
        .expect("create_namespace");
    assert_accepted(&response, 200, "create_namespace");
    assert_example_namespace(&response.into_inner().namespace);
}

#[tokio::test]
async fn get_namespace_decodes_the_example() {
    let response = client()
        .functions()
        .get_namespace(NAMESPACE_ID).with_meta()
        .await
        .expect("get_namespace");
    assert_accepted(&response, 200, "get_namespace");
    assert_example_namespace(&response.into_inner().namespace);
}

#[tokio::test]
async fn delete_namespace_accepts_the_empty_204() {
    let response = client()
        .functions()
        .delete_namespace(NAMESPACE_ID).with_meta()
        .await
        .expect("delete_namespace");
    assert_accepted(&response, 204, "delete_namespace");
}

#[tokio::test]
async fn list_triggers_decodes_the_example() {
    let response = client()
        .functions()
        .list_triggers(NAMESPACE_ID).with_meta()
        .await
        .expect("list_triggers");
    assert_accepted(&response, 200, "list_triggers");
    let triggers = response.into_inner().triggers;
    assert_eq!(triggers.len(), 1);
    assert_example_trigger(&triggers[0]);
}

#[tokio::test]
async fn create_trigger_sends_a_valid_body_and_decodes_the_example() {
    let body = create_trigger_body();
    let response = client()
        .functions()
        .create_trigger(NAMESPACE_ID, body).with_meta()
        .await
        .expect("create_trigger");
    assert_accepted(&response, 200, "create_trigger");
    assert_example_trigger(&response.into_inner().trigger);
}

#[tokio::test]
async fn get_trigger_encodes_the_name_and_decodes_the_example() {
    // "my trigger" has a space: the path must be percent-encoded for Prism to route it.
    let response = client()
        .functions()
        .get_trigger(NAMESPACE_ID, TRIGGER_NAME).with_meta()
        .await
        .expect("get_trigger");
    assert_accepted(&response, 200, "get_trigger");
    assert_example_trigger(&response.into_inner().trigger);
}

#[tokio::test]
async fn update_trigger_sends_a_valid_body_and_decodes_the_example() {
    let body = update_trigger_body();
    let response = client()
        .functions()
        .update_trigger(NAMESPACE_ID, TRIGGER_NAME, body).with_meta()
        .await
        .expect("update_trigger");
    assert_accepted(&response, 200, "update_trigger");
    assert_example_trigger(&response.into_inner().trigger);
}

#[tokio::test]
async fn delete_trigger_accepts_the_empty_204() {
    let response = client()
        .functions()
        .delete_trigger(NAMESPACE_ID, TRIGGER_NAME).with_meta()
        .await
        .expect("delete_trigger");
    assert_accepted(&response, 204, "delete_trigger");
}

#[tokio::test]
async fn access_key_list_decodes_the_example_with_a_null_expiry() {
    let response = client()
        .functions()
        .access_key_list(NAMESPACE_ID).with_meta()
        .await
        .expect("access_key_list");
    assert_accepted(&response, 200, "access_key_list");
    let list = response.into_inner();
    assert_eq!(list.count, Some(2));
    let keys = list.access_keys.expect("access_keys");
    let summary: Vec<_> = keys
        .iter()
        .map(|key| {
            (
                key.id.as_deref(),
                key.name.as_deref(),
                key.expires_at.as_ref().map(DateTime::as_str),
                key.created_at.as_ref().map(DateTime::as_str),
                key.updated_at.as_ref().map(DateTime::as_str),
            )
        })
        .collect();
    let id = Some("dof_v1-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    assert_eq!(
        summary,
        [
            (
                id,
                Some("my-function-access-key"),
                Some("2026-12-19T10:30:00Z"),
                Some("2025-12-19T10:30:00Z"),
                Some("2025-12-19T10:30:00Z"),
            ),
            (
                id,
                Some("my-function-access-key-2"),
                None, // `"expires_at": null` in the example
                Some("2025-11-15T08:00:00Z"),
                Some("2025-11-15T08:00:00Z"),
            ),
        ]
    );
}

#[tokio::test]
async fn access_key_create_sends_a_valid_body_and_decodes_the_201_example() {
    let body = access_key_create_body();
    let response = client()
        .functions()
        .access_key_create(NAMESPACE_ID, body).with_meta()
        .await
        .expect("access_key_create");
    assert_accepted(&response, 201, "access_key_create");
    let key = response.into_inner().access_key;
    assert_eq!(
        key.id.as_deref(),
        Some("dof_v1-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
    );
    assert_eq!(key.name.as_deref(), Some("my-function-access-key"));
    assert_eq!(key.secret.as_deref(), Some("DOSECRETKEYEXAMPLE"));
    assert_eq!(key.expires_at.as_ref().map(DateTime::as_str), Some("2026-12-19T10:30:00Z"));
    assert_eq!(key.created_at.as_ref().map(DateTime::as_str), Some("2025-12-19T10:30:00Z"));
    assert_eq!(key.updated_at.as_ref().map(DateTime::as_str), Some("2025-12-19T10:30:00Z"));
}

#[tokio::test]
async fn access_key_update_sends_a_valid_body_and_decodes_the_example() {
    let body = access_key_update_body();
    let response = client()
        .functions()
        .access_key_update(NAMESPACE_ID, KEY_ID, body).with_meta()
        .await
        .expect("access_key_update");
    assert_accepted(&response, 200, "access_key_update");
    let key = response.into_inner().access_key;
    assert_eq!(
        key.id.as_deref(),
        Some("dof_v1-xxxx-xxxx-xxxx-xxxxxxxxxxxx")
    );
    assert_eq!(key.name.as_deref(), Some("updated-key-name"));
    assert_eq!(key.expires_at.as_ref().map(DateTime::as_str), Some("2026-12-19T10:30:00Z"));
    assert_eq!(key.created_at.as_ref().map(DateTime::as_str), Some("2025-12-19T10:30:00Z"));
    assert_eq!(key.updated_at.as_ref().map(DateTime::as_str), Some("2025-12-19T16:00:00Z"));
}

#[tokio::test]
async fn access_key_delete_decodes_the_empty_object() {
    let response = client()
        .functions()
        .access_key_delete(NAMESPACE_ID, KEY_ID).with_meta()
        .await
        .expect("access_key_delete");
    assert_accepted(&response, 200, "access_key_delete");
    assert!(
        response.body().is_empty(),
        "the example is `{{}}`: {:?}",
        response.body()
    );
}

// ---------------------------------------------------------------------------------------------
// Documented error answers, chosen with `Prefer: code=NNN`

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    ListNamespaces,
    GetNamespace,
    DeleteNamespace,
    ListTriggers,
    CreateTrigger,
    GetTrigger,
    UpdateTrigger,
    DeleteTrigger,
    AccessKeyList,
    AccessKeyCreate,
    AccessKeyUpdate,
    AccessKeyDelete,
}

/// Calls `op` with the examples' arguments and returns the answer's status.
async fn call(client: &Client, op: Op) -> Result<StatusCode, Error> {
    let f = client.functions();
    let (ns, trigger, key) = (NAMESPACE_ID, TRIGGER_NAME, KEY_ID);
    Ok(match op {
        Op::ListNamespaces => f.list_namespaces().with_meta().await?.status(),
        Op::GetNamespace => f.get_namespace(ns).with_meta().await?.status(),
        Op::DeleteNamespace => f.delete_namespace(ns).with_meta().await?.status(),
        Op::ListTriggers => f.list_triggers(ns).with_meta().await?.status(),
        Op::CreateTrigger => f
            .create_trigger(ns, create_trigger_body()).with_meta()
            .await?
            .status(),
        Op::GetTrigger => f.get_trigger(ns, trigger).with_meta().await?.status(),
        Op::UpdateTrigger => f
            .update_trigger(ns, trigger, update_trigger_body()).with_meta()
            .await?
            .status(),
        Op::DeleteTrigger => f.delete_trigger(ns, trigger).with_meta().await?.status(),
        Op::AccessKeyList => f.access_key_list(ns).with_meta().await?.status(),
        Op::AccessKeyCreate => f
            .access_key_create(ns, access_key_create_body()).with_meta()
            .await?
            .status(),
        Op::AccessKeyUpdate => f
            .access_key_update(ns, key, access_key_update_body()).with_meta()
            .await?
            .status(),
        Op::AccessKeyDelete => f.access_key_delete(ns, key).with_meta().await?.status(),
    })
}

/// One documented error answer: its status and its example's `id`, `message` and `request_id`.
#[derive(Debug, Clone, Copy)]
struct Documented {
    status: u16,
    id: &'static str,
    message: &'static str,
    request_id: Option<&'static str>,
}

const fn documented(
    status: u16,
    id: &'static str,
    message: &'static str,
    request_id: Option<&'static str>,
) -> Documented {
    Documented {
        status,
        id,
        message,
        request_id,
    }
}

// The shared responses (`shared/responses/*.yml`).
const UNAUTHORIZED: Documented =
    documented(401, "unauthorized", "Unable to authenticate you.", None);
const TOO_MANY_REQUESTS: Documented =
    documented(429, "too_many_requests", "API rate limit exceeded.", None);
const SERVER_ERROR: Documented =
    documented(500, "server_error", "Unexpected server-side error", None);
const CONFLICT: Documented = documented(
    409,
    "conflict",
    "The request could not be completed due to a conflict.",
    None,
);
// The Functions responses (`resources/functions/responses/*.yml`).
const NAMESPACE_BAD_REQUEST: Documented = documented(
    404,
    "bad_request",
    "Invalid request payload: missing label field",
    Some("4851a473-1621-42ea-b2f9-5071c0ea8414"),
);
const NAMESPACE_LIMIT_REACHED: Documented = documented(
    422,
    "unprocessable_entity",
    "namespace limit reached",
    Some("a3275238-3d04-4405-a123-55c389b406c0"),
);
const NAMESPACE_NOT_FOUND: Documented = documented(
    404,
    "not_found",
    "namespace not found",
    Some("88d17b7a-630b-4083-99ce-5b91045efdb4"),
);
const TRIGGER_NOT_FOUND: Documented = documented(
    404,
    "not_found",
    "trigger not found",
    Some("88d17b7a-630b-4083-99ce-5b91045efdb4"),
);
const TRIGGER_BAD_REQUEST: Documented = documented(
    400,
    "bad_request",
    "validating create trigger: validation error: missing trigger name, missing function name, missing source details",
    Some("4851a473-1621-42ea-b2f9-5071c0ea8414"),
);

/// `err` is the API error `want`, with the rate-limit figures, for a request Prism found valid.
fn assert_documented(err: &Error, want: Documented, context: &str) {
    let api = err
        .api_error()
        .unwrap_or_else(|| panic!("{context}: expected an API error, got {err:?}"));
    assert_eq!(
        api.status().as_u16(),
        want.status,
        "{context}: status ({err})"
    );
    assert_eq!(err.status(), Some(api.status()), "{context}: Error::status");
    assert_eq!(api.id(), Some(want.id), "{context}: id ({err})");
    assert_eq!(
        api.message(),
        Some(want.message),
        "{context}: message ({err})"
    );
    assert_eq!(
        api.request_id(),
        want.request_id,
        "{context}: request id ({err})"
    );
    assert_eq!(
        api.raw_body(),
        None,
        "{context}: a documented error body keeps no raw body"
    );
    let rate = api
        .rate_limit()
        .unwrap_or_else(|| panic!("{context}: no rate-limit figures"));
    assert_eq!(
        (rate.limit, rate.remaining, rate.reset),
        RATE_LIMIT,
        "{context}: rate limit"
    );
    assert!(
        api.headers().get("sl-violations").is_none(),
        "{context}: Prism found the request invalid: {:?}",
        api.headers().get("sl-violations")
    );
    assert_eq!(
        err.is_not_found(),
        want.status == 404,
        "{context}: is_not_found"
    );
    assert_eq!(
        err.is_rate_limited(),
        want.status == 429,
        "{context}: is_rate_limited"
    );
    let shown = err.to_string();
    assert!(
        shown.contains(&want.status.to_string()) && shown.contains(want.id),
        "{context}: the message should name the status and id: {shown}"
    );
}

#[tokio::test]
async fn create_namespace_error_answers_carry_the_documented_id_and_message() {
    let cases = [
        UNAUTHORIZED,
        NAMESPACE_BAD_REQUEST,
        NAMESPACE_LIMIT_REACHED,
        TOO_MANY_REQUESTS,
        SERVER_ERROR,
    ];
    for want in cases {
        let client = client_preferring(&format!("code={}", want.status));
        let err = client
            .functions()
            .create_namespace(create_namespace_body())
            .await
            .expect_err("Prism was asked for an error answer");
        assert_documented(
            &err,
            want,
            &format!("create_namespace, Prefer: code={}", want.status),
        );
    }
}

#[tokio::test]
async fn operation_specific_error_answers_carry_their_examples() {
    let forbidden = documented(
        403,
        "forbidden",
        "not allowed to get namespace",
        Some("b11e45a4-892c-48c9-9001-b6cffe9fe795"),
    );
    let trigger_limit = documented(
        422,
        "unprocessable_entity",
        "triggers limit reached",
        Some("7ba99a43-6618-4fe0-9af7-092752ad0d56"),
    );
    let access_key_bad_request = Documented {
        status: 400,
        ..NAMESPACE_BAD_REQUEST
    };
    // An undocumented status falls back to the `default` response, `shared/responses/unexpected_error.yml`.
    let unexpected = documented(418, "example_error", "some error message", None);
    let cases: [(Op, &str, Documented); 14] = [
        (Op::ListNamespaces, "code=418", unexpected),
        (Op::GetNamespace, "code=403", forbidden),
        (Op::GetNamespace, "code=404", NAMESPACE_NOT_FOUND),
        (Op::DeleteNamespace, "code=404", NAMESPACE_NOT_FOUND),
        (Op::ListTriggers, "code=404", NAMESPACE_NOT_FOUND),
        (Op::CreateTrigger, "code=400", TRIGGER_BAD_REQUEST),
        (Op::CreateTrigger, "code=422", trigger_limit),
        // `trigger_not_found.yml` has two named examples; Prism picks one with `example=`.
        (
            Op::GetTrigger,
            "code=404, example=trigger not found",
            TRIGGER_NOT_FOUND,
        ),
        (Op::UpdateTrigger, "code=400", TRIGGER_BAD_REQUEST),
        (
            Op::DeleteTrigger,
            "code=404, example=namespace not found",
            NAMESPACE_NOT_FOUND,
        ),
        (Op::AccessKeyList, "code=404", NAMESPACE_NOT_FOUND),
        (Op::AccessKeyCreate, "code=400", access_key_bad_request),
        (Op::AccessKeyUpdate, "code=409", CONFLICT),
        (Op::AccessKeyDelete, "code=404", NAMESPACE_NOT_FOUND),
    ];
    for (op, prefer, want) in cases {
        let err = call(&client_preferring(prefer), op)
            .await
            .expect_err("Prism was asked for an error answer");
        assert_documented(&err, want, &format!("{op:?}, Prefer: {prefer}"));
    }
}

// ---------------------------------------------------------------------------------------------
// Requests Prism rejects

/// Prism's answer to a request sent without the generated client.
struct RawAnswer {
    status: u16,
    violations: Option<String>,
    body: String,
}

async fn send_raw(
    method: Method,
    path: &str,
    authorization: Option<&str>,
    body: Option<&Value>,
) -> RawAnswer {
    let url = format!("{}{path}", prism::prism().base_url());
    let mut request = reqwest::Client::new()
        .request(method, url)
        .header("accept", "application/json");
    if let Some(authorization) = authorization {
        request = request.header("authorization", authorization);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("Prism answers");
    let status = response.status().as_u16();
    let violations = response
        .headers()
        .get("sl-violations")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let body = response.text().await.expect("a readable body");
    RawAnswer {
        status,
        violations,
        body,
    }
}

#[tokio::test]
async fn prism_rejects_a_request_without_a_bearer_token() {
    // The client refuses to send one at all.
    for token in ["", "   "] {
        let built = Client::builder()
            .token(token)
            .base_url(prism::prism().base_url())
            .build();
        assert!(
            matches!(built, Err(Error::Config { .. })),
            "token {token:?}: {built:?}"
        );
    }

    let path = "/v2/functions/namespaces";
    let bearer = format!("Bearer {TOKEN}");
    let accepted = send_raw(Method::GET, path, Some(&bearer), None).await;
    assert_eq!(
        (accepted.status, accepted.violations),
        (200, None),
        "{}",
        accepted.body
    );

    for authorization in [None, Some("Token abc"), Some("Basic dXNlcjpwYXNz")] {
        let answer = send_raw(Method::GET, path, authorization, None).await;
        assert_eq!(
            answer.status, 401,
            "authorization {authorization:?}: {}",
            answer.body
        );
        let violations = answer.violations.unwrap_or_default();
        assert!(
            violations.contains("Invalid security scheme"),
            "authorization {authorization:?}: sl-violations {violations:?}"
        );
        let body: Value = serde_json::from_str(&answer.body).expect("a JSON error body");
        assert_eq!(body["id"], "unauthorized", "{}", answer.body);
    }
}

/// The body as the generated type serializes it.
fn to_json(body: &impl serde::Serialize) -> Value {
    serde_json::to_value(body).expect("a serializable body")
}

/// Removes the value at `pointer` (e.g. `/scheduled_details/cron`) from `value`.
fn remove(value: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let object = value
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .expect("an object to change");
    object.remove(key).expect("a property to remove");
}

/// Sets the value at `pointer` in `value`.
fn replace(value: &mut Value, pointer: &str, new: Value) {
    *value.pointer_mut(pointer).expect("a property to change") = new;
}

#[tokio::test]
async fn prism_rejects_bodies_that_break_the_schema() {
    let ns = format!("/v2/functions/namespaces/{NAMESPACE_ID}");
    let trigger = format!("{ns}/triggers/my%20trigger");
    type Change = fn(&mut Value);
    let cases: [(Method, String, Value, Change, u16, &str); 5] = [
        (
            Method::POST,
            "/v2/functions/namespaces".to_owned(),
            to_json(&create_namespace_body()),
            |body| remove(body, "/label"),
            422,
            "must have required property 'label'",
        ),
        (
            Method::POST,
            format!("{ns}/triggers"),
            to_json(&create_trigger_body()),
            |body| remove(body, "/scheduled_details/cron"),
            422,
            "scheduled_details must have required property 'cron'",
        ),
        (
            Method::PUT,
            trigger,
            to_json(&update_trigger_body()),
            |body| replace(body, "/is_enabled", Value::from("no")),
            400,
            "is_enabled must be boolean",
        ),
        (
            Method::POST,
            format!("{ns}/keys"),
            to_json(&access_key_create_body()),
            |body| remove(body, "/name"),
            400,
            "must have required property 'name'",
        ),
        (
            Method::PUT,
            format!("{ns}/keys/{KEY_ID}"),
            to_json(&access_key_update_body()),
            |body| replace(body, "/name", Value::from(5)),
            400,
            "name must be string",
        ),
    ];
    let bearer = format!("Bearer {TOKEN}");
    for (method, path, valid, change, status, violation) in cases {
        // The body as the generated type serializes it is valid...
        let answer = send_raw(method.clone(), &path, Some(&bearer), Some(&valid)).await;
        assert!(
            (200..300).contains(&answer.status) && answer.violations.is_none(),
            "{method} {path} with {valid}: {} {:?}",
            answer.status,
            answer.violations
        );
        // ...and the same body, broken, is not.
        let mut broken = valid.clone();
        change(&mut broken);
        let answer = send_raw(method.clone(), &path, Some(&bearer), Some(&broken)).await;
        assert_eq!(
            answer.status, status,
            "{method} {path} with {broken}: {}",
            answer.body
        );
        let violations = answer.violations.unwrap_or_default();
        assert!(
            violations.contains(violation),
            "{method} {path} with {broken}: sl-violations {violations:?}"
        );
    }
}

#[tokio::test]
async fn a_path_outside_the_spec_fails_with_prisms_status_and_body() {
    let base_url = format!("{}/not-the-api", prism::prism().base_url());
    let client = build_client(&base_url, HeaderMap::new());
    let err = client
        .functions()
        .list_namespaces()
        .await
        .expect_err("Prism knows no such route");
    let api = err
        .api_error()
        .unwrap_or_else(|| panic!("expected an API error, got {err:?}"));
    assert_eq!(api.status(), StatusCode::NOT_FOUND, "{err}");
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(
        (api.id(), api.message()),
        (None, None),
        "Prism's problem JSON is not DigitalOcean's error body"
    );
    let raw = api.raw_body().unwrap_or_default();
    assert!(raw.contains("NO_PATH_MATCHED_ERROR"), "raw body: {raw:?}");
    assert!(err.to_string().contains("404"), "{err}");
}

/// `examples/create_namespace.rs`, run as a user would, against Prism: it reads the token and
/// the base URL from the environment, prints the namespace and exits 0; without a token it
/// exits non-zero naming the missing variable. (`cargo test` builds examples; a run limited to
/// `--test contract` may not, and then this test says so.)
#[test]
fn the_create_namespace_example_runs_end_to_end() {
    // `cargo test` builds the examples beside the test binaries: target/<profile>/examples/.
    let exe = std::env::current_exe().unwrap();
    let examples = exe.parent().and_then(|deps| deps.parent()).map(|p| p.join("examples"));
    let example = examples
        .map(|dir| dir.join(format!("create_namespace{}", std::env::consts::EXE_SUFFIX)))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| panic!("the create_namespace example was not built beside {}", exe.display()));
    let base_url = prism::prism().base_url().to_owned();
    let output = std::process::Command::new(&example)
        .env("DIGITALOCEAN_TOKEN", "dop_v1_example")
        .env("DIGITALOCEAN_API_URL", &base_url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", example.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "example failed: {}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("my namespace") && stdout.contains("nyc1"), "{stdout}");

    let output = std::process::Command::new(&example)
        .env_remove("DIGITALOCEAN_TOKEN")
        .env("DIGITALOCEAN_API_URL", &base_url)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", example.display()));
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("DIGITALOCEAN_TOKEN"));
}

// ---------------------------------------------------------------------------------------------
// Walking the pages of a list operation

/// Prism answers every page with the spec's example, whose `next` link (to
/// `https://api.digitalocean.com/...?page=2&page_token=...&per_page=1`) never changes: the walk
/// asks Prism (not the link's host) for page 2 with the link's `page`, `page_token` and
/// `per_page`, Prism finds that request valid and answers the example again, and the walk then
/// stops with an error instead of asking for the same page for ever.
#[tokio::test]
async fn walking_a_token_listing_follows_the_example_next_link_on_prism_and_refuses_a_repeat() {
    use futures_util::StreamExt;
    let pages: Vec<Result<Response<models::AllRepositoriesV2>, Error>> = client()
        .container_registries()
        .list_repositories_v2("example")
        .per_page(1)
        .pages()
        .take(5)
        .collect()
        .await;
    assert_eq!(pages.len(), 3, "two pages, then the error: {pages:?}");
    for page in &pages[..2] {
        let page = page.as_ref().expect("a page");
        assert_accepted(page, 200, "registries_list_repositoriesV2");
        let repositories = &page.body().repositories;
        assert_eq!(repositories[0].name.as_deref(), Some("repo-1"));
    }
    match &pages[2] {
        Err(Error::Page { call, page: 2, source })
            if call.operation == "registries_list_repositoriesV2" && matches!(**source, Error::Pagination { .. }) => {}
        other => panic!("{other:?}"),
    }
}
