//! The reviewed exceptions files in `spec/`: what the upstream spec gets wrong, listed with the
//! reason so that a test can check each still fails. One entry per line, its fields separated
//! by ` | ` (the last, the reason, may hold ` | ` itself); `#` starts a comment line. The one
//! reader of these files: the xtask (for `API.md` and the samples) and the tests that hold each
//! listed exception to failing use it alike.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One exceptions file: where it is (from the workspace root) and what its fields are.
#[derive(Debug, Clone, Copy)]
pub struct List<const N: usize> {
    /// The file, relative to the workspace root.
    pub file: &'static str,
    /// Each field's name, for the error that names a malformed line; the first is the key.
    pub fields: [&'static str; N],
}

/// Spec examples that violate their own schema: `<pointer> | <reason>`.
pub const EXAMPLES: List<2> = List { file: "spec/example-exceptions.txt", fields: ["pointer", "reason"] };

/// Operations whose sample Prism rejects because of an upstream spec error:
/// `<operation id> | <pointer> | <reason>`.
pub const CONTRACT: List<3> = List { file: "spec/contract-exceptions.txt", fields: ["operation id", "pointer", "reason"] };

impl<const N: usize> List<N> {
    /// The entries of the file under `root`, in file order; a missing file lists nothing.
    pub fn read(&self, root: &Path) -> Result<Vec<[String; N]>> {
        let path = root.join(self.file);
        match std::fs::read_to_string(&path) {
            Ok(text) => self.parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(source) => Err(Error::Io { path, source }),
        }
    }

    /// The entries of `text`, each its fields trimmed. A line with too few fields, an empty
    /// field, a pointer that does not start with `/` or a key listed twice is an error naming
    /// the file and line.
    pub fn parse(&self, text: &str) -> Result<Vec<[String; N]>> {
        let mut keys = BTreeSet::new();
        let mut out = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fail = |message: String| Error::Exceptions { file: PathBuf::from(self.file), line: index + 1, message };
            let fields: Vec<String> = line.splitn(N, " | ").map(|f| f.trim().to_owned()).collect();
            let Ok(entry) = <[String; N]>::try_from(fields) else {
                return Err(fail(format!("expected `{}`", self.fields.map(|f| format!("<{f}>")).join(" | "))));
            };
            for (name, value) in self.fields.iter().zip(&entry) {
                if value.is_empty() {
                    return Err(fail(format!("the {name} is empty")));
                }
                if *name == "pointer" && !value.starts_with('/') {
                    return Err(fail(format!("the pointer `{value}` does not start with `/`")));
                }
            }
            if !keys.insert(entry[0].clone()) {
                return Err(fail(format!("{} `{}` is listed twice", self.fields[0], entry[0])));
            }
            out.push(entry);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_and_malformed_lines_are_located() {
        let text = "# a comment\n\nop_a | /paths/x | a reason | with a bar\nop_b | /components/y | why\n";
        let entries = CONTRACT.parse(text).unwrap();
        assert_eq!(entries[0], ["op_a", "/paths/x", "a reason | with a bar"].map(String::from));
        assert_eq!(entries[1][0], "op_b");
        let error = |text: &str| EXAMPLES.parse(text).unwrap_err().to_string();
        assert_eq!(error("/a | r\n/b\n"), "spec/example-exceptions.txt:2: expected `<pointer> | <reason>`");
        assert_eq!(error("/a |  \n"), "spec/example-exceptions.txt:1: expected `<pointer> | <reason>`");
        assert_eq!(error("a | r\n"), "spec/example-exceptions.txt:1: the pointer `a` does not start with `/`");
        assert_eq!(error("/a | r\n/a | s\n"), "spec/example-exceptions.txt:2: pointer `/a` is listed twice");
        let empty = CONTRACT.parse("op |  | why").unwrap_err().to_string();
        assert_eq!(empty, "spec/contract-exceptions.txt:1: the pointer is empty");
        assert!(EXAMPLES.read(Path::new("/nonexistent")).unwrap().is_empty());
    }
}
