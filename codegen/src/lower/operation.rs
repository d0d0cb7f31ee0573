//! Operations to the IR: parameters, the JSON body, the success response; grouped by tag.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, StatusCode};

use super::schema::SchemaOr;
use super::{json_schema, Lowerer, Selection};
use crate::error::{Error, Result};
use crate::ir::{
    Answer, Auth, Body, HttpMethod, Operation, Param, ParamLocation, PathPiece, Server, StatusVariant, Success, Tag, TypeKind, TypeRef,
};
use crate::load::pointer::escape;
use crate::names;

impl<'s> Lowerer<'s> {
    /// The selected operations, grouped by their first tag, tags in the spec's order.
    pub(super) fn operations(&mut self, selection: &Selection) -> Result<Vec<Tag>> {
        let doc = &self.spec.doc;
        // How many operations of each tag in the whole spec share a short method name, counted
        // before the selection: names are decided before selection.
        let mut shorts: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut groups: Vec<(String, Vec<Operation>)> = Vec::new();
        let mut found_tags = BTreeSet::new();
        let mut found_ops = BTreeSet::new();
        for (path, item) in &doc.paths.paths {
            let item_at = format!("/paths/{}", escape(path));
            let ReferenceOr::Item(item) = item else {
                return Err(self.unsupported(&item_at, "a path item that is a $ref"));
            };
            for (method, op) in item.iter() {
                let at = format!("{item_at}/{method}");
                let id = op.operation_id.as_deref().ok_or_else(|| self.unsupported(&at, "an operation without operationId"))?;
                let tag = op.tags.first().map(String::as_str).unwrap_or("Default");
                *shorts.entry((tag.to_owned(), names::method_name(id, tag))).or_default() += 1;
                if !selection.takes(tag, id) {
                    continue;
                }
                found_tags.insert(tag.to_owned());
                found_ops.insert(id.to_owned());
                let lowered = self.operation(path, method, item, op, &at, id, tag)?;
                match groups.iter_mut().find(|(t, _)| t == tag) {
                    Some((_, ops)) => ops.push(lowered),
                    None => groups.push((tag.to_owned(), vec![lowered])),
                }
            }
        }
        let missing: Vec<&String> = selection
            .tags
            .iter()
            .filter(|t| !found_tags.contains(*t))
            .chain(selection.operations.iter().filter(|o| !found_ops.contains(*o)))
            .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
            return Err(Error::Selection { message: format!("no operation matches {}", names.join(", ")) });
        }
        let order: Vec<&str> = doc.tags.iter().map(|t| t.name.as_str()).collect();
        groups.sort_by_key(|(tag, _)| order.iter().position(|t| t == tag).unwrap_or(usize::MAX));
        Ok(groups.into_iter().map(|(wire, operations)| self.tag(wire, operations, &shorts)).collect())
    }

    /// A tag's group. Two operations of the tag (in the whole spec, `shorts`) whose short names
    /// meet keep their full names.
    fn tag(&self, wire: String, mut operations: Vec<Operation>, shorts: &BTreeMap<(String, String), usize>) -> Tag {
        for op in &mut operations {
            if shorts.get(&(wire.clone(), op.method_name.clone())).is_some_and(|n| *n > 1) {
                op.method_name = names::field_name(&op.id);
            }
        }
        let docs = self.spec.doc.tags.iter().find(|t| t.name == wire).and_then(|t| t.description.clone());
        Tag { type_name: names::type_name(&wire), module: names::tag_module(&wire), docs, operations, wire }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        path: &str,
        method: &str,
        item: &'s PathItem,
        op: &'s openapiv3::Operation,
        at: &str,
        id: &str,
        tag: &str,
    ) -> Result<Operation> {
        let http_method = match method {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "patch" => HttpMethod::Patch,
            "head" => HttpMethod::Head,
            "options" => HttpMethod::Options,
            other => return Err(self.unsupported(at, &format!("the HTTP method `{other}`"))),
        };
        let base = names::type_name(id);
        let params = self.params(item, op, at, &base)?;
        let pieces = crate::ir::path_pieces(path);
        let placeholders: BTreeSet<&str> =
            pieces.iter().filter_map(|piece| if let PathPiece::Placeholder { name, .. } = piece { Some(*name) } else { None }).collect();
        let declared: BTreeSet<&str> = params.iter().filter(|p| p.location == ParamLocation::Path).map(|p| p.wire.as_str()).collect();
        if placeholders != declared {
            return Err(self.unsupported(at, &format!("path placeholders {placeholders:?} do not match the path parameters {declared:?}")));
        }
        let body = self.body(op, at, &base)?;
        let success = self.success(op, at, &base)?;
        let server = self.server(op, at)?;
        let auth = self.auth(op, at)?;
        let events = self.events(op, at, &base, body.as_ref())?;
        Ok(Operation {
            id: id.to_owned(),
            method_name: names::method_name(id, tag),
            http_method,
            path: path.to_owned(),
            origin: at.to_owned(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            params,
            body,
            success,
            server,
            auth,
            feature: names::tag_module(tag),
            events,
            pagination: None,
        })
    }

    /// The operation's own server, if it has one.
    fn server(&self, op: &openapiv3::Operation, at: &str) -> Result<Server> {
        let Some(server) = op.servers.first() else { return Ok(Server::Api) };
        let url = server.url.trim_end_matches('/');
        Ok(match url {
            "https://inference.do-ai.run" => Server::Inference,
            "https://{agent_url}" => Server::Agent,
            "https:" | "https://" | "http://" => Server::Absolute,
            other => return Err(self.unsupported(&format!("{at}/servers/0"), &format!("the server `{other}`"))),
        })
    }

    /// The credential the operation's `security` asks for (the document's when it has none).
    fn auth(&self, op: &openapiv3::Operation, at: &str) -> Result<Auth> {
        let requirements = op.security.as_ref().or(self.spec.doc.security.as_ref());
        let Some(requirements) = requirements else { return Ok(Auth::Token) };
        if requirements.is_empty() || requirements.iter().all(|r| r.is_empty()) {
            return Ok(Auth::None);
        }
        let mut found = None;
        for scheme in requirements.iter().flat_map(|r| r.keys()) {
            let auth = match scheme.as_str() {
                "bearer_auth" => Auth::Token,
                "inference_bearer_auth" => Auth::ModelAccessKey,
                other => return Err(self.unsupported(&format!("{at}/security"), &format!("the security scheme `{other}`"))),
            };
            if found.is_some_and(|f| f != auth) {
                return Err(self.unsupported(&format!("{at}/security"), "alternative credentials of different kinds"));
            }
            found = Some(auth);
        }
        Ok(found.unwrap_or(Auth::Token))
    }

    fn params(&mut self, item: &'s PathItem, op: &'s openapiv3::Operation, at: &str, base: &str) -> Result<Vec<Param>> {
        let item_at = at.rsplit_once('/').map(|(p, _)| p).unwrap_or(at);
        let mut all: Vec<(&'s Parameter, String)> = Vec::new();
        let listed = item.parameters.iter().enumerate().map(|(i, p)| (p, format!("{item_at}/parameters/{i}")));
        let own = op.parameters.iter().enumerate().map(|(i, p)| (p, format!("{at}/parameters/{i}")));
        for (param, param_at) in listed.chain(own) {
            let (param, param_at) = self.parameter(param, &param_at)?;
            let data = param.parameter_data_ref();
            // An operation's parameter replaces the path item's one of the same name and place.
            all.retain(|(p, _)| !(p.parameter_data_ref().name == data.name && std::mem::discriminant(*p) == std::mem::discriminant(param)));
            all.push((param, param_at));
        }
        let mut params = Vec::new();
        for (param, param_at) in all {
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => return Err(self.unsupported(&param_at, "cookie parameters")),
            };
            let data = param.parameter_data_ref();
            let ParameterSchemaOrContent::Schema(schema) = &data.format else {
                return Err(self.unsupported(&param_at, "a parameter described by `content` instead of `schema`"));
            };
            let name_base = vec![format!("{base}{}", names::type_name(&data.name))];
            let schema_at = format!("{param_at}/schema");
            let mut ty = self.type_of(SchemaOr::from(schema), &schema_at, &name_base)?;
            if let TypeRef::Named(name) = &ty {
                if let Some(crate::ir::TypeDef { kind: crate::ir::TypeKind::Alias(inner), .. }) = self.types.get(name) {
                    if is_scalar(inner) {
                        ty = inner.clone();
                    }
                }
            }
            if location == ParamLocation::Path && !is_scalar(&ty) {
                // A path segment is text: a union of scalars (`anyOf: [integer, string]`) is
                // passed as its text form.
                if !self.is_scalar_union(&ty) {
                    self.fallbacks.insert(crate::ir::Fallback {
                        pointer: schema_at,
                        reason: "path parameter of a composite type is taken as a string".to_owned(),
                    });
                }
                ty = TypeRef::String;
            }
            params.push(Param {
                wire: data.name.clone(),
                rust: names::field_name(&data.name),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs: data.description.clone(),
                origin: param_at.clone(),
            });
        }
        Ok(params)
    }

    fn parameter(&self, param: &'s ReferenceOr<Parameter>, at: &str) -> Result<(&'s Parameter, String)> {
        self.item_or_component(param, at.to_owned(), ("parameters", "parameter"), |c| &c.parameters)
    }

    fn body(&mut self, op: &'s openapiv3::Operation, at: &str, base: &str) -> Result<Option<Body>> {
        let Some(body) = &op.request_body else { return Ok(None) };
        let (body, body_at) =
            self.item_or_component(body, format!("{at}/requestBody"), ("requestBodies", "request body"), |c| &c.request_bodies)?;
        if let Some((media, schema)) = json_schema(&body.content) {
            let media_at = format!("{body_at}/content/{}", escape(media));
            let schema_at = format!("{media_at}/schema");
            let ty = self.type_of(schema.into(), &schema_at, &[format!("{base}Request"), format!("{base}Body")])?;
            if let Some(description) = &body.description {
                self.describe(&ty, description);
            }
            let media = media.clone();
            return Ok(Some(Body { ty, media, required: body.required, docs: body.description.clone(), origin: media_at }));
        }
        match body.content.keys().next() {
            Some(media) if body.content.len() == 1 && is_binary(media) => Ok(Some(Body {
                ty: TypeRef::Bytes,
                media: media.clone(),
                required: body.required,
                docs: body.description.clone(),
                origin: format!("{body_at}/content/{}", escape(media)),
            })),
            // YAML (or plain text) in any of its spellings: the caller's text, sent as it is,
            // as `application/yaml` (RFC 9512) when the spec lists it, else its first spelling.
            Some(first) if body.content.keys().all(|m| is_text(m)) => {
                let media = body.content.keys().find(|m| m.as_str() == "application/yaml").unwrap_or(first);
                Ok(Some(Body {
                    ty: TypeRef::String,
                    media: media.clone(),
                    required: body.required,
                    docs: body.description.clone(),
                    origin: format!("{body_at}/content/{}", escape(media)),
                }))
            }
            _ => {
                let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
                Err(self.unsupported(&body_at, &format!("a request body of type {}", types.join(", "))))
            }
        }
    }

    /// What the 2xx answers give: one shape, or an enum when several statuses carry bodies.
    fn success(&mut self, op: &'s openapiv3::Operation, at: &str, base: &str) -> Result<Success> {
        let mut answers: Vec<(u16, Answer)> = Vec::new();
        for (status, response) in &op.responses.responses {
            let code = match status {
                StatusCode::Code(c) if (200..300).contains(c) => *c,
                StatusCode::Range(2) => 200,
                _ => continue,
            };
            let answer = self.answer(response, &format!("{at}/responses/{status}"), base)?;
            answers.push((code, answer));
        }
        answers.sort_by_key(|(code, _)| *code);
        let with_body: Vec<&(u16, Answer)> = answers.iter().filter(|(_, a)| *a != Answer::Empty).collect();
        if with_body.len() <= 1 {
            let answer = with_body.first().map(|(_, a)| a.clone()).unwrap_or(Answer::Empty);
            return Ok(Success::One(answer));
        }
        let name = self.names.claim(&[format!("{base}Response"), format!("{base}Answer")]);
        let variants = answers.into_iter().map(|(status, answer)| StatusVariant { status, rust: status_variant(status), answer }).collect();
        let docs = format!("The answers of `{}`, one variant per success status.", op.operation_id.as_deref().unwrap_or(base));
        Ok(Success::ByStatus { name, docs, variants })
    }

    fn answer(&mut self, response: &'s ReferenceOr<openapiv3::Response>, at: &str, base: &str) -> Result<Answer> {
        let (response, response_at) = self.item_or_component(response, at.to_owned(), ("responses", "response"), |c| &c.responses)?;
        if response.content.is_empty() {
            return Ok(Answer::Empty);
        }
        if let Some((media, schema)) = json_schema(&response.content) {
            let media_at = format!("{response_at}/content/{}", escape(media));
            let ty = self.type_of(schema.into(), &format!("{media_at}/schema"), &[format!("{base}Response")])?;
            self.describe(&ty, &response.description);
            return Ok(Answer::Json { ty, origin: media_at });
        }
        let media = response.content.keys().next().cloned().unwrap_or_default();
        if response.content.len() == 1 && is_text(&media) {
            return Ok(Answer::Text { media });
        }
        if response.content.len() == 1 && is_binary(&media) {
            return Ok(Answer::Bytes { media });
        }
        let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
        Err(self.unsupported(&response_at, &format!("a response body of type {}", types.join(", "))))
    }
}

/// A media type read or sent as text (`application/yaml`).
fn is_text(media: &str) -> bool {
    matches!(super::essence(media), "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" | "text/plain")
}

/// A media type passed as bytes (`text/csv`, `application/pdf`, `application/octet-stream`).
fn is_binary(media: &str) -> bool {
    matches!(super::essence(media), "text/csv" | "application/pdf" | "application/octet-stream" | "application/zip")
}

/// The variant of a success status: its reason phrase (`202` -> `Accepted`).
fn status_variant(status: u16) -> String {
    match status {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        203 => "NonAuthoritative".to_owned(),
        204 => "NoContent".to_owned(),
        206 => "PartialContent".to_owned(),
        other => format!("Status{other}"),
    }
}

impl Lowerer<'_> {
    fn is_scalar_union(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else { return false };
        match self.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Union(u)) => u.variants.iter().all(|v| is_scalar(&v.ty) || self.is_scalar_union(&v.ty)),
            Some(TypeKind::Alias(inner)) => is_scalar(inner),
            _ => false,
        }
    }
}

fn is_scalar(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::String | TypeRef::DateTime | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::F64
    )
}
