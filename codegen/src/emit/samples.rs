//! Request samples: for every operation, the call through the typed client with the spec's own
//! example values (the request body as a typed literal, path parameters and required query and
//! header parameters), built once and used twice: in the method's doc comment (with the JSON
//! success example under it) and in `tests/support/samples/`, whose compilation checks every
//! sample (see `generated/tests/contract/samples_checked.rs`).
//!
//! A value the spec does not give is taken from the schema's `example`, `default` or first
//! `enum` value, else a readable placeholder (`"<name>"`, `1`): such samples are counted as
//! having placeholders in `API.md`. An example that does not fit its type (see
//! `spec/example-exceptions.txt`) gives way to placeholders where it does not fit, so the
//! sample always compiles.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::models::Context;
use super::{ident, Scope};
use crate::error::Result;
use crate::ir::{Answer, Api, Body, ExampleValue, Success, TypeDef, TypeKind, TypeRef};
use crate::surface::{Call, Source};

/// The folder of the generated samples (a test module, not part of the crate).
pub const FOLDER: &str = "tests/support/samples";

/// One operation's sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub operation: String,
    /// The function in the samples file: `<tag module>_<method>` (`functions_create_namespace`).
    pub function_name: String,
    pub feature: String,
    /// The test function as formatted in the samples file (signature to closing brace).
    pub function: String,
    /// `<function>_boxed`, which boxes the function's future (for `run`).
    pub boxed: String,
    /// The call, as the function's body shows it (dedented, without the final `Ok(())`).
    pub code: String,
    pub uses_models: bool,
    /// The JSON success example, pretty-printed.
    pub answer: Option<String>,
    /// Whether the answer was built from the examples of its properties (the spec gives none
    /// for the whole answer).
    pub answer_built: bool,
    /// Whether every value came from the spec (no invented placeholder).
    pub complete: bool,
}

/// Every operation's sample, by operation id.
pub fn build(api: &Api, exceptions: &[[String; 2]]) -> Result<BTreeMap<String, Sample>> {
    build_in(&Context::new(&api.types), api, exceptions)
}

/// [`build`] with the emitter's context (its facts computed once per generation).
pub(super) fn build_in(context: &Context<'_>, api: &Api, exceptions: &[[String; 2]]) -> Result<BTreeMap<String, Sample>> {
    let excepted: BTreeSet<&str> = exceptions.iter().map(|[pointer, _]| pointer.as_str()).collect();
    let operations: Vec<_> = api.tags.iter().flat_map(|tag| tag.operations.iter().map(move |op| (tag, op))).collect();
    // On every core, a builder per operation (it counts the sample's placeholders).
    let samples = super::parallel(&operations, |(tag, op)| {
        let builder = Builder { api, context, excepted: &excepted, placeholders: Cell::new(0) };
        builder.sample(&crate::surface::call(api, tag, op))
    })?;
    Ok(operations.iter().map(|(_, op)| op.id.clone()).zip(samples).collect())
}

/// The `# Example` section of a method's doc comment (Markdown), empty without a sample.
pub fn doc_text(sample: Option<&Sample>) -> String {
    let Some(sample) = sample else { return String::new() };
    // `no_run`: rustdoc compiles every sample (all of them in about 20 s on two cores).
    let mut out = String::from("\n# Example\n\n```no_run\n# async fn sample() -> Result<(), digitalocean::Error> {\n");
    if sample.uses_models {
        out.push_str("use digitalocean::models;\n\n");
    }
    out.push_str("let client = digitalocean::Client::from_env()?;\n");
    out.push_str(&sample.code);
    out.push_str("# Ok(())\n# }\n```\n");
    if let Some(answer) = &sample.answer {
        let shortened = if answer.contains(SHORTENED) { " (arrays shortened to their first item)" } else { "" };
        let source = if sample.answer_built { "as the spec's property examples give it" } else { "as the spec's example gives it" };
        out.push_str(&format!("\nThe answer, {source}{shortened}:\n\n```json\n"));
        out.push_str(answer.trim_end_matches(SHORTENED));
        out.push_str("\n```\n");
    }
    out
}

/// The files of `tests/support/samples/`: `mod.rs` (the list of operations and `run`) and the
/// parts holding one function per operation, each part at most `MAX_LINES` long.
pub fn files(api: &Api, samples: &BTreeMap<String, Sample>, comment: &str) -> Result<Vec<super::File>> {
    let ordered: Vec<(&str, &Sample)> =
        api.tags.iter().flat_map(|t| &t.operations).filter_map(|op| samples.get(&op.id).map(|sample| (op.id.as_str(), sample))).collect();
    let lines = |sample: &Sample| sample.function.lines().count() + sample.boxed.lines().count() + 2;
    let parts: Vec<Vec<&Sample>> = crate::pack::split(ordered, super::MAX_LINES - 20, |(id, sample)| (*id, lines(sample)))
        .into_iter()
        .map(|part| part.into_iter().map(|(_, sample)| sample).collect())
        .collect();
    let first = |part: &Vec<&Sample>| part.first().map_or_else(String::new, |s| s.function_name.clone());
    let names = crate::pack::part_names("part", &parts, first, &mut Default::default());
    let mut files = Vec::new();
    let mut modules = Vec::new();
    for (part, name) in parts.iter().zip(&names) {
        let mut text = format!("{comment}\n//! Request samples: one function per operation, making the call of its doc example.\n\n");
        text.push_str("#![allow(deprecated, unused_imports, unused_variables)]\n\n");
        text.push_str("use digitalocean::{models, Client, Error};\n");
        for sample in part {
            text.push('\n');
            text.push_str(&sample.function);
            text.push('\n');
            text.push_str(&sample.boxed);
        }
        files.push(super::File { path: format!("{FOLDER}/{name}.rs"), contents: text });
        modules.push(format_ident!("{}", name));
    }
    let ids: Vec<&str> = api.tags.iter().flat_map(|t| &t.operations).map(|op| op.id.as_str()).collect();
    let match_arms = api.tags.iter().flat_map(|t| &t.operations).filter_map(|op| samples.get(&op.id)).map(|sample| {
        let id_text = &sample.operation;
        let function = format_ident!("{}_boxed", sample.function_name);
        let feature = &sample.feature;
        let module = format_ident!("{}", part_of(&parts, &names, &sample.operation));
        quote!(#[cfg(feature = #feature)] #id_text => #module::#function,)
    });
    let mod_rs = quote! {
        //! Request samples: the call of every operation's doc example, with the spec's example
        //! values. Compiling this module checks every sample.

        #(mod #modules;)*

        use digitalocean::{Client, Error};

        /// Every operation id, in the API's order.
        pub const OPERATIONS: &[&str] = &[#(#ids),*];

        /// A sample's future, boxed.
        pub type Sample<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), Error>> + 'a>>;

        /// Runs the sample of operation `id` with `client`; `None` when there is no such
        /// operation (or its feature is off). Each sample's future is built and boxed in a
        /// function of its own, so that this one's stack frame stays small in a debug build.
        pub async fn run(id: &str, client: &Client) -> Option<Result<(), Error>> {
            let sample: for<'a> fn(&'a Client) -> Sample<'a> = match id {
                #(#match_arms)*
                _ => return None,
            };
            Some(sample(client).await)
        }
    };
    files.push(super::rust(&format!("{FOLDER}/mod.rs"), mod_rs, comment)?);
    Ok(files)
}

fn part_of<'a>(parts: &[Vec<&Sample>], names: &'a [String], id: &str) -> &'a str {
    let i = parts.iter().position(|p| p.iter().any(|s| s.operation == id)).unwrap_or(0);
    names.get(i).map_or("part", String::as_str)
}

/// How many samples use only the spec's values, and how many have placeholders (for `API.md`).
pub fn counts(samples: &BTreeMap<String, Sample>) -> (usize, usize) {
    let complete = samples.values().filter(|s| s.complete).count();
    (complete, samples.len() - complete)
}

struct Builder<'a> {
    api: &'a Api,
    context: &'a Context<'a>,
    excepted: &'a BTreeSet<&'a str>,
    /// Placeholders invented for the sample being built.
    placeholders: Cell<usize>,
}

impl Builder<'_> {
    fn sample(&self, call: &Call<'_>) -> Result<Sample> {
        self.placeholders.set(0);
        let (op, module) = (call.op, call.tag.module.as_str());
        let examples = self.api.samples.operations.get(&op.id);
        let body_example = examples.and_then(|e| self.usable(&e.bodies));
        let mut args = Vec::new();
        for input in &call.args {
            args.push(match input.source {
                Source::Url => {
                    self.placeholder();
                    quote!("https://example.com/upload")
                }
                Source::Param(p) => self.arg(&p.ty, self.value_at(&p.origin), &p.wire),
                Source::Body(body) => self.body_arg(body, body_example),
            });
        }
        // An optional body is chained when the spec has an example of it; optional parameters are left out.
        let mut chain = Vec::new();
        if let Some(Source::Body(body)) = call.setters.iter().map(|i| i.source).find(|s| matches!(s, Source::Body(_))) {
            if body_example.is_some() {
                let value = self.body_arg(body, body_example);
                chain.push(quote!(.body(#value)));
            }
        }
        let group = ident(module);
        let method = ident(&op.method_name);
        let call = quote!(client.#group().#method(#(#args),*)#(#chain)*.await?);
        let statement = match &op.success {
            Success::One(Answer::Empty) => quote!(#call;),
            _ => quote!(let answer = #call;),
        };
        let name = format!("{module}_{}", op.method_name.trim_start_matches("r#"));
        let function_name = format_ident!("{}", name);
        let feature = &op.feature;
        let doc = format!(" The sample of `{}`.", op.id);
        let tokens = quote! {
            #[doc = #doc]
            #[cfg(feature = #feature)]
            pub async fn #function_name(client: &Client) -> Result<(), Error> {
                #statement
                Ok(())
            }
        };
        let function = crate::format::rust_file(tokens, &format!("samples::{}", op.id))?;
        // Written as text: the same four lines for every operation.
        let boxed = format!(
            "/// [`{name}`], its future boxed.\n#[cfg(feature = {})]\npub fn {name}_boxed(client: &Client) -> super::Sample<'_> {{\n    Box::pin({name}(client))\n}}\n",
            proc_macro2::Literal::string(feature)
        );
        let code = body_of(&function);
        let given = examples.is_some_and(|e| !e.answers.is_empty());
        let answer = match examples.and_then(|e| self.usable(&e.answers).or(e.answers.first())) {
            Some(e) => Some(answer_text(&e.value)),
            // No example of the whole answer: one built from its properties' examples, when short.
            None => op
                .success
                .json_types()
                .first()
                .and_then(|ty| self.synthesize(ty, &mut Vec::new()))
                .map(|v| answer_text(&v))
                .filter(|text| text.lines().count() <= ANSWER_LINES),
        };
        Ok(Sample {
            operation: op.id.clone(),
            function_name: name,
            feature: op.feature.clone(),
            uses_models: code.contains("models::"),
            function,
            boxed,
            code,
            answer_built: answer.is_some() && !given,
            answer,
            complete: self.placeholders.get() == 0,
        })
    }

    /// The first example not listed as violating its schema.
    fn usable<'e>(&self, examples: &'e [ExampleValue]) -> Option<&'e ExampleValue> {
        examples.iter().find(|e| !self.excepted.contains(e.pointer.as_str()))
    }

    /// The spec's value for a type, field or parameter (unless it is a listed exception).
    fn value_at(&self, origin: &str) -> Option<&Value> {
        self.api.samples.values.get(origin).filter(|e| !self.excepted.contains(e.pointer.as_str())).map(|e| &e.value)
    }

    fn placeholder(&self) {
        self.placeholders.set(self.placeholders.get() + 1);
    }

    /// An argument as the method takes it: a string or a date-time as a literal (the method
    /// takes `impl Into<String>` or `impl Into<DateTime>`), anything else as a value of its type.
    fn arg(&self, ty: &TypeRef, value: Option<&Value>, name: &str) -> TokenStream {
        match ty {
            TypeRef::String | TypeRef::DateTime => {
                let text = match value {
                    Some(Value::String(s)) => s.clone(),
                    Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
                    _ => {
                        self.placeholder();
                        format!("<{name}>")
                    }
                };
                quote!(#text)
            }
            ty => self.expr(ty, value, name, 0, false),
        }
    }

    fn body_arg(&self, body: &Body, chosen: Option<&ExampleValue>) -> TokenStream {
        if body.ty == TypeRef::Bytes {
            self.placeholder();
            return quote!(b"<file contents>".to_vec());
        }
        self.taken(&body.ty, chosen.map(|e| &e.value), "body", 0, false)
    }

    /// An expression of type `ty` for `value` (a placeholder where it is missing or does not
    /// fit). `into` writes strings as `"..".into()` (where the type is known from a field).
    fn expr(&self, ty: &TypeRef, value: Option<&Value>, name: &str, depth: usize, into: bool) -> TokenStream {
        if let TypeRef::Nullable(inner) = ty {
            return match value {
                Some(Value::Null) => quote!(None),
                _ => {
                    let inner = self.expr(inner, value, name, depth, into);
                    quote!(Some(#inner))
                }
            };
        }
        let value = value.filter(|v| !v.is_null());
        match ty {
            TypeRef::String | TypeRef::DateTime => self.text(ty, value, name, into),
            TypeRef::Bool => match value.and_then(Value::as_bool) {
                Some(true) => quote!(true),
                Some(false) => quote!(false),
                None => {
                    self.placeholder();
                    quote!(false)
                }
            },
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => self.integer(ty, value),
            TypeRef::F64 => self.float(value),
            TypeRef::Json | TypeRef::JsonObject => self.json(ty, value),
            TypeRef::Bytes => {
                self.placeholder();
                quote!(b"<bytes>".to_vec())
            }
            TypeRef::Vec(inner) => self.list(inner, value, name, depth),
            TypeRef::Map(inner) => self.map(inner, value, depth),
            TypeRef::Named(type_name) => self.named(type_name, value, depth, into),
            // Handled above (`value` no longer holds `null` here).
            TypeRef::Nullable(inner) => {
                let inner = self.expr(inner, value, name, depth, into);
                quote!(Some(#inner))
            }
        }
    }

    /// An enum's value: the variant the example `named`, else (a placeholder) the `first`, else
    /// the catch-all with `other` inside.
    fn enum_variant(&self, path: &TokenStream, named: Option<&str>, first: Option<&str>, other: TokenStream) -> TokenStream {
        let chosen = named.or_else(|| {
            self.placeholder();
            first
        });
        match chosen {
            Some(rust) => {
                let variant = format_ident!("{}", rust);
                quote!(#path::#variant)
            }
            None => quote!(#path::#other),
        }
    }

    /// A string or a date-time: the example's text (a number or a boolean written as text).
    fn text(&self, ty: &TypeRef, value: Option<&Value>, name: &str, into: bool) -> TokenStream {
        let text = match value {
            Some(Value::String(s)) => s.clone(),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
            _ => {
                self.placeholder();
                format!("<{name}>")
            }
        };
        if into {
            quote!(#text.into())
        } else if *ty == TypeRef::DateTime {
            quote!(digitalocean::DateTime::from(#text))
        } else {
            quote!(#text.to_owned())
        }
    }

    fn float(&self, value: Option<&Value>) -> TokenStream {
        let number = value.and_then(Value::as_f64).filter(|f| f.is_finite()).unwrap_or_else(|| {
            self.placeholder();
            1.0
        });
        let literal = Literal::f64_unsuffixed(number.abs());
        if number < 0.0 {
            quote!(-#literal)
        } else {
            quote!(#literal)
        }
    }

    /// Any JSON value (`serde_json::json!`), or a free-form object (a map of them).
    fn json(&self, ty: &TypeRef, value: Option<&Value>) -> TokenStream {
        match (ty, value) {
            (TypeRef::JsonObject, Some(Value::Object(map))) if !map.is_empty() => {
                let entries = map.iter().map(|(k, v)| {
                    let json = json_tokens(v);
                    quote!((#k.to_owned(), serde_json::json!(#json)))
                });
                quote!([#(#entries),*].into_iter().collect())
            }
            (TypeRef::JsonObject, Some(Value::Object(_))) => quote!(serde_json::Map::new()),
            (TypeRef::JsonObject, _) => {
                self.placeholder();
                quote!(serde_json::Map::new())
            }
            (_, Some(v)) => {
                let json = json_tokens(v);
                quote!(serde_json::json!(#json))
            }
            (_, None) => {
                self.placeholder();
                quote!(serde_json::json!({}))
            }
        }
    }

    fn list(&self, inner: &TypeRef, value: Option<&Value>, name: &str, depth: usize) -> TokenStream {
        match value {
            Some(Value::Array(items)) => {
                let items = items.iter().map(|v| self.expr(inner, Some(v), name, depth + 1, false));
                quote!(vec![#(#items),*])
            }
            // One placeholder item (a list the spec gives no example of may need one).
            _ if depth < 8 => {
                let item = self.expr(inner, None, name, depth + 1, false);
                quote!(vec![#item])
            }
            _ => {
                self.placeholder();
                quote!(Vec::new())
            }
        }
    }

    fn map(&self, inner: &TypeRef, value: Option<&Value>, depth: usize) -> TokenStream {
        match value {
            Some(Value::Object(map)) if !map.is_empty() => {
                let entries = map.iter().map(|(k, v)| {
                    let v = self.expr(inner, Some(v), k, depth + 1, false);
                    quote!((#k.to_owned(), #v))
                });
                quote!([#(#entries),*].into_iter().collect())
            }
            Some(Value::Object(_)) => quote!(std::collections::BTreeMap::new()),
            _ => {
                self.placeholder();
                quote!(std::collections::BTreeMap::new())
            }
        }
    }

    fn integer(&self, ty: &TypeRef, value: Option<&Value>) -> TokenStream {
        let fits = |v: &Value| -> Option<i128> {
            let n = v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from))?;
            let (low, high) = match ty {
                TypeRef::I32 => (i128::from(i32::MIN), i128::from(i32::MAX)),
                TypeRef::U32 => (0, i128::from(u32::MAX)),
                TypeRef::U64 => (0, i128::from(u64::MAX)),
                _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
            };
            (low..=high).contains(&n).then_some(n)
        };
        let number = value.and_then(fits).unwrap_or_else(|| {
            self.placeholder();
            1
        });
        let literal = Literal::u128_unsuffixed(number.unsigned_abs());
        if number < 0 {
            quote!(-#literal)
        } else {
            quote!(#literal)
        }
    }

    fn named(&self, type_name: &str, value: Option<&Value>, depth: usize, into: bool) -> TokenStream {
        let Some(def) = self.api.types.get(type_name) else {
            self.placeholder();
            return quote!(Default::default());
        };
        // Where the use gives no value, the type's own example, else (for a struct) one
        // built from its properties' examples.
        let own;
        let value = match value {
            Some(v) => Some(v),
            None => {
                own = self.value_at(&def.origin).cloned().or_else(|| match def.kind {
                    TypeKind::Struct(_) => self.synthesize(&TypeRef::Named(def.name.clone()), &mut Vec::new()),
                    _ => None,
                });
                own.as_ref()
            }
        };
        let path = super::type_tokens(&TypeRef::Named(type_name.to_owned()), Scope::Apis);
        match &def.kind {
            TypeKind::Struct(s) if def.usage.request => self.built(def, s, value, depth),
            TypeKind::Struct(s) => self.structure(def, s, value, depth),
            TypeKind::Enum(variants) => {
                let wire = value.and_then(Value::as_str);
                let named = wire.and_then(|w| variants.iter().find(|v| v.wire == w)).map(|v| v.rust.as_str());
                self.enum_variant(&path, named, variants.first().map(|v| v.rust.as_str()), quote!(Other("<value>".to_owned())))
            }
            TypeKind::IntEnum(variants) => {
                let number = value.and_then(Value::as_i64);
                let named = number.and_then(|n| variants.iter().find(|v| v.value == n)).map(|v| v.rust.as_str());
                self.enum_variant(&path, named, variants.first().map(|v| v.rust.as_str()), quote!(Other(0)))
            }
            TypeKind::Alias(target) => {
                if depth > 24 {
                    self.placeholder();
                    return quote!(Default::default());
                }
                self.expr(target, value, &def.name, depth + 1, into)
            }
            TypeKind::Union(union) => {
                let Some((variant, value)) = self.variant(union, value) else { return quote!(Default::default()) };
                let value = value.as_ref();
                let inner = self.expr(&variant.ty, value, &variant.rust, depth + 1, true);
                let inner = if self.context.facts.variant_boxed(&union.variants, variant) { quote!(Box::new(#inner)) } else { inner };
                let rust = format_ident!("{}", variant.rust);
                quote!(#path::#rust(#inner))
            }
            TypeKind::Answers(_) => {
                self.placeholder();
                quote!(Default::default())
            }
        }
    }

    /// The variant of `union` that `value` is (by its tag, else the first it fits), and the value
    /// to build it from; without a fitting value, a placeholder of the first variant.
    fn variant<'u>(&self, union: &'u crate::ir::Union, value: Option<&Value>) -> Option<(&'u crate::ir::UnionVariant, Option<Value>)> {
        let chosen = match (&union.tag, value) {
            (Some(tag), Some(v)) => {
                let wire = v.get(tag).and_then(Value::as_str);
                union.variants.iter().find(|variant| variant.tag.as_deref() == wire && wire.is_some())
            }
            (None, Some(v)) => union.variants.iter().find(|variant| self.fits(&variant.ty, v, 0)),
            _ => None,
        };
        if let Some(variant) = chosen {
            return Some((variant, value.cloned()));
        }
        self.placeholder();
        let first = union.variants.first()?;
        // A tagged variant's value carries its tag, so that the two agree.
        let placeholder = match (&union.tag, &first.tag) {
            (Some(property), Some(tag)) => {
                let mut base = match self.synthesize(&first.ty, &mut Vec::new()) {
                    Some(Value::Object(map)) => map,
                    _ => serde_json::Map::new(),
                };
                base.insert(property.clone(), Value::String(tag.clone()));
                Some(Value::Object(base))
            }
            _ => None,
        };
        Some((first, placeholder))
    }

    /// A value of a union that requests send, as the variant's own value (the union converts
    /// `From` it: `"ubuntu-24-04-x64"` for an image), with the union's path; `None` where the
    /// union has no such conversion (a type two variants hold).
    fn converted(&self, ty: &TypeRef, value: Option<&Value>, name: &str, depth: usize) -> Option<(TokenStream, TokenStream)> {
        let TypeRef::Named(type_name) = ty else { return None };
        let def = self.api.types.get(type_name)?;
        let TypeKind::Union(union) = &def.kind else { return None };
        if !def.usage.request {
            return None;
        }
        let (variant, value) = self.variant(union, value)?;
        let shared = union.variants.iter().filter(|v| self.context.resolved(&v.ty) == self.context.resolved(&variant.ty)).count() > 1;
        if shared {
            return None;
        }
        let path = super::type_tokens(ty, Scope::Apis);
        let inner = match variant.ty {
            // `From<&str>` exists beside `From<String>`.
            TypeRef::String => self.arg(&TypeRef::String, value.as_ref(), name),
            _ => self.taken(&variant.ty, value.as_ref(), name, depth + 1, false),
        };
        Some((inner, path))
    }

    /// A struct that requests send, as a caller writes it: `Type::new(required...)` and a chained
    /// method per optional member the example gives (read-only and deprecated ones left out).
    fn built(&self, def: &TypeDef, s: &crate::ir::Struct, value: Option<&Value>, depth: usize) -> TokenStream {
        let path = super::type_tokens(&TypeRef::Named(def.name.clone()), Scope::Apis);
        let object = match value {
            Some(Value::Object(map)) => Some(map),
            Some(_) => {
                self.placeholder();
                None
            }
            None => None,
        };
        let mut args = Vec::new();
        let mut chain = Vec::new();
        for f in &s.fields {
            let given = object.and_then(|o| o.get(&f.wire)).filter(|v| !v.is_null());
            if !f.optional() {
                if f.deprecated && self.context.facts.field_has_default(&f.ty) {
                    continue;
                }
                // A required member the example leaves out: the field's own example, if any.
                let value = given.or_else(|| self.value_at(&f.origin));
                args.push(self.taken(&f.ty, value, &f.wire, depth + 1, false));
            } else if let Some(value) = given.filter(|_| !f.read_only && !f.deprecated) {
                let setter = ident(&f.rust);
                let value = self.taken(&f.ty, Some(value), &f.wire, depth + 1, false);
                chain.push(quote!(.#setter(#value)));
            }
        }
        quote!(#path::new(#(#args),*)#(#chain)*)
    }

    /// A value as `new` and the chained methods take it (`surface::types::take`): a string as a
    /// literal, a list of strings or models as an array of them, anything else as its value.
    fn taken(&self, ty: &TypeRef, value: Option<&Value>, name: &str, depth: usize, in_list: bool) -> TokenStream {
        if depth > 24 {
            self.placeholder();
            return quote!(Default::default());
        }
        let value = value.filter(|v| !v.is_null());
        if let Some((converted, path)) = self.converted(ty, value, name, depth) {
            // In a list the items must be of one type: each converts on its own.
            return if in_list { quote!(#path::from(#converted)) } else { converted };
        }
        match self.context.resolved(ty) {
            TypeRef::String => self.arg(&TypeRef::String, value, name),
            TypeRef::Vec(item) if matches!(**item, TypeRef::String | TypeRef::Named(_)) => match value {
                Some(Value::Array(items)) if !items.is_empty() => {
                    let items = items.iter().map(|v| self.taken(item, Some(v), name, depth + 1, true));
                    quote!([#(#items),*])
                }
                Some(Value::Array(_)) => {
                    let item = super::type_tokens(item, Scope::Apis);
                    quote!(Vec::<#item>::new())
                }
                _ => {
                    let item = self.taken(item, None, name, depth + 1, true);
                    quote!([#item])
                }
            },
            _ => self.expr(ty, value, name, depth, false),
        }
    }

    fn structure(&self, def: &TypeDef, s: &crate::ir::Struct, value: Option<&Value>, depth: usize) -> TokenStream {
        let path = super::type_tokens(&TypeRef::Named(def.name.clone()), Scope::Apis);
        let object = match value {
            Some(Value::Object(map)) => Some(map),
            Some(_) => {
                self.placeholder();
                None
            }
            None => None,
        };
        let defaults = self.context.facts.implements_default(def);
        let mut fields = Vec::new();
        let mut left_out = false;
        for f in &s.fields {
            let rust = ident(&f.rust);
            let given = object.and_then(|o| o.get(&f.wire)).filter(|v| !v.is_null() && !f.read_only);
            let value = match given {
                Some(v) => Some(v),
                None if f.optional() => {
                    left_out = true;
                    if !defaults {
                        fields.push(quote!(#rust: None,));
                    }
                    continue;
                }
                // A required member the example leaves out: the field's own example, if any.
                None => self.value_at(&f.origin),
            };
            let inner = if depth > 24 {
                self.placeholder();
                quote!(Default::default())
            } else {
                self.expr(&f.ty, value, &f.wire, depth + 1, true)
            };
            let inner = if self.context.facts.is_boxed(def, f) { quote!(Box::new(#inner)) } else { inner };
            let inner = if f.optional() { quote!(Some(#inner)) } else { inner };
            fields.push(quote!(#rust: #inner,));
        }
        if s.additional.is_some() {
            if defaults {
                left_out = true;
            } else {
                fields.push(quote!(additional_properties: Default::default(),));
            }
        }
        if fields.is_empty() && defaults {
            return quote!(#path::default());
        }
        let rest = (defaults && left_out).then(|| quote!(..Default::default()));
        quote!(#path { #(#fields)* #rest })
    }

    /// A JSON value for a type from the examples of its schema and its properties' schemas
    /// (`None` where they give nothing).
    /// `within` holds the types being built (a type inside itself is left out).
    fn synthesize(&self, ty: &TypeRef, within: &mut Vec<String>) -> Option<Value> {
        match ty {
            TypeRef::Vec(inner) => self.synthesize(inner, within).map(|v| Value::Array(vec![v])),
            TypeRef::Nullable(inner) => self.synthesize(inner, within),
            TypeRef::Named(name) => {
                let def = self.api.types.get(name)?;
                if let Some(value) = self.value_at(&def.origin) {
                    return Some(value.clone());
                }
                if within.contains(name) || within.len() > 6 {
                    return None;
                }
                within.push(name.clone());
                let value = match &def.kind {
                    TypeKind::Struct(s) => {
                        let map: serde_json::Map<String, Value> = s
                            .fields
                            .iter()
                            .filter(|f| !f.write_only)
                            .filter_map(|f| {
                                let value = self.value_at(&f.origin).cloned().or_else(|| self.synthesize(&f.ty, within))?;
                                Some((f.wire.clone(), value))
                            })
                            .collect();
                        (!map.is_empty()).then_some(Value::Object(map))
                    }
                    TypeKind::Alias(target) => self.synthesize(target, within),
                    TypeKind::Enum(variants) => variants.first().map(|v| Value::String(v.wire.clone())),
                    TypeKind::Union(u) => u.variants.first().and_then(|v| self.synthesize(&v.ty, within)),
                    _ => None,
                };
                within.pop();
                value
            }
            _ => None,
        }
    }

    /// Whether a value has the shape of a type (to pick an untagged union's variant).
    fn fits(&self, ty: &TypeRef, value: &Value, depth: usize) -> bool {
        if depth > 16 {
            return true;
        }
        match ty {
            TypeRef::String | TypeRef::DateTime => value.is_string(),
            TypeRef::Bool => value.is_boolean(),
            TypeRef::I32 | TypeRef::I64 => value.is_i64(),
            TypeRef::U32 | TypeRef::U64 => value.is_u64(),
            TypeRef::F64 => value.is_number(),
            TypeRef::Json => true,
            TypeRef::JsonObject | TypeRef::Map(_) => value.is_object(),
            TypeRef::Bytes => false,
            TypeRef::Vec(inner) => value.as_array().is_some_and(|items| items.iter().all(|v| self.fits(inner, v, depth + 1))),
            TypeRef::Nullable(inner) => value.is_null() || self.fits(inner, value, depth + 1),
            TypeRef::Named(name) => match self.api.types.get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => value.as_object().is_some_and(|o| {
                    s.fields.iter().filter(|f| f.required).all(|f| o.contains_key(&f.wire))
                        && (s.additional.is_some() || o.keys().all(|k| s.fields.iter().any(|f| &f.wire == k)))
                }),
                Some(TypeKind::Enum(variants)) => value.as_str().is_some_and(|w| variants.iter().any(|v| v.wire == w)),
                Some(TypeKind::IntEnum(_)) => value.is_i64(),
                Some(TypeKind::Alias(target)) => self.fits(target, value, depth + 1),
                Some(TypeKind::Union(u)) => u.variants.iter().any(|v| self.fits(&v.ty, value, depth + 1)),
                _ => false,
            },
        }
    }
}

/// The longest answer example shown whole in a method's docs, in lines.
const ANSWER_LINES: usize = 50;

/// Marks an answer whose arrays were shortened (removed from the text shown).
const SHORTENED: &str = "\u{0}";

/// A success example as the docs show it: pretty JSON; when longer than [`ANSWER_LINES`],
/// every array shortened to its first item (still valid JSON, and marked for the caption).
/// A whole number is shown without a fraction (`5`, not `5.0`): JSON does not tell them apart,
/// and neither does every bundler, so the docs are the same whichever wrote the spec.
fn answer_text(value: &Value) -> String {
    let value = &whole_numbers(value);
    let whole = serde_json::to_string_pretty(value).unwrap_or_default();
    if whole.lines().count() <= ANSWER_LINES {
        return whole;
    }
    fn shorten(value: &Value) -> Value {
        match value {
            Value::Array(items) => Value::Array(items.iter().take(1).map(shorten).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), shorten(v))).collect()),
            other => other.clone(),
        }
    }
    let short = serde_json::to_string_pretty(&shorten(value)).unwrap_or_default();
    if short == whole {
        whole
    } else {
        format!("{short}{SHORTENED}")
    }
}

/// `value` with every float that is a whole number (within ±2^53) written as an integer.
fn whole_numbers(value: &Value) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => Value::from(f as i64),
            _ => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(whole_numbers).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), whole_numbers(v))).collect()),
        other => other.clone(),
    }
}

/// The body of a formatted sample function: the lines between its signature and `Ok(())`,
/// dedented.
fn body_of(function: &str) -> String {
    let lines: Vec<&str> = function.lines().collect();
    // The signature may wrap: the body starts after the line that opens it.
    let signature = lines.iter().position(|l| l.starts_with("pub async fn ")).unwrap_or(0);
    let start = lines.iter().skip(signature).position(|l| l.ends_with('{')).map_or(0, |i| signature + i + 1);
    let end = lines.iter().rposition(|l| l.trim() == "Ok(())").unwrap_or(lines.len());
    let mut out = String::new();
    for line in lines.get(start..end).unwrap_or_default() {
        out.push_str(line.strip_prefix("    ").unwrap_or(line));
        out.push('\n');
    }
    out
}

/// A JSON value as `serde_json::json!` input.
fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(true) => quote!(true),
        Value::Bool(false) => quote!(false),
        Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                let l = Literal::u64_unsuffixed(i);
                quote!(#l)
            } else if let Some(i) = n.as_i64() {
                let l = Literal::u64_unsuffixed(i.unsigned_abs());
                quote!(-#l)
            } else {
                let f = n.as_f64().unwrap_or_default();
                let l = Literal::f64_unsuffixed(f.abs());
                if f < 0.0 {
                    quote!(-#l)
                } else {
                    quote!(#l)
                }
            }
        }
        Value::String(s) => quote!(#s),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_tokens(v);
                quote!(#k: #v)
            });
            quote!({#(#entries),*})
        }
    }
}
