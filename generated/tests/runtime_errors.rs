//! How answers and failures map to results: API errors, decode errors, timeouts, transport errors,
//! and the metadata (rate limits, request id) on success and on error.

use std::time::{Duration, Instant};

use digitalocean::{Client, Error, RateLimit, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dop_v1_secret_token_value";
const NS_PATH: &str = "/v2/functions/namespaces/ns-1";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

fn with_meta(template: ResponseTemplate) -> ResponseTemplate {
    template
        .insert_header("ratelimit-limit", "5000")
        .insert_header("ratelimit-remaining", "4321")
        .insert_header("ratelimit-reset", "1700000000")
        .insert_header("x-request-id", "req-from-header")
}

async fn get_answering(
    template: ResponseTemplate,
) -> Result<digitalocean::Response<digitalocean::models::NamespaceCreated>, Error> {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(NS_PATH))
        .respond_with(template)
        .mount(&server)
        .await;
    client(&server)
        .functions()
        .get_namespace("ns-1").with_meta()
        .await
}

#[tokio::test]
async fn rate_limit_and_request_id_on_success() {
    let response = get_answering(with_meta(
        ResponseTemplate::new(200).set_body_json(json!({"namespace": {"label": "a"}})),
    ))
    .await
    .unwrap();
    assert_eq!(
        response.rate_limit(),
        Some(RateLimit::from_headers(response.headers()).unwrap())
    );
    let rate = response.rate_limit().unwrap();
    assert_eq!(
        (rate.limit, rate.remaining, rate.reset),
        (5000, 4321, 1_700_000_000)
    );
    assert_eq!(response.request_id(), Some("req-from-header"));
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.body().namespace.label.as_deref(),
        Some("a")
    );
}

#[tokio::test]
async fn metadata_is_absent_when_the_headers_are() {
    let response = get_answering(ResponseTemplate::new(200).set_body_json(json!({"namespace": {}})))
        .await
        .unwrap();
    assert_eq!(response.rate_limit(), None);
    assert_eq!(response.request_id(), None);
}

#[tokio::test]
async fn rate_limit_and_request_id_on_error() {
    let err = get_answering(with_meta(
        ResponseTemplate::new(404).set_body_json(json!({"id": "not_found", "message": "gone"})),
    ))
    .await
    .unwrap_err();
    let rate = err.rate_limit().unwrap();
    assert_eq!(
        (rate.limit, rate.remaining, rate.reset),
        (5000, 4321, 1_700_000_000)
    );
    assert_eq!(err.api_error().unwrap().rate_limit(), Some(rate));
    // No request_id in the body: the header's is used.
    assert_eq!(err.request_id(), Some("req-from-header"));
}

#[tokio::test]
async fn documented_error_bodies_map_to_api_errors() {
    for (status, id) in [
        (401, "unauthorized"),
        (404, "not_found"),
        (422, "unprocessable_entity"),
        (429, "too_many_requests"),
        (500, "server_error"),
    ] {
        let message = format!("message for {status}");
        let body = json!({"id": id, "message": message, "request_id": "req-in-body"});
        let err = get_answering(with_meta(ResponseTemplate::new(status).set_body_json(body)))
            .await
            .unwrap_err();

        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err}");
        let api = err.api_error().expect("an API error");
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.id(), Some(id));
        assert_eq!(api.message(), Some(message.as_str()));
        assert_eq!(
            api.request_id(),
            Some("req-in-body"),
            "the body's request id wins"
        );
        assert_eq!(api.raw_body(), None, "a documented body is not kept raw");
        assert_eq!(api.rate_limit().map(|r| r.remaining), Some(4321));
        assert_eq!(err.is_not_found(), status == 404);
        assert_eq!(err.is_rate_limited(), status == 429);
        assert!(!err.is_timeout());

        let shown = err.to_string();
        assert!(
            shown.contains(&status.to_string()) && shown.contains(id) && shown.contains(&message),
            "{shown}"
        );
        assert!(
            shown.contains("/v2/functions/namespaces/{namespace_id}"),
            "{shown}"
        );
        assert!(!shown.contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
    }
}

#[tokio::test]
async fn html_error_page_is_an_api_error_with_the_raw_body() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let err = get_answering(ResponseTemplate::new(502).set_body_raw(page, "text/html"))
        .await
        .unwrap_err();
    let api = err.api_error().expect("an API error");
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(api.raw_body(), Some(page));
    assert_eq!((api.id(), api.message()), (None, None));
    assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
}

/// The error bodies of other documented shapes give the same fields (see `ApiError`).
#[tokio::test]
async fn error_bodies_of_the_other_documented_shapes_map_to_id_message_and_details() {
    let cases = [
        // NFS access points: `code` for `id`.
        (
            json!({"code": "MISSING_NAME", "message": "name is required"}),
            Some("MISSING_NAME"),
            "name is required",
            vec![],
        ),
        // Tags: `error` for the message, the root causes and messages as details.
        (
            json!({"error": "tag is invalid", "messages": ["one"], "root_causes": ["rpc error"]}),
            None,
            "tag is invalid",
            vec!["rpc error", "one"],
        ),
        (
            json!({"error": "tag is invalid", "messages": null, "root_causes": []}),
            None,
            "tag is invalid",
            vec![],
        ),
        // The messages endpoint: an envelope whose `error.type` is the id.
        (
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens must be positive"}}),
            Some("invalid_request_error"),
            "max_tokens must be positive",
            vec![],
        ),
        // OpenAI-style inference errors: `error.code` before `error.type`.
        (
            json!({"error": {"message": "no such model", "type": "invalid_request_error", "code": "model_not_found"}}),
            Some("model_not_found"),
            "no such model",
            vec![],
        ),
        // `id` wins over `code`, `message` over `error`.
        (
            json!({"id": "bad_request", "code": "X", "message": "top", "error": "inner"}),
            Some("bad_request"),
            "top",
            vec![],
        ),
    ];
    for (body, id, message, details) in cases {
        let err = get_answering(ResponseTemplate::new(400).set_body_json(body.clone()))
            .await
            .unwrap_err();
        let api = err.api_error().expect("an API error");
        assert_eq!(api.id(), id, "{body}");
        assert_eq!(api.message(), Some(message), "{body}");
        assert_eq!(api.details(), details, "{body}");
        assert_eq!(api.raw_body(), None, "{body}: a documented shape is not kept raw");
        assert!(err.to_string().contains(message), "{err}");
    }
    // JSON without a message in any shape is kept raw.
    for body in [json!({"id": "only_an_id"}), json!({"error": 42}), json!(["message"])] {
        let err = get_answering(ResponseTemplate::new(400).set_body_json(body.clone()))
            .await
            .unwrap_err();
        let api = err.api_error().expect("an API error");
        assert_eq!(api.message(), None, "{body}");
        assert_eq!(api.raw_body(), Some(body.to_string().as_str()), "{body}");
    }
}

#[tokio::test]
async fn empty_and_huge_error_bodies_do_not_panic() {
    let err = get_answering(ResponseTemplate::new(500)).await.unwrap_err();
    assert_eq!(err.api_error().unwrap().raw_body(), Some(""));

    let huge = "é".repeat(100_000);
    let err = get_answering(ResponseTemplate::new(500).set_body_raw(huge.clone(), "text/plain"))
        .await
        .unwrap_err();
    let raw = err.api_error().unwrap().raw_body().unwrap();
    assert!(
        raw.len() <= 4096 && !raw.is_empty() && huge.starts_with(raw),
        "{}",
        raw.len()
    );
}

#[tokio::test]
async fn truncated_json_on_200_is_a_decode_error_with_status_and_snippet() {
    let body = format!("{{\"namespace\": {{\"label\": \"{}", "ü".repeat(1000));
    let err = get_answering(with_meta(
        ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
    ))
    .await
    .unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(decode.body_len, body.len());
    assert!(
        decode.body_snippet.len() <= 512 && decode.body_snippet.len() >= 500,
        "{}",
        decode.body_snippet.len()
    );
    assert!(
        body.starts_with(&decode.body_snippet),
        "the snippet is the start of the body"
    );
    assert_eq!(decode.request_id.as_deref(), Some("req-from-header"));
    assert!(err.to_string().contains("200"), "{err}");
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn empty_200_body_for_a_json_operation_is_a_decode_error() {
    let err = get_answering(ResponseTemplate::new(200)).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.body_len, 0);
    assert_eq!(decode.body_snippet, "");
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let body = json!({
        "namespace": {"label": "my namespace", "region": "nyc1", "brand_new_field": {"nested": [1, 2]}},
        "another_new_field": true
    });
    let response = get_answering(ResponseTemplate::new(200).set_body_json(body))
        .await
        .unwrap();
    let namespace = response.into_inner().namespace;
    assert_eq!(namespace.label.as_deref(), Some("my namespace"));
    assert_eq!(namespace.region.as_deref(), Some("nyc1"));
}

#[tokio::test]
async fn a_200_with_a_body_where_204_was_documented_is_fine() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(NS_PATH))
        .respond_with(with_meta(
            ResponseTemplate::new(200).set_body_raw("not even json", "text/plain"),
        ))
        .mount(&server)
        .await;
    let response = client(&server)
        .functions()
        .delete_namespace("ns-1").with_meta()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req-from-header"));
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(NS_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({}))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    // The default policy retries GETs, but not a request that timed out.
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    assert_times_out(&client, &server).await;

    // A supplied reqwest client has no timeout of its own: the configured one still applies.
    let client = Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .http_client(digitalocean::reqwest::Client::new())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    assert_times_out(&client, &server).await;
}

async fn assert_times_out(client: &Client, server: &MockServer) {
    let before = server.received_requests().await.unwrap().len();
    let started = Instant::now();
    let functions = client.functions();
    let call = functions.get_namespace("ns-1");
    let result = tokio::time::timeout(Duration::from_secs(10), call).await;
    let err = result.expect("no timeout was applied").unwrap_err();
    let elapsed = started.elapsed();
    assert!(err.is_timeout(), "expected a timeout, got {err:?}");
    assert!(matches!(err, Error::Timeout { .. }));
    assert_eq!(err.status(), None);
    assert!(
        elapsed >= Duration::from_millis(250) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert!(err.to_string().contains("timed out"), "{err}");
    let sent = server.received_requests().await.unwrap().len() - before;
    assert_eq!(sent, 1, "a request that timed out is not retried");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // A port that was free a moment ago: nothing listens there.
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

    let err = client.functions().get_namespace("ns-1").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert!(!err.to_string().contains(TOKEN) && !format!("{err:?}").contains(TOKEN));
}
