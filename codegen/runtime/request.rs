//! The description of one API call, built by the generated operation methods.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::Method;

use super::error::Error;

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - . _ ~`).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment: everything except unreserved characters, so that `/`,
/// `?`, `#`, `%` and spaces in a value cannot change the path.
pub(crate) fn encode_path(segment: &str) -> String {
    utf8_percent_encode(segment, PATH_SEGMENT).to_string()
}

/// One API call: method, path (template and filled in), query, extra headers and JSON body.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    pub(crate) method: Method,
    pub(crate) path_template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Vec<u8>>,
}

impl Request {
    /// A request for `path` (already percent-encoded), an instance of `path_template`.
    pub(crate) fn new(method: Method, path_template: &'static str, path: String) -> Request {
        Request {
            method,
            path_template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Appends one query pair; call it once per element for an array.
    #[allow(dead_code)] // Used by generated operations with query parameters, if any.
    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Request {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a header.
    #[allow(dead_code)] // Used by generated operations with header parameters, if any.
    pub(crate) fn header(mut self, name: &'static str, value: impl ToString) -> Request {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Serializes `body` as the JSON body of the request.
    pub(crate) fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Result<Request, Error> {
        let bytes = serde_json::to_vec(body).map_err(|source| Error::Serialize {
            message: format!(
                "{} {}: could not serialize the request body",
                self.method, self.path_template
            ),
            source: Some(source),
        })?;
        self.body = Some(bytes);
        Ok(self)
    }
}
