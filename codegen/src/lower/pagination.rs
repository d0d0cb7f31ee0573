//! Which list operations page, and how: decided from the schema, never from a list of names.
//!
//! A GET operation pages when its JSON answer is a struct with either a `links` member leading
//! to `pages.next` (a URL) or `last_id` and `has_more` members, beside exactly one array
//! member other than `links`/`meta` (the items). The query parameters pick the style:
//! `page_token` makes it [`PageStyle::Token`], `page`/`per_page` [`PageStyle::Page`], `after`
//! with `last_id`/`has_more` [`PageStyle::Cursor`]. List-like operations (a GET whose answer
//! has an array member and something about pages) that do not fit get no stream; the reason
//! is kept in [`Api::unpaginated`] for the report.

use std::collections::BTreeSet;

use crate::ir::{Answer, Api, HttpMethod, Operation, PageStep, PageStyle, Pagination, ParamLocation, Success, TypeDef, TypeKind, TypeRef};

/// The query parameters a walk may set.
const PAGE_PARAMS: [&str; 4] = ["page", "per_page", "page_token", "after"];

/// Decides every operation's pagination and records why list-like ones have none.
pub(super) fn annotate(api: &mut Api) {
    let mut unpaginated = Vec::new();
    let types = &api.types;
    for tag in &mut api.tags {
        let methods: BTreeSet<String> =
            tag.operations.iter().flat_map(|op| [op.method_name.clone(), format!("{}_with_meta", op.method_name)]).collect();
        for op in &mut tag.operations {
            match detect(op, types, &methods) {
                Detected::Paged(pagination) => op.pagination = Some(pagination),
                Detected::NotList => {}
                Detected::No(reason) => unpaginated.push((op.id.clone(), reason)),
            }
        }
    }
    unpaginated.sort();
    api.unpaginated = unpaginated;
}

enum Detected {
    Paged(Pagination),
    /// Not a list operation (nothing to report).
    NotList,
    /// A list-like operation without a stream, and why.
    No(String),
}

fn detect(op: &Operation, types: &std::collections::BTreeMap<String, TypeDef>, methods: &BTreeSet<String>) -> Detected {
    if op.http_method != HttpMethod::Get {
        return Detected::NotList;
    }
    let Success::One(Answer::Json { ty, .. }) = &op.success else { return Detected::NotList };
    let Some(fields) = struct_fields(ty, types) else { return Detected::NotList };
    let arrays: Vec<&crate::ir::Field> =
        fields.iter().filter(|f| matches!(f.ty, TypeRef::Vec(_)) && f.wire != "links" && f.wire != "meta").collect();
    let query: Vec<&str> = op.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| p.wire.as_str()).collect();
    let links = fields.iter().find(|f| f.wire == "links");
    let last_id = fields.iter().find(|f| f.wire == "last_id");
    let has_more = fields.iter().find(|f| f.wire == "has_more");
    let signals = links.is_some() || last_id.is_some() || has_more.is_some() || query.iter().any(|q| PAGE_PARAMS.contains(q));
    if arrays.is_empty() || !signals {
        return Detected::NotList;
    }
    let no = |reason: String| Detected::No(reason);
    let items = match arrays.as_slice() {
        [one] => *one,
        many => {
            let names: Vec<String> = many.iter().map(|f| format!("`{}`", f.wire)).collect();
            return no(format!("ambiguous items: the answer has several arrays ({})", names.join(", ")));
        }
    };
    let TypeRef::Vec(item) = &items.ty else { return Detected::NotList };
    let (style, next, more) = if let (Some(last_id), Some(has_more)) = (last_id, has_more) {
        if !query.contains(&"after") {
            return no("the answer has `last_id`/`has_more` but the request has no `after` parameter".to_owned());
        }
        if last_id.ty != TypeRef::String || has_more.ty != TypeRef::Bool {
            return no("`last_id` is not a string or `has_more` not a boolean".to_owned());
        }
        (PageStyle::Cursor, vec![step(last_id)], vec![step(has_more)])
    } else if let Some(links) = links {
        let Some(next) = next_path(links, types) else {
            return no("the answer's `links` has no `pages.next` URL".to_owned());
        };
        let style = if query.contains(&"page_token") {
            PageStyle::Token
        } else if query.contains(&"page") {
            PageStyle::Page
        } else {
            return no("the answer has a `next` link but the request has no `page` or `page_token` parameter".to_owned());
        };
        (style, next, Vec::new())
    } else {
        return no("the answer has neither a `links` member nor `last_id`/`has_more`".to_owned());
    };
    if op.body.is_some() {
        return no("the request has a body".to_owned());
    }
    let mut params = Vec::new();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Query && PAGE_PARAMS.contains(&p.wire.as_str())) {
        let wanted = match style {
            PageStyle::Page => p.wire != "after" && p.wire != "page_token",
            PageStyle::Token => p.wire != "after",
            PageStyle::Cursor => p.wire == "after",
        };
        if !wanted {
            continue;
        }
        if p.required {
            return no(format!("the page parameter `{}` is required", p.wire));
        }
        if !scalar(&p.ty) {
            return no(format!("the page parameter `{}` is not a string or a number", p.wire));
        }
        params.push((p.wire.clone(), p.rust.clone()));
    }
    for suffix in ["stream", "pages"] {
        let name = format!("{}_{suffix}", op.method_name);
        if methods.contains(&name) {
            return no(format!("the method name `{name}` is taken"));
        }
    }
    Detected::Paged(Pagination { style, items: step(items), item: (**item).clone(), next, has_more: more, params })
}

fn step(field: &crate::ir::Field) -> PageStep {
    PageStep { wire: field.wire.clone(), rust: field.rust.clone(), optional: field.optional() }
}

fn scalar(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64)
}

/// `links` -> `pages` -> `next` (a string), as steps.
fn next_path(links: &crate::ir::Field, types: &std::collections::BTreeMap<String, TypeDef>) -> Option<Vec<PageStep>> {
    let pages = struct_fields(&links.ty, types)?.iter().find(|f| f.wire == "pages")?;
    let next = struct_fields(&pages.ty, types)?.iter().find(|f| f.wire == "next")?;
    (next.ty == TypeRef::String).then(|| vec![step(links), step(pages), step(next)])
}

/// The fields of the struct `ty` names (through aliases).
fn struct_fields<'t>(ty: &TypeRef, types: &'t std::collections::BTreeMap<String, TypeDef>) -> Option<&'t [crate::ir::Field]> {
    let mut ty = ty;
    for _ in 0..8 {
        let TypeRef::Named(name) = ty else { return None };
        match &types.get(name)?.kind {
            TypeKind::Struct(s) => return Some(&s.fields),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}
