//! How the generated structs decode: the JSON object is read once, then each field is taken
//! out of it by its wire name. A field missing from the answer, or `null` where the spec does
//! not allow it, takes its default (or `None`); a value of the wrong type is an error naming
//! the field's path (`` `droplet.size.price_monthly`: invalid type ... ``). Unknown fields are
//! ignored. This is also much less code to compile than a derived `Deserialize` per struct.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

thread_local! {
    /// How many structs [`Fields::required_struct`] is filling, one inside the other.
    static FILLING: Cell<u8> = const { Cell::new(0) };
}

/// The members of one JSON object, taken out field by field.
///
/// Taking a field never fails on the spot: the first failure is kept and [`Fields::finish`]
/// returns it. A generated `deserialize` therefore takes every field without an early return,
/// and has one exit for errors instead of one per field (each of which would drop every field
/// taken before it: code that grows with the square of the number of fields).
pub(crate) struct Fields<E> {
    members: Map<String, Value>,
    error: Option<E>,
}

#[allow(dead_code)] // Which methods a build uses depends on its features.
impl<E: serde::de::Error> Fields<E> {
    /// Reads the object.
    pub(crate) fn new<'de, D: serde::Deserializer<'de, Error = E>>(deserializer: D) -> Result<Fields<E>, E> {
        let members = <Map<String, Value> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Fields { members, error: None })
    }

    /// A write-only member: in an answer it is skipped, not decoded, and stays `None` (see
    /// `direction.rs`); elsewhere it is read as an optional field.
    pub(crate) fn write_only<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        if super::direction::skips_write_only() {
            self.members.remove(key);
            return None;
        }
        self.optional(key)
    }

    /// A field that may be absent (or `null`).
    pub(crate) fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        match T::deserialize(self.take(key)?) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail(key, &e);
                None
            }
        }
    }

    /// The member `key`, unless it is absent or `null`. Not generic over the field's type, so
    /// compiled once rather than once per type of field.
    fn take(&mut self, key: &str) -> Option<Value> {
        self.members.remove(key).filter(|value| !value.is_null())
    }

    /// A required field: when the answer leaves it out, its default.
    pub(crate) fn or_default<T: DeserializeOwned + Default>(&mut self, key: &str) -> T {
        self.optional(key).unwrap_or_default()
    }

    /// A required field whose type has no default: `None` when it is left out or fails, and
    /// then [`Fields::failure`] says why.
    pub(crate) fn required<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        let value = self.optional(key);
        self.must_have(key, value.is_some());
        value
    }

    /// A required field whose type is a struct without a default (one that is also sent, so
    /// its required members have no default): when the answer leaves it out, the struct read
    /// from `{}`, its own members filled by the same rules, so that an answer never fails for a
    /// member it left out. A value of the wrong type still fails, and so does a struct that
    /// cannot be filled (it holds a union: no variant is chosen without evidence).
    pub(crate) fn required_struct<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        if self.members.get(key).is_none_or(Value::is_null) {
            // A cycle of required structs would fill forever: a bound, then the usual failure.
            let depth = FILLING.get();
            if depth < 16 {
                FILLING.set(depth + 1);
                let filled = T::deserialize(Value::Object(Map::new()));
                FILLING.set(depth);
                if let Ok(value) = filled {
                    self.members.remove(key);
                    return Some(value);
                }
            }
        }
        self.required(key)
    }

    /// A list field that may be absent (or `null`). Its elements are decoded one by one here
    /// rather than through serde's `Vec` impl, whose visitor over a `Value` is compiled again
    /// for every element type (about four times this code). The errors are serde's own.
    pub(crate) fn optional_list<T: DeserializeOwned>(&mut self, key: &str) -> Option<Vec<T>> {
        let items = self.take_list(key)?;
        let mut out = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            match T::deserialize(item) {
                Ok(value) => out.push(value),
                Err(e) => {
                    self.fail(&format!("{key}[{index}]"), &e);
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A required list field: when the answer leaves it out, empty.
    pub(crate) fn list_or_default<T: DeserializeOwned>(&mut self, key: &str) -> Vec<T> {
        self.optional_list(key).unwrap_or_default()
    }

    /// A required list field that a request must have (see [`Fields::required`]).
    pub(crate) fn required_list<T: DeserializeOwned>(&mut self, key: &str) -> Option<Vec<T>> {
        let value = self.optional_list(key);
        self.must_have(key, value.is_some());
        value
    }

    /// Keeps "missing field" for `key` when it was not taken and nothing failed before.
    fn must_have(&mut self, key: &str, taken: bool) {
        if !taken && self.error.is_none() {
            self.error = Some(E::custom(format_args!("missing field `{key}`")));
        }
    }

    /// The elements of the list member `key`, unless it is absent or `null`; a member that is
    /// not a list fails with serde's message for it.
    fn take_list(&mut self, key: &str) -> Option<Vec<Value>> {
        match self.take(key)? {
            Value::Array(items) => Some(items),
            other => {
                if let Err(e) = <Vec<Value> as serde::Deserialize>::deserialize(other) {
                    self.fail(key, &e);
                }
                None
            }
        }
    }

    /// The members no named field took (`additionalProperties`).
    pub(crate) fn rest<T: DeserializeOwned>(&mut self) -> BTreeMap<String, T> {
        let mut out = BTreeMap::new();
        for (key, value) in std::mem::take(&mut self.members) {
            match T::deserialize(value) {
                Ok(item) => {
                    out.insert(key, item);
                }
                Err(e) => self.fail(&key, &e),
            }
        }
        out
    }

    /// The first failure of the fields taken, if any.
    pub(crate) fn finish(&mut self) -> Result<(), E> {
        self.error.take().map_or(Ok(()), Err)
    }

    /// The first failure of the fields taken (after a required field came back `None`).
    pub(crate) fn failure(&mut self) -> E {
        self.error.take().unwrap_or_else(|| E::custom("a required field is missing"))
    }

    /// Keeps the failure at `path` (a field's key, or a list element's `key[index]`), unless an
    /// earlier field failed already.
    fn fail(&mut self, path: &str, error: &serde_json::Error) {
        if self.error.is_none() {
            self.error = Some(E::custom(at(path, &error.to_string())));
        }
    }
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

/// Puts `key` in front of the path an inner error names: `` `size.price`: x `` in `droplet`
/// becomes `` `droplet.size.price`: x ``.
fn at(key: &str, message: &str) -> String {
    match message.strip_prefix('`').and_then(|m| m.split_once("`: ")) {
        Some((path, rest)) => format!("`{key}.{path}`: {rest}"),
        None => format!("`{key}`: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Size {
        slug: String,
        price: f64,
    }

    impl<'de> serde::Deserialize<'de> for Size {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::<D::Error>::new(deserializer)?;
            let (Some(price),) = (fields.required("price"),) else { return Err(fields.failure()) };
            let decoded = Size { slug: fields.or_default("slug"), price };
            fields.finish()?;
            Ok(decoded)
        }
    }

    #[derive(Debug, PartialEq)]
    struct Droplet {
        name: String,
        size: Option<Size>,
        extra: BTreeMap<String, i64>,
    }

    impl<'de> serde::Deserialize<'de> for Droplet {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::<D::Error>::new(deserializer)?;
            let decoded = Droplet { name: fields.or_default("name"), size: fields.optional("size"), extra: fields.rest() };
            fields.finish()?;
            Ok(decoded)
        }
    }

    #[test]
    fn missing_and_null_fields_take_their_defaults() {
        let decoded: Droplet = serde_json::from_str(r#"{"name": null, "size": {"price": 5}, "a": 1}"#).unwrap();
        let size = Some(Size { slug: String::new(), price: 5.0 });
        assert_eq!(decoded, Droplet { name: String::new(), size, extra: BTreeMap::from([("a".to_owned(), 1)]) });
    }

    #[test]
    fn a_type_mismatch_names_the_path_and_a_missing_field_without_default_fails() {
        let error = serde_json::from_str::<Droplet>(r#"{"size": {"price": "five"}}"#).unwrap_err().to_string();
        assert!(error.starts_with("`size.price`: invalid type: string"), "{error}");
        let error = serde_json::from_str::<Droplet>(r#"{"size": {}}"#).unwrap_err().to_string();
        assert!(error.starts_with("`size`: missing field `price`"), "{error}");
    }

    #[test]
    fn a_failure_of_any_field_fails_the_struct_and_the_first_one_is_named() {
        // Taking a field never returns early: `finish` must report what failed, also after
        // every other field was taken.
        let error = serde_json::from_str::<Droplet>(r#"{"name": "a", "x": "not a number"}"#).unwrap_err().to_string();
        assert!(error.starts_with("`x`: invalid type: string"), "{error}");
        let error = serde_json::from_str::<Droplet>(r#"{"name": 5, "size": {"price": "five"}}"#).unwrap_err().to_string();
        assert!(error.starts_with("`name`: invalid type: integer"), "{error}");
        // A required field that fails to decode is named for that, not as missing.
        let error = serde_json::from_str::<Size>(r#"{"price": "five"}"#).unwrap_err().to_string();
        assert!(error.starts_with("`price`: invalid type: string"), "{error}");
    }

    #[derive(Debug, PartialEq)]
    struct Tagged {
        tags: Vec<String>,
        sizes: Option<Vec<Size>>,
    }

    impl<'de> serde::Deserialize<'de> for Tagged {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::<D::Error>::new(deserializer)?;
            let decoded = Tagged { tags: fields.list_or_default("tags"), sizes: fields.optional_list("sizes") };
            fields.finish()?;
            Ok(decoded)
        }
    }

    #[test]
    fn lists_decode_element_by_element_with_serde_s_errors() {
        let decoded: Tagged = serde_json::from_str(r#"{"tags": ["a", "b"], "sizes": [{"price": 1}]}"#).unwrap();
        assert_eq!(decoded.tags, ["a", "b"]);
        assert_eq!(decoded.sizes, Some(vec![Size { slug: String::new(), price: 1.0 }]));
        let decoded: Tagged = serde_json::from_str(r#"{"tags": null}"#).unwrap();
        assert_eq!(decoded, Tagged { tags: vec![], sizes: None });
        let error = serde_json::from_str::<Tagged>(r#"{"tags": "a"}"#).unwrap_err().to_string();
        assert!(error.starts_with("`tags`: invalid type: string \"a\", expected a sequence"), "{error}");
        let error = serde_json::from_str::<Tagged>(r#"{"sizes": [{"price": 1}, {"price": "x"}]}"#).unwrap_err().to_string();
        assert!(error.starts_with("`sizes[1].price`: invalid type: string"), "{error}");
    }

    #[test]
    fn the_decoder_reports_the_whole_path() {
        let body = br#"{"name": "a", "sizes": [{"price": 1}, {"price": "five"}]}"#;
        let failure = crate::runtime::decode_json::<Tagged>(body).err().map(|f| f.path);
        assert_eq!(failure, Some(Some("sizes[1].price".to_owned())));
    }
}
