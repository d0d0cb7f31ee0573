//! The enums of the API's string and integer values, declared by the models with one macro
//! invocation each: the variants with their wire values, written once. Each enum keeps a value
//! it does not know in `Other`, is `#[non_exhaustive]`, and implements serde for the directions
//! it crosses (`sent`: in requests, `received`: in answers, `both`, or `neither`); the other direction's
//! impls come with the `roundtrip` feature. An enum that answers carry is `Default` (an empty
//! `Other`), so that an answer that omits it still decodes.

/// A string enum: `as_str`, `From<&str>`, `Display`, and its serde impls.
macro_rules! string_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident: $direction:ident {
            $($variant:ident = $wire:literal,)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("`", $wire, "`")] $variant,)*
            /// A value this version of the client does not know yet.
            Other(String),
        }

        impl $name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => $name::$variant,)*
                    other => $name::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::runtime::value_enum_impls!($direction, $name, String::new(), $crate::runtime::text_enum, serialize_str(as_str));
    };
}

/// An integer enum: `value`, `From<i64>`, and its serde impls.
macro_rules! int_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident: $direction:ident {
            $($variant:ident = $value:literal,)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = concat!("`", $value, "`")] $variant,)*
            /// A value this version of the client does not know yet.
            Other(i64),
        }

        impl $name {
            /// The value as the API writes it.
            pub fn value(self) -> i64 {
                match self {
                    $($name::$variant => $value,)*
                    $name::Other(value) => value,
                }
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => $name::$variant,)*
                    other => $name::Other(other),
                }
            }
        }

        $crate::runtime::value_enum_impls!($direction, $name, 0, $crate::runtime::number_enum, serialize_i64(value));
    };
}

/// `Default` (an empty `Other`) where answers carry the enum, `Serialize` and the decoding
/// impls, each without a gate in its direction and behind `roundtrip` in the other.
macro_rules! value_enum_impls {
    (sent, $($rest:tt)*) => {
        $crate::runtime::value_enum_impls!(@impls [], #[cfg(all())], #[cfg(feature = "roundtrip")], $($rest)*);
    };
    (received, $($rest:tt)*) => {
        $crate::runtime::value_enum_impls!(@impls [default], #[cfg(feature = "roundtrip")], #[cfg(all())], $($rest)*);
    };
    (neither, $($rest:tt)*) => {
        $crate::runtime::value_enum_impls!(@impls [], #[cfg(feature = "roundtrip")], #[cfg(feature = "roundtrip")], $($rest)*);
    };
    (both, $($rest:tt)*) => {
        $crate::runtime::value_enum_impls!(@impls [default], #[cfg(all())], #[cfg(all())], $($rest)*);
    };
    // `[default]` or `[]`: the word is the name of the `Default` impl's method, so that the
    // impl is written once or not at all.
    (@impls [$($default:ident)?], #[$serialize:meta], #[$decode:meta], $name:ident, $empty:expr, $read:path, $write:ident($get:ident)) => {
        $(
            /// An empty [`Self::Other`]: what an answer that omits the value decodes as.
            impl Default for $name {
                fn $default() -> Self {
                    $name::Other($empty)
                }
            }
        )?

        #[$serialize]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.$write(self.$get())
            }
        }

        #[$decode]
        $crate::runtime::deserialize_by_decode!($name);

        #[$decode]
        impl $crate::runtime::Decode for $name {
            fn decode(reader: &mut $crate::runtime::Reader<'_, '_>) -> $crate::runtime::Decoded<Self> {
                $read(reader)
            }
        }
    };
}

pub(crate) use {int_enum, string_enum, value_enum_impls};
