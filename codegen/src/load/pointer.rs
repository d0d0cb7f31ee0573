//! JSON pointers (RFC 6901) and the small parts of URI syntax a `$ref` needs.

use serde_json::Value;

/// Escapes one pointer segment: `~` becomes `~0`, `/` becomes `~1`.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`] for one segment.
pub fn unescape(segment: &str) -> String {
    if !segment.contains('~') {
        return segment.to_string();
    }
    segment.replace("~1", "/").replace("~0", "~")
}

/// Where a local `$ref` points into the components: `#/components/schemas/a~1b` is the whole
/// schema `a/b`; `#/components/schemas/a/properties/x` is inside the schema `a`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// `schemas`, `responses`, `parameters`, `requestBodies`, ...
    pub section: String,
    /// The component's name, unescaped (a key of the section's map).
    pub name: String,
    /// Whether the reference names the component itself, not a place inside it.
    pub whole: bool,
}

/// The component a local `$ref` points into, if it points into `#/components/<section>/<name>`:
/// the one reader of component references.
pub fn component(reference: &str) -> Option<Component> {
    let mut parts = reference.strip_prefix("#/components/")?.split('/');
    let (section, name) = (unescape(parts.next()?), unescape(parts.next()?));
    Some(Component { section, name, whole: parts.next().is_none() })
}

/// `pointer` with one more segment.
pub fn push(pointer: &str, segment: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + segment.len() + 1);
    out.push_str(pointer);
    append(&mut out, segment);
    out
}

/// Appends one more segment to `pointer` in place (escaped).
pub fn append(pointer: &mut String, segment: &str) {
    pointer.push('/');
    if segment.contains(['~', '/']) {
        pointer.push_str(&escape(segment));
    } else {
        pointer.push_str(segment);
    }
}

/// `pointer` with one more array index.
pub fn push_index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// The last segment of a pointer, unescaped (`""` for the whole document).
pub fn last_segment(pointer: &str) -> String {
    match pointer.rfind('/') {
        Some(i) => unescape(&pointer[i + 1..]),
        None => String::new(),
    }
}

/// The node `pointer` names inside `root`, if any. `""` is the root itself.
pub fn get<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let rest = pointer.strip_prefix('/')?;
    let mut node = root;
    for raw in rest.split('/') {
        let segment = unescape(raw);
        node = match node {
            Value::Object(map) => map.get(&segment)?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// True when the reference starts with a URI scheme (`https:`, `file:`, ...) or is
/// scheme-relative (`//host/...`): something the loader does not follow.
pub fn has_scheme(reference: &str) -> bool {
    if reference.starts_with("//") {
        return true;
    }
    let Some(colon) = reference.find(':') else {
        return false;
    };
    let scheme = &reference[..colon];
    let mut chars = scheme.chars();
    match chars.next() {
        Some(first) if first.is_ascii_alphabetic() => chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        _ => false,
    }
}

/// Decodes `%XX` escapes. Returns `None` when the result is not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_references_name_their_section_and_component() {
        let whole = component("#/components/schemas/a~1b").unwrap();
        assert_eq!(whole, Component { section: "schemas".into(), name: "a/b".into(), whole: true });
        let inside = component("#/components/responses/r/content/application~1json").unwrap();
        assert_eq!((inside.section.as_str(), inside.name.as_str(), inside.whole), ("responses", "r", false));
        assert_eq!(component("#/paths/~1v2"), None);
        assert_eq!(component("#/components/schemas"), None);
        assert_eq!(component("models/x.yml"), None);
    }
    use serde_json::json;

    #[test]
    fn get_follows_objects_arrays_and_escapes() {
        let doc = json!({"paths": {"/v2/x": {"get": [1, {"a~b": 7}]}}});
        assert_eq!(get(&doc, "/paths/~1v2~1x/get/1/a~0b"), Some(&json!(7)));
        assert_eq!(get(&doc, ""), Some(&doc));
        assert_eq!(get(&doc, "/paths/missing"), None);
        assert_eq!(get(&doc, "/paths/~1v2~1x/get/9"), None);
        assert_eq!(get(&doc, "paths"), None);
    }

    #[test]
    fn segments_round_trip() {
        assert_eq!(push("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(last_segment("/a/b~1c~0d"), "b/c~d");
        assert_eq!(last_segment(""), "");
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("https://example.com/x.yml"));
        assert!(has_scheme("http://example.com"));
        assert!(has_scheme("file:///etc/passwd"));
        assert!(has_scheme("//example.com/x.yml"));
        assert!(!has_scheme("models/x.yml"));
        assert!(!has_scheme("#/components/schemas/a:b"));
        assert!(!has_scheme("../x.yml#/a"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%7E").as_deref(), Some("a b~"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%zz").as_deref(), Some("%zz"));
    }
}
