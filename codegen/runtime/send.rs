//! Sending a request: attempts until one's outcome is the call's (the decision is
//! [`RetryPolicy::decide`](super::retry::RetryPolicy::decide), a pure function), then that
//! outcome as the call's result. Two kinds of call share the loop: [`Client::execute`] reads a
//! successful answer whole, [`Client::open`] leaves its body to an event stream.

use std::future::Future;
use std::pin::Pin;
use std::time::Instant;

use super::fields::Decode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, USER_AGENT};
use reqwest::{StatusCode, Url};
use tracing::Instrument;

use super::client::{Client, MODEL_ACCESS_KEY_VAR, TOKEN_VAR};
use super::decode::{decode_json, BodyReader, DecodeFailure};
use super::error::{snippet, ApiError, DecodeError, Error, StreamError, StreamErrorKind};
use super::request::{Auth, Call, Host, Request};
use super::response::Response;
use super::retry::{Decision, Moment, Seen};

/// A 2xx answer with its body not yet decoded.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// What one attempt produced; `K` is a successful answer as the call keeps it (read whole, or
/// left open for an event stream).
enum Attempt<K> {
    /// A 2xx answer, and its status.
    Kept(StatusCode, K),
    /// An answer with a status outside 2xx, read whole.
    Refused(RawResponse),
    Failed(reqwest::Error),
    /// No answer within the timeout (event streams only: other requests time out in reqwest).
    #[cfg(feature = "_events")]
    NoAnswer,
    /// An answer whose body is larger than the limit; the rest of it was not read.
    TooLarge {
        status: StatusCode,
        content_length: Option<u64>,
    },
}

impl<K> Attempt<K> {
    /// What the retry decision looks at.
    fn seen(&self) -> Seen<'_> {
        match self {
            Attempt::Kept(..) => Seen::Kept,
            Attempt::Refused(raw) => Seen::Refused(raw.status, &raw.headers),
            Attempt::Failed(err) => Seen::Failed { timeout: err.is_timeout(), connect: err.is_connect(), builder: err.is_builder() },
            Attempt::TooLarge { .. } => Seen::Unfinished,
            #[cfg(feature = "_events")]
            Attempt::NoAnswer => Seen::Unfinished,
        }
    }
}

/// Why a body was not read whole.
enum BodyFailure {
    /// Larger than the limit, by its `Content-Length` or counted while reading.
    TooLarge {
        content_length: Option<u64>,
    },
    Read(reqwest::Error),
}

/// The whole body of `response`, read piece by piece and refused as soon as it is larger than
/// `limit` bytes (before reading anything when its `Content-Length` says so).
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyFailure> {
    let content_length = response.content_length();
    if content_length.is_some_and(|length| length > limit as u64) {
        return Err(BodyFailure::TooLarge { content_length });
    }
    // The announced length is the server's word: it sizes the buffer up to 1 MiB only.
    let capacity = content_length.map_or(0, |length| length.min(1 << 20) as usize);
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(BodyFailure::Read)? {
        if chunk.len() > limit - body.len() {
            return Err(BodyFailure::TooLarge { content_length });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// What is wrong with a successful answer's `Content-Encoding`, if it has one other than
/// `identity`: the client asks for none and decodes none (reqwest's decompression is off).
fn unasked_encoding(headers: &HeaderMap) -> Option<String> {
    let encoding = headers.get(CONTENT_ENCODING)?;
    let shown = snippet(encoding.as_bytes(), 64);
    if shown.trim().eq_ignore_ascii_case("identity") {
        return None;
    }
    Some(format!(
        "the answer has Content-Encoding {shown:?}, which the client did not ask for and does \
         not decode"
    ))
}

/// A request's fetch on its way: sending and reading the whole 2xx answer, compiled once for
/// every operation (the body's type comes in only when [`Fetched::decode`] reads it).
pub(crate) type Fetch = Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'static>>;

/// A successful answer with its body not yet decoded, and what a decode error reports.
pub(crate) struct Fetched {
    client: Client,
    call: &'static Call,
    raw: RawResponse,
}

impl Fetched {
    /// Decodes the body with `read`, which gets the status too (for operations whose success
    /// statuses have different types); a failure is an [`Error::Decode`] with the answer's
    /// status, headers and body (credentials taken out).
    pub(crate) fn decode<T>(self, read: BodyReader<T>) -> Result<Response<T>, Error> {
        match read(self.raw.status.as_u16(), &self.raw.body) {
            Ok(body) => {
                let (status, headers) = self.into_head();
                Ok(Response::new(status, headers, body))
            }
            Err(failure) => Err(self.failed(failure)),
        }
    }

    /// The status and headers (apart from the generic [`Fetched::decode`], to compile them once).
    fn into_head(self) -> (StatusCode, HeaderMap) {
        (self.raw.status, self.raw.headers)
    }

    fn failed(self, failure: DecodeFailure) -> Error {
        let decode = self.client.decode_error(self.call, &self.raw, failure);
        // From the error, not the failure: the credentials are out of it.
        tracing::debug!(
            status = self.raw.status.as_u16(),
            error = %decode.source,
            field = decode.json_path.as_deref().unwrap_or(""),
            "could not decode the answer"
        );
        Error::Decode(decode)
    }
}

// The part of `impl Client` that sends a request (the other parts: see `client.rs`).
impl Client {
    /// Sends `request` (or gives its error back): the whole successful answer, to decode.
    pub(crate) fn fetch(&self, request: Result<Request, Error>) -> Fetch {
        let client = self.clone();
        Box::pin(async move {
            let req = request?;
            let call = req.call;
            let raw = client.execute(req).await?;
            Ok(Fetched { client, call, raw })
        })
    }

    /// Sends `req` and decodes the JSON body of the successful answer into `T` (leniently, see
    /// [`decode_json`]).
    pub(crate) async fn send_json<T: Decode>(&self, req: Request) -> Result<Response<T>, Error> {
        self.fetch(Ok(req)).await?.decode(|_, body| decode_json::<T>(body))
    }

    /// Sends `req` until it gets a 2xx answer, an answer or error not to retry, or runs out of
    /// attempts; reads a 2xx answer whole.
    async fn execute(&self, req: Request) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!("digitalocean_request", method = %req.call.method, path = req.call.path);
        let (timeout, limit) = (self.inner.timeout, self.inner.max_body_size);
        let raw = self.attempts(&req, |builder| read_whole(builder, timeout, limit)).instrument(span).await?;
        if let Some(message) = unasked_encoding(&raw.headers) {
            let failure = DecodeFailure { source: serde::de::Error::custom(message), path: None };
            return Err(Error::Decode(self.decode_error(req.call, &raw, failure)));
        }
        Ok(raw)
    }

    /// Sends `req` like the other requests (same retries before an answer arrives) and returns
    /// its 2xx answer with the body unread, for an event stream. The client's timeout bounds the
    /// wait for the answer, not the stream.
    #[cfg(feature = "_events")]
    pub(crate) async fn open(&self, req: Request) -> Result<reqwest::Response, Error> {
        let span = tracing::debug_span!("digitalocean_request", method = %req.call.method, path = req.call.path);
        let (timeout, limit) = (self.inner.timeout, self.inner.max_body_size);
        let response = self.attempts(&req, |builder| open_stream(builder, timeout, limit)).instrument(span).await?;
        if let Some(encoding) = unasked_encoding(response.headers()) {
            return Err(Error::Stream(Box::new(StreamError {
                call: req.call,
                event: 1,
                kind: StreamErrorKind::Malformed { message: encoding },
            })));
        }
        Ok(response)
    }

    /// The attempt loop: sends `req` with `attempt` (which reads the answer) until
    /// [`RetryPolicy::decide`](super::retry::RetryPolicy::decide) says the outcome is the
    /// call's, within the client's total timeout.
    async fn attempts<K, F, A>(&self, req: &Request, attempt: A) -> Result<K, Error>
    where
        A: Fn(reqwest::RequestBuilder) -> F,
        F: Future<Output = Attempt<K>>,
    {
        let url = self.url_for(req)?;
        let headers = self.headers_for(req)?;
        // A total timeout too large to add to the clock is no deadline.
        let deadline = self.inner.total_timeout.and_then(|total| tokio::time::Instant::now().checked_add(total));
        let mut number: u32 = 1;
        loop {
            let started = Instant::now();
            let mut builder = self.inner.http.request(req.call.method.clone(), url.clone()).headers(headers.clone());
            if let Some(body) = &req.body {
                builder = builder.body(body.clone());
            }
            let sent = attempt(builder);
            let outcome = match deadline {
                None => sent.await,
                Some(deadline) => match tokio::time::timeout_at(deadline, sent).await {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        let elapsed_ms = started.elapsed().as_millis() as u64;
                        tracing::debug!(attempt = number, elapsed_ms, "the total timeout passed");
                        return Err(Error::Deadline {
                            call: req.call,
                            total_timeout: self.inner.total_timeout.unwrap_or_default(),
                            attempt: number,
                        });
                    }
                },
            };
            let outcome = match outcome {
                // The caller's URL may be pre-signed: keep it out of errors and logs.
                Attempt::Failed(err) if req.host == Host::Absolute => Attempt::Failed(err.without_url()),
                outcome => outcome,
            };
            trace_outcome(number, started, &outcome);
            let left = deadline.map(|deadline| deadline.saturating_duration_since(tokio::time::Instant::now()));
            match self.inner.retry.decide(&req.call.method, number, outcome.seen(), Moment::now(left)) {
                Decision::Retry(delay) => {
                    let delay_ms = delay.as_millis() as u64;
                    tracing::info!(attempt = number, delay_ms, "retrying");
                    tokio::time::sleep(delay).await;
                    number += 1;
                }
                Decision::TooLate(delay) => {
                    let delay_ms = delay.as_millis() as u64;
                    tracing::debug!(attempt = number, delay_ms, "not retrying: the wait would pass the total timeout");
                    return self.conclude(req, outcome);
                }
                Decision::Finish => return self.conclude(req, outcome),
            }
        }
    }

    /// The call's result from the outcome of its last attempt.
    fn conclude<K>(&self, req: &Request, outcome: Attempt<K>) -> Result<K, Error> {
        let (call, inner) = (req.call, &self.inner);
        Err(match outcome {
            Attempt::Kept(_, kept) => return Ok(kept),
            Attempt::Refused(raw) => {
                // A server may echo the credentials back: keep them out of the error.
                let secrets = &inner.secrets;
                let headers = secrets.headers(raw.headers);
                let api = ApiError::from_response(call, raw.status, headers, &secrets.bytes(&raw.body));
                Error::Api(Box::new(api))
            }
            Attempt::Failed(source) if source.is_timeout() => Error::Timeout { call, timeout: inner.timeout, source },
            Attempt::Failed(source) => Error::Transport { call, source },
            Attempt::TooLarge { status, content_length } => {
                Error::BodyTooLarge { call, status, limit: inner.max_body_size, content_length }
            }
            #[cfg(feature = "_events")]
            Attempt::NoAnswer => {
                Error::Stream(Box::new(StreamError { call, event: 1, kind: StreamErrorKind::TimedOut { timeout: inner.timeout } }))
            }
        })
    }

    /// The decode error of a 2xx answer, without the credentials should the server echo them.
    fn decode_error(&self, call: &'static Call, raw: &RawResponse, failure: DecodeFailure) -> Box<DecodeError> {
        let secrets = &self.inner.secrets;
        let failure =
            DecodeFailure { source: secrets.json_error(failure.source), path: failure.path.map(|path| secrets.text(&path).into_owned()) };
        let headers = secrets.headers(raw.headers.clone());
        let mut decode = DecodeError::new(call, raw.status, &headers, &secrets.bytes(&raw.body), failure);
        decode.body_len = raw.body.len();
        Box::new(decode)
    }

    /// The request's URL: its host's base URL joined with its path and query, or its path
    /// itself for [`Host::Absolute`].
    fn url_for(&self, req: &Request) -> Result<Url, Error> {
        let inner = &self.inner;
        let base = match req.host {
            Host::Api => inner.base_url.as_str(),
            Host::Inference => inner.inference_url.as_str(),
            Host::Agent => inner.agent_url.as_deref().ok_or_else(|| {
                Error::config(format!(
                    "{}: this operation is sent to an agent's own URL; set it with \
                     ClientBuilder::agent_base_url",
                    req.call
                ))
            })?,
            Host::Absolute => "",
        };
        let joined = format!("{base}{}", req.path);
        let invalid = |reason: String| Error::InvalidRequest {
            call: Some(req.call),
            message: format!("the request URL is invalid: {reason}"),
            source: None,
        };
        let mut url = Url::parse(&joined).map_err(|err| invalid(err.to_string()))?;
        if req.host == Host::Absolute {
            // The URL is the caller's: check it without repeating it (it may be pre-signed).
            if url.scheme() != "http" && url.scheme() != "https" {
                return Err(invalid(format!("the URL must start with http:// or https://, not {}://", url.scheme())));
            }
            if url.host_str().is_none_or(str::is_empty) {
                return Err(invalid("the URL has no host".to_owned()));
            }
        }
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &req.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// All the headers of the request, checked once for all attempts: user agent, `Accept`,
    /// `Content-Type` (a header of the request with one of these names replaces the default),
    /// the request's own headers, and the credential its host may receive.
    fn headers_for(&self, req: &Request) -> Result<HeaderMap, Error> {
        let invalid = |what: &str, name: &str| Error::InvalidRequest {
            call: Some(req.call),
            message: format!("the {what} of header {name:?} is invalid"),
            source: None,
        };
        let mut map = HeaderMap::new();
        map.insert(USER_AGENT, self.inner.user_agent.clone());
        let accept = HeaderValue::from_str(req.accept).map_err(|_| invalid("value", "Accept"))?;
        map.insert(ACCEPT, accept);
        if req.body.is_some() {
            let content_type = HeaderValue::from_str(req.content_type).map_err(|_| invalid("value", "Content-Type"))?;
            map.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in &req.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name", name))?;
            let header_value = HeaderValue::from_str(value).map_err(|_| invalid("value", name))?;
            if header_name == ACCEPT || header_name == CONTENT_TYPE {
                map.insert(header_name, header_value);
            } else {
                map.append(header_name, header_value);
            }
        }
        if let Some(credential) = self.credential_for(req)? {
            map.insert(AUTHORIZATION, credential);
        }
        Ok(map)
    }

    /// The `Authorization` value of the request: its credential, if its host may receive it.
    fn credential_for(&self, req: &Request) -> Result<Option<HeaderValue>, Error> {
        let inner = &self.inner;
        let config = |what: String| Error::config(format!("{}: {what}", req.call));
        match (req.host, req.auth) {
            (Host::Absolute, _) | (_, Auth::None) => Ok(None),
            (Host::Api, Auth::Token) => inner.token.clone().map(Some).ok_or_else(|| {
                config(format!(
                    "this operation needs a DigitalOcean API token; set it with \
                     ClientBuilder::token or the environment variable {TOKEN_VAR}"
                ))
            }),
            (Host::Inference | Host::Agent, Auth::ModelAccessKey) => inner.model_access_key.clone().map(Some).ok_or_else(|| {
                config(format!(
                    "this operation needs a model access key; set it with \
                         ClientBuilder::model_access_key or the environment variable \
                         {MODEL_ACCESS_KEY_VAR}"
                ))
            }),
            (host, auth) => Err(config(format!("the credential {auth:?} is never sent to the host {host:?}"))),
        }
    }
}

/// Logs what an attempt produced (the error's own text has the filled-in URL: its cause instead).
fn trace_outcome<K>(attempt: u32, started: Instant, outcome: &Attempt<K>) {
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Attempt::Kept(status, _) | Attempt::Refused(RawResponse { status, .. }) => {
            tracing::debug!(attempt, status = status.as_u16(), elapsed_ms, "answer received")
        }
        Attempt::Failed(err) => {
            let cause = std::error::Error::source(err).map(ToString::to_string);
            tracing::debug!(
                attempt,
                elapsed_ms,
                timeout = err.is_timeout(),
                connect = err.is_connect(),
                cause = cause.as_deref().unwrap_or("unknown"),
                "request failed"
            );
        }
        #[cfg(feature = "_events")]
        Attempt::NoAnswer => tracing::debug!(attempt, elapsed_ms, "no answer within the timeout"),
        Attempt::TooLarge { status, .. } => {
            tracing::debug!(attempt, status = status.as_u16(), elapsed_ms, "the body is larger than the limit")
        }
    }
}

/// One attempt that reads the whole answer (up to `limit` bytes); reqwest's timeout bounds
/// everything from connecting to the end of the body, so a stalled or trickling body is cut too.
async fn read_whole(builder: reqwest::RequestBuilder, timeout: std::time::Duration, limit: usize) -> Attempt<RawResponse> {
    let response = match builder.timeout(timeout).send().await {
        Ok(response) => response,
        Err(err) => return Attempt::Failed(err),
    };
    let (status, headers) = (response.status(), response.headers().clone());
    match read_body(response, limit).await {
        Ok(body) if status.is_success() => Attempt::Kept(status, RawResponse { status, headers, body }),
        read => refused(status, headers, read),
    }
}

/// An answer outside 2xx, as its body was read: refused (with the body), too large, or failed.
fn refused<K>(status: StatusCode, headers: HeaderMap, read: Result<Vec<u8>, BodyFailure>) -> Attempt<K> {
    match read {
        Ok(body) => Attempt::Refused(RawResponse { status, headers, body }),
        Err(BodyFailure::TooLarge { content_length }) => Attempt::TooLarge { status, content_length },
        Err(BodyFailure::Read(err)) => Attempt::Failed(err),
    }
}

/// One attempt that leaves a 2xx answer's body unread (an event stream), with `timeout`
/// bounding the wait for the answer and the reading of any other answer's body.
#[cfg(feature = "_events")]
async fn open_stream(builder: reqwest::RequestBuilder, timeout: std::time::Duration, limit: usize) -> Attempt<reqwest::Response> {
    let response = match tokio::time::timeout(timeout, builder.send()).await {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => return Attempt::Failed(err),
        Err(_) => return Attempt::NoAnswer,
    };
    let (status, headers) = (response.status(), response.headers().clone());
    if status.is_success() {
        return Attempt::Kept(status, response);
    }
    match tokio::time::timeout(timeout, read_body(response, limit)).await {
        Ok(read) => refused(status, headers, read),
        Err(_) => Attempt::NoAnswer,
    }
}
