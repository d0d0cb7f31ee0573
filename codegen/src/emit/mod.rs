//! Phase 3: the IR to files, on every core. The API methods, unions and a few impls are tokens
//! that go through `format` (syn + prettyplease); enums, structs, builders and the methods' docs
//! are written as text (formatting is most of codegen's time). Each file starts with the header
//! naming the command that wrote it and the spec pin.
//!
//! Layout: `src/apis/<tag>.rs` holds a tag's methods, `src/models/<tag>.rs` the types whose
//! home is that tag (the tag whose operations use them most); either is split when a file would
//! pass [`MAX_LINES`], each further part named after its first item (`<tag>_<first item>.rs`, see
//! `emit::pack`). Every tag is a cargo feature; a type compiles when any feature whose operations reach
//! it is on.

mod apis;
mod builders;
mod docs;
mod layout;
mod models;
mod objects;
mod pagination;
mod report;
mod roundtrip;
pub mod samples;
mod waiters;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::error::Result;
use crate::ir::Api;
use crate::manifest::Manifest;
pub(crate) use crate::parallel::map as parallel;
use crate::runtime_files::{CARGO_TOML_TEMPLATE, CRATE_DOCS, RUNTIME_FILES};
pub(crate) use crate::surface::types::{type_tokens, Scope};
use crate::Settings;

/// The most lines a generated models or API file gets before it is split into parts.
pub use crate::pack::MAX_LINES;

/// One output file, its path relative to the generated crate's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// Every file of the generated crate: `Cargo.toml`, `src/**`, `API.md` and the manifest (`api/*.json`).
pub fn emit(api: &Api, header: &str) -> Result<Vec<File>> {
    emit_with(api, &Settings::with_header(header))
}

/// [`emit`] with every setting: the crate version, and the spec's example exceptions for `API.md`.
pub fn emit_with(api: &Api, settings: &Settings) -> Result<Vec<File>> {
    emit_with_manifest(api, settings).map(|(files, _)| files)
}

/// [`emit_with`], and the manifest of the generated API, which is also its files `api/*.json`.
pub fn emit_with_manifest(api: &Api, settings: &Settings) -> Result<(Vec<File>, Manifest)> {
    let (header, exceptions) = (settings.header.as_str(), settings.exceptions.as_slice());
    let mut files = Vec::new();
    let comment = header.lines().map(|l| format!("// {l}\n")).collect::<String>();
    files.push(File { path: "Cargo.toml".into(), contents: cargo_toml(api, header, &settings.crate_version) });
    files.push(rust("src/lib.rs", lib_rs(&settings.source), &comment)?);
    // The facts about the types (`crate::analysis`), computed once for every part below.
    let context = models::Context::new(&api.types);
    let samples = samples::build_in(&context, api, exceptions)?;
    files.extend(layout::rust_files(&context, api, &samples, &comment)?);
    files.extend(samples::files(api, &samples, &comment)?);
    for (name, contents) in RUNTIME_FILES {
        files.push(File { path: format!("src/runtime/{name}"), contents: format!("{comment}\n{contents}") });
    }
    let mut api_md = report::api_md(api, header, &settings.source, exceptions);
    api_md.push_str(&report::samples(samples::counts(&samples), &settings.contract_exceptions));
    files.push(File { path: "API.md".into(), contents: api_md });
    let manifest = crate::manifest::build_with(api, &settings.crate_version, &context.facts);
    let homes = api.types.values().map(|def| (def.name.clone(), layout::home(def))).collect();
    files.extend(manifest.to_files(&homes));
    Ok((files, manifest))
}

fn rust(path: &str, tokens: TokenStream, comment: &str) -> Result<File> {
    Ok(File { path: path.to_owned(), contents: format!("{comment}\n{}", crate::format::rust_file(tokens, path)?) })
}

fn cargo_toml(api: &Api, header: &str, version: &str) -> String {
    let toml_comment = header.lines().map(|l| format!("# {l}\n")).collect::<String>();
    let tags: Vec<String> = api.tags.iter().map(|t| format!("\"{}\"", t.module)).collect();
    let mut features = String::from("[features]\n");
    features.push_str("# Every area of the API. Build one area only with\n");
    features.push_str("# `digitalocean = { ..., default-features = false, features = [\"functions\"] }`.\n");
    features.push_str("default = [\"full\"]\n");
    features.push_str(&format!("full = [{}]\n", tags.join(", ")));
    features.push_str("# Both `Serialize` and `Deserialize` on every type (request types only serialize and\n");
    features.push_str("# response types only deserialize otherwise, which keeps the crate quick to build).\n");
    features.push_str("roundtrip = []\n");
    features.push_str("# Parts of the client that only some areas use (not to be chosen alone): walking the pages\n");
    features.push_str("# of list operations, and server-sent events.\n");
    features.push_str("_pages = [\"dep:futures-util\"]\n");
    features.push_str("_events = [\"dep:futures-util\", \"dep:sse-stream\", \"dep:bytes\"]\n");
    for tag in &api.tags {
        let mut parts = Vec::new();
        if tag.operations.iter().any(|op| op.pagination.is_some()) {
            parts.push("\"_pages\"");
        }
        if tag.operations.iter().any(|op| op.events.is_some()) {
            parts.push("\"_events\"");
        }
        let (count, wire, module) = (tag.operations.len(), &tag.wire, &tag.module);
        features.push_str(&format!("# {count} operations tagged `{wire}`.\n{module} = [{}]\n", parts.join(", ")));
    }
    CARGO_TOML_TEMPLATE.replace("{{HEADER}}\n", &toml_comment).replace("{{VERSION}}", version).replace("{{FEATURES}}\n", &features)
}

fn lib_rs(source: &str) -> TokenStream {
    // Hand-written Markdown: its code examples are meant to be compiled as doctests.
    let mut docs: Vec<String> = CRATE_DOCS.lines().map(|l| format!(" {l}")).collect();
    if !source.is_empty() {
        // In code: a bare URL is a rustdoc warning.
        docs.extend([String::new(), format!(" Generated from the DigitalOcean OpenAPI description: `{source}`.")]);
    }
    quote! {
        #(#![doc = #docs])*
        mod runtime;
        pub use runtime::*;
        pub mod apis;
        pub mod models;
    }
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
