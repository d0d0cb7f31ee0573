//! How the generated structs decode: the JSON object is read once, then each field is taken
//! out of it by its wire name. A field missing from the answer, or `null` where the spec does
//! not allow it, takes its default (or `None`); a value of the wrong type is an error naming
//! the field's path (`` `droplet.size.price_monthly`: invalid type ... ``). Unknown fields are
//! ignored. This is also much less code to compile than a derived `Deserialize` per struct.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The members of one JSON object, taken out field by field.
pub(crate) struct Fields<E> {
    members: Map<String, Value>,
    error: PhantomData<E>,
}

#[allow(dead_code)] // Which methods a build uses depends on its features.
impl<E: serde::de::Error> Fields<E> {
    /// Reads the object.
    pub(crate) fn new<'de, D: serde::Deserializer<'de, Error = E>>(deserializer: D) -> Result<Fields<E>, E> {
        let members = <Map<String, Value> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(Fields { members, error: PhantomData })
    }

    /// A write-only member: in an answer it is skipped, not decoded, and stays `None` (see
    /// `direction.rs`); elsewhere it is read as an optional field.
    pub(crate) fn write_only<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, E> {
        if super::direction::skips_write_only() {
            self.members.remove(key);
            return Ok(None);
        }
        self.optional(key)
    }

    /// A field that may be absent (or `null`).
    pub(crate) fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Result<Option<T>, E> {
        match self.members.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => T::deserialize(value).map(Some).map_err(|e| E::custom(at(key, &e.to_string()))),
        }
    }

    /// A required field: when the answer leaves it out, its default.
    pub(crate) fn or_default<T: DeserializeOwned + Default>(&mut self, key: &str) -> Result<T, E> {
        Ok(self.optional(key)?.unwrap_or_default())
    }

    /// A required field whose type has no default: leaving it out is an error.
    pub(crate) fn required<T: DeserializeOwned>(&mut self, key: &str) -> Result<T, E> {
        self.optional(key)?.ok_or_else(|| E::custom(format_args!("missing field `{key}`")))
    }

    /// The members no named field took (`additionalProperties`).
    pub(crate) fn rest<T: DeserializeOwned>(self) -> Result<BTreeMap<String, T>, E> {
        let mut out = BTreeMap::new();
        for (key, value) in self.members {
            let item = T::deserialize(value).map_err(|e| E::custom(at(&key, &e.to_string())))?;
            out.insert(key, item);
        }
        Ok(out)
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
            Ok(Size { slug: fields.or_default("slug")?, price: fields.required("price")? })
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
            Ok(Droplet { name: fields.or_default("name")?, size: fields.optional("size")?, extra: fields.rest()? })
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
    fn the_decoder_reports_the_whole_path() {
        let body = br#"[{"name": "a"}, {"size": {"price": "five"}}]"#;
        let failure = crate::runtime::decode_json::<Vec<Droplet>>(body).err().map(|f| f.path);
        assert_eq!(failure, Some(Some("[1].size.price".to_owned())));
    }
}
