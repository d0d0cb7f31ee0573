//! What the fuzz targets share: a scratch folder to write the input's files into, and the
//! property every input must have (the generator ends with `Ok` or an error that names a place
//! in the spec; a panic, a stack overflow or a run over the time limit is libFuzzer's finding).

use std::path::{Component, Path, PathBuf};

/// The line that starts a file inside a `load_tree` input (as `cargo xtask fuzz-corpus`
/// writes them): `#> ` and the file's path relative to the tree's root.
pub const FILE_MARKER: &str = "#> ";

/// At most this many files of a `load_tree` input are written.
pub const MAX_FILES: usize = 32;

/// This process's scratch folder (under `/dev/shm` when there is one: no disk writes).
pub fn scratch(name: &str) -> PathBuf {
    let base = Path::new("/dev/shm");
    let base = if base.is_dir() { base.to_path_buf() } else { std::env::temp_dir() };
    base.join(format!("codegen-fuzz-{}-{name}", std::process::id()))
}

/// An empty folder at `dir` (whatever was there is removed).
pub fn fresh(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    if let Err(e) = std::fs::create_dir_all(dir) {
        panic!("harness: cannot create {}: {e}", dir.display());
    }
}

/// Writes `bytes` to `path`, creating its folder; a harness failure is a panic (not the generator's).
pub fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    if let Err(e) = std::fs::write(path, bytes) {
        panic!("harness: cannot write {}: {e}", path.display());
    }
}

/// Splits a `load_tree` input into (relative path, contents) pairs. A marker line's path must be
/// relative, plain (letters, digits, `._-` in each part, no `..`) and end in `.yml` or `.yaml`;
/// a file under a bad name is dropped. Later files of the same name replace earlier ones.
pub fn split_tree(input: &[u8]) -> Vec<(PathBuf, &[u8])> {
    let mut files: Vec<(PathBuf, &[u8])> = Vec::new();
    let mut current: Option<(PathBuf, usize)> = None;
    let mut at = 0;
    let marker = FILE_MARKER.as_bytes();
    while at <= input.len() {
        let end = input[at..].iter().position(|&b| b == b'\n').map_or(input.len(), |i| at + i);
        let line = &input[at..end];
        if let Some(name) = line.strip_prefix(marker) {
            if let Some((path, start)) = current.take() {
                files.push((path, &input[start..at]));
            }
            let next = (end + 1).min(input.len());
            current = tree_path(name).map(|p| (p, next));
        }
        at = end + 1;
    }
    if let Some((path, start)) = current {
        files.push((path, &input[start.min(input.len())..]));
    }
    files.truncate(MAX_FILES);
    files
}

fn tree_path(name: &[u8]) -> Option<PathBuf> {
    let name = std::str::from_utf8(name).ok()?.trim();
    if !(name.ends_with(".yml") || name.ends_with(".yaml")) || name.len() > 200 {
        return None;
    }
    let path = Path::new(name);
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    for part in path.components() {
        match part {
            Component::Normal(p) if p.to_str().is_some_and(|p| p.chars().all(plain) && p != "..") => {}
            _ => return None,
        }
    }
    Some(path.to_path_buf())
}

/// The property: `Ok`, or an error that names a file of the spec. Anything else panics, which
/// libFuzzer records as a crash.
pub fn check<T>(result: Result<T, codegen::Error>) {
    if let Err(error) = result {
        // The loader turns a panic in its document reader thread into an error: still a panic.
        if error.to_string().contains("panicked") {
            panic!("{error}");
        }
        match error.location() {
            Some(at) if !at.file.as_os_str().is_empty() => {}
            _ => panic!("an error that names no place in the spec: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_split_on_markers_and_refuse_bad_names() {
        let input = b"#> openapi.yaml\na: 1\n#> ../x.yml\nb: 2\n#> r/m.yml\nc: 3";
        let files = split_tree(input);
        let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(names, ["openapi.yaml", "r/m.yml"]);
        assert_eq!(files[0].1, b"a: 1\n");
        assert_eq!(files[1].1, b"c: 3");
    }
}
