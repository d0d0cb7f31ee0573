//! The client reports each request through `tracing`: method, path template, status, attempt and
//! elapsed time, and never the token or the filled-in path.
//!
//! Each test sets its recorder as the default subscriber of its own thread (`current_thread`
//! runtime), so the tests do not see each other's events.

use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use digitalocean::{Client, RetryPolicy};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dop_v1_tracing_secret";

/// A subscriber that writes every span and event, with its fields, as one line of text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<AtomicU64>,
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Recorder {
    fn push(&self, line: Line) {
        self.lines.lock().unwrap().push(line.0);
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut line = Line(format!("span {}:", span.metadata().name()));
        span.record(&mut line);
        self.push(line);
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut line = Line("record:".to_owned());
        values.record(&mut line);
        self.push(line);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = Line(format!("event {}:", event.metadata().level()));
        event.record(&mut line);
        self.push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn each_attempt_is_reported_without_the_token_or_the_filled_in_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"namespace": {}})))
        .mount(&server)
        .await;
    let policy = RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2));
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(policy)
        .build()
        .unwrap();

    let recorder = Recorder::default();
    let guard = tracing::subscriber::set_default(recorder.clone());
    client
        .functions()
        .get_namespace("ns-filled-in-7")
        .await
        .unwrap();
    drop(guard);

    let lines = recorder.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let span = lines
        .iter()
        .find(|l| l.starts_with("span digitalocean_request:"))
        .unwrap_or_else(|| panic!("no span in\n{all}"));
    assert!(span.contains("method=GET"), "{span}");
    assert!(
        span.contains("path=\"/v2/functions/namespaces/{namespace_id}\""),
        "{span}"
    );

    let answers: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("answer received"))
        .collect();
    assert_eq!(answers.len(), 2, "one event per attempt in\n{all}");
    assert!(
        answers[0].contains("attempt=1") && answers[0].contains("status=503"),
        "{}",
        answers[0]
    );
    assert!(
        answers[1].contains("attempt=2") && answers[1].contains("status=200"),
        "{}",
        answers[1]
    );
    assert!(answers.iter().all(|l| l.contains("elapsed_ms=")), "{all}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("retrying") && l.contains("delay_ms=")),
        "{all}"
    );

    assert!(
        !all.contains(TOKEN) && !all.contains("Bearer"),
        "the token leaked:\n{all}"
    );
    assert!(
        !all.contains("ns-filled-in-7"),
        "the filled-in path leaked:\n{all}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn failed_attempts_are_reported_without_the_url() {
    // A port that was free a moment ago: the connection is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let policy = RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(2));
    let client = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(policy)
        .build()
        .unwrap();

    let recorder = Recorder::default();
    let guard = tracing::subscriber::set_default(recorder.clone());
    let result = client.functions().get_namespace("ns-refused-9").await;
    drop(guard);
    assert!(result.is_err());

    let lines = recorder.lines.lock().unwrap().clone();
    let all = lines.join("\n");
    let failures: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("request failed"))
        .collect();
    assert_eq!(failures.len(), 3, "one event per attempt in\n{all}");
    assert!(failures[2].contains("attempt=3"), "{all}");
    assert!(failures.iter().all(|l| l.contains("connect=true")), "{all}");
    assert!(
        !all.contains("ns-refused-9") && !all.contains(TOKEN),
        "the URL or token leaked:\n{all}"
    );
}
