//! Expected-output files: a test generates text and compares it with a file kept under
//! `codegen/tests/` (`golden/`, `snapshots/`); run with the file's update variable set
//! (`UPDATE_GOLDEN=1`, `UPDATE_SNAPSHOT=1`), it rewrites the file instead, and the change is
//! reviewed in the diff. Used by `golden.rs`, `constructs.rs` and `changes.rs`.

use std::path::Path;

/// The variable that makes [`check`] rewrite the expected file instead of comparing with it.
pub const UPDATE_VAR: &str = "UPDATE_GOLDEN";

/// [`check_with`] the golden files' variable, `UPDATE_GOLDEN`.
pub fn check(what: &str, relative: &str, actual: &str) {
    check_with(UPDATE_VAR, what, relative, actual)
}

/// Compares `actual` with the file at `relative` (from `codegen/`), or writes it there when the
/// variable `update` is set. On a difference, panics naming `what` and the file, with a unified
/// diff (`-` expected, `+` generated).
pub fn check_with(update: &str, what: &str, relative: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os(update).is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {relative} ({e}): create it with {update}=1 and review it"),
    };
    if expected != actual {
        panic!(
            "{what} differs from {relative}:\n{}\nIf the change is intended, review it and rerun with {update}=1.",
            line_diff(&expected, actual)
        );
    }
}

/// A unified line diff with two lines of context around each change.
pub fn line_diff(expected: &str, generated: &str) -> String {
    similar::TextDiff::from_lines(expected, generated).unified_diff().context_radius(2).header("expected", "generated").to_string()
}
