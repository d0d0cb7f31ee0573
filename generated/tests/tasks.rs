//! The eight everyday tasks of `examples/` run as they are written: each example's `run` is
//! called here against Stoplight Prism serving the spec (the same mock as the contract tests,
//! `support/prism.rs`), except the streaming chat completion, which Prism cannot serve (it
//! answers `text/event-stream` with a 500, "Cannot serialise complex objects as text") and
//! which runs against a loopback server sending three chunks and `data: [DONE]`.
//!
//! Each example is included here as a module (its `main` unused) and its `pub async fn run` is
//! called: `pub`, because a module's private items are out of its parent's reach.
//!
//! Prism answers every request with the spec's example, so the assertions check what those
//! examples make true. The count test prints the examples' size and checks that none of them
//! fills a request with `: None` or `Default::default()`.

#[path = "support/npm.rs"]
mod npm;
#[allow(dead_code)]
#[path = "support/prism.rs"]
mod prism;

#[allow(dead_code)]
#[path = "../examples/app_from_spec.rs"]
mod app_from_spec;
#[allow(dead_code)]
#[path = "../examples/chat_stream.rs"]
mod chat_stream;
#[allow(dead_code)]
#[path = "../examples/domain_record.rs"]
mod domain_record;
#[allow(dead_code)]
#[path = "../examples/droplet_and_wait.rs"]
mod droplet_and_wait;
#[allow(dead_code)]
#[path = "../examples/droplets_by_tag.rs"]
mod droplets_by_tag;
#[allow(dead_code)]
#[path = "../examples/errors.rs"]
mod errors;
#[allow(dead_code)]
#[path = "../examples/kubernetes_cluster.rs"]
mod kubernetes_cluster;
#[allow(dead_code)]
#[path = "../examples/postgres_cluster.rs"]
mod postgres_cluster;

use std::path::Path;
use std::time::Duration;

use digitalocean::models::ActionStatus;
use digitalocean::reqwest::{self, header::HeaderMap, header::HeaderValue};
use digitalocean::{Client, Error, RetryPolicy, WaitOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The examples, by file name.
const EXAMPLES: [&str; 8] = [
    "droplet_and_wait",
    "droplets_by_tag",
    "kubernetes_cluster",
    "app_from_spec",
    "postgres_cluster",
    "domain_record",
    "chat_stream",
    "errors",
];

/// The rate-limit figures Prism sends with every answer (`shared/headers.yml`).
const REMAINING: u64 = 4816;
const RESET: u64 = 1444931833;

/// A client of Prism for the API host, without retries (a 429 comes back at once), sending
/// `Prefer: <prefer>` with every request when given (`code=404` picks that documented answer).
fn prism_client(prefer: Option<&str>) -> Client {
    let mut headers = HeaderMap::new();
    if let Some(prefer) = prefer {
        headers.insert("prefer", HeaderValue::from_str(prefer).expect("a valid Prefer header"));
    }
    // Prism (Node.js) closes connections idle for 5 s: drop them sooner.
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .expect("reqwest client");
    Client::builder()
        .token("dop_v1_tasks-test-token")
        .base_url(prism::prism().base_url())
        .retry_policy(RetryPolicy::none())
        .http_client(http)
        .build()
        .expect("client")
}

/// What went wrong, with Prism's reasons when it rejected the request.
fn describe(err: &Error) -> String {
    let violations = err.api_error().and_then(|api| api.headers().get("sl-violations"));
    match violations {
        Some(value) => format!("{err}: {}", String::from_utf8_lossy(value.as_bytes())),
        None => format!("{err}"),
    }
}

/// `result`'s value, or a panic naming `task` and the error.
fn ok<T>(task: &str, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|err| panic!("{task}: {}", describe(&err)))
}

#[tokio::test]
async fn droplet_with_ssh_key_and_tags_then_wait() {
    // Prism's action example stays `in-progress`: the wait must end at its deadline, after the
    // key and the Droplet were created and the Droplet's create action (7515) was polled.
    let wait = WaitOptions::default().initial_interval(Duration::from_millis(50)).timeout(Duration::from_millis(400));
    let public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample tasks@test";
    let err =
        droplet_and_wait::run(&prism_client(None), public_key, wait).await.expect_err("Prism's action never completes");
    match &err {
        Error::WaitTimeout { action_id, .. } => assert_eq!(*action_id, 7515, "{err}"),
        other => panic!("expected a wait timeout, got {}", describe(other)),
    }
    let last = err.action().expect("the action was polled before the deadline");
    assert_eq!(last.status, Some(ActionStatus::InProgress));
}

#[tokio::test]
async fn droplets_with_a_tag_across_pages() {
    let lines = ok("droplets_by_tag", droplets_by_tag::run(&prism_client(None), "web").await);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0], "3164444 example.com active");
}

#[tokio::test]
async fn kubernetes_cluster_and_its_kubeconfig() {
    let kubeconfig = ok("kubernetes_cluster", kubernetes_cluster::run(&prism_client(None)).await);
    assert!(kubeconfig.starts_with("apiVersion: v1"), "{kubeconfig}");
    assert!(kubeconfig.contains("kind: Config"), "{kubeconfig}");
    assert!(kubeconfig.contains("server: https://bd5f5959-5e1e-4205-a714-a914373942af.k8s.ondigitalocean.com"));
}

#[tokio::test]
async fn app_from_spec_and_its_deployments() {
    let deployments = ok("app_from_spec", app_from_spec::run(&prism_client(None)).await);
    assert!(!deployments.is_empty());
    assert_eq!(deployments[0], "b6bdf840-2854-4f87-a36c-5f231c617c84 PENDING_BUILD", "{deployments:?}");
}

#[tokio::test]
async fn postgres_cluster_with_a_firewall_rule_and_a_user() {
    let summary = ok("postgres_cluster", postgres_cluster::run(&prism_client(None)).await);
    assert!(summary.starts_with("cluster 9cc10173-e9ea-4176-9dbc-a4cee4c4ff30 at backend-do-user-"), "{summary}");
    assert!(summary.ends_with("user app-01 password jge5lfxtzhx42iff"), "{summary}");
}

#[tokio::test]
async fn domain_and_an_a_record() {
    let line = ok("domain_record", domain_record::run(&prism_client(None), "example.com", "203.0.113.7").await);
    // Prism answers with the spec's record, whatever address was sent.
    assert_eq!(line, "record 28448433 : www.example.com A 162.10.66.0");
}

#[tokio::test]
async fn a_404_and_the_rate_limit() {
    let found = ok("errors", errors::run(&prism_client(None), 3164444).await);
    assert_eq!(found, format!("Droplet 3164444 is example.com; {REMAINING} requests left this hour"));
    let missing = ok("errors (404)", errors::run(&prism_client(Some("code=404")), 1).await);
    assert_eq!(missing, format!("no Droplet 1; {REMAINING} requests left this hour"));
    let limited = ok("errors (429)", errors::run(&prism_client(Some("code=429")), 1).await);
    assert_eq!(limited, format!("rate limited until {RESET} (Unix time)"));
    // Any other error is passed on.
    let err = errors::run(&prism_client(Some("code=401")), 1).await.expect_err("a 401 is an error");
    assert_eq!(err.status().map(|status| status.as_u16()), Some(401), "{}", describe(&err));
}

/// A chat completion chunk whose only choice says `content`.
fn chunk(content: &str) -> String {
    let chunk = serde_json::json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "llama3.3-70b-instruct",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    });
    format!("data: {chunk}\n\n")
}

/// Serves one request with `events` as a `text/event-stream` ended by closing the connection;
/// gives the server's URL and, once served, the request's head and body.
async fn serve_events(events: String) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let served = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        // The head, then as many body bytes as its Content-Length says.
        loop {
            let n = socket.read(&mut buf).await.expect("read");
            assert!(n > 0, "the request ended early");
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .map_or(0, |value| value.trim().parse::<usize>().expect("a length"));
                if request.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("write");
        for piece in events.as_bytes().chunks(16) {
            socket.write_all(piece).await.expect("write");
            socket.flush().await.expect("flush");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        socket.shutdown().await.expect("shutdown");
        String::from_utf8_lossy(&request).into_owned()
    });
    (url, served)
}

#[tokio::test]
async fn streaming_chat_completion() {
    let events = format!("{}{}{}data: [DONE]\n\n", chunk("The sky"), chunk(" scatters"), chunk(" blue."));
    let (url, served) = serve_events(events).await;
    let client = Client::builder()
        .model_access_key("tasks-test-model-access-key")
        .inference_base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    let run = chat_stream::run(&client, "Why is the sky blue?");
    let answer = ok("chat_stream", tokio::time::timeout(Duration::from_secs(20), run).await.expect("the stream ends"));
    assert_eq!(answer, "The sky scatters blue.");

    let request = served.await.expect("the server ran");
    assert!(request.starts_with("POST /v1/chat/completions "), "{request}");
    assert!(request.contains("Bearer tasks-test-model-access-key"), "{request}");
    assert!(request.contains("\"stream\":true"), "{request}");
    assert!(request.contains("Why is the sky blue?"), "{request}");
}

/// Lines that are neither blank nor only a comment.
fn code_lines(text: &str) -> usize {
    text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with("//")).count()
}

#[test]
fn count_and_no_placeholders() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (mut raw, mut code) = (0, 0);
    for name in EXAMPLES {
        let path = dir.join(format!("{name}.rs"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for banned in [": None", "Default::default()"] {
            assert!(!text.contains(banned), "{name}.rs contains `{banned}`");
        }
        let doc = text.lines().take_while(|line| line.starts_with("//!")).count();
        assert!((2..=4).contains(&doc), "{name}.rs starts with {doc} lines of `//!`, not 2 to 4");
        assert!(text.contains("pub async fn run(client: &Client"), "{name}.rs has no `run` the tests can call");
        raw += text.lines().count();
        code += code_lines(&text);
    }
    println!(
        "tasks: {} examples, {code} lines (code lines: non-blank, non-comment), {raw} lines in all",
        EXAMPLES.len()
    );
}
