//! Hosts and credentials end to end through the generated methods: the API token only reaches
//! the API server, the model access key only the inference and agent hosts, a pre-signed upload
//! URL gets no credential at all, and a missing credential or agent URL is a configuration error
//! that sends nothing; plus the pre-signed upload's bytes and query, the non-JSON answers, a
//! status-dependent answer, a header parameter, a DELETE with a body and an array query
//! parameter.
//!
//! Three loopback servers stand for the three hosts: `api` (the base URL), `inference` (the
//! inference host) and `agent` (an agent's URL, also used as the pre-signed upload target).

use digitalocean::models::{
    AppsCreateAccept, AppsListDeploymentsDeploymentTypesItem, AsyncInvokeResponseStatus, FirewallsDeleteTagsRequest,
    InferenceCreateAsyncInvokeResponse,
};
use digitalocean::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "dop_v1_api-token-0123456789-SECRET";
const KEY: &str = "sk-do-model-access-key-9876543210-SECRET";

struct Hosts {
    api: MockServer,
    inference: MockServer,
    agent: MockServer,
}

impl Hosts {
    async fn start() -> Hosts {
        Hosts { api: MockServer::start().await, inference: MockServer::start().await, agent: MockServer::start().await }
    }

    fn servers(&self) -> [(&'static str, &MockServer); 3] {
        [("api", &self.api), ("inference", &self.inference), ("agent", &self.agent)]
    }

    /// A client with both credentials and all three hosts configured.
    fn client(&self) -> Client {
        self.builder().agent_base_url(self.agent.uri()).build().unwrap_or_else(|e| panic!("client: {e}"))
    }

    /// Both credentials, the API and inference hosts, no agent URL.
    fn builder(&self) -> digitalocean::ClientBuilder {
        Client::builder()
            .token(TOKEN)
            .model_access_key(KEY)
            .base_url(self.api.uri())
            .inference_base_url(self.inference.uri())
            .retry_policy(RetryPolicy::none())
    }

    async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
        server.received_requests().await.unwrap_or_else(|| panic!("request recording is off"))
    }

    /// How many requests each server received, as `[api, inference, agent]`.
    async fn counts(&self) -> [usize; 3] {
        [Self::requests(&self.api).await.len(), Self::requests(&self.inference).await.len(), Self::requests(&self.agent).await.len()]
    }

    /// The only request `server` received.
    async fn only(server: &MockServer) -> wiremock::Request {
        let mut requests = Self::requests(server).await;
        let urls: Vec<_> = requests.iter().map(|r| format!("{} {}", r.method, r.url.path())).collect();
        assert_eq!(requests.len(), 1, "{urls:?}");
        requests.remove(0)
    }

    /// Each request `server` received, as `METHOD /path?query`, and its `Authorization` value
    /// (`None` without one; two are an error).
    async fn credentials(server: &MockServer) -> Vec<(String, Option<String>)> {
        let described = |request: &wiremock::Request| {
            let query = request.url.query().map(|query| format!("?{query}")).unwrap_or_default();
            let mut values = header_values(request, "authorization");
            assert!(values.len() <= 1, "{} {}: {values:?}", request.method, request.url);
            (format!("{} {}{query}", request.method, request.url.path()), values.pop())
        };
        Self::requests(server).await.iter().map(described).collect()
    }

    /// `secret` appears nowhere (URL, header names and values, body) in any request the servers
    /// named `names` received.
    async fn assert_never_sent(&self, secret: &str, names: &[&str]) {
        for (name, server) in self.servers().into_iter().filter(|(name, _)| names.contains(name)) {
            for request in Self::requests(server).await {
                assert!(!request.url.as_str().contains(secret), "{name} got the secret in the URL {}", request.url);
                for (header, value) in request.headers.iter() {
                    assert!(
                        !contains(value.as_bytes(), secret) && !header.as_str().contains(secret),
                        "{name} got the secret in the header {header}"
                    );
                }
                assert!(!contains(&request.body, secret), "{name} got the secret in the body");
            }
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}

/// Every value of the header `name` in `request`.
fn header_values(request: &wiremock::Request, name: &str) -> Vec<String> {
    request.headers.get_all(name).iter().map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned()).collect()
}

fn chat_request() -> digitalocean::models::ChatCompletionRequest {
    serde_json::from_value(json!({
        "model": "llama3.3-70b-instruct",
        "messages": [{"role": "user", "content": "Hello"}]
    }))
    .unwrap_or_else(|e| panic!("chat request: {e}"))
}

fn chat_answer() -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "llama3.3-70b-instruct",
        "choices": [{
            "index": 0,
            "finish_reason": "stop",
            "message": {"role": "assistant", "content": "Hi"}
        }]
    })
}

fn assert_config_error(err: &Error, words: &[&str]) {
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let text = err.to_string();
    for word in words {
        assert!(text.contains(word), "{word:?} missing from {text}");
    }
    assert!(!text.contains(TOKEN) && !text.contains(KEY), "{text}");
}

// 1. Which credential each host gets, and a missing one.

/// One call of each kind: the token reaches the API host only, the model access key the
/// inference host and the agent's URL only, and a pre-signed upload URL (on the agent's server
/// here) gets no credential at all; neither secret shows anywhere (URL, header, body) on a host
/// it is not for.
#[tokio::test]
async fn each_credential_goes_only_to_its_own_host() {
    let hosts = Hosts::start().await;
    let droplets = json!({"droplets": [], "links": {}, "meta": {"total": 0}});
    let models =
        json!({"object": "list", "data": [{"id": "llama3.3-70b-instruct", "object": "model", "created": 1, "owned_by": "digitalocean"}]});
    let routes = [
        (&hosts.api, "GET", "/v2/droplets", ResponseTemplate::new(200).set_body_json(droplets)),
        (&hosts.inference, "POST", "/v1/chat/completions", ResponseTemplate::new(200).set_body_json(chat_answer())),
        (&hosts.inference, "GET", "/v1/models", ResponseTemplate::new(200).set_body_json(models)),
        (&hosts.agent, "POST", "/api/v1/chat/completions", ResponseTemplate::new(200).set_body_json(chat_answer())),
        (&hosts.agent, "PUT", "/bucket/batch-input.jsonl", ResponseTemplate::new(200)),
    ];
    for (server, verb, route, answer) in routes {
        Mock::given(method(verb)).and(path(route)).respond_with(answer).mount(server).await;
    }
    let client = hosts.client();
    let upload_url = format!("{}/bucket/batch-input.jsonl?X-Amz-Signature=abc", hosts.agent.uri());

    client.droplets().list().await.unwrap_or_else(|e| panic!("droplets: {e:?}"));
    client.serverless_inference().create_chat_completion(chat_request()).await.unwrap_or_else(|e| panic!("chat: {e:?}"));
    client.serverless_inference().list_models().await.unwrap_or_else(|e| panic!("models: {e:?}"));
    client.agent_inference().create_chat_completion(true, chat_request()).await.unwrap_or_else(|e| panic!("agent: {e:?}"));
    client.batch_inference().upload_batch_file(upload_url.as_str(), b"{}\n".to_vec()).await.unwrap_or_else(|e| panic!("upload: {e:?}"));

    let (token, key) = (Some(format!("Bearer {TOKEN}")), Some(format!("Bearer {KEY}")));
    let sent = |call: &str, credential: &Option<String>| (call.to_owned(), credential.clone());
    assert_eq!(Hosts::credentials(&hosts.api).await, [sent("GET /v2/droplets", &token)]);
    assert_eq!(Hosts::credentials(&hosts.inference).await, [sent("POST /v1/chat/completions", &key), sent("GET /v1/models", &key)]);
    assert_eq!(
        Hosts::credentials(&hosts.agent).await,
        [sent("POST /api/v1/chat/completions?agent=true", &key), sent("PUT /bucket/batch-input.jsonl?X-Amz-Signature=abc", &None)]
    );
    hosts.assert_never_sent(TOKEN, &["inference", "agent"]).await;
    hosts.assert_never_sent(KEY, &["api"]).await;
}

/// A call whose host's credential was not given fails before anything is sent, saying how to
/// give it.
#[tokio::test]
async fn a_missing_credential_is_a_config_error_and_sends_nothing() {
    let hosts = Hosts::start().await;
    let token_only = Client::builder()
        .token(TOKEN)
        .base_url(hosts.api.uri())
        .inference_base_url(hosts.inference.uri())
        .agent_base_url(hosts.agent.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let key_only = Client::builder().model_access_key(KEY).base_url(hosts.api.uri()).retry_policy(RetryPolicy::none()).build().unwrap();

    let err = token_only.serverless_inference().list_models().await.unwrap_err();
    assert_config_error(&err, &["model_access_key", "DIGITALOCEAN_MODEL_ACCESS_KEY"]);
    let err = token_only.serverless_inference().create_chat_completion(chat_request()).await.unwrap_err();
    assert_config_error(&err, &["model_access_key", "DIGITALOCEAN_MODEL_ACCESS_KEY"]);
    let err = token_only.agent_inference().create_chat_completion(false, chat_request()).await.unwrap_err();
    assert_config_error(&err, &["model_access_key", "DIGITALOCEAN_MODEL_ACCESS_KEY"]);
    let err = key_only.droplets().list().await.unwrap_err();
    assert_config_error(&err, &["token", "DIGITALOCEAN_TOKEN"]);

    assert_eq!(hosts.counts().await, [0, 0, 0]);
}

#[tokio::test]
async fn agent_operations_without_an_agent_url_are_config_errors_and_send_nothing() {
    let hosts = Hosts::start().await;
    let client = hosts.builder().build().unwrap();

    let err = client.agent_inference().create_chat_completion(true, chat_request()).await.unwrap_err();
    assert_config_error(&err, &["agent_base_url"]);
    assert_eq!(hosts.counts().await, [0, 0, 0]);
}

// 2. The pre-signed upload's request (its credential: above).

#[tokio::test]
async fn upload_to_a_presigned_url_sends_the_exact_bytes_and_keeps_the_signed_query() {
    let hosts = Hosts::start().await;
    Mock::given(method("PUT")).and(path("/bucket/batch-input.jsonl")).respond_with(ResponseTemplate::new(200)).mount(&hosts.agent).await;
    let query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20250101%2Fnyc3&X-Amz-Signature=abc";
    let url = format!("{}/bucket/batch-input.jsonl?{query}", hosts.agent.uri());
    // JSONL with a non-UTF-8 byte and a CRLF: sent as it is, not re-encoded.
    let bytes = b"{\"custom_id\":\"1\"}\n{\"custom_id\":\"2\"}\r\n\xff\x00".to_vec();

    hosts.client().batch_inference().upload_batch_file(url.as_str(), bytes.clone()).await.unwrap_or_else(|e| panic!("upload: {e:?}"));

    assert_eq!(hosts.counts().await, [0, 0, 1]);
    let request = Hosts::only(&hosts.agent).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.query(), Some(query), "the signed query is kept verbatim");
    assert_eq!(request.body, bytes);
    assert_eq!(header_values(&request, "content-type"), ["application/octet-stream"]);
}

// 3. Non-JSON answers.

#[tokio::test]
async fn kubeconfig_is_asked_for_as_yaml_and_returned_as_text() {
    let hosts = Hosts::start().await;
    let yaml = "apiVersion: v1\nkind: Config\nclusters:\n- name: do-nyc1-k8s # é\n";
    Mock::given(method("GET"))
        .and(path("/v2/kubernetes/clusters/c-1/kubeconfig"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(yaml, "application/yaml"))
        .mount(&hosts.api)
        .await;

    let text = hosts.client().kubernetes().get_kubeconfig("c-1").expiry_seconds(300).await.unwrap_or_else(|e| panic!("kubeconfig: {e:?}"));
    assert_eq!(text, yaml);

    let request = Hosts::only(&hosts.api).await;
    assert_eq!(header_values(&request, "accept"), ["application/yaml, application/json;q=0.5"]);
    assert_eq!(request.url.query(), Some("expiry_seconds=300"));
}

#[tokio::test]
async fn invoice_csv_and_pdf_are_returned_byte_for_byte() {
    let hosts = Hosts::start().await;
    let csv: &[u8] = b"product,amount\r\nDroplets,\"1,200.00\"\r\n";
    let pdf: Vec<u8> = [b"%PDF-1.7\n".as_slice(), &[0x00, 0xff, 0xfe, 0x80], b"\n%%EOF"].concat();
    Mock::given(method("GET"))
        .and(path("/v2/customers/my/invoices/inv-1/csv"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(csv, "text/csv"))
        .mount(&hosts.api)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/customers/my/invoices/inv-1/pdf"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(pdf.clone(), "application/pdf"))
        .mount(&hosts.api)
        .await;
    let client = hosts.client();

    let got_csv = client.billing().invoices_get_csv_by_uuid("inv-1").await.unwrap_or_else(|e| panic!("csv: {e:?}"));
    assert_eq!(got_csv, csv);
    let got_pdf = client.billing().invoices_get_pdf_by_uuid("inv-1").await.unwrap_or_else(|e| panic!("pdf: {e:?}"));
    assert_eq!(got_pdf, pdf);

    let requests = Hosts::requests(&hosts.api).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(header_values(&requests[0], "accept"), ["text/csv, application/json;q=0.5"]);
    assert_eq!(header_values(&requests[1], "accept"), ["application/pdf, application/json;q=0.5"]);
}

// 4. A status-dependent answer.

#[tokio::test]
async fn async_invoke_answers_ok_for_200_and_accepted_for_202() {
    let hosts = Hosts::start().await;
    let answer = |status: &str| {
        json!({
            "request_id": "req-1",
            "status": status,
            "model_id": "fal-ai/flux/schnell",
            "created_at": "2025-01-01T00:00:00Z"
        })
    };
    let request: digitalocean::models::AsyncInvokeRequest = serde_json::from_value(json!({
        "model_id": "fal-ai/flux/schnell",
        "input": {"prompt": "a lighthouse"}
    }))
    .unwrap_or_else(|e| panic!("request: {e}"));
    let client = hosts.client();

    for (status, state) in [(200, "COMPLETED"), (202, "QUEUED")] {
        hosts.inference.reset().await;
        Mock::given(method("POST"))
            .and(path("/v1/async-invoke"))
            .respond_with(ResponseTemplate::new(status).set_body_json(answer(state)))
            .mount(&hosts.inference)
            .await;
        let got = client.serverless_inference().create_async_invoke(request.clone()).await.unwrap_or_else(|e| panic!("{status}: {e:?}"));
        match (status, got) {
            (200, InferenceCreateAsyncInvokeResponse::Ok(body)) => {
                assert_eq!(body.status, AsyncInvokeResponseStatus::Completed);
                assert_eq!(body.request_id, "req-1");
            }
            (202, InferenceCreateAsyncInvokeResponse::Accepted(body)) => {
                assert_eq!(body.status, AsyncInvokeResponseStatus::Queued);
                assert_eq!(body.model_id, "fal-ai/flux/schnell");
            }
            (status, got) => panic!("{status} gave {got:?}"),
        }
        Hosts::only(&hosts.inference).await;
    }
    assert_eq!(Hosts::requests(&hosts.api).await.len(), 0);
}

// 5. A header parameter, a DELETE with a body, an array query parameter.

#[tokio::test]
async fn an_accept_header_parameter_replaces_the_default_accept() {
    let hosts = Hosts::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/apps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"app": {"id": "app-1", "spec": {"name": "web"}}})))
        .mount(&hosts.api)
        .await;
    let body: digitalocean::models::AppsCreateAppRequest =
        serde_json::from_value(json!({"spec": {"name": "web"}})).unwrap_or_else(|e| panic!("body: {e}"));

    hosts.client().apps().create(body).accept(AppsCreateAccept::ApplicationYaml).await.unwrap_or_else(|e| panic!("create: {e:?}"));

    let request = Hosts::only(&hosts.api).await;
    assert_eq!(header_values(&request, "accept"), ["application/yaml"]);
    assert_eq!(header_values(&request, "content-type"), ["application/json"]);
    let sent: Value = serde_json::from_slice(&request.body).unwrap_or_default();
    assert_eq!(sent, json!({"spec": {"name": "web"}}));
}

#[tokio::test]
async fn a_delete_with_a_body_sends_it() {
    let hosts = Hosts::start().await;
    Mock::given(method("DELETE")).and(path("/v2/firewalls/fw-1/tags")).respond_with(ResponseTemplate::new(204)).mount(&hosts.api).await;
    let body = FirewallsDeleteTagsRequest::new(["frontend", "prod"]);

    hosts.client().firewalls().delete_tags("fw-1", body).await.unwrap_or_else(|e| panic!("delete: {e:?}"));

    let request = Hosts::only(&hosts.api).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(header_values(&request, "content-type"), ["application/json"]);
    let sent: Value = serde_json::from_slice(&request.body).unwrap_or_default();
    assert_eq!(sent, json!({"tags": ["frontend", "prod"]}));
}

#[tokio::test]
async fn an_array_query_parameter_is_sent_as_repeated_keys() {
    let hosts = Hosts::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/apps/app-1/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"deployments": []})))
        .mount(&hosts.api)
        .await;

    hosts
        .client()
        .apps()
        .list_deployments("app-1")
        .per_page(5)
        .deployment_types([AppsListDeploymentsDeploymentTypesItem::Manual, AppsListDeploymentsDeploymentTypesItem::DeployOnPush])
        .await
        .unwrap_or_else(|e| panic!("list: {e:?}"));

    let request = Hosts::only(&hosts.api).await;
    assert_eq!(request.url.query(), Some("per_page=5&deployment_types=MANUAL&deployment_types=DEPLOY_ON_PUSH"));
}
