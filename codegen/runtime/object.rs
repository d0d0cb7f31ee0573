//! The structs of the API's objects, declared by the models with one `object!` invocation each:
//! the fields with their types and wire names, written once, and how each member is read and
//! written. The macro writes the struct, its `Serialize` and its decoding (`Decode`, and
//! `Deserialize` through it).
//!
//! ```text
//! crate::runtime::object! {
//!     /// A Functions namespace to create.
//!     pub struct CreateNamespace: sent, slots {
//!         /// The namespace's datacenter region.
//!         pub region: String = "region" (required, always),
//!         pub label: Option<String> = "label" (optional, if_set),
//!     }
//! }
//! ```
//!
//! After the name, the directions the struct crosses (`sent`: in requests, `received`: in
//! answers, `both`, or `neither`): `Serialize` is compiled where requests send it, decoding
//! where answers carry it, and the other with the `roundtrip` feature. Then how it decodes:
//! `direct` reads every member straight into the struct's `Default` value (for a struct with no
//! member an answer must carry), `slots` into a slot per field, the struct built at the end.
//!
//! Each field says how its member is read (the lenient rules of `fields.rs`):
//! - `optional`: absent or `null` is `None`;
//! - `write_only`: as `optional`, but skipped (left `None`) in an answer (`direction.rs`);
//! - `defaulted`: absent or `null` takes the type's default;
//! - `required`: absent or `null` fails the struct, naming the member;
//! - `filled`: as `required`, but a struct member left out is read from `{}` ([`fill`]);
//!
//! and how it is written:
//! - `always`: written, `None` as `null` (a required nullable member);
//! - `if_set`: written when it is `Some`;
//! - `read_only`: written when set, except in a request body the client sends.
//!
//! A last `..additional_properties: BTreeMap<String, T>,` collects the members that are
//! none of the fields (`additionalProperties`).

use std::collections::BTreeMap;

use super::fields::{fill, Decode, Names};
use super::tape::{Decoded, Failure, Reader};

/// A struct of the API and its serde impls; see the module's docs.
macro_rules! object {
    (
        $(#[$attr:meta])*
        pub struct $name:ident: $direction:ident, $mode:ident {
            $(
                $(#[$field_attr:meta])*
                pub $field:ident: $ty:ty = $wire:literal ($read:ident, $write:ident),
            )*
            $(..$rest:ident: $rest_ty:ty,)?
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $(
                $(#[$field_attr])*
                pub $field: $ty,
            )*
            $(
                /// Properties beyond the named ones.
                pub $rest: $rest_ty,
            )?
        }

        $crate::runtime::object!(@$direction $name, $mode, { $($field = $wire, $read, $write;)* }, { $($rest: $rest_ty)? });
    };

    // Each direction: the impls it needs always, the others with `roundtrip`.
    (@sent $($body:tt)*) => {
        $crate::runtime::object!(@serialize $($body)*);
        #[cfg(feature = "roundtrip")]
        $crate::runtime::object!(@decode $($body)*);
    };
    (@received $($body:tt)*) => {
        #[cfg(feature = "roundtrip")]
        $crate::runtime::object!(@serialize $($body)*);
        $crate::runtime::object!(@decode $($body)*);
    };
    (@both $($body:tt)*) => {
        $crate::runtime::object!(@serialize $($body)*);
        $crate::runtime::object!(@decode $($body)*);
    };
    (@neither $($body:tt)*) => {
        #[cfg(feature = "roundtrip")]
        $crate::runtime::object!(@serialize $($body)*);
        #[cfg(feature = "roundtrip")]
        $crate::runtime::object!(@decode $($body)*);
    };

    // A JSON object in field order; the other members after the named ones.
    (@serialize $name:ident, $mode:ident, { $($field:ident = $wire:literal, $read:ident, $write:ident;)* }, { $($rest:ident: $rest_ty:ty)? }) => {
        impl serde::Serialize for $name {
            #[allow(deprecated)]
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $($crate::runtime::write::$write(&mut map, $wire, &self.$field)?;)*
                $crate::runtime::RestWrite::write(&($(self.$rest)?), &mut map)?;
                map.end()
            }
        }
    };

    // Each member looked up in the table of wire names, then read into its field or slot. The
    // table's index of a member is its field's position, counted by `at_` (a constant to the
    // optimiser: the chain of comparisons becomes one jump).
    (@decode $name:ident, direct, { $($field:ident = $wire:literal, $read:ident, $write:ident;)* }, { $($rest:ident: $rest_ty:ty)? }) => {
        $crate::runtime::deserialize_by_decode!($name);

        impl $crate::runtime::Decode for $name {
            #[allow(deprecated, unused_assignments, unused_mut, unused_variables)]
            fn decode(reader: &mut $crate::runtime::Reader<'_, '_>) -> $crate::runtime::Decoded<Self> {
                use $crate::runtime as rt;
                let mut names = rt::Names::enter(reader, &[$($wire),*], concat!("a ", stringify!($name), " object"))?;
                // `<_ as Default>`: a field named `default` has a builder method of that name.
                let mut out = <$name as Default>::default();
                while let Some(index) = names.next(reader) {
                    let mut at = 0;
                    let read = 'read: {
                        $(
                            if index == at {
                                break 'read rt::direct::$read(reader, &mut out.$field);
                            }
                            at += 1;
                        )*
                        rt::RestRead::read(&mut ($(out.$rest)?), reader, &names)
                    };
                    names.check(read)?;
                }
                Ok(out)
            }
        }
    };
    (@decode $name:ident, slots, { $($field:ident = $wire:literal, $read:ident, $write:ident;)* }, { $($rest:ident: $rest_ty:ty)? }) => {
        $crate::runtime::deserialize_by_decode!($name);

        impl $crate::runtime::Decode for $name {
            #[allow(deprecated, unused_assignments, unused_mut, unused_variables)]
            fn decode(reader: &mut $crate::runtime::Reader<'_, '_>) -> $crate::runtime::Decoded<Self> {
                use $crate::runtime as rt;
                let mut names = rt::Names::enter(reader, &[$($wire),*], concat!("a ", stringify!($name), " object"))?;
                $(let mut $field = None;)*
                let mut rest = ($(<$rest_ty as Default>::default())?);
                while let Some(index) = names.next(reader) {
                    let mut at = 0;
                    let read = 'read: {
                        $(
                            if index == at {
                                break 'read rt::slot::$read(reader, &mut $field);
                            }
                            at += 1;
                        )*
                        rt::RestRead::read(&mut rest, reader, &names)
                    };
                    names.check(read)?;
                }
                // The first member that fails its rule (in field order) fails the struct.
                Ok($name {
                    $($field: rt::finish::$read($field, $wire)?,)*
                    $($rest: rest,)?
                })
            }
        }
    };
}

pub(crate) use object;

/// How a member is read into a field of a struct decoded into its default (`direct`).
pub(crate) mod direct {
    pub(crate) use super::super::fields::{set as defaulted, value as optional, write_only};
}

/// How a member is read into its slot (`slots`): every kind but `write_only` reads the value.
#[allow(unused_imports)] // `write_only`: used by structs with write-only and required members, if any.
pub(crate) mod slot {
    pub(crate) use super::super::fields::{value as optional, value as defaulted, value as required, value as filled, write_only};
}

/// A field's value from its slot, by its kind: see the module docs.
pub(crate) mod finish {
    use super::*;

    pub(crate) fn optional<T>(slot: Option<T>, _: &'static str) -> Decoded<Option<T>> {
        Ok(slot)
    }

    #[allow(unused_imports)] // Used by structs with write-only and required members, if any.
    pub(crate) use optional as write_only;

    pub(crate) fn defaulted<T: Default>(slot: Option<T>, _: &'static str) -> Decoded<T> {
        Ok(slot.unwrap_or_default())
    }

    pub(crate) fn required<T>(slot: Option<T>, wire: &'static str) -> Decoded<T> {
        match slot {
            Some(value) => Ok(value),
            None => Err(Failure::new(format_args!("missing field `{wire}`"))),
        }
    }

    pub(crate) fn filled<T: Decode>(slot: Option<T>, wire: &'static str) -> Decoded<T> {
        required(slot.or_else(fill), wire)
    }
}

/// How a field is written into the object being serialized: see the module docs.
pub(crate) mod write {
    pub(crate) use super::super::direction::read_only_entry as read_only;
    pub(crate) use super::super::fields::optional_entry as if_set;

    pub(crate) fn always<M: serde::ser::SerializeMap, T: serde::Serialize>(map: &mut M, key: &str, value: &T) -> Result<(), M::Error> {
        map.serialize_entry(key, value)
    }
}

/// The members that are none of a struct's fields, as they decode: skipped (`()`), or kept in
/// a map.
pub(crate) trait RestRead {
    /// Reads the last member `names` met, an unknown one.
    fn read(&mut self, reader: &mut Reader<'_, '_>, names: &Names) -> Decoded<()>;
}

/// The members that are none of a struct's fields, as they are written: none (`()`), or the
/// map's, after the named ones.
pub(crate) trait RestWrite {
    fn write<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl RestRead for () {
    fn read(&mut self, reader: &mut Reader<'_, '_>, _: &Names) -> Decoded<()> {
        reader.skip();
        Ok(())
    }
}

impl RestWrite for () {
    fn write<M: serde::ser::SerializeMap>(&self, _: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

impl<T: Decode> RestRead for BTreeMap<String, T> {
    fn read(&mut self, reader: &mut Reader<'_, '_>, names: &Names) -> Decoded<()> {
        let value = T::decode(reader)?;
        self.insert(names.other(), value);
        Ok(())
    }
}

impl<T: serde::Serialize> RestWrite for BTreeMap<String, T> {
    fn write<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter().try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}
