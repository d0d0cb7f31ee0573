//! Tests of hosts, credentials, headers and the `send_*` methods, against local servers.

use reqwest::Method;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::call::{read_bytes, read_empty, read_text};
use super::decode::decode_json;
use super::response::Response;
use super::{ApiError, DecodeError, StreamError, StreamErrorKind};
use super::{Auth, Call, Client, ClientBuilder, Error, Host, Request, RetryPolicy};

const TOKEN: &str = "dop_v1_token_secret_0123";
const KEY: &str = "sk-do-model-key-secret-4567";

/// A server answering every request with `answer`.
async fn server_answering(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(answer).mount(&server).await;
    server
}

async fn ok_server() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_json(json!({"ok": true}))).await
}

/// A builder without retries, with the API host at `api`.
fn builder(api: &MockServer) -> ClientBuilder {
    Client::builder().base_url(api.uri()).retry_policy(RetryPolicy::none())
}

/// A call for the tests' requests and errors (leaked: it lives as long as the test).
fn call(operation: &'static str, method: Method, path: &'static str) -> &'static Call {
    Box::leak(Box::new(Call::new(operation, method, path)))
}

fn get(path: &str) -> Request {
    Request::new(call("test_get", Method::GET, "/test"), path.to_owned())
}

/// The requests `server` received.
async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap()
}

/// The `Authorization` values of every request `server` received (`None` for a request without).
async fn authorizations(server: &MockServer) -> Vec<Option<String>> {
    received(server)
        .await
        .iter()
        .map(|request| {
            let value = request.headers.get("authorization")?;
            Some(value.to_str().unwrap().to_owned())
        })
        .collect()
}

/// The only value of header `name` in the only request `server` received.
async fn only_header(server: &MockServer, name: &str) -> String {
    let requests = received(server).await;
    assert_eq!(requests.len(), 1);
    let values: Vec<_> = requests[0].headers.get_all(name).iter().collect();
    assert_eq!(values.len(), 1, "{name}: {values:?}");
    values[0].to_str().unwrap().to_owned()
}

/// The readers of the generated operations, on a bare request.
impl Client {
    async fn send_empty(&self, req: Request) -> Result<Response<()>, Error> {
        self.fetch(Ok(req)).await?.decode(read_empty)
    }

    async fn send_bytes(&self, req: Request) -> Result<Response<Vec<u8>>, Error> {
        self.fetch(Ok(req)).await?.decode(read_bytes)
    }

    async fn send_text(&self, req: Request) -> Result<Response<String>, Error> {
        self.fetch(Ok(req)).await?.decode(read_text)
    }
}

/// What no operation of the pinned spec asks for (`generated/tests/hosts.rs` sends each
/// credential to its own host through the generated methods): a credential asked for on a host
/// it is not for is refused before anything is sent, and a request without one, or to a
/// caller's URL whatever credential it asks for, carries none.
#[tokio::test]
async fn a_credential_is_never_sent_to_a_host_it_is_not_for() {
    let (api, inference, agent, upload) = (ok_server().await, ok_server().await, ok_server().await, ok_server().await);
    let client =
        builder(&api).token(TOKEN).model_access_key(KEY).inference_base_url(inference.uri()).agent_base_url(agent.uri()).build().unwrap();

    for request in
        [get("/api").auth(Auth::ModelAccessKey), get("/v1/models").host(Host::Inference).auth(Auth::Token), get("/chat").host(Host::Agent)]
    {
        let err = client.send_empty(request).await.unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }
    client.send_empty(get("/public").auth(Auth::None)).await.unwrap();
    let url = format!("{}/bucket/file.bin", upload.uri());
    for auth in [Auth::Token, Auth::ModelAccessKey, Auth::None] {
        let request = Request::new(call("test", Method::PUT, "{upload_url}"), url.clone()).host(Host::Absolute).auth(auth);
        client.send_empty(request).await.unwrap();
    }

    assert_eq!(authorizations(&api).await, [None]);
    assert_eq!(authorizations(&upload).await, [None, None, None]);
    assert!(received(&inference).await.is_empty() && received(&agent).await.is_empty());
}

#[tokio::test]
async fn an_absolute_url_that_is_not_http_is_refused_without_repeating_it() {
    let api = ok_server().await;
    let client = builder(&api).token(TOKEN).build().unwrap();
    for url in ["ftp://files.example/x?sig=SECRETSIG", "/relative?sig=SECRETSIG", "not a url"] {
        let request = Request::new(call("test", Method::PUT, "{upload_url}"), url.to_owned()).host(Host::Absolute);
        let err = client.send_empty(request).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }), "{url}: {err:?}");
        assert!(err.to_string().contains("URL"), "{err}");
        assert!(!format!("{err} {err:?}").contains("SECRETSIG"), "{err:?}");
    }
    assert!(received(&api).await.is_empty());
}

#[tokio::test]
async fn a_transport_error_does_not_repeat_an_absolute_url() {
    let api = ok_server().await;
    let client = builder(&api).token(TOKEN).build().unwrap();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let url = format!("http://127.0.0.1:{port}/upload?sig=SECRETSIG");
    let request = Request::new(call("test", Method::PUT, "{upload_url}"), url).host(Host::Absolute);
    let err = client.send_empty(request).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("SECRETSIG"), "{err:?}");
}

#[tokio::test]
async fn an_agent_operation_needs_the_agent_url() {
    let server = ok_server().await;
    let client = builder(&server).model_access_key(KEY).build().unwrap();
    assert_eq!(client.agent_base_url(), None);
    let request = get("/api/v1/chat").host(Host::Agent).auth(Auth::ModelAccessKey);
    let err = client.send_empty(request).await.unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("agent_base_url"), "{err}");
    assert!(received(&server).await.is_empty());

    let bare_host = Client::builder().model_access_key(KEY).agent_base_url("abc123.agents.do-ai.run/").build().unwrap();
    assert_eq!(bare_host.agent_base_url(), Some("https://abc123.agents.do-ai.run"));
    assert_eq!(bare_host.inference_base_url(), super::DEFAULT_INFERENCE_URL);
}

#[tokio::test]
async fn accept_defaults_to_json_and_can_be_set() {
    let (first, second) = (ok_server().await, ok_server().await);
    let client = builder(&first).token(TOKEN).build().unwrap();
    client.send_empty(get("/json")).await.unwrap();
    assert_eq!(only_header(&first, "accept").await, "application/json");

    let client = builder(&second).token(TOKEN).build().unwrap();
    client.send_empty(get("/csv").accept("text/csv")).await.unwrap();
    assert_eq!(only_header(&second, "accept").await, "text/csv");
}

#[tokio::test]
async fn accept_and_content_type_headers_replace_the_defaults() {
    let server = ok_server().await;
    let client = builder(&server).token(TOKEN).build().unwrap();
    let request = Request::new(call("test", Method::PATCH, "/test"), "/test".to_owned())
        .header("Accept", "application/yaml")
        .header("Content-Type", "application/merge-patch+json")
        .header("X-Other", "kept")
        .json(&json!({"a": 1}))
        .unwrap();
    client.send_empty(request).await.unwrap();
    assert_eq!(only_header(&server, "accept").await, "application/yaml");
    assert_eq!(only_header(&server, "content-type").await, "application/merge-patch+json");
    assert_eq!(only_header(&server, "x-other").await, "kept");
}

#[tokio::test]
async fn a_bytes_body_is_sent_with_its_content_type() {
    let server = ok_server().await;
    let client = builder(&server).token(TOKEN).build().unwrap();
    let body = vec![0u8, 159, 146, 150, 255];
    let request = Request::new(call("test", Method::PUT, "/test"), "/test".to_owned()).bytes(body.clone(), "application/octet-stream");
    client.send_empty(request).await.unwrap();
    assert_eq!(only_header(&server, "content-type").await, "application/octet-stream");
    assert_eq!(received(&server).await[0].body, body);
}

#[tokio::test]
async fn send_bytes_and_send_text_return_the_body_as_it_is() {
    let bytes = vec![0u8, 159, 146, 150, 255];
    let binary = server_answering(ResponseTemplate::new(200).set_body_bytes(bytes.clone())).await;
    let text = server_answering(ResponseTemplate::new(200).set_body_string("a,b\n1,é\n")).await;

    let client = builder(&binary).token(TOKEN).build().unwrap();
    let answer = client.send_bytes(get("/bin")).await.unwrap();
    assert_eq!(answer.body(), &bytes);

    let err = client.send_text(get("/bin")).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert!(err.to_string().contains("UTF-8"), "{err}");

    let client = builder(&text).token(TOKEN).build().unwrap();
    let answer = client.send_text(get("/csv").accept("text/csv")).await.unwrap();
    assert_eq!(answer.into_inner(), "a,b\n1,é\n");
}

// The structs of these tests decode as the generated ones do (`object.rs`), which name the path
// of a failure below them.
super::object! {
    #[derive(Default)]
    pub struct Job: received, direct {
        pub id: String = "id" (defaulted, always),
    }
}

#[derive(Debug, PartialEq)]
enum JobAnswer {
    Ok(Job),
    Accepted(Job),
}

async fn send_by_status(server: &MockServer) -> Result<JobAnswer, Error> {
    let client = builder(server).token(TOKEN).build().unwrap();
    let answer = client.fetch(Ok(get("/jobs"))).await?.decode(|status, body| match status {
        202 => decode_json::<Job>(body).map(JobAnswer::Accepted),
        _ => decode_json::<Job>(body).map(JobAnswer::Ok),
    })?;
    Ok(answer.into_inner())
}

#[tokio::test]
async fn a_fetched_answer_decodes_by_the_status() {
    let job = json!({"id": "j1"});
    let done = server_answering(ResponseTemplate::new(200).set_body_json(&job)).await;
    let accepted = server_answering(ResponseTemplate::new(202).set_body_json(&job)).await;
    let wrong = server_answering(ResponseTemplate::new(202).set_body_json(json!({"id": 7}))).await;
    let j1 = || Job { id: "j1".into() };
    assert_eq!(send_by_status(&done).await.unwrap(), JobAnswer::Ok(j1()));
    assert_eq!(send_by_status(&accepted).await.unwrap(), JobAnswer::Accepted(j1()));
    let err = send_by_status(&wrong).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(decode.status.as_u16(), 202);
    assert_eq!(decode.json_path.as_deref(), Some("id"));
}

super::object! {
    #[derive(Default)]
    pub struct Size: received, direct {
        pub slug: String = "slug" (defaulted, always),
    }
}

super::object! {
    pub struct Droplet: received, slots {
        pub name: String = "name" (defaulted, always),
        pub size: Size = "size" (required, always),
    }
}

#[tokio::test]
async fn send_json_names_the_path_of_a_mismatch() {
    let mismatch = json!({"name": "d", "size": {"slug": 5}});
    let strict = server_answering(ResponseTemplate::new(200).set_body_json(mismatch)).await;
    let client = builder(&strict).token(TOKEN).build().unwrap();
    let err = client.send_json::<Droplet>(get("/d")).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(decode.json_path.as_deref(), Some("size.slug"));
    assert!(decode.body_snippet.starts_with('{'), "{decode:?}");
    assert!(err.to_string().contains("at `size.slug`"), "{err}");
}

#[test]
fn either_credential_is_enough_to_build() {
    assert!(Client::builder().model_access_key(KEY).build().is_ok());
    assert!(Client::builder().token(TOKEN).build().is_ok());
    let err = Client::builder().token(" ").model_access_key("").build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("no API token was given"), "{err}");
}

/// `Client::from_env` is `read_vars` with `std::env::var`: the variables looked up here by a
/// function, so that no test changes the process's environment.
#[test]
fn the_environment_gives_either_credential_and_both_urls() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            let found = vars.iter().find(|(var, _)| *var == name);
            found.map(|(_, value)| (*value).to_owned())
        }
    };
    // Neither credential, or only blank ones: an error naming both variables.
    for vars in [&[][..], &[("DIGITALOCEAN_TOKEN", "")], &[("DIGITALOCEAN_TOKEN", " "), ("DIGITALOCEAN_MODEL_ACCESS_KEY", "")]] {
        let err = Client::builder().read_vars(env(vars)).unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{vars:?}: {err:?}");
        let message = err.to_string();
        assert!(message.contains("DIGITALOCEAN_TOKEN") && message.contains("DIGITALOCEAN_MODEL_ACCESS_KEY"), "{message}");
    }

    let bearer = |value: &Option<reqwest::header::HeaderValue>| value.as_ref().map(|v| v.to_str().unwrap().to_owned());
    let client = Client::builder()
        .read_vars(env(&[("DIGITALOCEAN_TOKEN", TOKEN), ("DIGITALOCEAN_API_URL", "http://127.0.0.1:8/")]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(bearer(&client.inner.token), Some(format!("Bearer {TOKEN}")));
    assert_eq!(client.inner.model_access_key, None);
    assert_eq!(client.base_url(), "http://127.0.0.1:8");
    assert_eq!(client.inference_base_url(), super::DEFAULT_INFERENCE_URL);

    let client = Client::builder()
        .read_vars(env(&[("DIGITALOCEAN_MODEL_ACCESS_KEY", KEY), ("DIGITALOCEAN_INFERENCE_URL", "http://127.0.0.1:9/")]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.inner.token, None);
    assert_eq!(bearer(&client.inner.model_access_key), Some(format!("Bearer {KEY}")));
    assert_eq!(client.inference_base_url(), "http://127.0.0.1:9");
    assert_eq!(client.base_url(), super::DEFAULT_BASE_URL);
}

// `Debug` of the errors: what `fn main() -> Result<(), Error>` prints is a summary, not a dump.

/// The headers of a typical error answer, thirteen of them.
fn many_headers() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    for (name, value) in [
        ("content-type", "application/json; charset=utf-8"),
        ("content-length", "151"),
        ("date", "Tue, 04 Mar 2025 10:00:00 GMT"),
        ("server", "cloudflare"),
        ("cf-ray", "91a2b3c4d5e6f7a8-AMS"),
        ("cache-control", "no-cache"),
        ("vary", "Accept-Encoding"),
        ("strict-transport-security", "max-age=31536000"),
        ("x-frame-options", "SAMEORIGIN"),
        ("x-request-id", "req-from-header-77"),
        ("ratelimit-limit", "5000"),
        ("ratelimit-remaining", "4999"),
        ("ratelimit-reset", "1741082400"),
    ] {
        headers.insert(name, reqwest::header::HeaderValue::from_static(value));
    }
    headers
}

/// `err`'s `Debug`, after checking that it is a summary: one line of under 400 characters, at
/// most 16 lines as `{:#?}`, and none of the answer's headers (names or values).
fn debug_summary(err: &Error) -> String {
    let shown = format!("{err:?}");
    let pretty = format!("{err:#?}");
    assert!(shown.len() < 400 && !shown.contains('\n'), "{} characters: {shown}", shown.len());
    assert!(pretty.lines().count() <= 16, "{pretty}");
    let both = format!("{shown}\n{pretty}").to_ascii_lowercase();
    for header in ["content-type", "ratelimit", "cf-ray", "cloudflare", "headermap", "charset"] {
        assert!(!both.contains(header), "shows {header}: {pretty}");
    }
    shown
}

/// A `404` from `GET /v2/droplets/{droplet_id}` with the documented error body and many headers.
fn droplet_not_found() -> Error {
    let body = json!({
        "id": "not_found",
        "message": "The resource you were accessing could not be found.",
        "request_id": "4f1ac7a1-2d3b-4c5e-9f60-0123456789ab",
    });
    Error::Api(Box::new(ApiError::from_response(
        call("droplets_get", Method::GET, "/v2/droplets/{droplet_id}"),
        reqwest::StatusCode::NOT_FOUND,
        many_headers(),
        &serde_json::to_vec(&body).unwrap(),
    )))
}

#[test]
fn an_api_errors_debug_is_the_operation_status_id_message_and_request_id() {
    let err = droplet_not_found();
    let shown = debug_summary(&err);
    for part in [
        "Api(ApiError {",
        "operation: GET /v2/droplets/{droplet_id}",
        "status: 404 Not Found",
        r#"id: "not_found""#,
        r#"message: "The resource you were accessing could not be found.""#,
        r#"request_id: "4f1ac7a1-2d3b-4c5e-9f60-0123456789ab""#,
    ] {
        assert!(shown.contains(part), "no {part:?} in {shown}");
    }
    // The rest is still there, through the accessors.
    let api = err.api_error().unwrap();
    assert_eq!(api.headers().len(), 13);
    assert_eq!(api.headers()["cf-ray"], "91a2b3c4d5e6f7a8-AMS");
    assert_eq!(api.rate_limit().map(|rate| rate.limit), Some(5000));
    assert_eq!(format!("{api:?}"), shown["Api(".len()..shown.len() - 1]);

    // Inside a page of a walk, the page's error keeps its summary.
    let page = Error::Page { call: call("droplets_list", Method::GET, "/v2/droplets"), page: 2, source: Box::new(droplet_not_found()) };
    let shown = debug_summary(&page);
    assert!(shown.starts_with("Page { operation: GET /v2/droplets (droplets_list), page: 2, source: Api(ApiError {"), "{shown}");
    assert!(shown.contains("404 Not Found") && shown.contains("not_found"), "{shown}");
}

#[test]
fn long_texts_from_the_server_are_cut_in_debug() {
    let page = format!("<html>\n<head><title>502 Bad Gateway</title></head>\n{}</html>", "<p>proxy</p>\n".repeat(400));
    let err = Error::Api(Box::new(ApiError::from_response(
        call("droplets_create", Method::POST, "/v2/droplets"),
        reqwest::StatusCode::BAD_GATEWAY,
        many_headers(),
        page.as_bytes(),
    )));
    let shown = debug_summary(&err);
    assert!(shown.contains(r#"body: "<html>\n<head><title>502 Bad Gateway"#), "{shown}");
    assert!(shown.contains(r#""..., request_id: "req-from-header-77", .. }"#), "{shown}");
    assert_eq!(err.api_error().unwrap().raw_body().map(str::len), Some(4096));

    let message = format!("quota exceeded: {}", "the limit is 25 droplets; ".repeat(100));
    let body = json!({"id": "forbidden", "message": message});
    let err = Error::Api(Box::new(ApiError::from_response(
        call("droplets_create", Method::POST, "/v2/droplets"),
        reqwest::StatusCode::FORBIDDEN,
        many_headers(),
        &serde_json::to_vec(&body).unwrap(),
    )));
    let shown = debug_summary(&err);
    assert!(shown.contains(r#"message: "quota exceeded: the limit"#), "{shown}");
    assert!(shown.contains(r#""..., request_id: "req-from-header-77", .. }"#), "{shown}");
    assert_eq!(err.api_error().unwrap().message(), Some(message.as_str()));
}

#[test]
fn a_decode_errors_debug_has_the_json_path_and_the_decoders_message_not_the_body() {
    super::object! {
        pub struct Answer: received, slots {
            pub droplet: Droplet = "droplet" (required, always),
        }
    }
    let body = json!({"droplet": {"name": "web-01", "size": {"slug": 5}, "tags": vec!["production"; 40]}});
    let body = serde_json::to_vec(&body).unwrap();
    let failure = decode_json::<Answer>(&body).unwrap_err();
    let decode = DecodeError::new(
        call("droplets_get", Method::GET, "/v2/droplets/{droplet_id}"),
        reqwest::StatusCode::OK,
        &many_headers(),
        &body,
        failure,
    );
    let err = Error::Decode(Box::new(decode));
    let shown = debug_summary(&err);
    for part in [
        "Decode(DecodeError {",
        "operation: GET /v2/droplets/{droplet_id}",
        "status: 200 OK",
        r#"json_path: "droplet.size.slug""#,
        "cause: \"",
        "invalid type: integer `5`, expected a string",
        r#"request_id: "req-from-header-77""#,
    ] {
        assert!(shown.contains(part), "no {part:?} in {shown}");
    }
    assert!(!shown.contains("web-01") && !shown.contains("production"), "{shown}");
    let Error::Decode(decode) = &err else { unreachable!() };
    assert!(decode.body_snippet.contains("web-01"));
    assert_eq!(decode.content_type.as_deref(), Some("application/json; charset=utf-8"));
}

#[test]
fn a_stream_errors_debug_says_what_went_wrong_not_the_events_data() {
    let data = json!({"error": {"message": "rate limit exceeded", "code": "rate_limit_exceeded", "padding": "x".repeat(400)}});
    let err = Error::Stream(Box::new(StreamError {
        call: call("chat_completions_create", Method::POST, "/v1/chat/completions"),
        event: 3,
        kind: StreamErrorKind::Server {
            message: Some("rate limit exceeded".to_owned()),
            code: Some("rate_limit_exceeded".to_owned()),
            data: data.to_string(),
        },
    }));
    let shown = debug_summary(&err);
    for part in [
        "Stream(StreamError {",
        "operation: POST /v1/chat/completions",
        "event: 3",
        r#"error: "the server sent an error (rate_limit_exceeded): rate limit exceeded""#,
    ] {
        assert!(shown.contains(part), "no {part:?} in {shown}");
    }
    assert!(!shown.contains("padding"), "{shown}");
}

#[tokio::test]
async fn a_transport_error_and_a_timeout_show_the_operation_and_the_cause() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let client =
        Client::builder().base_url(format!("http://127.0.0.1:{port}")).token(TOKEN).retry_policy(RetryPolicy::none()).build().unwrap();
    let err = client.send_empty(get("/v2/account")).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let shown = debug_summary(&err);
    // The root cause, not reqwest's general text with the filled-in URL (that is in `Display`).
    assert!(shown.starts_with(r#"Transport { operation: GET /test (test_get), cause: ""#), "{shown}");
    assert!(shown.to_ascii_lowercase().contains("refused"), "{shown}");
    assert!(!shown.contains("127.0.0.1") && !shown.contains("reqwest::Error"), "{shown}");
    assert!(err.to_string().contains("/v2/account"), "{err}");

    let slow = server_answering(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(2))).await;
    let client = builder(&slow).token(TOKEN).timeout(std::time::Duration::from_millis(50)).build().unwrap();
    let err = client.send_empty(get("/v2/account")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let shown = debug_summary(&err);
    assert!(shown.starts_with("Timeout { operation: GET /test (test_get), timeout: 50ms, cause: \""), "{shown}");
    assert!(shown.contains("timed out"), "{shown}");
    assert!(!shown.contains("127.0.0.1") && !shown.contains("reqwest::Error"), "{shown}");
}

/// An action that errored, with all its members, its region's forty sizes included.
#[cfg(feature = "actions")]
fn errored_power_off() -> crate::models::Action {
    use crate::models::{Action, ActionStatus, Region};
    Action {
        id: Some(36804745),
        status: Some(ActionStatus::Errored),
        type_: Some("power_off".to_owned()),
        started_at: Some("2025-03-04T10:00:00Z".into()),
        completed_at: Some("2025-03-04T10:00:09Z".into()),
        resource_id: Some(3164494),
        resource_type: Some("droplet".to_owned()),
        region: Some(Region {
            name: "New York 3".to_owned(),
            slug: "nyc3".to_owned(),
            features: vec!["backups".to_owned(), "ipv6".to_owned(), "metadata".to_owned()],
            available: true,
            sizes: (1..=40).map(|n| format!("s-{n}vcpu-{}gb", 2 * n)).collect(),
        }),
        ..Action::default()
    }
}

#[cfg(feature = "actions")]
#[test]
fn an_action_errors_debug_is_the_actions_id_type_and_status_not_its_region() {
    let err = Error::ActionErrored { action: Box::new(errored_power_off()) };
    let shown = debug_summary(&err);
    assert_eq!(shown, r#"ActionErrored { action_id: 36804745, type: "power_off", status: "errored", .. }"#);
    assert_eq!(err.action().and_then(|a| a.region.as_ref()).map(|r| r.sizes.len()), Some(40));

    let mut last = errored_power_off();
    last.status = Some(crate::models::ActionStatus::InProgress);
    let err = Error::WaitTimeout { action_id: 36804745, action: Some(Box::new(last)), waited: std::time::Duration::from_secs(300) };
    let shown = debug_summary(&err);
    assert_eq!(shown, r#"WaitTimeout { action_id: 36804745, waited: 300s, type: "power_off", last_status: "in-progress", .. }"#);
    let never = Error::WaitTimeout { action_id: 36804745, action: None, waited: std::time::Duration::from_secs(300) };
    assert_eq!(format!("{never:?}"), "WaitTimeout { action_id: 36804745, waited: 300s, .. }");
    for err in [&err, &never] {
        let shown = format!("{err:?} {err:#?}");
        assert!(!shown.contains("vcpu") && !shown.contains("New York"), "{shown}");
    }
}
