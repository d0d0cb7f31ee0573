//! A body both clients decode, when rsdo decodes none made from the spec's examples (its types
//! are sometimes stricter than the spec, or wrong): the member rsdo fails on is left out of
//! every item, and again, until it decodes or gives up. The caller says which were left out.

use serde_json::Value;

use crate::cases::{Case, Step};

/// How many members may be left out before giving up.
const MAX_LEFT_OUT: usize = 12;

/// `body` with the members rsdo rejects left out of every item, and their paths inside an item
/// (`retrieval_method`, `model.agreement`); `None` when that does not make rsdo decode it.
pub fn fit(case: &Case, body: &[u8]) -> Option<(Vec<u8>, Vec<String>)> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let mut left_out = Vec::new();
    for _ in 0..=MAX_LEFT_OUT {
        let bytes = serde_json::to_vec(&value).ok()?;
        let Some(path) = (case.derive_locate)(&bytes) else {
            return (case.derive)(&bytes).is_ok().then_some((bytes, left_out));
        };
        let member = member_in_item(case, &path)?;
        if !leave_out(&mut value, case, member) {
            return None;
        }
        left_out.push(display(member));
    }
    None
}

/// The path inside an item, up to the last member named on it (an index below a member means
/// the member: the whole list goes). `None` when the failure is not inside an item.
fn member_in_item<'a>(case: &Case, path: &'a [Step]) -> Option<&'a [Step]> {
    let inside = match path {
        [Step::Key(subject), Step::Index(_), rest @ ..] if case.items.is_some() && subject == case.subject => rest,
        [Step::Key(subject), rest @ ..] if case.items.is_none() && subject == case.subject => rest,
        _ => return None,
    };
    let last_key = inside.iter().rposition(|s| matches!(s, Step::Key(_)))?;
    Some(&inside[..=last_key])
}

/// Removes the member at `member` from every item of the answer; whether any held it.
fn leave_out(answer: &mut Value, case: &Case, member: &[Step]) -> bool {
    let Some((Step::Key(last), parents)) = member.split_last() else { return false };
    let items: Vec<&mut Value> = match answer.get_mut(case.subject) {
        Some(Value::Array(list)) if case.items.is_some() => list.iter_mut().collect(),
        Some(item) if case.items.is_none() => vec![item],
        _ => return false,
    };
    let mut any = false;
    for item in items {
        let parent = parents.iter().try_fold(item, |node, step| match step {
            Step::Key(key) => node.get_mut(key.as_str()),
            Step::Index(i) => node.get_mut(*i),
        });
        if let Some(Value::Object(object)) = parent {
            any |= object.remove(last).is_some();
        }
    }
    any
}

fn display(member: &[Step]) -> String {
    let mut out = String::new();
    for step in member {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => out.push_str(&format!(".{key}")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
