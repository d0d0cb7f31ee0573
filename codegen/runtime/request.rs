//! The description of one API call, built by the generated operation methods.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;

use super::error::Error;

/// What [`Request::json`] encodes a body with.
type JsonWriter<'a> = serde_json::Serializer<&'a mut Vec<u8>>;

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one path segment: everything except unreserved characters, so that `/`,
/// `?`, `#`, `%` and spaces in a value cannot change the path.
pub(crate) fn encode_path(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// An operation of the API, as a request and its errors name it: its id, HTTP method and path
/// template. `Display` gives `GET /v2/droplets/{droplet_id}`.
///
/// `Debug` is one line too, with the id: `GET /v2/droplets/{droplet_id} (droplets_get)`.
#[derive(PartialEq, Eq)]
#[non_exhaustive]
pub struct Call {
    /// The operation id, e.g. `droplets_get`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/v2/droplets/{droplet_id}`.
    pub path: &'static str,
}

impl Call {
    pub(crate) const fn new(operation: &'static str, method: Method, path: &'static str) -> Call {
        Call { operation, method, path }
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({})", self.method, self.path, self.operation)
    }
}

impl std::fmt::Display for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Where a request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // A Functions-only build uses only `Api`.
pub(crate) enum Host {
    /// The configured base URL (`https://api.digitalocean.com` by default).
    Api,
    /// The inference host (`https://inference.do-ai.run` by default).
    Inference,
    /// An agent's own URL, configured with `ClientBuilder::agent_base_url`.
    Agent,
    /// The request's path is a full `http(s)` URL given by the caller (a pre-signed upload
    /// URL); it never carries a credential.
    Absolute,
}

/// Which credential a request carries in its `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // A Functions-only build uses only `Token`.
pub(crate) enum Auth {
    /// The DigitalOcean API token; only ever sent to [`Host::Api`].
    Token,
    /// The model access key; only ever sent to [`Host::Inference`] and [`Host::Agent`].
    ModelAccessKey,
    /// No `Authorization` header.
    None,
}

/// One API call: its operation, host, credential, path (filled in), query, extra headers and
/// body.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) call: &'static Call,
    pub(crate) path: String,
    pub(crate) host: Host,
    pub(crate) auth: Auth,
    /// The `Accept` header, unless a header named `Accept` replaces it.
    pub(crate) accept: &'static str,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
    /// The `Content-Type` of `body`, unless a header named `Content-Type` replaces it.
    pub(crate) content_type: &'static str,
}

impl Request {
    /// A request of `call` for `path` (already percent-encoded), an instance of its template.
    pub(crate) fn new(call: &'static Call, path: String) -> Request {
        Request {
            call,
            path,
            host: Host::Api,
            auth: Auth::Token,
            accept: "application/json",
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            content_type: "application/json",
        }
    }

    /// Sends the request to `host` instead of [`Host::Api`].
    #[allow(dead_code)] // Used by generated operations of other hosts, if any.
    pub(crate) fn host(mut self, host: Host) -> Request {
        self.host = host;
        self
    }

    /// Sends the credential `auth` instead of [`Auth::Token`].
    #[allow(dead_code)] // Used by generated operations with other credentials, if any.
    pub(crate) fn auth(mut self, auth: Auth) -> Request {
        self.auth = auth;
        self
    }

    /// The `Accept` header (default `application/json`).
    #[allow(dead_code)] // Used by generated operations answering other media types, if any.
    pub(crate) fn accept(mut self, media_type: &'static str) -> Request {
        self.accept = media_type;
        self
    }

    /// Appends one query pair; call it once per element for an array.
    #[allow(dead_code)] // Used by generated operations with query parameters, if any.
    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Request {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a header; one named `Accept` or `Content-Type` replaces the default one.
    #[allow(dead_code)] // Used by generated operations with header parameters, if any.
    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Request {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Serializes `body` as the JSON body of the request, without its read-only members (see
    /// `direction.rs`).
    pub(crate) fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Result<Request, Error> {
        // Only this closure is compiled per type of body; the rest is in `with_json`.
        self.with_json(&mut |serializer| body.serialize(serializer))
    }

    /// Sets the body that `encode` writes, or says why it could not be encoded.
    fn with_json(mut self, encode: &mut dyn FnMut(&mut JsonWriter<'_>) -> Result<(), serde_json::Error>) -> Result<Request, Error> {
        let mut bytes = Vec::with_capacity(256);
        let encoded = {
            let _sending = super::direction::sending();
            encode(&mut serde_json::Serializer::new(&mut bytes))
        };
        encoded.map_err(|source| Error::InvalidRequest {
            call: Some(self.call),
            message: "could not serialize the request body".to_owned(),
            source: Some(source),
        })?;
        self.body = Some(bytes);
        self.content_type = "application/json";
        Ok(self)
    }

    /// Sets the member `stream` of the JSON body to `true` (a body that is not a JSON object
    /// is left as it is): `.events()` asks the API for events with it.
    #[allow(dead_code)] // Used by generated streaming operations, if any.
    #[cfg(feature = "_events")]
    pub(crate) fn ask_for_stream(mut self) -> Result<Request, Error> {
        let Some(body) = self.body.take() else {
            return Ok(self);
        };
        let call = self.call;
        let invalid = |source| Error::InvalidRequest {
            call: Some(call),
            message: "could not set `stream` in the request body".to_owned(),
            source: Some(source),
        };
        let mut value = serde_json::from_slice::<serde_json::Value>(&body).map_err(invalid)?;
        self.body = match value.as_object_mut() {
            Some(members) => {
                members.insert("stream".to_owned(), serde_json::Value::Bool(true));
                Some(serde_json::to_vec(&value).map_err(invalid)?)
            }
            None => Some(body),
        };
        Ok(self)
    }

    /// Sends `body` as it is, with the given `Content-Type`.
    #[allow(dead_code)] // Used by generated operations with a binary body, if any.
    pub(crate) fn bytes(mut self, body: Vec<u8>, content_type: &'static str) -> Request {
        self.body = Some(body);
        self.content_type = content_type;
        self
    }
}
