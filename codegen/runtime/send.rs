//! Sending a request: the attempt loop with retries, tracing, and mapping answers to results.

use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE,
    USER_AGENT,
};
use reqwest::{StatusCode, Url};
use super::fields::Decode;
use tracing::Instrument;

use super::call::Reader;
use super::client::{Client, MODEL_ACCESS_KEY_VAR, TOKEN_VAR};
use super::decode::{decode_json, DecodeFailure};
use super::error::{snippet, ApiError, DecodeError, Error, StreamError, StreamErrorKind};
use super::request::{Auth, Host, Request};
use super::response::Response;

/// A 2xx answer with its body not yet decoded.
struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

/// What one attempt produced.
enum Attempt {
    Answer(RawResponse),
    /// A 2xx answer whose body is left to read (an event stream).
    Open(reqwest::Response),
    Failed(reqwest::Error),
    /// No answer within the timeout (event streams only: other requests time out in reqwest).
    NoAnswer,
    /// An answer whose body is larger than the limit; the rest of it was not read.
    TooLarge {
        status: StatusCode,
        content_length: Option<u64>,
    },
}

/// Why a body was not read whole.
enum BodyFailure {
    /// Larger than the limit, by its `Content-Length` or counted while reading.
    TooLarge { content_length: Option<u64> },
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

/// What the attempts produced: a whole answer, or an event stream's open answer.
enum Answered {
    Read(RawResponse),
    Open(reqwest::Response),
}

/// A request's fetch on its way: sending and reading the whole 2xx answer, compiled once for
/// every operation (the body's type comes in only when [`Fetched::decode`] reads it).
pub(crate) type Fetch = Pin<Box<dyn Future<Output = Result<Fetched, Error>> + Send + 'static>>;

/// A successful answer with its body not yet decoded, and what a decode error reports.
pub(crate) struct Fetched {
    client: Client,
    method: reqwest::Method,
    path: &'static str,
    raw: RawResponse,
}

impl Fetched {
    /// Decodes the body with `read`, which gets the status too (for operations whose success
    /// statuses have different types); a failure is an [`Error::Decode`] with the answer's
    /// status, headers and body (credentials taken out).
    pub(crate) fn decode<T>(self, read: Reader<T>) -> Result<Response<T>, Error> {
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
        let decode = self.client.decode_error(self.method, self.path, &self.raw, failure);
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

impl Client {
    /// Sends `request` (or gives its error back): the whole successful answer, to decode.
    pub(crate) fn fetch(&self, request: Result<Request, Error>) -> Fetch {
        let client = self.clone();
        Box::pin(async move {
            let req = request?;
            let (method, path) = (req.method.clone(), req.path_template);
            let raw = client.execute(req).await?;
            Ok(Fetched { client, method, path, raw })
        })
    }

    /// Sends `req` and decodes the JSON body of the successful answer into `T` (leniently, see
    /// [`decode_json`]).
    pub(crate) async fn send_json<T: Decode>(
        &self,
        req: Request,
    ) -> Result<Response<T>, Error> {
        self.fetch(Ok(req)).await?.decode(|_, body| decode_json::<T>(body))
    }

    /// Sends `req` until it gets a 2xx answer, an answer or error not to retry, or runs out of attempts.
    async fn execute(&self, req: Request) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!("digitalocean_request", method = %req.method, path = req.path_template);
        let (method, path) = (req.method.clone(), req.path_template);
        match self.attempts(req, false).instrument(span).await? {
            Answered::Read(raw) => Ok(raw),
            // Not produced when not asked for; read it whole all the same.
            Answered::Open(response) => {
                let (status, headers) = (response.status(), response.headers().clone());
                match read_body(response, self.inner.max_body_size).await {
                    Ok(body) => Ok(RawResponse { status, headers, body }),
                    Err(BodyFailure::Read(source)) => Err(Error::Transport { method, path, source }),
                    Err(BodyFailure::TooLarge { content_length }) => Err(Error::BodyTooLarge {
                        method,
                        path,
                        status,
                        limit: self.inner.max_body_size,
                        content_length,
                    }),
                }
            }
        }
    }

    /// Sends `req` like the other requests (same retries before an answer arrives) and returns
    /// its 2xx answer with the body unread, for an event stream. The client's timeout bounds the
    /// wait for the answer, not the stream.
    pub(crate) async fn open(&self, req: Request) -> Result<reqwest::Response, Error> {
        let span = tracing::debug_span!("digitalocean_request", method = %req.method, path = req.path_template);
        let (method, path) = (req.method.clone(), req.path_template);
        match self.attempts(req, true).instrument(span).await? {
            Answered::Open(response) => Ok(response),
            // A 2xx answer is always left open when asked for; an empty stream all the same.
            Answered::Read(_) => Err(Error::Stream(Box::new(StreamError {
                method,
                path,
                event: 1,
                kind: StreamErrorKind::Incomplete,
            }))),
        }
    }

    async fn attempts(&self, req: Request, open: bool) -> Result<Answered, Error> {
        let url = self.url_for(&req)?;
        let headers = self.headers_for(&req)?;
        let policy = &self.inner.retry;
        // A total timeout too large to add to the clock is no deadline.
        let deadline = self
            .inner
            .total_timeout
            .and_then(|total| tokio::time::Instant::now().checked_add(total));
        // Whether a retry after `delay` would start before the deadline.
        let in_time = |delay: Duration| match deadline {
            None => true,
            Some(deadline) => tokio::time::Instant::now()
                .checked_add(delay)
                .is_some_and(|start| start < deadline),
        };
        let mut attempt: u32 = 1;
        loop {
            let started = Instant::now();
            let sent = self.attempt(&req, &url, &headers, open);
            let outcome = match deadline {
                None => sent.await,
                Some(deadline) => match tokio::time::timeout_at(deadline, sent).await {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        let elapsed_ms = started.elapsed().as_millis() as u64;
                        tracing::debug!(attempt, elapsed_ms, "the total timeout passed");
                        return Err(Error::Deadline {
                            method: req.method.clone(),
                            path: req.path_template,
                            total_timeout: self.inner.total_timeout.unwrap_or_default(),
                            attempt,
                        });
                    }
                },
            };
            let outcome = match outcome {
                // The caller's URL may be pre-signed: keep it out of errors and logs.
                Attempt::Failed(err) if req.host == Host::Absolute => {
                    Attempt::Failed(err.without_url())
                }
                outcome => outcome,
            };
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match outcome {
                Attempt::Open(response) => {
                    let status = response.status().as_u16();
                    tracing::debug!(attempt, status, elapsed_ms, "event stream answer received");
                    if let Some(encoding) = unasked_encoding(response.headers()) {
                        return Err(Error::Stream(Box::new(StreamError {
                            method: req.method.clone(),
                            path: req.path_template,
                            event: 1,
                            kind: StreamErrorKind::Malformed { message: encoding },
                        })));
                    }
                    return Ok(Answered::Open(response));
                }
                Attempt::NoAnswer => {
                    tracing::debug!(attempt, elapsed_ms, "no answer within the timeout");
                    return Err(Error::Stream(Box::new(StreamError {
                        method: req.method.clone(),
                        path: req.path_template,
                        event: 1,
                        kind: StreamErrorKind::TimedOut { timeout: self.inner.timeout },
                    })));
                }
                Attempt::TooLarge { status, content_length } => {
                    tracing::debug!(
                        attempt,
                        status = status.as_u16(),
                        elapsed_ms,
                        limit = self.inner.max_body_size,
                        "the body is larger than the limit"
                    );
                    return Err(Error::BodyTooLarge {
                        method: req.method.clone(),
                        path: req.path_template,
                        status,
                        limit: self.inner.max_body_size,
                        content_length,
                    });
                }
                Attempt::Answer(raw) => {
                    let status = raw.status.as_u16();
                    tracing::debug!(attempt, status, elapsed_ms, "answer received");
                    if raw.status.is_success() {
                        if let Some(message) = unasked_encoding(&raw.headers) {
                            let failure = DecodeFailure {
                                source: serde::de::Error::custom(message),
                                path: None,
                            };
                            let decode = self.decode_error(req.method.clone(), req.path_template, &raw, failure);
                            return Err(Error::Decode(decode));
                        }
                        return Ok(Answered::Read(raw));
                    }
                    if let Some(delay) =
                        policy.after_status(&req.method, raw.status, &raw.headers, attempt)
                    {
                        let delay_ms = delay.as_millis() as u64;
                        if in_time(delay) {
                            tracing::info!(attempt, status, delay_ms, "retrying after an error answer");
                            tokio::time::sleep(delay).await;
                            attempt += 1;
                            continue;
                        }
                        tracing::debug!(attempt, status, delay_ms, "not retrying: the wait would pass the total timeout");
                    }
                    // A server may echo the credentials back: keep them out of the error.
                    let secrets = &self.inner.secrets;
                    let api = ApiError::from_response(
                        req.method.clone(),
                        req.path_template,
                        raw.status,
                        secrets.headers(raw.headers),
                        &secrets.bytes(&raw.body),
                    );
                    return Err(Error::Api(Box::new(api)));
                }
                Attempt::Failed(err) => {
                    // The error's own text has the filled-in URL; log its cause instead.
                    let cause = std::error::Error::source(&err).map(ToString::to_string);
                    tracing::debug!(
                        attempt,
                        elapsed_ms,
                        timeout = err.is_timeout(),
                        connect = err.is_connect(),
                        cause = cause.as_deref().unwrap_or("unknown"),
                        "request failed"
                    );
                    let method = req.method.clone();
                    let path = req.path_template;
                    if err.is_timeout() && !err.is_connect() {
                        return Err(Error::Timeout {
                            method,
                            path,
                            timeout: self.inner.timeout,
                            source: err,
                        });
                    }
                    if err.is_builder() {
                        return Err(Error::Transport {
                            method,
                            path,
                            source: err,
                        });
                    }
                    if let Some(delay) = policy.after_connection_error(&req.method, attempt) {
                        let delay_ms = delay.as_millis() as u64;
                        if in_time(delay) {
                            tracing::info!(attempt, delay_ms, "retrying after a connection error");
                            tokio::time::sleep(delay).await;
                            attempt += 1;
                            continue;
                        }
                        tracing::debug!(attempt, delay_ms, "not retrying: the wait would pass the total timeout");
                    }
                    if err.is_timeout() {
                        return Err(Error::Timeout {
                            method,
                            path,
                            timeout: self.inner.timeout,
                            source: err,
                        });
                    }
                    return Err(Error::Transport {
                        method,
                        path,
                        source: err,
                    });
                }
            }
        }
    }

    /// The decode error of a 2xx answer, without the credentials should the server echo them.
    fn decode_error(
        &self,
        method: reqwest::Method,
        path: &'static str,
        raw: &RawResponse,
        failure: DecodeFailure,
    ) -> Box<DecodeError> {
        let secrets = &self.inner.secrets;
        let failure = DecodeFailure {
            source: secrets.json_error(failure.source),
            path: failure.path.map(|path| secrets.text(&path).into_owned()),
        };
        let headers = secrets.headers(raw.headers.clone());
        let mut decode =
            DecodeError::new(method, path, raw.status, &headers, &secrets.bytes(&raw.body), failure);
        decode.body_len = raw.body.len();
        Box::new(decode)
    }

    /// One attempt: send the request and read the whole answer, up to the body size limit;
    /// with `open`, leave the body of a 2xx answer unread, and bound the wait for the answer
    /// (not the body) by the timeout.
    async fn attempt(&self, req: &Request, url: &Url, headers: &HeaderMap, open: bool) -> Attempt {
        let timeout = self.inner.timeout;
        let mut builder = self
            .inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(headers.clone());
        if !open {
            // From connecting to the end of the body: a stalled or trickling body is cut too.
            builder = builder.timeout(timeout);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let sent = if open {
            match tokio::time::timeout(timeout, builder.send()).await {
                Ok(sent) => sent,
                Err(_) => return Attempt::NoAnswer,
            }
        } else {
            builder.send().await
        };
        let response = match sent {
            Ok(response) => response,
            Err(err) => return Attempt::Failed(err),
        };
        let status = response.status();
        if open && status.is_success() {
            return Attempt::Open(response);
        }
        let headers = response.headers().clone();
        let limit = self.inner.max_body_size;
        let body = if open {
            match tokio::time::timeout(timeout, read_body(response, limit)).await {
                Ok(body) => body,
                Err(_) => return Attempt::NoAnswer,
            }
        } else {
            read_body(response, limit).await
        };
        match body {
            Ok(body) => Attempt::Answer(RawResponse {
                status,
                headers,
                body,
            }),
            Err(BodyFailure::TooLarge { content_length }) => Attempt::TooLarge {
                status,
                content_length,
            },
            Err(BodyFailure::Read(err)) => Attempt::Failed(err),
        }
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
                    "{} {}: this operation is sent to an agent's own URL; set it with \
                     ClientBuilder::agent_base_url",
                    req.method, req.path_template
                ))
            })?,
            Host::Absolute => "",
        };
        let joined = format!("{base}{}", req.path);
        let invalid = |reason: String| Error::Serialize {
            message: format!(
                "{} {}: the request URL is invalid: {reason}",
                req.method, req.path_template
            ),
            source: None,
        };
        let mut url = Url::parse(&joined).map_err(|err| invalid(err.to_string()))?;
        if req.host == Host::Absolute {
            // The URL is the caller's: check it without repeating it (it may be pre-signed).
            if url.scheme() != "http" && url.scheme() != "https" {
                return Err(invalid(format!(
                    "the URL must start with http:// or https://, not {}://",
                    url.scheme()
                )));
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
        let invalid = |what: &str, name: &str| Error::Serialize {
            message: format!(
                "{} {}: the {what} of header {name:?} is invalid",
                req.method, req.path_template
            ),
            source: None,
        };
        let mut map = HeaderMap::new();
        map.insert(USER_AGENT, self.inner.user_agent.clone());
        let accept = HeaderValue::from_str(req.accept).map_err(|_| invalid("value", "Accept"))?;
        map.insert(ACCEPT, accept);
        if req.body.is_some() {
            let content_type = HeaderValue::from_str(req.content_type)
                .map_err(|_| invalid("value", "Content-Type"))?;
            map.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in &req.headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name", name))?;
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
        let config =
            |what: String| Error::config(format!("{} {}: {what}", req.method, req.path_template));
        match (req.host, req.auth) {
            (Host::Absolute, _) | (_, Auth::None) => Ok(None),
            (Host::Api, Auth::Token) => inner.token.clone().map(Some).ok_or_else(|| {
                config(format!(
                    "this operation needs a DigitalOcean API token; set it with \
                     ClientBuilder::token or the environment variable {TOKEN_VAR}"
                ))
            }),
            (Host::Inference | Host::Agent, Auth::ModelAccessKey) => {
                inner.model_access_key.clone().map(Some).ok_or_else(|| {
                    config(format!(
                        "this operation needs a model access key; set it with \
                         ClientBuilder::model_access_key or the environment variable \
                         {MODEL_ACCESS_KEY_VAR}"
                    ))
                })
            }
            (host, auth) => Err(config(format!(
                "the credential {auth:?} is never sent to the host {host:?}"
            ))),
        }
    }
}
