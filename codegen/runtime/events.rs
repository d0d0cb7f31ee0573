//! Server-sent events: the answers of the operations' `.events()` (`create_chat_completion`,
//! ...), decoded event by event into a [`EventStream`].
//!
//! The SSE syntax (fields, multi-line `data:`, comments, CR/LF/CRLF line ends, events split
//! across reads) is parsed by the `sse-stream` crate. Chosen over `eventsource-stream` 0.2.3:
//! that one has had no release since 2022, re-parses its whole buffer on every read (quadratic
//! in an event's size) and pulls in `nom`; `sse-stream` (0.3, released 2025, the parser of the
//! official Rust MCP SDK) scans with `memchr`, handles all three line ends and comments, and its
//! dependencies but `thiserror` are already in this crate's tree. It buffers an incomplete event
//! without bound and drops it silently at the end of the input, so the reader below, before it,
//! counts the bytes since the last event boundary: it enforces the size limit and tells a
//! connection that ended in the middle of an event from one that ended between events.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::fields::Decode;
use bytes::Bytes;
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde_json::Value;
use sse_stream::{Sse, SseByteStream};

use super::client::Client;
use super::decode::decode_json;
use super::error::{snippet, Error, StreamError, StreamErrorKind};
use super::request::{Call, Request};
use super::response::{header_str, RateLimit};
use super::secrets::Secrets;

/// How many bytes of an event's data an error keeps.
const DATA_SNIPPET_LIMIT: usize = 512;

/// The events of a streaming answer, in order, each decoded as `T`.
///
/// Call [`EventStream::next`] until it gives `None`, or use it as a
/// [`futures_core::Stream`](futures_util::Stream). The stream ends (`None`) when the server
/// says it is complete: `data: [DONE]`, or, for the operations whose streams have no such
/// sentinel, the end of the connection after a whole event. Anything else that ends it is an
/// `Err` item ([`Error::Stream`]): an error event, a connection that ended too early or broke,
/// an event over the size limit, no bytes (keep-alives count) within the client's timeout. An
/// event that does not decode as `T` is an `Err` item too, and the stream goes on.
///
/// Nothing is retried once the answer has arrived. The answer's status, headers, rate-limit
/// figures and request id are here as well (`.events()` has no `.with_meta()`).
pub struct EventStream<T> {
    status: StatusCode,
    headers: HeaderMap,
    events: BoxStream<'static, Result<T, Error>>,
}

impl<T> EventStream<T> {
    /// The next event; `None` once the stream is complete or after an error that ended it.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.events.next().await
    }

    /// The status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit figures of the answer, when it carried them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The `x-request-id` header of the answer, when present.
    pub fn request_id(&self) -> Option<&str> {
        header_str(&self.headers, "x-request-id")
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.events.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status).field("request_id", &self.request_id()).finish_non_exhaustive()
    }
}

/// What a stream's events are for errors: the operation, and how the stream ends.
#[derive(Clone)]
struct Operation {
    call: &'static Call,
    ends_with_done: bool,
    /// The credentials, to keep out of errors should the server echo them.
    secrets: Secrets,
}

impl Operation {
    fn error(&self, event: u64, kind: StreamErrorKind) -> Error {
        Error::Stream(Box::new(StreamError { call: self.call, event, kind }))
    }
}

// The part of `impl Client` that opens an event stream (the other parts: see `client.rs`).
impl Client {
    /// Sends `req` asking for `text/event-stream` and returns its events decoded as `T`.
    /// `ends_with_done`: whether a complete stream ends with `data: [DONE]`.
    pub(crate) async fn send_events<T: Decode + Send + 'static>(
        &self,
        req: Request,
        ends_with_done: bool,
    ) -> Result<EventStream<T>, Error> {
        let op = Operation { call: req.call, ends_with_done, secrets: self.inner.secrets.clone() };
        let response = self.open(req.accept("text/event-stream")).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = header_str(&headers, CONTENT_TYPE.as_str());
        let essence = content_type.and_then(|value| value.split(';').next()).map(|value| value.trim().to_ascii_lowercase());
        if essence.as_deref() != Some("text/event-stream") {
            let content_type = content_type.map(str::to_owned);
            return Err(op.error(1, StreamErrorKind::NotEventStream { content_type }));
        }
        let reader = Reader {
            response: Some(response),
            boundaries: Boundaries::default(),
            limit: self.inner.max_event_size,
            idle: self.inner.timeout,
            failure: None,
        };
        let bytes = stream::unfold(reader, |mut reader| async move {
            let item = reader.read().await?;
            Some((item, reader))
        })
        .boxed();
        let parser = Parser { sse: SseByteStream::new(bytes), op, received: 0, finished: false };
        let events = stream::unfold(parser, |mut parser| async move {
            let item = parser.next::<T>().await?;
            Some((item, parser))
        })
        .boxed();
        Ok(EventStream { status, headers, events })
    }
}

/// Why the reader stopped, carried through the SSE parser to [`Parser`].
#[derive(Debug)]
enum ReadFailure {
    TooLarge(usize),
    Incomplete,
    Read(reqwest::Error),
    TimedOut(Duration),
}

impl fmt::Display for ReadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadFailure::TooLarge(limit) => write!(f, "an event is larger than {limit} bytes"),
            ReadFailure::Incomplete => f.write_str("the connection ended in the middle of an event"),
            ReadFailure::Read(err) => write!(f, "{err}"),
            ReadFailure::TimedOut(timeout) => write!(f, "nothing arrived within {timeout:?}"),
        }
    }
}

impl std::error::Error for ReadFailure {}

/// Reads the body piece by piece, checking the size of each event before the parser sees it.
struct Reader {
    /// `None` once the body is finished or failed.
    response: Option<reqwest::Response>,
    boundaries: Boundaries,
    limit: usize,
    /// How long to wait for the next piece.
    idle: Duration,
    /// A failure to report after the bytes before it.
    failure: Option<ReadFailure>,
}

impl Reader {
    async fn read(&mut self) -> Option<Result<Bytes, ReadFailure>> {
        if let Some(failure) = self.failure.take() {
            return Some(Err(failure));
        }
        let response = self.response.as_mut()?;
        let chunk = match tokio::time::timeout(self.idle, response.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            Ok(Ok(None)) => {
                self.response = None;
                return self.boundaries.inside_event().then_some(Err(ReadFailure::Incomplete));
            }
            Ok(Err(err)) => {
                self.response = None;
                return Some(Err(ReadFailure::Read(err.without_url())));
            }
            Err(_) => {
                self.response = None;
                return Some(Err(ReadFailure::TimedOut(self.idle)));
            }
        };
        match self.boundaries.feed(&chunk, self.limit) {
            None => Some(Ok(chunk)),
            Some(at) => {
                // The events before the oversized one still reach the parser.
                self.response = None;
                self.failure = Some(ReadFailure::TooLarge(self.limit));
                Some(Ok(chunk.slice(..at)))
            }
        }
    }
}

/// Where the reader is in the SSE line structure: enough to find the blank lines that end
/// events (a line ends with CRLF, LF or CR).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Line {
    /// At the start of a line.
    #[default]
    Start,
    /// Inside a line.
    Inside,
    /// Just after a CR: the line ended, and an LF here belongs to it.
    AfterCr,
}

/// Counts the bytes since the last event boundary (a blank line).
#[derive(Debug, Default)]
struct Boundaries {
    line: Line,
    since: usize,
}

impl Boundaries {
    /// Takes in `chunk`; returns the offset of the first byte past `limit`, if one is.
    fn feed(&mut self, chunk: &[u8], limit: usize) -> Option<usize> {
        for (at, &byte) in chunk.iter().enumerate() {
            let (line, boundary, counted) = match (self.line, byte) {
                // An empty line: the event ends.
                (Line::Start | Line::AfterCr, b'\r') => (Line::AfterCr, true, false),
                (Line::Start, b'\n') => (Line::Start, true, false),
                // The LF of a CRLF.
                (Line::AfterCr, b'\n') => (Line::Start, false, false),
                (Line::Inside, b'\r') => (Line::AfterCr, false, true),
                (Line::Inside, b'\n') => (Line::Start, false, true),
                _ => (Line::Inside, false, true),
            };
            self.line = line;
            if boundary {
                self.since = 0;
            } else if counted {
                self.since += 1;
                if self.since > limit {
                    return Some(at);
                }
            }
        }
        None
    }

    /// Whether bytes arrived since the last event boundary (an event, or a comment, not
    /// finished by a blank line).
    fn inside_event(&self) -> bool {
        self.since > 0
    }
}

/// Turns the parser's events into decoded items, deciding where the stream ends.
struct Parser {
    sse: SseByteStream<BoxStream<'static, Result<Bytes, ReadFailure>>>,
    op: Operation,
    /// Events with data received so far.
    received: u64,
    finished: bool,
}

impl Parser {
    async fn next<T: Decode>(&mut self) -> Option<Result<T, Error>> {
        loop {
            if self.finished {
                return None;
            }
            let next = self.received + 1;
            let sse = match self.sse.next().await {
                Some(Ok(sse)) => sse,
                Some(Err(err)) => {
                    self.finished = true;
                    return Some(Err(self.op.error(next, failure_kind(err))));
                }
                None => {
                    self.finished = true;
                    return self.op.ends_with_done.then(|| Err(self.op.error(next, StreamErrorKind::Incomplete)));
                }
            };
            // Blocks without data (only `id:`, `retry:` or `event:`) dispatch nothing.
            let Sse { event, data, .. } = sse;
            let Some(data) = data.filter(|data| !data.is_empty()) else {
                continue;
            };
            if data.trim() == "[DONE]" {
                self.finished = true;
                return None;
            }
            self.received = next;
            let secrets = &self.op.secrets;
            // What an error shows of the event: without the credentials, should the server echo them.
            if let Some(kind) = server_error(event.as_deref(), &secrets.text(&data)) {
                self.finished = true;
                return Some(Err(self.op.error(next, kind)));
            }
            return Some(decode_json::<T>(data.as_bytes()).map_err(|failure| {
                self.op.error(
                    next,
                    StreamErrorKind::Decode {
                        json_path: failure.path.map(|path| secrets.text(&path).into_owned()),
                        data: snippet(&secrets.bytes(data.as_bytes()), DATA_SNIPPET_LIMIT),
                        source: secrets.json_error(failure.source),
                    },
                )
            }));
        }
    }
}

/// The kind of a failure the SSE parser reports (its own, or the reader's passed through it).
fn failure_kind(err: sse_stream::Error) -> StreamErrorKind {
    let sse_stream::Error::Body(source) = err else {
        return StreamErrorKind::Malformed { message: err.to_string() };
    };
    match source.downcast::<ReadFailure>() {
        Ok(failure) => match *failure {
            ReadFailure::TooLarge(limit) => StreamErrorKind::TooLarge { limit },
            ReadFailure::Incomplete => StreamErrorKind::Incomplete,
            ReadFailure::Read(err) => StreamErrorKind::Read(err),
            ReadFailure::TimedOut(timeout) => StreamErrorKind::TimedOut { timeout },
        },
        Err(other) => StreamErrorKind::Malformed { message: other.to_string() },
    }
}

/// The error an event reports, if it is one: `event: error`, or data that is an object with
/// an `error` member (OpenAI-style streams) or `"type": "error"` (Anthropic-style streams).
fn server_error(event: Option<&str>, data: &str) -> Option<StreamErrorKind> {
    // `from_slice`, as everywhere in the runtime: one copy of the parser (`from_str` is another).
    let value = serde_json::from_slice::<Value>(data.as_bytes()).ok();
    let object = value.as_ref().and_then(Value::as_object);
    let error_member = object.and_then(|o| o.get("error")).filter(|e| !e.is_null());
    let typed_error = object.and_then(|o| o.get("type")).and_then(Value::as_str) == Some("error");
    if event != Some("error") && error_member.is_none() && !typed_error {
        return None;
    }
    let text = |value: Option<&Value>| match value? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    let (message, code) = match error_member {
        Some(Value::String(message)) => (Some(message.clone()), None),
        Some(inner) => (text(inner.get("message")), text(inner.get("code")).or_else(|| text(inner.get("type")))),
        None => (object.and_then(|o| text(o.get("message"))), object.and_then(|o| text(o.get("code")))),
    };
    Some(StreamErrorKind::Server { message, code, data: snippet(data.as_bytes(), DATA_SNIPPET_LIMIT) })
}

#[cfg(test)]
mod tests {
    use super::Boundaries;

    fn feed_all(input: &[u8], limit: usize) -> (Option<usize>, bool) {
        let mut boundaries = Boundaries::default();
        let over = boundaries.feed(input, limit);
        (over, boundaries.inside_event())
    }

    #[test]
    fn blank_lines_end_events_whatever_the_line_ends() {
        for input in [&b"data: a\n\n"[..], b"data: a\r\n\r\n", b"data: a\r\r", b"data: a\r\n\n", b": ping\n\n"] {
            assert_eq!(feed_all(input, 1024), (None, false), "{input:?}");
        }
        for input in [&b"data: a\n"[..], b"data: a\r\n", b"data: a", b"data: a\n\ndata: b\n"] {
            assert!(feed_all(input, 1024).1, "{input:?}");
        }
    }

    #[test]
    fn an_event_past_the_limit_is_found_where_it_passes_it() {
        // Two small events, then one that passes 8 bytes at its 9th byte.
        let input = b"data: 1\n\ndata: 123456789\n\n";
        assert_eq!(feed_all(input, 8), (Some(9 + 8), true));
        // The limit counts from the last boundary, across pieces.
        let mut boundaries = Boundaries::default();
        assert_eq!(boundaries.feed(b"data: ", 8), None);
        assert_eq!(boundaries.feed(b"12", 8), None);
        assert_eq!(boundaries.feed(b"3", 8), Some(0));
    }
}
