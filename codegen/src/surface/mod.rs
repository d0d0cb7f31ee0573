//! Phase 2½: the Rust API of each operation, decided once. The emitter (`emit::apis`), the
//! samples, the manifest and so the change report all read a [`Call`] rather than deciding for
//! themselves what a method is called, which arguments it takes and which it chains.
//!
//! The shape (see the crate docs' "Calling the API"): one method per operation on its tag's
//! group, returning a builder named after the method (`droplets().list()` returns
//! `apis::droplets::List`). The method takes what the call cannot go without, in this order: the
//! URL of an operation sent to a URL the caller passes, the path parameters (in the path's
//! order), the required query and header parameters, and the body when one must be sent. Every
//! optional parameter is a method of the builder, chained; so is a body that may be left out.
//! The builder is awaited (`IntoFuture`), or turned into `.with_meta()`, `.pages()`,
//! `.stream()` or `.events()`.

pub mod types;

use crate::ir::{Api, Body, Operation, Param, ParamLocation, PathPiece, Server, Tag, TypeKind, TypeRef};

/// One operation as a caller of the crate sees it.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub api: &'a Api,
    pub tag: &'a Tag,
    pub op: &'a Operation,
    /// The builder type the method returns, in the tag's module (`List`).
    pub builder: String,
    /// What the method takes, in order.
    pub args: Vec<Input<'a>>,
    /// What the builder's chained methods set, in the spec's order.
    pub setters: Vec<Input<'a>>,
    /// The path template, parsed.
    pub path: Vec<Segment<'a>>,
}

/// One value a call is given: an argument of the method or a chained method of the builder
/// (whose field in the builder has the same name).
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The argument's, method's and field's name.
    pub rust: String,
    pub source: Source<'a>,
}

/// What an [`Input`] is.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The whole URL of an operation sent where the caller says (a pre-signed upload URL).
    Url,
    Param(&'a Param),
    Body(&'a Body),
}

/// A piece of a path template: text as it is, or a path parameter's value (percent-encoded).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Segment<'a> {
    Text(&'a str),
    Param(&'a Param),
}

/// Names a builder cannot give a chained method or field: its own methods and the client.
const BUILDER_OWN: &[&str] = &["client", "with_meta", "pages", "stream", "events", "into_future", "clone", "fmt"];

impl<'a> Input<'a> {
    /// The value's type.
    pub fn ty(&self) -> &'a TypeRef {
        match self.source {
            Source::Url => &TypeRef::String,
            Source::Param(p) => &p.ty,
            Source::Body(b) => &b.ty,
        }
    }

    /// Its documentation from the spec, if any.
    pub fn docs(&self) -> Option<&'a str> {
        match self.source {
            Source::Url => None,
            Source::Param(p) => p.docs.as_deref(),
            Source::Body(b) => b.docs.as_deref(),
        }
    }
}

impl<'a> Call<'a> {
    /// The method on the tag's group (`list`).
    pub fn method(&self) -> &'a str {
        &self.op.method_name
    }

    /// How a caller names it: `droplets().list`.
    pub fn rust(&self) -> String {
        format!("{}().{}", self.tag.module, self.op.method_name)
    }

    /// The builder's path from the crate root: `apis::droplets::List`.
    pub fn builder_path(&self) -> String {
        format!("apis::{}::{}", self.tag.module, self.builder)
    }

    /// Whether the body is a method's argument (else chained, or there is none).
    pub fn body_is_arg(&self) -> bool {
        self.args.iter().any(|i| matches!(i.source, Source::Body(_)))
    }
}

/// The calls of every operation of `api`, tag by tag in the spec's order.
pub fn calls(api: &Api) -> Vec<Call<'_>> {
    api.tags.iter().flat_map(|tag| tag.operations.iter().map(move |op| call(api, tag, op))).collect()
}

/// The call of `op`, of the group of `tag`.
pub fn call<'a>(api: &'a Api, tag: &'a Tag, op: &'a Operation) -> Call<'a> {
    let mut args = Vec::new();
    let mut setters = Vec::new();
    if op.server == Server::Absolute {
        args.push(Input { rust: "url".into(), source: Source::Url });
    }
    let path = parse_path(op);
    for segment in &path {
        if let Segment::Param(p) = segment {
            args.push(Input { rust: p.rust.clone(), source: Source::Param(p) });
        }
    }
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let rust = if BUILDER_OWN.contains(&p.rust.as_str()) { format!("{}_param", p.rust) } else { p.rust.clone() };
        let input = Input { rust, source: Source::Param(p) };
        if p.required {
            args.push(input);
        } else {
            setters.push(input);
        }
    }
    if let Some(body) = &op.body {
        let input = Input { rust: "body".into(), source: Source::Body(body) };
        if body_must_be_sent(api, body) {
            args.push(input);
        } else {
            setters.push(input);
        }
    }
    Call { api, tag, op, builder: builder_name(tag, op), args, setters, path }
}

/// A body is an argument when the spec requires it, or when its type has members that must be
/// given (a body the API cannot do without in practice: 90 operations of the spec leave
/// `required` out for such a body), or is not an object at all (a list, a union, bytes).
fn body_must_be_sent(api: &Api, body: &Body) -> bool {
    if body.required {
        return true;
    }
    let mut ty = &body.ty;
    loop {
        let TypeRef::Named(name) = ty else { return !matches!(ty, TypeRef::Json | TypeRef::JsonObject) };
        let Some(def) = api.types.get(name) else { return true };
        match &def.kind {
            TypeKind::Alias(inner) => ty = inner,
            TypeKind::Struct(s) => return s.fields.iter().any(|f| f.required && !f.read_only),
            _ => return true,
        }
    }
}

/// The builder's type name: the method's, in UpperCamelCase (`create_cluster` → `CreateCluster`);
/// `…Call` when that is the group's own name.
fn builder_name(tag: &Tag, op: &Operation) -> String {
    let name = crate::names::type_name(op.method_name.trim_start_matches("r#"));
    if name == tag.type_name {
        format!("{name}Call")
    } else {
        name
    }
}

/// The path template in pieces. A placeholder without a parameter stays text (the lowering
/// refuses such a spec before this).
fn parse_path(op: &Operation) -> Vec<Segment<'_>> {
    let param = |name: &str| op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire == name);
    let segment = |piece| match piece {
        PathPiece::Text(text) => Segment::Text(text),
        PathPiece::Placeholder { name, written } => param(name).map_or(Segment::Text(written), Segment::Param),
    };
    crate::ir::path_pieces(&op.path).into_iter().map(segment).collect()
}
