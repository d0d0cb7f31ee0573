//! Hostile servers: answers too large, too slow, redirected, malformed or lying, each a typed
//! error (or, where the client is lenient on purpose, a decoded answer), never a panic, a hang,
//! unbounded memory or a credential sent or shown where it should not be.
//!
//! `hostile_servers` runs a table of cases against hand-written loopback servers
//! (`support/loopback.rs`) and prints `hostile: N cases, ...`; the other tests look closer at
//! one behaviour each (timings, how much was read, where redirects go). Every case and test is
//! bounded by a hang guard. Needs the features `functions`, `serverless_inference`,
//! `kubernetes` and `billing`.

#[path = "support/capture.rs"]
mod capture;
#[path = "support/loopback.rs"]
mod loopback;

use std::sync::Arc;
use std::time::{Duration, Instant};

use digitalocean::{reqwest, Client, ClientBuilder, Error, RetryPolicy, DEFAULT_MAX_BODY_SIZE};
use loopback::{chunk, head, whole, Loopback, Step};

const TOKEN: &str = "dop_v1_hostile-TOKEN-7c1e5a93";
const KEY: &str = "sk-do-hostile-KEY-4b8d2f60";
/// The parts of the two secrets no other text has: searched for case-insensitively.
const SECRET_CORES: [&str; 2] = ["TOKEN-7c1e5a93", "KEY-4b8d2f60"];

/// The longest any case or test may take.
const HANG_GUARD: Duration = Duration::from_secs(15);
const MIB: usize = 1024 * 1024;
const NAMESPACE: &[u8] = br#"{"namespace": {"label": "ok"}}"#;

/// Whether `text` shows either secret, in any case.
fn leaks(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    SECRET_CORES.iter().any(|core| text.contains(&core.to_ascii_lowercase()))
}

/// Everything an error shows: `Display`, `Debug` (both forms) and its sources' `Display`.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// Retries that are quick (1-5 ms backoff, server waits capped at 200 ms).
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_retry_wait(Duration::from_millis(200))
}

/// Both credentials, both hosts at `uri`, a 2 s attempt timeout, quick retries.
fn builder(uri: &str) -> ClientBuilder {
    Client::builder()
        .token(TOKEN)
        .model_access_key(KEY)
        .base_url(uri)
        .inference_base_url(uri)
        .timeout(Duration::from_secs(2))
        .retry_policy(quick_retries())
}

/// Which operation a case calls, and so which host and credential, and how the answer decodes.
#[derive(Clone, Copy, Debug)]
enum Call {
    /// `GET /v2/functions/namespaces/{id}` on the API host with the token (JSON).
    Api,
    /// `GET /v1/models` on the inference host with the model access key (JSON).
    Inference,
    /// The kubeconfig (text).
    Text,
    /// An invoice's CSV (bytes).
    Bytes,
}

async fn call(client: &Client, call: Call) -> Result<(), Error> {
    match call {
        Call::Api => client.functions().get_namespace("ns-1").await.map(drop),
        Call::Inference => client.serverless_inference().list_models().await.map(drop),
        Call::Text => client
            .kubernetes()
            .get_kubeconfig("c-1", &Default::default())
            .await
            .map(drop),
        Call::Bytes => client.billing().invoices_get_csv_by_uuid("inv-1").await.map(drop),
    }
}

/// The answer to request `n`, given the URI of the other server (the redirect target).
type Answer = Arc<dyn Fn(&str, usize) -> Vec<Step> + Send + Sync>;

/// One hostile server and what the client must make of it.
struct Case {
    name: &'static str,
    call: Call,
    /// The other server's address: `127.0.0.1` (another port) or `127.0.0.2`.
    elsewhere: &'static str,
    answer: Answer,
    tune: fn(ClientBuilder) -> ClientBuilder,
    expect: fn(&Result<(), Error>) -> bool,
}

fn case(
    name: &'static str,
    call: Call,
    answer: impl Fn(&str, usize) -> Vec<Step> + Send + Sync + 'static,
    tune: fn(ClientBuilder) -> ClientBuilder,
    expect: fn(&Result<(), Error>) -> bool,
) -> Case {
    Case {
        name,
        call,
        elsewhere: "127.0.0.1",
        answer: Arc::new(answer),
        tune,
        expect,
    }
}

/// The same answer to every request.
fn always(steps: Vec<Step>) -> impl Fn(&str, usize) -> Vec<Step> + Send + Sync + 'static {
    move |_, _| steps.clone()
}

/// A 429 with `headers` first, then the namespace.
fn throttled_once(headers: &'static [(&'static str, &'static str)]) -> impl Fn(&str, usize) -> Vec<Step> + Send + Sync {
    move |_, n| {
        if n == 0 {
            let mut answer = head("429 Too Many Requests", headers);
            answer.extend_from_slice(b"");
            vec![Step::Send(answer)]
        } else {
            vec![Step::Send(whole("200 OK", "application/json", NAMESPACE))]
        }
    }
}

/// A redirect with `status` to the other server.
fn redirect(status: &'static str) -> impl Fn(&str, usize) -> Vec<Step> + Send + Sync {
    move |elsewhere, _| {
        let location = format!("{elsewhere}/v2/functions/namespaces/ns-1");
        let mut answer = head(status, &[("location", &location), ("content-length", "0")]);
        answer.extend_from_slice(b"");
        vec![Step::Send(answer)]
    }
}

fn same(builder: ClientBuilder) -> ClientBuilder {
    builder
}

fn cap_1_mib(builder: ClientBuilder) -> ClientBuilder {
    builder.max_body_size(MIB)
}

fn too_large(result: &Result<(), Error>, status: u16, limit: usize, announced: Option<u64>) -> bool {
    match result {
        Err(err @ Error::BodyTooLarge { limit: l, content_length, .. }) => {
            *l == limit
                && *content_length == announced
                && err.status().map(|s| s.as_u16()) == Some(status)
                && err.to_string().contains(&limit.to_string())
        }
        _ => false,
    }
}

fn api_status(result: &Result<(), Error>, status: u16) -> bool {
    matches!(result, Err(Error::Api(api)) if api.status().as_u16() == status)
}

fn is_timeout(result: &Result<(), Error>) -> bool {
    matches!(result, Err(err @ Error::Timeout { .. }) if err.is_timeout())
}

fn transport_error_saying(result: &Result<(), Error>, words: &str) -> bool {
    matches!(result, Err(err @ Error::Transport { .. }) if err.to_string().contains(words))
}

fn decode_error_saying(result: &Result<(), Error>, words: &str) -> bool {
    matches!(result, Err(err @ Error::Decode(_)) if err.to_string().contains(words))
}

fn cases() -> Vec<Case> {
    let two_mib = (2 * MIB).to_string();
    let two_mib: &'static str = Box::leak(two_mib.into_boxed_str());
    let json_2_mib = move |status: &str| {
        vec![
            Step::Send(head(status, &[("content-type", "application/json"), ("content-length", two_mib)])),
            Step::Hold,
        ]
    };
    let json_2_mib_200 = json_2_mib.clone();
    let json_2_mib_500 = json_2_mib;
    vec![
        // Bodies over the cap.
        case("Content-Length over the cap (1 MiB)", Call::Api, move |_, _| json_2_mib_200("200 OK"), cap_1_mib, |r| {
            too_large(r, 200, MIB, Some(2 * MIB as u64))
        }),
        case(
            "Content-Length of 100 GiB, default cap",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json"), ("content-length", "107374182400")])),
                Step::Hold,
            ]),
            same,
            |r| too_large(r, 200, DEFAULT_MAX_BODY_SIZE, Some(107_374_182_400)),
        ),
        case(
            "a body without length flooding past the cap",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Flood { piece_size: 64 * 1024, total: 256 * MIB as u64 },
            ]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        case(
            "a chunked body flooding past the cap",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json"), ("transfer-encoding", "chunked")])),
                Step::Trickle { piece: chunk(&[b'x'; 64 * 1024]), every: Duration::ZERO },
            ]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        case("an error answer (500) over the cap", Call::Api, move |_, _| json_2_mib_500("500 Internal Server Error"), cap_1_mib, |r| {
            too_large(r, 500, MIB, Some(2 * MIB as u64))
        }),
        case(
            "a text answer over the cap",
            Call::Text,
            always(vec![Step::Send(head("200 OK", &[("content-type", "application/yaml")])), Step::Flood { piece_size: 64 * 1024, total: 8 * MIB as u64 }]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        case(
            "a bytes answer over the cap",
            Call::Bytes,
            always(vec![Step::Send(head("200 OK", &[("content-type", "text/csv")])), Step::Flood { piece_size: 64 * 1024, total: 8 * MIB as u64 }]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        case(
            "an inference answer over the cap",
            Call::Inference,
            always(vec![Step::Send(head("200 OK", &[("content-type", "application/json")])), Step::Flood { piece_size: 64 * 1024, total: 8 * MIB as u64 }]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        // Slow servers.
        case(
            "headers, then a stalled body",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json"), ("content-length", "100")])),
                Step::Send(br#"{"namespace""#.to_vec()),
                Step::Hold,
            ]),
            |b| b.timeout(Duration::from_millis(300)),
            is_timeout,
        ),
        case("no answer at all", Call::Api, always(vec![Step::Hold]), |b| b.timeout(Duration::from_millis(300)), is_timeout),
        case(
            "a body trickling forever, cut by the attempt timeout",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Trickle { piece: b" ".to_vec(), every: Duration::from_millis(10) },
            ]),
            |b| b.timeout(Duration::from_millis(400)),
            is_timeout,
        ),
        case(
            "a body trickling forever, cut by the total timeout",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Trickle { piece: b" ".to_vec(), every: Duration::from_millis(10) },
            ]),
            |b| b.timeout(Duration::from_secs(30)).total_timeout(Duration::from_millis(400)),
            |r| matches!(r, Err(err @ Error::Deadline { attempt: 1, .. }) if err.is_timeout()),
        ),
        // Redirects: answered as they are, nothing goes to the other host.
        case("302 to another port (API token)", Call::Api, redirect("302 Found"), same, |r| api_status(r, 302)),
        Case {
            elsewhere: "127.0.0.2",
            ..case("307 to 127.0.0.2 (API token)", Call::Api, redirect("307 Temporary Redirect"), same, |r| api_status(r, 307))
        },
        case("301 to another port (model access key)", Call::Inference, redirect("301 Moved Permanently"), same, |r| api_status(r, 301)),
        Case {
            elsewhere: "127.0.0.2",
            ..case("308 to 127.0.0.2 (model access key)", Call::Inference, redirect("308 Permanent Redirect"), same, |r| api_status(r, 308))
        },
        // Bodies that are not what they say.
        case(
            "invalid UTF-8 inside a JSON string",
            Call::Api,
            always(vec![Step::Send(whole("200 OK", "application/json", b"{\"namespace\": {\"label\": \"\xff\xfe\"}}"))]),
            same,
            |r| decode_error_saying(r, "could not decode the 200 OK answer"),
        ),
        case(
            "a 200 with an HTML page",
            Call::Api,
            always(vec![Step::Send(whole("200 OK", "text/html", b"<html><body>Welcome to nginx!</body></html>"))]),
            same,
            |r| decode_error_saying(r, "(text/html, 43 bytes)") && decode_error_saying(r, "Welcome to nginx"),
        ),
        case(
            "JSON labelled text/plain (the body decides)",
            Call::Api,
            always(vec![Step::Send(whole("200 OK", "text/plain", NAMESPACE))]),
            same,
            |r| r.is_ok(),
        ),
        case(
            "a Content-Type that is not ASCII",
            Call::Api,
            always(vec![Step::Send(whole("200 OK", "application/json; x=\u{e9}\u{e9}", NAMESPACE))]),
            same,
            |r| r.is_ok(),
        ),
        case(
            "Content-Encoding gzip with bytes that are not gzip",
            Call::Api,
            always(vec![Step::Send({
                let mut answer = head("200 OK", &[("content-type", "application/json"), ("content-encoding", "gzip"), ("content-length", "12")]);
                answer.extend_from_slice(b"not gzip :-)");
                answer
            })]),
            same,
            |r| decode_error_saying(r, "Content-Encoding \"gzip\""),
        ),
        case(
            "Content-Encoding br on a bytes answer",
            Call::Bytes,
            always(vec![Step::Send({
                let mut answer = head("200 OK", &[("content-type", "text/csv"), ("content-encoding", "br"), ("content-length", "3")]);
                answer.extend_from_slice(b"a,b");
                answer
            })]),
            same,
            |r| decode_error_saying(r, "Content-Encoding \"br\""),
        ),
        case(
            "invalid UTF-8 in a text answer",
            Call::Text,
            always(vec![Step::Send(whole("200 OK", "application/yaml", b"apiVersion: v1\n\xc3\x28"))]),
            same,
            |r| decode_error_saying(r, "not valid UTF-8"),
        ),
        case("an empty 200 for a JSON answer", Call::Api, always(vec![Step::Send(whole("200 OK", "application/json", b""))]), same, |r| {
            decode_error_saying(r, "the body is empty")
        }),
        case(
            "Content-Length longer than the body, then close",
            Call::Api,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json"), ("content-length", "100")])),
                Step::Send(br#"{"namespace": "#.to_vec()),
            ]),
            same,
            |r| transport_error_saying(r, "end of file before message length reached"),
        ),
        case("bytes that are not HTTP", Call::Api, always(vec![Step::Send(b"hello there\r\n\r\n".to_vec())]), same, |r| {
            transport_error_saying(r, "invalid HTTP version")
        }),
        case(
            "a Content-Length of -1",
            Call::Api,
            always(vec![Step::Send(head("200 OK", &[("content-type", "application/json"), ("content-length", "-1")]))]),
            same,
            |r| transport_error_saying(r, "invalid content-length"),
        ),
        case(
            "a head that never ends",
            Call::Api,
            always(vec![
                Step::Send(b"HTTP/1.1 200 OK\r\n".to_vec()),
                Step::Trickle { piece: format!("x-filler: {}\r\n", "y".repeat(8 * 1024)).into_bytes(), every: Duration::ZERO },
            ]),
            same,
            |r| transport_error_saying(r, "message head is too large"),
        ),
        case("a status of 999", Call::Api, always(vec![Step::Send(whole("999 Whatever", "text/plain", b"?"))]), same, |r| api_status(r, 999)),
        // Waits the server asks for: bounded, or ignored when they make no sense.
        case("Retry-After: 10^12 seconds", Call::Api, throttled_once(&[("retry-after", "1000000000000")]), same, |r| r.is_ok()),
        case("Retry-After: more seconds than a u64 holds", Call::Api, throttled_once(&[("retry-after", "99999999999999999999999")]), same, |r| r.is_ok()),
        case("Retry-After: -5", Call::Api, throttled_once(&[("retry-after", "-5")]), same, |r| r.is_ok()),
        case("Retry-After: garbage", Call::Api, throttled_once(&[("retry-after", "soon, maybe")]), same, |r| r.is_ok()),
        case("Retry-After: a date in 9999", Call::Api, throttled_once(&[("retry-after", "Fri, 31 Dec 9999 23:59:59 GMT")]), same, |r| r.is_ok()),
        case("ratelimit-reset: u64::MAX", Call::Api, throttled_once(&[("ratelimit-reset", "18446744073709551615")]), same, |r| r.is_ok()),
        case(
            "Retry-After: 10^12 seconds, longest wait 60 s, total timeout 1 s",
            Call::Api,
            throttled_once(&[("retry-after", "1000000000000")]),
            |b| b.retry_policy(RetryPolicy::default()).total_timeout(Duration::from_secs(1)),
            |r| api_status(r, 429),
        ),
    ]
}

/// What one case gave.
struct Outcome {
    expected: bool,
    typed_error: bool,
    leaked: Vec<String>,
    summary: String,
}

async fn run(case: Case) -> Outcome {
    let elsewhere = Loopback::start(case.elsewhere, vec![Step::Send(whole("200 OK", "application/json", NAMESPACE))]).await;
    let target = elsewhere.uri();
    let answer = case.answer.clone();
    let server = Loopback::scripted("127.0.0.1", Arc::new(move |n| answer(&target, n))).await;
    let client = (case.tune)(builder(&server.uri())).build().expect("client");
    let result = call(&client, case.call).await;

    let mut leaked = Vec::new();
    let summary = match &result {
        Ok(()) if !elsewhere.heads().is_empty() => "Ok, from the other host".to_owned(),
        Ok(()) => "Ok".to_owned(),
        Err(err) => {
            let text = shown(err);
            if leaks(&text) {
                leaked.push(format!("the error shows a secret: {text}"));
            }
            err.to_string()
        }
    };
    let strays = elsewhere.heads();
    for request in &strays {
        // Anything at all reaching the other host breaks the rule; with a credential, a leak.
        if leaks(request) || request.to_ascii_lowercase().contains("authorization:") {
            leaked.push(format!("the other host received a credential: {request}"));
        }
    }
    for request in server.heads() {
        let wanted = match case.call {
            Call::Inference => format!("authorization: Bearer {KEY}"),
            _ => format!("authorization: Bearer {TOKEN}"),
        };
        let credentials: Vec<&str> = request.lines().filter(|l| l.to_ascii_lowercase().starts_with("authorization:")).collect();
        if credentials.len() != 1 || !credentials[0].eq_ignore_ascii_case(&wanted) {
            leaked.push(format!("the host received the wrong credentials: {credentials:?}"));
        }
    }
    Outcome {
        expected: (case.expect)(&result) && strays.is_empty(),
        typed_error: result.is_err(),
        leaked,
        summary,
    }
}

#[tokio::test]
async fn hostile_servers() {
    capture::install();
    let cases = cases();
    let total = cases.len();
    let (mut expected, mut typed, mut panics, mut hangs, mut leaks_found) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let name = case.name;
        let started = Instant::now();
        let task = tokio::spawn(run(case));
        let abort = task.abort_handle();
        match tokio::time::timeout(HANG_GUARD, task).await {
            Err(_) => {
                abort.abort();
                hangs += 1;
                failures.push(format!("{name}: no result within {HANG_GUARD:?}"));
            }
            Ok(Err(join)) => {
                panics += 1;
                failures.push(format!("{name}: the task failed: {join}"));
            }
            Ok(Ok(outcome)) => {
                let elapsed = started.elapsed();
                println!("  {name}: {} ({elapsed:.0?})", outcome.summary);
                typed += usize::from(outcome.typed_error);
                if outcome.expected {
                    expected += 1;
                } else {
                    failures.push(format!("{name}: unexpected result: {}", outcome.summary));
                }
                if !outcome.leaked.is_empty() {
                    leaks_found += 1;
                    failures.push(format!("{name}: {}", outcome.leaked.join("; ")));
                }
            }
        }
    }
    let logged = capture::lines().join("\n");
    if leaks(&logged) {
        leaks_found += 1;
        failures.push("a secret is in the captured logs".to_owned());
    }
    println!(
        "hostile: {total} cases, {expected} as expected ({typed} typed errors, {} answers decoded), {panics} panics, {hangs} hangs, {leaks_found} leaks",
        total - typed - panics - hangs
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs `test` under the hang guard.
async fn guarded<T>(test: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, test).await.expect("the test hung")
}

#[tokio::test]
async fn a_flood_is_cut_at_the_cap_without_being_read() {
    guarded(async {
        let total = 256 * MIB as u64;
        let server = Loopback::start(
            "127.0.0.1",
            vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Flood { piece_size: 64 * 1024, total },
            ],
        )
        .await;
        let client = builder(&server.uri()).max_body_size(MIB).build().unwrap();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        assert!(matches!(err, Error::BodyTooLarge { limit, content_length: None, .. } if limit == MIB), "{err:?}");
        // The server notices that the client went away: its writes fail.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = server.bytes_sent();
        // What the client read (1 MiB) plus what the loopback's socket buffers hold.
        assert!(sent < 96 * MIB as u64, "the server wrote {sent} bytes: the client read on");
        assert_eq!(server.heads().len(), 1, "a body over the cap is not retried");
        println!("flood: the server wrote {} KiB of {} MiB before the client hung up", sent / 1024, total / MIB as u64);
    })
    .await;
}

#[tokio::test]
async fn a_stalled_body_is_cut_by_the_attempt_timeout_and_not_retried() {
    guarded(async {
        let server = Loopback::start(
            "127.0.0.1",
            vec![
                Step::Send(head("200 OK", &[("content-type", "application/json"), ("content-length", "100")])),
                Step::Send(b"{".to_vec()),
                Step::Hold,
            ],
        )
        .await;
        let timeout = Duration::from_millis(300);
        let client = builder(&server.uri()).timeout(timeout).build().unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(err, Error::Timeout { timeout: t, .. } if t == timeout), "{err:?}");
        assert!(elapsed >= timeout && elapsed < Duration::from_secs(2), "{elapsed:?}");
        assert_eq!(server.heads().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_trickling_body_is_cut_by_the_attempt_timeout() {
    guarded(async {
        let server = Loopback::start(
            "127.0.0.1",
            vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Trickle { piece: b" ".to_vec(), every: Duration::from_millis(20) },
            ],
        )
        .await;
        let timeout = Duration::from_millis(500);
        let client = builder(&server.uri()).timeout(timeout).build().unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(err.is_timeout() && matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(elapsed >= timeout && elapsed < Duration::from_secs(2), "{elapsed:?}");
        // It did trickle: bytes kept coming all along, each well within any idle timeout.
        assert!(server.bytes_sent() > 10, "{}", server.bytes_sent());
    })
    .await;
}

#[tokio::test]
async fn a_trickling_body_is_cut_by_the_total_timeout() {
    guarded(async {
        let server = Loopback::start(
            "127.0.0.1",
            vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Trickle { piece: b" ".to_vec(), every: Duration::from_millis(20) },
            ],
        )
        .await;
        let total = Duration::from_millis(500);
        let client = builder(&server.uri())
            .timeout(Duration::from_secs(60))
            .total_timeout(total)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(
            matches!(err, Error::Deadline { total_timeout, attempt: 1, .. } if total_timeout == total),
            "{err:?}"
        );
        assert!(err.is_timeout());
        assert!(elapsed >= total && elapsed < Duration::from_secs(2), "{elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn the_total_timeout_bounds_retries_and_their_waits() {
    guarded(async {
        // Every answer is a 503 after 150 ms: without a deadline, 20 attempts take 3 s and more.
        let server = Loopback::start(
            "127.0.0.1",
            vec![Step::Pause(Duration::from_millis(150)), Step::Send(whole("503 Service Unavailable", "text/plain", b"busy"))],
        )
        .await;
        let total = Duration::from_millis(500);
        let client = builder(&server.uri())
            .retry_policy(quick_retries().max_attempts(20))
            .total_timeout(total)
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(err, Error::Deadline { attempt, .. } if (2..=5).contains(&attempt)), "{err:?}");
        assert!(elapsed >= total && elapsed < Duration::from_millis(1500), "{elapsed:?}");
    })
    .await;
}

#[tokio::test]
async fn a_wait_that_would_pass_the_total_timeout_is_not_taken() {
    guarded(async {
        let server = Loopback::start(
            "127.0.0.1",
            vec![Step::Send(head("429 Too Many Requests", &[("retry-after", "30"), ("content-length", "0")]))],
        )
        .await;
        // The default policy would wait the 30 s the server asks for (its cap is 60 s).
        let client = builder(&server.uri())
            .retry_policy(RetryPolicy::default())
            .total_timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        assert!(err.is_rate_limited(), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        assert_eq!(server.heads().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn retry_after_is_capped_or_ignored_but_never_obeyed_blindly() {
    guarded(async {
        let cap = Duration::from_millis(300);
        // (header value, whether the capped wait applies; otherwise the 1-5 ms backoff does)
        let values = [
            ("1000000000000", true),
            ("99999999999999999999999", true),
            ("Fri, 31 Dec 9999 23:59:59 GMT", true),
            ("-5", false),
            ("-1000000000000", false),
            ("1.5", false),
            ("soon, maybe", false),
            ("Thu, 01 Jan 1970 00:00:00 GMT", false),
            ("", false),
        ];
        for (value, capped) in values {
            let server = Loopback::scripted(
                "127.0.0.1",
                Arc::new(move |n| {
                    if n == 0 {
                        vec![Step::Send(head("429 Too Many Requests", &[("retry-after", value), ("content-length", "0")]))]
                    } else {
                        vec![Step::Send(whole("200 OK", "application/json", NAMESPACE))]
                    }
                }),
            )
            .await;
            let client = builder(&server.uri())
                .retry_policy(quick_retries().max_retry_wait(cap))
                .build()
                .unwrap();
            let started = Instant::now();
            let result = client.functions().get_namespace("ns-1").await;
            let elapsed = started.elapsed();
            assert!(result.is_ok(), "Retry-After {value:?}: {result:?}");
            assert_eq!(server.heads().len(), 2, "Retry-After {value:?}");
            if capped {
                assert!(elapsed >= cap && elapsed < cap * 4, "Retry-After {value:?}: waited {elapsed:?}");
            } else {
                assert!(elapsed < Duration::from_millis(250), "Retry-After {value:?}: waited {elapsed:?}");
            }
        }
    })
    .await;
}

/// Both credentials' calls, redirected with every redirect status to another port of
/// 127.0.0.1 and to 127.0.0.2: the 3xx is the answer, and the other host hears nothing.
#[tokio::test]
async fn redirects_are_answers_and_the_other_host_hears_nothing() {
    guarded(async {
        let statuses = ["301 Moved Permanently", "302 Found", "303 See Other", "307 Temporary Redirect", "308 Permanent Redirect"];
        for elsewhere_ip in ["127.0.0.1", "127.0.0.2"] {
            for status in statuses {
                for which in [Call::Api, Call::Inference] {
                    let elsewhere = Loopback::start(elsewhere_ip, vec![Step::Send(whole("200 OK", "application/json", NAMESPACE))]).await;
                    let location = format!("{}/v2/functions/namespaces/ns-1", elsewhere.uri());
                    let server = Loopback::start(
                        "127.0.0.1",
                        vec![Step::Send(head(status, &[("location", &location), ("content-length", "0")]))],
                    )
                    .await;
                    let client = builder(&server.uri()).build().unwrap();
                    let err = call(&client, which).await.unwrap_err();
                    let code: u16 = status[..3].parse().unwrap();
                    let api = err.api_error().unwrap_or_else(|| panic!("{which:?} {status}: {err:?}"));
                    assert_eq!(api.status().as_u16(), code);
                    assert_eq!(api.headers()["location"], location.as_str());
                    assert!(elsewhere.heads().is_empty(), "{which:?} {status} to {elsewhere_ip}: {:?}", elsewhere.heads());
                    assert_eq!(server.heads().len(), 1, "a redirect is not retried");
                }
            }
        }
    })
    .await;
}

/// A `reqwest::Client` of the caller's own keeps its redirect policy; reqwest's default follows,
/// and must drop the credential when the port or the host changes (the crate docs say so).
#[tokio::test]
async fn a_client_of_your_own_follows_redirects_without_the_credential() {
    guarded(async {
        for elsewhere_ip in ["127.0.0.1", "127.0.0.2"] {
            for which in [Call::Api, Call::Inference] {
                let answer = match which {
                    Call::Inference => br#"{"data": [], "object": "list"}"#.as_slice(),
                    _ => NAMESPACE,
                };
                let elsewhere = Loopback::start(elsewhere_ip, vec![Step::Send(whole("200 OK", "application/json", answer))]).await;
                let location = format!("{}/elsewhere", elsewhere.uri());
                let server = Loopback::start(
                    "127.0.0.1",
                    vec![Step::Send(head("307 Temporary Redirect", &[("location", &location), ("content-length", "0")]))],
                )
                .await;
                let client = builder(&server.uri()).http_client(reqwest::Client::new()).build().unwrap();
                call(&client, which).await.unwrap_or_else(|e| panic!("{which:?} to {elsewhere_ip}: {e}"));
                let heads = elsewhere.heads();
                assert_eq!(heads.len(), 1, "{which:?} to {elsewhere_ip}: the redirect was followed");
                assert!(!heads[0].to_ascii_lowercase().contains("authorization"), "{}", heads[0]);
                assert!(!leaks(&heads[0]), "{}", heads[0]);
                assert!(server.heads()[0].contains("Bearer"), "the first host got its credential");
            }
        }
    })
    .await;
}
