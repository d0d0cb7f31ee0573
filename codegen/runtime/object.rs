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
//! - `filled`: as `required`, but a struct member left out is read from `{}` (`fill`);
//!
//! and how it is written:
//! - `always`: written, `None` as `null` (a required nullable member);
//! - `if_set`: written when it is `Some`;
//! - `read_only`: written when set, except in a request body the client sends.
//!
//! A last `..additional_properties: BTreeMap<String, T>,` collects the members that are
//! none of the fields (`additionalProperties`).

use std::collections::BTreeMap;

use super::fields::{Decode, Names};
use super::tape::{Decoded, Reader};

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
                $($crate::runtime::object!(@write $write, map, $wire, &self.$field);)*
                $crate::runtime::RestWrite::write(&($(self.$rest)?), &mut map)?;
                map.end()
            }
        }
    };

    // Each member looked up in the table of wire names, then read into its field or slot. The
    // table's index of a member is its field's position: `Field::<name> as usize`, a constant
    // (the chain of comparisons becomes one jump once optimised).
    (@decode $name:ident, direct, { $($field:ident = $wire:literal, $read:ident, $write:ident;)* }, { $($rest:ident: $rest_ty:ty)? }) => {
        $crate::runtime::deserialize_by_decode!($name);

        impl $crate::runtime::Decode for $name {
            #[allow(deprecated, unused_mut, unused_variables)]
            fn decode(reader: &mut $crate::runtime::Reader<'_, '_>) -> $crate::runtime::Decoded<Self> {
                use $crate::runtime as rt;
                // A field's index in the table of wire names, a constant.
                #[allow(non_camel_case_types)]
                enum Field { $($field,)* }
                let mut names = rt::Names::enter(reader, &[$($wire),*], concat!("a ", stringify!($name), " object"))?;
                // `<_ as Default>`: a field named `default` has a builder method of that name.
                let mut out = <$name as Default>::default();
                while let Some(index) = names.next(reader) {
                    let read = 'read: {
                        $(
                            if index == Field::$field as usize {
                                break 'read rt::direct::$read(reader, &mut out.$field);
                            }
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
            #[allow(deprecated, unused_mut, unused_variables)]
            fn decode(reader: &mut $crate::runtime::Reader<'_, '_>) -> $crate::runtime::Decoded<Self> {
                use $crate::runtime as rt;
                // A field's index in the table of wire names, a constant.
                #[allow(non_camel_case_types)]
                enum Field { $($field,)* }
                let mut names = rt::Names::enter(reader, &[$($wire),*], concat!("a ", stringify!($name), " object"))?;
                $(let mut $field = None;)*
                let mut rest = ($(<$rest_ty as Default>::default())?);
                while let Some(index) = names.next(reader) {
                    let read = 'read: {
                        $(
                            if index == Field::$field as usize {
                                break 'read rt::slot::$read(reader, &mut $field);
                            }
                        )*
                        rt::RestRead::read(&mut rest, reader, &names)
                    };
                    names.check(read)?;
                }
                // The first member that fails its rule (in field order) fails the struct.
                Ok($name {
                    $($field: $crate::runtime::object!(@finish $read, $field, $wire),)*
                    $($rest: rest,)?
                })
            }
        }
    };

    // A field's value from its slot (`slots`), by its read kind. Written out by the macro rather
    // than calling a function generic over the field's type: nothing more to compile per type.
    (@finish optional, $slot:ident, $wire:literal) => { $slot };
    (@finish write_only, $slot:ident, $wire:literal) => { $slot };
    (@finish defaulted, $slot:ident, $wire:literal) => { $slot.unwrap_or_default() };
    (@finish required, $slot:ident, $wire:literal) => {
        match $slot {
            Some(value) => value,
            None => return Err($crate::runtime::missing($wire)),
        }
    };
    (@finish filled, $slot:ident, $wire:literal) => {
        match $slot.or_else($crate::runtime::fill) {
            Some(value) => value,
            None => return Err($crate::runtime::missing($wire)),
        }
    };

    // A field into the object being serialized, by its write kind.
    (@write always, $map:ident, $wire:literal, $value:expr) => { $map.serialize_entry($wire, $value)? };
    (@write if_set, $map:ident, $wire:literal, $value:expr) => { $crate::runtime::optional_entry(&mut $map, $wire, $value)? };
    (@write read_only, $map:ident, $wire:literal, $value:expr) => { $crate::runtime::read_only_entry(&mut $map, $wire, $value)? };
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
