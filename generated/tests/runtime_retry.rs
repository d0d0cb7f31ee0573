//! Retries: which answers are retried, for which methods, how long the client waits, and how often.
//! The cap on the server's wait and the `Retry-After` values that are ignored are decided by
//! `RetryPolicy::decide`, tested without a server in `codegen/runtime/retry.rs`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use digitalocean::models::CreateNamespace;
use digitalocean::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const NAMESPACES: &str = "/v2/functions/namespaces";

/// A retry policy with tiny backoff so that tests only wait when the server asks them to.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::default().base_delay(Duration::from_millis(1)).max_delay(Duration::from_millis(5))
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder().token("test-token").base_url(server.uri()).retry_policy(policy).build().unwrap()
}

fn body() -> CreateNamespace {
    CreateNamespace::new("nyc1", "my namespace")
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"namespace": {"label": "my namespace", "region": "nyc1"}}))
}

fn error_body(id: &str) -> serde_json::Value {
    json!({"id": id, "message": "try again", "request_id": "req-1"})
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn post_429_then_200_succeeds_after_the_retry_after_wait() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(error_body("too_many_requests")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path(NAMESPACES)).respond_with(created()).mount(&server).await;

    let started = Instant::now();
    let created = client(&server, fast_policy()).functions().create_namespace(body()).await.unwrap();
    let elapsed = started.elapsed();

    assert_eq!(created.namespace.label.as_deref(), Some("my namespace"));
    assert_eq!(received(&server).await, 2);
    assert!(elapsed >= Duration::from_millis(950), "Retry-After: 1 was not honoured: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited too long: {elapsed:?}");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let server = MockServer::start().await;
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("GET"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", date.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"namespaces": []})))
        .mount(&server)
        .await;

    let started = Instant::now();
    client(&server, fast_policy()).functions().list_namespaces().await.unwrap();
    // The date has a one-second resolution, so the wait is between 1 and 2 seconds.
    assert!(started.elapsed() >= Duration::from_millis(900), "HTTP-date Retry-After ignored: {:?}", started.elapsed());
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn ratelimit_reset_on_429_is_honoured() {
    let server = MockServer::start().await;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let reset = (now + 2).to_string();
    Mock::given(method("GET"))
        .and(path("/v2/functions/namespaces/ns-1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("ratelimit-limit", "5000")
                .insert_header("ratelimit-remaining", "0")
                .insert_header("ratelimit-reset", reset.as_str())
                .set_body_json(error_body("too_many_requests")),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/v2/functions/namespaces/ns-1")).respond_with(created()).mount(&server).await;

    let started = Instant::now();
    client(&server, fast_policy()).functions().get_namespace("ns-1").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "ratelimit-reset ignored: {:?}", started.elapsed());
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn post_on_500_is_not_retried_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body("server_error")))
        .mount(&server)
        .await;

    let err = client(&server, fast_policy()).functions().create_namespace(body()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn post_on_500_is_retried_with_the_opt_in() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(500).set_body_json(error_body("server_error")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path(NAMESPACES)).respond_with(created()).mount(&server).await;

    let policy = fast_policy().retry_non_idempotent(true);
    let created = client(&server, policy).functions().create_namespace(body()).await.unwrap();
    assert!(created.namespace.label.is_some());
    assert_eq!(received(&server).await, 2);
}

#[tokio::test]
async fn get_on_503_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/functions/namespaces/ns-1"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path("/v2/functions/namespaces/ns-1")).respond_with(created()).mount(&server).await;

    let response = client(&server, fast_policy()).functions().get_namespace("ns-1").with_meta().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(received(&server).await, 3);
}

#[tokio::test]
async fn delete_on_502_and_504_is_retried() {
    let server = MockServer::start().await;
    for status in [502, 504] {
        Mock::given(method("DELETE"))
            .and(path("/v2/functions/namespaces/ns-1"))
            .respond_with(ResponseTemplate::new(status))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("DELETE")).and(path("/v2/functions/namespaces/ns-1")).respond_with(ResponseTemplate::new(204)).mount(&server).await;

    client(&server, fast_policy()).functions().delete_namespace("ns-1").await.unwrap();
    assert_eq!(received(&server).await, 3);
}

#[tokio::test]
async fn the_attempt_limit_holds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(503).set_body_json(error_body("service_unavailable")))
        .mount(&server)
        .await;

    // The default is 3 attempts in all.
    let err = client(&server, fast_policy()).functions().list_namespaces().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await, 3);

    server.reset().await;
    Mock::given(method("GET"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(429).set_body_json(error_body("too_many_requests")))
        .mount(&server)
        .await;
    let err = client(&server, fast_policy().max_attempts(5)).functions().list_namespaces().await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(received(&server).await, 5);
}

#[tokio::test]
async fn retry_policy_none_sends_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(NAMESPACES))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .mount(&server)
        .await;

    let started = Instant::now();
    let err = client(&server, RetryPolicy::none()).functions().list_namespaces().await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(received(&server).await, 1);
    assert!(started.elapsed() < Duration::from_millis(900), "waited without retrying");
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/functions/namespaces/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(error_body("not_found")))
        .mount(&server)
        .await;

    let err = client(&server, fast_policy()).functions().get_namespace("missing").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn backoff_grows_between_attempts() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(NAMESPACES)).respond_with(ResponseTemplate::new(503)).mount(&server).await;

    // With jitter taking up to half off, the three waits are in [100, 200], [200, 400] and
    // [400, 800] ms: at least 700 ms in all, where waits that did not grow would be at most 600.
    let policy = RetryPolicy::default().max_attempts(4).base_delay(Duration::from_millis(200)).max_delay(Duration::from_secs(1));
    let started = Instant::now();
    client(&server, policy).functions().list_namespaces().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(690), "the backoff did not grow: {elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "backoff too long: {elapsed:?}");
    assert_eq!(received(&server).await, 4);
}
