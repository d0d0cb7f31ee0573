//! Functions is the first target, not the last: the whole spec must load and lower. Every tag
//! lowers, except the three whose only success bodies are not JSON (a located `Unsupported`
//! error until they get a mapping); a change in that list shows here.

use std::path::Path;

use codegen::{load, lower, Error, Selection};

#[test]
fn every_tag_lowers_or_fails_with_a_located_unsupported_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let path = codegen::source::find(None, &root).unwrap_or_else(|e| panic!("{e}"));
    let spec = load::load(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut operations = 0;
    let mut unsupported = Vec::new();
    let mut tags: Vec<&str> = Vec::new();
    for op in spec.doc.operations().filter_map(|(_, _, op)| op.tags.first()) {
        if !tags.contains(&op.as_str()) {
            tags.push(op);
        }
    }
    assert_eq!(tags.len(), 55, "first tags of operations (56 tags are used; `Embeddings` only as a second tag)");
    for tag in tags {
        match lower::lower(&spec, &Selection::tags(&[tag])) {
            Ok(api) => operations += api.tags.iter().map(|t| t.operations.len()).sum::<usize>(),
            Err(Error::Unsupported { at, what }) => unsupported.push(format!("{tag}: {} {what}", at.file.display())),
            Err(other) => panic!("{tag}: {other}"),
        }
    }
    assert_eq!(
        unsupported,
        [
            "Billing: resources/billing/responses/invoice_csv.yml a response body of type text/csv",
            "Kubernetes: resources/kubernetes/responses/kubeconfig.yml a response body of type application/yaml",
            "Batch Inference: resources/inference/inference_upload_batch_file.yml a request body of type application/octet-stream",
        ]
    );
    assert!(operations > 600, "only {operations} operations lowered");
}
