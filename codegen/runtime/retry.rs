//! When to retry a request and how long to wait before doing so.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::response::{header_str, header_u64};

/// Bounded retries with exponential backoff and jitter.
///
/// A request is retried when the answer is `429 Too Many Requests` (for every method), or
/// `500`, `502`, `503`, `504` or a connection error (for idempotent methods: `GET`, `HEAD`,
/// `PUT`, `DELETE`, `OPTIONS`, `TRACE`; for the others only with
/// [`RetryPolicy::retry_non_idempotent`]). A request that timed out is not retried.
///
/// The wait before retry `n` (1-based) is `base_delay * 2^(n-1)`, capped by `max_delay`, with
/// random jitter taking up to half of it off. When the answer says how long to wait
/// (`Retry-After` in seconds or as an HTTP date, or DigitalOcean's `ratelimit-reset` on a 429),
/// that wait is used instead, capped by `max_retry_wait` (60 s by default), however far away
/// it is. A `Retry-After` that is neither a number of seconds nor an HTTP date (negative,
/// fractional, garbage) is ignored, and so is one that asks for no wait: the backoff applies.
/// A wait that would end after the client's total timeout
/// ([`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout)) is not taken: the
/// call ends with the answer that asked for it.
///
/// ```
/// use std::time::Duration;
/// use digitalocean::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(5))
///     .retry_non_idempotent(true);
/// assert_eq!(policy.get_max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().get_max_attempts(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_wait: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// 3 attempts in all, 500 ms base delay, 8 s maximum backoff, 60 s maximum server-indicated
    /// wait, idempotent methods only (and 429 for every method).
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_wait: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries: every request is sent once.
    pub fn none() -> RetryPolicy {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// The number of attempts in all, the first one included (0 is taken as 1).
    pub fn max_attempts(mut self, attempts: u32) -> RetryPolicy {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; it doubles on each later retry.
    pub fn base_delay(mut self, delay: Duration) -> RetryPolicy {
        self.base_delay = delay;
        self
    }

    /// The longest backoff between two attempts.
    pub fn max_delay(mut self, delay: Duration) -> RetryPolicy {
        self.max_delay = delay;
        self
    }

    /// The longest wait taken from `Retry-After` or `ratelimit-reset`.
    pub fn max_retry_wait(mut self, wait: Duration) -> RetryPolicy {
        self.max_retry_wait = wait;
        self
    }

    /// Whether `POST` and `PATCH` requests are retried on 5xx answers and connection errors too
    /// (they are always retried on 429, which the server answers without acting on the request).
    pub fn retry_non_idempotent(mut self, retry: bool) -> RetryPolicy {
        self.retry_non_idempotent = retry;
        self
    }

    /// The number of attempts in all.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// What to do after attempt number `attempt` (from 1) of a request sent with `method`
    /// saw `seen`: a pure function of its arguments, the clock and chance included (`moment`).
    pub(crate) fn decide(&self, method: &Method, attempt: u32, seen: Seen<'_>, moment: Moment) -> Decision {
        let wait = match seen {
            Seen::Kept | Seen::Unfinished => None,
            Seen::Refused(status, headers) => self.after_status(method, status, headers, attempt, moment),
            // A timeout after connecting may have reached the server; a request the HTTP
            // client could not build fails the same way again.
            Seen::Failed { timeout, connect, builder } if (timeout && !connect) || builder => None,
            Seen::Failed { .. } => self.after_connection_error(method, attempt, moment.jitter),
        };
        match wait {
            None => Decision::Finish,
            Some(wait) if moment.left.is_some_and(|left| wait >= left) => Decision::TooLate(wait),
            Some(wait) => Decision::Retry(wait),
        }
    }

    /// The wait before the next attempt after an answer with `status`, or `None` not to retry.
    fn after_status(&self, method: &Method, status: StatusCode, headers: &HeaderMap, attempt: u32, moment: Moment) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let retryable = match status.as_u16() {
            429 => true,
            500 | 502 | 503 | 504 => self.allows(method),
            _ => false,
        };
        if !retryable {
            return None;
        }
        let server_wait = retry_after(headers, moment.now).or_else(|| {
            if status == StatusCode::TOO_MANY_REQUESTS {
                rate_limit_reset_wait(headers, moment.now)
            } else {
                None
            }
        });
        match server_wait {
            Some(wait) if !wait.is_zero() => Some(wait.min(self.max_retry_wait)),
            _ => Some(self.backoff(attempt, moment.jitter)),
        }
    }

    /// The wait before the next attempt after a connection error, or `None` not to retry.
    fn after_connection_error(&self, method: &Method, attempt: u32, jitter: f64) -> Option<Duration> {
        if attempt >= self.max_attempts || !self.allows(method) {
            return None;
        }
        Some(self.backoff(attempt, jitter))
    }

    fn allows(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    /// Exponential backoff for retry number `attempt`, with `jitter` (in `[0, 1)`) keeping that
    /// part of its second half.
    fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let full = self.base_delay.saturating_mul(1u32 << exponent).min(self.max_delay);
        let half = full / 2;
        half.saturating_add(half.mul_f64(jitter))
    }
}

fn is_idempotent(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

/// The wait a `Retry-After` header asks for: delay-seconds (digits only; more than fit in a
/// `u64` is taken as the longest wait there is) or an HTTP date (one in the past is no wait).
/// Anything else (negative, fractional, garbage) is `None`, as if the header were absent.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header_str(headers, "retry-after")?;
    if !value.is_empty() && value.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(value.parse::<u64>().map_or(Duration::MAX, Duration::from_secs));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait until DigitalOcean's `ratelimit-reset` (Unix seconds).
fn rate_limit_reset_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let reset = header_u64(headers, "ratelimit-reset")?;
    let reset_at = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(reset_at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// What an attempt saw, as far as retrying goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seen<'a> {
    /// A successful answer: the call's.
    Kept,
    /// An answer with a status outside 2xx, and its headers.
    Refused(StatusCode, &'a HeaderMap),
    /// No answer: the connection failed or timed out, or the request could not be built.
    Failed { timeout: bool, connect: bool, builder: bool },
    /// An answer not read whole: too large, or none in time for an event stream. Never retried.
    Unfinished,
}

/// The clock and chance a decision depends on, given to it so that it is a pure function.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moment {
    /// The time now (for `Retry-After` dates and `ratelimit-reset`).
    pub now: SystemTime,
    /// The time left before the client's total timeout, if it has one.
    pub left: Option<Duration>,
    /// A random number in `[0, 1)` for the backoff's jitter.
    pub jitter: f64,
}

impl Moment {
    /// Now, with `left` before the total timeout and a fresh random jitter.
    pub(crate) fn now(left: Option<Duration>) -> Moment {
        Moment { now: SystemTime::now(), left, jitter: random_unit() }
    }
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The attempt's outcome is the call's: its answer, or its error.
    Finish,
    /// Send the request again after this wait.
    Retry(Duration),
    /// A retry was due after this wait, but it would start after the total timeout: the
    /// attempt's outcome is the call's.
    TooLate(Duration),
}

/// A random number in `[0, 1)`, from the standard library's randomly keyed hasher.
fn random_unit() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    hasher.write_u32(nanos);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    //! The retry decision, without a server: the clock and the jitter are given.

    use super::*;
    use reqwest::header::HeaderValue;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    /// 1,000,000 s after the epoch, no total timeout, no jitter (the backoff's lower half).
    fn moment() -> Moment {
        Moment { now: UNIX_EPOCH + secs(1_000_000), left: None, jitter: 0.0 }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    /// The decision of the default policy after attempt `attempt` got `status` with `headers`.
    fn after(method: Method, status: u16, headers: &HeaderMap, attempt: u32) -> Decision {
        let status = StatusCode::from_u16(status).unwrap();
        RetryPolicy::default().decide(&method, attempt, Seen::Refused(status, headers), moment())
    }

    #[test]
    fn a_success_or_an_unfinished_answer_is_the_calls() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.decide(&Method::GET, 1, Seen::Kept, moment()), Decision::Finish);
        assert_eq!(policy.decide(&Method::GET, 1, Seen::Unfinished, moment()), Decision::Finish);
    }

    #[test]
    fn which_statuses_are_retried_for_which_methods() {
        let none = HeaderMap::new();
        // 429 for every method; 5xx (but 501) only for idempotent ones; 4xx never.
        assert_eq!(after(Method::POST, 429, &none, 1), Decision::Retry(ms(250)));
        for status in [500, 502, 503, 504] {
            assert_eq!(after(Method::GET, status, &none, 1), Decision::Retry(ms(250)), "{status}");
            assert_eq!(after(Method::DELETE, status, &none, 1), Decision::Retry(ms(250)), "{status}");
            assert_eq!(after(Method::POST, status, &none, 1), Decision::Finish, "{status}");
            assert_eq!(after(Method::PATCH, status, &none, 1), Decision::Finish, "{status}");
        }
        for status in [400, 401, 404, 409, 422, 501] {
            assert_eq!(after(Method::GET, status, &none, 1), Decision::Finish, "{status}");
        }
        let opted_in = RetryPolicy::default().retry_non_idempotent(true);
        let seen = Seen::Refused(StatusCode::INTERNAL_SERVER_ERROR, &none);
        assert_eq!(opted_in.decide(&Method::POST, 1, seen, moment()), Decision::Retry(ms(250)));
    }

    #[test]
    fn the_backoff_doubles_keeps_its_jitter_in_the_upper_half_and_stops_at_the_last_attempt() {
        let policy = RetryPolicy::default().max_attempts(10);
        let seen = Seen::Refused(StatusCode::SERVICE_UNAVAILABLE, &HeaderMap::new());
        let wait = |attempt, jitter| {
            let moment = Moment { jitter, ..moment() };
            policy.decide(&Method::GET, attempt, seen, moment)
        };
        assert_eq!(wait(1, 0.0), Decision::Retry(ms(250)));
        assert_eq!(wait(1, 0.5), Decision::Retry(ms(375)));
        assert_eq!(wait(2, 0.0), Decision::Retry(ms(500)));
        assert_eq!(wait(3, 0.0), Decision::Retry(ms(1000)));
        // Capped by the 8 s maximum before the jitter.
        assert_eq!(wait(9, 0.0), Decision::Retry(secs(4)));
        assert_eq!(wait(9, 0.5), Decision::Retry(secs(6)));
        assert_eq!(wait(10, 0.0), Decision::Finish);
        assert_eq!(RetryPolicy::none().decide(&Method::GET, 1, seen, moment()), Decision::Finish);
    }

    #[test]
    fn the_servers_wait_is_taken_capped_and_nonsense_is_ignored() {
        let wait = |name: &'static str, value: &str| after(Method::GET, 429, &headers(&[(name, value)]), 1);
        assert_eq!(wait("retry-after", "30"), Decision::Retry(secs(30)));
        // An HTTP date 40 s after now.
        assert_eq!(wait("retry-after", "Mon, 12 Jan 1970 13:47:20 GMT"), Decision::Retry(secs(40)));
        // DigitalOcean's reset time, in Unix seconds, on a 429 only.
        assert_eq!(wait("ratelimit-reset", "1000045"), Decision::Retry(secs(45)));
        let reset = headers(&[("ratelimit-reset", "1000045")]);
        assert_eq!(after(Method::GET, 503, &reset, 1), Decision::Retry(ms(250)));
        for huge in ["1000000000000", "18446744073709551615", "99999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"] {
            assert_eq!(wait("retry-after", huge), Decision::Retry(secs(60)), "Retry-After: {huge}");
        }
        // No wait, or none that makes sense: the backoff.
        for nonsense in ["-5", "-1000000000000", "1.5", "+5", "soon", "", "0", "Thu, 01 Jan 1970 00:00:00 GMT"] {
            assert_eq!(wait("retry-after", nonsense), Decision::Retry(ms(250)), "Retry-After: {nonsense:?}");
        }
        for reset in ["18446744073709551615", "-1", "tomorrow", "999999"] {
            let decision = wait("ratelimit-reset", reset);
            assert!(matches!(decision, Decision::Retry(w) if w <= secs(60)), "ratelimit-reset: {reset:?}: {decision:?}");
        }
        // A policy's own cap, for either header and any method.
        let capped = RetryPolicy::default().max_retry_wait(ms(50));
        for (name, value) in [("retry-after", "3600"), ("retry-after", "1000000000000"), ("ratelimit-reset", "1003600")] {
            let asked = headers(&[(name, value)]);
            let seen = Seen::Refused(StatusCode::TOO_MANY_REQUESTS, &asked);
            assert_eq!(capped.decide(&Method::POST, 1, seen, moment()), Decision::Retry(ms(50)), "{name}: {value}");
        }
    }

    #[test]
    fn connection_errors_are_retried_but_not_timeouts_after_connecting_nor_unbuildable_requests() {
        let policy = RetryPolicy::default();
        let failed = |timeout, connect, builder| Seen::Failed { timeout, connect, builder };
        let decide = |method: Method, seen| policy.decide(&method, 1, seen, moment());
        assert_eq!(decide(Method::GET, failed(false, true, false)), Decision::Retry(ms(250)));
        assert_eq!(decide(Method::GET, failed(true, true, false)), Decision::Retry(ms(250)));
        assert_eq!(decide(Method::GET, failed(false, false, false)), Decision::Retry(ms(250)));
        assert_eq!(decide(Method::GET, failed(true, false, false)), Decision::Finish);
        assert_eq!(decide(Method::GET, failed(false, false, true)), Decision::Finish);
        assert_eq!(decide(Method::POST, failed(false, true, false)), Decision::Finish);
    }

    #[test]
    fn a_wait_that_would_pass_the_total_timeout_is_not_taken() {
        let policy = RetryPolicy::default();
        let limited = headers(&[("retry-after", "30")]);
        let seen = Seen::Refused(StatusCode::TOO_MANY_REQUESTS, &limited);
        let with_left = |left| Moment { left: Some(left), ..moment() };
        assert_eq!(policy.decide(&Method::GET, 1, seen, with_left(secs(31))), Decision::Retry(secs(30)));
        assert_eq!(policy.decide(&Method::GET, 1, seen, with_left(secs(30))), Decision::TooLate(secs(30)));
        assert_eq!(policy.decide(&Method::GET, 1, seen, with_left(Duration::ZERO)), Decision::TooLate(secs(30)));
    }
}
