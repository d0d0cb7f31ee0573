//! The files of one spec: read and parsed once each, found by canonical path, named relative
//! to the spec's root folder (the entry file's folder).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde_json::Value;

use super::yaml;
use crate::error::Error;

/// Index of a file in [`Files`], in the order files were first reached (deterministic).
pub type FileId = usize;

pub struct Files {
    root: PathBuf,
    /// Every YAML file under the root, parsed ahead on every core; a file is taken from here
    /// when the walk first reaches it (errors included, so they surface only for files used).
    parsed_ahead: HashMap<PathBuf, Result<Value, Error>>,
    by_canonical: HashMap<PathBuf, FileId>,
    by_name: HashMap<PathBuf, FileId>,
    names: Vec<PathBuf>,
    docs: Vec<Rc<Value>>,
}

/// Why a relative path could not be opened; the caller turns it into an error with a location.
pub enum OpenError {
    Refused(String),
    Failed(Error),
}

impl Files {
    /// Opens the entry file; its folder becomes the root folder.
    pub fn new(entry: &Path) -> Result<(Files, FileId), Error> {
        let io = |source| Error::Io { path: entry.to_path_buf(), source };
        let canonical = entry.canonicalize().map_err(io)?;
        let root = canonical.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = PathBuf::from(canonical.file_name().unwrap_or_default());
        let parsed_ahead = if is_tree(&root, &canonical) { parse_ahead(&root) } else { HashMap::new() };
        let mut files =
            Files { root, parsed_ahead, by_canonical: HashMap::new(), by_name: HashMap::new(), names: Vec::new(), docs: Vec::new() };
        let id = files.read(canonical, name).map_err(|e| match e {
            OpenError::Refused(reason) => Error::Io { path: entry.to_path_buf(), source: std::io::Error::other(reason) },
            OpenError::Failed(e) => e,
        })?;
        Ok((files, id))
    }

    /// The file's name relative to the root folder.
    pub fn name(&self, id: FileId) -> &Path {
        self.names.get(id).map(PathBuf::as_path).unwrap_or(Path::new(""))
    }

    /// The file's parsed document.
    pub fn doc(&self, id: FileId) -> Rc<Value> {
        self.docs.get(id).cloned().unwrap_or_else(|| Rc::new(Value::Null))
    }

    /// Opens `relative` (already percent-decoded) as seen from the folder of file `from`.
    pub fn open(&mut self, from: FileId, relative: &str) -> Result<FileId, OpenError> {
        if relative.starts_with('/') || relative.starts_with('\\') || Path::new(relative).is_absolute() {
            return Err(OpenError::Refused("absolute paths are not followed; use a path relative to this file".into()));
        }
        let base = self.name(from).parent().map(Path::to_path_buf).unwrap_or_default();
        let name =
            normalize(&base.join(relative)).ok_or_else(|| OpenError::Refused("the path leaves the spec's root folder".to_string()))?;
        if let Some(&id) = self.by_name.get(&name) {
            return Ok(id);
        }
        let full = self.root.join(&name);
        // A file parsed ahead was found by walking real folders under the (canonical) root,
        // links not followed: its path is already canonical, and no system call is needed.
        if self.parsed_ahead.contains_key(&full) {
            let id = self.read(full.clone(), name.clone())?;
            self.by_name.insert(name, id);
            return Ok(id);
        }
        let canonical = match full.canonicalize() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OpenError::Refused(format!("file {} does not exist", name.display())))
            }
            Err(source) => return Err(OpenError::Failed(Error::Io { path: name, source })),
        };
        if !canonical.starts_with(&self.root) {
            return Err(OpenError::Refused("the path leaves the spec's root folder (through a link)".into()));
        }
        if canonical.is_dir() {
            let shown = if name.as_os_str().is_empty() { "the spec's root".into() } else { name.display().to_string() };
            return Err(OpenError::Refused(format!("{shown} is a folder, not a file")));
        }
        let id = match self.by_canonical.get(&canonical) {
            Some(&id) => id,
            None => self.read(canonical, name.clone())?,
        };
        self.by_name.insert(name, id);
        Ok(id)
    }

    fn read(&mut self, canonical: PathBuf, name: PathBuf) -> Result<FileId, OpenError> {
        let doc = match self.parsed_ahead.remove(&canonical) {
            Some(parsed) => parsed.map_err(OpenError::Failed)?,
            None => parse_file(&canonical, &name).map_err(OpenError::Failed)?,
        };
        let id = self.docs.len();
        self.docs.push(Rc::new(doc));
        self.names.push(name);
        self.by_canonical.insert(canonical, id);
        Ok(id)
    }
}

fn parse_file(path: &Path, name: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: name.to_path_buf(), source })?;
    yaml::parse(&text, name)
}

/// Whether the entry looks like the upstream tree (its folder holds the `resources/` folder
/// of the multi-file spec), where parsing every file ahead pays off. A bundled file elsewhere
/// is read alone, so that its folder is never walked.
fn is_tree(root: &Path, entry: &Path) -> bool {
    entry.extension().is_some_and(|e| e == "yaml" || e == "yml") && root.join("resources").is_dir()
}

/// At most this many files are parsed ahead; a larger tree is read on demand only.
const MAX_AHEAD: usize = 20_000;

/// Parses every `.yml`/`.yaml` file under `root` on every core, keyed by path.
fn parse_ahead(root: &Path) -> HashMap<PathBuf, Result<Value, Error>> {
    let mut paths = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let path = entry.path();
            if kind.is_dir() {
                todo.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
                paths.push(path);
            }
            if paths.len() > MAX_AHEAD {
                return HashMap::new();
            }
        }
    }
    paths.sort();
    let parsed = crate::parallel::map(&paths, |path| {
        let name = path.strip_prefix(root).unwrap_or(path);
        Ok((path.clone(), parse_file(path, name)))
    });
    // A worker that panicked parsed nothing ahead: every file is then read when reached.
    parsed.map(|files| files.into_iter().collect()).unwrap_or_default()
}

/// Resolves `.` and `..` without touching the disk; `None` if the path climbs above its start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use std::path::{Path, PathBuf};

    #[test]
    fn normalize_keeps_inside_and_refuses_outside() {
        assert_eq!(normalize(Path::new("resources/fn/../../shared/x.yml")), Some(PathBuf::from("shared/x.yml")));
        assert_eq!(normalize(Path::new("./a/./b.yml")), Some(PathBuf::from("a/b.yml")));
        assert_eq!(normalize(Path::new("a/../../x.yml")), None);
        assert_eq!(normalize(Path::new("../x.yml")), None);
    }
}
