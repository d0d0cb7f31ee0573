//! Which item goes into which file, and formatting on every core. A `proc_macro2` token stream
//! cannot cross threads, so each thread builds the tokens it formats.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use quote::{format_ident, quote};

use super::models::{cfg_of, Context};
use super::samples::Sample;
use super::{apis, parallel, roundtrip, rust, File, MAX_LINES};
use crate::error::Result;
use crate::format::rust_file;
use crate::ir::{Api, Operation, TypeDef};

/// The round-trip table of every type, a file of the examples test (not of the crate).
pub const ROUNDTRIP: &str = "tests/support/roundtrip.rs";

/// The request sample of each operation, by operation id.
type Samples = BTreeMap<String, Sample>;

/// One piece of formatting work.
enum Job<'a> {
    /// A type definition, to be placed in its home module.
    Type(&'a TypeDef),
    /// A whole file: the round-trip table.
    File(&'a str, fn(&Api) -> proc_macro2::TokenStream),
    /// The methods of a tag's group (`None`: its own, `new` and the waiters; else an operation's),
    /// to be placed in one of the tag's files.
    Methods(usize, Option<&'a Operation>),
}

/// What a job gives back.
enum Done {
    Type { module: String, name: String, text: String, features: Vec<String> },
    File(File),
    Methods { tag: usize, id: Option<String>, text: String },
}

/// Every Rust file under `src/models/` and `src/apis/`, formatted on every core: the largest
/// jobs first, so that no core waits at the end.
pub fn rust_files(context: &Context<'_>, api: &Api, samples: &Samples, comment: &str) -> Result<Vec<File>> {
    let mut jobs: Vec<Job<'_>> = vec![Job::File(ROUNDTRIP, roundtrip::table)];
    for (i, tag) in api.tags.iter().enumerate() {
        jobs.push(Job::Methods(i, None));
        jobs.extend(tag.operations.iter().map(|op| Job::Methods(i, Some(op))));
    }
    jobs.extend(api.types.values().map(Job::Type));
    let done = parallel(&jobs, |job| match job {
        Job::Type(def) => Ok(Done::Type {
            module: home(def),
            name: def.name.clone(),
            text: context.text(def, &format!("models::{}", def.name))?,
            features: def.usage.features.keys().cloned().collect(),
        }),
        Job::File(path, tokens) => {
            let text = rust_file(tokens(api), path)?;
            Ok(Done::File(File { path: (*path).to_owned(), contents: format!("{comment}\n{text}") }))
        }
        Job::Methods(i, op) => {
            let tag = &api.tags[*i];
            let at = format!("apis::{}::{}", tag.type_name, op.map_or("new", |op| op.id.as_str()));
            let text = match op {
                None => rust_file(apis::group_methods(tag), &at)?,
                Some(op) => apis::operation_text(&crate::surface::call(api, tag, op), samples.get(&op.id), &at)?,
            };
            Ok(Done::Methods { tag: *i, id: op.map(|op| op.id.clone()), text })
        }
    })?;
    let mut files = Vec::new();
    let mut modules: BTreeMap<String, Vec<(String, String, Vec<String>)>> = BTreeMap::new();
    let mut methods: Vec<Vec<(Option<String>, String)>> = vec![Vec::new(); api.tags.len()];
    for item in done {
        match item {
            Done::Type { module, name, text, features } => modules.entry(module).or_default().push((name, text, features)),
            Done::File(file) => files.push(file),
            Done::Methods { tag, id, text } => methods[tag].push((id, text)),
        }
    }
    files.extend(api_files(api, methods, comment)?);
    files.extend(models(api, modules, comment)?);
    Ok(files)
}

/// `src/apis/<tag>.rs` (and, past [`MAX_LINES`], `<tag>_<method>.rs` named after the first
/// method of each further part) from each tag's formatted methods, and `src/apis/mod.rs`, which
/// declares them.
fn api_files(api: &Api, methods: Vec<Vec<(Option<String>, String)>>, comment: &str) -> Result<Vec<File>> {
    let mut files = Vec::new();
    let mut more_of = Vec::new();
    let mut taken: BTreeSet<String> = api.tags.iter().map(|t| t.module.clone()).collect();
    for (tag, methods) in api.tags.iter().zip(methods) {
        // The group's own methods (no operation id) come first and stay in the first part.
        let keyed = methods.into_iter().map(|(id, text)| (id.clone().unwrap_or_default(), id, text)).collect();
        // Room for the file's header, docs and `use` lines.
        let parts = pack_by_lines(keyed, MAX_LINES - 60);
        let method = |id: &Option<String>| {
            let op = tag.operations.iter().find(|op| Some(&op.id) == id.as_ref());
            op.map_or_else(String::new, |op| op.method_name.clone())
        };
        let first = |part: &Vec<(Option<String>, String)>| part.first().map_or_else(String::new, |(id, _)| method(id));
        let names = crate::pack::part_names(&tag.module, &parts, first, &mut taken);
        for (i, (part, name)) in parts.into_iter().zip(&names).enumerate() {
            let path = format!("src/apis/{name}.rs");
            let uses_models = part.iter().any(|(_, text)| text.contains("models::"));
            let more = (i == 0).then(|| &names[1..]);
            let head = rust_file(apis::head(tag, uses_models, more), &path)?;
            let body: Vec<&str> = part.iter().map(|(_, text)| text.as_str()).collect();
            let contents = format!("{comment}\n{head}\n{}", body.join("\n"));
            files.push(File { path, contents });
        }
        more_of.push(names[1..].to_vec());
    }
    files.push(rust("src/apis/mod.rs", apis::apis_mod(&api.tags, &more_of), comment)?);
    Ok(files)
}

/// `items` (each with a key, then its text last) into parts of at most `max` lines (see
/// [`super::pack`]).
fn pack_by_lines<T>(items: Vec<(String, T, String)>, max: usize) -> Vec<Vec<(T, String)>> {
    let parts = crate::pack::split(items, max, |(key, _, text)| (key.as_str(), text.lines().count() + 1));
    parts.into_iter().map(|part| part.into_iter().map(|(_, value, text)| (value, text)).collect()).collect()
}

/// `src/models/mod.rs` and one file (or several parts) per home module.
fn models(api: &Api, modules: BTreeMap<String, Vec<(String, String, Vec<String>)>>, comment: &str) -> Result<Vec<File>> {
    let wire: BTreeMap<&str, &str> = api.tags.iter().map(|t| (t.module.as_str(), t.wire.as_str())).collect();
    let mut files = Vec::new();
    let mut declarations = Vec::new();
    let mut taken: BTreeSet<String> = modules.keys().cloned().collect();
    for (module, items) in modules {
        let items = items.into_iter().map(|(name, text, features)| (name.clone(), (name, features), text)).collect();
        let parts = pack_by_lines(items, MAX_LINES);
        let first =
            |part: &Vec<((String, Vec<String>), String)>| part.first().map_or_else(String::new, |((name, _), _)| name.to_snake_case());
        let names = crate::pack::part_names(&module, &parts, first, &mut taken);
        for (part, name) in parts.into_iter().zip(names) {
            // A part is compiled when any of its items is.
            let features: BTreeSet<&String> = part.iter().flat_map(|((_, f), _)| f).collect();
            let cfg = cfg_of(features);
            let part: Vec<&str> = part.iter().map(|(_, text)| text.as_str()).collect();
            let tag = wire.get(module.as_str()).copied().unwrap_or(module.as_str());
            // No part number: a part whose items stay is the same text when another part is added.
            let docs = format!("//! Types whose home is the `{tag}` API: the types its operations use most.\n");
            files.push(File { path: format!("src/models/{name}.rs"), contents: format!("{comment}\n{docs}\n{}", part.join("\n")) });
            let ident = format_ident!("{}", name);
            declarations.push(quote!(#cfg mod #ident; #cfg pub use #ident::*;));
        }
    }
    let mod_rs = quote! {
        //! Request and response types of the DigitalOcean API, all in this one namespace; the
        //! files are split by the tag whose operations use a type most. A type is compiled when
        //! the feature of any operation that uses it is on.
        #(#declarations)*
    };
    files.push(rust("src/models/mod.rs", mod_rs, comment)?);
    Ok(files)
}

/// The module a type lives in: the feature whose operations reach it most (ties: the first name).
pub(crate) fn home(def: &TypeDef) -> String {
    let mut best: Option<(&String, usize)> = None;
    for (feature, count) in &def.usage.features {
        if best.is_none_or(|(_, b)| *count > b) {
            best = Some((feature, *count));
        }
    }
    best.map(|(f, _)| f.clone()).unwrap_or_else(|| "shared".to_owned())
}
