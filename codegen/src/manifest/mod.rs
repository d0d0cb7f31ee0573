//! The manifest of the generated Rust API (`generated/api/`, see [`Manifest::to_files`]): every operation and every
//! type as a caller of the crate sees them, with the wire names they stand for. It is built from
//! the IR through the same functions that write the code (types are spelled by `surface::types`
//! with the facts of `analysis`, unqualified: `Option<Vec<Droplet>>`), so that it says what the
//! code says. It does not use `emit` (emit uses it). [`crate::changes`] compares two.
//!
//! The JSON is sorted (operations by id, types by Rust name; parameters, fields and variants in
//! declaration order), keys in a fixed order, and an object or array that holds only scalars is
//! written on one line: one field, parameter or variant is one line of a diff.

mod files;

pub use files::{DIR, INDEX};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::analysis::Facts;
use crate::error::{Error, Result};
use crate::ir::{self, Answer, Auth, ParamLocation, Server, Success, TypeDef, TypeKind};
use crate::surface::types::{additional_type, field_type, output_type, type_text, type_tokens, variant_types, Scope};
use crate::surface::{Call, Source};

/// The layout of the manifest; raised when its meaning changes.
pub const FORMAT: u32 = 2;

/// What errors name a manifest read as one document ([`Manifest::from_json`]) after.
const ONE_DOCUMENT: &str = "manifest.json";

/// The Rust API of a generated crate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// The generated crate's version (`spec/crate-version`).
    pub crate_version: String,
    /// The spec's `info.title` and `info.version`.
    pub api_title: String,
    pub api_version: String,
    /// By operation id.
    pub operations: Vec<Operation>,
    /// By Rust name.
    pub types: Vec<Type>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The `operationId`.
    pub id: String,
    /// The tag as the spec writes it.
    pub tag: String,
    /// The cargo feature that compiles the method.
    pub feature: String,
    /// The method as called on a `Client`: `droplets().list`.
    pub rust: String,
    /// The builder it returns: `apis::droplets::List`.
    pub builder: String,
    /// The method's arguments, in order (`url`, path parameters, required query and header
    /// parameters, `body`); everything else is chained on the builder.
    pub args: Vec<String>,
    /// `GET`, `POST`, ...
    pub http_method: String,
    pub path: String,
    /// `api`, `inference`, `agent` or `absolute` (a URL the caller passes).
    pub server: String,
    /// `token`, `model_access_key` or `none`.
    pub auth: String,
    pub deprecated: bool,
    pub params: Vec<Param>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    pub response: Response,
    /// How the builder's `.pages()`/`.stream()` walk the pages, for a list operation that has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Why a list-like operation has no pagination (what the generator did not recognise), so
    /// that a report can say why an operation lost it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unpaginated: Option<String>,
    /// The builder's `.events()`, for an operation that can answer with server-sent events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Events>,
}

/// An operation's event stream (`.events()` on its builder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Events {
    /// How a caller opens it: `serverless_inference().create_chat_completion(..).events`.
    pub rust: String,
    /// The type of each event (`ChatCompletionChunk`); `.events()` gives an `EventStream<_>` of it.
    pub rust_type: String,
    /// Whether the body is sent with `stream: true`.
    pub sets_stream: bool,
    /// Whether a complete stream ends with `data: [DONE]`.
    pub ends_with_done: bool,
}

/// A list operation's pagination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pagination {
    /// `page`, `token` or `cursor`.
    pub style: String,
    /// The answer's array of items (wire name).
    pub items: String,
    /// The item type (`Droplet`).
    pub item_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    /// `path`, `query` or `header`.
    pub location: String,
    /// The value's type (`String`, `i64`): what the builder holds, taken by its argument or
    /// chained method as `impl Into<String>` and so on.
    pub rust_type: String,
    pub required: bool,
    /// Whether it is set by a chained method of the builder (else it is an argument).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chained: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    /// The body's type (`CreateNamespace`, `Vec<u8>`).
    pub rust_type: String,
    pub media: String,
    pub required: bool,
    /// Whether it is set by the builder's `body` method (else it is the `body` argument).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub chained: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// `json`, `bytes`, `text`, `empty`, or `by_status` (an enum with a variant per status).
    pub kind: String,
    /// What the method returns on success (`Droplet`, `Vec<u8>`, `()`).
    pub rust_type: String,
    /// The media type asked for with `Accept` (bytes and text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// For `by_status`: one variant per status.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub status: u16,
    pub variant: String,
    pub kind: String,
    pub rust_type: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Struct,
    Enum,
    IntEnum,
    Alias,
    Union,
    Answers,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Struct => "struct",
            Kind::Enum => "enum",
            Kind::IntEnum => "int_enum",
            Kind::Alias => "alias",
            Kind::Union => "union",
            Kind::Answers => "answers",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Type {
    pub name: String,
    pub kind: Kind,
    /// JSON pointer of the schema in the bundled document.
    pub origin: String,
    /// Implements `Serialize` (reached from a request) without the `roundtrip` feature.
    pub serialize: bool,
    /// Implements `Deserialize` (reached from a response) without the `roundtrip` feature.
    pub deserialize: bool,
    /// Implements `Default` (derived by a struct; `Other` for an enum answers carry).
    pub default: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    /// The type of `additional_properties`, the map of properties beyond the named ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional: Option<String>,
    /// A string or integer enum's variants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// The catch-all variant of an enum (`Other(String)`), which takes values it does not name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch_all: Option<String>,
    /// A union's discriminating property, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_tag: Option<String>,
    /// A union's (or the answers') variants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub union_variants: Vec<UnionVariant>,
    /// What an alias stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    /// The field's type as declared (`Option<Box<Thing>>`).
    pub rust_type: String,
    pub required: bool,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub rust: String,
    pub wire: Wire,
}

/// An enum value as the API writes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Wire {
    Int(i64),
    Text(String),
}

impl std::fmt::Display for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wire::Int(value) => write!(f, "{value}"),
            Wire::Text(value) => write!(f, "{value:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionVariant {
    pub rust: String,
    /// The type the variant holds (`Box<Droplet>`).
    pub rust_type: String,
    /// The discriminator value (the status, for answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// The manifest of the Rust API generated from `api`.
pub fn build(api: &ir::Api, crate_version: &str) -> Manifest {
    build_with(api, crate_version, &Facts::new(&api.types))
}

/// [`build`] with the facts of `api`'s types, computed once by the caller.
pub(crate) fn build_with(api: &ir::Api, crate_version: &str, facts: &Facts<'_>) -> Manifest {
    let mut operations: Vec<Operation> = crate::surface::calls(api).iter().map(operation).collect();
    operations.sort_by(|a, b| a.id.cmp(&b.id));
    for (id, reason) in &api.unpaginated {
        if let Some(op) = operations.iter_mut().find(|op| op.id == *id) {
            op.unpaginated = Some(reason.clone());
        }
    }
    let mut types: Vec<Type> = api.types.values().map(|def| type_entry(facts, def)).collect();
    for ty in &mut types {
        ty.origin = shared_origin(&ty.origin, &api.numbered);
    }
    Manifest {
        format: FORMAT,
        crate_version: crate_version.to_owned(),
        api_title: api.title.clone(),
        api_version: api.version.clone(),
        operations,
        types,
    }
}

fn operation(call: &Call<'_>) -> Operation {
    let op = call.op;
    let inputs: Vec<(&crate::surface::Input<'_>, bool)> =
        call.args.iter().map(|i| (i, false)).chain(call.setters.iter().map(|i| (i, true))).collect();
    let params = op
        .params
        .iter()
        .map(|p| {
            let (input, chained) = inputs
                .iter()
                .find(|(i, _)| matches!(i.source, Source::Param(q) if std::ptr::eq(q, p)))
                .map(|(i, chained)| (i.rust.clone(), *chained))
                .unwrap_or_else(|| (p.rust.clone(), false));
            Param {
                wire: p.wire.clone(),
                rust: input,
                location: location(p.location).to_owned(),
                rust_type: type_text(type_tokens(&p.ty, Scope::Bare)),
                required: p.required,
                chained,
            }
        })
        .collect();
    let body = op.body.as_ref().map(|b| Body {
        rust_type: type_text(type_tokens(&b.ty, Scope::Bare)),
        media: b.media.clone(),
        required: b.required,
        chained: !call.body_is_arg(),
    });
    let rust_type = type_text(output_type(op, Scope::Bare));
    let response = match &op.success {
        Success::One(answer) => {
            let (kind, _, media) = answer_parts(answer);
            Response { kind: kind.to_owned(), rust_type, media, statuses: Vec::new() }
        }
        Success::ByStatus { variants, .. } => Response {
            kind: "by_status".into(),
            rust_type,
            media: None,
            statuses: variants
                .iter()
                .map(|v| {
                    let (kind, ty, _) = answer_parts(&v.answer);
                    Status { status: v.status, variant: v.rust.clone(), kind: kind.to_owned(), rust_type: ty }
                })
                .collect(),
        },
    };
    Operation {
        id: op.id.clone(),
        tag: call.tag.wire.clone(),
        feature: op.feature.clone(),
        rust: call.rust(),
        builder: call.builder_path(),
        args: call.args.iter().map(|i| i.rust.clone()).collect(),
        http_method: op.http_method.constant().to_owned(),
        path: op.path.clone(),
        server: server(op.server).to_owned(),
        auth: auth(op.auth).to_owned(),
        deprecated: op.deprecated,
        params,
        body,
        response,
        pagination: op.pagination.as_ref().map(|p| Pagination {
            style: p.style.as_str().to_owned(),
            items: p.items.wire.clone(),
            item_type: type_text(type_tokens(&p.item, Scope::Bare)),
        }),
        unpaginated: None,
        events: op.events.as_ref().map(|e| Events {
            rust: format!("{}(..).events", call.rust()),
            rust_type: type_text(type_tokens(&e.ty, Scope::Bare)),
            sets_stream: e.stream_field,
            ends_with_done: e.ends_with_done,
        }),
    }
}

/// `origin` with a numbered component schema name written as the name it shares
/// (`/components/schemas/user-2/properties/x` -> `/components/schemas/user/properties/x`): which
/// of the schemas got the number depends on the bundler, and the Rust name tells them apart.
fn shared_origin(origin: &str, numbered: &std::collections::BTreeMap<String, String>) -> String {
    const SCHEMAS: &str = "/components/schemas/";
    let Some(rest) = origin.strip_prefix(SCHEMAS) else { return origin.to_owned() };
    let (key, tail) = rest.split_once('/').map_or((rest, ""), |(k, t)| (k, t));
    match numbered.get(&crate::load::pointer::unescape(key)) {
        Some(group) => {
            let tail = if tail.is_empty() { String::new() } else { format!("/{tail}") };
            format!("{SCHEMAS}{}{tail}", crate::load::pointer::escape(group))
        }
        None => origin.to_owned(),
    }
}

/// An answer's kind, Rust type and media type.
fn answer_parts(answer: &Answer) -> (&'static str, String, Option<String>) {
    match answer {
        Answer::Json { ty, .. } => ("json", type_text(type_tokens(ty, Scope::Bare)), None),
        Answer::Bytes { media } => ("bytes", "Vec<u8>".into(), Some(media.clone())),
        Answer::Text { media } => ("text", "String".into(), Some(media.clone())),
        Answer::Empty => ("empty", "()".into(), None),
    }
}

fn type_entry(facts: &Facts<'_>, def: &TypeDef) -> Type {
    let (serialize, deserialize) = facts.implements_serde(def);
    let mut entry = Type {
        name: def.name.clone(),
        kind: Kind::Struct,
        origin: def.origin.clone(),
        serialize,
        deserialize,
        default: facts.implements_default(def),
        fields: Vec::new(),
        additional: None,
        variants: Vec::new(),
        catch_all: None,
        union_tag: None,
        union_variants: Vec::new(),
        alias: None,
    };
    let union_variants = |variants: &[ir::UnionVariant]| {
        let types = variant_types(facts, variants, Scope::Bare);
        variants
            .iter()
            .zip(types)
            .map(|(v, ty)| UnionVariant { rust: v.rust.clone(), rust_type: type_text(ty), tag: v.tag.clone() })
            .collect()
    };
    match &def.kind {
        TypeKind::Struct(s) => {
            entry.fields = s
                .fields
                .iter()
                .map(|f| Field {
                    wire: f.wire.clone(),
                    rust: f.rust.clone(),
                    rust_type: type_text(field_type(facts, def, f, Scope::Bare)),
                    required: f.required,
                    nullable: f.nullable,
                })
                .collect();
            entry.additional = s.additional.as_ref().map(|ty| type_text(additional_type(ty, Scope::Bare)));
        }
        TypeKind::Enum(variants) => {
            entry.kind = Kind::Enum;
            entry.variants = variants.iter().map(|v| Variant { rust: v.rust.clone(), wire: Wire::Text(v.wire.clone()) }).collect();
            entry.catch_all = Some("Other(String)".into());
        }
        TypeKind::IntEnum(variants) => {
            entry.kind = Kind::IntEnum;
            entry.variants = variants.iter().map(|v| Variant { rust: v.rust.clone(), wire: Wire::Int(v.value) }).collect();
            entry.catch_all = Some("Other(i64)".into());
        }
        TypeKind::Alias(target) => {
            entry.kind = Kind::Alias;
            entry.alias = Some(type_text(type_tokens(target, Scope::Bare)));
        }
        TypeKind::Union(union) => {
            entry.kind = Kind::Union;
            entry.union_tag = union.tag.clone();
            entry.union_variants = union_variants(&union.variants);
        }
        TypeKind::Answers(variants) => {
            entry.kind = Kind::Answers;
            entry.union_variants = union_variants(variants);
        }
    }
    entry
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}

fn server(server: Server) -> &'static str {
    match server {
        Server::Api => "api",
        Server::Inference => "inference",
        Server::Agent => "agent",
        Server::Absolute => "absolute",
    }
}

fn auth(auth: Auth) -> &'static str {
    match auth {
        Auth::Token => "token",
        Auth::ModelAccessKey => "model_access_key",
        Auth::None => "none",
    }
}

impl Manifest {
    /// The manifest as one JSON document: deterministic, one line per object of scalars, ending
    /// with a newline. The generated crate holds it as several files ([`Manifest::to_files`]).
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings, numbers and booleans cannot fail.
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        let mut out = String::new();
        write_value(&value, 0, &mut out);
        out.push('\n');
        out
    }

    /// Reads the manifest as one JSON document (as [`Manifest::to_json`] writes it);
    /// the error names the line, column and the element that is wrong.
    pub fn from_json(text: &str) -> Result<Manifest> {
        let manifest: Manifest = located(text, ONE_DOCUMENT)?;
        if manifest.format != FORMAT {
            let message = format!("format {} is not the one this generator reads ({FORMAT}): regenerate it", manifest.format);
            return Err(Error::Manifest { at: format!("{ONE_DOCUMENT}: `format`"), message });
        }
        Ok(manifest)
    }

    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The type with this Rust name.
    pub fn type_named(&self, name: &str) -> Option<&Type> {
        self.types.iter().find(|t| t.name == name)
    }
}

/// Reads `text`, the file `name`, as a `T`; the error names the file, the line, the column and
/// the element that is wrong.
fn located<T: DeserializeOwned>(text: &str, name: &str) -> Result<T> {
    // Read without tracking the path first; only a file that fails is read again to say where.
    if let Ok(value) = serde_json::from_str(text) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = if path.is_empty() || path == "." {
            format!("{name}: line {}, column {}", inner.line(), inner.column())
        } else {
            format!("{name}: line {}, column {}, at `{path}`", inner.line(), inner.column())
        };
        let message = inner.to_string();
        let message = message.trim_end_matches(&format!(" at line {} column {}", inner.line(), inner.column())).to_owned();
        Error::Manifest { at, message }
    })
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Pretty JSON where an object or array holding only scalars takes one line.
fn write_value(value: &Value, indent: usize, out: &mut String) {
    match value {
        Value::Object(map) if map.values().all(is_scalar) => {
            out.push('{');
            for (i, (key, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_scalar(&key.as_str(), out);
                out.push_str(": ");
                write_scalar(v, out);
            }
            out.push('}');
        }
        Value::Array(items) if items.iter().all(is_scalar) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_scalar(v, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push_str("{\n");
            let last = map.len().saturating_sub(1);
            for (i, (key, v)) in map.iter().enumerate() {
                pad(indent + 1, out);
                write_scalar(&key.as_str(), out);
                out.push_str(": ");
                write_value(v, indent + 1, out);
                out.push_str(if i == last { "\n" } else { ",\n" });
            }
            pad(indent, out);
            out.push('}');
        }
        Value::Array(items) => {
            out.push_str("[\n");
            let last = items.len().saturating_sub(1);
            for (i, v) in items.iter().enumerate() {
                pad(indent + 1, out);
                write_value(v, indent + 1, out);
                out.push_str(if i == last { "\n" } else { ",\n" });
            }
            pad(indent, out);
            out.push(']');
        }
        other => write_scalar(other, out),
    }
}

fn pad(indent: usize, out: &mut String) {
    (0..indent).for_each(|_| out.push_str("  "));
}

/// A string, number, boolean or null as compact JSON.
fn write_scalar(value: &impl Serialize, out: &mut String) {
    // Serializing a scalar into a `String` cannot fail.
    out.push_str(&serde_json::to_string(value).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_a_located_error() {
        let err = Manifest::from_json("{\"format\": 1, \"crate_version\": 7}").unwrap_err().to_string();
        assert!(err.contains("crate_version") && err.contains("line 1"), "{err}");
        let err = Manifest::from_json("not json at all").unwrap_err().to_string();
        assert_eq!(err, "manifest: manifest.json: line 1, column 2: expected ident");
        let err = Manifest::from_json("{\"format\": 1, \"crate_version\": \"0.1.0\"}").unwrap_err().to_string();
        assert!(err.contains("missing field `api_title`"), "{err}");
    }

    #[test]
    fn objects_of_scalars_take_one_line() {
        let value = serde_json::json!({"a": [{"x": 1, "y": "z"}, {"x": 2, "y": null}], "b": [], "c": {"d": [true]}});
        let mut out = String::new();
        write_value(&value, 0, &mut out);
        let expected = "{\n  \"a\": [\n    {\"x\": 1, \"y\": \"z\"},\n    {\"x\": 2, \"y\": null}\n  ],\n  \"b\": [],\n  \"c\": {\n    \"d\": [true]\n  }\n}";
        assert_eq!(out, expected);
    }
}
