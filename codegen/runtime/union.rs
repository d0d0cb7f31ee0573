//! How an untagged union (a `oneOf`/`anyOf` without a discriminator) decodes: the variant is
//! chosen on evidence in the value before any variant decodes it, because the generated structs
//! decode leniently (a missing required member takes its default) and so would accept almost
//! any object. In order:
//!
//! 1. the JSON kind (object, array, string, number, boolean);
//! 2. a tag: a member whose value is one of a closed set of strings in some variants (`type:
//!    tool_use`) rules out the variants whose set does not hold it;
//! 3. members only some variants have (`droplets` against `droplet`): the value goes to the
//!    variants that know every such member it carries;
//! 4. a strict match of the required members;
//! 5. only then the lenient pass: one variant left is taken even with required members missing.
//!
//! When no variant or more than one fits, decoding fails naming the union (the caller's error
//! adds the JSON path). A free-form variant (`Other`) takes a value no typed variant fits.

use serde_json::{Map, Value};

/// What a variant accepts, as the generator read it from the spec.
#[allow(dead_code)] // Which kinds a build uses depends on its features.
pub(crate) enum Shape {
    /// A struct: an object with these members.
    Object(Members),
    /// A map or a free-form object: any object.
    Map,
    /// An array of this.
    Array(&'static Shape),
    /// A string; a closed set of values (an enum, which still takes any string into its
    /// catch-all), or any string when empty.
    String(&'static [&'static str]),
    Integer,
    Number,
    Bool,
    /// Any JSON value (free-form, or a nested union that decides for itself).
    Any,
}

/// The members of a struct variant.
pub(crate) struct Members {
    /// Every member's wire name.
    pub(crate) known: &'static [&'static str],
    /// The members the spec requires (and does not allow to be `null`).
    pub(crate) required: &'static [&'static str],
    /// Members whose value is one of a closed set of strings: `(name, values)`.
    pub(crate) tags: &'static [(&'static str, &'static [&'static str])],
    /// Whether other members are collected too (`additionalProperties`).
    pub(crate) open: bool,
}

/// The index of the variant of `union` that `value` is, among `variants` (name and shape, in
/// the union's order), or why none is.
pub(crate) fn choose(union: &str, variants: &[(&str, Shape)], value: &Value) -> Result<usize, String> {
    let kind_fits: Vec<usize> = (0..variants.len()).filter(|&i| accepts(&variants[i].1, value)).collect();
    let chosen = match value {
        Value::Object(members) => object(variants, &kind_fits, members),
        Value::String(text) => Choice::from(
            first(&kind_fits, |i| matches!(&variants[i].1, Shape::String(v) if v.contains(&text.as_str())))
                .or_else(|| first(&kind_fits, |i| matches!(&variants[i].1, Shape::String(v) if v.is_empty())))
                .or_else(|| first(&kind_fits, |i| matches!(&variants[i].1, Shape::String(_))))
                .or_else(|| kind_fits.first().copied()),
        ),
        Value::Number(_) => Choice::from(
            first(&kind_fits, |i| matches!(variants[i].1, Shape::Integer))
                .or_else(|| first(&kind_fits, |i| matches!(variants[i].1, Shape::Number)))
                .or_else(|| kind_fits.first().copied()),
        ),
        _ => Choice::from(first(&kind_fits, |i| !matches!(variants[i].1, Shape::Any)).or_else(|| kind_fits.first().copied())),
    };
    match chosen {
        Choice::One(i) => Ok(i),
        Choice::None => Err(format!("{} fits no variant of `{union}`", describe(value))),
        Choice::Several(several) => {
            let names: Vec<&str> = several.iter().map(|&i| variants[i].0).collect();
            Err(format!(
                "{} fits more than one variant of `{union}` ({}): no tag or member tells them apart",
                describe(value),
                names.join(", ")
            ))
        }
    }
}

enum Choice {
    One(usize),
    None,
    Several(Vec<usize>),
}

impl From<Option<usize>> for Choice {
    fn from(index: Option<usize>) -> Self {
        index.map_or(Choice::None, Choice::One)
    }
}

fn first(candidates: &[usize], test: impl Fn(usize) -> bool) -> Option<usize> {
    candidates.iter().copied().find(|&i| test(i))
}

/// Steps 2 to 5 for an object.
fn object(variants: &[(&str, Shape)], kind_fits: &[usize], object: &Map<String, Value>) -> Choice {
    let members = |i: usize| match &variants[i].1 {
        Shape::Object(members) => Some(members),
        _ => None,
    };
    let mut typed: Vec<usize> = kind_fits.iter().copied().filter(|&i| members(i).is_some()).collect();
    let free = kind_fits.iter().copied().find(|&i| members(i).is_none());
    let present: Vec<(&String, &Value)> = object.iter().filter(|(_, v)| !v.is_null()).collect();

    // 2. Tags: where some variant's closed set holds the value, the others that have the
    // member as a tag are ruled out. A value no variant knows rules out none.
    for (key, value) in &present {
        let Some(text) = value.as_str() else { continue };
        let tag_of = |i: usize| members(i).and_then(|m| m.tags.iter().find(|(name, _)| name == key)).map(|(_, v)| *v);
        if typed.iter().any(|&i| tag_of(i).is_some_and(|values| values.contains(&text))) {
            typed.retain(|&i| tag_of(i).is_none_or(|values| values.contains(&text)));
        }
    }

    // 3. Members only some variants have: the value goes to the variants that know each of
    // them (open ones know any member); members of two different variants leave none.
    let after_tags = typed.clone();
    for (key, _) in &present {
        let knows = |i: usize| members(i).is_some_and(|m| m.known.contains(&key.as_str()));
        let knowing = after_tags.iter().filter(|&&i| knows(i)).count();
        if knowing > 0 && knowing < after_tags.len() {
            typed.retain(|&i| knows(i) || members(i).is_some_and(|m| m.open));
        }
    }
    if let [one] = typed[..] {
        // One variant left on evidence; the lenient pass takes it unless it knows nothing of the
        // value and a free-form variant can hold the value whole.
        let knows_any = present.iter().any(|(key, _)| members(one).is_some_and(|m| m.known.contains(&key.as_str())));
        return match free {
            Some(free) if !knows_any && !present.is_empty() => Choice::One(free),
            _ => Choice::One(one),
        };
    }

    // 4. A strict match of the required members.
    let strict: Vec<usize> = typed
        .iter()
        .copied()
        .filter(|&i| members(i).is_some_and(|m| m.required.iter().all(|r| object.get(*r).is_some_and(|v| !v.is_null()))))
        .collect();
    match strict[..] {
        [one] => return Choice::One(one),
        [] => {}
        _ => return Choice::Several(strict),
    }

    // 5. Nothing fits strictly: a free-form variant holds the value whole; else it is ambiguous.
    match (free, typed.is_empty()) {
        (Some(free), _) => Choice::One(free),
        (None, true) => Choice::None,
        (None, false) => Choice::Several(typed),
    }
}

/// Whether a value of this JSON kind can be this shape at all.
fn accepts(shape: &Shape, value: &Value) -> bool {
    match (shape, value) {
        (Shape::Any, _) => true,
        (Shape::Object(_) | Shape::Map, Value::Object(_)) => true,
        (Shape::Array(item), Value::Array(items)) => items.iter().all(|v| accepts(item, v)),
        (Shape::String(_), Value::String(_)) => true,
        (Shape::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (Shape::Number, Value::Number(_)) => true,
        (Shape::Bool, Value::Bool(_)) => true,
        _ => false,
    }
}

/// The value's kind for an error message (never the value itself: it may hold a secret).
fn describe(value: &Value) -> String {
    match value {
        Value::Object(members) if members.is_empty() => "an empty object".to_owned(),
        Value::Object(members) => {
            let keys: Vec<String> = members.keys().take(6).map(|k| format!("`{k}`")).collect();
            let more = if members.len() > 6 { ", ..." } else { "" };
            format!("an object with {}{more}", keys.join(", "))
        }
        Value::Array(_) => "an array".to_owned(),
        Value::String(_) => "a string".to_owned(),
        Value::Number(_) => "a number".to_owned(),
        Value::Bool(_) => "a boolean".to_owned(),
        Value::Null => "null".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SINGLE: Shape = Shape::Object(Members { known: &["droplet", "links"], required: &["droplet", "links"], tags: &[], open: false });
    const MULTIPLE: Shape =
        Shape::Object(Members { known: &["droplets", "links"], required: &["droplets", "links"], tags: &[], open: false });
    const DROPLETS: &[(&str, Shape)] = &[("Single", SINGLE), ("Multiple", MULTIPLE)];

    const TEXT: Shape =
        Shape::Object(Members { known: &["type", "text"], required: &["type", "text"], tags: &[("type", &["text"])], open: false });
    const TOOL_USE: Shape = Shape::Object(Members {
        known: &["type", "id", "name", "input"],
        required: &["type", "id", "name", "input"],
        tags: &[("type", &["tool_use"])],
        open: false,
    });
    const BLOCKS: &[(&str, Shape)] = &[("Text", TEXT), ("ToolUse", TOOL_USE)];

    #[test]
    fn a_member_only_one_variant_has_decides() {
        assert_eq!(choose("R", DROPLETS, &json!({"droplets": [], "links": {}})), Ok(1));
        assert_eq!(choose("R", DROPLETS, &json!({"droplet": {}, "links": {}})), Ok(0));
        // Evidence wins over a missing required member (the lenient pass fills it).
        assert_eq!(choose("R", DROPLETS, &json!({"droplets": []})), Ok(1));
    }

    #[test]
    fn a_tag_decides_even_when_required_members_are_missing() {
        assert_eq!(choose("B", BLOCKS, &json!({"type": "tool_use", "id": "t", "name": "f", "input": {}})), Ok(1));
        assert_eq!(choose("B", BLOCKS, &json!({"type": "text", "text": "hi"})), Ok(0));
        assert_eq!(choose("B", BLOCKS, &json!({"type": "tool_use"})), Ok(1));
    }

    #[test]
    fn no_evidence_or_conflicting_evidence_is_an_error_naming_the_union() {
        let error = choose("R", DROPLETS, &json!({"links": {}})).unwrap_err();
        assert_eq!(error, "an object with `links` fits more than one variant of `R` (Single, Multiple): no tag or member tells them apart");
        let error = choose("R", DROPLETS, &json!({"droplet": {}, "droplets": []})).unwrap_err();
        assert!(error.starts_with("an object with `droplet`, `droplets` fits no variant of `R`"), "{error}");
        // A tag value no variant knows, with nothing else to go on.
        let error = choose("B", BLOCKS, &json!({"type": "thinking", "thinking": "..."})).unwrap_err();
        assert!(error.contains("more than one variant of `B` (Text, ToolUse)"), "{error}");
        assert_eq!(choose("R", DROPLETS, &json!("x")).unwrap_err(), "a string fits no variant of `R`");
    }

    #[test]
    fn a_strict_match_of_the_required_members_decides_between_overlapping_variants() {
        let a = Shape::Object(Members { known: &["name", "size"], required: &["name", "size"], tags: &[], open: false });
        let b = Shape::Object(Members { known: &["name", "size"], required: &["name"], tags: &[], open: false });
        let variants = [("A", a), ("B", b)];
        assert_eq!(choose("U", &variants, &json!({"name": "n"})), Ok(1));
        assert!(choose("U", &variants, &json!({"name": "n", "size": 1})).unwrap_err().contains("(A, B)"));
    }

    #[test]
    fn a_free_form_variant_takes_what_no_typed_variant_knows() {
        let variants = [("Droplets", MULTIPLE), ("Other", Shape::Map)];
        assert_eq!(choose("U", &variants, &json!({"volumes": []})), Ok(1));
        assert_eq!(choose("U", &variants, &json!({"droplets": []})), Ok(0));
    }

    #[test]
    fn scalars_go_by_kind_and_closed_values() {
        let variants = [("Size", Shape::String(&["s-1"])), ("Deprecated", Shape::String(&["basic"])), ("Count", Shape::Integer)];
        assert_eq!(choose("U", &variants, &json!("basic")), Ok(1));
        assert_eq!(choose("U", &variants, &json!("s-1")), Ok(0));
        assert_eq!(choose("U", &variants, &json!("new-size")), Ok(0));
        assert_eq!(choose("U", &variants, &json!(3)), Ok(2));
        assert!(choose("U", &variants, &json!(3.5)).is_err());
        let lists = [("Text", Shape::String(&[])), ("Numbers", Shape::Array(&Shape::Number)), ("Words", Shape::Array(&Shape::String(&[])))];
        assert_eq!(choose("U", &lists, &json!(["a"])), Ok(2));
        assert_eq!(choose("U", &lists, &json!([1.5, 2])), Ok(1));
        assert_eq!(choose("U", &lists, &json!("a")), Ok(0));
    }
}
