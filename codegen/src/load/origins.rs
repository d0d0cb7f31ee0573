//! Where each part of the bundled document came from.
//!
//! Only the roots of copied subtrees are recorded (the document, each hoisted component, each
//! inlined `$ref` target); any other pointer is found from its nearest recorded ancestor plus
//! the rest of the pointer, because a copied subtree keeps its keys.

use std::collections::BTreeMap;

use crate::error::Location;

#[derive(Debug, Clone, Default)]
pub struct Origins {
    roots: BTreeMap<String, Location>,
}

impl Origins {
    /// Records that the bundled subtree at `bundled` is a copy of `from`.
    pub fn record(&mut self, bundled: &str, from: Location) {
        self.roots.insert(bundled.to_string(), from);
    }

    /// The file and pointer the bundled node at `bundled` came from.
    pub fn locate(&self, bundled: &str) -> Location {
        let bundled = bundled.strip_prefix('#').unwrap_or(bundled);
        let mut prefix = bundled;
        loop {
            if let Some(root) = self.roots.get(prefix) {
                return Location::new(root.file.clone(), format!("{}{}", root.pointer, &bundled[prefix.len()..]));
            }
            match prefix.rfind('/') {
                Some(i) => prefix = &prefix[..i],
                None => return Location::new("", bundled),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_recorded_ancestor_wins() {
        let mut o = Origins::default();
        o.record("", Location::new("openapi.yaml", ""));
        o.record("/components/schemas/a", Location::new("models/a.yml", ""));
        o.record("/paths/~1x/get", Location::new("ops/x.yml", "/get"));
        assert_eq!(o.locate("/components/schemas/a/properties/b"), Location::new("models/a.yml", "/properties/b"));
        assert_eq!(o.locate("#/paths/~1x/get/responses"), Location::new("ops/x.yml", "/get/responses"));
        assert_eq!(o.locate("/paths/~1x"), Location::new("openapi.yaml", "/paths/~1x"));
        assert_eq!(o.locate("/components/schemas/ab"), Location::new("openapi.yaml", "/components/schemas/ab"));
    }
}
