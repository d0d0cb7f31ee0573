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
/// an I/O error part-way leaves no half-written file behind. `owned` lists the folders
/// (relative to `root`) whose every file belongs to the generator, and files it owns alone.
pub fn ensure_files(root: &Path, files: &[File], owned: &[&str], check: bool) -> io::Result<Report> {
    let mut report = Report::default();
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for file in files {
        let target = root.join(&file.path);
        match fs::read(&target) {
            Ok(existing) if existing == file.contents.as_bytes() => {
                report.unchanged += 1;
                continue;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
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
            staged.iter().for_each(|(t, _)| drop(fs::remove_file(t)));
            return Err(e);
        }
        staged.push((temp, target));
    }
    for (temp, target) in staged {
        fs::rename(&temp, &target)?;
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
