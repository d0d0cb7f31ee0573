//! The intermediate representation: plain data between the OpenAPI document and the tokens.
//! Every name here is final (decided in `lower` through `names`) and carries its wire form.

use std::collections::BTreeMap;

/// The part of the API that is generated.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    /// Selected tags in the spec's order, each with its operations.
    pub tags: Vec<Tag>,
    /// The types the selected operations reach, by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Places where no typed mapping exists and `serde_json::Value` stands in.
    pub fallbacks: Vec<Fallback>,
    /// Members that several `allOf` parts of one schema define, and what the type holds.
    pub merges: Vec<Merge>,
    /// What the overlays changed in the spec before lowering (for the report).
    pub overlays: Vec<crate::overlay::Applied>,
    /// List-like operations that got no pagination stream: `(operation id, reason)`.
    pub unpaginated: Vec<(String, String)>,
    /// The spec's example values the request samples are built from.
    pub samples: Samples,
    /// Component schemas whose name a bundler numbered (`user-2`), and the name they share
    /// (`user`): for the manifest, whose origins must not depend on the bundler.
    pub numbered: BTreeMap<String, String>,
}

/// The spec's example values for the request samples (see `emit::samples`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    /// By operation id: the request-body and JSON success examples, in the spec's order.
    pub operations: BTreeMap<String, OperationExamples>,
    /// By the origin of a type, struct field or parameter: the first of its `example`,
    /// `examples`, `default` and `enum[0]` (a parameter's own first, then its schema's).
    pub values: BTreeMap<String, ExampleValue>,
}

/// The examples of one operation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationExamples {
    pub bodies: Vec<ExampleValue>,
    /// The JSON success answers' examples.
    pub answers: Vec<ExampleValue>,
}

/// An example value and the JSON pointer where the spec gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleValue {
    pub pointer: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The tag as the spec writes it (`Functions`).
    pub wire: String,
    /// The group's struct (`Functions`).
    pub type_name: String,
    /// The module and the `Client` accessor (`functions`).
    pub module: String,
    pub docs: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: String,
    pub method_name: String,
    pub http_method: HttpMethod,
    /// The path as the spec writes it, `{name}` placeholders included.
    pub path: String,
    /// JSON pointer of the operation in the bundled document.
    pub origin: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub success: Success,
    /// Where the request goes (the operation's own `servers`, else the API's).
    pub server: Server,
    /// Which credential it carries (the operation's `security`).
    pub auth: Auth,
    /// Cargo feature that compiles the operation (the tag's module name).
    pub feature: String,
    /// How to walk every page of a list operation, when it is one (`lower::pagination`).
    pub pagination: Option<Pagination>,
    /// The server-sent events the operation can answer with instead (`text/event-stream`).
    pub events: Option<EventStream>,
}

/// A `text/event-stream` answer: a stream of JSON events (see `lower::events`).
#[derive(Debug, Clone, PartialEq)]
pub struct EventStream {
    /// The type of each event's data.
    pub ty: TypeRef,
    /// JSON pointer of the media type object in the bundled document.
    pub origin: String,
    /// Whether the request body has a boolean `stream` member (sent as `true`).
    pub stream_field: bool,
    /// Whether a complete stream ends with `data: [DONE]` (else at any event's end).
    pub ends_with_done: bool,
}

/// How a list operation pages, as the spec describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PageStyle,
    /// The answer's array of items (`droplets`): wire and Rust name, and whether it is an `Option`.
    pub items: PageStep,
    /// The item type (the array's element).
    pub item: TypeRef,
    /// From the answer to the next page's URL (`links.pages.next`), or for [`PageStyle::Cursor`]
    /// to `last_id`.
    pub next: Vec<PageStep>,
    /// [`PageStyle::Cursor`]: from the answer to `has_more`.
    pub has_more: Vec<PageStep>,
    /// The query parameters a walk sets on the params struct: `(wire, Rust field)`, among
    /// `page`, `per_page`, `page_token` and `after`.
    pub params: Vec<(String, String)>,
}

/// One field on the way from an answer to a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStep {
    pub wire: String,
    pub rust: String,
    /// Whether the field is an `Option`.
    pub optional: bool,
}

/// The three pagination styles of the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageStyle {
    /// `page`/`per_page` in the request, a `links.pages.next` URL in the answer.
    Page,
    /// The same `next` link, carrying a `page_token`.
    Token,
    /// `after` in the request, `last_id`/`has_more` in the answer.
    Cursor,
}

impl PageStyle {
    pub fn as_str(self) -> &'static str {
        match self {
            PageStyle::Page => "page",
            PageStyle::Token => "token",
            PageStyle::Cursor => "cursor",
        }
    }
}

/// The host an operation is sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// The API's base URL (`https://api.digitalocean.com`).
    Api,
    /// The serverless inference host (`https://inference.do-ai.run`).
    Inference,
    /// An agent's own URL (`https://{agent_url}`).
    Agent,
    /// A URL the caller passes whole (a pre-signed upload URL).
    Absolute,
}

/// The credential an operation carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The DigitalOcean API token (`bearer_auth`).
    Token,
    /// The model access key (`inference_bearer_auth`).
    ModelAccessKey,
    /// None (`security: []`).
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
}

impl HttpMethod {
    /// The constant's name on `reqwest::Method`.
    pub fn constant(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    /// JSON pointer of the parameter in the bundled document.
    pub origin: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The JSON body's type; `TypeRef::Bytes` for a raw body.
    pub ty: TypeRef,
    /// The media type sent (`application/json`, `application/octet-stream`).
    pub media: String,
    pub required: bool,
    pub docs: Option<String>,
    /// JSON pointer of the media type object in the bundled document.
    pub origin: String,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// One answer shape, whatever the 2xx status.
    One(Answer),
    /// Several 2xx statuses the caller must tell apart: an enum (`name`) with one variant each.
    ByStatus { name: String, docs: String, variants: Vec<StatusVariant> },
}

/// The body of a successful answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A JSON body of this type; `origin` is the pointer of its media type object.
    Json { ty: TypeRef, origin: String },
    /// Bytes (`text/csv`, `application/pdf`), asked for with this `Accept`.
    Bytes { media: String },
    /// Text (`application/yaml`), asked for with this `Accept`.
    Text { media: String },
    /// No body (`204`, or a 2xx documented without content).
    Empty,
}

impl Success {
    /// Every JSON body type a success can carry.
    pub fn json_types(&self) -> Vec<&TypeRef> {
        let answers: Vec<&Answer> = match self {
            Success::One(answer) => vec![answer],
            Success::ByStatus { variants, .. } => variants.iter().map(|v| &v.answer).collect(),
        };
        answers
            .into_iter()
            .filter_map(|a| match a {
                Answer::Json { ty, .. } => Some(ty),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub status: u16,
    /// The variant (`Ok`, `Accepted`).
    pub rust: String,
    pub answer: Answer,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    /// JSON pointer of the schema in the bundled document.
    pub origin: String,
    pub kind: TypeKind,
    /// How the selected operations use the type.
    pub usage: Usage,
}

/// Where a type is reached from: decides its derives, its leniency and its cargo features.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reached from a request (a body or parameters): needs `Serialize`.
    pub request: bool,
    /// Reached from a response: needs `Deserialize`, and decodes leniently.
    pub response: bool,
    /// The cargo features (tag modules) of the operations that reach it, with how many of
    /// their operations do (the type's home module is the one with most).
    pub features: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; unknown values land in a catch-all variant.
    Enum(Vec<Variant>),
    /// An integer enum; unknown values land in a catch-all variant.
    IntEnum(Vec<IntVariant>),
    /// A named schema that is another type (`type: integer`, an array, a single `$ref`).
    Alias(TypeRef),
    /// `oneOf`/`anyOf` alternatives: one variant each.
    Union(Union),
    /// The answers of an operation with several success statuses: one variant per status
    /// (`tag` holds the status); decoded by the client, not by serde.
    Answers(Vec<UnionVariant>),
}

impl TypeKind {
    /// Every type a definition holds directly: its fields' and extra members' types, its
    /// target, its variants'. With [`TypeRef::named`], the one walk from a type to the types
    /// it needs.
    pub fn refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).chain(&s.additional).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Union(Union { variants, .. }) | TypeKind::Answers(variants) => variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntVariant {
    pub value: i64,
    pub rust: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminating property (`type`), when the spec names one: each variant then has
    /// its wire value in `UnionVariant::tag`.
    pub tag: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust: String,
    pub ty: TypeRef,
    /// The discriminator value that selects this variant.
    pub tag: Option<String>,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` beside named properties: collected into a map.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire: String,
    pub rust: String,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
    pub docs: Option<String>,
    /// JSON pointer of the property's schema in the bundled document.
    pub origin: String,
    /// The subject of an answer's envelope (`droplet` in `{"droplet": ..., "links": ...}`):
    /// always sent, so not an `Option`, and an answer without it is a decode error (see
    /// `lower::subjects`).
    pub subject: bool,
}

impl Field {
    /// Whether the field is an `Option`: not required, nullable, or only sent one way.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable || self.read_only || self.write_only
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub wire: String,
    pub rust: String,
}

/// A use of a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    /// A `format: date-time` string (`crate::DateTime`: the text as received, and its instant).
    DateTime,
    Bool,
    I32,
    I64,
    U32,
    U64,
    F64,
    /// Any JSON value (free-form, or a documented fallback).
    Json,
    /// A free-form JSON object.
    JsonObject,
    /// Raw bytes (a binary request body).
    Bytes,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    Named(String),
    /// An array item or a map value whose schema is `nullable` (`Option<T>`): a field's own
    /// nullability is [`Field::nullable`], not this.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// The type inside every list, map and `Option` layer: `Droplet` for `Vec<Option<Droplet>>`.
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.innermost(),
            other => other,
        }
    }

    /// The named type inside every list, map and `Option` layer, if there is one.
    pub fn named(&self) -> Option<&str> {
        match self.innermost() {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }

    /// The type without its `Option` layer, if it has one.
    pub fn non_null(&self) -> &TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner,
            other => other,
        }
    }
}

/// A member that several `allOf` parts (or merged `anyOf` alternatives) of one schema define
/// (see `lower::merge`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Merge {
    /// `allOf`, or `anyOf` for the alternatives of an `anyOf` merged into one struct.
    pub keyword: &'static str,
    /// JSON pointer of the schema whose parts meet, in the bundled document.
    pub pointer: String,
    /// The member's wire name.
    pub member: String,
    /// Where each part defines it, in the order met.
    pub parts: Vec<String>,
    /// What the generated type holds for it.
    pub outcome: String,
}

/// A place where no typed mapping exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fallback {
    /// JSON pointer in the bundled document.
    pub pointer: String,
    pub reason: String,
}

/// A piece of a path template: text as written, or a placeholder (`name` without its braces,
/// `written` with them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPiece<'a> {
    Text(&'a str),
    Placeholder { name: &'a str, written: &'a str },
}

/// The pieces of a path template in order: `/v2/droplets/{droplet_id}/actions` is the text
/// `/v2/droplets/`, the placeholder `droplet_id` and the text `/actions`. A `{` that no `}`
/// closes is text. The one reader of templates (the lowering checks the placeholders against
/// the path parameters; the builders fill them in).
pub fn path_pieces(template: &str) -> Vec<PathPiece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            out.push(PathPiece::Text(&rest[..start]));
        }
        out.push(PathPiece::Placeholder { name: &rest[start + 1..start + len], written: &rest[start..=start + len] });
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(PathPiece::Text(rest));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_template_is_text_and_placeholders() {
        use PathPiece::{Placeholder, Text};
        let pieces = path_pieces("/v2/{a}/x/{b_c}{d}");
        let names: Vec<&str> = pieces.iter().filter_map(|p| if let Placeholder { name, .. } = p { Some(*name) } else { None }).collect();
        assert_eq!(names, ["a", "b_c", "d"]);
        assert_eq!(pieces[0], Text("/v2/"));
        assert_eq!(pieces[1], Placeholder { name: "a", written: "{a}" });
        assert_eq!(pieces[2], Text("/x/"));
        assert_eq!(pieces.len(), 5);
        assert_eq!(path_pieces("/v2/account"), [Text("/v2/account")]);
        assert_eq!(path_pieces("/v2/{open"), [Text("/v2/{open")]);
        assert_eq!(path_pieces(""), []);
    }
}
