//! The tape: a JSON document as a flat list of tokens, read by the generated types.
//!
//! `serde_json` parses an answer once into the tape (strings stay borrowed from the body where
//! they have no escapes; nothing else is allocated but the list), and each generated type
//! decodes itself from the tape ([`super::Decode`]). The tape is what keeps decoding both fast
//! and small to compile: `serde_json`'s generic parser is compiled once, for the tape, instead
//! of once per generated struct as a derived `Deserialize` would have it, and a struct's own
//! code is a loop over plain tokens.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// One token of the tape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token<'de> {
    Null,
    Bool(bool),
    /// A non-negative integer.
    U64(u64),
    /// A negative integer.
    I64(i64),
    F64(f64),
    /// A string as it is in the body (it has no escapes).
    Str(&'de str),
    /// A string with escapes, unescaped. (Two variants rather than a `Cow`, which would make
    /// every token a third larger.)
    Escaped(Box<str>),
    /// An object of `len` members, each a [`Token::Key`] and then its value; the object's
    /// last token is before `end`.
    Object {
        len: u32,
        end: u32,
    },
    /// An array of `len` elements; its last token is before `end`.
    Array {
        len: u32,
        end: u32,
    },
    Key(&'de str),
    EscapedKey(Box<str>),
}

impl Token<'_> {
    /// The text of a string.
    fn text(&self) -> Option<&str> {
        match self {
            Token::Str(text) => Some(text),
            Token::Escaped(text) => Some(text),
            _ => None,
        }
    }

    /// The text of a member name.
    fn key(&self) -> Option<&str> {
        match self {
            Token::Key(name) => Some(name),
            Token::EscapedKey(name) => Some(name),
            _ => None,
        }
    }
}

/// A parsed JSON document.
#[derive(Debug)]
pub(crate) struct Tape<'de> {
    tokens: Vec<Token<'de>>,
}

thread_local! {
    /// The token list of the last tape, emptied, for the next one: a client decodes answer
    /// after answer, and the list would otherwise be the one allocation that decoding makes
    /// and serde's derive does not.
    static SPARE: Cell<Vec<Token<'static>>> = const { Cell::new(Vec::new()) };
}

/// The largest list kept for the next tape, in tokens (1.5 MiB): a larger one is freed.
const SPARE_MAX: usize = 1 << 16;

/// An empty list with the allocation of `tokens`. Only the lifetime of the tokens differs, so
/// the standard library collects in place, keeping the allocation (a test checks it does).
fn emptied<'b>(mut tokens: Vec<Token<'_>>) -> Vec<Token<'b>> {
    tokens.clear();
    tokens.into_iter().map(|_| Token::Null).collect()
}

impl<'de> Tape<'de> {
    /// Parses `body`, which must be one JSON value (with nothing but whitespace after it).
    pub(crate) fn parse(body: &'de [u8]) -> Result<Tape<'de>, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        // About one token per 16 bytes of JSON, so that the list rarely grows.
        let mut tape = Tape::new();
        tape.tokens.reserve(body.len() / 16 + 1);
        Build(&mut tape.tokens).deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(tape)
    }

    /// Reads the value any deserializer gives.
    pub(crate) fn read<D: Deserializer<'de>>(deserializer: D) -> Result<Tape<'de>, D::Error> {
        let mut tape = Tape::new();
        Build(&mut tape.tokens).deserialize(deserializer)?;
        Ok(tape)
    }

    /// An empty tape, in the spare list if there is one.
    fn new() -> Tape<'de> {
        Tape { tokens: emptied(SPARE.take()) }
    }

    /// The tape of the empty object `{}`.
    pub(crate) fn empty_object() -> Tape<'static> {
        Tape { tokens: vec![Token::Object { len: 0, end: 1 }] }
    }

    pub(crate) fn reader(&mut self) -> Reader<'_, 'de> {
        Reader { tokens: &mut self.tokens, at: 0 }
    }
}

impl Drop for Tape<'_> {
    /// Keeps the list for the next tape on this thread, unless it is large or the spare one
    /// is larger.
    fn drop(&mut self) {
        let tokens = std::mem::take(&mut self.tokens);
        let spare = SPARE.take();
        let keep = tokens.capacity() <= SPARE_MAX && tokens.capacity() > spare.capacity();
        SPARE.set(if keep { emptied(tokens) } else { spare });
    }
}

/// Appends the tokens of one value. Compiled once per deserializer (there is one in practice,
/// `serde_json`'s over a byte slice), not once per type decoded.
struct Build<'t, 'de>(&'t mut Vec<Token<'de>>);

impl<'de> DeserializeSeed<'de> for Build<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push(Token::Bool(v));
        Ok(())
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        self.0.push(if v < 0 { Token::I64(v) } else { Token::U64(v as u64) });
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        self.0.push(Token::U64(v));
        Ok(())
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.0.push(Token::F64(v));
        Ok(())
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.0.push(Token::Str(v));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push(Token::Escaped(v.into()));
        Ok(())
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.0.push(Token::Escaped(v.into_boxed_str()));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.push(Token::Null);
        Ok(())
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.0.push(Token::Null);
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let start = self.0.len();
        self.0.push(Token::Array { len: 0, end: 0 });
        let mut len = 0u32;
        while seq.next_element_seed(Build(&mut *self.0))?.is_some() {
            len += 1;
        }
        let end = self.0.len() as u32;
        self.0[start] = Token::Array { len, end };
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let start = self.0.len();
        self.0.push(Token::Object { len: 0, end: 0 });
        let mut len = 0u32;
        while map.next_key_seed(Key(&mut *self.0))?.is_some() {
            map.next_value_seed(Build(&mut *self.0))?;
            len += 1;
        }
        let end = self.0.len() as u32;
        self.0[start] = Token::Object { len, end };
        Ok(())
    }
}

/// Appends a member's name.
struct Key<'t, 'de>(&'t mut Vec<Token<'de>>);

impl<'de> DeserializeSeed<'de> for Key<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        self.0.push(Token::Key(v));
        Ok(())
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push(Token::EscapedKey(v.into()));
        Ok(())
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.0.push(Token::EscapedKey(v.into_boxed_str()));
        Ok(())
    }
}

/// Why a value could not be decoded, and where: the path is built as the failure returns
/// through the structs and lists that hold the value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    message: String,
    /// The members and indexes from the failing value outwards.
    path: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Member(Cow<'static, str>),
    Index(usize),
}

/// What decoding from the tape gives.
pub(crate) type Decoded<T> = Result<T, Box<Failure>>;

impl Failure {
    pub(crate) fn new(message: impl fmt::Display) -> Box<Failure> {
        Box::new(Failure { message: message.to_string(), path: Vec::new() })
    }

    /// The failure, inside the member `name`.
    pub(crate) fn in_member(mut self: Box<Self>, name: Cow<'static, str>) -> Box<Failure> {
        self.path.push(Step::Member(name));
        self
    }

    /// The failure, inside the element `index` of a list.
    pub(crate) fn in_element(mut self: Box<Self>, index: usize) -> Box<Failure> {
        self.path.push(Step::Index(index));
        self
    }

    /// The JSON path (`droplets[0].size.price`), or `None` at the top.
    pub(crate) fn path(&self) -> Option<String> {
        if self.path.is_empty() {
            return None;
        }
        let mut out = String::new();
        for step in self.path.iter().rev() {
            match step {
                Step::Member(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Index(index) => out.push_str(&format!("[{index}]")),
            }
        }
        Some(out)
    }
}

impl fmt::Display for Failure {
    /// `` `path`: message ``, as serde's errors for a member read.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path() {
            Some(path) => write!(f, "`{path}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Reads a tape front to back, each value once.
pub(crate) struct Reader<'t, 'de> {
    tokens: &'t mut [Token<'de>],
    at: usize,
}

impl<'de> Reader<'_, 'de> {
    /// The next token, not read.
    pub(crate) fn peek(&self) -> &Token<'de> {
        // Every reader of a token checks it; past the end is only reached on a bug, and a
        // `Null` there reads as "absent".
        self.tokens.get(self.at).unwrap_or(&Token::Null)
    }

    /// Passes over the next value if it is `null`, and says whether it was.
    pub(crate) fn skip_null(&mut self) -> bool {
        let null = self.is_null();
        if null {
            self.at += 1;
        }
        null
    }

    /// Whether the next value is `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.peek(), Token::Null)
    }

    /// The next value, a string, taken as a `String` (an unescaped one is moved out, not
    /// copied); `None` for another value, which is not read.
    pub(crate) fn string(&mut self) -> Option<String> {
        let text = match self.tokens.get_mut(self.at)? {
            Token::Str(text) => (*text).to_owned(),
            Token::Escaped(text) => std::mem::take(text).into_string(),
            _ => return None,
        };
        self.at += 1;
        Some(text)
    }

    /// Passes over the next value.
    pub(crate) fn skip(&mut self) {
        self.at = match self.peek() {
            Token::Object { end, .. } | Token::Array { end, .. } => *end as usize,
            _ => self.at + 1,
        };
    }

    /// Enters the object that is the next value: how many members it has. Fails, naming what
    /// was `expected`, for any other value.
    pub(crate) fn object(&mut self, expected: &str) -> Decoded<u32> {
        match *self.peek() {
            Token::Object { len, .. } => {
                self.at += 1;
                Ok(len)
            }
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// Enters the array that is the next value: how many elements it has.
    pub(crate) fn array(&mut self, expected: &str) -> Decoded<u32> {
        match *self.peek() {
            Token::Array { len, .. } => {
                self.at += 1;
                Ok(len)
            }
            _ => Err(self.invalid_type(expected)),
        }
    }

    /// The next member's name, taken, inside an object entered with [`Reader::object`].
    pub(crate) fn key(&mut self) -> Cow<'de, str> {
        let name = match self.tokens.get_mut(self.at) {
            Some(Token::Key(name)) => Cow::Borrowed(*name),
            Some(Token::EscapedKey(name)) => Cow::Owned(std::mem::take(name).into_string()),
            _ => Cow::Borrowed(""),
        };
        self.at += 1;
        name
    }

    /// The next value's text, if it is a string, without taking it.
    pub(crate) fn text(&self) -> Option<&str> {
        self.peek().text()
    }

    /// The string value of the member `name` of the object that is the next value, if any,
    /// without reading the object (a union's tag).
    #[allow(dead_code)] // Used by unions with a discriminator, if any.
    pub(crate) fn member_text(&self, name: &str) -> Option<&str> {
        let Token::Object { end, .. } = *self.peek() else { return None };
        let mut at = self.at + 1;
        while at < end as usize {
            let found = self.tokens[at].key() == Some(name);
            at += 1;
            if found {
                return self.tokens[at].text();
            }
            at = match self.tokens[at] {
                Token::Object { end, .. } | Token::Array { end, .. } => end as usize,
                _ => at + 1,
            };
        }
        None
    }

    /// The next value as a [`Value`], read.
    pub(crate) fn value(&mut self) -> Value {
        let value = self.peek_value();
        self.skip();
        value
    }

    /// The next value as a [`Value`], without reading it (to choose a union's variant).
    pub(crate) fn peek_value(&self) -> Value {
        value_at(self.tokens, self.at).0
    }

    /// "invalid type: `what the next value is`, expected `expected`", as serde says it.
    pub(crate) fn invalid_type(&self, expected: &str) -> Box<Failure> {
        Failure::new(format_args!("invalid type: {}, expected {expected}", Unexpected(self.peek())))
    }
}

/// The value starting at token `at`, and the index after it.
fn value_at(tokens: &[Token<'_>], at: usize) -> (Value, usize) {
    let Some(token) = tokens.get(at) else { return (Value::Null, at + 1) };
    let value = match token {
        Token::Null => Value::Null,
        Token::Bool(v) => Value::Bool(*v),
        Token::U64(v) => Value::Number((*v).into()),
        Token::I64(v) => Value::Number((*v).into()),
        Token::F64(v) => Number::from_f64(*v).map_or(Value::Null, Value::Number),
        Token::Str(text) | Token::Key(text) => Value::String((*text).to_owned()),
        Token::Escaped(text) | Token::EscapedKey(text) => Value::String(text.to_string()),
        Token::Array { len, end } => {
            let mut items = Vec::with_capacity(*len as usize);
            let mut next = at + 1;
            for _ in 0..*len {
                let (item, after) = value_at(tokens, next);
                items.push(item);
                next = after;
            }
            return (Value::Array(items), *end as usize);
        }
        Token::Object { len, end } => {
            let mut members = Map::new();
            let mut next = at + 1;
            for _ in 0..*len {
                let name = tokens.get(next).and_then(Token::key).unwrap_or_default().to_owned();
                let (member, after) = value_at(tokens, next + 1);
                members.insert(name, member);
                next = after;
            }
            return (Value::Object(members), *end as usize);
        }
    };
    (value, at + 1)
}

/// A token as serde's "invalid type" messages name it.
struct Unexpected<'a, 'de>(&'a Token<'de>);

impl fmt::Display for Unexpected<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde::de::Unexpected as U;
        let shown = match self.0 {
            Token::Null => U::Unit,
            Token::Bool(v) => U::Bool(*v),
            Token::U64(v) => U::Unsigned(*v),
            Token::I64(v) => U::Signed(*v),
            Token::F64(v) => U::Float(*v),
            Token::Str(text) | Token::Key(text) => U::Str(text),
            Token::Escaped(text) | Token::EscapedKey(text) => U::Str(text),
            Token::Array { .. } => U::Seq,
            Token::Object { .. } => U::Map,
        };
        match shown {
            U::Unit => f.write_str("null"),
            shown => shown.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_becomes_tokens_with_its_strings_borrowed() {
        let body = br#"{"a": [1, -2, 2.5, true, null], "b\n": "x\"y", "c": {}}"#;
        let tape = Tape::parse(body).unwrap();
        assert_eq!(
            tape.tokens,
            vec![
                Token::Object { len: 3, end: 12 },
                Token::Key("a"),
                Token::Array { len: 5, end: 8 },
                Token::U64(1),
                Token::I64(-2),
                Token::F64(2.5),
                Token::Bool(true),
                Token::Null,
                Token::EscapedKey("b\n".into()),
                Token::Escaped("x\"y".into()),
                Token::Key("c"),
                Token::Object { len: 0, end: 12 },
            ]
        );
    }

    #[test]
    fn the_list_of_a_tape_is_kept_for_the_next_one() {
        let tape = Tape::parse(br#"[1, 2, 3]"#).unwrap();
        let list = tape.tokens.as_ptr() as usize;
        drop(tape);
        let next = Tape::parse(br#"{"a": "b"}"#).unwrap();
        assert_eq!(next.tokens.as_ptr() as usize, list, "a new list was allocated");
        assert_eq!(next.tokens.len(), 3);
        // A list past the bound is freed, not kept.
        let mut large = Tape::new();
        large.tokens.reserve(SPARE_MAX + 1);
        drop(large);
        assert_eq!(SPARE.take().capacity(), 0);
    }

    #[test]
    fn a_token_takes_three_words() {
        assert_eq!(std::mem::size_of::<Token<'_>>(), 24);
    }

    #[test]
    fn the_value_of_a_tape_is_the_document() {
        let body = br#"{"a": [1, -2, 2.5, true, null, {"x": "y"}], "b": "c"}"#;
        let mut tape = Tape::parse(body).unwrap();
        let value = tape.reader().value();
        assert_eq!(value, serde_json::from_slice::<Value>(body).unwrap());
    }

    #[test]
    fn skipping_passes_over_a_whole_value() {
        let mut tape = Tape::parse(br#"[{"a": [1, {"b": 2}]}, "next"]"#).unwrap();
        let mut reader = tape.reader();
        assert_eq!(reader.array("a list"), Ok(2));
        reader.skip();
        assert_eq!(reader.text(), Some("next"));
    }

    #[test]
    fn a_tag_is_found_among_the_members_without_reading_them() {
        let mut tape = Tape::parse(br#"{"x": {"type": "no"}, "list": [1], "type": "tool_use"}"#).unwrap();
        let reader = tape.reader();
        assert_eq!(reader.member_text("type"), Some("tool_use"));
        assert_eq!(reader.member_text("missing"), None);
    }

    #[test]
    fn a_bad_document_is_the_parser_s_error() {
        assert!(Tape::parse(b"<html>").unwrap_err().is_syntax());
        assert!(Tape::parse(b"{} {}").unwrap_err().is_syntax());
    }

    #[test]
    fn a_failure_names_its_path_from_the_outside_in() {
        let failure = Failure::new("bad").in_member("price".into()).in_element(3).in_member("sizes".into());
        assert_eq!(failure.path().as_deref(), Some("sizes[3].price"));
        assert_eq!(failure.to_string(), "`sizes[3].price`: bad");
        let mut tape = Tape::parse(br#""five""#).unwrap();
        assert_eq!(tape.reader().invalid_type("f64").to_string(), "invalid type: string \"five\", expected f64");
    }
}
