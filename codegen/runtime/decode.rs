//! Decoding JSON answers leniently: a `null` the spec does not allow is taken as absent, and a
//! failure names the JSON path of the field that failed.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a body could not be decoded: the decoder's error and, when known, the JSON path of the
/// failing field (`droplet.size.price_monthly`, `droplets[0].id`).
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    pub(crate) source: serde_json::Error,
    pub(crate) path: Option<String>,
}

/// Decodes `body` as `T`: strictly first; if that fails, again with every `null` object member
/// removed (so that it counts as absent), reporting the path of the field that still fails.
/// It is an answer: write-only members are skipped (see `direction.rs`).
///
/// Both passes decode from a parsed [`Value`], so that each type's `Deserialize` is compiled
/// for one deserializer only (the one every nested member is decoded with anyway); a struct
/// reads its whole object first either way (see `fields.rs`). The path comes from the generated
/// impls, which put the path below them in front of their errors (`` `size.price`: ... ``).
/// Every answer type is a struct, a union, an enum or a map, so that path is the whole path.
#[allow(dead_code)] // Used by generated operations with several success types, if any.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let _receiving = super::direction::receiving();
    if let Ok(value) = T::deserialize(parse(body)?) {
        return Ok(value);
    }
    T::deserialize(without_nulls(body)?).map_err(located)
}

/// `body` as JSON, or the parser's error (which says where the syntax breaks).
///
/// This, [`without_nulls`] and [`located`] are apart from [`decode_json`] so that they are
/// compiled once, not once per answer type.
fn parse(body: &[u8]) -> Result<Value, DecodeFailure> {
    serde_json::from_slice::<Value>(body).map_err(|source| DecodeFailure { source, path: None })
}

/// `body` parsed with every `null` object member removed. Parsed again rather than kept from
/// the strict pass, which took the first parse: only an answer that fails strictly pays for it.
fn without_nulls(body: &[u8]) -> Result<Value, DecodeFailure> {
    let mut value = parse(body)?;
    remove_nulls(&mut value);
    Ok(value)
}

/// A failure of the lenient pass, with the JSON path of the field that failed, which the
/// generated impls put at the start of the message.
fn located(lenient: serde_json::Error) -> DecodeFailure {
    let message = lenient.to_string();
    let path = message
        .strip_prefix('`')
        .and_then(|m| m.split_once("`: "))
        .map(|(path, _)| path.to_owned());
    DecodeFailure { source: lenient, path }
}

/// Removes every object member whose value is `null`, in nested objects too (also in objects
/// inside arrays); a `null` element of an array stays, so that positions do not shift.
fn remove_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(remove_nulls);
        }
        Value::Array(elements) => elements.iter_mut().for_each(remove_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Fields;
    use serde::Deserialize;

    /// Decoded with `Fields`, as the generated structs are.
    #[derive(Debug, PartialEq)]
    struct Size {
        slug: String,
        price_monthly: f64,
    }

    impl<'de> Deserialize<'de> for Size {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::<D::Error>::new(deserializer)?;
            let decoded = Size { slug: fields.or_default("slug"), price_monthly: fields.or_default("price_monthly") };
            fields.finish()?;
            Ok(decoded)
        }
    }

    #[derive(Debug, PartialEq)]
    struct Droplet {
        name: String,
        tags: Vec<String>,
        size: Size,
        sizes: Vec<Size>,
    }

    impl<'de> Deserialize<'de> for Droplet {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::<D::Error>::new(deserializer)?;
            let (Some(size),) = (fields.required("size"),) else { return Err(fields.failure()) };
            let decoded = Droplet {
                name: fields.or_default("name"),
                tags: fields.list_or_default("tags"),
                size,
                sizes: fields.list_or_default("sizes"),
            };
            fields.finish()?;
            Ok(decoded)
        }
    }

    #[derive(Debug, PartialEq)]
    struct Wrapper {
        droplet: Droplet,
    }

    impl<'de> Deserialize<'de> for Wrapper {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::<D::Error>::new(deserializer)?;
            let (Some(droplet),) = (fields.required("droplet"),) else { return Err(fields.failure()) };
            fields.finish()?;
            Ok(Wrapper { droplet })
        }
    }

    #[test]
    fn a_null_for_a_required_field_counts_as_absent() {
        let body = br#"{"droplet": {"name": null, "tags": null, "size": {"slug": "s-1", "price_monthly": null}}}"#;
        let decoded: Wrapper = decode_json(body).unwrap();
        assert_eq!(decoded.droplet.name, "");
        assert!(decoded.droplet.tags.is_empty());
        assert_eq!(decoded.droplet.size.slug, "s-1");
        assert_eq!(decoded.droplet.size.price_monthly, 0.0);
    }

    /// Derived, with no rule of its own for `null`: the second pass removes them.
    #[derive(Debug, Deserialize, PartialEq)]
    struct Derived {
        #[serde(default)]
        slug: String,
        #[serde(default)]
        price_monthly: f64,
    }

    #[test]
    fn nulls_in_objects_inside_arrays_are_removed_too() {
        let body = br#"[{"slug": null, "price_monthly": 5}]"#;
        let decoded: Vec<Derived> = decode_json(body).unwrap();
        assert_eq!(decoded[0].slug, "");
        assert_eq!(decoded[0].price_monthly, 5.0);
    }

    #[test]
    fn a_type_mismatch_names_the_path_of_the_field() {
        let body = br#"{"droplet": {"name": null, "size": {"slug": "s", "price_monthly": "five"}}}"#;
        let failure = decode_json::<Wrapper>(body).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("droplet.size.price_monthly"), "{failure:?}");
        assert!(failure.source.to_string().contains("invalid type"), "{failure:?}");
    }

    #[test]
    fn a_mismatch_inside_an_array_names_the_index() {
        let body = br#"{"droplet": {"size": {}, "sizes": [{"slug": "a"}, {"slug": 7}]}}"#;
        let failure = decode_json::<Wrapper>(body).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("droplet.sizes[1].slug"), "{failure:?}");
    }

    #[test]
    fn a_missing_required_member_is_named() {
        let failure = decode_json::<Wrapper>(br#"{"droplet": {"name": "a"}}"#).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("droplet"), "{failure:?}");
        assert!(failure.source.to_string().contains("missing field `size`"), "{failure:?}");
    }

    #[test]
    fn a_body_that_is_not_json_has_no_path() {
        let failure = decode_json::<Wrapper>(b"<html>").unwrap_err();
        assert_eq!(failure.path, None);
        assert!(failure.source.is_syntax(), "{failure:?}");
    }

    #[test]
    fn write_only_members_are_skipped_in_answers_only() {
        struct Secret(Option<String>);
        impl<'de> Deserialize<'de> for Secret {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let mut fields = Fields::<D::Error>::new(deserializer)?;
                let decoded = Secret(fields.write_only("password"));
                fields.finish()?;
                Ok(decoded)
            }
        }
        let body = br#"{"password": "x"}"#;
        assert_eq!(decode_json::<Secret>(body).unwrap().0, None);
        assert_eq!(serde_json::from_slice::<Secret>(body).unwrap().0.as_deref(), Some("x"));
    }
}
