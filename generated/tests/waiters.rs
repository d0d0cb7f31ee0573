//! Waiting for actions against a loopback server: `client.actions().wait(..)` and
//! `wait_for(..)` poll `GET /v2/actions/{id}` until the action completes or errors, with growing
//! intervals, through the client's retries, and never past the deadline.
//!
//! The intervals are a few milliseconds; elapsed times are only checked from below (a wait
//! happened) or against generous bounds that guard against hangs.

use std::time::{Duration, Instant};

use digitalocean::models::{
    ActionLink, ActionStatus, DropletAction, DropletActionType, DropletActionsPostRequest,
};
use digitalocean::{Client, Error, RetryPolicy, WaitOptions};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Longer than any test should take: a wait that reaches it is a hang.
const HANG_GUARD: Duration = Duration::from_secs(20);

/// `wait` run under [`HANG_GUARD`], so that a wait that never ends fails the test.
async fn guarded<T>(wait: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, wait)
        .await
        .expect("the wait should end well before the hang guard")
}

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .token("test-token")
        .base_url(server.uri())
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

/// Short intervals and a deadline far away.
fn quick() -> WaitOptions {
    WaitOptions::default()
        .initial_interval(Duration::from_millis(20))
        .factor(2.0)
        .max_interval(Duration::from_millis(100))
        .timeout(Duration::from_secs(60))
}

fn action(id: i64, status: &str) -> Value {
    json!({
        "action": {
            "id": id,
            "status": status,
            "type": "power_off",
            "started_at": "2024-01-01T00:00:00Z",
            "completed_at": null,
            "resource_id": 7,
            "resource_type": "droplet",
            "region_slug": "nyc3"
        }
    })
}

/// `GET /v2/actions/{id}` answers with `statuses` in turn, the last one from then on.
async fn answer_statuses(server: &MockServer, id: i64, statuses: &[&str]) {
    let url = format!("/v2/actions/{id}");
    let (last, first) = statuses.split_last().unwrap();
    for status in first {
        Mock::given(method("GET"))
            .and(path(url.as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(action(id, status)))
            .up_to_n_times(1)
            .mount(server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(url.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(action(id, last)))
        .mount(server)
        .await;
}

async fn polls(server: &MockServer, id: i64) -> usize {
    let url = format!("/v2/actions/{id}");
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.method.as_str() == "GET" && r.url.path() == url)
        .count()
}

#[tokio::test]
async fn completes_after_two_polls() {
    let server = MockServer::start().await;
    answer_statuses(&server, 42, &["in-progress", "completed"]).await;

    let started = Instant::now();
    let done = guarded(client(&server, fast_retries()).actions().wait(42, quick()))
        .await
        .unwrap();
    let elapsed = started.elapsed();

    assert_eq!(done.id, Some(42));
    assert_eq!(done.status, Some(ActionStatus::Completed));
    assert_eq!(done.type_.as_deref(), Some("power_off"));
    assert_eq!(polls(&server, 42).await, 2);
    // One interval (20 ms) between the two polls.
    assert!(elapsed >= Duration::from_millis(20), "{elapsed:?}");
    assert!(elapsed < HANG_GUARD, "{elapsed:?}");
}

#[tokio::test]
async fn the_interval_grows_between_polls() {
    let server = MockServer::start().await;
    answer_statuses(
        &server,
        43,
        &["in-progress", "in-progress", "in-progress", "completed"],
    )
    .await;
    let options = WaitOptions::default()
        .initial_interval(Duration::from_millis(40))
        .factor(3.0)
        .max_interval(Duration::from_secs(1))
        .timeout(Duration::from_secs(60));

    let started = Instant::now();
    let done = guarded(client(&server, fast_retries()).actions().wait(43, options))
        .await
        .unwrap();
    let elapsed = started.elapsed();

    assert_eq!(done.status, Some(ActionStatus::Completed));
    assert_eq!(polls(&server, 43).await, 4);
    // 40 + 120 + 360 ms; a fixed interval would take 120 ms.
    assert!(elapsed >= Duration::from_millis(520), "{elapsed:?}");
    assert!(elapsed < HANG_GUARD, "{elapsed:?}");
}

#[tokio::test]
async fn an_unknown_status_keeps_polling() {
    let server = MockServer::start().await;
    answer_statuses(
        &server,
        44,
        &["queued-by-a-new-api", "in-progress", "completed"],
    )
    .await;

    let done = guarded(client(&server, fast_retries()).actions().wait(44, quick()))
        .await
        .unwrap();

    assert_eq!(done.status, Some(ActionStatus::Completed));
    assert_eq!(polls(&server, 44).await, 3);
}

#[tokio::test]
async fn an_errored_action_is_an_error_carrying_the_action() {
    let server = MockServer::start().await;
    answer_statuses(&server, 45, &["in-progress", "errored"]).await;

    let err = guarded(client(&server, fast_retries()).actions().wait(45, quick()))
        .await
        .unwrap_err();

    let Error::ActionErrored { action } = &err else {
        panic!("expected ActionErrored, got {err:?}");
    };
    assert_eq!(action.id, Some(45));
    assert_eq!(action.status, Some(ActionStatus::Errored));
    assert_eq!(err.action().and_then(|a| a.resource_id), Some(7));
    assert!(!err.is_timeout());
    assert_eq!(err.to_string(), "action 45 (power_off) errored");
    assert_eq!(polls(&server, 45).await, 2);
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_the_last_status() {
    let server = MockServer::start().await;
    answer_statuses(&server, 46, &["in-progress"]).await;
    let options = quick().timeout(Duration::from_millis(300));

    let started = Instant::now();
    let err = guarded(client(&server, fast_retries()).actions().wait(46, options))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();

    let Error::WaitTimeout {
        action_id,
        action,
        waited,
    } = &err
    else {
        panic!("expected WaitTimeout, got {err:?}");
    };
    assert_eq!(*action_id, 46);
    let last = action.as_ref().expect("the last polled action");
    assert_eq!(last.status, Some(ActionStatus::InProgress));
    assert!(err.is_timeout());
    assert!(*waited >= Duration::from_millis(300), "{waited:?}");
    // It waits to the deadline, not less.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < HANG_GUARD, "{elapsed:?}");
    // 20, 40, 80, 100, 100 ms...: several polls before the deadline.
    assert!(polls(&server, 46).await >= 3);
    assert!(
        err.to_string()
            .contains("its last status was \"in-progress\""),
        "{err}"
    );
}

#[tokio::test]
async fn no_sleep_passes_the_deadline() {
    let server = MockServer::start().await;
    answer_statuses(&server, 47, &["in-progress"]).await;
    // The first interval is far longer than the whole wait.
    let options = WaitOptions::default()
        .initial_interval(Duration::from_secs(600))
        .max_interval(Duration::from_secs(600))
        .timeout(Duration::from_millis(200));

    let started = Instant::now();
    let err = guarded(client(&server, fast_retries()).actions().wait(47, options))
        .await
        .unwrap_err();

    assert!(matches!(err, Error::WaitTimeout { .. }), "{err:?}");
    assert!(started.elapsed() < HANG_GUARD);
    assert_eq!(polls(&server, 47).await, 1);
}

#[tokio::test]
async fn a_poll_still_under_way_at_the_deadline_is_cut_off() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/actions/48"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(action(48, "completed"))
                .set_delay(Duration::from_secs(600)),
        )
        .mount(&server)
        .await;

    let started = Instant::now();
    let err = guarded(
        client(&server, fast_retries())
            .actions()
            .wait(48, quick().timeout(Duration::from_millis(200))),
    )
    .await
    .unwrap_err();

    let Error::WaitTimeout { action, .. } = &err else {
        panic!("expected WaitTimeout, got {err:?}");
    };
    assert!(action.is_none(), "no poll answered");
    assert!(err.to_string().contains("no status was received"), "{err}");
    assert!(started.elapsed() < HANG_GUARD);
}

#[tokio::test]
async fn a_429_while_polling_is_retried_by_the_client() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/actions/49"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"id": "too_many_requests", "message": "slow down"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer_statuses(&server, 49, &["completed"]).await;

    let done = guarded(client(&server, fast_retries()).actions().wait(49, quick()))
        .await
        .unwrap();

    assert_eq!(done.status, Some(ActionStatus::Completed));
    assert_eq!(polls(&server, 49).await, 2);
}

#[tokio::test]
async fn a_429_the_client_gives_up_on_waits_as_the_server_asks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/actions/50"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"id": "too_many_requests", "message": "slow down"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    answer_statuses(&server, 50, &["completed"]).await;

    let started = Instant::now();
    let done = guarded(
        client(&server, RetryPolicy::none())
            .actions()
            .wait(50, quick()),
    )
    .await
    .unwrap();
    let elapsed = started.elapsed();

    assert_eq!(done.status, Some(ActionStatus::Completed));
    assert_eq!(polls(&server, 50).await, 2);
    // Retry-After: 1 rather than the 20 ms interval.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < HANG_GUARD, "{elapsed:?}");
}

#[tokio::test]
async fn a_429_asking_for_more_than_the_deadline_ends_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/actions/51"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "600")
                .set_body_json(json!({"id": "too_many_requests", "message": "slow down"})),
        )
        .mount(&server)
        .await;

    // The client's own retries wait up to 60 s by default; the deadline cuts them off too.
    for policy in [RetryPolicy::none(), RetryPolicy::default()] {
        let started = Instant::now();
        let err = guarded(
            client(&server, policy)
                .actions()
                .wait(51, quick().timeout(Duration::from_millis(300))),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(
                err,
                Error::WaitTimeout {
                    action_id: 51,
                    action: None,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(started.elapsed() < HANG_GUARD);
    }
}

#[tokio::test]
async fn other_errors_end_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/actions/52"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"id": "not_found", "message": "no such action"})),
        )
        .mount(&server)
        .await;

    let err = guarded(client(&server, fast_retries()).actions().wait(52, quick()))
        .await
        .unwrap_err();

    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(polls(&server, 52).await, 1);
}

#[tokio::test]
async fn power_off_a_droplet_then_wait_for_the_action() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/droplets/7/actions"))
        .and(body_json(json!({"type": "power_off"})))
        .respond_with(ResponseTemplate::new(201).set_body_json(action(99, "in-progress")))
        .expect(1)
        .mount(&server)
        .await;
    answer_statuses(&server, 99, &["in-progress", "completed"]).await;
    let client = client(&server, fast_retries());

    let power_off = DropletActionsPostRequest::PowerOff(Box::new(DropletAction::new(DropletActionType::PowerOff)));
    let started = client
        .droplet_actions()
        .post(7, power_off)
        .await
        .unwrap();
    let done = guarded(client.actions().wait_for(&started, quick()))
        .await
        .unwrap();

    assert_eq!(done.id, Some(99));
    assert_eq!(done.status, Some(ActionStatus::Completed));
    assert_eq!(polls(&server, 99).await, 2);
    // The action inside the answer works the same.
    let inner = &started.action;
    let again = guarded(client.actions().wait_for(inner, quick()))
        .await
        .unwrap();
    assert_eq!(again.status, Some(ActionStatus::Completed));
}

#[tokio::test]
async fn a_link_from_links_actions_is_waited_for_and_an_action_without_id_is_refused() {
    let server = MockServer::start().await;
    answer_statuses(&server, 53, &["completed"]).await;
    let client = client(&server, fast_retries());

    // Received, never built: decoded as an answer carries it.
    let link: ActionLink = serde_json::from_value(serde_json::json!({
        "id": 53, "rel": "create", "href": "https://api.digitalocean.com/v2/actions/53"
    }))
    .unwrap();
    let done = guarded(client.actions().wait_for(&link, quick()))
        .await
        .unwrap();
    assert_eq!(done.id, Some(53));

    let no_id = ActionLink::default();
    let err = guarded(client.actions().wait_for(&no_id, quick()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }), "{err:?}");
    assert!(err.to_string().contains("has no id"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
