//! The multi-file tree and a single bundled file give byte-identical generated code.

use std::path::Path;

use codegen::{load, Selection};

#[test]
fn tree_and_bundled_file_generate_identical_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let tree_path = codegen::source::find(None, &root).unwrap();
    let tree = load::load(&tree_path).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let bundled_path = dir.path().join("bundled.yaml");
    std::fs::write(&bundled_path, load::to_yaml(&tree).unwrap()).unwrap();
    let bundled = load::load(&bundled_path).unwrap();

    // Functions and the largest tags, which hold most of the hoisted and nested names.
    let selection = Selection::tags(&["Functions", "Apps", "Databases", "Droplets", "GradientAI Platform", "Monitoring"]);
    let from_tree = codegen::generate(&tree, &selection, "header").unwrap();
    let from_bundle = codegen::generate(&bundled, &selection, "header").unwrap();
    assert_eq!(from_tree.files.len(), from_bundle.files.len());
    for (a, b) in from_tree.files.iter().zip(&from_bundle.files) {
        assert_eq!(a.path, b.path);
        assert!(a.contents == b.contents, "{} differs between the tree and the bundled file", a.path);
    }
}
