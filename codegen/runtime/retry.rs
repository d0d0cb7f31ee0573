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
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
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

    /// The wait before the next attempt after an answer with `status`, or `None` not to retry.
    /// `attempt` is the 1-based number of the attempt that got this answer.
    pub(crate) fn after_status(
        &self,
        method: &Method,
        status: StatusCode,
        headers: &HeaderMap,
        attempt: u32,
    ) -> Option<Duration> {
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
        let now = SystemTime::now();
        let server_wait = retry_after(headers, now).or_else(|| {
            if status == StatusCode::TOO_MANY_REQUESTS {
                rate_limit_reset_wait(headers, now)
            } else {
                None
            }
        });
        match server_wait {
            Some(wait) if !wait.is_zero() => Some(wait.min(self.max_retry_wait)),
            _ => Some(self.backoff(attempt)),
        }
    }

    /// The wait before the next attempt after a connection error, or `None` not to retry.
    pub(crate) fn after_connection_error(&self, method: &Method, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts || !self.allows(method) {
            return None;
        }
        Some(self.backoff(attempt))
    }

    fn allows(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    /// Exponential backoff for retry number `attempt`, with jitter removing up to half of it.
    fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        let half = full / 2;
        half.saturating_add(half.mul_f64(random_unit()))
    }
}

fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ]
    .contains(method)
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

/// A random number in `[0, 1)`, from the standard library's randomly keyed hasher.
fn random_unit() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    hasher.write_u32(nanos);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
