//! Expected-output ("golden") files: a test generates code and compares it with a file kept
//! under `codegen/tests/golden/`; run with `UPDATE_GOLDEN=1`, it rewrites the file instead, and
//! the change is reviewed in the diff. Used by `golden.rs` and `constructs.rs`.

use std::path::Path;

/// The variable that makes [`check`] rewrite the expected file instead of comparing with it.
pub const UPDATE_VAR: &str = "UPDATE_GOLDEN";

/// Compares `actual` with the file at `relative` (from `codegen/`), or writes it there when
/// `UPDATE_GOLDEN` is set. On a difference, panics naming `what` and the file, with a line diff.
pub fn check(what: &str, relative: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    if std::env::var_os(UPDATE_VAR).is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        }
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read {relative} ({e}): create it with {UPDATE_VAR}=1 and review it"),
    };
    if expected != actual {
        panic!(
            "{what} differs from {relative} (- expected, + generated):\n{}\n\
             If the change is intended, review it and rerun with {UPDATE_VAR}=1.",
            line_diff(&expected, actual)
        );
    }
}

/// A unified-style line diff (longest common subsequence), with two lines of context.
pub fn line_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i + 1, a[i]));
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', i + 1, a[i]));
            i += 1;
        } else {
            ops.push(('+', j + 1, b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| ops[k.saturating_sub(2)..(k + 3).min(ops.len())].iter().any(|o| o.0 != ' ');
    let mut out = String::new();
    let mut skipped = false;
    for (k, (tag, line, text)) in ops.iter().enumerate() {
        if near_change(k) {
            out.push_str(&format!("{tag} {line:>5} | {text}\n"));
            skipped = false;
        } else if !skipped {
            out.push_str("  ...\n");
            skipped = true;
        }
    }
    out
}
