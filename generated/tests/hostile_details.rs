//! Hostile servers, one behaviour per test: how much of a flood is read, when a stalled or
//! trickling body is cut, what the total timeout bounds, and where redirects go (with the
//! client's own HTTP client and with one of yours). The table of cases is `hostile.rs`; which
//! `Retry-After` values are capped or ignored is decided by `RetryPolicy::decide`, tested without
//! a server in `codegen/runtime/retry.rs`. Needs the features `functions`,
//! `serverless_inference`, `kubernetes` and `billing`.

#[path = "support/hostile.rs"]
mod common;
#[path = "support/loopback.rs"]
mod loopback;

use std::time::{Duration, Instant};

use common::{builder, call, guarded, leaks, quick_retries, Call, MIB, NAMESPACE};
use digitalocean::{reqwest, Error, RetryPolicy};
use loopback::{head, whole, Loopback, Step};

#[tokio::test]
async fn a_flood_is_cut_at_the_cap_without_being_read() {
    guarded(async {
        let total = 256 * MIB as u64;
        let server = Loopback::start(
            "127.0.0.1",
            vec![Step::Send(head("200 OK", &[("content-type", "application/json")])), Step::Flood { piece_size: 64 * 1024, total }],
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
        let client = builder(&server.uri()).timeout(Duration::from_secs(60)).total_timeout(total).build().unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        let elapsed = started.elapsed();
        assert!(matches!(err, Error::Deadline { total_timeout, attempt: 1, .. } if total_timeout == total), "{err:?}");
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
        let client = builder(&server.uri()).retry_policy(quick_retries().max_attempts(20)).total_timeout(total).build().unwrap();
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
        let client = builder(&server.uri()).retry_policy(RetryPolicy::default()).total_timeout(Duration::from_secs(5)).build().unwrap();
        let started = Instant::now();
        let err = client.functions().get_namespace("ns-1").await.unwrap_err();
        assert!(err.is_rate_limited(), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        assert_eq!(server.heads().len(), 1);
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
                    let server =
                        Loopback::start("127.0.0.1", vec![Step::Send(head(status, &[("location", &location), ("content-length", "0")]))])
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
