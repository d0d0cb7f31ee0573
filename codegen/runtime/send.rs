//! Sending a request: the attempt loop with retries, tracing, and mapping answers to results.

use std::time::Instant;

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use super::client::Client;
use super::error::{ApiError, DecodeError, Error};
use super::request::Request;
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
    Failed(reqwest::Error),
}

impl Client {
    /// Sends `req` and decodes the JSON body of the successful answer into `T`.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: Request,
    ) -> Result<Response<T>, Error> {
        let method = req.method.clone();
        let path = req.path_template;
        let raw = self.execute(req).await?;
        match serde_json::from_slice::<T>(&raw.body) {
            Ok(body) => Ok(Response::new(raw.status, raw.headers, body)),
            Err(source) => {
                tracing::debug!(status = raw.status.as_u16(), error = %source, "could not decode the answer");
                Err(Error::Decode(Box::new(DecodeError::new(
                    method,
                    path,
                    raw.status,
                    &raw.headers,
                    &raw.body,
                    source,
                ))))
            }
        }
    }

    /// Sends `req` and ignores the body of the successful answer, whatever it is.
    #[allow(dead_code)] // Used by generated operations without a response body, if any.
    pub(crate) async fn send_empty(&self, req: Request) -> Result<Response<()>, Error> {
        let raw = self.execute(req).await?;
        Ok(Response::new(raw.status, raw.headers, ()))
    }

    /// Sends `req` until it gets a 2xx answer, an answer or error not to retry, or runs out of attempts.
    async fn execute(&self, req: Request) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!("digitalocean_request", method = %req.method, path = req.path_template);
        self.attempts(req).instrument(span).await
    }

    async fn attempts(&self, req: Request) -> Result<RawResponse, Error> {
        let url = self.url_for(&req)?;
        let headers = extra_headers(&req)?;
        let policy = &self.inner.retry;
        let mut attempt: u32 = 1;
        loop {
            let started = Instant::now();
            let outcome = self.attempt(&req, &url, &headers).await;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            match outcome {
                Attempt::Answer(raw) => {
                    let status = raw.status.as_u16();
                    tracing::debug!(attempt, status, elapsed_ms, "answer received");
                    if raw.status.is_success() {
                        return Ok(raw);
                    }
                    if let Some(delay) =
                        policy.after_status(&req.method, raw.status, &raw.headers, attempt)
                    {
                        let delay_ms = delay.as_millis() as u64;
                        tracing::info!(attempt, status, delay_ms, "retrying after an error answer");
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
                    }
                    let api = ApiError::from_response(
                        req.method.clone(),
                        req.path_template,
                        raw.status,
                        raw.headers,
                        &raw.body,
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
                        tracing::info!(attempt, delay_ms, "retrying after a connection error");
                        tokio::time::sleep(delay).await;
                        attempt += 1;
                        continue;
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

    /// One attempt: send the request and read the whole answer.
    async fn attempt(&self, req: &Request, url: &Url, headers: &HeaderMap) -> Attempt {
        let inner = &self.inner;
        let mut builder = inner
            .http
            .request(req.method.clone(), url.clone())
            .headers(headers.clone())
            .header(AUTHORIZATION, inner.authorization.clone())
            .header(USER_AGENT, inner.user_agent.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .timeout(inner.timeout);
        if let Some(body) = &req.body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body.clone());
        }
        let response = match builder.send().await {
            Ok(response) => response,
            Err(err) => return Attempt::Failed(err),
        };
        let status = response.status();
        let headers = response.headers().clone();
        match response.bytes().await {
            Ok(body) => Attempt::Answer(RawResponse {
                status,
                headers,
                body: Vec::from(body),
            }),
            Err(err) => Attempt::Failed(err),
        }
    }

    /// The base URL joined with the request's path and query.
    fn url_for(&self, req: &Request) -> Result<Url, Error> {
        let joined = format!("{}{}", self.inner.base_url, req.path);
        let mut url = Url::parse(&joined).map_err(|err| Error::Serialize {
            message: format!(
                "{} {}: the request URL is invalid: {err}",
                req.method, req.path_template
            ),
            source: None,
        })?;
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &req.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }
}

/// The request's own headers, checked once for all attempts.
fn extra_headers(req: &Request) -> Result<HeaderMap, Error> {
    let mut map = HeaderMap::new();
    for (name, value) in &req.headers {
        let invalid = |what: &str| Error::Serialize {
            message: format!(
                "{} {}: the {what} of header {name:?} is invalid",
                req.method, req.path_template
            ),
            source: None,
        };
        let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
        let header_value = HeaderValue::from_str(value).map_err(|_| invalid("value"))?;
        map.append(header_name, header_value);
    }
    Ok(map)
}
