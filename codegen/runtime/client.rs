//! The client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use super::error::Error;
use super::retry::RetryPolicy;
use super::secrets::Secrets;

/// The API's address when none is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.digitalocean.com";
/// The inference host's address when none is configured.
pub const DEFAULT_INFERENCE_URL: &str = "https://inference.do-ai.run";
/// The request timeout when none is configured: 30 s, from connecting to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout when none is configured.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest body of an answer the client reads when none is configured
/// ([`ClientBuilder::max_body_size`]): 64 MiB. A larger one is [`Error::BodyTooLarge`].
pub const DEFAULT_MAX_BODY_SIZE: usize = 64 * 1024 * 1024;

/// The largest event an event stream may send when none is configured
/// ([`ClientBuilder::max_event_size`]): 16 MiB, counted from the end of the previous event, line
/// ends and comments included. A larger event is
/// [`StreamErrorKind::TooLarge`](super::StreamErrorKind::TooLarge).
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

pub(crate) const TOKEN_VAR: &str = "DIGITALOCEAN_TOKEN";
const BASE_URL_VAR: &str = "DIGITALOCEAN_API_URL";
pub(crate) const MODEL_ACCESS_KEY_VAR: &str = "DIGITALOCEAN_MODEL_ACCESS_KEY";
const INFERENCE_URL_VAR: &str = "DIGITALOCEAN_INFERENCE_URL";

/// A client of the DigitalOcean API.
///
/// Cheap to clone (the state is behind an [`Arc`]) and `Send + Sync`: create one and share it
/// between tasks, so that they share its connection pool. Operations are grouped by tag, e.g.
/// `client.functions().list_namespaces()`.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

pub(crate) struct ClientInner {
    pub(crate) http: reqwest::Client,
    /// The base URL without a trailing slash; operation paths start with `/`.
    pub(crate) base_url: String,
    /// The inference host's URL, without a trailing slash.
    pub(crate) inference_url: String,
    /// An agent's own URL, without a trailing slash, when configured.
    pub(crate) agent_url: Option<String>,
    /// `Bearer <token>`, marked sensitive; only sent to the API host.
    pub(crate) token: Option<HeaderValue>,
    /// `Bearer <model access key>`, marked sensitive; only sent to the inference and agent hosts.
    pub(crate) model_access_key: Option<HeaderValue>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    /// The deadline of one call, all its attempts and waits included; `None`: no deadline.
    pub(crate) total_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// The largest event of an event stream, in bytes.
    pub(crate) max_event_size: usize,
    /// The largest body of an answer, in bytes.
    pub(crate) max_body_size: usize,
    /// The two credentials, to take out of what a server echoes back.
    pub(crate) secrets: Secrets,
}

// `impl Client` is in four parts, each in the file of what it does: here, making a client and
// reading its settings; `send.rs`, sending a request (URL, headers, credential, the attempt loop,
// errors); `events.rs`, opening an event stream; `wait.rs`, waiting for an action. The generated
// `apis/` add one accessor per tag (`client.droplets()`).
impl Client {
    /// A client with the default configuration and the given API token.
    pub fn new(token: impl Into<String>) -> Result<Client, Error> {
        Client::builder().token(token).build()
    }

    /// A client configured from the environment: the token from `DIGITALOCEAN_TOKEN`, the model
    /// access key from `DIGITALOCEAN_MODEL_ACCESS_KEY` (at least one of the two is required),
    /// and the optional `DIGITALOCEAN_API_URL` and `DIGITALOCEAN_INFERENCE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().read_env()?.build()
    }

    /// A builder for a client with a non-default configuration.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The inference host's URL (default [`DEFAULT_INFERENCE_URL`]).
    pub fn inference_base_url(&self) -> &str {
        &self.inner.inference_url
    }

    /// The agent's URL, when one was configured.
    pub fn agent_base_url(&self) -> Option<&str> {
        self.inner.agent_url.as_deref()
    }

    /// The retry policy of this client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("inference_base_url", &inner.inference_url)
            .field("agent_base_url", &inner.agent_url)
            .field("token", &redacted(inner.token.is_some()))
            .field("model_access_key", &redacted(inner.model_access_key.is_some()))
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("total_timeout", &inner.total_timeout)
            .field("retry", &inner.retry)
            .field("max_body_size", &inner.max_body_size)
            .field("max_event_size", &inner.max_event_size)
            .finish_non_exhaustive()
    }
}

/// Configuration of a [`Client`]; see [`Client::builder`].
///
/// ```no_run
/// use std::time::Duration;
/// use digitalocean::{Client, RetryPolicy};
///
/// # fn main() -> Result<(), digitalocean::Error> {
/// let client = Client::builder()
///     .token("dop_v1_...")
///     .base_url("https://api.digitalocean.com")
///     .user_agent_prefix("my-tool/1.2")
///     .timeout(Duration::from_secs(60))
///     .connect_timeout(Duration::from_secs(5))
///     .retry_policy(RetryPolicy::default().max_attempts(5))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    token: Option<String>,
    model_access_key: Option<String>,
    base_url: Option<String>,
    inference_url: Option<String>,
    agent_url: Option<String>,
    user_agent_prefix: Option<String>,
    timeout: Option<Duration>,
    total_timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    max_event_size: Option<usize>,
    max_body_size: Option<usize>,
}

impl ClientBuilder {
    /// The API token, sent as `Authorization: Bearer <token>` to the API host only.
    pub fn token(mut self, token: impl Into<String>) -> ClientBuilder {
        self.token = Some(token.into());
        self
    }

    /// The model access key of the inference API, sent as `Authorization: Bearer <key>` to the
    /// inference host and the agent's URL only.
    pub fn model_access_key(mut self, key: impl Into<String>) -> ClientBuilder {
        self.model_access_key = Some(key.into());
        self
    }

    /// Settings from the environment: the token from `DIGITALOCEAN_TOKEN` and the model access
    /// key from `DIGITALOCEAN_MODEL_ACCESS_KEY` (an error if neither is set and non-empty), and,
    /// when set, the base URL from `DIGITALOCEAN_API_URL` and the inference host's URL from
    /// `DIGITALOCEAN_INFERENCE_URL`.
    pub fn read_env(self) -> Result<ClientBuilder, Error> {
        self.read_vars(|name| std::env::var(name).ok())
    }

    /// [`ClientBuilder::read_env`] with the variables looked up by `var`.
    pub(super) fn read_vars(mut self, var: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder, Error> {
        let set = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let token = set(TOKEN_VAR);
        let key = set(MODEL_ACCESS_KEY_VAR);
        if token.is_none() && key.is_none() {
            return Err(Error::config(format!(
                "the environment variable {TOKEN_VAR} is not set; set it to a DigitalOcean API \
                 token (or {MODEL_ACCESS_KEY_VAR} to a model access key for the inference API)"
            )));
        }
        if token.is_some() {
            self.token = token;
        }
        if key.is_some() {
            self.model_access_key = key;
        }
        if let Some(url) = set(BASE_URL_VAR) {
            self.base_url = Some(url);
        }
        if let Some(url) = set(INFERENCE_URL_VAR) {
            self.inference_url = Some(url);
        }
        Ok(self)
    }

    /// The API's address (default [`DEFAULT_BASE_URL`]); it may have a path prefix, with or
    /// without a trailing slash.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// The inference host's address (default [`DEFAULT_INFERENCE_URL`]).
    pub fn inference_base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.inference_url = Some(url.into());
        self
    }

    /// An agent's own URL, e.g. `https://abcdef.agents.do-ai.run` (a bare host name gets
    /// `https://`); the agent operations need it and there is no default.
    pub fn agent_base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.agent_url = Some(url.into());
        self
    }

    /// A product name put before `digitalocean/<version>` in the `User-Agent` header.
    pub fn user_agent_prefix(mut self, prefix: impl Into<String>) -> ClientBuilder {
        self.user_agent_prefix = Some(prefix.into());
        self
    }

    /// The timeout of one attempt, from connecting to the end of the body (default 30 s). For an
    /// event stream, the wait for the answer and then for each next piece of the stream.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = Some(timeout);
        self
    }

    /// The deadline of one call, its first attempt, every retry and every wait between them
    /// included (default: none). When it passes during an attempt, the call ends with
    /// [`Error::Deadline`]; a retry whose wait would end after it is not made, and the call
    /// ends with the answer or error that asked for the retry. Without it a call is still
    /// bounded: by the attempts of the retry policy, each within [`ClientBuilder::timeout`],
    /// and the waits between them (with the defaults, at most 3 × 30 s + 2 × 60 s).
    ///
    /// For an event stream it bounds the wait for the answer, not the stream itself; each page of
    /// a paginated walk and each poll of an action wait is a call of its own.
    pub fn total_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.total_timeout = Some(timeout);
        self
    }

    /// The connect timeout (default 10 s). Not applied to a client given with
    /// [`ClientBuilder::http_client`], which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = Some(policy);
        self
    }

    /// An existing `reqwest::Client` to send requests with (its connection pool, proxy and TLS
    /// settings are reused; the token, user agent and timeout are still set per request).
    ///
    /// Its redirect policy is its own: the client this builder makes follows no redirect, while
    /// reqwest's default policy follows up to 10 and removes `Authorization` when the scheme,
    /// host or port changes. Build it with `redirect(reqwest::redirect::Policy::none())` to
    /// keep the rule of the default client, and never with `connection_verbose(true)`, which
    /// logs the bytes of every request (the `Authorization` header included) at `TRACE`.
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http = Some(client);
        self
    }

    /// The largest event an event stream may send, in bytes (default
    /// [`DEFAULT_MAX_EVENT_SIZE`](super::DEFAULT_MAX_EVENT_SIZE), 16 MiB): a larger one ends the
    /// stream with an error instead of growing a buffer without bound.
    pub fn max_event_size(mut self, bytes: usize) -> ClientBuilder {
        self.max_event_size = Some(bytes);
        self
    }

    /// The largest body of an answer the client reads, in bytes (default
    /// [`DEFAULT_MAX_BODY_SIZE`], 64 MiB), whatever its status: a larger one (by its
    /// `Content-Length`, or counted while it is read) is [`Error::BodyTooLarge`] instead of
    /// filling memory. Event streams have their own limit per event,
    /// [`ClientBuilder::max_event_size`].
    pub fn max_body_size(mut self, bytes: usize) -> ClientBuilder {
        self.max_body_size = Some(bytes);
        self
    }

    /// The client, or a configuration error (no credential, bad base URL, ...).
    pub fn build(self) -> Result<Client, Error> {
        let token = bearer(self.token.as_deref(), "the API token")?;
        let model_access_key = bearer(self.model_access_key.as_deref(), "the model access key")?;
        if token.is_none() && model_access_key.is_none() {
            return Err(Error::config(format!(
                "no API token was given; set one with ClientBuilder::token or {TOKEN_VAR} \
                 (or a model access key with ClientBuilder::model_access_key or {MODEL_ACCESS_KEY_VAR})"
            )));
        }

        let base_url = normalize_base_url("base URL", self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let inference_url = normalize_base_url("inference base URL", self.inference_url.as_deref().unwrap_or(DEFAULT_INFERENCE_URL))?;
        let agent_url = match self.agent_url.as_deref().map(str::trim) {
            Some(url) if !url.contains("://") => Some(normalize_base_url("agent base URL", &format!("https://{url}"))?),
            Some(url) => Some(normalize_base_url("agent base URL", url)?),
            None => None,
        };

        let version = concat!("digitalocean/", env!("CARGO_PKG_VERSION"));
        let user_agent = match self.user_agent_prefix.as_deref().map(str::trim) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix} {version}"),
            _ => version.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::config("the user agent prefix contains characters not allowed in an HTTP header"))?;

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                // The timeout is set per request: event streams outlive it.
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                // The API does not redirect; a redirect is answered as it is (an error), so
                // that no request, and no credential, ever goes where the server points.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|err| Error::config(format!("could not build the HTTP client: {err}")))?,
        };

        let secrets = Secrets::new([token.as_ref(), model_access_key.as_ref()]);
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                inference_url,
                agent_url,
                token,
                model_access_key,
                user_agent,
                timeout,
                total_timeout: self.total_timeout,
                retry: self.retry.unwrap_or_default(),
                max_event_size: self.max_event_size.unwrap_or(DEFAULT_MAX_EVENT_SIZE),
                max_body_size: self.max_body_size.unwrap_or(DEFAULT_MAX_BODY_SIZE),
                secrets,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &redacted(self.token.is_some()))
            .field("model_access_key", &redacted(self.model_access_key.is_some()))
            .field("base_url", &self.base_url)
            .field("inference_base_url", &self.inference_url)
            .field("agent_base_url", &self.agent_url)
            .field("user_agent_prefix", &self.user_agent_prefix)
            .field("timeout", &self.timeout)
            .field("total_timeout", &self.total_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("http_client", &self.http.is_some())
            .field("max_event_size", &self.max_event_size)
            .field("max_body_size", &self.max_body_size)
            .finish()
    }
}

/// What a `Debug` output shows for a secret.
fn redacted(set: bool) -> Option<&'static str> {
    set.then_some("<redacted>")
}

/// `Bearer <secret>` as a sensitive header value; `None` for a missing or blank secret.
fn bearer(secret: Option<&str>, what: &str) -> Result<Option<HeaderValue>, Error> {
    let secret = match secret.map(str::trim) {
        Some(secret) if !secret.is_empty() => secret,
        _ => return Ok(None),
    };
    let mut value = HeaderValue::from_str(&format!("Bearer {secret}"))
        .map_err(|_| Error::config(format!("{what} contains characters not allowed in an HTTP header")))?;
    value.set_sensitive(true);
    Ok(Some(value))
}

/// Checks a base URL (`what`: "base URL", ...) and returns it without a trailing slash.
fn normalize_base_url(what: &str, raw: &str) -> Result<String, Error> {
    let raw = raw.trim();
    let url = Url::parse(raw).map_err(|err| Error::config(format!("the {what} {raw:?} is not a valid URL: {err}")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(Error::config(format!("the {what} {raw:?} must start with http:// or https://")));
    }
    if url.host_str().is_none() {
        return Err(Error::config(format!("the {what} {raw:?} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!("the {what} {raw:?} must not have a query or fragment")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!("the {what} must not contain credentials; use the token or model access key")));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}
