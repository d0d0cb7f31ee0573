//! Hostile servers: answers too large, too slow, redirected, malformed or lying, each a typed
//! error (or, where the client is lenient on purpose, a decoded answer), never a panic, a hang,
//! unbounded memory or a credential sent or shown where it should not be.
//!
//! `hostile_servers` runs a table of cases against hand-written loopback servers
//! (`support/loopback.rs`), each under a hang guard, checks everything logged meanwhile for the
//! credentials, and prints `hostile: N cases, ...`. `hostile_details.rs` looks closer at one
//! behaviour per test (timings, how much was read, where redirects go). Needs the features
//! `functions`, `serverless_inference`, `kubernetes` and `billing`.

#[path = "support/capture.rs"]
mod capture;
#[path = "support/hostile.rs"]
mod common;
#[path = "support/figures.rs"]
mod figures;
#[path = "support/loopback.rs"]
mod loopback;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{builder, call, leaks, shown, Call, HANG_GUARD, KEY, MIB, NAMESPACE, TOKEN};
use digitalocean::{ClientBuilder, Error, RetryPolicy, DEFAULT_MAX_BODY_SIZE};
use loopback::{chunk, head, whole, Loopback, Step};

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
    Case { name, call, elsewhere: "127.0.0.1", answer: Arc::new(answer), tune, expect }
}

/// The same answer to every request.
fn always(steps: Vec<Step>) -> impl Fn(&str, usize) -> Vec<Step> + Send + Sync + 'static {
    move |_, _| steps.clone()
}

/// A 429 with `headers` first, then the namespace.
fn throttled_once(headers: &'static [(&'static str, &'static str)]) -> impl Fn(&str, usize) -> Vec<Step> + Send + Sync {
    move |_, n| {
        if n == 0 {
            vec![Step::Send(head("429 Too Many Requests", headers))]
        } else {
            vec![Step::Send(whole("200 OK", "application/json", NAMESPACE))]
        }
    }
}

/// A redirect with `status` to the other server.
fn redirect(status: &'static str) -> impl Fn(&str, usize) -> Vec<Step> + Send + Sync {
    move |elsewhere, _| {
        let location = format!("{elsewhere}/v2/functions/namespaces/ns-1");
        vec![Step::Send(head(status, &[("location", &location), ("content-length", "0")]))]
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
        vec![Step::Send(head(status, &[("content-type", "application/json"), ("content-length", two_mib)])), Step::Hold]
    };
    vec![
        // Bodies over the cap.
        case(
            "Content-Length over the cap (1 MiB)",
            Call::Api,
            move |_, _| json_2_mib("200 OK"),
            cap_1_mib,
            |r| too_large(r, 200, MIB, Some(2 * MIB as u64)),
        ),
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
        case(
            "an error answer (500) over the cap",
            Call::Api,
            move |_, _| json_2_mib("500 Internal Server Error"),
            cap_1_mib,
            |r| too_large(r, 500, MIB, Some(2 * MIB as u64)),
        ),
        case(
            "a text answer over the cap",
            Call::Text,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/yaml")])),
                Step::Flood { piece_size: 64 * 1024, total: 8 * MIB as u64 },
            ]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        case(
            "a bytes answer over the cap",
            Call::Bytes,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "text/csv")])),
                Step::Flood { piece_size: 64 * 1024, total: 8 * MIB as u64 },
            ]),
            cap_1_mib,
            |r| too_large(r, 200, MIB, None),
        ),
        case(
            "an inference answer over the cap",
            Call::Inference,
            always(vec![
                Step::Send(head("200 OK", &[("content-type", "application/json")])),
                Step::Flood { piece_size: 64 * 1024, total: 8 * MIB as u64 },
            ]),
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
                let mut answer =
                    head("200 OK", &[("content-type", "application/json"), ("content-encoding", "gzip"), ("content-length", "12")]);
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
        case("a status of 999", Call::Api, always(vec![Step::Send(whole("999 Whatever", "text/plain", b"?"))]), same, |r| {
            api_status(r, 999)
        }),
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
    Outcome { expected: (case.expect)(&result) && strays.is_empty(), typed_error: result.is_err(), leaked, summary }
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
    figures::report(
        "hostile",
        &format!(
            "hostile: {total} cases, {expected} as expected ({typed} typed errors, {} answers decoded), {panics} panics, {hangs} hangs, {leaks_found} leaks",
            total - typed - panics - hangs
        ),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
