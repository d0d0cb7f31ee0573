//! Which way a value crosses the wire. The spec marks some members `readOnly` (set by the
//! server: an id, a creation time) and some `writeOnly` (sent, never returned: an address to
//! create a record for, a password).
//!
//! The generated serde impls, on their own, write and read every member: a value encoded with
//! `serde_json` and decoded again is the same value, so that an answer can be stored and read
//! back, and the `roundtrip` feature's round trip of every type holds. The client applies the
//! directions where a value crosses the wire: it encodes a request body [`sending`], which
//! leaves out every read-only member (even one a caller assigned), and decodes an answer
//! [`receiving`], which skips every write-only member without decoding it (the field stays
//! `None`). Serde cannot hand a context down to nested values, so the direction is a
//! thread-local, set for the length of one encode or decode (which never await) and put back
//! after it, even if it panics.

use std::cell::Cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Every member, both ways (serde outside the client).
    Whole,
    /// A request body: read-only members are left out.
    Sending,
    /// An answer: write-only members are skipped.
    Receiving,
}

thread_local! {
    static DIRECTION: Cell<Direction> = const { Cell::new(Direction::Whole) };
}

/// The direction before the one in force: put back when dropped (also when a panic unwinds).
/// Not generic, so that it is compiled once rather than once per value encoded or decoded.
#[must_use = "the direction holds only while this is kept"]
pub(crate) struct Restore(Direction);

impl Restore {
    fn enter(direction: Direction) -> Restore {
        Restore(DIRECTION.with(|d| d.replace(direction)))
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        DIRECTION.with(|d| d.set(self.0));
    }
}

fn now() -> Direction {
    DIRECTION.with(Cell::get)
}

/// Encodes a request body until the guard is dropped: read-only members are not written.
/// (A guard, not a function taking the encoding as a closure: that would be compiled again for
/// every type of body.)
pub(crate) fn sending() -> Restore {
    Restore::enter(Direction::Sending)
}

/// Decodes an answer until the guard is dropped: write-only members are skipped.
pub(crate) fn receiving() -> Restore {
    Restore::enter(Direction::Receiving)
}

/// Writes the read-only member `key: value` of an object being serialized, unless it is unset
/// or the object is part of a request body being sent.
pub(crate) fn read_only_entry<M: serde::ser::SerializeMap, T: serde::Serialize>(
    map: &mut M,
    key: &str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(value) if now() != Direction::Sending => map.serialize_entry(key, value),
        _ => Ok(()),
    }
}

/// Whether write-only members are to be skipped: an answer is being decoded.
pub(crate) fn skips_write_only() -> bool {
    now() == Direction::Receiving
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Member(Option<u8>);

    impl serde::Serialize for Member {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(None)?;
            read_only_entry(&mut map, "id", &self.0)?;
            map.end()
        }
    }

    #[test]
    fn a_read_only_member_is_written_except_when_sent() {
        let value = Member(Some(7));
        assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"id":7}"#);
        {
            let _sending = sending();
            assert_eq!(serde_json::to_string(&value).unwrap(), "{}");
        }
        {
            let _receiving = receiving();
            assert_eq!(serde_json::to_string(&value).unwrap(), r#"{"id":7}"#);
        }
        // Set back afterwards, also after a nested direction.
        {
            let _sending = sending();
            {
                let _receiving = receiving();
                assert!(skips_write_only());
            }
            assert_eq!(now(), Direction::Sending);
        }
        assert_eq!(now(), Direction::Whole);
    }

    #[test]
    fn the_direction_is_set_back_after_a_panic() {
        let caught = std::panic::catch_unwind(|| {
            let _sending = sending();
            panic!("in the middle of an encode")
        });
        assert!(caught.is_err());
        assert_eq!(now(), Direction::Whole);
    }
}
