//! Waiting for an action: polling `GET /v2/actions/{action_id}` until its status is `completed`
//! or `errored`, with a growing interval and a deadline. Compiled with the `actions` feature, whose
//! `Action` model it returns.

use std::time::{Duration, SystemTime};

use reqwest::Method;
use tokio::time::Instant;

use crate::models::{Action, ActionStatus};
use crate::runtime::client::Client;
use crate::runtime::error::Error;
use crate::runtime::request::{Call, Request};
use crate::runtime::retry::retry_after;

/// How often and how long to poll an action ([`crate::apis::Actions::wait`]).
///
/// The first poll is sent at once; then the client waits `initial_interval`, and every later
/// interval is the previous one times `factor`, up to `max_interval`. After a `429` answer it
/// waits at least as long as the server asks (`Retry-After`, `ratelimit-reset`). Nothing waits
/// past `timeout`: a sleep ends at the deadline, a poll still under way there (with the retries
/// the client's [`RetryPolicy`](crate::RetryPolicy) makes) is cut off, and the wait ends with
/// [`Error::WaitTimeout`](crate::Error::WaitTimeout).
///
/// ```
/// use std::time::Duration;
/// use digitalocean::WaitOptions;
///
/// let options = WaitOptions::default()
///     .initial_interval(Duration::from_secs(2))
///     .factor(2.0)
///     .max_interval(Duration::from_secs(30))
///     .timeout(Duration::from_secs(600));
/// assert_eq!(options.get_timeout(), Duration::from_secs(600));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct WaitOptions {
    initial_interval: Duration,
    factor: f64,
    max_interval: Duration,
    timeout: Duration,
}

/// The shortest interval between two polls.
const MIN_INTERVAL: Duration = Duration::from_millis(1);

impl Default for WaitOptions {
    /// 1 s between the first polls, growing ×1.5 up to 10 s, for at most 5 minutes.
    fn default() -> Self {
        WaitOptions {
            initial_interval: Duration::from_secs(1),
            factor: 1.5,
            max_interval: Duration::from_secs(10),
            timeout: Duration::from_secs(300),
        }
    }
}

impl WaitOptions {
    /// The wait after the first poll (at least 1 ms).
    pub fn initial_interval(mut self, interval: Duration) -> WaitOptions {
        self.initial_interval = interval.max(MIN_INTERVAL);
        self
    }

    /// How much each interval grows over the previous one (below 1, or NaN, is taken as 1:
    /// a fixed interval).
    pub fn factor(mut self, factor: f64) -> WaitOptions {
        self.factor = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// The longest interval between two polls (at least 1 ms).
    pub fn max_interval(mut self, interval: Duration) -> WaitOptions {
        self.max_interval = interval.max(MIN_INTERVAL);
        self
    }

    /// How long to wait in all, from the call to the deadline.
    pub fn timeout(mut self, timeout: Duration) -> WaitOptions {
        self.timeout = timeout;
        self
    }

    /// The wait after the first poll.
    pub fn get_initial_interval(&self) -> Duration {
        self.initial_interval
    }

    /// The growth factor of the interval.
    pub fn get_factor(&self) -> f64 {
        self.factor
    }

    /// The longest interval between two polls.
    pub fn get_max_interval(&self) -> Duration {
        self.max_interval
    }

    /// How long to wait in all.
    pub fn get_timeout(&self) -> Duration {
        self.timeout
    }

    /// The interval after `interval`: `interval * factor`, capped by `max_interval`.
    fn next_interval(&self, interval: Duration) -> Duration {
        Duration::try_from_secs_f64(interval.as_secs_f64() * self.factor).unwrap_or(self.max_interval).min(self.max_interval)
    }

    /// The first interval (never above `max_interval`).
    fn first_interval(&self) -> Duration {
        self.initial_interval.min(self.max_interval)
    }
}

/// The operation the waiter polls (`actions_get`).
const GET_ACTION: &Call = &Call::new("actions_get", Method::GET, "/v2/actions/{action_id}");

/// Something that names an action: an action returned by any call (a Droplet, volume,
/// image, floating IP or reserved IP action, or the answer that wraps one), an entry of
/// `links.actions` (Droplet create, ...), or the action's id itself.
///
/// [`crate::apis::Actions::wait_for`] takes any of them.
pub trait ActionRef {
    /// The action's id, when known.
    fn action_id(&self) -> Option<i64>;
}

impl ActionRef for i64 {
    fn action_id(&self) -> Option<i64> {
        Some(*self)
    }
}

impl<T: ActionRef + ?Sized> ActionRef for &T {
    fn action_id(&self) -> Option<i64> {
        (**self).action_id()
    }
}

impl<T: ActionRef> ActionRef for Option<T> {
    fn action_id(&self) -> Option<i64> {
        self.as_ref().and_then(ActionRef::action_id)
    }
}

super::object! {
    /// The answer of `GET /v2/actions/{action_id}`, with the action required.
    pub struct ActionAnswer: received, slots {
        pub action: Action = "action" (required, always),
    }
}

// The part of `impl Client` that waits for an action (the other parts: see `client.rs`).
impl Client {
    /// Polls the action `action` names until it completes or errors, or `options`'
    /// deadline passes.
    pub(crate) async fn wait_for_action(&self, action: &impl ActionRef, options: &WaitOptions) -> Result<Action, Error> {
        let Some(id) = action.action_id() else {
            return Err(Error::InvalidRequest {
                call: Some(GET_ACTION),
                message: "the action to wait for has no id".to_owned(),
                source: None,
            });
        };
        self.wait_for_action_id(id, options).await
    }

    /// Polls the action `id` until it completes or errors, or `options`' deadline passes.
    pub(crate) async fn wait_for_action_id(&self, id: i64, options: &WaitOptions) -> Result<Action, Error> {
        let started = Instant::now();
        let deadline =
            started.checked_add(options.timeout).or_else(|| started.checked_add(Duration::from_secs(365 * 24 * 3600))).unwrap_or(started);
        let timeout = |last: Option<Action>| Error::WaitTimeout { action_id: id, action: last.map(Box::new), waited: started.elapsed() };
        let mut last: Option<Action> = None;
        let mut interval = options.first_interval();
        let mut polls: u32 = 0;
        loop {
            polls += 1;
            let request = Request::new(GET_ACTION, format!("/v2/actions/{id}"));
            let outcome = tokio::time::timeout_at(deadline, self.send_json::<ActionAnswer>(request)).await;
            let mut wait = interval;
            match outcome {
                Err(_elapsed) => return Err(timeout(last)),
                Ok(Ok(response)) => {
                    let action = response.into_inner().action;
                    let status = action.status.as_ref().map(ActionStatus::as_str);
                    tracing::debug!(action_id = id, polls, status, "action polled");
                    match action.status {
                        Some(ActionStatus::Completed) => return Ok(action),
                        Some(ActionStatus::Errored) => return Err(Error::ActionErrored { action: Box::new(action) }),
                        // In progress, unknown or absent: poll again.
                        _ => last = Some(action),
                    }
                }
                Ok(Err(err)) if err.is_rate_limited() => {
                    // The client's retries gave up on the 429: wait as the server asks.
                    let asked = server_wait(&err).unwrap_or_default();
                    tracing::info!(action_id = id, polls, "rate limited while polling");
                    wait = wait.max(asked);
                }
                Ok(Err(err)) => return Err(err),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(timeout(last));
            }
            let next = now.checked_add(wait).unwrap_or(deadline);
            if next >= deadline {
                // The next poll would come at or after the deadline: wait to it and stop.
                tokio::time::sleep_until(deadline).await;
                return Err(timeout(last));
            }
            tokio::time::sleep_until(next).await;
            interval = options.next_interval(interval);
        }
    }
}

/// How long a `429` answer asks to wait: `Retry-After`, else until `ratelimit-reset`.
fn server_wait(err: &Error) -> Option<Duration> {
    let api = err.api_error()?;
    let now = SystemTime::now();
    retry_after(api.headers(), now).or_else(|| {
        let reset_at = api.rate_limit()?.reset_at()?;
        Some(reset_at.duration_since(now).unwrap_or_default())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_grow_by_the_factor_up_to_the_maximum() {
        let options = WaitOptions::default();
        let mut interval = options.first_interval();
        let mut seen = vec![interval];
        for _ in 0..7 {
            interval = options.next_interval(interval);
            seen.push(interval);
        }
        let millis: Vec<u128> = seen.iter().map(Duration::as_millis).collect();
        assert_eq!(millis, [1000, 1500, 2250, 3375, 5062, 7593, 10000, 10000]);
    }

    #[test]
    fn odd_settings_neither_panic_nor_poll_in_a_busy_loop() {
        let options = WaitOptions::default().initial_interval(Duration::ZERO).max_interval(Duration::ZERO).factor(f64::NAN);
        assert_eq!(options.first_interval(), MIN_INTERVAL);
        assert_eq!(options.next_interval(MIN_INTERVAL), MIN_INTERVAL);
        assert_eq!(options.get_factor(), 1.0);

        let huge = WaitOptions::default().factor(f64::INFINITY).max_interval(Duration::MAX);
        assert_eq!(huge.next_interval(Duration::from_secs(1)), Duration::MAX);
        let shrinking = WaitOptions::default().factor(0.5);
        assert_eq!(shrinking.next_interval(Duration::from_secs(2)), Duration::from_secs(2));
        let capped = WaitOptions::default().initial_interval(Duration::from_secs(60)).max_interval(Duration::from_secs(5));
        assert_eq!(capped.first_interval(), Duration::from_secs(5));
    }
}
