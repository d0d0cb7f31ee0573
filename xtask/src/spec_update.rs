//! `cargo xtask spec update --from DIR`: pins another upstream commit. The spec in `DIR` is
//! loaded first (a spec that does not load changes nothing), then copied to the git-ignored
//! local copy `spec/digitalocean-openapi/`, `spec/PIN` records its commit and digest, and the
//! crate version (`spec/crate-version`) becomes what the change report against the committed
//! `generated/api/` asks for. The caller then regenerates `generated/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::pin::Pin;

/// The git-ignored local copy of the upstream tree, relative to the workspace root; the spec
/// source looks here before the mirror beside the checkout.
pub const LOCAL_COPY: &str = "spec/digitalocean-openapi";

#[derive(Debug, Clone, Default)]
pub struct UpdateArgs {
    /// A checkout or copy of the upstream repository.
    pub from: Option<PathBuf>,
    /// The commit, when `from` has no git metadata (or to override it).
    pub commit: Option<String>,
}

/// What an update did before regenerating.
#[derive(Debug)]
pub struct Updated {
    pub pin: Pin,
    /// The folder the spec now comes from.
    pub copy: PathBuf,
    /// The crate version before and after, when the update changed it.
    pub version: Option<(String, String)>,
    /// Things the user should know (a checkout with uncommitted changes).
    pub warnings: Vec<String>,
}

/// Checks `args`, loads the spec, copies it to the local copy and writes `spec/PIN`. The
/// caller regenerates.
pub fn update(root: &Path, args: &UpdateArgs) -> Result<Updated, Box<dyn std::error::Error>> {
    let Some(from) = args.from.as_deref() else {
        let what = args.commit.as_deref().map(|c| format!("commit {c}")).unwrap_or_else(|| "a commit".into());
        return Err(format!(
            "spec update needs --from DIR: this tool does not download specs. Clone \
             https://github.com/digitalocean/openapi, check out {what}, and pass the checkout as --from DIR."
        )
        .into());
    };
    let entry = from.join(codegen::source::ENTRY);
    if !entry.is_file() {
        return Err(
            format!("{}: no {} here; --from takes a checkout of the upstream repository", from.display(), codegen::source::ENTRY).into()
        );
    }
    let mut warnings = Vec::new();
    let commit = match &args.commit {
        Some(commit) => commit.clone(),
        None => match git_head(from, &mut warnings).or_else(|| source_commit(from)) {
            Some(commit) => commit,
            None => {
                return Err(format!("{}: no git metadata and no SOURCE file naming the commit; pass --commit SHA", from.display()).into())
            }
        },
    };
    if !(7..=40).contains(&commit.len()) || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("`{commit}` is not a commit id (7 to 40 hexadecimal digits)").into());
    }
    // Load before touching anything: a spec that does not load leaves the pin and the copy as they were.
    let spec = crate::load_spec(root, &entry)?;
    let version = crate::crate_version(root)?;
    let committed = crate::changes::committed(&root.join(crate::GENERATED));
    let next = match committed {
        Some(old) => {
            let lock = codegen::lower::Lock::from_manifest(&old);
            let changes = codegen::changes::compare(&old, &crate::changes::manifest_of(&spec, &version, &lock)?);
            (!changes.already_bumped()).then(|| changes.suggested_version())
        }
        None => None,
    };
    let copy = root.join(LOCAL_COPY);
    if !same_folder(from, &copy) {
        replace_tree(from, &copy)?;
    }
    let previous = Pin::read(root).ok();
    let repository = previous.map(|p| p.repository).unwrap_or_else(|| "https://github.com/digitalocean/openapi".into());
    let pin = Pin { repository, commit, digest: Some(spec.digest.clone()) };
    pin.write(root)?;
    if let Some(next) = &next {
        let path = root.join(crate::CRATE_VERSION);
        std::fs::write(&path, format!("{next}\n")).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(Updated { pin, copy, version: next.map(|next| (version, next)), warnings })
}

/// The checkout's `HEAD` commit, when `dir` is the root of a git checkout and git runs.
fn git_head(dir: &Path, warnings: &mut Vec<String>) -> Option<String> {
    if !dir.join(".git").exists() {
        return None;
    }
    let output = Command::new("git").arg("-C").arg(dir).args(["rev-parse", "HEAD"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let commit = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let status = Command::new("git").arg("-C").arg(dir).args(["status", "--porcelain", "--", "specification"]).output().ok();
    if status.is_some_and(|s| !s.stdout.is_empty()) {
        warnings.push(format!(
            "{} has uncommitted changes under specification/: the pinned commit {commit} does not describe them",
            dir.display()
        ));
    }
    Some(commit)
}

/// The `commit:` line of the `SOURCE` file a copy of the upstream tree may carry.
fn source_commit(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join("SOURCE")).ok()?;
    text.lines().find_map(|l| l.strip_prefix("commit:").map(|c| c.trim().to_owned())).filter(|c| !c.is_empty())
}

fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Replaces `to` with a copy of `from` (without `.git`): the copy is made beside `to` first,
/// so a failure part-way leaves the old copy in place.
fn replace_tree(from: &Path, to: &Path) -> Result<(), String> {
    let parent = to.parent().ok_or_else(|| format!("{}: no parent folder", to.display()))?;
    fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    let staging = parent.join(".spec-update.tmp");
    let _ = fs::remove_dir_all(&staging);
    if let Err(e) = copy_tree(from, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if to.exists() {
        fs::remove_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    }
    fs::rename(&staging, to).map_err(|e| format!("{}: {e}", to.display()))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let (path, name) = (entry.path(), entry.file_name());
        if name == ".git" {
            continue;
        }
        let target = to.join(&name);
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}
