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
    /// The struct holding the query and header parameters, when there are any
    /// (`<OperationId>Params` in `models`): methods take it instead of a long argument list.
    pub params_struct: Option<String>,
    pub body: Option<Body>,
    pub success: Success,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// A JSON body of this type.
    Json(TypeRef),
    /// No body (`204`, or a 2xx documented without content).
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub docs: Option<String>,
    /// JSON pointer of the schema in the bundled document.
    pub origin: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum; unknown values land in a catch-all variant.
    Enum(Vec<Variant>),
    /// A named schema that is another type (`type: integer`, an array, a single `$ref`).
    Alias(TypeRef),
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
    pub deprecated: bool,
    pub docs: Option<String>,
}

impl Field {
    /// Whether the field is an `Option`: not required, nullable, or set by the server only.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable || self.read_only
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
    Bool,
    I32,
    I64,
    U32,
    U64,
    F32,
    F64,
    /// Any JSON value (free-form, or a documented fallback).
    Json,
    /// A free-form JSON object.
    JsonObject,
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
    Named(String),
}

/// A place where no typed mapping exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fallback {
    /// JSON pointer in the bundled document.
    pub pointer: String,
    pub reason: String,
}
