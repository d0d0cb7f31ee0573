//! Phase 3: the IR to files. Rust files go through `format` (syn + prettyplease); each file
//! starts with the header naming the command that wrote it and the spec pin.

mod apis;
mod docs;
mod models;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::error::Result;
use crate::format::rust_file;
use crate::ir::{Api, TypeRef};
use crate::runtime_files::{CARGO_TOML_TEMPLATE, CRATE_DOCS, RUNTIME_FILES};

/// One output file, its path relative to the generated crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// Every file of the generated crate: `Cargo.toml`, `src/**` and `FALLBACKS.md`.
pub fn emit(api: &Api, header: &str) -> Result<Vec<File>> {
    let mut files = Vec::new();
    let comment = header.lines().map(|l| format!("// {l}\n")).collect::<String>();
    let toml_comment = header.lines().map(|l| format!("# {l}\n")).collect::<String>();
    files.push(File { path: "Cargo.toml".into(), contents: CARGO_TOML_TEMPLATE.replace("{{HEADER}}\n", &toml_comment) });
    files.push(rust("src/lib.rs", lib_rs(), &comment)?);
    files.push(rust("src/models.rs", models::models(api), &comment)?);
    files.push(rust("src/apis/mod.rs", apis::apis_mod(&api.tags), &comment)?);
    for tag in &api.tags {
        files.push(rust(&format!("src/apis/{}.rs", tag.module), apis::tag_file(tag), &comment)?);
    }
    for (name, contents) in RUNTIME_FILES {
        files.push(File { path: format!("src/runtime/{name}"), contents: format!("{comment}\n{contents}") });
    }
    files.push(File { path: "FALLBACKS.md".into(), contents: fallbacks(api, header) });
    Ok(files)
}

fn rust(path: &str, tokens: TokenStream, comment: &str) -> Result<File> {
    Ok(File { path: path.to_owned(), contents: format!("{comment}\n{}", rust_file(tokens, path)?) })
}

fn lib_rs() -> TokenStream {
    // Hand-written Markdown: its code examples are meant to be compiled as doctests.
    let docs = CRATE_DOCS.lines().map(|l| format!(" {l}"));
    quote! {
        #(#![doc = #docs])*
        mod runtime;
        pub use runtime::*;
        pub mod apis;
        pub mod models;
    }
}

/// The committed list of places where `serde_json::Value` stands in for a type.
fn fallbacks(api: &Api, header: &str) -> String {
    let mut out = String::from("# Fallbacks\n\n");
    for line in header.lines() {
        out.push_str(&format!("<!-- {line} -->\n"));
    }
    out.push_str("\nPlaces in the generated API where the spec has no typed mapping and `serde_json::Value` stands in.\n\n");
    if api.fallbacks.is_empty() {
        out.push_str("None.\n");
    }
    for f in &api.fallbacks {
        out.push_str(&format!("- `{}`: {}\n", f.pointer, f.reason));
    }
    out
}

/// `#[doc]` attributes for a description from the spec (none for `None`).
pub(crate) fn doc_attrs(text: Option<&str>) -> TokenStream {
    let lines = spaced(text.map(docs::doc_lines).unwrap_or_default());
    quote!(#(#[doc = #lines])*)
}

/// `#![doc]` attributes (a module's own docs) for a description from the spec.
pub(crate) fn inner_doc_attrs(text: Option<&str>) -> TokenStream {
    let lines = spaced(text.map(docs::doc_lines).unwrap_or_default());
    quote!(#(#![doc = #lines])*)
}

/// `#[doc]` attributes for text the generator wrote itself (intra-doc links kept).
pub(crate) fn own_doc_attrs(text: &str) -> TokenStream {
    let lines = spaced(text.lines().map(str::to_owned).collect());
    quote!(#(#[doc = #lines])*)
}

fn spaced(lines: Vec<String>) -> Vec<String> {
    lines.into_iter().map(|l| if l.is_empty() { l } else { format!(" {l}") }).collect()
}

/// An identifier, raw where the name is a keyword that `names` left as it is.
pub(crate) fn ident(name: &str) -> Ident {
    if crate::names::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

/// A type use. Inside `models.rs` named types are bare; elsewhere they are `models::Name`.
pub(crate) fn type_tokens(ty: &TypeRef, qualified: bool) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Vec(inner) => {
            let inner = type_tokens(inner, qualified);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(inner, qualified);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Named(name) => {
            let name = format_ident!("{}", name);
            if qualified {
                quote!(models::#name)
            } else {
                quote!(#name)
            }
        }
    }
}
