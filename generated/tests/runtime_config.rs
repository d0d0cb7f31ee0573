//! Client configuration: token handling, base URL, headers and the request itself. The environment
//! is read in `codegen/runtime/tests.rs`, credentials per host are in `hosts.rs`, `Debug` in
//! `secrets.rs`.

use std::time::Duration;

use digitalocean::models::CreateNamespace;
use digitalocean::{Client, Error, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dop_v1_0123456789abcdef_secret";

fn ok_namespace() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"namespace": {"label": "x"}}))
}

/// A server answering every GET with a namespace.
async fn namespace_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ok_namespace()).mount(&server).await;
    server
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

#[test]
fn missing_or_unusable_tokens_are_configuration_errors() {
    for builder in [Client::builder(), Client::builder().token(""), Client::builder().token("   ")] {
        let err = builder.build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }
    let err = Client::builder().token(format!("{TOKEN}\nX-Injected: 1")).build().unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
}

#[test]
fn bad_base_urls_are_configuration_errors() {
    for url in ["not a url", "ftp://example.test", "https://example.test/?x=1", "https://user:pw@example.test", ""] {
        let err = Client::builder().token(TOKEN).base_url(url).build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{url}: {err:?}");
        assert!(err.to_string().starts_with("invalid client configuration"), "{err}");
    }
}

#[test]
fn default_base_url() {
    let client = Client::new(TOKEN).unwrap();
    assert_eq!(client.base_url(), "https://api.digitalocean.com");
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
}

#[tokio::test]
async fn base_url_with_a_path_prefix_joins_with_and_without_trailing_slash() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/proxy/do/v2/functions/namespaces/ns")).respond_with(ok_namespace()).mount(&server).await;
    for base in [format!("{}/proxy/do", server.uri()), format!("{}/proxy/do/", server.uri())] {
        let client = Client::builder().token(TOKEN).base_url(base).build().unwrap();
        client.functions().get_namespace("ns").await.unwrap();
    }
    let client = Client::builder().token(TOKEN).base_url(format!("{}/", server.uri())).build().unwrap();
    assert_eq!(client.base_url(), server.uri(), "the trailing slash is dropped");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn requests_carry_user_agent_and_accept() {
    let server = namespace_server().await;

    let client = Client::builder().token(TOKEN).base_url(server.uri()).build().unwrap();
    client.functions().get_namespace("ns").await.unwrap();
    let request = only_request(&server).await;
    let value = |name: &str| request.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(value("user-agent"), Some(format!("digitalocean/{version}")));
    assert_eq!(value("accept").as_deref(), Some("application/json"));
}

#[tokio::test]
async fn user_agent_prefix_comes_first() {
    let server = namespace_server().await;

    let client = Client::builder().token(TOKEN).base_url(server.uri()).user_agent_prefix("my-tool/1.2").build().unwrap();
    client.functions().get_namespace("ns").await.unwrap();
    let request = only_request(&server).await;
    let agent = request.headers.get("user-agent").unwrap().to_str().unwrap();
    assert_eq!(agent, format!("my-tool/1.2 digitalocean/{}", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn json_body_is_sent_with_its_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/functions/namespaces"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"region": "nyc1", "label": "my namespace"})))
        .respond_with(ok_namespace())
        .mount(&server)
        .await;
    let client = Client::builder().token(TOKEN).base_url(server.uri()).build().unwrap();
    let body = CreateNamespace::new("nyc1", "my namespace");
    let created = client.functions().create_namespace(body).await.unwrap();
    assert!(created.namespace.label.is_some());
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let server = namespace_server().await;

    let client = Client::builder().token(TOKEN).base_url(server.uri()).build().unwrap();
    client.functions().get_namespace("a/b c?d#e%f~g.h_i-j").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/v2/functions/namespaces/a%2Fb%20c%3Fd%23e%25f~g.h_i-j");
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn an_existing_reqwest_client_is_reused() {
    let server = namespace_server().await;

    let http = digitalocean::reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
    let client = Client::builder().token(TOKEN).base_url(server.uri()).http_client(http).build().unwrap();
    client.functions().get_namespace("ns").await.unwrap();
    let request = only_request(&server).await;
    assert!(request.headers.get("authorization").is_some(), "the token is still sent");
}

#[test]
fn client_is_cheap_to_share() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    fn error_type<T: std::error::Error + Send + Sync + 'static>() {}
    shareable::<Client>();
    error_type::<Error>();
    assert!(std::mem::size_of::<Error>() <= 128, "keep Result<T, Error> small");
}
