//! Keeping the credentials out of what the client keeps of an answer: a server (an echo
//! service, a debugging proxy) may send them back, in a body, a header or a decoder's message.
//! Errors hold answers only through [`Secrets`]; `Debug` of the client shows neither credential.

use std::borrow::Cow;

use reqwest::header::{HeaderMap, HeaderValue};

/// The credentials as they are sent (without `Bearer `), to replace with `<redacted>` in what an
/// error keeps of an answer: a server (an echo service, a debugging proxy) may send them back.
/// Secrets shorter than 8 bytes are left alone: no real credential is that short, and replacing
/// one would mangle every message of a test that uses one.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Vec<Vec<u8>>);

const REDACTED: &str = "<redacted>";

impl Secrets {
    pub(crate) fn new(credentials: [Option<&HeaderValue>; 2]) -> Secrets {
        let secrets = credentials
            .into_iter()
            .flatten()
            .map(|value| {
                let bytes = value.as_bytes();
                bytes.strip_prefix(b"Bearer ").unwrap_or(bytes).to_vec()
            })
            .filter(|secret| secret.len() >= 8)
            .collect();
        Secrets(secrets)
    }

    /// `bytes` with every credential replaced.
    pub(crate) fn bytes<'b>(&self, bytes: &'b [u8]) -> Cow<'b, [u8]> {
        let mut out = Cow::Borrowed(bytes);
        for secret in &self.0 {
            if let Some(replaced) = replace_all(&out, secret) {
                out = Cow::Owned(replaced);
            }
        }
        out
    }

    /// `text` with every credential replaced.
    pub(crate) fn text<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.bytes(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// `headers` with every value that holds a credential replaced (and marked sensitive).
    pub(crate) fn headers(&self, mut headers: HeaderMap) -> HeaderMap {
        for value in headers.values_mut() {
            if self.0.iter().any(|secret| find(value.as_bytes(), secret).is_some()) {
                *value = HeaderValue::from_static(REDACTED);
                value.set_sensitive(true);
            }
        }
        headers
    }

    /// `err` itself, or, when its message holds a credential, an error with that message
    /// without it (a decoder's error may quote the value it could not take).
    pub(crate) fn json_error(&self, err: serde_json::Error) -> serde_json::Error {
        match self.text(&err.to_string()) {
            Cow::Borrowed(_) => err,
            Cow::Owned(scrubbed) => serde::de::Error::custom(scrubbed),
        }
    }
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// `haystack` with every `needle` replaced by [`REDACTED`]; `None` when there is none.
fn replace_all(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let mut at = find(haystack, needle)?;
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    loop {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(REDACTED.as_bytes());
        rest = &rest[at + needle.len()..];
        match find(rest, needle) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.extend_from_slice(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "dop_v1_token_secret_0123";
    const KEY: &str = "sk-do-model-key-secret-4567";

    fn secrets_of(credentials: [&str; 2]) -> Secrets {
        let [token, key] = credentials.map(|c| HeaderValue::from_str(&format!("Bearer {c}")).unwrap());
        Secrets::new([Some(&token), Some(&key)])
    }

    #[test]
    fn echoed_credentials_are_replaced_and_short_ones_left_alone() {
        let secrets = secrets_of([TOKEN, KEY]);
        let echoed = format!("a {TOKEN} b Bearer {KEY}{TOKEN} c");
        assert_eq!(secrets.text(&echoed), "a <redacted> b Bearer <redacted><redacted> c");
        assert_eq!(secrets.bytes(echoed.as_bytes()).as_ref(), b"a <redacted> b Bearer <redacted><redacted> c");
        assert!(matches!(secrets.text("nothing here"), Cow::Borrowed(_)));
        let mut headers = HeaderMap::new();
        headers.insert("x-echo", format!("Bearer {TOKEN}").parse().unwrap());
        headers.insert("x-other", "fine".parse().unwrap());
        let headers = secrets.headers(headers);
        assert_eq!(headers["x-echo"], "<redacted>");
        assert!(headers["x-echo"].is_sensitive());
        assert_eq!(headers["x-other"], "fine");
        let quoted: serde_json::Error = serde::de::Error::custom(format!("invalid value: {KEY}"));
        assert_eq!(secrets.json_error(quoted).to_string(), "invalid value: <redacted>");

        // A credential shorter than 8 bytes is no real one: the text stays as it is.
        assert_eq!(secrets_of(["t0k", "k3y"]).text("t0k t0k k3y"), "t0k t0k k3y");
    }
}
