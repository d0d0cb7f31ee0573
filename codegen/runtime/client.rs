//! The client and its builder.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::Url;

use super::error::Error;
use super::retry::RetryPolicy;

/// The API's address when none is configured.
pub const DEFAULT_BASE_URL: &str = "https://api.digitalocean.com";
/// The request timeout when none is configured: 30 s, from connecting to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The connect timeout when none is configured.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

const TOKEN_VAR: &str = "DIGITALOCEAN_TOKEN";
const BASE_URL_VAR: &str = "DIGITALOCEAN_API_URL";

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
    /// `Bearer <token>`, marked sensitive.
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl Client {
    /// A client with the default configuration and the given API token.
    pub fn new(token: impl Into<String>) -> Result<Client, Error> {
        Client::builder().token(token).build()
    }

    /// A client configured from the environment: the token from `DIGITALOCEAN_TOKEN` (required)
    /// and the base URL from `DIGITALOCEAN_API_URL` (optional).
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
            .field("token", &"<redacted>")
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
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
    base_url: Option<String>,
    user_agent_prefix: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
}

impl ClientBuilder {
    /// The API token, sent as `Authorization: Bearer <token>`.
    pub fn token(mut self, token: impl Into<String>) -> ClientBuilder {
        self.token = Some(token.into());
        self
    }

    /// The token from `DIGITALOCEAN_TOKEN` (an error if unset or empty) and, when set, the base
    /// URL from `DIGITALOCEAN_API_URL`.
    pub fn read_env(mut self) -> Result<ClientBuilder, Error> {
        let token = std::env::var(TOKEN_VAR).unwrap_or_default();
        if token.trim().is_empty() {
            return Err(Error::config(format!(
                "the environment variable {TOKEN_VAR} is not set; set it to a DigitalOcean API token"
            )));
        }
        self.token = Some(token);
        if let Ok(url) = std::env::var(BASE_URL_VAR) {
            if !url.trim().is_empty() {
                self.base_url = Some(url);
            }
        }
        Ok(self)
    }

    /// The API's address (default [`DEFAULT_BASE_URL`]); it may have a path prefix, with or
    /// without a trailing slash.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// A product name put before `digitalocean/<version>` in the `User-Agent` header.
    pub fn user_agent_prefix(mut self, prefix: impl Into<String>) -> ClientBuilder {
        self.user_agent_prefix = Some(prefix.into());
        self
    }

    /// The timeout of one attempt, from connecting to the end of the body (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = Some(timeout);
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
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http = Some(client);
        self
    }

    /// The client, or a configuration error (missing token, bad base URL, ...).
    pub fn build(self) -> Result<Client, Error> {
        let token = self.token.unwrap_or_default();
        if token.trim().is_empty() {
            return Err(Error::config("no API token was given"));
        }
        let mut authorization = HeaderValue::from_str(&format!("Bearer {}", token.trim()))
            .map_err(|_| {
                Error::config("the API token contains characters not allowed in an HTTP header")
            })?;
        authorization.set_sensitive(true);

        let base_url = normalize_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;

        let version = concat!("digitalocean/", env!("CARGO_PKG_VERSION"));
        let user_agent = match self.user_agent_prefix.as_deref().map(str::trim) {
            Some(prefix) if !prefix.is_empty() => format!("{prefix} {version}"),
            _ => version.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::config("the user agent prefix contains characters not allowed in an HTTP header")
        })?;

        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .timeout(timeout)
                .build()
                .map_err(|err| Error::config(format!("could not build the HTTP client: {err}")))?,
        };

        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                base_url,
                authorization,
                user_agent,
                timeout,
                retry: self.retry.unwrap_or_default(),
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("user_agent_prefix", &self.user_agent_prefix)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("http_client", &self.http.is_some())
            .finish()
    }
}

/// Checks a base URL and returns it without a trailing slash.
fn normalize_base_url(raw: &str) -> Result<String, Error> {
    let raw = raw.trim();
    let url = Url::parse(raw)
        .map_err(|err| Error::config(format!("the base URL {raw:?} is not a valid URL: {err}")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(Error::config(format!(
            "the base URL {raw:?} must start with http:// or https://"
        )));
    }
    if url.host_str().is_none() {
        return Err(Error::config(format!("the base URL {raw:?} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "the base URL {raw:?} must not have a query or fragment"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(
            "the base URL must not contain credentials; use the token",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}
