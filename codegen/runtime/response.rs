//! A successful answer with its metadata, and DigitalOcean's rate-limit figures.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// A successful answer: the decoded body plus the status, headers, rate-limit figures and request id.
///
/// What an operation's `.with_meta()` gives; awaiting the operation gives only the body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Response<T> {
        Response { status, headers, body }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.body
    }

    /// A reference to the decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit figures (`ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset`), when present.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The request id (`x-request-id`), when present.
    pub fn request_id(&self) -> Option<&str> {
        header_str(&self.headers, "x-request-id")
    }

    /// The body and the metadata apart.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.body, self.status, self.headers)
    }

    /// The same metadata with a body transformed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

/// DigitalOcean's rate-limit figures, sent with every answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RateLimit {
    /// The number of requests allowed in the window (`ratelimit-limit`).
    pub limit: u64,
    /// The number of requests left in the window (`ratelimit-remaining`).
    pub remaining: u64,
    /// When the oldest request of the window expires, in Unix seconds (`ratelimit-reset`).
    pub reset: u64,
}

impl RateLimit {
    /// The figures from the headers; `None` unless all three are present and numeric.
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        Some(RateLimit {
            limit: header_u64(headers, "ratelimit-limit")?,
            remaining: header_u64(headers, "ratelimit-remaining")?,
            reset: header_u64(headers, "ratelimit-reset")?,
        })
    }

    /// [`RateLimit::reset`] as a point in time (`None` if the server sent an absurd value).
    pub fn reset_at(&self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_secs(self.reset))
    }
}

/// A header's value as text, when present and visible ASCII.
pub(crate) fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name)?.to_str().ok().map(str::trim)
}

/// A header's value as an unsigned integer, when present and numeric.
pub(crate) fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_str(headers, name)?.parse().ok()
}
