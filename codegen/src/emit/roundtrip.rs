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
    let unions = api.types.values().filter_map(|def| {
        let TypeKind::Union(union) = &def.kind else { return None };
        let wire = &def.name;
        let name = format_ident!("{}", def.name);
        let idents = union.variants.iter().map(|v| format_ident!("{}", v.rust));
        let names = union.variants.iter().map(|v| v.rust.as_str());
        Some(quote! {
            // The union is `#[non_exhaustive]`; this table names every variant it has today.
            #wire => decode::<#name>(value).map(|decoded| match decoded { #( #name::#idents(_) => #names, )* _ => "(unknown)" }),
        })
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

        /// Decodes `value` as the union `type_name` and names the variant it decoded into;
        /// `None` when there is no such union.
        pub fn union_variant(type_name: &str, value: serde_json::Value) -> Option<Result<&'static str, String>> {
            Some(match type_name {
                #(#unions)*
                _ => return None,
            })
        }

        fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
            serde_path_to_error::deserialize(value).map_err(|e| format!("{}: {}", e.path(), e.inner()))
        }

        fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<serde_json::Value, String> {
            let typed: T = decode(value)?;
            serde_json::to_value(&typed).map_err(|e| e.to_string())
        }
    }
}
