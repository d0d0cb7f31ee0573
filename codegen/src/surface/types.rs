//! How IR types are written in Rust: where they are named from (`Scope`), their tokens and
//! text, and how a value of one is taken by a constructor, a builder method or an operation's
//! argument (`take`). The emitter, the samples and the manifest all write types through here.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use std::collections::BTreeMap;

use crate::analysis::Facts;
use crate::ir::{Answer, Field, Operation, Success, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Where a type is written: inside a `models` file (named types are `super::Name`) or
/// elsewhere (`models::Name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Models,
    Apis,
    /// Unqualified (`Droplet`): how the manifest (`api/*.json`) writes types.
    Bare,
}

/// A type use.
pub(crate) fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::DateTime => match scope {
            Scope::Bare => quote!(DateTime),
            Scope::Models | Scope::Apis => quote!(crate::DateTime),
        },
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Bytes => quote!(Vec<u8>),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::Named(name) => {
            let name = format_ident!("{}", name);
            match scope {
                Scope::Models => quote!(super::#name),
                Scope::Apis => quote!(models::#name),
                Scope::Bare => quote!(#name),
            }
        }
    }
}

/// A struct field's type as the struct declares it (`Option<Box<Thing>>`): boxed when it would
/// make its struct infinitely large, an `Option` when optional.
pub(crate) fn field_type(facts: &Facts<'_>, def: &TypeDef, f: &Field, scope: Scope) -> TokenStream {
    let ty = type_tokens(&f.ty, scope);
    let ty = if facts.is_boxed(def, f) { quote!(Box<#ty>) } else { ty };
    if f.optional() {
        quote!(Option<#ty>)
    } else {
        ty
    }
}

/// The type of the map of properties beyond the named ones.
pub(crate) fn additional_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    let ty = type_tokens(ty, scope);
    quote!(std::collections::BTreeMap<String, #ty>)
}

/// The type each union variant holds: a struct is boxed when there are other alternatives,
/// so that a small alternative does not take the size of the largest.
pub(crate) fn variant_types(facts: &Facts<'_>, variants: &[UnionVariant], scope: Scope) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| {
            let ty = type_tokens(&v.ty, scope);
            if facts.variant_boxed(variants, v) {
                quote!(Box<#ty>)
            } else {
                ty
            }
        })
        .collect()
}

/// What an operation's call returns: its success answer's type.
pub(crate) fn output_type(op: &Operation, scope: Scope) -> TokenStream {
    match &op.success {
        Success::One(Answer::Json { ty, .. }) => type_tokens(ty, scope),
        Success::One(Answer::Empty) => quote!(()),
        Success::One(Answer::Bytes { .. }) => quote!(Vec<u8>),
        Success::One(Answer::Text { .. }) => quote!(String),
        Success::ByStatus { name, .. } => type_tokens(&TypeRef::Named(name.clone()), scope),
    }
}

/// A type's tokens as Rust writes it (`Option<Vec<Droplet>>`, `&str`,
/// `std::collections::BTreeMap<String, i64>`, `impl IntoIterator<Item = T>`): no spaces but one
/// after each comma and around `=`. A simple expression (`value.into()`) reads the same way.
pub(crate) fn type_text(tokens: TokenStream) -> String {
    use proc_macro2::TokenTree;
    let mut out = String::new();
    for tree in tokens {
        match tree {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push_str(", "),
            // An associated type's binding: `IntoIterator<Item = T>`.
            TokenTree::Punct(p) if p.as_char() == '=' => out.push_str(" = "),
            TokenTree::Punct(p) => out.push(p.as_char()),
            TokenTree::Ident(i) => {
                // Two words in a row (`dyn Trait`, `&'a mut T`) keep their space.
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' ');
                }
                out.push_str(&i.to_string());
            }
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    proc_macro2::Delimiter::Parenthesis => ("(", ")"),
                    proc_macro2::Delimiter::Bracket => ("[", "]"),
                    proc_macro2::Delimiter::Brace => ("{", "}"),
                    proc_macro2::Delimiter::None => ("", ""),
                };
                out.push_str(open);
                out.push_str(&type_text(g.stream()));
                out.push_str(close);
            }
            TokenTree::Literal(l) => out.push_str(&l.to_string()),
        }
    }
    out
}

/// How a value of some type is passed in and stored.
pub(crate) struct Take {
    /// The parameter's type (`impl Into<String>`).
    pub param: TokenStream,
    /// The stored value, from the parameter `source`.
    pub store: TokenStream,
    /// Whether the value is stored as passed (`count: count` is then written `count`).
    pub plain: bool,
}

/// How a value of `ty` is taken, as `source`: strings, date-times and named types `impl Into<T>`
/// (so `&str`, a slug, an id, `"2024-01-01T00:00:00Z"` or a `SystemTime` convert), lists any
/// iterator of such items (`["a", "b"]`), a raw body anything that converts into `Vec<u8>`,
/// numbers and booleans their own type (so that a literal `5` is never ambiguous).
/// A named alias of a list, a string or a date-time is taken as what it names (its items then
/// are of the alias's item type).
pub(crate) fn take(types: &BTreeMap<String, TypeDef>, ty: &TypeRef, scope: Scope, source: &proc_macro2::Ident) -> Take {
    let mut ty = ty;
    while let TypeRef::Named(name) = ty {
        match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Alias(inner)) if matches!(inner, TypeRef::Vec(_) | TypeRef::String | TypeRef::DateTime | TypeRef::Named(_)) => {
                ty = inner
            }
            _ => break,
        }
    }
    let (param, store) = match ty {
        TypeRef::Vec(item) if takes_into(item) => {
            let item = type_tokens(item, scope);
            (quote!(impl IntoIterator<Item = impl Into<#item>>), quote!(#source.into_iter().map(Into::into).collect()))
        }
        ty if takes_into(ty) || *ty == TypeRef::Bytes => {
            let ty = type_tokens(ty, scope);
            (quote!(impl Into<#ty>), quote!(#source.into()))
        }
        ty => (type_tokens(ty, scope), quote!(#source)),
    };
    let plain = *source == store.to_string();
    Take { param, store, plain }
}

/// Whether a value of this type is taken as `impl Into<T>` (else as `T`).
fn takes_into(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::DateTime | TypeRef::Named(_))
}
