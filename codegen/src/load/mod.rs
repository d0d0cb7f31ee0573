//! Phase 1, load: the spec's YAML files to one OpenAPI document.
//!
//! The loader is a bundler. It reads the entry file and every file reached by a relative
//! `$ref` (each file once), walks the document knowing what each node is in OpenAPI terms, and
//! produces one self-contained document:
//!
//! - a `$ref` where a reusable component stands (schema, response, parameter, header, example,
//!   request body, link, security scheme, callback) is hoisted into `components/<section>/<name>`
//!   and rewritten to `#/components/<section>/<name>`;
//! - a `$ref` anywhere else (a whole operation, a `properties` map, a tag description, a code
//!   sample, a value inside an example) is replaced by its target;
//! - a `$ref` into the entry file itself is kept, so an already bundled file loads as it is.
//!
//! A hoisted component is named after the last segment of the ref's JSON pointer
//! (`parameters.yml#/namespace_id` → `namespace_id`), or after the file's stem when the ref
//! names a whole file (`models/create_namespace.yml` → `create_namespace`). When a different
//! target of the same section already has the name, `-2`, `-3`, ... is appended, in walk order.
//! The same target always gets the same name. (These counters stay in the bundled document;
//! Rust names never come from them: see `lower::collisions`.)

mod bundle;
mod check;
mod files;
mod origins;
pub mod pointer;
mod role;
mod shape;
pub(crate) mod yaml;

use std::path::Path;

use crate::error::{Error, Location};
use crate::overlay::{Applied, Overlay};

/// The whole API as one document.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The bundled document, typed.
    pub doc: openapiv3::OpenAPI,
    /// The same bundled document as JSON, keys in spec order.
    pub raw: serde_json::Value,
    /// `sha256:<hex>` of the bundled document as compact JSON (keys in spec order), as read
    /// (before any overlay): the same spec gives the same digest whatever its files' layout,
    /// comments or formatting.
    pub digest: String,
    /// What each overlay action changed, in the order applied (empty without overlays).
    pub overlays: Vec<Applied>,
    origins: origins::Origins,
}

impl Spec {
    /// Maps a JSON pointer in the bundled document (with or without a leading `#`) to the file
    /// (relative to the spec's root folder) and the pointer in that file it came from.
    pub fn locate(&self, bundled_pointer: &str) -> Location {
        self.origins.locate(bundled_pointer)
    }
}

/// Loads the spec whose entry file is `entry`: a multi-file tree or a single bundled file.
/// The entry's folder is the root folder; no `$ref` may leave it.
pub fn load(entry: &Path) -> Result<Spec, Error> {
    load_with_overlays(entry, &[])
}

/// [`load`], then `overlays` applied to the bundled document in the order given, before the
/// document is read as OpenAPI and its references are checked (both see the overlaid document).
/// [`Spec::digest`] stays the digest of the document as read, before the overlays.
pub fn load_with_overlays(entry: &Path, overlays: &[Overlay]) -> Result<Spec, Error> {
    let (mut files, entry_id) = files::Files::new(entry)?;
    let mut bundled = bundle::bundle(&mut files, entry_id)?;
    let read_digest = (!overlays.is_empty()).then(|| digest(&bundled.doc));
    let applied = crate::overlay::apply(&mut bundled.doc, overlays)?;
    // Checking the references and reading the typed document are independent: both at once.
    let (checked, doc, digest) = std::thread::scope(|scope| {
        let typed = scope.spawn(|| shape::typed(&bundled.doc, &bundled.origins));
        let digest = scope.spawn(|| read_digest.unwrap_or_else(|| digest(&bundled.doc)));
        let checked = check::refs(&bundled.doc, &bundled.origins, &bundled.written);
        (checked, typed.join(), digest.join())
    });
    checked?;
    let panicked = |_| Error::Shape { at: Location::new(entry, ""), message: "the document reader panicked".into() };
    let doc = doc.map_err(panicked)??;
    let digest = digest.map_err(panicked)?;
    Ok(Spec { doc, raw: bundled.doc, digest, overlays: applied, origins: bundled.origins })
}

/// `sha256:<hex>` of a document's compact JSON text.
pub fn digest(doc: &serde_json::Value) -> String {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    // Writing into the hasher cannot fail, and neither can serialising a `Value`.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), doc);
    let hex: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

struct HashWriter<'a>(&'a mut sha2::Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        sha2::Digest::update(self.0, bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Parses one YAML file's text the way the loader reads every file of a spec (YAML 1.2 core
/// scalars, keys as strings in order, duplicate keys refused); `file` names it in errors.
/// Nothing is followed: `$ref`s stay as written.
pub fn parse_yaml(text: &str, file: &Path) -> Result<serde_json::Value, Error> {
    yaml::parse(text, file)
}

/// The bundled document as the text of one YAML file.
pub fn to_yaml(spec: &Spec) -> Result<String, Error> {
    serde_yaml::to_string(&spec.raw).map_err(|e| Error::Yaml { file: "(bundled document)".into(), message: e.to_string() })
}
