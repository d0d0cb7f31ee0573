//! Where the spec comes from: an explicit path, else `DO_OPENAPI_SPEC`, else the git-ignored
//! local copy under `spec/`, else the mirror beside the checkout.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The entry file inside an upstream checkout.
pub const ENTRY: &str = "specification/DigitalOcean-public.v2.yaml";

/// The environment variable that points at a spec (a bundled file or a tree's entry file).
pub const ENV_VAR: &str = "DO_OPENAPI_SPEC";

/// Finds the spec for the workspace at `root`. `explicit` is `--spec PATH`; `env` is the
/// value of `DO_OPENAPI_SPEC`, if set. An explicit path or variable that names a missing
/// file is an error, not a reason to look elsewhere.
pub fn find_spec(explicit: Option<&Path>, env: Option<&str>, root: &Path) -> Result<PathBuf> {
    let hint = format!(
        "Pass --spec PATH, set {ENV_VAR}, or clone https://github.com/digitalocean/openapi at the commit in spec/PIN into spec/digitalocean-openapi (git-ignored)."
    );
    let chosen = explicit.map(Path::to_path_buf).or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from));
    if let Some(path) = chosen {
        let path = if path.is_dir() { path.join(ENTRY) } else { path };
        return if path.is_file() { Ok(path) } else { Err(Error::SpecNotFound { tried: vec![path], hint }) };
    }
    let tried = vec![root.join("spec/digitalocean-openapi").join(ENTRY), root.join("../shared/digitalocean-openapi").join(ENTRY)];
    match tried.iter().find(|p| p.is_file()) {
        Some(found) => Ok(found.clone()),
        None => Err(Error::SpecNotFound { tried, hint }),
    }
}
