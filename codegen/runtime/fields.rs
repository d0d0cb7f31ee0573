//! How the generated types decode: from the tape (`tape.rs`), each value read once, straight
//! into the field it belongs to. A struct looks each member's name up in its table of wire
//! names ([`Names`]) and reads the value into a typed slot; unknown members are skipped
//! without being built.
//!
//! The lenient rules: a member that is absent, or `null` where the spec does not allow it,
//! leaves its slot empty, and the struct then takes the field's default (or `None`). A value
//! of the wrong type is an error naming its path (`` `droplet.size.price_monthly`: invalid type
//! ... ``), built as the failure returns through the structs and lists around it.
//!
//! Each generated type's `serde::Deserialize` reads a tape from whatever deserializer it is
//! given and decodes from that ([`from_tape`]), so a type decodes the same way through
//! `serde_json::from_str`, `from_value` or the client.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;

use serde::Deserializer;
use serde_json::{Map, Value};

use super::tape::{Decoded, Failure, Reader, Tape, Token};

thread_local! {
    /// How many structs [`fill`] is filling, one inside the other.
    static FILLING: Cell<u8> = const { Cell::new(0) };
}

/// A type that decodes from the tape.
pub(crate) trait Decode: Sized {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<Self>;
}

/// The `deserialize` of a generated type: the value read into a tape, then decoded from it. A
/// failure is the deserializer's error, with the path in front (`` `size.price`: ... ``).
pub(crate) fn from_tape<'de, T: Decode, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let mut tape = Tape::read(deserializer)?;
    T::decode(&mut tape.reader()).map_err(serde::de::Error::custom)
}

/// `serde::Deserialize` for generated types, through their [`Decode`] (see [`from_tape`]): one
/// line per type in the models instead of an impl each.
macro_rules! deserialize_by_decode {
    ($name:ident) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::from_tape(deserializer)
            }
        }
    };
}

pub(crate) use deserialize_by_decode;

/// A member name that is none of the struct's fields.
pub(crate) const OTHER: usize = usize::MAX;

/// A struct's wire names, and the members of the object being read.
pub(crate) struct Names {
    names: &'static [&'static str],
    /// Members of the object not read yet.
    left: u32,
    /// The last member read: its index in `names`, or [`OTHER`].
    last: usize,
    /// Where the next name is looked for first: objects mostly list their members in the
    /// order of the spec, which is the order of `names`.
    hint: usize,
    /// The name of the last unknown member.
    other: Cow<'static, str>,
}

impl Names {
    /// Enters the object that is the next value of `reader`, for a struct with these wire
    /// names; another value fails, naming what was `expected` (`a Droplet object`).
    pub(crate) fn enter(reader: &mut Reader<'_, '_>, names: &'static [&'static str], expected: &str) -> Decoded<Names> {
        let left = reader.object(expected)?;
        Ok(Names { names, left, last: OTHER, hint: 0, other: Cow::Borrowed("") })
    }

    /// The index in the table of the next member's name, [`OTHER`] for a name not in it, or
    /// `None` after the last member.
    pub(crate) fn next(&mut self, reader: &mut Reader<'_, '_>) -> Option<usize> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let name = reader.key();
        let hinted = self.names.get(self.hint).is_some_and(|n| *n == name);
        let found = if hinted { Some(self.hint) } else { self.names.iter().position(|n| *n == name) };
        self.last = match found {
            Some(index) => {
                self.hint = index + 1;
                index
            }
            None => {
                self.other = Cow::Owned(name.into_owned());
                OTHER
            }
        };
        Some(self.last)
    }

    /// The name of the last unknown member read.
    pub(crate) fn other(&self) -> String {
        self.other.clone().into_owned()
    }

    /// `read`, the reading of the last member, with the member's name in its failure's path.
    pub(crate) fn check(&mut self, read: Decoded<()>) -> Decoded<()> {
        read.map_err(|failure| {
            let name = match self.names.get(self.last) {
                Some(name) => Cow::Borrowed(*name),
                None => std::mem::take(&mut self.other),
            };
            failure.in_member(name)
        })
    }
}

/// Reads the member's value into `slot`; `null` leaves the slot empty.
///
/// This and the other functions generic over the decoded type match on results rather than
/// use `?`, whose conversions would be compiled again for every type: they are compiled once
/// per type of field in the whole crate, so their size counts.
pub(crate) fn value<T: Decode>(reader: &mut Reader<'_, '_>, slot: &mut Option<T>) -> Decoded<()> {
    if reader.skip_null() {
        return Ok(());
    }
    match T::decode(reader) {
        Ok(value) => {
            *slot = Some(value);
            Ok(())
        }
        Err(failure) => Err(failure),
    }
}

/// Reads the member's value into `field`, a field of a struct being read into its default;
/// `null` leaves the default.
pub(crate) fn set<T: Decode>(reader: &mut Reader<'_, '_>, field: &mut T) -> Decoded<()> {
    if reader.skip_null() {
        return Ok(());
    }
    match T::decode(reader) {
        Ok(value) => {
            *field = value;
            Ok(())
        }
        Err(failure) => Err(failure),
    }
}

/// A write-only member: in an answer it is skipped, not decoded, and stays `None` (see
/// `direction.rs`); elsewhere it is read as [`value`] reads it.
pub(crate) fn write_only<T: Decode>(reader: &mut Reader<'_, '_>, slot: &mut Option<T>) -> Decoded<()> {
    if super::direction::skips_write_only() {
        reader.skip();
        return Ok(());
    }
    value(reader, slot)
}

/// A required struct member that an answer left out: the struct read from `{}`, its own
/// members filled by the same rules, so that an answer never fails for a member it left out.
/// `None` when the struct cannot be filled (it holds a union: no variant is chosen without
/// evidence), and then the member is reported missing.
pub(crate) fn fill<T: Decode>() -> Option<T> {
    // A cycle of required structs would fill forever: a bound, then the usual failure.
    let depth = FILLING.get();
    if depth >= 16 {
        return None;
    }
    FILLING.set(depth + 1);
    let filled = T::decode(&mut Tape::empty_object().reader()).ok();
    FILLING.set(depth);
    filled
}

/// The failure of a struct whose required member `wire` is absent (or `null`).
pub(crate) fn missing(wire: &str) -> Box<Failure> {
    Failure::new(format_args!("missing field `{wire}`"))
}

/// How a string-valued enum decodes: its text, turned into the enum by `From<&str>` (no
/// allocation for a known value).
pub(crate) fn text_enum<T: for<'a> From<&'a str>>(reader: &mut Reader<'_, '_>) -> Decoded<T> {
    let value = match reader.text() {
        Some(text) => T::from(text),
        None => return Err(reader.invalid_type("a string")),
    };
    reader.skip();
    Ok(value)
}

/// How an integer-valued enum decodes: its number, turned into the enum by `From<i64>`.
pub(crate) fn number_enum<T: From<i64>>(reader: &mut Reader<'_, '_>) -> Decoded<T> {
    <i64 as Decode>::decode(reader).map(T::from)
}

/// Writes the member `key: value` of an object being serialized, unless `value` is `None`
/// (the generated `Serialize` impls leave out optional fields that are not set).
pub(crate) fn optional_entry<M: serde::ser::SerializeMap, T: serde::Serialize>(
    map: &mut M,
    key: &str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) => map.serialize_entry(key, value),
        None => Ok(()),
    }
}

impl Decode for String {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<String> {
        match reader.string() {
            Some(text) => Ok(text),
            None => Err(reader.invalid_type("a string")),
        }
    }
}

impl Decode for bool {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<bool> {
        if let Token::Bool(v) = reader.peek() {
            let v = *v;
            reader.skip();
            return Ok(v);
        }
        Err(reader.invalid_type("a boolean"))
    }
}

/// Integers as serde decodes them: from a JSON integer in range, never from a float.
macro_rules! integers {
    ($($t:ty),*) => {$(
        impl Decode for $t {
            fn decode(reader: &mut Reader<'_, '_>) -> Decoded<$t> {
                let expected = stringify!($t);
                let wide = match *reader.peek() {
                    Token::U64(v) => i128::from(v),
                    Token::I64(v) => i128::from(v),
                    _ => return Err(reader.invalid_type(expected)),
                };
                let v = <$t>::try_from(wide).map_err(|_| out_of_range(wide, expected))?;
                reader.skip();
                Ok(v)
            }
        }
    )*};
}

integers!(i32, i64, u32, u64, u8);

fn out_of_range(v: i128, expected: &str) -> Box<Failure> {
    Failure::new(format_args!("invalid value: integer `{v}`, expected {expected}"))
}

impl Decode for f64 {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<f64> {
        let v = match *reader.peek() {
            Token::F64(v) => v,
            Token::U64(v) => v as f64,
            Token::I64(v) => v as f64,
            _ => return Err(reader.invalid_type("f64")),
        };
        reader.skip();
        Ok(v)
    }
}

impl Decode for f32 {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<f32> {
        if !matches!(reader.peek(), Token::F64(_) | Token::U64(_) | Token::I64(_)) {
            return Err(reader.invalid_type("f32"));
        }
        f64::decode(reader).map(|v| v as f32)
    }
}

impl Decode for Value {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<Value> {
        Ok(reader.value())
    }
}

impl Decode for Map<String, Value> {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<Map<String, Value>> {
        if !matches!(reader.peek(), Token::Object { .. }) {
            return Err(reader.invalid_type("a map"));
        }
        match reader.value() {
            Value::Object(members) => Ok(members),
            _ => Ok(Map::new()),
        }
    }
}

impl Decode for super::DateTime {
    /// Any JSON string (leniently, as `From<&str>`); another JSON value is an error, as for
    /// any string member.
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<super::DateTime> {
        let value = match reader.text() {
            Some(text) => super::DateTime::from(text),
            None => return Err(reader.invalid_type("an RFC 3339 date-time string")),
        };
        reader.skip();
        Ok(value)
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<Option<T>> {
        let mut slot = None;
        match value(reader, &mut slot) {
            Ok(()) => Ok(slot),
            Err(failure) => Err(failure),
        }
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<Box<T>> {
        match T::decode(reader) {
            Ok(value) => Ok(Box::new(value)),
            Err(failure) => Err(failure),
        }
    }
}

impl<T: Decode> Decode for Vec<T> {
    /// Element by element; a failing element is named by its index (`` `tags[3]` ``).
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<Vec<T>> {
        let len = match reader.array("a sequence") {
            Ok(len) => len as usize,
            Err(failure) => return Err(failure),
        };
        let mut out = Vec::with_capacity(len);
        for index in 0..len {
            match T::decode(reader) {
                Ok(item) => out.push(item),
                Err(failure) => return Err(failure.in_element(index)),
            }
        }
        Ok(out)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    /// Member by member. A `null` member that `T` does not take is left out, as absent.
    fn decode(reader: &mut Reader<'_, '_>) -> Decoded<BTreeMap<String, T>> {
        let len = reader.object("a map")?;
        let mut out = BTreeMap::new();
        for _ in 0..len {
            let name = reader.key().into_owned();
            let null = reader.is_null();
            match T::decode(reader) {
                Ok(value) => {
                    out.insert(name, value);
                }
                Err(_) if null => reader.skip(),
                Err(failure) => return Err(failure.in_member(Cow::Owned(name))),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::runtime::object! {
        pub struct Size: received, slots {
            pub slug: String = "slug" (defaulted, always),
            pub price: f64 = "price" (required, always),
        }
    }

    crate::runtime::object! {
        pub struct Droplet: received, slots {
            pub name: String = "name" (defaulted, always),
            pub size: Option<Size> = "size" (optional, if_set),
            pub tags: Vec<String> = "tags" (defaulted, always),
            pub sizes: Option<Vec<Size>> = "sizes" (optional, if_set),
            ..extra: BTreeMap<String, i64>,
        }
    }

    // Read straight into its default (`direct`), and filled from `{}` when left out.
    crate::runtime::object! {
        #[derive(Default)]
        pub struct Label: received, direct {
            pub text: String = "text" (defaulted, always),
            pub color: Option<String> = "color" (optional, if_set),
        }
    }

    crate::runtime::object! {
        pub struct Labelled: received, slots {
            pub label: Label = "label" (filled, always),
        }
    }

    fn decode<T: Decode>(body: &str) -> Decoded<T> {
        T::decode(&mut Tape::parse(body.as_bytes()).unwrap().reader())
    }

    fn failure<T: Decode + std::fmt::Debug>(body: &str) -> String {
        decode::<T>(body).unwrap_err().to_string()
    }

    #[test]
    fn missing_and_null_fields_take_their_defaults() {
        let absent: Droplet = decode(r#"{"size": {"price": 5}, "a": 1}"#).unwrap();
        let size = Some(Size { slug: String::new(), price: 5.0 });
        let extra = BTreeMap::from([("a".to_owned(), 1)]);
        assert_eq!(absent, Droplet { name: String::new(), size, tags: vec![], sizes: None, extra });
        // `null` where the type takes none is read as absent, whatever the field's read kind
        // (`defaulted`, `optional`, `required`, `filled`), into slots or straight into the
        // default, in a list and in a map.
        let nulls = r#"{"name": null, "size": {"price": 5, "slug": null}, "a": 1, "tags": null, "sizes": null}"#;
        assert_eq!(decode::<Droplet>(nulls), Ok(absent));
        assert_eq!(decode::<Droplet>(r#"{"size": null}"#).map(|d| d.size), Ok(None));
        assert_eq!(failure::<Droplet>(r#"{"size": {"price": null}}"#), "`size`: missing field `price`");
        assert_eq!(decode::<Label>(r#"{"text": null, "color": null}"#), Ok(Label::default()));
        assert_eq!(decode::<Labelled>(r#"{"label": null}"#), Ok(Labelled { label: Label::default() }));
        assert_eq!(decode::<Vec<Size>>(r#"[{"slug": null, "price": 1}]"#), Ok(vec![Size { slug: String::new(), price: 1.0 }]));
        let decoded: BTreeMap<String, String> = decode(r#"{"a": null, "b": "x"}"#).unwrap();
        assert_eq!(decoded, BTreeMap::from([("b".to_owned(), "x".to_owned())]));
        // A type that takes `null` keeps it.
        let decoded: BTreeMap<String, Value> = decode(r#"{"a": null}"#).unwrap();
        assert_eq!(decoded, BTreeMap::from([("a".to_owned(), Value::Null)]));
    }

    #[test]
    fn members_in_any_order_and_escaped_names_are_found() {
        let decoded: Size = decode(r#"{"pr\u0069ce": 2, "x": [1, {"y": null}], "slug": "s\n"}"#).unwrap();
        assert_eq!(decoded, Size { slug: "s\n".into(), price: 2.0 });
    }

    #[test]
    fn a_type_mismatch_names_the_path_and_a_missing_field_without_default_fails() {
        let error = failure::<Droplet>(r#"{"size": {"price": "five"}}"#);
        assert_eq!(error, "`size.price`: invalid type: string \"five\", expected f64");
        assert_eq!(failure::<Droplet>(r#"{"size": {}}"#), "`size`: missing field `price`");
        assert_eq!(failure::<Droplet>(r#"{"name": "a", "x": "no"}"#), "`x`: invalid type: string \"no\", expected i64");
        assert_eq!(failure::<Droplet>("[1]"), "invalid type: sequence, expected a Droplet object");
        assert_eq!(failure::<Droplet>(r#"{"name": 5}"#), "`name`: invalid type: integer `5`, expected a string");
    }

    #[test]
    fn lists_decode_element_by_element_naming_the_index() {
        let decoded: Droplet = decode(r#"{"tags": ["a", "b"], "sizes": [{"price": 1}]}"#).unwrap();
        assert_eq!(decoded.tags, ["a", "b"]);
        assert_eq!(decoded.sizes, Some(vec![Size { slug: String::new(), price: 1.0 }]));
        assert_eq!(failure::<Droplet>(r#"{"tags": "a"}"#), "`tags`: invalid type: string \"a\", expected a sequence");
        let error = failure::<Droplet>(r#"{"sizes": [{"price": 1}, {"price": "x"}]}"#);
        assert!(error.starts_with("`sizes[1].price`: invalid type: string"), "{error}");
    }

    #[test]
    fn numbers_decode_as_serde_decodes_them() {
        assert_eq!(decode::<i64>("-3"), Ok(-3));
        assert_eq!(decode::<u64>("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(decode::<f64>("3"), Ok(3.0));
        assert_eq!(decode::<f32>("0.5"), Ok(0.5));
        assert_eq!(failure::<u32>("-1"), "invalid value: integer `-1`, expected u32");
        assert_eq!(failure::<i64>("9223372036854775808"), "invalid value: integer `9223372036854775808`, expected i64");
        assert_eq!(failure::<i64>("5.0"), "invalid type: floating point `5.0`, expected i64");
        assert_eq!(failure::<bool>("null"), "invalid type: null, expected a boolean");
    }

    #[test]
    fn a_map_member_of_another_type_fails_naming_it() {
        assert_eq!(failure::<BTreeMap<String, String>>(r#"{"a": 1}"#), "`a`: invalid type: integer `1`, expected a string");
        // A free-form object says what it got instead, as every other type does.
        assert_eq!(failure::<Map<String, Value>>("[1]"), "invalid type: sequence, expected a map");
    }

    #[test]
    fn through_serde_a_type_decodes_the_same_way() {
        let value = serde_json::json!({"sizes": [{"price": "x"}]});
        let error = serde_json::from_value::<Droplet>(value).unwrap_err().to_string();
        assert_eq!(error, "`sizes[0].price`: invalid type: string \"x\", expected f64");
        let error = serde_json::from_str::<Droplet>(r#"{"tags": [1]}"#).unwrap_err().to_string();
        assert!(error.starts_with("`tags[0]`: invalid type: integer `1`, expected a string"), "{error}");
        let decoded = serde_json::from_str::<Droplet>(r#"{"name": "web"}"#).unwrap();
        assert_eq!(decoded.name, "web");
    }

    #[test]
    fn a_required_struct_left_out_is_filled_from_an_empty_object_unless_it_cannot_be() {
        assert_eq!(fill::<Droplet>().map(|d| d.name), Some(String::new()));
        assert_eq!(fill::<Size>(), None);
    }
}
