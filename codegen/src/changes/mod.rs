//! What changed in the generated Rust API between two manifests ([`crate::manifest`]), each
//! change classified for callers of the crate: breaking, an addition, or a change of behaviour
//! only (same Rust API). From that, the semver bump of the generated crate and a report:
//! [`Changes::summary`] for the terminal, [`Changes::markdown`] for a pull request.
//!
//! Operations are matched by id; types by Rust name, or, when a name disappears and another
//! appears for the same schema (the same origin pointer), as a rename. Field types that only
//! differ by a renamed type's name are not listed again: the rename is.

mod compare;
mod report;

use crate::manifest::Manifest;

/// How a change affects callers of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Code that compiled against the old crate may not compile, or may not see what it saw.
    Breaking,
    /// New API; code written against the old crate still compiles.
    Additive,
    /// The same Rust API, different behaviour on the wire (a path, a host, a deprecation).
    Behaviour,
}

impl Class {
    pub fn is_breaking(self) -> bool {
        self == Class::Breaking
    }
}

/// Whether a change is about an operation (a client method) or a type (in `models`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Operation,
    Type,
}

/// What happened to the subject (the operation or type) as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    Added,
    Removed,
    /// Something inside it changed (a field, a parameter, a variant, its name).
    Changed,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub class: Class,
    pub area: Area,
    /// The operation id or the type's Rust name (its new name when renamed).
    pub subject: String,
    pub action: Action,
    /// The Rust item, as Markdown (`` `client.droplets().list()` ``, `` `models::Droplet::size_slug` ``).
    pub rust: String,
    /// The wire item, as Markdown (`` `GET /v2/droplets` ``, `` `droplet.size_slug` ``).
    pub wire: String,
    /// What happened, as Markdown (``retyped `String` → `i64` ``).
    pub what: String,
}

/// Every change between two manifests, sorted: breaking first, then by operation and type.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes {
    /// The old manifest's crate version: what the suggestion starts from.
    pub old_version: String,
    /// The new manifest's crate version: whether it is already bumped.
    pub new_version: String,
    pub entries: Vec<Change>,
}

/// A semver bump of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// Every change from `old` to `new`.
pub fn compare(old: &Manifest, new: &Manifest) -> Changes {
    let mut entries = compare::changes(old, new);
    entries.sort();
    entries.dedup();
    Changes { old_version: old.crate_version.clone(), new_version: new.crate_version.clone(), entries }
}

impl Changes {
    /// Nothing in the Rust API or its behaviour changed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.entries.iter().filter(|c| c.class.is_breaking())
    }

    pub fn not_breaking(&self) -> impl Iterator<Item = &Change> {
        self.entries.iter().filter(|c| !c.class.is_breaking())
    }

    fn has(&self, class: Class) -> bool {
        self.entries.iter().any(|c| c.class == class)
    }

    /// The bump the changes call for. From 1.0: breaking → major, additions → minor, other
    /// changes → patch. Before 1.0 (0.x): breaking → minor, additions → patch, other → patch.
    pub fn bump(&self) -> Bump {
        let stable = parse_version(&self.old_version).is_some_and(|(major, _, _)| major >= 1);
        if self.has(Class::Breaking) {
            if stable {
                Bump::Major
            } else {
                Bump::Minor
            }
        } else if self.has(Class::Additive) {
            if stable {
                Bump::Minor
            } else {
                Bump::Patch
            }
        } else if self.has(Class::Behaviour) {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    /// The old manifest's version with [`Self::bump`] applied (`0.1.0` + breaking → `0.2.0`).
    /// A version that is not `MAJOR.MINOR.PATCH` is returned as it is.
    pub fn suggested_version(&self) -> String {
        let Some((major, minor, patch)) = parse_version(&self.old_version) else { return self.old_version.clone() };
        let (major, minor, patch) = match self.bump() {
            Bump::None => (major, minor, patch),
            Bump::Patch => (major, minor, patch + 1),
            Bump::Minor => (major, minor + 1, 0),
            Bump::Major => (major + 1, 0, 0),
        };
        format!("{major}.{minor}.{patch}")
    }

    /// Whether the new manifest's version is already at or past the suggestion.
    pub fn already_bumped(&self) -> bool {
        match (parse_version(&self.new_version), parse_version(&self.suggested_version())) {
            (Some(new), Some(suggested)) => new >= suggested,
            _ => self.new_version == self.suggested_version(),
        }
    }

    /// How many operations (or types) were added, removed, and changed otherwise.
    pub fn counts(&self, area: Area) -> (usize, usize, usize) {
        let subjects = |action: Action| {
            let set: std::collections::BTreeSet<&str> =
                self.entries.iter().filter(|c| c.area == area && c.action == action).map(|c| c.subject.as_str()).collect();
            set.len()
        };
        (subjects(Action::Added), subjects(Action::Removed), subjects(Action::Changed))
    }
}

/// `MAJOR.MINOR.PATCH` as numbers.
pub fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let mut parts = version.trim().split('.').map(|p| p.parse::<u64>().ok());
    let found = (parts.next()??, parts.next()??, parts.next()??);
    parts.next().is_none().then_some(found)
}
