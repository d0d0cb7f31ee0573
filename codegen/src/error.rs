//! The one error type of the generator. Every variant that comes from the spec names where:
//! the file (relative to the spec's root folder where possible) and a JSON pointer inside it.

use std::fmt;
use std::path::PathBuf;

/// A place in the spec: a file and a JSON pointer inside it (`""` for the whole file).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: PathBuf,
    pub pointer: String,
}

impl Location {
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location { file: file.into(), pointer: pointer.into() }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.file.display(), self.pointer)
    }
}

/// Every way the generator fails; each names where (see [`Error::location`]). `Debug` is the
/// `Display` text, so that `unwrap()` in a test and the error `main` returns print the located
/// message, not the enum.
#[derive(thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },

    /// A file is not valid YAML.
    #[error("{}: malformed YAML: {message}", file.display())]
    Yaml { file: PathBuf, message: String },

    /// A `$ref` that cannot be followed (missing file or pointer, a URL, a path leaving the
    /// spec's root folder, or a loop of references that only point at each other).
    #[error("{at}: bad $ref `{reference}`: {reason}")]
    Ref { at: Location, reference: String, reason: String },

    /// The document is YAML but not the OpenAPI shape expected at that place.
    #[error("{at}: not a valid OpenAPI document here: {message}")]
    Shape { at: Location, message: String },

    /// A construct the generator has no mapping and no documented fallback for.
    #[error("{at}: unsupported: {what}")]
    Unsupported { at: Location, what: String },

    /// No spec at any of the places looked at.
    #[error("no DigitalOcean OpenAPI spec found; looked at:\n{}\n{hint}", tried.iter().map(|p| format!("  - {}", p.display())).collect::<Vec<_>>().join("\n"))]
    SpecNotFound { tried: Vec<PathBuf>, hint: String },

    /// The tags or operations asked for are not in the spec.
    #[error("selection: {message}")]
    Selection { message: String },

    /// A manifest (`api/*.json`) that cannot be read: where (file, line, column, element) and why.
    #[error("manifest: {at}: {message}")]
    Manifest { at: String, message: String },

    /// An overlay file (`spec/overlays/`) that cannot be read or applied: malformed YAML or
    /// JSON (with its line and column), not an Overlay 1.0 document, a malformed action, a
    /// target that is not JSONPath or matches nothing, an update of the wrong kind. `action`
    /// counts from 1 in file order; `target` is the action's JSONPath when it has one.
    #[error("{}{}: {message}", file.display(), action_label(*action, target.as_deref()))]
    Overlay { file: PathBuf, action: Option<usize>, target: Option<String>, message: String },

    /// A reviewed exceptions file (`spec/*-exceptions.txt`, see `crate::exceptions`) with a
    /// malformed line: the file, the line (from 1) and what is wrong.
    #[error("{}:{line}: {message}", file.display())]
    Exceptions { file: PathBuf, line: usize, message: String },

    /// The generated Rust did not parse (a bug in the generator, reported instead of panicking).
    #[error("generated code for {file} does not parse: {message}")]
    Format { file: String, message: String },
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Error {
    /// Where in the spec the error is: the file (and the JSON pointer inside it, `""` when the
    /// error is about the whole file or, for malformed YAML, its line is in the message).
    /// `None` for errors that are not about a place in the spec (no spec found, a selection
    /// that names nothing, an unreadable manifest, generated code that does not parse).
    pub fn location(&self) -> Option<Location> {
        match self {
            Error::Io { path, .. } => Some(Location::new(path, "")),
            Error::Yaml { file, .. } | Error::Overlay { file, .. } | Error::Exceptions { file, .. } => Some(Location::new(file, "")),
            Error::Ref { at, .. } | Error::Shape { at, .. } | Error::Unsupported { at, .. } => Some(at.clone()),
            Error::SpecNotFound { .. } | Error::Selection { .. } | Error::Manifest { .. } | Error::Format { .. } => None,
        }
    }
}

/// `: action 2 (target `$.paths`)`, the part of an overlay error that names the action.
fn action_label(action: Option<usize>, target: Option<&str>) -> String {
    match (action, target) {
        (Some(n), Some(target)) => format!(": action {n} (target `{target}`)"),
        (Some(n), None) => format!(": action {n}"),
        (None, _) => String::new(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
