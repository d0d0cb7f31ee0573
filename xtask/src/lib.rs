//! `cargo xtask`: the project's command line. `codegen` regenerates `generated/` from the
//! spec (or, with `--check`, reports what is stale); `bundle` writes the spec as one file.

pub mod bench;
pub mod changes;
pub mod fuzz_corpus;
pub mod pin;
pub mod spec_update;
pub mod write;

use std::path::{Path, PathBuf};

use codegen::Selection;

/// The generated crate's folder, relative to the workspace root.
pub const GENERATED: &str = "generated";

/// The reviewed list of spec examples that violate their own schema, for `API.md`.
pub const EXAMPLE_EXCEPTIONS: &str = codegen::exceptions::EXAMPLES.file;

/// The reviewed operations whose sample Prism rejects because of an upstream spec error (for `API.md`).
pub const CONTRACT_EXCEPTIONS: &str = codegen::exceptions::CONTRACT.file;

/// Corrections to the upstream spec (OpenAPI Overlay 1.0 files), applied in file-name order.
pub const OVERLAYS: &str = "spec/overlays";

/// An environment variable naming another folder of overlays instead of [`OVERLAYS`] (for specs
/// that are not DigitalOcean's, such as the test fixtures: an empty folder applies none).
pub const OVERLAYS_VAR: &str = "DO_OPENAPI_OVERLAYS";

/// The generated crate's version: the one place it is set (the generator writes it into
/// `generated/Cargo.toml` and the manifest `generated/api/index.json`).
pub const CRATE_VERSION: &str = "spec/crate-version";

/// Folders (inside `generated/`) every file of which belongs to the generator: whatever of them a
/// generation does not produce is removed.
pub const OWNED: &[&str] = &["src", "tests/support/samples", "api"];

#[derive(Debug, Clone, Default)]
pub struct CodegenArgs {
    pub check: bool,
    pub spec: Option<PathBuf>,
    pub tags: Vec<String>,
    pub operations: Vec<String>,
    /// Where to write `api-changes.md` (default: the workspace's target folder).
    pub report_dir: Option<PathBuf>,
}

#[derive(Debug)]
pub struct Summary {
    pub operations: usize,
    pub types: usize,
    pub fallbacks: usize,
    pub report: write::Report,
    /// The API changes against the committed manifest, `generated/api/` (none when there is none).
    pub changes: Option<changes::ChangeReport>,
    /// Things the user should know that did not stop the run (a spec that is not the pinned one).
    pub warnings: Vec<String>,
    /// The document and the files, handed back so that the command can exit without freeing
    /// them piece by piece (`std::mem::forget`), which would only add to its run time.
    pub retained: Option<Retained>,
}

/// What a codegen run read and produced, kept for the caller to drop or forget.
#[derive(Debug)]
pub struct Retained {
    _spec: codegen::load::Spec,
    _files: Vec<codegen::File>,
}

/// The workspace root (the folder holding `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The generated crate's version from [`CRATE_VERSION`].
pub fn crate_version(root: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let path = root.join(CRATE_VERSION);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let version = text.trim();
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("{}: `{version}` is not a version of the form MAJOR.MINOR.PATCH", path.display()).into());
    }
    Ok(version.to_owned())
}

/// The overlays to apply: those of [`OVERLAYS_VAR`]'s folder when it is set (the folder must
/// exist), else those of [`OVERLAYS`] under `root` (none when it does not exist).
pub fn overlays(root: &Path) -> Result<Vec<codegen::overlay::Overlay>, Box<dyn std::error::Error>> {
    let dir = match std::env::var_os(OVERLAYS_VAR) {
        Some(dir) if !Path::new(&dir).is_dir() => return Err(format!("{OVERLAYS_VAR}={}: not a folder", Path::new(&dir).display()).into()),
        Some(dir) => PathBuf::from(dir),
        None => root.join(OVERLAYS),
    };
    Ok(codegen::overlay::read_dir(&dir)?)
}

/// Loads the spec whose entry file is `entry` as every command of the workspace at `root` sees
/// it: with the workspace's overlays.
pub fn load_spec(root: &Path, entry: &Path) -> Result<codegen::load::Spec, Box<dyn std::error::Error>> {
    Ok(codegen::load::load_with_overlays(entry, &overlays(root)?)?)
}

/// Regenerates (or checks) `generated/` under `root`. Nothing is written unless the whole
/// generation succeeded.
pub fn codegen(root: &Path, args: &CodegenArgs) -> Result<Summary, Box<dyn std::error::Error>> {
    let spec_path = codegen::source::find(args.spec.as_deref(), root)?;
    let spec = load_spec(root, &spec_path)?;
    // The committed manifest: the names the crate already has stay (see `codegen::lower::Lock`),
    // and the change report compares with it before it is overwritten.
    let committed = changes::read_committed(&root.join(GENERATED));
    let pin = pin::Pin::read(root)?;
    let mut warnings: Vec<String> = pin.mismatch(&spec.digest, &spec_path).into_iter().collect();
    // Filters are for experiments: the header names them, so a filtered crate is never
    // mistaken for the whole API.
    let mut command = "cargo xtask codegen".to_owned();
    args.tags.iter().for_each(|t| command.push_str(&format!(" --tag '{t}'")));
    args.operations.iter().for_each(|o| command.push_str(&format!(" --operation '{o}'")));
    let header = codegen::header(&command);
    let selection = Selection { tags: args.tags.clone(), operations: args.operations.clone() };
    let exceptions = codegen::exceptions::EXAMPLES.read(root)?;
    let contract_exceptions = codegen::exceptions::CONTRACT.read(root)?;
    let lock = match &committed {
        Ok(Some(old)) => codegen::lower::Lock::from_manifest(old),
        _ => codegen::lower::Lock::default(),
    };
    let settings =
        codegen::Settings { header, source: pin.one_line(), exceptions, crate_version: crate_version(root)?, contract_exceptions, lock };
    let output = codegen::generate_with(&spec, &selection, &settings)?;
    let report_dir = args.report_dir.clone().unwrap_or_else(|| changes::target_dir(root));
    let spec_name = format!("the spec at {}", pin.one_line());
    let changes = match committed {
        Ok(Some(old)) => changes::against_committed(&report_dir, &old, &output.manifest, &spec_name).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(format!("{e}; no change report")),
    };
    let changes = changes.unwrap_or_else(|e| {
        warnings.push(e);
        None
    });
    let report = write::ensure_files(&root.join(GENERATED), &output.files, OWNED, args.check)?;
    // The command ends right after this: freeing the whole document piece by piece would only
    // add to its run time.
    let retained = Retained { _spec: spec, _files: output.files };
    Ok(Summary {
        operations: output.operations,
        types: output.types,
        fallbacks: output.fallbacks,
        report,
        changes,
        warnings,
        retained: Some(retained),
    })
}
