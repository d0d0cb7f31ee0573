//! The spec lowered as `cargo xtask codegen` lowered it for the committed crate: with the names
//! its manifest (`api/`) keeps, so that every type has the name the crate gives it.

/// `spec` lowered whole, with the committed crate's names.
pub fn as_committed(spec: &codegen::load::Spec) -> codegen::ir::Api {
    let lock = codegen::lower::Lock::committed(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    codegen::lower::lower_locked(spec, &codegen::Selection::default(), &lock).expect("the spec lowers")
}
