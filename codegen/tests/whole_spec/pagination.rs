//! Pagination is detected from the schema: the right style for known list operations, the
//! expected counts, and a reason for every list-like operation left without a stream.

use crate::support;

use codegen::ir::{Api, Operation, PageStyle, TypeRef};

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.tags.iter().flat_map(|t| &t.operations).find(|o| o.id == id).unwrap_or_else(|| panic!("no operation {id}"))
}

fn params(op: &Operation) -> Vec<&str> {
    let mut wire: Vec<&str> = op.pagination.as_ref().map(|p| p.params.iter().map(|(w, _)| w.as_str()).collect()).unwrap_or_default();
    wire.sort();
    wire
}

#[test]
fn known_list_operations_get_their_style_items_and_parameters() {
    let api = support::pinned_api();

    let droplets = operation(api, "droplets_list");
    let p = droplets.pagination.as_ref().expect("droplets_list pages");
    assert_eq!(p.style, PageStyle::Page);
    assert_eq!((p.items.wire.as_str(), &p.item), ("droplets", &TypeRef::Named("Droplet".into())));
    assert_eq!(p.next.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>(), ["links", "pages", "next"]);
    assert_eq!(params(droplets), ["page", "per_page"]);

    for id in ["registry_list_repositoriesV2", "registries_list_repositoriesV2"] {
        let op = operation(api, id);
        let p = op.pagination.as_ref().unwrap_or_else(|| panic!("{id} pages"));
        assert_eq!(p.style, PageStyle::Token, "{id}");
        assert_eq!(p.items.wire, "repositories", "{id}");
        assert_eq!(params(op), ["page", "page_token", "per_page"], "{id}");
    }
    // The V1 listing of the same registry numbers its pages.
    let v1 = operation(api, "registry_list_repositories").pagination.as_ref().expect("V1 pages");
    assert_eq!(v1.style, PageStyle::Page);

    let batches = operation(api, "inference_list_batches");
    let p = batches.pagination.as_ref().expect("inference_list_batches pages");
    assert_eq!(p.style, PageStyle::Cursor);
    assert_eq!((p.items.wire.as_str(), &p.item), ("data", &TypeRef::Named("Batch".into())));
    assert_eq!(p.next.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>(), ["last_id"]);
    assert_eq!(p.has_more.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>(), ["has_more"]);
    assert_eq!(params(batches), ["after"]);

    // Not list operations: a single object, a POST.
    assert_eq!(operation(api, "droplets_get").pagination, None);
    assert_eq!(operation(api, "droplets_create").pagination, None);
}

#[test]
fn counts_per_style_and_the_reasons_for_list_operations_without_a_stream() {
    let api = support::pinned_api();
    let ops: Vec<&Operation> = api.tags.iter().flat_map(|t| &t.operations).collect();
    let count = |style| ops.iter().filter(|o| o.pagination.as_ref().is_some_and(|p| p.style == style)).count();
    // The pin has 77, 2 and 1; each style is there whatever the commit (the named operations
    // above say which operation has which).
    assert!(count(PageStyle::Page) > 50 && count(PageStyle::Token) > 0 && count(PageStyle::Cursor) > 0);
    // Every paginated operation has its page parameters as optional query parameters (chained
    // methods of its builder, which the walk sets).
    for op in ops.iter().filter(|o| o.pagination.is_some()) {
        assert!(!params(op).is_empty(), "{}", op.id);
        for wire in params(op) {
            let param = op.params.iter().find(|p| p.wire == wire).unwrap_or_else(|| panic!("{}: {wire}", op.id));
            assert!(param.location == codegen::ir::ParamLocation::Query && !param.required, "{}: {wire}", op.id);
        }
    }
    let reason =
        |id: &str| api.unpaginated.iter().find(|(i, _)| i == id).map(|(_, r)| r.as_str()).unwrap_or_else(|| panic!("{id} not listed"));
    // Several arrays beside links/meta: ambiguous, so no stream.
    assert!(reason("genai_list_model_evaluation_runs").starts_with("ambiguous items"), "{}", reason("genai_list_model_evaluation_runs"));
    // A next link but no way to ask for a page.
    assert!(reason("imageActions_list").contains("no `page` or `page_token` parameter"));
    // Every list operation without a stream says why (14 in the pin; the change report lists a
    // new one with its reason), and none of them has a stream.
    assert!(api.unpaginated.iter().all(|(id, reason)| operation(api, id).pagination.is_none() && !reason.is_empty()));
}
