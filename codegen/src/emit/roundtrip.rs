//! `tests/support/roundtrip.rs`: decode a JSON value into a model type named at run time and
//! encode it back. It is part of the examples test, not of the crate, so that only the tests pay
//! for compiling a round trip of every type.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Api, TypeKind};

pub fn table(api: &Api) -> TokenStream {
    let arms = api.types.values().filter(|def| !matches!(def.kind, TypeKind::Answers(_))).map(|def| {
        let wire = &def.name;
        let name = format_ident!("{}", def.name);
        quote!(#wire => round_trip::<#name>(value),)
    });
    quote! {
        //! Decodes a JSON value as a type named at run time and encodes it back (for tests).

        use digitalocean::models::*;

        /// Decodes `value` as the model type `type_name` and encodes it again (the crate is built
        /// with its `roundtrip` feature, so every type has both directions); `None` when there
        /// is no such type.
        pub fn value(type_name: &str, value: serde_json::Value) -> Option<Result<serde_json::Value, String>> {
            Some(match type_name {
                #(#arms)*
                _ => return None,
            })
        }

        fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<serde_json::Value, String> {
            let typed: T = serde_path_to_error::deserialize(value).map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }
    }
}
