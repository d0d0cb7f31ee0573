//! One client shared by many tasks: 2,000 requests, 64 in flight, none lost or mixed up.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use digitalocean::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const REQUESTS: usize = 2_000;
const IN_FLIGHT: usize = 64;

/// Answers with the namespace id taken from the path, so that each caller can check its answer.
fn echo_id(request: &Request) -> ResponseTemplate {
    let id = request
        .url
        .path()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    ResponseTemplate::new(200)
        .insert_header("x-request-id", id.as_str())
        .set_body_json(json!({"namespace": {"namespace": id, "label": "load"}}))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_requests_64_in_flight_lose_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(echo_id)
        .mount(&server)
        .await;
    // No retries: a lost or failed request must show as a failure, not be papered over.
    let client = Client::builder()
        .token("load-token")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let next = Arc::new(AtomicUsize::new(0));
    let run = async {
        let mut workers = Vec::with_capacity(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            let client = client.clone();
            let next = Arc::clone(&next);
            workers.push(tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    if index >= REQUESTS {
                        return done;
                    }
                    let id = format!("ns-{index}");
                    let response = client.functions().get_namespace(id.as_str()).with_meta().await;
                    let ok = match response {
                        Ok(response) => {
                            response.request_id() == Some(id.as_str())
                                && response
                                    .into_inner()
                                    .namespace
                                    .namespace
                                    .as_deref()
                                    == Some(id.as_str())
                        }
                        Err(err) => panic!("request {index} failed: {err}"),
                    };
                    assert!(ok, "request {index} got someone else's answer");
                    done.push(index);
                }
            }));
        }
        let mut all = Vec::with_capacity(REQUESTS);
        for worker in workers {
            all.extend(worker.await.unwrap());
        }
        all
    };
    let mut done = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("the load test took over 120 s");

    done.sort_unstable();
    assert_eq!(
        done,
        (0..REQUESTS).collect::<Vec<_>>(),
        "every request completed exactly once"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        REQUESTS,
        "the server saw each request once"
    );
}
