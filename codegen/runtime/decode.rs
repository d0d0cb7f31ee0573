//! Decoding JSON answers leniently: a `null` the spec does not allow is taken as absent, and a
//! failure names the JSON path of the field that failed.

use super::fields::Decode;
use super::tape::{Failure, Tape};

/// Why a body could not be decoded: the decoder's error and, when known, the JSON path of the
/// failing field (`droplet.size.price_monthly`, `droplets[0].id`).
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    pub(crate) source: serde_json::Error,
    pub(crate) path: Option<String>,
}

/// How the body of a successful answer becomes the call's output (given the status too, for
/// operations whose success statuses have different types).
pub(crate) type BodyReader<T> = fn(u16, &[u8]) -> Result<T, DecodeFailure>;

/// Decodes `body` as `T`: the body is parsed once into a tape, and `T` decodes from it (see
/// `fields.rs`: a `null` member counts as absent, and a failure names its JSON path). It is an
/// answer: write-only members are skipped (see `direction.rs`).
#[allow(dead_code)] // Used by generated operations with several success types, if any.
#[allow(clippy::question_mark)] // See below.
pub(crate) fn decode_json<T: Decode>(body: &[u8]) -> Result<T, DecodeFailure> {
    // No `?`: its conversion would be compiled once per type of answer.
    let mut answer = match parse_answer(body) {
        Ok(answer) => answer,
        Err(failure) => return Err(failure),
    };
    match T::decode(&mut answer.1.reader()) {
        Ok(value) => Ok(value),
        Err(failure) => Err(failed(failure)),
    }
}

/// `body` parsed, and the direction of an answer, which holds while the guard is kept. The
/// part of [`decode_json`] that is not generic, so that it is compiled once rather than once
/// per type of answer.
fn parse_answer(body: &[u8]) -> Result<(super::direction::Restore, Tape<'_>), DecodeFailure> {
    let receiving = super::direction::receiving();
    let tape = Tape::parse(body).map_err(|source| DecodeFailure { source, path: None })?;
    Ok((receiving, tape))
}

/// A decoding failure as the client reports it: the message, with the path in front as serde's
/// errors have it, and the path apart. Not generic, so compiled once.
fn failed(failure: Box<Failure>) -> DecodeFailure {
    let source = <serde_json::Error as serde::de::Error>::custom(&failure);
    DecodeFailure { source, path: failure.path() }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Decoded as the generated structs are (`object.rs`).
    crate::runtime::object! {
        pub struct Size: received, slots {
            pub slug: String = "slug" (defaulted, always),
            pub price_monthly: f64 = "price_monthly" (defaulted, always),
        }
    }

    crate::runtime::object! {
        pub struct Droplet: received, slots {
            pub name: String = "name" (defaulted, always),
            pub tags: Vec<String> = "tags" (defaulted, always),
            pub size: Size = "size" (required, always),
            pub sizes: Vec<Size> = "sizes" (defaulted, always),
        }
    }

    crate::runtime::object! {
        pub struct Wrapper: received, slots {
            pub droplet: Droplet = "droplet" (required, always),
        }
    }

    #[test]
    fn a_type_mismatch_names_the_path_of_the_field() {
        let body = br#"{"droplet": {"name": "d", "size": {"slug": "s", "price_monthly": "five"}}}"#;
        let failure = decode_json::<Wrapper>(body).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("droplet.size.price_monthly"), "{failure:?}");
        assert!(failure.source.to_string().starts_with("`droplet.size.price_monthly`: invalid type"), "{failure:?}");
    }

    #[test]
    fn a_mismatch_inside_an_array_names_the_index() {
        let body = br#"{"droplet": {"size": {}, "sizes": [{"slug": "a"}, {"slug": 7}]}}"#;
        let failure = decode_json::<Wrapper>(body).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("droplet.sizes[1].slug"), "{failure:?}");
        let failure = decode_json::<Vec<Size>>(br#"[{}, {"slug": 7}]"#).unwrap_err();
        assert_eq!(failure.path.as_deref(), Some("[1].slug"), "{failure:?}");
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
        crate::runtime::object! {
            pub struct Secret: received, slots {
                pub password: Option<String> = "password" (write_only, if_set),
            }
        }
        let body = br#"{"password": "x"}"#;
        assert_eq!(decode_json::<Secret>(body).unwrap().password, None);
        let mut tape = Tape::parse(body).unwrap();
        assert_eq!(Secret::decode(&mut tape.reader()).unwrap().password.as_deref(), Some("x"));
    }
}
