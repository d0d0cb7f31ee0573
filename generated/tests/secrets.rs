//! The API token and the model access key never show: not in `Debug` of the client or its
//! builder, not in any error (`Display`, `Debug`, sources), not in anything logged at any level
//! by this crate or its dependencies, even when the server echoes them back. Needs the features
//! `functions`, `serverless_inference` and `regions`.
//!
//! The capture (`support/capture.rs`) is this binary's global `tracing` subscriber and `log`
//! logger, enabled for everything down to `TRACE`, on every thread.

#[path = "support/capture.rs"]
mod capture;
#[path = "support/figures.rs"]
mod figures;
#[path = "support/loopback.rs"]
mod loopback;

use std::time::Duration;

use digitalocean::models::ChatCompletionRequest;
use digitalocean::{Client, ClientBuilder, Error, RetryPolicy};
use futures_util::TryStreamExt;
use loopback::{head, whole, Loopback, Step};

const TOKEN: &str = "dop_v1_secrets-TOKEN-0d9e7f1a22";
const KEY: &str = "sk-do-secrets-KEY-5c3b8a6e11";
/// The parts of the two secrets no other text has: searched for case-insensitively, so that
/// `Bearer <token>`, a header dump or a lower-cased copy are found too.
const SECRET_CORES: [&str; 2] = ["TOKEN-0d9e7f1a22", "KEY-5c3b8a6e11"];

fn leaks(text: &str) -> Option<&'static str> {
    let text = text.to_ascii_lowercase();
    SECRET_CORES.into_iter().find(|core| text.contains(&core.to_ascii_lowercase()))
}

/// `Display`, `Debug`, alternate `Debug`, and every source's `Display` and `Debug`.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

fn assert_hidden(what: &str, text: &str) {
    if let Some(core) = leaks(text) {
        panic!("{what} shows the secret {core:?}:\n{text}");
    }
}

/// Both credentials; both hosts at `uri`; quick retries (3 attempts).
fn builder(uri: &str) -> ClientBuilder {
    Client::builder()
        .token(TOKEN)
        .model_access_key(KEY)
        .base_url(uri)
        .inference_base_url(uri)
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(2)))
}

/// An answer that echoes both credentials back, in the body and in a header, as an echo
/// service or a debugging proxy would.
fn echoing(status: &str, content_type: &str) -> Vec<u8> {
    let body = format!(r#"{{"id": "unauthorized", "message": "you sent Authorization: Bearer {TOKEN} (and {KEY})", "request_id": "r-1"}}"#);
    let echo = format!("Bearer {TOKEN}, Bearer {KEY}");
    let length = body.len().to_string();
    let mut answer = head(status, &[("content-type", content_type), ("content-length", &length), ("x-echo-authorization", &echo)]);
    answer.extend_from_slice(body.as_bytes());
    answer
}

fn chat_request() -> ChatCompletionRequest {
    serde_json::from_value(serde_json::json!({
        "model": "llama3.3-70b-instruct",
        "messages": [{"role": "user", "content": "Hello"}]
    }))
    .unwrap()
}

/// `Debug` shows that each credential is set, never what it is, and the rest of the
/// configuration as it is.
#[test]
fn the_client_and_its_builder_hide_both_credentials() {
    let builder =
        Client::builder().token(TOKEN).model_access_key(KEY).base_url("https://example.test/api").agent_base_url("https://agent.example");
    let text = format!("{builder:?}\n{builder:#?}");
    assert_hidden("ClientBuilder's Debug", &text);
    assert!(text.contains("<redacted>"), "{text}");
    let client = builder.build().unwrap();
    let text = format!("{client:?}\n{client:#?}");
    assert_hidden("Client's Debug", &text);
    assert!(text.contains("<redacted>"), "{text}");
    assert!(text.contains("https://example.test/api") && text.contains("https://agent.example"), "{text}");

    // A credential that cannot be a header value: the error says which, never what.
    for builder in
        [Client::builder().token(format!("{TOKEN}\r\nx-injected: 1")), Client::builder().model_access_key(format!("{KEY}\u{7f}"))]
    {
        let err = builder.build().unwrap_err();
        assert_hidden("a configuration error", &shown(&err));
    }
}

/// Every kind of failure of requests that carry both credentials, with the server echoing them
/// back where it can; then everything logged meanwhile, at every level, from every crate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_error_and_no_log_line_shows_a_credential() {
    capture::install();
    let errors = tokio::time::timeout(Duration::from_secs(30), failures()).await.expect("the test hung");
    for (what, err) in &errors {
        assert_hidden(what, &shown(err));
        if let Some(api) = err.api_error() {
            assert_hidden(what, &format!("{:?} {:?}", api.headers(), api.raw_body()));
        }
    }
    let checked = format!("secrets: {} errors checked, none shows a credential", errors.len());

    // Everything logged meanwhile, by every crate, at every level.
    let lines = capture::lines();
    let all = lines.join("\n");
    assert_hidden("the captured logs", &all);
    // The capture works: it holds this crate's events, hyper-util's TRACE events and reqwest's log records.
    let has = |prefix: &str| lines.iter().any(|line| line.starts_with(prefix));
    assert!(has("event DEBUG digitalocean"), "no event of this crate in\n{all}");
    assert!(has("event TRACE hyper_util"), "no TRACE event of hyper-util in\n{all}");
    assert!(has("log DEBUG reqwest") || has("log TRACE reqwest"), "no log record of reqwest in\n{all}");
    figures::report("secrets", &format!("{checked}; {} log lines captured at TRACE, none shows a credential", lines.len()));
}

/// One error of every kind, from requests that carry both credentials, the server echoing them
/// back where it can.
async fn failures() -> Vec<(&'static str, Error)> {
    let mut errors: Vec<(&'static str, Error)> = Vec::new();

    // An error answer echoing the credentials, on the API host and on the inference host.
    let server = Loopback::start("127.0.0.1", vec![Step::Send(echoing("401 Unauthorized", "application/json"))]).await;
    let client = builder(&server.uri()).build().unwrap();
    errors.push(("401 echoing, API", client.functions().get_namespace("ns-1").await.unwrap_err()));
    errors.push(("401 echoing, inference", client.serverless_inference().list_models().await.unwrap_err()));
    let heads = server.heads().join("\n");
    assert!(heads.contains(&format!("Bearer {TOKEN}")) && heads.contains(&format!("Bearer {KEY}")), "{heads}");

    // Retried, then given up: 503 echoing, three times.
    let server = Loopback::start("127.0.0.1", vec![Step::Send(echoing("503 Service Unavailable", "application/json"))]).await;
    let client = builder(&server.uri()).build().unwrap();
    errors.push(("503 echoing, retried", client.functions().get_namespace("ns-1").await.unwrap_err()));
    assert_eq!(server.heads().len(), 3);

    // A 200 whose body does not decode and echoes them: in a header, in the body, in the
    // value the decoder quotes (a string where a number belongs) and in a field's path.
    let body = format!(r#"{{"data": [{{"created": "Bearer {TOKEN}"}}], "{KEY}": 1}}"#);
    let echo = format!("Bearer {TOKEN}");
    let mut answer =
        head("200 OK", &[("content-type", "application/json"), ("x-echo", &echo), ("content-length", &body.len().to_string())]);
    answer.extend_from_slice(body.as_bytes());
    let server = Loopback::start("127.0.0.1", vec![Step::Send(answer)]).await;
    let client = builder(&server.uri()).build().unwrap();
    let err = client.serverless_inference().list_models().await.unwrap_err();
    match &err {
        Error::Decode(decode) => {
            assert_eq!(decode.json_path.as_deref(), Some("data[0].created"), "{err:?}");
            assert!(decode.source.to_string().contains("invalid type: string \"Bearer <redacted>\""), "{err}");
            assert_eq!(decode.body_len, body.len(), "the length of the body as received");
        }
        _ => panic!("{err:?}"),
    }
    errors.push(("200 that does not decode, echoing", err));
    let body = format!("<html>{TOKEN} {KEY}</html>");
    let server = Loopback::start("127.0.0.1", vec![Step::Send(whole("200 OK", "text/html", body.as_bytes()))]).await;
    let client = builder(&server.uri()).build().unwrap();
    errors.push(("200 with HTML echoing", client.functions().get_namespace("ns-1").await.unwrap_err()));

    // A redirect to another host.
    let elsewhere = Loopback::start("127.0.0.2", vec![Step::Send(whole("200 OK", "application/json", b"{}"))]).await;
    let location = format!("{}/steal", elsewhere.uri());
    let server =
        Loopback::start("127.0.0.1", vec![Step::Send(head("302 Found", &[("location", &location), ("content-length", "0")]))]).await;
    let client = builder(&server.uri()).build().unwrap();
    errors.push(("302 to 127.0.0.2, API", client.functions().get_namespace("ns-1").await.unwrap_err()));
    errors.push(("302 to 127.0.0.2, inference", client.serverless_inference().list_models().await.unwrap_err()));
    assert!(elsewhere.heads().is_empty(), "{:?}", elsewhere.heads());

    // A refused connection (retried), a stalled answer, a total timeout, a body over the cap.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = builder(&format!("http://127.0.0.1:{port}")).build().unwrap();
    errors.push(("connection refused", client.functions().get_namespace("ns-1").await.unwrap_err()));
    let server = Loopback::start("127.0.0.1", vec![Step::Hold]).await;
    let client = builder(&server.uri()).timeout(Duration::from_millis(200)).build().unwrap();
    errors.push(("timeout", client.functions().get_namespace("ns-1").await.unwrap_err()));
    let client = builder(&server.uri()).total_timeout(Duration::from_millis(200)).build().unwrap();
    errors.push(("total timeout", client.serverless_inference().list_models().await.unwrap_err()));
    let server = Loopback::start("127.0.0.1", vec![Step::Send(head("200 OK", &[("content-length", "999999999")])), Step::Hold]).await;
    let client = builder(&server.uri()).build().unwrap();
    errors.push(("body over the cap", client.functions().get_namespace("ns-1").await.unwrap_err()));

    // An event stream whose error event echoes the key.
    let events = format!("data: {{\"error\": {{\"message\": \"bad key Bearer {KEY}\", \"code\": \"{TOKEN}\"}}}}\n\n");
    let server = Loopback::start("127.0.0.1", vec![Step::Send(whole("200 OK", "text/event-stream", events.as_bytes()))]).await;
    let client = builder(&server.uri()).build().unwrap();
    let mut stream = client.serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
    let err = stream.next().await.expect("an item").unwrap_err();
    assert!(matches!(err, Error::Stream(_)), "{err:?}");
    errors.push(("error event echoing", err));
    let events = format!("data: {{\"choices\": \"{KEY}\"}}\n\n");
    let server = Loopback::start("127.0.0.1", vec![Step::Send(whole("200 OK", "text/event-stream", events.as_bytes()))]).await;
    let client = builder(&server.uri()).build().unwrap();
    let mut stream = client.serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
    let err = stream.next().await.expect("an item").unwrap_err();
    errors.push(("event that does not decode, echoing", err));

    // A page of a walk.
    let server = Loopback::start("127.0.0.1", vec![Step::Send(echoing("500 Internal Server Error", "application/json"))]).await;
    let client = builder(&server.uri()).retry_policy(RetryPolicy::none()).build().unwrap();
    let err = client.regions().list().stream().try_collect::<Vec<_>>().await.unwrap_err();
    assert!(matches!(err, Error::Page { .. }), "{err:?}");
    errors.push(("a page of a walk", err));

    errors
}
