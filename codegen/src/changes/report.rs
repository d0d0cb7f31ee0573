//! The change report: a few lines for the terminal, Markdown for a pull request.

use super::{parse_version, Area, Bump, Change, Changes, Class};

impl Changes {
    /// Why the version moves (or does not): `breaking changes; 0.x bumps the minor`.
    fn reason(&self) -> &'static str {
        let stable = parse_version(&self.old_version).is_some_and(|(major, _, _)| major >= 1);
        match (self.bump(), stable) {
            (Bump::Major, _) => "breaking changes",
            (Bump::Minor, false) => "breaking changes; 0.x bumps the minor",
            (Bump::Minor, true) => "additions only",
            (Bump::Patch, false) if self.has(Class::Additive) => "additions only; 0.x bumps the patch",
            (Bump::Patch, _) => "behaviour changes only, the same Rust API",
            (Bump::None, _) => "nothing in the Rust API changed",
        }
    }

    /// The version line and what to do about `spec/crate-version`.
    fn verdict(&self) -> (String, String) {
        let suggested = self.suggested_version();
        if self.bump() == Bump::None {
            return (format!("version: {} stays ({})", self.old_version, self.reason()), String::new());
        }
        let line = format!("version: {} → {suggested} ({})", self.old_version, self.reason());
        let todo = if self.already_bumped() {
            format!("already bumped: the new crate version is {}", self.new_version)
        } else {
            format!("spec/crate-version should become {suggested} (it is {})", self.new_version)
        };
        (line, todo)
    }

    fn count_line(&self, area: Area) -> String {
        let (added, removed, changed) = self.counts(area);
        let name = match area {
            Area::Operation => "operations",
            Area::Type => "types",
        };
        format!("{name}: {added} added, {removed} removed, {changed} changed")
    }

    /// A few lines for the terminal: counts, the version and what to do about it.
    pub fn summary(&self) -> String {
        let mut lines = Vec::new();
        if self.is_empty() {
            lines.push("API changes: none".to_owned());
        } else {
            let breaking = self.breaking().count();
            lines.push(format!("API changes: {breaking} breaking, {} not breaking", self.entries.len() - breaking));
            lines.push(self.count_line(Area::Operation));
            lines.push(self.count_line(Area::Type));
        }
        let (version, todo) = self.verdict();
        lines.push(version);
        if !todo.is_empty() {
            lines.push(todo);
        }
        lines.join("\n") + "\n"
    }

    /// The full report in Markdown: the version verdict, breaking changes, then the others,
    /// each by operation and by type, and a legend of the rules.
    pub fn markdown(&self, title: &str) -> String {
        let mut out = format!("# {title}\n\n");
        let (version, todo) = self.verdict();
        let version = version.strip_prefix("version: ").unwrap_or(&version);
        out.push_str(&format!("**Version:** {version}."));
        if !todo.is_empty() {
            out.push_str(&format!(" {}.", capitalised(&todo.replace("spec/crate-version", "`spec/crate-version`"))));
        }
        out.push_str("\n\n");
        if self.is_empty() {
            out.push_str("No change to the Rust API.\n\n");
        } else {
            let breaking = self.breaking().count();
            out.push_str(&format!(
                "{breaking} breaking, {} not breaking. {}. {}.\n\n",
                self.entries.len() - breaking,
                capitalised(&self.count_line(Area::Operation)),
                capitalised(&self.count_line(Area::Type))
            ));
            section(&mut out, "Breaking changes", self.breaking().collect());
            section(&mut out, "Not breaking", self.not_breaking().collect());
        }
        out.push_str(LEGEND);
        out
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn section(out: &mut String, title: &str, changes: Vec<&Change>) {
    out.push_str(&format!("## {title} ({})\n\n", changes.len()));
    if changes.is_empty() {
        out.push_str("None.\n\n");
        return;
    }
    for (area, heading) in [(Area::Operation, "Operations"), (Area::Type, "Types")] {
        let lines: Vec<&&Change> = changes.iter().filter(|c| c.area == area).collect();
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!("### {heading}\n\n"));
        for c in lines {
            let label = if c.class == Class::Behaviour { "behaviour: " } else { "" };
            out.push_str(&format!("- {} — {}: {label}{}\n", c.rust, c.wire, c.what));
        }
        out.push('\n');
    }
}

const LEGEND: &str = "\
## How changes are classified

For callers of the generated Rust crate. Operations are matched by operationId, types by Rust name or,
when a name disappears and another appears for the same schema, as a rename.

- **Breaking**: an operation, type, field, parameter, enum value or union variant removed; a method,
  type, field, parameter or variant renamed; an operation moved to another cargo feature; a parameter,
  field, body, answer or alias whose Rust type changed (a parameter or field that becomes required or
  optional, nullable or not, changes its type); a required parameter or a path parameter added (the
  method takes it); a parameter moving between the method's arguments and the call's chained methods,
  or arguments reordered; a field added to a request struct that is required (`new` takes it); a type
  losing `Serialize`, `Deserialize`, `Default` or its kind.
- **Not breaking**: an operation, type, enum value or union variant added (enums and unions are
  `#[non_exhaustive]`, so every `match` on them has a `_` arm; an enum's catch-all `Other` used to absorb
  a new value: a `match` that looked for it there no longer sees it); an optional parameter added (a new
  chained method of the call); a field added to a response-only struct, or an optional one to a request
  struct (structs are `#[non_exhaustive]`: callers build them with `new` and chained methods, so `new`
  is unchanged); a type gaining a derive.
- **Behaviour**: the Rust API is unchanged but requests are not (HTTP method, path, host, credential, media
  type, a union's tag, a deprecation, required-ness that leaves the Rust type as it was).

The suggested version follows semver: from 1.0, breaking bumps the major, additions the minor and
behaviour changes the patch; before 1.0 (0.x), breaking bumps the minor and everything else the patch.
";
