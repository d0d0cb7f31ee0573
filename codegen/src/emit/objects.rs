//! A struct as text: one invocation of the runtime's `object!` (`runtime/object.rs`), which
//! declares the fields with their wire names once and says how each member is read and
//! written; the macro writes the serde impls. Written as text, not tokens: prettyplease would
//! fill a macro's body like a paragraph (and formatting is most of codegen's time).

use super::docs::{doc_lines, push_docs};
use super::models::Context;
use super::{ident, Scope};
use crate::ir::{Field, Struct, TypeDef, TypeKind, TypeRef, Usage};
use crate::surface::types::type_text;

/// How a struct field decodes when its member is absent (or `null`).
#[derive(Clone, Copy)]
enum Read {
    /// `None`.
    Optional,
    /// Its type's default.
    Defaulted,
    /// It fails the struct, unless `fill`: a struct read from `{}`.
    Required { fill: bool },
}

impl Context<'_> {
    /// The text of a struct's `object!` invocation, behind the type's feature gate.
    ///
    /// A struct that derives `Default` and has no field an answer must carry is read straight
    /// into its default value (`direct`); another gets a slot per field, and is built at the
    /// end (`slots`). A write-only member is skipped when an answer is decoded (left `None`),
    /// and read otherwise, so that a request read back from a file keeps it.
    pub(super) fn object(&self, def: &TypeDef, s: &Struct) -> String {
        let reads: Vec<Read> = s.fields.iter().map(|f| self.read(def, f)).collect();
        let defaults = self.facts.implements_default(def);
        let direct = defaults && !reads.iter().any(|r| matches!(r, Read::Required { .. }));
        let mut out = cfg_text(def.usage.features.keys());
        out.push_str("crate::runtime::object! {\n");
        push_docs(&mut out, "    ", def.docs.as_deref().map(doc_lines).unwrap_or_default());
        if defaults {
            out.push_str("    #[derive(Default)]\n");
        }
        let mode = if direct { "direct" } else { "slots" };
        out.push_str(&format!("    pub struct {}: {}, {mode} {{\n", def.name, direction(&def.usage)));
        for (f, read) in s.fields.iter().zip(reads) {
            push_docs(&mut out, "        ", field_docs(f, def.usage.request));
            if f.deprecated {
                out.push_str("        #[deprecated]\n");
            }
            let ty = type_text(crate::surface::types::field_type(&self.facts, def, f, Scope::Models));
            let wire = proc_macro2::Literal::string(&f.wire);
            out.push_str(&format!("        pub {}: {ty} = {wire} ({}, {}),\n", ident(&f.rust), read_kind(f, read), write_kind(f)));
        }
        if let Some(ty) = &s.additional {
            out.push_str(&format!(
                "        ..additional_properties: {},\n",
                type_text(crate::surface::types::additional_type(ty, Scope::Models))
            ));
        }
        out.push_str("    }\n}\n");
        out
    }

    /// How a field of `def` is decoded when its member is absent.
    fn read(&self, def: &TypeDef, f: &Field) -> Read {
        // A subject (other than a list) is required even where its type has a default: an
        // answer without it is an error, not a default standing in for it.
        let list = matches!(f.ty, TypeRef::Vec(_));
        let subject = f.subject && !list;
        if f.optional() {
            Read::Optional
        } else if def.usage.response && !subject && self.facts.field_has_default(&f.ty) {
            Read::Defaulted
        } else {
            // A struct without a default (one also sent, with required members) that an
            // answer leaves out is read from `{}`; not a union (no variant without evidence),
            // nor a struct in its own cycle.
            let fill = def.usage.response
                && !subject
                && !list
                && !self.facts.is_boxed(def, f)
                && matches!(&f.ty, TypeRef::Named(n) if matches!(self.facts.types().get(n).map(|d| &d.kind), Some(TypeKind::Struct(_))));
            Read::Required { fill }
        }
    }
}

/// The read kind of `object!` (see `runtime/object.rs`).
fn read_kind(f: &Field, read: Read) -> &'static str {
    match read {
        _ if f.write_only => "write_only",
        Read::Optional => "optional",
        Read::Defaulted => "defaulted",
        Read::Required { fill: false } => "required",
        Read::Required { fill: true } => "filled",
    }
}

/// The write kind of `object!`: a read-only member is never in a request body the client sends
/// (even where a caller assigned the public field), but written by serde elsewhere, so that a
/// value encoded and decoded outside the client keeps every member; an `Option` the spec does
/// not require (or a write-only one) is written when set; anything else always (a required
/// nullable member as `null`).
fn write_kind(f: &Field) -> &'static str {
    if f.read_only {
        "read_only"
    } else if f.optional() && (!f.required || f.write_only) {
        "if_set"
    } else {
        "always"
    }
}

/// A field's docs: its description, then what the client does with a one-way or subject
/// member, then its wire name where the Rust name differs. `sent`: the struct is part of a
/// request, where a read-only member needs saying so (in a type only received, every member
/// is the server's).
fn field_docs(f: &Field, sent: bool) -> Vec<String> {
    let mut lines = f.docs.as_deref().map(doc_lines).unwrap_or_default();
    let note = if f.read_only && sent {
        Some("Read-only: set by the server; the client never sends it, even when set.")
    } else if f.write_only {
        Some("Write-only: sent, never returned; the client skips it in answers (it stays `None`).")
    } else if f.subject && matches!(f.ty, TypeRef::Vec(_)) {
        Some("What the answer is about: always sent (an answer without it has an empty list).")
    } else if f.subject {
        Some("What the answer is about: always sent (an answer without it is a decode error).")
    } else {
        None
    };
    let wire = (f.rust != f.wire).then(|| format!("Sent and received as `{}`.", f.wire));
    for extra in note.map(str::to_owned).into_iter().chain(wire) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(extra);
    }
    lines
}

/// The directions a type crosses, as the runtime's macros take them.
pub(super) fn direction(usage: &Usage) -> &'static str {
    match (usage.request, usage.response) {
        (true, true) => "both",
        (true, false) => "sent",
        (false, true) => "received",
        (false, false) => "neither",
    }
}

/// `#[cfg(...)]` (with its line break) for the features whose operations reach a type, as text:
/// on one line when it fits in 100 columns, else one feature a line.
pub(super) fn cfg_text<'a>(features: impl IntoIterator<Item = &'a String>) -> String {
    let features: Vec<String> = features.into_iter().map(|f| format!("feature = {}", proc_macro2::Literal::string(f))).collect();
    match features.as_slice() {
        [one] => format!("#[cfg({one})]\n"),
        _ => {
            let line = format!("#[cfg(any({}))]", features.join(", "));
            if line.len() <= 100 {
                format!("{line}\n")
            } else {
                let lines: String = features.iter().map(|f| format!("    {f},\n")).collect();
                format!("#[cfg(any(\n{lines}))]\n")
            }
        }
    }
}
