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

/// The spec as `cargo xtask codegen` reads it in the workspace at `root`: found by [`find`],
/// with the overlays of `root/spec/overlays/` applied. For tests, which should see what codegen
/// sees (an update that needs an overlay passes them once the overlay is there).
pub fn load_workspace_spec(root: &Path) -> Result<crate::load::Spec> {
    let overlays = crate::overlay::read_dir(&root.join("spec/overlays"))?;
    crate::load::load_with_overlays(&find(None, root)?, &overlays)
}

/// [`find_spec`] with `DO_OPENAPI_SPEC` read from the environment.
pub fn find(explicit: Option<&Path>, root: &Path) -> Result<PathBuf> {
    let env = std::env::var(ENV_VAR).ok();
    find_spec(explicit, env.as_deref(), root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_then_env_then_local_copy_then_mirror() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let mirror = dir.path().join("shared/digitalocean-openapi").join(ENTRY);
        let local = root.join("spec/digitalocean-openapi").join(ENTRY);
        let given = dir.path().join("given.yaml");
        for file in [&mirror, &local, &given] {
            std::fs::create_dir_all(file.parent().unwrap_or(dir.path())).unwrap();
            std::fs::write(file, "openapi: 3.0.0").unwrap();
        }
        let env = given.to_str();
        assert_eq!(find_spec(Some(&given), None, &root).ok(), Some(given.clone()));
        assert_eq!(find_spec(None, env, &root).ok(), Some(given.clone()));
        // An empty variable counts as unset; a checkout folder means its entry file.
        assert_eq!(find_spec(None, Some(""), &root).ok(), Some(local.clone()));
        let checkout = root.join("spec/digitalocean-openapi");
        assert_eq!(find_spec(Some(&checkout), None, &root).ok(), Some(local.clone()));
        std::fs::remove_file(&local).unwrap();
        let found = find_spec(None, None, &root).unwrap();
        assert_eq!(found.canonicalize().ok(), mirror.canonicalize().ok());
        // An explicit path that does not exist is an error, not a reason to look elsewhere.
        let missing = dir.path().join("missing.yaml");
        let error = find_spec(Some(&missing), None, &root).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("missing.yaml") && error.contains(ENV_VAR), "{error}");
        std::fs::remove_file(&mirror).unwrap();
        assert!(matches!(find_spec(None, None, &root), Err(Error::SpecNotFound { tried, .. }) if tried.len() == 2));
    }
}
