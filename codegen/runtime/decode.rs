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
#[allow(dead_code)] // Used by generated operations with several success types, if any.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    super::direction::receiving(|| decode_answer(body))
}

fn decode_answer<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let strict = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    let value = without_nulls(body, strict)?;
    serde_path_to_error::deserialize::<_, T>(value).map_err(located)
}

/// `body` parsed with every `null` object member removed, or, when it is not JSON at all, the
/// strict decoder's error (which says where the syntax breaks).
///
/// This and [`located`] are apart from [`decode_json`] so that they are compiled once, not
/// once per answer type.
fn without_nulls(body: &[u8], strict: serde_json::Error) -> Result<Value, DecodeFailure> {
    let Ok(mut value) = serde_json::from_slice::<Value>(body) else {
        return Err(DecodeFailure {
            source: strict,
            path: None,
        });
    };
    remove_nulls(&mut value);
    Ok(value)
}

/// A failure of the lenient pass, with the JSON path of the field that failed.
fn located(err: serde_path_to_error::Error<serde_json::Error>) -> DecodeFailure {
    let outer = err.path().to_string();
    let source = err.into_inner();
    // The generated structs put the path below them at the start of their message
    // (`` `size.price`: invalid type ... ``, see `fields.rs`).
    let message = source.to_string();
    let inner = message
        .strip_prefix('`')
        .and_then(|m| m.split_once("`: "))
        .map(|(path, _)| path);
    let path = match (outer.as_str(), inner) {
        ("." | "", None) => None,
        ("." | "", Some(inner)) => Some(inner.to_owned()),
        (outer, None) => Some(outer.to_owned()),
        (outer, Some(inner)) => Some(format!("{outer}.{inner}")),
    };
    DecodeFailure { source, path }
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
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Size {
        #[serde(default)]
        slug: String,
        #[serde(default)]
        price_monthly: f64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Droplet {
        #[serde(default)]
        name: String,
        #[serde(default)]
        tags: Vec<String>,
        size: Size,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Wrapper {
        droplet: Droplet,
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

    #[test]
    fn nulls_in_objects_inside_arrays_are_removed_too() {
        let body = br#"[{"slug": null, "price_monthly": 5}]"#;
        let decoded: Vec<Size> = decode_json(body).unwrap();
        assert_eq!(decoded[0].slug, "");
        assert_eq!(decoded[0].price_monthly, 5.0);
    }

    #[test]
    fn a_type_mismatch_names_the_path_of_the_field() {
        let body =
            br#"{"droplet": {"name": null, "size": {"slug": "s", "price_monthly": "five"}}}"#;
        let failure = decode_json::<Wrapper>(body).unwrap_err();
        assert_eq!(
            failure.path.as_deref(),
            Some("droplet.size.price_monthly"),
            "{failure:?}"
        );
        assert!(
            failure.source.to_string().contains("invalid type"),
            "{failure:?}"
        );
    }

    #[test]
    fn a_mismatch_inside_an_array_names_the_index() {
        let body = br#"[{"slug": "a"}, {"slug": 7}]"#;
        let failure = decode_json::<Vec<Size>>(body).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("[1].slug"), "{failure:?}");
    }

    #[test]
    fn a_body_that_is_not_json_has_no_path() {
        let failure = decode_json::<Wrapper>(b"<html>").unwrap_err();
        assert_eq!(failure.path, None);
        assert!(failure.source.is_syntax(), "{failure:?}");
    }
}
