//! The seed example, `create_namespace`, end to end against a loopback server: the request on
//! the wire, the documented 200 body, and the documented error bodies.

use digitalocean::models::{CreateNamespace, NamespaceCreated};
use digitalocean::{Client, DateTime, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The 200 body as the spec documents it (each property's `example` in `namespace_info.yml`).
fn documented_namespace() -> serde_json::Value {
    json!({
        "namespace": {
            "api_host": "https://api_host.io",
            "namespace": "fn-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "created_at": "2022-09-14T04:16:45Z",
            "updated_at": "2022-09-14T04:16:45Z",
            "label": "my namespace",
            "region": "nyc1",
            "uuid": "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
            "key": "d1zcd455h01mqjfs4s2eaewyejehi5f2uj4etqq3h7cera8iwkub6xg5of1wdde2"
        }
    })
}

fn seed_request() -> CreateNamespace {
    CreateNamespace::new("nyc1", "my namespace")
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token("dop_v1_test-token")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

#[test]
fn create_namespace_body_serializes_exactly() {
    let body = serde_json::to_string(&seed_request()).unwrap();
    assert_eq!(body, r#"{"region":"nyc1","label":"my namespace"}"#);
}

#[test]
fn documented_200_body_deserializes_with_every_field() {
    let parsed: NamespaceCreated = serde_json::from_value(documented_namespace()).unwrap();
    let ns = parsed.namespace.clone();
    assert_eq!(ns.api_host.as_deref(), Some("https://api_host.io"));
    assert_eq!(ns.namespace.as_deref(), Some("fn-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"));
    assert_eq!(ns.created_at.as_ref().map(DateTime::as_str), Some("2022-09-14T04:16:45Z"));
    assert_eq!(ns.updated_at.as_ref().map(DateTime::as_str), Some("2022-09-14T04:16:45Z"));
    assert_eq!(ns.created_at.as_ref().and_then(DateTime::unix_seconds), Some(1_663_129_005));
    assert_eq!(ns.label.as_deref(), Some("my namespace"));
    assert_eq!(ns.region.as_deref(), Some("nyc1"));
    assert_eq!(ns.uuid.as_deref(), Some("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"));
    assert_eq!(ns.key.as_deref(), Some("d1zcd455h01mqjfs4s2eaewyejehi5f2uj4etqq3h7cera8iwkub6xg5of1wdde2"));
    // Round trip: nothing is lost or invented.
    assert_eq!(serde_json::to_value(&parsed).unwrap_or_default(), documented_namespace());
}

#[test]
fn unknown_fields_in_a_response_are_ignored() {
    let mut body = documented_namespace();
    body["namespace"]["new_field_from_a_later_api"] = json!({"x": 1});
    body["also_new"] = json!(true);
    let parsed: Result<NamespaceCreated, _> = serde_json::from_value(body);
    assert!(parsed.is_ok(), "{parsed:?}");
}

#[test]
fn a_timestamp_that_is_not_rfc_3339_decodes_as_it_is() {
    let mut body = documented_namespace();
    body["namespace"]["created_at"] = json!("14/09/2022 04:16");
    body["namespace"]["updated_at"] = json!("2022-09-14 04:16:45+02:00");
    let parsed: NamespaceCreated = serde_json::from_value(body.clone()).unwrap();
    let ns = parsed.namespace.clone();
    let created = ns.created_at.unwrap_or_else(|| panic!("created_at missing"));
    assert!(!created.is_valid());
    assert_eq!((created.as_str(), created.unix_seconds()), ("14/09/2022 04:16", None));
    // A space for `T` is RFC 3339.
    let updated = ns.updated_at.unwrap_or_else(|| panic!("updated_at missing"));
    assert_eq!(updated.unix_seconds(), Some(1_663_129_005 - 7200));
    // Sent back as received.
    assert_eq!(serde_json::to_value(&parsed).unwrap_or_default(), body);
    // Another JSON type is an error naming the field, as for any string.
    let mut wrong = documented_namespace();
    wrong["namespace"]["created_at"] = json!(1_663_129_005);
    let error = serde_json::from_value::<NamespaceCreated>(wrong).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(error.contains("created_at") && error.contains("RFC 3339"), "{error}");
}

#[tokio::test]
async fn create_namespace_sends_the_documented_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/functions/namespaces"))
        .and(header("authorization", "Bearer dop_v1_test-token"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"region": "nyc1", "label": "my namespace"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(documented_namespace()))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server).functions().create_namespace(seed_request()).await.unwrap();
    let ns = created.namespace;
    assert_eq!(ns.label.as_deref(), Some("my namespace"));
    assert_eq!(ns.region.as_deref(), Some("nyc1"));
    // The exact bytes on the wire.
    let received = server.received_requests().await.unwrap_or_default();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, br#"{"region":"nyc1","label":"my namespace"}"#);
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/functions/namespaces/fn-a%2Fb%20c/triggers/my%20trigger%3F"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"trigger": {"name": "my trigger?"}})))
        .expect(1)
        .mount(&server)
        .await;
    let found = client(&server)
        .functions()
        .get_trigger("fn-a/b c", "my trigger?")
        .await
        .unwrap();
    assert_eq!(found.trigger.name.as_deref(), Some("my trigger?"));
}

#[tokio::test]
async fn delete_returns_unit_on_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/v2/functions/namespaces/fn-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).functions().delete_namespace("fn-1").await.unwrap();
}

/// The documented error bodies of `create_namespace` (401, 404, 422, 429, 500).
#[tokio::test]
async fn documented_error_bodies_become_api_errors() {
    let cases = [
        (401, json!({"id": "unauthorized", "message": "Unable to authenticate you."})),
        (
            404,
            json!({"id": "bad_request", "message": "Invalid request payload: missing label field",
                   "request_id": "4851a473-1621-42ea-b2f9-5071c0ea8414"}),
        ),
        (
            422,
            json!({"id": "unprocessable_entity", "message": "namespace limit reached",
                   "request_id": "a3275238-3d04-4405-a123-55c389b406c0"}),
        ),
        (429, json!({"id": "too_many_requests", "message": "API rate limit exceeded."})),
        (500, json!({"id": "server_error", "message": "Unexpected server-side error"})),
    ];
    for (status, body) in cases {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v2/functions/namespaces"))
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_json(&body)
                    .insert_header("ratelimit-limit", "5000")
                    .insert_header("ratelimit-remaining", "4816")
                    .insert_header("ratelimit-reset", "1444931833"),
            )
            .mount(&server)
            .await;
        let error = client(&server)
            .functions()
            .create_namespace(seed_request())
            .await
            .err()
            .unwrap_or_else(|| panic!("{status} was taken for success"));
        let api = error.api_error().unwrap_or_else(|| panic!("{status}: not an API error: {error}"));
        assert_eq!(api.status().as_u16(), status);
        assert_eq!(api.id(), body["id"].as_str(), "{status}");
        assert_eq!(api.message(), body["message"].as_str(), "{status}");
        assert_eq!(api.request_id(), body["request_id"].as_str(), "{status}");
        let limits = api.rate_limit().unwrap_or_else(|| panic!("{status}: rate limits missing"));
        assert_eq!((limits.limit, limits.remaining, limits.reset), (5000, 4816, 1444931833));
        assert_eq!(error.is_not_found(), status == 404);
        assert_eq!(error.is_rate_limited(), status == 429);
    }
}
