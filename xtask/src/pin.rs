//! `spec/PIN`: which upstream spec the generated crate comes from (repository and commit) and
//! the digest of that spec as loaded, so that a run on an edited copy can say so.

use std::path::Path;

/// The pin's file, relative to the workspace root.
pub const PIN: &str = "spec/PIN";

/// The contents of `spec/PIN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    pub repository: String,
    pub commit: String,
    /// `sha256:<hex>` of the bundled spec (`codegen::load::Spec::digest`), when recorded.
    pub digest: Option<String>,
}

impl Pin {
    /// Reads `spec/PIN` under `root`. A missing file is an error; a missing field reads as
    /// `unknown` (the digest as absent).
    pub fn read(root: &Path) -> Result<Pin, String> {
        let path = root.join(PIN);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Pin::parse(&text))
    }

    /// Reads `key: value` lines; other lines are ignored.
    pub fn parse(text: &str) -> Pin {
        let field =
            |key: &str| text.lines().find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix(':')).map(|v| v.trim().to_owned()));
        Pin {
            repository: field("repository").unwrap_or_else(|| "unknown".into()),
            commit: field("commit").unwrap_or_else(|| "unknown".into()),
            digest: field("digest").filter(|d| !d.is_empty()),
        }
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut text = format!("repository: {}\ncommit: {}\n", self.repository, self.commit);
        if let Some(digest) = &self.digest {
            text.push_str(&format!("digest: {digest}\n"));
        }
        text
    }

    /// Writes `spec/PIN` under `root`.
    pub fn write(&self, root: &Path) -> Result<(), String> {
        let path = root.join(PIN);
        std::fs::write(&path, self.render()).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// `repository at commit SHA`, for the crate's docs and `API.md`.
    pub fn one_line(&self) -> String {
        format!("{} at commit {}", self.repository, self.commit)
    }

    /// A warning when `digest` (of the spec just loaded) is not the pinned one.
    pub fn mismatch(&self, digest: &str, spec_path: &Path) -> Option<String> {
        let pinned = self.digest.as_deref()?;
        (pinned != digest).then(|| {
            format!(
                "the spec read from {} is not the one spec/PIN records (digest {digest}, pinned {pinned}): \
                 the copy was edited, or it is another commit. Pin it with `cargo xtask spec update --from DIR`, \
                 or restore the copy.",
                spec_path.display()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_renders_and_reparses() {
        let pin = Pin::parse("repository: https://example.com/r\ncommit: abc\ndigest: sha256:00\n# note\n");
        assert_eq!(pin, Pin { repository: "https://example.com/r".into(), commit: "abc".into(), digest: Some("sha256:00".into()) });
        assert_eq!(Pin::parse(&pin.render()), pin);
        let old = Pin::parse("repository: r\ncommit: c\n");
        assert_eq!(old.digest, None);
        assert_eq!(Pin::parse("").commit, "unknown");
    }

    #[test]
    fn mismatch_only_when_a_different_digest_is_pinned() {
        let pin = Pin::parse("repository: r\ncommit: c\ndigest: sha256:aa\n");
        assert_eq!(pin.mismatch("sha256:aa", Path::new("x")), None);
        let warning = pin.mismatch("sha256:bb", Path::new("spec/x.yaml")).unwrap_or_default();
        assert!(warning.contains("sha256:bb") && warning.contains("sha256:aa") && warning.contains("spec/x.yaml"), "{warning}");
        assert_eq!(Pin::parse("commit: c").mismatch("sha256:bb", Path::new("x")), None);
    }
}
