//! What the whole-spec tests share: the workspace root, the pinned spec as `cargo xtask codegen`
//! reads it (its overlays applied), and that spec lowered with nothing selected, each loaded once
//! per test binary.

#![allow(dead_code)] // Each test binary uses some of these.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use codegen::ir::Api;
use codegen::{load, lower, Selection};

pub mod golden;

/// The workspace's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The pinned spec with the workspace's overlays, as codegen reads it.
pub fn pinned_spec() -> &'static load::Spec {
    static SPEC: OnceLock<load::Spec> = OnceLock::new();
    SPEC.get_or_init(|| codegen::source::load_workspace_spec(&root()).unwrap())
}

/// [`pinned_spec`] lowered with every operation selected.
pub fn pinned_api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| lower::lower(pinned_spec(), &Selection::default()).unwrap())
}
