//! Applying overlays to the bundled document.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{error, kind, Action, Applied, Change, Overlay};
use crate::error::Result;
use crate::load::pointer;

/// One step of a matched node's location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

/// Applies `overlays` to `doc`, in the order given (each action on the document the previous one
/// left), and says what each action changed. On an error the document may be half changed:
/// callers drop it.
///
/// An action whose target matches nothing is stale (the spec changed under it): the others
/// are still applied, and the error names every stale action at once and how to go on.
pub fn apply(doc: &mut Value, overlays: &[Overlay]) -> Result<Vec<Applied>> {
    let mut log = Vec::new();
    let mut stale: Vec<(&Overlay, usize, &str)> = Vec::new();
    for overlay in overlays {
        for (i, action) in overlay.actions.iter().enumerate() {
            match apply_action(doc, overlay, i + 1, action)? {
                Some(applied) => log.push(applied),
                None => stale.push((overlay, i + 1, action.target.as_str())),
            }
        }
    }
    let Some(&(first, number, target)) = stale.first() else { return Ok(log) };
    let mut message =
        String::from("the target matches nothing in the bundled document (targets address the document `cargo xtask bundle` writes)");
    for (overlay, number, target) in &stale[1..] {
        message.push_str(&format!("; also stale: {}: action {number} (target `{target}`)", overlay.path.display()));
    }
    message.push_str(
        ". The spec changed under the overlay: fix the target, or retire the action (or its file) if upstream now \
         says what it corrected; to go on without an overlay meanwhile, set DO_OPENAPI_OVERLAYS to a folder without it",
    );
    Err(error(&first.path, Some(number), Some(target), message))
}

/// Applies one action and says what it changed; `None` when its target matches nothing.
fn apply_action(doc: &mut Value, overlay: &Overlay, number: usize, action: &Action) -> Result<Option<Applied>> {
    let fail = |message: String| error(&overlay.path, Some(number), Some(&action.target), message);
    let mut seen = BTreeSet::new();
    let mut matched: Vec<Vec<Step>> = Vec::new();
    for node in action.path.query_located(doc).iter() {
        let steps: Vec<Step> = node
            .location()
            .iter()
            .map(|step| match step.as_index() {
                Some(i) => Step::Index(i),
                None => Step::Name(step.as_name().unwrap_or_default().to_owned()),
            })
            .collect();
        if seen.insert(steps.clone()) {
            matched.push(steps);
        }
    }
    if matched.is_empty() {
        return Ok(None);
    }
    let pointers: Vec<String> = matched.iter().map(|steps| pointer_of(steps)).collect();
    match &action.change {
        Change::Remove => {
            // Children before their parents, and the last items of an array first, so that every
            // location stays valid until it is removed.
            let mut order = matched;
            order.sort();
            for steps in order.iter().rev() {
                remove(doc, steps).map_err(&fail)?;
            }
        }
        Change::Update(update) => {
            for steps in &matched {
                let at = pointer_of(steps);
                let node = node_mut(doc, steps).ok_or_else(|| fail(format!("`{at}` is gone (an earlier match replaced it)")))?;
                merge_into(node, update, &at).map_err(&fail)?;
            }
        }
    }
    Ok(Some(Applied {
        file: overlay.name.clone(),
        title: overlay.title.clone(),
        action: number,
        description: action.description.clone(),
        target: action.target.clone(),
        kind: match action.change {
            Change::Update(_) => "update",
            Change::Remove => "remove",
        },
        pointers,
    }))
}

fn pointer_of(steps: &[Step]) -> String {
    steps.iter().fold(String::new(), |at, step| match step {
        Step::Name(name) => pointer::push(&at, name),
        Step::Index(i) => pointer::push_index(&at, *i),
    })
}

fn node_mut<'a>(doc: &'a mut Value, steps: &[Step]) -> Option<&'a mut Value> {
    steps.iter().try_fold(doc, |node, step| match (node, step) {
        (Value::Object(map), Step::Name(name)) => map.get_mut(name),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

fn remove(doc: &mut Value, steps: &[Step]) -> Result<(), String> {
    let Some((last, parent)) = steps.split_last() else {
        return Err("the target matches the whole document, which cannot be removed".into());
    };
    let removed = match (node_mut(doc, parent), last) {
        (Some(Value::Object(map)), Step::Name(name)) => map.shift_remove(name).is_some(),
        (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
            items.remove(*i);
            true
        }
        _ => false,
    };
    if removed {
        Ok(())
    } else {
        Err(format!("`{}` is gone (an earlier match removed it)", pointer_of(steps)))
    }
}

/// Overlay 1.0's update of one matched node: an object is merged into an object, anything is
/// appended to an array; other targets have no update.
fn merge_into(node: &mut Value, update: &Value, at: &str) -> Result<(), String> {
    match (node, update) {
        (Value::Object(target), Value::Object(members)) => {
            merge_members(target, members);
            Ok(())
        }
        (Value::Array(items), value) => {
            items.push(value.clone());
            Ok(())
        }
        (Value::Object(_), other) => Err(format!(
            "the update is {} but the target matches an object at `{at}`, which only an object can update (merged into it)",
            kind(other)
        )),
        (scalar, _) => Err(format!(
            "the target matches {} at `{at}`; Overlay 1.0 updates only objects (merged) and arrays (appended to): \
             to replace a value, target the object that holds it and update that member",
            kind(scalar)
        )),
    }
}

/// Members of `update` replace those of `target` with the same name (an object onto an object is
/// merged, recursively); new members are appended, in the update's order.
fn merge_members(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(members)) => merge_members(inner, members),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::path::Path;

    fn overlay(actions: &str) -> Overlay {
        let text = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}");
        Overlay::parse(&text, Path::new("t.yaml")).unwrap()
    }

    fn applied(doc: &mut Value, actions: &str) -> Result<Vec<Applied>> {
        apply(doc, &[overlay(actions)])
    }

    #[test]
    fn objects_merge_recursively_and_keep_member_order() {
        let mut doc = json!({"a": {"x": 1, "deep": {"k": 1, "list": [1]}, "y": 2}});
        let log = applied(&mut doc, "  - target: $.a\n    update: {deep: {list: [2], n: 3}, x: 9, z: 0}\n").unwrap();
        assert_eq!(doc, json!({"a": {"x": 9, "deep": {"k": 1, "list": [2], "n": 3}, "y": 2, "z": 0}}));
        let keys: Vec<&String> = doc["a"].as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["x", "deep", "y", "z"]);
        assert_eq!(log[0].pointers, ["/a"]);
        assert_eq!(log[0].kind, "update");
    }

    #[test]
    fn arrays_get_the_update_appended() {
        let mut doc = json!({"a": [1, 2]});
        applied(&mut doc, "  - target: $.a\n    update: {b: 3}\n").unwrap();
        assert_eq!(doc, json!({"a": [1, 2, {"b": 3}]}));
    }

    #[test]
    fn removing_many_matches_removes_each_once_children_first() {
        let mut doc = json!({"d": 5, "a": [{"d": 1, "k": {"d": 2}}, {"d": 3}, 4], "b": {"c": 6}});
        let log = applied(&mut doc, "  - target: $..d\n    remove: true\n  - target: $.a[0,2]\n    remove: true\n").unwrap();
        assert_eq!(doc, json!({"a": [{}], "b": {"c": 6}}));
        let keys: Vec<&String> = doc.as_object().map(|m| m.keys().collect()).unwrap_or_default();
        assert_eq!(keys, ["a", "b"], "order kept");
        assert_eq!(log[1].pointers, ["/a/0", "/a/2"]);
        assert_eq!(log[0].pointers.len(), 4);
    }

    #[test]
    fn pointers_are_escaped() {
        let mut doc = json!({"paths": {"/v2/x": {"get~": 1}}});
        let log = applied(&mut doc, "  - target: \"$.paths['/v2/x']['get~']\"\n    remove: true\n").unwrap();
        assert_eq!(log[0].pointers, ["/paths/~1v2~1x/get~0"]);
    }

    #[test]
    fn scalar_targets_and_wrong_updates_are_errors() {
        let mut doc = json!({"s": "text", "o": {}});
        let scalar = applied(&mut doc, "  - target: $.s\n    update: {a: 1}\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(scalar.contains("matches a string at `/s`"), "{scalar}");
        let wrong = applied(&mut doc, "  - target: $.o\n    update: [1]\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(wrong.contains("the update is an array"), "{wrong}");
        let root = applied(&mut doc, "  - target: $\n    remove: true\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(root.contains("whole document"), "{root}");
    }
}
