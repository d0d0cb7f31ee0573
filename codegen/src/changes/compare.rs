//! The comparison itself: operations by id, types by name or origin, and inside them
//! parameters, fields and variants, each change classified by the rules in the report's legend.

use std::collections::BTreeMap;

use super::{Action, Area, Change, Class};
use crate::manifest::{Kind, Manifest, Operation, Param, Type, UnionVariant, Wire};

/// Every change from `old` to `new`, unsorted.
pub fn changes(old: &Manifest, new: &Manifest) -> Vec<Change> {
    let mut out = Vec::new();
    let pairs = pair_types(old, new);
    let renames: BTreeMap<String, String> =
        pairs.paired.iter().filter(|(o, n)| o.name != n.name).map(|(o, n)| (o.name.clone(), n.name.clone())).collect();
    let cx = Cx { renames };
    operations(&cx, old, new, &mut out);
    for t in &pairs.removed {
        let class = Class::Breaking;
        out.push(type_change(class, t, Action::Removed, format!("`models::{}`", t.name), wire_name(&t.origin), "removed".into()));
    }
    for t in &pairs.added {
        let what = format!("added ({})", t.kind.as_str());
        out.push(type_change(Class::Additive, t, Action::Added, format!("`models::{}`", t.name), wire_name(&t.origin), what));
    }
    for (o, n) in &pairs.paired {
        type_pair(&cx, o, n, &mut out);
    }
    out
}

/// What the comparison of two types needs from the whole.
struct Cx {
    /// Old type name → new type name, for types renamed.
    renames: BTreeMap<String, String>,
}

impl Cx {
    /// An old Rust type with renamed types written under their new names.
    fn renamed(&self, ty: &str) -> String {
        let mut out = String::new();
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            out.push_str(self.renames.get(word.as_str()).unwrap_or(word));
            word.clear();
        };
        for c in ty.chars() {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }

    fn same_type(&self, old: &str, new: &str) -> bool {
        self.renamed(old) == new
    }
}

struct Pairs<'a> {
    paired: Vec<(&'a Type, &'a Type)>,
    removed: Vec<&'a Type>,
    added: Vec<&'a Type>,
}

/// Old and new types paired: same name and origin; else same origin (a rename); else same
/// name (the schema moved).
fn pair_types<'a>(old: &'a Manifest, new: &'a Manifest) -> Pairs<'a> {
    let mut olds: Vec<&Type> = old.types.iter().collect();
    let mut news: Vec<&Type> = new.types.iter().collect();
    let mut paired = Vec::new();
    let steps: [fn(&Type, &Type) -> bool; 3] =
        [|o, n| o.name == n.name && o.origin == n.origin, |o, n| o.origin == n.origin, |o, n| o.name == n.name];
    for (step, matches) in steps.iter().enumerate() {
        let mut left = Vec::new();
        for o in olds {
            let candidates: Vec<usize> = (0..news.len()).filter(|&i| matches(o, news[i])).collect();
            // A rename needs one candidate only, so that two schemas at one origin are not guessed at.
            match candidates.as_slice() {
                [i] => paired.push((o, news.remove(*i))),
                [i, ..] if step != 1 => paired.push((o, news.remove(*i))),
                _ => left.push(o),
            }
        }
        olds = left;
    }
    Pairs { paired, removed: olds, added: news }
}

fn type_change(class: Class, t: &Type, action: Action, rust: String, wire: String, what: String) -> Change {
    Change { class, area: Area::Type, subject: t.name.clone(), action, rust, wire, what }
}

/// A schema's place in the spec, readably: a component's key and the property path
/// (`droplet.size_slug`, `droplet.tags[]`); an inline schema under its operation
/// (`PUT /v2/things/{id} body.config`) or its component (`responses/list_teams.teams`).
pub fn wire_name(origin: &str) -> String {
    let segments: Vec<String> = origin.split('/').skip(1).map(crate::load::pointer::unescape).collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    // The schema's own place, then the path inside it.
    let (base, rest): (String, &[&str]) = match segments.as_slice() {
        ["components", "schemas", name, rest @ ..] => ((*name).to_owned(), rest),
        ["components", section, name, "content", _, "schema", rest @ ..] => (format!("{section}/{name}"), rest),
        ["components", section, name, "schema", rest @ ..] => (format!("{section}/{name}"), rest),
        ["paths", path, method, "requestBody", "content", _, "schema", rest @ ..] => {
            (format!("{} {path} body", method.to_uppercase()), rest)
        }
        ["paths", path, method, "responses", status, "content", _, "schema", rest @ ..] => {
            (format!("{} {path} {status}", method.to_uppercase()), rest)
        }
        ["paths", path, method, "parameters", index, "schema", rest @ ..] => {
            (format!("{} {path} parameter {index}", method.to_uppercase()), rest)
        }
        _ => (origin.to_owned(), &[]),
    };
    let mut out = base;
    let mut rest = rest;
    while let Some((first, tail)) = rest.split_first() {
        match (*first, tail.first()) {
            ("properties", Some(name)) => {
                out.push('.');
                out.push_str(name);
                rest = &tail[1..];
                continue;
            }
            ("items", _) => out.push_str("[]"),
            ("additionalProperties", _) => out.push_str(".*"),
            (other, _) => {
                out.push('/');
                out.push_str(other);
            }
        }
        rest = tail;
    }
    code(&out)
}

/// `wire_name` with a member appended (`droplet.size_slug`).
fn wire_member(origin: &str, member: &str) -> String {
    let base = wire_name(origin);
    format!("{}.{}`", base.trim_end_matches('`'), member.replace('`', "'"))
}

fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

fn call(op: &Operation) -> String {
    format!("`client.{}()`", op.rust)
}

fn endpoint(op: &Operation) -> String {
    format!("`{} {}` (`{}`)", op.http_method, op.path, op.id)
}

fn operations(cx: &Cx, old: &Manifest, new: &Manifest, out: &mut Vec<Change>) {
    let olds: BTreeMap<&str, &Operation> = old.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let news: BTreeMap<&str, &Operation> = new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    for (id, op) in &olds {
        if !news.contains_key(id) {
            out.push(op_change(Class::Breaking, op, Action::Removed, call(op), "removed".into()));
        }
    }
    for (id, op) in &news {
        match olds.get(id) {
            None => out.push(op_change(Class::Additive, op, Action::Added, call(op), "added".into())),
            Some(o) => operation_pair(cx, o, op, out),
        }
    }
}

fn op_change(class: Class, op: &Operation, action: Action, rust: String, what: String) -> Change {
    Change { class, area: Area::Operation, subject: op.id.clone(), action, rust, wire: endpoint(op), what }
}

/// Every change between two versions of one operation, part by part (group and feature, HTTP
/// line, parameters, body, answer, events, pagination), in the order the report lists them.
fn operation_pair(cx: &Cx, o: &Operation, n: &Operation, out: &mut Vec<Change>) {
    let mut push = |class: Class, rust: String, what: String| out.push(op_change(class, n, Action::Changed, rust, what));
    // An operation that moves to another tag changes its group and its feature: one change.
    match (o.rust != n.rust, o.feature != n.feature) {
        (true, true) => push(
            Class::Breaking,
            call(o),
            format!("moved to {} (tag {} → {}, feature {} → {})", call(n), code(&o.tag), code(&n.tag), code(&o.feature), code(&n.feature)),
        ),
        (true, false) => push(Class::Breaking, call(o), format!("renamed {} → {}", call(o), call(n))),
        (false, true) => push(Class::Breaking, call(n), format!("moved from feature {} to {}", code(&o.feature), code(&n.feature))),
        (false, false) => {}
    }
    let behaviour = [
        ("HTTP method", &o.http_method, &n.http_method),
        ("path", &o.path, &n.path),
        ("server", &o.server, &n.server),
        ("credential", &o.auth, &n.auth),
        ("tag", &o.tag, &n.tag),
    ];
    let moved = o.feature != n.feature;
    for (what, a, b) in behaviour {
        // A new tag is part of the move above.
        if a != b && !(moved && what == "tag") {
            push(Class::Behaviour, call(n), format!("{what} {} → {}", code(a), code(b)));
        }
    }
    if o.deprecated != n.deprecated {
        let what = if n.deprecated { "now deprecated (`#[deprecated]`)" } else { "no longer deprecated" };
        push(Class::Behaviour, call(n), what.into());
    }
    params(cx, o, n, &mut push);
    body_pair(cx, o, n, &mut push);
    answer_pair(cx, o, n, &mut push);
    events_pair(cx, o, n, &mut push);
    pagination_pair(cx, o, n, &mut push);
}

/// The request body: added, removed, chained or not, retyped, another media type.
fn body_pair(cx: &Cx, o: &Operation, n: &Operation, push: &mut impl FnMut(Class, String, String)) {
    match (&o.body, &n.body) {
        (None, Some(b)) if b.chained => {
            push(Class::Additive, call(n), format!("request body added (optional: a new chained `body({})`)", b.rust_type))
        }
        (None, Some(b)) => push(Class::Breaking, call(n), format!("request body added (a new `body: {}` argument)", b.rust_type)),
        (Some(_), None) => push(Class::Breaking, call(n), "request body removed (no `body` any more)".into()),
        (Some(a), Some(b)) => {
            if a.chained != b.chained {
                let how = |chained: bool| if chained { "chained (`.body(..)`)" } else { "an argument" };
                push(Class::Breaking, call(n), format!("the body is {}, was {}", how(b.chained), how(a.chained)));
            }
            if !cx.same_type(&a.rust_type, &b.rust_type) {
                push(Class::Breaking, call(n), format!("body retyped {} → {}", code(&a.rust_type), code(&b.rust_type)));
            }
            if a.media != b.media {
                push(Class::Behaviour, call(n), format!("body media type {} → {}", code(&a.media), code(&b.media)));
            }
        }
        (None, None) => {}
    }
}

/// The answer: retyped, or another media type.
fn answer_pair(cx: &Cx, o: &Operation, n: &Operation, push: &mut impl FnMut(Class, String, String)) {
    let (a, b) = (&o.response, &n.response);
    if !cx.same_type(&a.rust_type, &b.rust_type) {
        push(Class::Breaking, call(n), format!("returns {} instead of {}", code(&b.rust_type), code(&a.rust_type)));
    } else if a.media != b.media {
        let media = |m: &Option<String>| code(m.as_deref().unwrap_or("application/json"));
        push(Class::Behaviour, call(n), format!("answer media type {} → {}", media(&a.media), media(&b.media)));
    }
}

/// The event stream: added, removed, renamed, retyped, read another way.
fn events_pair(cx: &Cx, o: &Operation, n: &Operation, push: &mut impl FnMut(Class, String, String)) {
    match (&o.events, &n.events) {
        (None, Some(e)) => {
            push(Class::Additive, format!("`client.{}()`", e.rust), format!("event stream added (events {})", code(&e.rust_type)))
        }
        (Some(e), None) => push(Class::Breaking, format!("`client.{}()`", e.rust), "event stream removed".into()),
        (Some(a), Some(b)) => {
            let rust = format!("`client.{}()`", b.rust);
            if a.rust != b.rust {
                push(Class::Breaking, rust.clone(), format!("event stream renamed from `client.{}()`", a.rust));
            }
            if !cx.same_type(&a.rust_type, &b.rust_type) {
                push(Class::Breaking, rust.clone(), format!("events {} instead of {}", code(&b.rust_type), code(&a.rust_type)));
            }
            if (a.sets_stream, a.ends_with_done) != (b.sets_stream, b.ends_with_done) {
                let how =
                    |e: &crate::manifest::Events| format!("stream member set: {}, ends with [DONE]: {}", e.sets_stream, e.ends_with_done);
                push(Class::Behaviour, rust, format!("{} → {}", how(a), how(b)));
            }
        }
        (None, None) => {}
    }
}

/// Walking the pages: added, removed (with the generator's reason), other items, another style.
fn pagination_pair(cx: &Cx, o: &Operation, n: &Operation, push: &mut impl FnMut(Class, String, String)) {
    let walk = |op: &Operation| format!("`client.{}(..).stream()` / `.pages()`", op.rust);
    match (&o.pagination, &n.pagination) {
        (None, Some(p)) => push(Class::Additive, walk(n), format!("pagination added ({} style, items {})", p.style, code(&p.item_type))),
        (Some(_), None) => {
            // Say why: upstream may still page, and the generator only stopped recognising it.
            let why =
                n.unpaginated.as_deref().map(|r| format!(" (the generator no longer recognises the paging: {r})")).unwrap_or_default();
            push(Class::Breaking, walk(o), format!("pagination removed: no `.stream()`/`.pages()` any more{why}"))
        }
        (Some(a), Some(b)) => {
            if !cx.same_type(&a.item_type, &b.item_type) {
                push(Class::Breaking, walk(n), format!("items {} instead of {}", code(&b.item_type), code(&a.item_type)));
            }
            if (&a.style, &a.items) != (&b.style, &b.items) {
                push(
                    Class::Behaviour,
                    walk(n),
                    format!("walks {} style over `{}`, was {} style over `{}`", b.style, b.items, a.style, a.items),
                );
            }
        }
        (None, None) => {}
    }
}

fn params(cx: &Cx, o: &Operation, n: &Operation, push: &mut impl FnMut(Class, String, String)) {
    let key = |p: &Param| (p.location.clone(), p.wire.clone());
    let olds: BTreeMap<(String, String), &Param> = o.params.iter().map(|p| (key(p), p)).collect();
    let news: BTreeMap<(String, String), &Param> = n.params.iter().map(|p| (key(p), p)).collect();
    let rust_of = |op: &Operation, p: &Param| match p.chained {
        true => format!("`client.{}(..).{}()`", op.rust, p.rust),
        false => format!("{} argument `{}`", call(op), p.rust),
    };
    let wire_of = |p: &Param| format!("{} parameter `{}`", p.location, p.wire);
    for (k, p) in &olds {
        if !news.contains_key(k) {
            push(Class::Breaking, rust_of(o, p), format!("{} removed", wire_of(p)));
        }
    }
    for (k, p) in &news {
        let Some(old) = olds.get(k) else {
            let (class, why) = match p.chained {
                // An optional parameter is a new method of the builder: no call changes.
                true => (Class::Additive, format!("optional, {}; a new chained method", code(&p.rust_type))),
                false => (Class::Breaking, format!("a new argument, {}", code(&p.rust_type))),
            };
            push(class, rust_of(n, p), format!("{} added ({why})", wire_of(p)));
            continue;
        };
        if old.rust != p.rust {
            push(Class::Breaking, rust_of(n, p), format!("{} renamed `{}` → `{}`", wire_of(p), old.rust, p.rust));
        }
        if old.chained != p.chained {
            let how = |chained: bool| if chained { "a chained method" } else { "an argument" };
            push(Class::Breaking, rust_of(n, p), format!("{} is {}, was {}", wire_of(p), how(p.chained), how(old.chained)));
        }
        member_retyped(cx, (&old.rust_type, old.required, false), (&p.rust_type, p.required, false), &mut |class, what| {
            push(class, rust_of(n, p), format!("{} {what}", wire_of(p)))
        });
    }
    if o.args != n.args && o.args.iter().all(|a| n.args.contains(a)) && n.args.iter().all(|a| o.args.contains(a)) {
        push(Class::Breaking, call(n), format!("arguments reordered: ({}) → ({})", o.args.join(", "), n.args.join(", ")));
    }
}

/// A field or parameter present on both sides: (Rust type, required, nullable) old and new.
fn member_retyped(cx: &Cx, old: (&str, bool, bool), new: (&str, bool, bool), push: &mut impl FnMut(Class, String)) {
    let types = format!("{} → {}", code(old.0), code(new.0));
    let required = match (old.1, new.1) {
        (false, true) => Some("became required"),
        (true, false) => Some("became optional"),
        _ => None,
    };
    let nullable = match (old.2, new.2) {
        (false, true) => Some("became nullable"),
        (true, false) => Some("is no longer nullable"),
        _ => None,
    };
    if !cx.same_type(old.0, new.0) {
        let what = required.or(nullable).unwrap_or("retyped");
        push(Class::Breaking, format!("{what} ({types})"));
    } else if let Some(what) = required.or(nullable) {
        push(Class::Behaviour, format!("{what} on the wire (Rust type {} unchanged)", code(new.0)));
    }
}

fn type_pair(cx: &Cx, o: &Type, n: &Type, out: &mut Vec<Change>) {
    let item = format!("`models::{}`", n.name);
    let mut push = |class: Class, rust: String, wire: String, what: String| {
        out.push(type_change(class, n, Action::Changed, rust, wire, what));
    };
    let wire = wire_name(&n.origin);
    if o.name != n.name {
        push(Class::Breaking, format!("`models::{}`", o.name), wire.clone(), format!("renamed `models::{}` → {item}", o.name));
    }
    if o.kind != n.kind {
        push(Class::Breaking, item, wire, format!("kind `{}` → `{}`", o.kind.as_str(), n.kind.as_str()));
        return;
    }
    for (name, a, b) in
        [("Serialize", o.serialize, n.serialize), ("Deserialize", o.deserialize, n.deserialize), ("Default", o.default, n.default)]
    {
        if a && !b {
            push(Class::Breaking, item.clone(), wire.clone(), format!("no longer implements `{name}`"));
        } else if !a && b {
            push(Class::Additive, item.clone(), wire.clone(), format!("now implements `{name}`"));
        }
    }
    match n.kind {
        Kind::Struct => fields(cx, o, n, &mut push),
        Kind::Enum | Kind::IntEnum => variants(o, n, &mut push),
        Kind::Union | Kind::Answers => union_variants(cx, o, n, &mut push),
        Kind::Alias => {
            let (a, b) = (o.alias.as_deref().unwrap_or_default(), n.alias.as_deref().unwrap_or_default());
            if !cx.same_type(a, b) {
                push(Class::Breaking, item, wire, format!("alias of {} instead of {}", code(b), code(a)));
            }
        }
    }
}

/// Whether callers build values of the type (a request type) rather than only read them.
fn built_by_callers(t: &Type) -> bool {
    t.serialize
}

fn fields(cx: &Cx, o: &Type, n: &Type, push: &mut impl FnMut(Class, String, String, String)) {
    let olds: BTreeMap<&str, &crate::manifest::Field> = o.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
    let news: BTreeMap<&str, &crate::manifest::Field> = n.fields.iter().map(|f| (f.wire.as_str(), f)).collect();
    let rust = |f: &str| format!("`models::{}::{f}`", n.name);
    for (wire, f) in &olds {
        if !news.contains_key(wire) {
            push(Class::Breaking, rust(&f.rust), wire_member(&n.origin, wire), format!("field removed ({})", code(&f.rust_type)));
        }
    }
    // A map of extra properties can be left empty: it counts as optional.
    let added = |ty: &str, optional: bool| {
        let which = if optional { "optional" } else { "required" };
        // Structs are `#[non_exhaustive]`: callers build them with `new` and chained methods.
        let (class, why) = if !built_by_callers(n) {
            (Class::Additive, "only ever received".to_owned())
        } else if !optional {
            (Class::Breaking, format!("`models::{}::new` takes it", n.name))
        } else {
            (Class::Additive, "a new chained method; `new` is unchanged".to_owned())
        };
        (class, format!("{which} field added ({}; {why})", code(ty)))
    };
    for (wire, f) in &news {
        match olds.get(wire) {
            None => {
                let (class, what) = added(&f.rust_type, f.rust_type.starts_with("Option<"));
                push(class, rust(&f.rust), wire_member(&n.origin, wire), what);
            }
            Some(old) => {
                if old.rust != f.rust {
                    push(Class::Breaking, rust(&old.rust), wire_member(&n.origin, wire), format!("renamed `{}` → `{}`", old.rust, f.rust));
                }
                let mut retyped = |class: Class, what: String| push(class, rust(&f.rust), wire_member(&n.origin, wire), what);
                member_retyped(cx, (&old.rust_type, old.required, old.nullable), (&f.rust_type, f.required, f.nullable), &mut retyped);
            }
        }
    }
    let extra = "additional_properties";
    let wire = wire_member(&n.origin, "*");
    match (&o.additional, &n.additional) {
        (None, Some(ty)) => {
            let (class, what) = added(ty, true);
            push(class, rust(extra), wire, what);
        }
        (Some(ty), None) => push(Class::Breaking, rust(extra), wire, format!("field removed ({})", code(ty))),
        (Some(a), Some(b)) if !cx.same_type(a, b) => {
            push(Class::Breaking, rust(extra), wire, format!("retyped ({} → {})", code(a), code(b)))
        }
        _ => {}
    }
}

fn variants(o: &Type, n: &Type, push: &mut impl FnMut(Class, String, String, String)) {
    let olds: BTreeMap<&Wire, &str> = o.variants.iter().map(|v| (&v.wire, v.rust.as_str())).collect();
    let news: BTreeMap<&Wire, &str> = n.variants.iter().map(|v| (&v.wire, v.rust.as_str())).collect();
    let rust = |v: &str| format!("`models::{}::{v}`", n.name);
    let wire = |w: &Wire| format!("{} value {}", wire_name(&n.origin), code(&w.to_string()));
    for (w, v) in &olds {
        if !news.contains_key(w) {
            let after = n.catch_all.as_deref().map(|c| format!(" (it now decodes as `{c}`)")).unwrap_or_default();
            push(Class::Breaking, rust(v), wire(w), format!("value removed{after}"));
        }
    }
    for (w, v) in &news {
        match olds.get(w) {
            None => match &o.catch_all {
                Some(_) => {
                    let unknown = match w {
                        Wire::Text(text) => format!("Other({text:?})"),
                        Wire::Int(value) => format!("Other({value})"),
                    };
                    let what = format!("value added: the old crate decoded it as `{unknown}` (absorbed by the catch-all), which a `match` looking for it there no longer sees");
                    push(Class::Additive, rust(v), wire(w), what);
                }
                // Enums are `#[non_exhaustive]`: every `match` outside the crate has a `_` arm.
                None => push(Class::Additive, rust(v), wire(w), "value added".into()),
            },
            Some(old) if old != v => push(Class::Breaking, rust(old), wire(w), format!("variant renamed `{old}` → `{v}`")),
            Some(_) => {}
        }
    }
    if o.catch_all.is_some() && n.catch_all.is_none() {
        push(Class::Breaking, format!("`models::{}`", n.name), wire_name(&n.origin), "lost its catch-all variant".into());
    }
}

fn union_variants(cx: &Cx, o: &Type, n: &Type, push: &mut impl FnMut(Class, String, String, String)) {
    let by_tag = o.union_tag.is_some() && n.union_tag.is_some() || n.kind == Kind::Answers;
    let key = |v: &UnionVariant| if by_tag { v.tag.clone().unwrap_or_default() } else { v.rust.clone() };
    let olds: BTreeMap<String, &UnionVariant> = o.union_variants.iter().map(|v| (key(v), v)).collect();
    let news: BTreeMap<String, &UnionVariant> = n.union_variants.iter().map(|v| (key(v), v)).collect();
    let rust = |v: &str| format!("`models::{}::{v}`", n.name);
    let wire = |v: &UnionVariant| match (&v.tag, n.kind) {
        (Some(tag), Kind::Answers) => format!("status {tag}"),
        (Some(tag), _) => format!("{} `{}: {tag}`", wire_name(&n.origin), n.union_tag.as_deref().unwrap_or_default()),
        (None, _) => format!("{} alternative {}", wire_name(&n.origin), code(&v.rust_type)),
    };
    for (k, v) in &olds {
        if !news.contains_key(k) {
            push(Class::Breaking, rust(&v.rust), wire(v), format!("variant removed ({})", code(&v.rust_type)));
        }
    }
    for (k, v) in &news {
        let Some(old) = olds.get(k) else {
            // Unions are `#[non_exhaustive]`: every `match` outside the crate has a `_` arm.
            push(Class::Additive, rust(&v.rust), wire(v), format!("variant added ({})", code(&v.rust_type)));
            continue;
        };
        if old.rust != v.rust {
            push(Class::Breaking, rust(&old.rust), wire(v), format!("variant renamed `{}` → `{}`", old.rust, v.rust));
        }
        if !cx.same_type(&old.rust_type, &v.rust_type) {
            push(Class::Breaking, rust(&v.rust), wire(v), format!("variant retyped ({} → {})", code(&old.rust_type), code(&v.rust_type)));
        }
        if !by_tag && old.tag != v.tag {
            let tag = |t: &Option<String>| code(t.as_deref().unwrap_or("none"));
            push(Class::Behaviour, rust(&v.rust), wire(v), format!("tag value {} → {}", tag(&old.tag), tag(&v.tag)));
        }
    }
    if o.union_tag != n.union_tag {
        let tag = |t: &Option<String>| t.as_deref().map(code).unwrap_or_else(|| "none (untagged)".into());
        let what = format!("discriminating property {} → {}", tag(&o.union_tag), tag(&n.union_tag));
        push(Class::Behaviour, format!("`models::{}`", n.name), wire_name(&n.origin), what);
    }
}

#[cfg(test)]
mod tests {
    use super::wire_name;

    #[test]
    fn wire_names_read_like_the_spec() {
        assert_eq!(wire_name("/components/schemas/droplet/properties/networks/properties/v4/items"), "`droplet.networks.v4[]`");
        assert_eq!(
            wire_name("/components/responses/list_teams/content/application~1json/schema/properties/teams"),
            "`responses/list_teams.teams`"
        );
        assert_eq!(wire_name("/components/parameters/kubernetes_credentials_type/schema"), "`parameters/kubernetes_credentials_type`");
        let body = "/paths/~1v2~1things~1{id}/put/requestBody/content/application~1json/schema/properties/config";
        assert_eq!(wire_name(body), "`PUT /v2/things/{id} body.config`");
        assert_eq!(wire_name("/paths/~1v2~1things/get/parameters/3/schema/items"), "`GET /v2/things parameter 3[]`");
        assert_eq!(wire_name("/paths/~1v2~1things/get/responses/200/content/application~1json/schema"), "`GET /v2/things 200`");
        assert_eq!(wire_name("/elsewhere"), "`/elsewhere`");
    }
}
