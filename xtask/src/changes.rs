//! The change report in API terms: the freshly generated crate against the committed
//! manifest in `generated/api/` (every `cargo xtask codegen`), or between two specs (`cargo xtask diff`).
//! The full report is Markdown for a pull request, written to `target/api-changes.md`; the
//! summary is a few lines for the terminal.

use std::path::{Path, PathBuf};
use std::thread;

use codegen::changes::Changes;
use codegen::manifest::Manifest;

/// The report's file inside the target folder.
pub const REPORT: &str = "api-changes.md";

/// A comparison, rendered.
#[derive(Debug)]
pub struct ChangeReport {
    pub changes: Changes,
    pub summary: String,
    pub markdown: String,
    /// Where the Markdown was written, if it was.
    pub path: Option<PathBuf>,
}

/// Cargo's target folder for the workspace at `root` (`CARGO_TARGET_DIR` when set).
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("target"),
    }
}

/// Compares `new` with `old` (the committed manifest) and writes the report into `report_dir`.
pub fn against_committed(report_dir: &Path, old: &Manifest, new: &Manifest, spec_name: &str) -> Result<ChangeReport, String> {
    let title = format!("API changes: the committed generated/ → {spec_name}");
    let mut report = render(old, new, &title);
    report.path = Some(write(report_dir, &report.markdown)?);
    Ok(report)
}

/// The manifest committed in `generated`: `api/index.json` and its parts; `Ok(None)` when there
/// is none, and an unreadable one an error naming the folder.
pub fn read_committed(generated: &Path) -> Result<Option<Manifest>, String> {
    if !generated.join(codegen::manifest::INDEX).is_file() {
        return Ok(None);
    }
    Manifest::from_files(|path| std::fs::read_to_string(generated.join(path)))
        .map(Some)
        .map_err(|e| format!("{}: {e}", generated.display()))
}

/// The names the committed manifest in `generated` keeps (empty when there is none).
pub fn lock(generated: &Path) -> codegen::lower::Lock {
    committed(generated).map(|m| codegen::lower::Lock::from_manifest(&m)).unwrap_or_default()
}

/// The report between the specs at `old` and `new` (trees, entry files or bundled files), with
/// the crate version of the workspace at `root`. The workspace's overlays are applied to both
/// only when `overlays` says so: they are written for the pinned spec, and an action that matches
/// nothing in another commit is an error.
pub fn diff(root: &Path, old: &Path, new: &Path, overlays: bool) -> Result<ChangeReport, Box<dyn std::error::Error>> {
    let version = crate::crate_version(root)?;
    // Both sides keep the names the committed crate has, as a regeneration would.
    let lock = lock(&root.join(crate::GENERATED));
    let overlays = if overlays { crate::overlays(root)? } else { Vec::new() };
    let old_entry = codegen::source::find_spec(Some(old), None, root)?;
    let new_entry = codegen::source::find_spec(Some(new), None, root)?;
    let (old_manifest, new_manifest) = thread::scope(|scope| {
        let old = scope.spawn(|| manifest(&old_entry, &overlays, &version, &lock));
        let new = manifest(&new_entry, &overlays, &version, &lock);
        (old.join(), new)
    });
    let old_manifest = old_manifest.map_err(|_| "reading the old spec panicked")??;
    let new_manifest = new_manifest?;
    let title = format!("API changes: {} → {}", old.display(), new.display());
    Ok(render(&old_manifest, &new_manifest, &title))
}

fn manifest(
    entry: &Path,
    overlays: &[codegen::overlay::Overlay],
    version: &str,
    lock: &codegen::lower::Lock,
) -> Result<Manifest, codegen::Error> {
    manifest_of(&codegen::load::load_with_overlays(entry, overlays)?, version, lock)
}

/// The manifest of the whole API of a loaded spec, names kept by `lock`.
pub fn manifest_of(spec: &codegen::load::Spec, version: &str, lock: &codegen::lower::Lock) -> Result<Manifest, codegen::Error> {
    let api = codegen::lower::lower_locked(spec, &codegen::Selection::default(), lock)?;
    Ok(codegen::manifest::build(&api, version))
}

/// The manifest committed in `generated`, if there is a readable one.
pub fn committed(generated: &Path) -> Option<Manifest> {
    read_committed(generated).ok().flatten()
}

fn render(old: &Manifest, new: &Manifest, title: &str) -> ChangeReport {
    let changes = codegen::changes::compare(old, new);
    let summary = changes.summary();
    let markdown = changes.markdown(title);
    ChangeReport { changes, summary, markdown, path: None }
}

/// Writes the Markdown report into `target`, returning its path.
pub fn write(target: &Path, markdown: &str) -> Result<PathBuf, String> {
    std::fs::create_dir_all(target).map_err(|e| format!("{}: {e}", target.display()))?;
    let path = target.join(REPORT);
    std::fs::write(&path, markdown).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}
