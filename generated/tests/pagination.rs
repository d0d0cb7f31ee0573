//! Walking every page of a list operation (`.pages()`, `.stream()` on a list operation's builder) against loopback
//! servers: the three styles, the ends of a walk, failures, servers that do not advance, and
//! `next` links naming another host.

use std::time::Duration;

use digitalocean::{Client, Error, RetryPolicy};
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .token(TOKEN)
        .model_access_key("model-key")
        .base_url(server.uri())
        .inference_base_url(server.uri())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(3)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .unwrap()
}

/// The value of query parameter `name` of a request.
fn query(req: &Request, name: &str) -> Option<String> {
    req.url.query_pairs().find(|(n, _)| n == name).map(|(_, v)| v.into_owned())
}

/// The number of the requested page (`1` when the request names none).
fn page_of(req: &Request) -> u64 {
    query(req, "page").map_or(1, |p| p.parse().unwrap())
}

/// An `images_list` page: the images `ids`, and a `next` link when `next` is given.
fn images_page(ids: &[i64], next: Option<String>) -> Value {
    let images: Vec<Value> = ids.iter().map(|id| json!({"id": id, "slug": format!("image-{id}")})).collect();
    let mut page = json!({"images": images, "meta": {"total": 6}});
    if let Some(next) = next {
        page["links"] = json!({"pages": {"next": next, "last": "https://api.digitalocean.com/v2/images?page=3&per_page=2"}});
    }
    page
}

/// The usual next link, naming the production host as the API does.
fn next_link(page: u64) -> Option<String> {
    Some(format!("https://api.digitalocean.com/v2/images?page={page}&per_page=2&private=true&tag_name=base"))
}

/// Serves `/v2/images` with `answer(page number)`.
async fn serve_images(server: &MockServer, answer: impl Fn(u64) -> ResponseTemplate + Send + Sync + 'static) {
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .respond_with(move |req: &Request| answer(page_of(req)))
        .mount(server)
        .await;
}

/// Three pages of two images, the last without a `next` link.
fn three_pages(page: u64) -> ResponseTemplate {
    let ids = [page as i64 * 10 + 1, page as i64 * 10 + 2];
    let next = if page < 3 { next_link(page + 1) } else { None };
    ResponseTemplate::new(200)
        .set_body_json(images_page(&ids, next))
        .insert_header("ratelimit-limit", "5000")
        .insert_header("ratelimit-remaining", (5000 - page).to_string())
        .insert_header("ratelimit-reset", "1700000000")
}

fn filtered(client: &Client) -> digitalocean::apis::images::List {
    client.images().list().private(true).tag_name("base").per_page(2)
}

// Walks that could loop take at most 20 items: a broken guard fails the count, never hangs.

fn ids(items: &[digitalocean::models::Image]) -> Vec<i64> {
    items.iter().map(|i| i.id.unwrap()).collect()
}

#[tokio::test]
async fn three_pages_then_the_end_with_the_callers_filters_on_every_request() {
    let server = MockServer::start().await;
    serve_images(&server, three_pages).await;
    let items: Vec<_> = filtered(&client(&server)).stream().try_collect().await.unwrap();
    assert_eq!(ids(&items), [11, 12, 21, 22, 31, 32]);

    let requests = server.received_requests().await.unwrap();
    let pages: Vec<Option<String>> = requests.iter().map(|r| query(r, "page")).collect();
    assert_eq!(pages, [None, Some("2".into()), Some("3".into())]);
    for req in &requests {
        assert_eq!(query(req, "private").as_deref(), Some("true"), "{}", req.url);
        assert_eq!(query(req, "tag_name").as_deref(), Some("base"), "{}", req.url);
        assert_eq!(query(req, "per_page").as_deref(), Some("2"), "{}", req.url);
        assert_eq!(req.headers.get("authorization").unwrap(), &format!("Bearer {TOKEN}"));
    }
}

#[tokio::test]
async fn pages_carry_their_metadata_and_the_walk_starts_at_the_callers_page() {
    let server = MockServer::start().await;
    serve_images(&server, three_pages).await;
    let pages: Vec<_> = filtered(&client(&server)).page(2).pages().try_collect().await.unwrap();
    let remaining: Vec<u64> = pages.iter().map(|p| p.rate_limit().unwrap().remaining).collect();
    assert_eq!(remaining, [4998, 4997]);
    assert_eq!(ids(&pages[1].body().images), [31, 32]);
    assert_eq!(pages[0].body().meta.total, Some(6));
}

#[tokio::test]
async fn an_empty_first_page_ends_the_walk_even_with_a_next_link() {
    let server = MockServer::start().await;
    serve_images(&server, |_| ResponseTemplate::new(200).set_body_json(images_page(&[], next_link(2)))).await;
    let items: Vec<_> = filtered(&client(&server)).stream().try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_failure_on_page_2_is_retried_then_ends_the_walk_with_that_error() {
    let server = MockServer::start().await;
    serve_images(&server, |page| match page {
        2 => ResponseTemplate::new(500).set_body_json(json!({"id": "server_error", "message": "boom"})),
        _ => three_pages(page),
    })
    .await;
    let mut stream = filtered(&client(&server)).stream();
    assert_eq!(stream.next().await.unwrap().unwrap().id, Some(11));
    assert_eq!(stream.next().await.unwrap().unwrap().id, Some(12));
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(stream.next().await.is_none(), "the error is the last item");
    match &err {
        Error::Page { call, page, source } => {
            assert_eq!((call.operation, *page), ("images_list", 2));
            assert_eq!(err.call().map(|call| call.path), Some("/v2/images"), "Error::call looks at the walk's operation");
            assert_eq!(source.status().map(|s| s.as_u16()), Some(500));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "the helpers look through Error::Page");
    assert!(err.to_string().contains("images_list, page 2"), "{err}");
    let requests = server.received_requests().await.unwrap();
    let pages: Vec<u64> = requests.iter().map(page_of).collect();
    assert_eq!(pages, [1, 2, 2, 2], "page 2 is tried max_attempts times, page 3 never");
}

#[tokio::test]
async fn a_transient_failure_on_page_2_is_retried_and_the_walk_goes_on() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/images"))
        .and(wiremock::matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    serve_images(&server, three_pages).await;
    let items: Vec<_> = filtered(&client(&server)).stream().try_collect().await.unwrap();
    assert_eq!(ids(&items), [11, 12, 21, 22, 31, 32]);
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_page_that_does_not_decode_is_an_error_naming_the_operation_and_page() {
    let server = MockServer::start().await;
    serve_images(&server, |page| match page {
        2 => ResponseTemplate::new(200).set_body_json(json!({"images": "not a list", "meta": {}})),
        _ => three_pages(page),
    })
    .await;
    let results: Vec<Result<_, Error>> = filtered(&client(&server)).stream().take(20).collect().await;
    assert_eq!(results.len(), 3);
    let err = results[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::Page { call, page: 2, source } if call.operation == "images_list" && matches!(**source, Error::Decode(_))), "{err:?}");
    assert!(err.to_string().contains("images_list, page 2"), "{err}");
}

#[tokio::test]
async fn a_server_repeating_its_next_link_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    // Page 2 points at page 2 again.
    serve_images(&server, |page| {
        ResponseTemplate::new(200).set_body_json(images_page(&[page as i64], next_link(2)))
    })
    .await;
    let results: Vec<Result<_, Error>> = filtered(&client(&server)).stream().take(20).collect().await;
    assert_eq!(results.len(), 3, "two items, then the error");
    let err = results[2].as_ref().unwrap_err();
    assert!(matches!(err, Error::Page { page: 2, source, .. } if matches!(**source, Error::Pagination { .. })), "{err:?}");
    assert!(err.to_string().contains("same `next` link"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_next_link_going_back_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    serve_images(&server, |page| {
        let next = if page == 3 { next_link(2) } else { next_link(page + 1) };
        ResponseTemplate::new(200).set_body_json(images_page(&[page as i64], next))
    })
    .await;
    let results: Vec<Result<_, Error>> = filtered(&client(&server)).stream().take(20).collect().await;
    assert_eq!(results.len(), 4);
    assert!(results[3].as_ref().unwrap_err().to_string().contains("goes back from page 3 to page 2"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_asked_of_the_configured_host_only() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(images_page(&[99], None))).mount(&elsewhere).await;
    let other = elsewhere.uri();
    serve_images(&server, move |page| {
        let next = (page < 2).then(|| format!("{other}/v2/images?page={}&per_page=2", page + 1));
        ResponseTemplate::new(200).set_body_json(images_page(&[page as i64], next))
    })
    .await;
    let items: Vec<_> = filtered(&client(&server)).stream().try_collect().await.unwrap();
    assert_eq!(ids(&items), [1, 2]);
    assert!(elsewhere.received_requests().await.unwrap().is_empty(), "nothing, and no token, goes to the link's host");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(query(&requests[1], "page").as_deref(), Some("2"));
    assert!(requests.iter().all(|r| r.headers.get("authorization").is_some()));
}

/// A `registries_list_repositoriesV2` page: one repository and the next link's query.
fn repositories_page(name: &str, next: Option<&str>) -> Value {
    let mut page = json!({"repositories": [{"name": name, "registry_name": "my reg"}], "meta": {"total": 3}});
    if let Some(next) = next {
        page["links"] = json!({"pages": {"next": format!("https://api.digitalocean.com/v2/registries/my%20reg/repositoriesV2?{next}")}});
    }
    page
}

#[tokio::test]
async fn the_token_style_sends_each_next_links_page_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/registries/my%20reg/repositoriesV2"))
        .respond_with(|req: &Request| {
            let body = match query(req, "page_token").as_deref() {
                None => repositories_page("a", Some("page=2&page_token=TOKEN2&per_page=1")),
                Some("TOKEN2") => repositories_page("b", Some("page=3&page_token=TOKEN3&per_page=1")),
                Some("TOKEN3") => repositories_page("c", None),
                Some(other) => panic!("unexpected token {other}"),
            };
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    let items: Vec<_> =
        client(&server).container_registries().list_repositories_v2("my reg").per_page(1).stream().try_collect().await.unwrap();
    let names: Vec<&str> = items.iter().map(|r| r.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(Option<String>, Option<String>, Option<String>)> =
        requests.iter().map(|r| (query(r, "page"), query(r, "page_token"), query(r, "per_page"))).collect();
    assert_eq!(
        sent,
        [
            (None, None, Some("1".into())),
            (Some("2".into()), Some("TOKEN2".into()), Some("1".into())),
            (Some("3".into()), Some("TOKEN3".into()), Some("1".into())),
        ]
    );
}

#[tokio::test]
async fn a_page_token_coming_back_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/registries/my%20reg/repositoriesV2"))
        .respond_with(|req: &Request| {
            // Page numbers advance, but the tokens go round in a circle.
            let page = page_of(req);
            let token = if page.is_multiple_of(2) { "A" } else { "B" };
            let next = format!("page={}&page_token={token}", page + 1);
            ResponseTemplate::new(200).set_body_json(repositories_page("x", Some(&next)))
        })
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> =
        client(&server).container_registries().list_repositories_v2("my reg").stream().take(20).collect().await;
    assert_eq!(results.len(), 4, "three repositories, then the error");
    assert!(results[3].as_ref().unwrap_err().to_string().contains("repeats an earlier `page_token`"));
}

fn batch(id: &str) -> Value {
    json!({
        "batch_id": id, "status": "completed", "provider": "openai", "completion_window": "24h",
        "input_file_id": "file-1", "created_at": "2026-04-24T19:45:11Z"
    })
}

#[tokio::test]
async fn the_cursor_style_sends_the_last_id_as_after_until_has_more_is_false() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/batches"))
        .respond_with(|req: &Request| {
            let body = match query(req, "after").as_deref() {
                None => json!({"object": "list", "data": [batch("b1"), batch("b2")], "first_id": "b1", "last_id": "b2", "has_more": true}),
                Some("b2") => json!({"object": "list", "data": [batch("b3")], "first_id": "b3", "last_id": "b3", "has_more": false}),
                Some(other) => panic!("unexpected cursor {other}"),
            };
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server).batch_inference().list_batches().limit(2).stream().try_collect().await.unwrap();
    let ids: Vec<&str> = items.iter().map(|b| b.batch_id.as_str()).collect();
    assert_eq!(ids, ["b1", "b2", "b3"]);
    let requests = server.received_requests().await.unwrap();
    let sent: Vec<(Option<String>, Option<String>)> = requests.iter().map(|r| (query(r, "after"), query(r, "limit"))).collect();
    assert_eq!(sent, [(None, Some("2".into())), (Some("b2".into()), Some("2".into()))]);
    assert!(requests.iter().all(|r| r.headers.get("authorization").unwrap() == "Bearer model-key"));
}

#[tokio::test]
async fn a_cursor_that_comes_back_or_is_missing_ends_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/batches"))
        .respond_with(|req: &Request| {
            let body = match query(req, "after").as_deref() {
                None => json!({"object": "list", "data": [batch("b1")], "last_id": "b1", "has_more": true}),
                Some("b1") => json!({"object": "list", "data": [batch("b2")], "last_id": "b2", "has_more": true}),
                // The server sends the walk back to the first cursor.
                _ => json!({"object": "list", "data": [batch("b3")], "last_id": "b1", "has_more": true}),
            };
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> = client(&server).batch_inference().list_batches().stream().take(20).collect().await;
    assert_eq!(results.len(), 4);
    assert!(results[3].as_ref().unwrap_err().to_string().contains("came back"), "{:?}", results[3]);

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/batches"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"object": "list", "data": [batch("b1")], "has_more": true})))
        .mount(&server)
        .await;
    let results: Vec<Result<_, Error>> = client(&server).batch_inference().list_batches().stream().take(20).collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[1].as_ref().unwrap_err().to_string().contains("no `last_id`"), "{:?}", results[1]);
}
