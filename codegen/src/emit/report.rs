//! `API.md`: what was generated, for reviewers. Operations and types per tag, every place where
//! `serde_json::Value` stands in for a type, members that several `allOf` parts define, what the
//! overlays changed in the spec, and every spec example the types cannot round-trip.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::ir::{Api, TypeKind};

pub fn api_md(api: &Api, header: &str, source: &str, exceptions: &[[String; 2]]) -> String {
    let mut out = String::from("# The generated API\n\n");
    for line in header.lines() {
        let _ = writeln!(out, "<!-- {line} -->");
    }
    if !source.is_empty() {
        let _ = writeln!(out, "\nFrom the DigitalOcean OpenAPI description: {source}.");
    }
    let operations: usize = api.tags.iter().map(|t| t.operations.len()).sum();
    let _ = writeln!(
        out,
        "\n{} operations in {} tags, {} types, {} fallbacks to `serde_json::Value`.\n",
        operations,
        api.tags.len(),
        api.types.len(),
        api.fallbacks.len()
    );
    let mut homes: BTreeMap<&str, usize> = BTreeMap::new();
    for def in api.types.values() {
        for feature in def.usage.features.keys() {
            *homes.entry(feature.as_str()).or_default() += 1;
        }
    }
    out.push_str("## Tags\n\n| tag | feature | operations | types used |\n|---|---|---:|---:|\n");
    for tag in &api.tags {
        let types = homes.get(tag.module.as_str()).copied().unwrap_or(0);
        let _ = writeln!(out, "| {} | `{}` | {} | {} |", tag.wire, tag.module, tag.operations.len(), types);
    }
    let count = |f: fn(&TypeKind) -> bool| api.types.values().filter(|d| f(&d.kind)).count();
    out.push_str("\n## Types by kind\n\n| kind | count |\n|---|---:|\n");
    let _ = writeln!(out, "| struct | {} |", count(|k| matches!(k, TypeKind::Struct(_))));
    let _ = writeln!(out, "| string enum | {} |", count(|k| matches!(k, TypeKind::Enum(_))));
    let _ = writeln!(out, "| integer enum | {} |", count(|k| matches!(k, TypeKind::IntEnum(_))));
    let _ = writeln!(out, "| tagged union | {} |", count(|k| matches!(k, TypeKind::Union(u) if u.tag.is_some())));
    let _ = writeln!(out, "| untagged union | {} |", count(|k| matches!(k, TypeKind::Union(u) if u.tag.is_none())));
    let _ = writeln!(out, "| answers by status | {} |", count(|k| matches!(k, TypeKind::Answers(_))));
    let _ = writeln!(out, "| alias | {} |", count(|k| matches!(k, TypeKind::Alias(_))));
    out.push_str("\n## Fallbacks\n\nPlaces where the spec has no typed mapping and `serde_json::Value` stands in.\n\n");
    if api.fallbacks.is_empty() {
        out.push_str("None.\n");
    }
    for f in &api.fallbacks {
        let _ = writeln!(out, "- `{}`: {}", f.pointer, f.reason);
    }
    merges(api, &mut out);
    methods(api, &mut out);
    pagination(api, &mut out);
    overlays(api, &mut out);
    out.push_str("\n## Example exceptions\n\n");
    out.push_str("Examples in the spec that do not round-trip through their generated type because they violate their\n");
    out.push_str("own schema (reviewed; `spec/example-exceptions.txt`, checked by `generated/tests/examples.rs`).\n\n");
    if exceptions.is_empty() {
        out.push_str("None.\n");
    }
    for [pointer, reason] in exceptions {
        let _ = writeln!(out, "- `{pointer}`: {reason}");
    }
    out
}

/// Every member that several `allOf` parts define, and what its type holds (`lower::merge`).
fn merges(api: &Api, out: &mut String) {
    out.push_str("\n## Members defined in several parts\n\n");
    out.push_str("Members that several `allOf` parts of one schema define (or several alternatives of an `anyOf` that is\n");
    out.push_str("one struct). An instance must satisfy every `allOf` part, so the member holds what every part says:\n");
    out.push_str("objects merge into one struct, one type stays that type, a string enum narrows a plain string. Any\n");
    out.push_str("other disagreement stops codegen with an error naming both places.\n\n");
    if api.merges.is_empty() {
        out.push_str("None.\n");
    }
    for merge in &api.merges {
        let parts: Vec<String> = merge.parts.iter().map(|p| format!("`{p}`")).collect();
        let _ = writeln!(
            out,
            "- `{}` in `{}` ({}): {}. Parts: {}.",
            merge.member,
            merge.pointer,
            merge.keyword,
            merge.outcome,
            parts.join(", ")
        );
    }
}

/// The overlays' changes: each file, each action and the pointers of the nodes it changed.
fn overlays(api: &Api, out: &mut String) {
    out.push_str("\n## Overlays\n\n");
    out.push_str("Corrections to the upstream spec (`spec/overlays/`, OpenAPI Overlay 1.0), applied to the bundled document\n");
    out.push_str("in file-name order before lowering; under each action, the JSON pointers of the nodes it updated or removed.\n\n");
    if api.overlays.is_empty() {
        out.push_str("None.\n");
    }
    let mut file = None;
    for applied in &api.overlays {
        if file != Some(&applied.file) {
            let _ = writeln!(out, "{}### `{}`: {}\n", if file.is_some() { "\n" } else { "" }, applied.file, applied.title);
            file = Some(&applied.file);
        }
        let _ = write!(out, "- action {}, {} `{}`", applied.action, applied.kind, applied.target);
        match &applied.description {
            Some(d) => {
                let _ = writeln!(out, ": {}", d.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            None => out.push('\n'),
        }
        for pointer in &applied.pointers {
            let _ = writeln!(out, "  - `{pointer}`");
        }
    }
}

/// The request samples: how many use only the spec's values, how many have placeholders; and
/// the operations whose sample Prism rejects because of an error in the upstream spec.
pub fn samples((complete, with_placeholders): (usize, usize), contract_exceptions: &[[String; 3]]) -> String {
    let mut out = String::from("\n## Request samples\n\n");
    out.push_str("Every method's docs show a call with the spec's example values (compiled by `tests/contract/samples_checked.rs`, from\n");
    out.push_str(
        "`tests/support/samples/`). Where the spec gives no example value, the sample uses a placeholder (`\"<name>\"`, `1`).\n\n",
    );
    let _ = writeln!(
        out,
        "| samples | count |\n|---|---:|\n| with the spec's values only | {complete} |\n| with placeholders | {with_placeholders} |"
    );
    out.push_str("\n## Contract exceptions\n\n");
    out.push_str("Operations whose sample Prism rejects (or whose answer does not decode) because of an error in the upstream spec\n");
    out.push_str(
        "(reviewed; `spec/contract-exceptions.txt`, checked by `generated/tests/contract/operations.rs`): the operation, the pointer\n",
    );
    out.push_str("of the error and Prism's violation. Their documented error answers (asked for with `Prefer: code=...` by\n");
    out.push_str("`generated/tests/contract/errors.rs`) are excepted where Prism rejects the request for the same reason.\n\n");
    if contract_exceptions.is_empty() {
        out.push_str("None.\n");
    }
    for [id, pointer, reason] in contract_exceptions {
        let _ = writeln!(out, "- `{id}` at `{pointer}`: {reason}");
    }
    out
}

/// The list operations that walk every page, by style, and the list-like ones that do not.
fn pagination(api: &Api, out: &mut String) {
    use crate::ir::PageStyle;
    out.push_str("\n## Pagination\n\n");
    out.push_str("List operations with `.pages()` and `.stream()` (every page, every item), by style, as\n");
    out.push_str("detected from the schema (`codegen/src/lower/pagination.rs`).\n\n| style | operations |\n|---|---:|\n");
    let ops: Vec<_> = api.tags.iter().flat_map(|t| &t.operations).collect();
    for (style, what) in [
        (PageStyle::Page, "`page`/`per_page`, `links.pages.next`"),
        (PageStyle::Token, "`page_token` in the `next` link"),
        (PageStyle::Cursor, "`after` cursor, `last_id`/`has_more`"),
    ] {
        let n = ops.iter().filter(|o| o.pagination.as_ref().is_some_and(|p| p.style == style)).count();
        let _ = writeln!(out, "| {} ({what}) | {n} |", style.as_str());
    }
    out.push_str("\nList-like operations (a GET whose answer has an array and something about pages) without a stream:\n\n");
    if api.unpaginated.is_empty() {
        out.push_str("None.\n");
    }
    for (id, reason) in &api.unpaginated {
        let _ = writeln!(out, "- `{id}`: {reason}");
    }
}

/// The method index: every operation's call, tag by tag, with its HTTP line.
fn methods(api: &Api, out: &mut String) {
    out.push_str("\n## Methods\n\nEvery operation as it is called: the method's arguments, the call's chained methods (optional\n");
    out.push_str("parameters), and how else it can be finished besides `.await` and `.with_meta()`.\n");
    let calls = crate::surface::calls(api);
    for tag in &api.tags {
        let _ = writeln!(out, "\n### {} (`client.{}()`, feature `{}`)\n", tag.wire, tag.module, tag.module);
        out.push_str("| call | chained | also | HTTP |\n|---|---|---|---|\n");
        for call in calls.iter().filter(|c| std::ptr::eq(c.tag, tag)) {
            let args: Vec<&str> = call.args.iter().map(|i| i.rust.as_str()).collect();
            let chained: Vec<String> = call.setters.iter().map(|i| format!("`{}`", i.rust)).collect();
            let mut also = Vec::new();
            if call.op.pagination.is_some() {
                also.push("`.stream()`, `.pages()`");
            }
            if call.op.events.is_some() {
                also.push("`.events()`");
            }
            let deprecated = if call.op.deprecated { " (deprecated)" } else { "" };
            let _ = writeln!(
                out,
                "| `{}({})`{deprecated} | {} | {} | `{} {}` |",
                call.method(),
                args.join(", "),
                chained.join(" "),
                also.join(" "),
                call.op.http_method.constant(),
                call.op.path
            );
        }
    }
}
