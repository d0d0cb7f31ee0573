//! Every naming decision of the generator: type, field, variant, method and module names.
//! Each function takes the name as the spec writes it (the wire name) and returns a legal,
//! idiomatic Rust identifier; callers keep both (the IR holds `wire` and `rust` side by side).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be used as identifiers (strict and reserved keywords of Rust 2021).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "try", "typeof", "unsized", "virtual", "yield",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// `create_namespace` -> `CreateNamespace`; `1-Click Applications` -> `N1ClickApplications`.
pub fn type_name(wire: &str) -> String {
    let mut name = wire.to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if is_keyword(&name) {
        name.push_str("Type");
    }
    name
}

/// `type` -> `type_`, `resultType` -> `result_type`, `1_clicks` -> `n1_clicks`,
/// `pg_stat_statements.track` -> `pg_stat_statements_track`.
pub fn field_name(wire: &str) -> String {
    let mut name = wire.to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// An enum variant for a string value: `nyc1` -> `Nyc1`, `24h` -> `V24h`, `red*` -> `Red`.
pub fn variant_name(wire: &str) -> String {
    let mut name = wire.to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A value with its symbols spelled out as words, for a variant name that would otherwise
/// collide with another value's: `red*` -> `red star`, `a+b` -> `a plus b`.
pub fn spell_symbols(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 8);
    for c in wire.chars() {
        let word = match c {
            '*' => "star",
            '+' => "plus",
            '/' => "slash",
            ':' => "colon",
            '@' => "at",
            '#' => "hash",
            '%' => "percent",
            '&' => "and",
            '=' => "equals",
            '<' => "less",
            '>' => "greater",
            '!' => "not",
            '?' => "question",
            '~' => "tilde",
            '$' => "dollar",
            '^' => "caret",
            '|' => "pipe",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push(' ');
        out.push_str(word);
        out.push(' ');
    }
    out
}

/// The client method for an operation of a tag: the snake_case operationId without the tag's
/// own prefix. `functions_create_namespace` in `Functions` -> `create_namespace`;
/// `functionsAccessKey_update` -> `access_key_update`; `genai_list_agents` in
/// `GradientAI Platform` -> `genai_list_agents`.
pub fn method_name(operation_id: &str, tag: &str) -> String {
    let full = field_name(operation_id);
    // `floatingIPs_list` is `floating_i_ps_list` in snake case, while the tag's module is
    // `floating_ips`; `inference_create_batch` in `Batch Inference` has a prefix whose words
    // are all the tag's.
    let module = tag_module(tag);
    let own = operation_id.split('_').next().map(field_name).unwrap_or_default();
    let singular = |w: &str| w.trim_end_matches('s').to_owned();
    let tag_words: Vec<String> = module.split('_').map(singular).collect();
    let own_in_tag = !own.is_empty() && own.split('_').all(|w| tag_words.contains(&singular(w)));
    let mut prefixes = vec![format!("{module}_"), format!("{}_", field_name(tag))];
    if own_in_tag {
        prefixes.push(format!("{own}_"));
    }
    for prefix in prefixes {
        match full.strip_prefix(&prefix) {
            Some(rest) if !rest.is_empty() && !is_keyword(rest) && !rest.starts_with(|c: char| c.is_ascii_digit()) => {
                return rest.to_owned();
            }
            _ => {}
        }
    }
    full
}

/// The module, accessor and cargo feature of a tag: its words in lower case, joined by `_`.
/// `Functions` -> `functions`, `Block Storage` -> `block_storage`, `Floating IPs` ->
/// `floating_ips`, `1-Click Applications` -> `n1_click_applications`.
pub fn tag_module(tag: &str) -> String {
    let words: Vec<String> =
        tag.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
    field_name(&words.join("_"))
}

/// The first of `candidates` not in `taken`, else the first candidate followed by `separator`
/// and the lowest number from 2 that is free (`Name2`, `name_2`, `name-2`); the name returned
/// is added to `taken`. The one way the generator makes a name unique.
pub fn claim_in(taken: &mut BTreeSet<String>, candidates: impl IntoIterator<Item = String>, separator: &str) -> String {
    let mut base = None;
    for candidate in candidates {
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        base.get_or_insert(candidate);
    }
    let base = base.unwrap_or_default();
    let mut n = 2usize;
    loop {
        let name = format!("{base}{separator}{n}");
        if taken.insert(name.clone()) {
            return name;
        }
        n += 1;
    }
}

/// Hands out unique type names: the first free candidate, else the first candidate with a number.
#[derive(Debug, Default)]
pub struct Registry {
    taken: BTreeSet<String>,
}

impl Registry {
    /// The first candidate not taken yet, else the first candidate with the lowest number from 2
    /// that is free (`Name2`); the name returned is taken. No candidates: `Unnamed`.
    pub fn claim(&mut self, candidates: &[String]) -> String {
        if candidates.is_empty() {
            return claim_in(&mut self.taken, ["Unnamed".to_owned()], "");
        }
        claim_in(&mut self.taken, candidates.iter().cloned(), "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_keywords_and_odd_names_become_legal_identifiers() {
        assert_eq!(field_name("type"), "type_");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("match"), "match_");
        assert_eq!(field_name("resultType"), "result_type");
        assert_eq!(field_name("1_clicks"), "n1_clicks");
        assert_eq!(field_name("pg_stat_statements.track"), "pg_stat_statements_track");
        assert_eq!(type_name("create_namespace"), "CreateNamespace");
        assert_eq!(type_name("nfs_action-2"), "NfsAction2");
        assert_eq!(type_name("1-Click Applications"), "N1ClickApplications");
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(variant_name("24h"), "V24h");
        assert_eq!(variant_name("off"), "Off");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name(&spell_symbols("red*")), "RedStar");
        assert_eq!(variant_name(&spell_symbols("c++/x")), "CPlusPlusSlashX");
    }

    #[test]
    fn a_taken_name_gets_the_first_free_candidate_then_the_lowest_free_number() {
        let mut taken: BTreeSet<String> = ["Droplet", "Droplet2", "name"].map(String::from).into();
        let candidates = || ["Droplet".to_owned(), "ListDroplet".to_owned()];
        assert_eq!(claim_in(&mut taken, candidates(), ""), "ListDroplet");
        assert_eq!(claim_in(&mut taken, candidates(), ""), "Droplet3");
        assert_eq!(claim_in(&mut taken, candidates(), ""), "Droplet4");
        assert_eq!(claim_in(&mut taken, ["name".to_owned()], "_"), "name_2");
        assert_eq!(claim_in(&mut taken, ["fresh".to_owned()], "-"), "fresh");
        assert_eq!(claim_in(&mut taken, ["fresh".to_owned()], "-"), "fresh-2");
        assert!(taken.contains("Droplet4") && taken.contains("fresh-2"));
        assert_eq!(Registry::default().claim(&[]), "Unnamed");
    }

    #[test]
    fn method_names_drop_the_tag_prefix_only() {
        assert_eq!(method_name("functions_create_namespace", "Functions"), "create_namespace");
        assert_eq!(method_name("functionsAccessKey_update", "Functions"), "access_key_update");
        assert_eq!(method_name("genai_list_agents", "GradientAI Platform"), "genai_list_agents");
        assert_eq!(method_name("droplets_list", "Droplets"), "list");
        assert_eq!(method_name("floatingIPs_list", "Floating IPs"), "list");
        assert_eq!(method_name("inference_create_batch", "Batch Inference"), "create_batch");
        assert_eq!(method_name("inference_list_models", "Serverless Inference"), "list_models");
        assert_eq!(method_name("volumes_list", "Block Storage"), "volumes_list");
        assert_eq!(tag_module("Floating IPs"), "floating_ips");
        assert_eq!(tag_module("Reserved IPv6 Actions"), "reserved_ipv6_actions");
        assert_eq!(tag_module("1-Click Applications"), "n1_click_applications");
        assert_eq!(tag_module("GradientAI Platform"), "gradientai_platform");
    }

    #[test]
    fn registry_falls_back_to_next_candidate_then_numbers() {
        let mut names = Registry::default();
        let c = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names.claim(&c(&["AccessKeyCreateResponse"])), "AccessKeyCreateResponse");
        assert_eq!(names.claim(&c(&["AccessKeyCreateResponse", "AccessKeyCreateBody"])), "AccessKeyCreateBody");
        assert_eq!(names.claim(&c(&["AccessKeyCreateResponse"])), "AccessKeyCreateResponse2");
    }
}
