//! The one error type of the client, and the details of an API error.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::decode::DecodeFailure;
use super::request::Call;
use super::response::{header_str, RateLimit};

/// How many bytes of a body an error keeps when the body is not the documented error JSON.
const RAW_BODY_LIMIT: usize = 4096;
/// How many bytes of a body a decode error keeps.
const SNIPPET_LIMIT: usize = 512;
/// How many bytes of one text from the answer (a message, a body, a decoder's error) `Debug` shows.
const DEBUG_TEXT_LIMIT: usize = 200;

/// Everything that can go wrong when calling the API.
///
/// Use the helpers ([`Error::is_not_found`], [`Error::is_rate_limited`], [`Error::is_timeout`],
/// [`Error::status`], [`Error::api_error`]) for the common questions, or match on the variants.
/// No variant ever contains the API token or the model access key, not even when the server
/// echoes one back (it is replaced by `<redacted>` in what an error keeps of the answer).
///
/// `Debug` prints a summary that fits on a screen (what `fn main() -> Result<(), Error>` shows):
/// the operation, the status, DigitalOcean's error id and message, the request id, or the cause;
/// never the headers, the body or a whole action. The rest is in the fields and accessors.
#[non_exhaustive]
pub enum Error {
    /// The API answered with a status outside 2xx (after any retries).
    Api(Box<ApiError>),
    /// The request could not be sent or its response could not be read
    /// (connection refused or reset, DNS failure, TLS failure, ...).
    Transport {
        /// The operation.
        call: &'static Call,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The request did not complete within the configured timeout.
    Timeout {
        /// The operation.
        call: &'static Call,
        /// The request timeout that was exceeded.
        timeout: Duration,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// One call, its retries and waits included, did not end within the client's total
    /// timeout ([`ClientBuilder::total_timeout`](crate::ClientBuilder::total_timeout)).
    Deadline {
        /// The operation.
        call: &'static Call,
        /// The total timeout that passed.
        total_timeout: Duration,
        /// The number of the attempt the deadline cut (1 for the first).
        attempt: u32,
    },
    /// The body of an answer is larger than the limit
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size), default
    /// [`DEFAULT_MAX_BODY_SIZE`](crate::DEFAULT_MAX_BODY_SIZE)), whatever the answer's status:
    /// reading stopped at the limit, or before reading when its `Content-Length` says so. Not
    /// retried.
    BodyTooLarge {
        /// The operation.
        call: &'static Call,
        /// The status of the answer.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
        /// The length the answer's `Content-Length` announced, when it had one.
        content_length: Option<u64>,
    },
    /// A successful response whose body is not what the operation documents.
    Decode(Box<DecodeError>),
    /// The client is misconfigured (missing token, bad base URL, ...).
    Config {
        /// What is wrong.
        message: String,
    },
    /// The request could not be made: its body did not serialize, its URL or a header is
    /// invalid, or an action to wait for has no id.
    InvalidRequest {
        /// The operation, when the request is one's.
        call: Option<&'static Call>,
        /// What is wrong.
        message: String,
        /// The serializer's error, when there is one.
        source: Option<serde_json::Error>,
    },
    /// An action the client waited for ([`crate::apis::Actions::wait`]) ended with the status
    /// `errored`.
    #[cfg(feature = "actions")]
    ActionErrored {
        /// The action as last polled.
        action: Box<crate::models::Action>,
    },
    /// Waiting for an action ([`crate::apis::Actions::wait`]) passed its deadline
    /// ([`WaitOptions::timeout`](crate::WaitOptions::timeout)) before the action completed.
    #[cfg(feature = "actions")]
    WaitTimeout {
        /// The id of the action.
        action_id: i64,
        /// The action as last polled, with its last status; `None` when no poll answered before
        /// the deadline.
        action: Option<Box<crate::models::Action>>,
        /// How long the client waited.
        waited: Duration,
    },
    /// An event stream failed after its answer arrived (an operation's `.events()`, such as
    /// `create_chat_completion(..).events()`): an error event, an event that does not decode, a
    /// connection that ended early, an event over the size limit (see [`StreamError`]).
    Stream(Box<StreamError>),
    /// A page of a paginated walk (a list operation's `.stream()` or `.pages()`) failed: the error of
    /// that page, with the operation and the page's number in the walk (1 for the first).
    /// The helpers ([`Error::status`], [`Error::is_not_found`], ...) look through it.
    Page {
        /// The list operation.
        call: &'static Call,
        /// The page's number in the walk, from 1.
        page: u64,
        /// What went wrong with that page.
        source: Box<Error>,
    },
    /// A paginated walk cannot go on: the server does not advance (the same `next` link or
    /// cursor again, a page number going back) or its `next` link is unusable. Always inside
    /// an [`Error::Page`].
    Pagination {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config { message: message.into() }
    }

    /// The API error, when the server answered with an error status.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self.innermost() {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The HTTP status of the response that caused the error, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self.innermost() {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True for a `404 Not Found` answer.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND) && self.api_error().is_some()
    }

    /// True for a `429 Too Many Requests` answer (after the retries the policy allowed).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS) && self.api_error().is_some()
    }

    /// True when the request timed out or passed the client's total timeout, or waiting for an
    /// action passed its deadline.
    pub fn is_timeout(&self) -> bool {
        match self.innermost() {
            Error::Timeout { .. } | Error::Deadline { .. } => true,
            #[cfg(feature = "actions")]
            Error::WaitTimeout { .. } => true,
            Error::Stream(stream) => matches!(stream.kind, StreamErrorKind::TimedOut { .. }),
            _ => false,
        }
    }

    /// The action of [`Error::ActionErrored`], or the last polled one of [`Error::WaitTimeout`].
    #[cfg(feature = "actions")]
    pub fn action(&self) -> Option<&crate::models::Action> {
        match self {
            Error::ActionErrored { action } => Some(action),
            Error::WaitTimeout { action, .. } => action.as_deref(),
            _ => None,
        }
    }

    /// The error itself, or for an [`Error::Page`] the error of the page.
    fn innermost(&self) -> &Error {
        match self {
            Error::Page { source, .. } => source.innermost(),
            other => other,
        }
    }

    /// The operation whose request failed, when the error is about one (for an [`Error::Page`],
    /// the list operation).
    pub fn call(&self) -> Option<&'static Call> {
        match self {
            Error::Api(api) => Some(api.call),
            Error::Transport { call, .. }
            | Error::Timeout { call, .. }
            | Error::Deadline { call, .. }
            | Error::BodyTooLarge { call, .. }
            | Error::Page { call, .. } => Some(call),
            Error::Decode(decode) => Some(decode.call),
            Error::Stream(stream) => Some(stream.call),
            Error::InvalidRequest { call, .. } => *call,
            _ => None,
        }
    }

    /// The request id of the failed response (from the error body or the `x-request-id` header).
    pub fn request_id(&self) -> Option<&str> {
        match self.innermost() {
            Error::Api(api) => api.request_id(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            _ => None,
        }
    }

    /// The rate-limit figures of the failed response, when it carried them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        match self.innermost() {
            Error::Api(api) => api.rate_limit,
            Error::Decode(decode) => decode.rate_limit,
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Transport { call, source } => {
                write!(f, "{call}: could not send the request or read the response: {source}")?;
                match root_cause(source) {
                    Some(root) => write!(f, " ({root})"),
                    None => Ok(()),
                }
            }
            Error::Timeout { call, timeout, .. } => {
                write!(f, "{call}: timed out (request timeout {timeout:?})")
            }
            Error::Deadline { call, total_timeout, attempt } => write!(
                f,
                "{call}: gave up after {total_timeout:?} (the client's total timeout), \
                 during attempt {attempt}"
            ),
            Error::BodyTooLarge { call, status, limit, content_length } => {
                write!(
                    f,
                    "{call}: the body of the {status} answer is larger than the limit \
                     of {limit} bytes (ClientBuilder::max_body_size)"
                )?;
                match content_length {
                    Some(length) => write!(f, "; its Content-Length is {length}"),
                    None => f.write_str("; reading stopped there"),
                }
            }
            Error::Decode(decode) => fmt::Display::fmt(decode, f),
            Error::Stream(stream) => fmt::Display::fmt(stream, f),
            Error::Config { message } => write!(f, "invalid client configuration: {message}"),
            Error::InvalidRequest { call, message, source } => {
                if let Some(call) = call {
                    write!(f, "{call}: ")?;
                }
                f.write_str(message)?;
                match source {
                    Some(source) => write!(f, ": {source}"),
                    None => Ok(()),
                }
            }
            #[cfg(feature = "actions")]
            Error::ActionErrored { action } => {
                match action.id {
                    Some(id) => write!(f, "action {id}")?,
                    None => f.write_str("the action")?,
                }
                if let Some(kind) = &action.type_ {
                    write!(f, " ({kind})")?;
                }
                f.write_str(" errored")
            }
            #[cfg(feature = "actions")]
            Error::WaitTimeout { action_id, action, waited } => {
                write!(f, "gave up waiting for action {action_id} after {waited:?}")?;
                match action.as_ref().and_then(|a| a.status.as_ref()) {
                    Some(status) => write!(f, "; its last status was {:?}", status.as_str()),
                    None => f.write_str("; no status was received"),
                }
            }
            Error::Page { call, page, source } => {
                write!(f, "{}, page {page} of the walk: {source}", call.operation)
            }
            Error::Pagination { message } => f.write_str(message),
        }
    }
}

/// A summary, not a dump: the facts `Display` gives, as fields (see [`Error`]).
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => f.debug_tuple("Api").field(api).finish(),
            Error::Transport { call, source } => {
                f.debug_struct("Transport").field("operation", call).field("cause", &Quoted(&debug_cause(source))).finish()
            }
            Error::Timeout { call, timeout, source } => f
                .debug_struct("Timeout")
                .field("operation", call)
                .field("timeout", timeout)
                .field("cause", &Quoted(&debug_cause(source)))
                .finish(),
            Error::Deadline { call, total_timeout, attempt } => {
                f.debug_struct("Deadline").field("operation", call).field("total_timeout", total_timeout).field("attempt", attempt).finish()
            }
            Error::BodyTooLarge { call, status, limit, content_length } => {
                let mut out = f.debug_struct("BodyTooLarge");
                out.field("operation", call);
                out.field("status", &format_args!("{status}"));
                out.field("limit", limit);
                if let Some(length) = content_length {
                    out.field("content_length", length);
                }
                out.finish()
            }
            Error::Decode(decode) => f.debug_tuple("Decode").field(decode).finish(),
            Error::Stream(stream) => f.debug_tuple("Stream").field(stream).finish(),
            Error::Config { message } => f.debug_struct("Config").field("message", message).finish(),
            Error::InvalidRequest { call, message, source } => {
                let mut out = f.debug_struct("InvalidRequest");
                if let Some(call) = call {
                    out.field("operation", call);
                }
                out.field("message", message);
                if let Some(source) = source {
                    out.field("cause", &Quoted(&source.to_string()));
                }
                out.finish()
            }
            #[cfg(feature = "actions")]
            Error::ActionErrored { action } => {
                let mut out = f.debug_struct("ActionErrored");
                if let Some(id) = action.id {
                    out.field("action_id", &id);
                }
                if let Some(kind) = &action.type_ {
                    out.field("type", &Quoted(kind));
                }
                if let Some(status) = &action.status {
                    out.field("status", &Quoted(status.as_str()));
                }
                // The rest of the action (its region with the region's sizes, ...) is in
                // `Error::action`.
                out.finish_non_exhaustive()
            }
            #[cfg(feature = "actions")]
            Error::WaitTimeout { action_id, action, waited } => {
                let mut out = f.debug_struct("WaitTimeout");
                out.field("action_id", action_id);
                out.field("waited", waited);
                if let Some(action) = action {
                    if let Some(kind) = &action.type_ {
                        out.field("type", &Quoted(kind));
                    }
                    if let Some(status) = &action.status {
                        out.field("last_status", &Quoted(status.as_str()));
                    }
                }
                out.finish_non_exhaustive()
            }
            Error::Page { call, page, source } => {
                f.debug_struct("Page").field("operation", call).field("page", page).field("source", source).finish()
            }
            Error::Pagination { message } => f.debug_struct("Pagination").field("message", message).finish(),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } | Error::Timeout { source, .. } => Some(source),
            Error::Decode(decode) => Some(&decode.source),
            Error::Stream(stream) => std::error::Error::source(&**stream),
            Error::InvalidRequest { source: Some(source), .. } => Some(source),
            Error::Page { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// An answer from the API with a status outside 2xx.
///
/// DigitalOcean documents its error bodies as `{"id": "...", "message": "...", "request_id": "..."}`,
/// and a few endpoints in other shapes, which are read into the same fields:
///
/// * `{"code": "...", "message": "..."}` (NFS access points): the `code` is the [`ApiError::id`];
/// * `{"error": "...", "root_causes": ["..."], "messages": [...]}` (tags): the `error` is the
///   [`ApiError::message`], the root causes and messages are the [`ApiError::details`];
/// * `{"error": {"type": "...", "code": "...", "message": "..."}}` (the inference endpoints): the
///   `code` (else the `type`) is the id, the `message` the message.
///
/// When the body is none of these (an HTML page from a proxy, an empty body, other JSON),
/// [`ApiError::raw_body`] holds its first 4 KiB instead.
///
/// `Debug` shows the operation, the status, the id, the message (else the start of the raw body)
/// and the request id; the headers, details and rate-limit figures are in the accessors.
#[derive(Clone)]
pub struct ApiError {
    call: &'static Call,
    status: StatusCode,
    id: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    details: Vec<String>,
    rate_limit: Option<RateLimit>,
    raw_body: Option<String>,
    headers: HeaderMap,
}

/// What a documented error body says, whatever its shape.
#[derive(Default)]
struct ErrorBody {
    id: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    details: Vec<String>,
}

impl ErrorBody {
    /// Reads `body` in any of the documented shapes (see [`ApiError`]); `None` when it has no message.
    fn parse(body: &[u8]) -> Option<ErrorBody> {
        use serde_json::Value;
        // Through the tape the answers are read with, not a second JSON parser.
        let Value::Object(top) = super::tape::Tape::parse(body).ok()?.reader().value() else {
            return None;
        };
        let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
        let mut out = ErrorBody {
            id: text(top.get("id")).or_else(|| text(top.get("code"))),
            message: text(top.get("message")),
            request_id: text(top.get("request_id")),
            details: Vec::new(),
        };
        match top.get("error") {
            Some(Value::String(error)) => {
                out.message.get_or_insert_with(|| error.clone());
            }
            Some(Value::Object(error)) => {
                if out.id.is_none() {
                    out.id = text(error.get("code")).or_else(|| text(error.get("type")));
                }
                if out.message.is_none() {
                    out.message = text(error.get("message"));
                }
            }
            _ => {}
        }
        for key in ["root_causes", "messages"] {
            if let Some(Value::Array(items)) = top.get(key) {
                out.details.extend(items.iter().filter_map(|item| text(Some(item))));
            }
        }
        out.message.is_some().then_some(out)
    }
}

impl ApiError {
    pub(crate) fn from_response(call: &'static Call, status: StatusCode, headers: HeaderMap, body: &[u8]) -> ApiError {
        let parsed = ErrorBody::parse(body);
        let raw_body = match parsed {
            Some(_) => None,
            None => Some(snippet(body, RAW_BODY_LIMIT)),
        };
        let ErrorBody { id, message, request_id, details } = parsed.unwrap_or_default();
        let request_id = request_id.filter(|value| !value.is_empty()).or_else(|| header_str(&headers, "x-request-id").map(str::to_owned));
        ApiError { call, status, id, message, request_id, details, rate_limit: RateLimit::from_headers(&headers), raw_body, headers }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// DigitalOcean's error id, e.g. `not_found` or `unauthorized` (an NFS error's `code`, an
    /// inference error's `error.code` or `error.type`).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// DigitalOcean's human-readable error message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The request id, from the error body or else the `x-request-id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Further lines the body gave: the `root_causes` and `messages` of a tags error. Empty for
    /// most errors.
    pub fn details(&self) -> &[String] {
        &self.details
    }

    /// The rate-limit figures the answer carried.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.rate_limit
    }

    /// The first 4 KiB of the body (lossy UTF-8), when it was not an error body of a documented
    /// shape (see [`ApiError`]).
    pub fn raw_body(&self) -> Option<&str> {
        self.raw_body.as_deref()
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The operation of the failed request: its id, method and path template.
    pub fn call(&self) -> &'static Call {
        self.call
    }

    /// The HTTP method of the failed request.
    pub fn method(&self) -> &Method {
        &self.call.method
    }

    /// The path template of the failed operation.
    pub fn path(&self) -> &'static str {
        self.call.path
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the API answered {}", self.call, self.status)?;
        if let Some(id) = &self.id {
            write!(f, " ({id})")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        } else if let Some(raw) = &self.raw_body {
            let short = truncate_on_char_boundary(raw, 200);
            if !short.trim().is_empty() {
                write!(f, ": {}", short.trim())?;
            }
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("ApiError");
        out.field("operation", self.call);
        out.field("status", &format_args!("{}", self.status));
        if let Some(id) = &self.id {
            out.field("id", &Quoted(id));
        }
        if let Some(message) = &self.message {
            out.field("message", &Quoted(message));
        } else if let Some(raw) = self.raw_body.as_deref().map(str::trim) {
            if !raw.is_empty() {
                out.field("body", &Quoted(raw));
            }
        }
        if let Some(request_id) = &self.request_id {
            out.field("request_id", &Quoted(request_id));
        }
        // The headers, details and rate-limit figures are in the accessors.
        out.finish_non_exhaustive()
    }
}

impl std::error::Error for ApiError {}

/// A 2xx answer whose body could not be decoded into the documented type.
///
/// `Debug` shows the operation, the status, the JSON path, the decoder's message and the request
/// id; the body's snippet and the `Content-Type` are in the fields.
#[non_exhaustive]
pub struct DecodeError {
    /// The operation.
    pub call: &'static Call,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// The answer's `Content-Type`, when it had one (the body is decoded whatever it says).
    pub content_type: Option<String>,
    /// The first 512 bytes of the body (lossy UTF-8, cut on a character boundary).
    pub body_snippet: String,
    /// The length of the whole body in bytes.
    pub body_len: usize,
    /// The request id of the answer (`x-request-id`), when present.
    pub request_id: Option<String>,
    /// The rate-limit figures of the answer, when present.
    pub rate_limit: Option<RateLimit>,
    /// The JSON path of the field that could not be decoded (`droplet.size.price_monthly`,
    /// `droplets[0].id`), when the body is JSON and the failure is in a field.
    pub json_path: Option<String>,
    /// The JSON decoder's error.
    pub source: serde_json::Error,
}

impl DecodeError {
    pub(crate) fn new(call: &'static Call, status: StatusCode, headers: &HeaderMap, body: &[u8], failure: DecodeFailure) -> DecodeError {
        DecodeError {
            call,
            status,
            content_type: header_str(headers, "content-type").map(str::to_owned),
            body_snippet: snippet(body, SNIPPET_LIMIT),
            body_len: body.len(),
            request_id: header_str(headers, "x-request-id").map(str::to_owned),
            rate_limit: RateLimit::from_headers(headers),
            json_path: failure.path,
            source: failure.source,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: could not decode the {} answer (", self.call, self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, "{}, ", truncate_on_char_boundary(content_type, 100))?;
        }
        write!(f, "{} bytes)", self.body_len)?;
        if let Some(field) = &self.json_path {
            write!(f, " at `{field}`")?;
        }
        write!(f, ": {}", self.source)?;
        if self.body_snippet.is_empty() {
            f.write_str("; the body is empty")
        } else {
            write!(f, "; the body starts with {:?}", self.body_snippet)
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("DecodeError");
        out.field("operation", self.call);
        out.field("status", &format_args!("{}", self.status));
        if let Some(json_path) = &self.json_path {
            out.field("json_path", &Quoted(json_path));
        }
        out.field("cause", &Quoted(&self.source.to_string()));
        if let Some(request_id) = &self.request_id {
            out.field("request_id", &Quoted(request_id));
        }
        // The body's snippet and length and the `Content-Type` are in the fields.
        out.finish_non_exhaustive()
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// A failure of an event stream after its answer arrived. Every kind but
/// [`StreamErrorKind::Decode`] ends the stream.
///
/// `Debug` shows the operation, the event's number and what went wrong (as `Display` does), not
/// the event's data.
#[non_exhaustive]
pub struct StreamError {
    /// The operation.
    pub call: &'static Call,
    /// Which event, counting from 1 the events with data the server sent: for an event that
    /// failed ([`StreamErrorKind::Server`], [`StreamErrorKind::Decode`]) its number, for a
    /// failure of the stream itself the number the next event would have had.
    pub event: u64,
    /// What went wrong.
    pub kind: StreamErrorKind,
}

/// What went wrong in an event stream; see [`StreamError`].
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamErrorKind {
    /// The server reported an error inside the stream (`event: error`, or data that is an
    /// error object such as `{"error": {"message": ...}}`).
    Server {
        /// The error's message, when the data has one (`error.message` or `message`).
        message: Option<String>,
        /// The error's code or type, when the data has one (`error.code`, `error.type`).
        code: Option<String>,
        /// The first 512 bytes of the event's data.
        data: String,
    },
    /// The event's data is not the documented type. The stream goes on with the next event.
    Decode {
        /// The JSON path of the field that could not be decoded, when known.
        json_path: Option<String>,
        /// The first 512 bytes of the event's data.
        data: String,
        /// The JSON decoder's error.
        source: serde_json::Error,
    },
    /// The connection ended before the stream was complete: before `data: [DONE]` (for the
    /// streams that end with it) or in the middle of an event.
    Incomplete,
    /// An event was larger than the limit (`ClientBuilder::max_event_size`, default
    /// [`DEFAULT_MAX_EVENT_SIZE`](super::DEFAULT_MAX_EVENT_SIZE)).
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Reading the stream failed (connection reset, ...).
    Read(reqwest::Error),
    /// Nothing arrived within the timeout: neither the answer nor, once it started, the next
    /// bytes of the stream (keep-alives count).
    TimedOut {
        /// The configured timeout.
        timeout: Duration,
    },
    /// The bytes are not a valid event stream (invalid UTF-8).
    Malformed {
        /// The parser's error.
        message: String,
    },
    /// The successful answer is not `text/event-stream`.
    NotEventStream {
        /// The answer's `Content-Type`, when it had one.
        content_type: Option<String>,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: event stream, event {}: {}", self.call, self.event, KindText(&self.kind))
    }
}

impl fmt::Debug for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamError")
            .field("operation", self.call)
            .field("event", &self.event)
            .field("error", &Quoted(&KindText(&self.kind).to_string()))
            .finish_non_exhaustive()
    }
}

/// What went wrong in an event stream, in words (the end of [`StreamError`]'s `Display`).
struct KindText<'a>(&'a StreamErrorKind);

impl fmt::Display for KindText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            StreamErrorKind::Server { message, code, data } => {
                f.write_str("the server sent an error")?;
                if let Some(code) = code {
                    write!(f, " ({code})")?;
                }
                match message {
                    Some(message) => write!(f, ": {message}"),
                    None => write!(f, ": {:?}", truncate_on_char_boundary(data, 200)),
                }
            }
            StreamErrorKind::Decode { json_path, source, .. } => {
                f.write_str("could not decode the event")?;
                if let Some(field) = json_path {
                    write!(f, " at `{field}`")?;
                }
                write!(f, ": {source}")
            }
            StreamErrorKind::Incomplete => f.write_str("the connection ended before the stream was complete"),
            StreamErrorKind::TooLarge { limit } => write!(f, "the event is larger than {limit} bytes"),
            StreamErrorKind::Read(source) => {
                // The error's own text has the URL; its cause says what happened.
                let cause = std::error::Error::source(source).map_or_else(|| source.to_string(), ToString::to_string);
                write!(f, "could not read the stream: {cause}")
            }
            StreamErrorKind::TimedOut { timeout } => write!(f, "nothing arrived within {timeout:?}"),
            StreamErrorKind::Malformed { message } => write!(f, "not a valid event stream: {message}"),
            StreamErrorKind::NotEventStream { content_type } => {
                write!(f, "the answer is {}, not text/event-stream", content_type.as_deref().unwrap_or("without a Content-Type"))
            }
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            StreamErrorKind::Decode { source, .. } => Some(source),
            StreamErrorKind::Read(source) => Some(source),
            _ => None,
        }
    }
}

/// A text from the answer in a `Debug` summary: quoted and escaped, so that it stays on one
/// line, and cut after [`DEBUG_TEXT_LIMIT`] bytes, marked by `...` after the closing quote.
struct Quoted<'a>(&'a str);

impl fmt::Debug for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = truncate_on_char_boundary(self.0, DEBUG_TEXT_LIMIT);
        fmt::Debug::fmt(shown, f)?;
        if shown.len() < self.0.len() {
            f.write_str("...")?;
        }
        Ok(())
    }
}

/// The innermost source of a transport error. reqwest's own text is general ("error sending
/// request for url (...)"); the root cause says what happened ("invalid HTTP version parsed",
/// "connection reset by peer", "operation timed out").
fn root_cause(err: &reqwest::Error) -> Option<&(dyn std::error::Error + 'static)> {
    let mut root = std::error::Error::source(err)?;
    while let Some(next) = root.source() {
        root = next;
    }
    Some(root)
}

/// The cause a transport error's `Debug` shows: its root cause, else its own text.
fn debug_cause(err: &reqwest::Error) -> String {
    root_cause(err).map_or_else(|| err.to_string(), ToString::to_string)
}

/// The first `limit` bytes of `body` as text (invalid UTF-8 replaced), never cutting a character.
pub(crate) fn snippet(body: &[u8], limit: usize) -> String {
    // Take a little more than the limit so that a character cut by the slice is only dropped
    // after the lossy conversion, then cut on a character boundary.
    let head = &body[..body.len().min(limit.saturating_add(4))];
    let text = String::from_utf8_lossy(head);
    truncate_on_char_boundary(&text, limit).to_owned()
}

/// `text` cut to at most `limit` bytes on a character boundary.
fn truncate_on_char_boundary(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
