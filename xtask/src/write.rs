//! Phase 5: compare with what is on disk and write only what changed. One function serves both
//! writing and `--check`, so the two can never disagree about what "stale" means.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codegen::File;

/// What `ensure_files` found (and, unless checking, did).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files whose contents differ from the generator's (or that are missing).
    pub changed: Vec<String>,
    /// Files under the generator's folders that it no longer produces.
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl Report {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Brings `root` in line with `files`. With `check`, writes nothing and only reports.
/// Otherwise every new file is first written beside its target and then renamed over it, so
/// an I/O error part-way leaves no half-written file behind, and a rename that fails puts back
/// the files renamed before it. `owned` lists the folders (relative to `root`) whose every file
/// belongs to the generator, and files it owns alone.
pub fn ensure_files(root: &Path, files: &[File], owned: &[&str], check: bool) -> io::Result<Report> {
    ensure_files_with(root, files, owned, check, |from, to| fs::rename(from, to))
}

/// [`ensure_files`] with the rename given (a test makes it fail part-way).
fn ensure_files_with(
    root: &Path,
    files: &[File],
    owned: &[&str],
    check: bool,
    rename: impl Fn(&Path, &Path) -> io::Result<()>,
) -> io::Result<Report> {
    let mut report = Report::default();
    // Each staged file: the new contents beside the target, the target, and what the target held.
    let mut staged: Vec<(PathBuf, PathBuf, Option<Vec<u8>>)> = Vec::new();
    for file in files {
        let target = root.join(&file.path);
        let previous = match fs::read(&target) {
            Ok(existing) if existing == file.contents.as_bytes() => {
                report.unchanged += 1;
                continue;
            }
            Ok(existing) => Some(existing),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        report.changed.push(file.path.clone());
        if check {
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        let temp = target.with_file_name(format!(".{}.codegen-tmp", target.file_name().and_then(|n| n.to_str()).unwrap_or("file")));
        if let Err(e) = fs::write(&temp, &file.contents) {
            let _ = fs::remove_file(&temp);
            staged.iter().for_each(|(t, _, _)| drop(fs::remove_file(t)));
            return Err(e);
        }
        staged.push((temp, target, previous));
    }
    for (done, (temp, target, _)) in staged.iter().enumerate() {
        if let Err(e) = rename(temp, target) {
            // Put back what the renames before this one replaced, and drop the rest.
            for (_, target, previous) in &staged[..done] {
                let _ = match previous {
                    Some(bytes) => fs::write(target, bytes),
                    None => fs::remove_file(target),
                };
            }
            staged[done..].iter().for_each(|(t, _, _)| drop(fs::remove_file(t)));
            return Err(e);
        }
    }
    let produced: BTreeSet<PathBuf> = files.iter().map(|f| root.join(&f.path)).collect();
    for folder in owned {
        for path in walk(&root.join(folder))? {
            if !produced.contains(&path) {
                let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
                report.removed.push(relative);
                if !check {
                    fs::remove_file(&path)?;
                }
            }
        }
    }
    Ok(report)
}

/// Every file under `dir`, sorted; nothing when `dir` does not exist; `dir` itself when it is a file.
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(out);
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn a_rename_failing_part_way_puts_back_what_the_earlier_renames_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::write(root.join("a.rs"), "old a").unwrap();
        fs::write(root.join("c.rs"), "old c").unwrap();
        let file = |path: &str, contents: &str| File { path: path.to_owned(), contents: contents.to_owned() };
        let files = [file("a.rs", "new a"), file("b.rs", "new b"), file("c.rs", "new c")];
        let calls = Cell::new(0);
        let third_fails = |from: &Path, to: &Path| {
            calls.set(calls.get() + 1);
            if calls.get() == 3 {
                return Err(io::Error::other("disk gone"));
            }
            fs::rename(from, to)
        };
        let err = ensure_files_with(root, &files, &[], false, third_fails).unwrap_err();
        assert_eq!(err.to_string(), "disk gone");
        let mut left: Vec<String> = fs::read_dir(root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, ["a.rs", "c.rs"], "b.rs is removed again and no staged file is left");
        assert_eq!(fs::read_to_string(root.join("a.rs")).unwrap(), "old a");
        assert_eq!(fs::read_to_string(root.join("c.rs")).unwrap(), "old c");

        let report = ensure_files(root, &files, &[], false).unwrap();
        assert_eq!(report.changed, ["a.rs", "b.rs", "c.rs"]);
        assert_eq!(fs::read_to_string(root.join("b.rs")).unwrap(), "new b");
    }
}
