//! Types to tokens: one function per kind of type definition.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, type_tokens};
use crate::ir::{Api, Field, Struct, TypeDef, TypeKind, TypeRef, Variant};

/// The whole `models.rs`.
pub fn models(api: &Api) -> TokenStream {
    let defaults = defaultable(&api.types);
    let items = api.types.values().map(|def| match &def.kind {
        TypeKind::Struct(s) => structure(def, s, defaults.contains(&def.name)),
        TypeKind::Enum(variants) => enumeration(def, variants),
        TypeKind::Alias(target) => alias(def, target),
    });
    quote! {
        //! Request and response types of the DigitalOcean API.
        #(#items)*
    }
}

fn structure(def: &TypeDef, s: &Struct, default: bool) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.docs.as_deref());
    let fields = s.fields.iter().map(field);
    let additional = s.additional.as_ref().map(|ty| {
        let ty = type_tokens(ty, false);
        quote! {
            /// Properties beyond the named ones.
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let derive_default = default.then(|| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust);
    let mut docs_text = f.docs.clone().unwrap_or_default();
    if f.read_only {
        let note = "Read-only: set by the server, never sent.";
        docs_text = if docs_text.is_empty() { note.to_owned() } else { format!("{docs_text}\n\n{note}") };
    }
    let docs = doc_attrs(Some(&docs_text).filter(|d| !d.is_empty()).map(String::as_str));
    let rename = (f.rust != f.wire).then(|| {
        let wire = &f.wire;
        quote!(#[serde(rename = #wire)])
    });
    let deprecated = f.deprecated.then(|| quote!(#[deprecated]));
    let ty = type_tokens(&f.ty, false);
    let (serde, ty) = if !f.optional() {
        (None, ty)
    } else if f.required && !f.read_only {
        // Required but nullable: always sent, `null` when `None`.
        (Some(quote!(#[serde(default)])), quote!(Option<#ty>))
    } else {
        (Some(quote!(#[serde(default, skip_serializing_if = "Option::is_none")])), quote!(Option<#ty>))
    };
    quote! {
        #docs
        #deprecated
        #rename
        #serde
        pub #name: #ty,
    }
}

fn enumeration(def: &TypeDef, variants: &[Variant]) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.docs.as_deref());
    let idents: Vec<_> = variants.iter().map(|v| format_ident!("{}", v.rust)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| format!(" `{}`", w.replace('`', "'")));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #idents, )*
            /// A value this version of the client does not know yet.
            Unknown(String),
        }

        impl #name {
            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #wires, )*
                    #name::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => #name::#idents, )*
                    other => #name::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(#name::from(value.as_str()))
            }
        }
    }
}

fn alias(def: &TypeDef, target: &TypeRef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.docs.as_deref());
    let target = type_tokens(target, false);
    quote! {
        #docs
        pub type #name = #target;
    }
}

/// Structs that can derive `Default`: every field optional or of a type with a default.
fn defaultable(types: &BTreeMap<String, TypeDef>) -> BTreeSet<String> {
    let mut yes: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = yes.len();
        for def in types.values() {
            let ok = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| f.optional() || has_default(&f.ty, types, &yes)),
                TypeKind::Alias(target) => has_default(target, types, &yes),
                TypeKind::Enum(_) => false,
            };
            if ok {
                yes.insert(def.name.clone());
            }
        }
        if yes.len() == before {
            return yes.into_iter().filter(|n| matches!(types[n].kind, TypeKind::Struct(_))).collect();
        }
    }
}

fn has_default(ty: &TypeRef, types: &BTreeMap<String, TypeDef>, yes: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => yes.contains(name) || !types.contains_key(name),
        _ => true,
    }
}
