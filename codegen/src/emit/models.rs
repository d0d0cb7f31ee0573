//! Type definitions to text: one function per kind. Enums, structs (`objects`) and builders are
//! written as text, as invocations of the runtime's macros where they have one; unions, aliases
//! and the remaining impls are tokens, formatted. What a type implements follows how it is used:
//! request types `Serialize`, response types decode (each with the `roundtrip` feature too),
//! and required fields of response types decode leniently.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::push_docs;
use super::objects::{cfg_text, direction};
use super::{doc_attrs, own_doc_attrs, type_tokens, Scope};
use crate::analysis::Facts;
use crate::ir::{IntVariant, TypeDef, TypeKind, TypeRef, Union, UnionVariant, Variant};

/// What emitting a definition needs: the IR facts about the whole set of types.
pub struct Context<'a> {
    pub(super) facts: Facts<'a>,
}

impl<'a> Context<'a> {
    pub fn new(types: &'a BTreeMap<String, TypeDef>) -> Self {
        Context { facts: Facts::new(types) }
    }

    /// The formatted text of a type's definition (`file` names it in a formatting error).
    pub fn text(&self, def: &TypeDef, file: &str) -> crate::error::Result<String> {
        match &def.kind {
            TypeKind::Enum(variants) => Ok(enumeration(def, variants)),
            TypeKind::IntEnum(variants) => Ok(int_enumeration(def, variants)),
            TypeKind::Struct(s) => {
                // The struct and its serde impls, then its builder and other impls (if any).
                let mut text = self.object(def, s);
                let builder = self.builder(def, s);
                if !builder.is_empty() {
                    text.push('\n');
                    text.push_str(&builder);
                }
                let impls = self.item(def);
                if !impls.is_empty() {
                    text.push('\n');
                    text.push_str(&crate::format::rust_file(impls, file)?);
                }
                Ok(text)
            }
            _ => crate::format::rust_file(self.item(def), file),
        }
    }

    /// The tokens of a type's definition, each item behind the type's feature gate (an enum,
    /// a struct and its builder are text: see [`Self::text`]).
    pub fn item(&self, def: &TypeDef) -> TokenStream {
        let body = match &def.kind {
            // The struct and its builder are text (`object`, `builder`); its `ActionRef` is tokens.
            TypeKind::Struct(s) => super::waiters::action_ref(def, s, self.facts.types()),
            // Written as text by `text`.
            TypeKind::Enum(_) | TypeKind::IntEnum(_) => TokenStream::new(),
            TypeKind::Alias(target) => alias(def, target),
            TypeKind::Union(union) => {
                let mut tokens = self.union_type(def, union);
                tokens.extend(self.conversions(def, &union.variants));
                tokens
            }
            TypeKind::Answers(variants) => self.answers(def, variants),
        };
        // Every item of a definition carries its feature gate, after its docs; an impl that
        // `roundtrip` gates has one gate for both.
        let predicate = cfg_predicate(def.usage.features.keys());
        let items = split_items(body).into_iter().map(|item| {
            let (docs, rest) = leading_docs(item);
            let (roundtrip, rest) = strip_roundtrip_gate(rest);
            let gate = if roundtrip { quote!(#[cfg(all(#predicate, feature = "roundtrip"))]) } else { quote!(#[cfg(#predicate)]) };
            quote!(#docs #gate #rest)
        });
        quote!(#(#items)*)
    }
}

/// A type's `serde::Deserialize` (the value read into a tape, then decoded) and its
/// `runtime::Decode`, whose body is `body` (over `reader_`), both gated as the type's decoding.
fn decode_impls(def: &TypeDef, name: &proc_macro2::Ident, allow: Option<TokenStream>, body: TokenStream) -> TokenStream {
    let gate = impl_gate(def.usage.response);
    quote! {
        #gate
        crate::runtime::deserialize_by_decode!(#name);

        #gate
        impl crate::runtime::Decode for #name {
            #allow
            fn decode(reader_: &mut crate::runtime::Reader<'_, '_>) -> crate::runtime::Decoded<Self> {
                #body
            }
        }
    }
}

/// The predicate of [`cfg_of`]: `feature = "x"`, or `any(feature = "x", ...)`.
fn cfg_predicate<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [one] => quote!(feature = #one),
        _ => quote!(any(#(feature = #features),*)),
    }
}

/// An item's leading `#[doc]` attributes, and the rest of it.
fn leading_docs(item: TokenStream) -> (TokenStream, TokenStream) {
    use proc_macro2::TokenTree;
    let mut trees: Vec<TokenTree> = item.into_iter().collect();
    let mut end = 0;
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) = (trees.get(end), trees.get(end + 1)) {
        let is_doc = p.as_char() == '#' && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
        if !is_doc {
            break;
        }
        end += 2;
    }
    let rest = trees.split_off(end);
    (trees.into_iter().collect(), rest.into_iter().collect())
}

/// Whether an item starts with `#[cfg(feature = "roundtrip")]` (see [`impl_gate`]), and the
/// item without it.
fn strip_roundtrip_gate(item: TokenStream) -> (bool, TokenStream) {
    use proc_macro2::TokenTree;
    let trees: Vec<TokenTree> = item.into_iter().collect();
    let gated = match (trees.first(), trees.get(1)) {
        (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) => {
            p.as_char() == '#' && g.stream().to_string() == quote!(cfg(feature = "roundtrip")).to_string()
        }
        _ => false,
    };
    if gated {
        (true, trees.into_iter().skip(2).collect())
    } else {
        (false, trees.into_iter().collect())
    }
}

/// `#[cfg]` that holds when any of `features` is on.
pub fn cfg_of<'a>(features: impl IntoIterator<Item = &'a String>) -> TokenStream {
    let predicate = cfg_predicate(features);
    quote!(#[cfg(#predicate)])
}

/// `#[cfg]` for a hand-written serde impl: always, or only with `roundtrip`.
fn impl_gate(needed: bool) -> TokenStream {
    if needed {
        quote!()
    } else {
        quote!(#[cfg(feature = "roundtrip")])
    }
}

/// Splits a token stream into its top-level items (each ends with `}` or `;` at depth 0,
/// attributes and docs included), so that each can carry the type's `#[cfg]`.
fn split_items(tokens: TokenStream) -> Vec<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut in_attr = false;
    for tree in tokens {
        let ends = match &tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => !in_attr,
            TokenTree::Punct(p) if p.as_char() == ';' => true,
            _ => false,
        };
        in_attr = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '#');
        current.push(tree);
        if ends {
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    items
}

/// A string enum: one invocation of the runtime's `string_enum!` (see `runtime/enums.rs`).
fn enumeration(def: &TypeDef, variants: &[Variant]) -> String {
    let variants = variants.iter().map(|v| (v.rust.as_str(), proc_macro2::Literal::string(&v.wire).to_string()));
    enum_invocation(def, "string_enum", variants)
}

/// An integer enum: one invocation of the runtime's `int_enum!`.
fn int_enumeration(def: &TypeDef, variants: &[IntVariant]) -> String {
    let variants = variants.iter().map(|v| (v.rust.as_str(), v.value.to_string()));
    enum_invocation(def, "int_enum", variants)
}

/// The text of an enum's macro invocation: its feature gate, docs, name, the directions it
/// crosses, and each variant with its wire value, one a line. Written as text, not tokens: a
/// macro's body is a token stream to prettyplease, which would fill it like a paragraph.
fn enum_invocation<'v>(def: &TypeDef, macro_name: &str, variants: impl Iterator<Item = (&'v str, String)>) -> String {
    let mut out = cfg_text(def.usage.features.keys());
    out.push_str(&format!("crate::runtime::{macro_name}! {{\n"));
    push_docs(&mut out, "    ", def.docs.as_deref().map(super::docs::doc_lines).unwrap_or_default());
    out.push_str(&format!("    pub enum {}: {} {{\n", def.name, direction(&def.usage)));
    for (rust, value) in variants {
        out.push_str(&format!("        {rust} = {value},\n"));
    }
    out.push_str("    }\n}\n");
    out
}

fn alias(def: &TypeDef, target: &TypeRef) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.docs.as_deref());
    let target = type_tokens(target, Scope::Models);
    quote! {
        #docs
        pub type #name = #target;
    }
}

impl<'a> Context<'a> {
    /// Union variants.
    fn variant_tokens(&self, variants: &[UnionVariant]) -> Vec<TokenStream> {
        let types = crate::surface::types::variant_types(&self.facts, variants, Scope::Models);
        variants
            .iter()
            .zip(types)
            .map(|(v, ty)| {
                let rust = format_ident!("{}", v.rust);
                let docs = doc_attrs(v.docs.as_deref());
                quote!(#docs #rust(#ty),)
            })
            .collect()
    }

    fn union_type(&self, def: &TypeDef, union: &Union) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let docs = doc_attrs(def.docs.as_deref());
        let variants = self.variant_tokens(&union.variants);
        let Some(property) = &union.tag else {
            let serde = self.untagged_serde(def, union);
            return quote! {
                #docs
                #[derive(Debug, Clone, PartialEq)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                }

                #serde
            };
        };
        let idents: Vec<_> = union.variants.iter().map(|v| format_ident!("{}", v.rust)).collect();
        let tags: Vec<&str> = union.variants.iter().map(|v| v.tag.as_deref().unwrap_or_default()).collect();
        let ser_gate = impl_gate(def.usage.request);
        let unknown = format!("unknown `{property}` value `{{}}`");
        let decode = decode_impls(
            def,
            &name,
            None,
            quote! {
                let tag = reader_.member_text(#property).unwrap_or_default().to_owned();
                match tag.as_str() {
                    #( #tags => crate::runtime::Decode::decode(reader_).map(#name::#idents), )*
                    other => Err(crate::runtime::Failure::new(format_args!(#unknown, other))),
                }
            },
        );
        let tag_docs = own_doc_attrs(&format!("The value of the discriminating property `{property}` that this variant sends."));
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }

            impl #name {
                #tag_docs
                pub fn tag(&self) -> &'static str {
                    match self {
                        #( #name::#idents(_) => #tags, )*
                    }
                }
            }

            #ser_gate
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    let value = match self {
                        #( #name::#idents(inner) => serde_json::to_value(inner), )*
                    };
                    let mut value = value.map_err(serde::ser::Error::custom)?;
                    if let serde_json::Value::Object(map) = &mut value {
                        map.insert(#property.to_owned(), serde_json::Value::from(self.tag()));
                    }
                    serde::Serialize::serialize(&value, serializer)
                }
            }

            #decode
        }
    }

    fn answers(&self, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let docs = doc_attrs(def.docs.as_deref());
        let variants = self.variant_tokens(variants);
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
            }
        }
    }

    /// An untagged union's serde impls: each variant serializes as its value; decoding chooses the
    /// variant on evidence first (`runtime::union`), then decodes the value as that variant.
    fn untagged_serde(&self, def: &TypeDef, union: &Union) -> TokenStream {
        let name = format_ident!("{}", def.name);
        let idents: Vec<_> = union.variants.iter().map(|v| format_ident!("{}", v.rust)).collect();
        let wraps: Vec<TokenStream> = union
            .variants
            .iter()
            .zip(&idents)
            .map(|(v, ident)| {
                if self.facts.variant_boxed(&union.variants, v) {
                    quote!(|inner| #name::#ident(Box::new(inner)))
                } else {
                    quote!(#name::#ident)
                }
            })
            .collect();
        let indexes = (0..union.variants.len()).map(proc_macro2::Literal::usize_unsuffixed);
        let rust_names: Vec<&str> = union.variants.iter().map(|v| v.rust.as_str()).collect();
        let shapes = union.variants.iter().map(|v| self.shape(&v.ty, 0));
        let wire = def.name.as_str();
        let ser_gate = impl_gate(def.usage.request);
        let decode = decode_impls(
            def,
            &name,
            None,
            quote! {
                // `rt::Shape`, not `Shape`: the spec may name a union `Shape`.
                use crate::runtime as rt;
                const VARIANTS: &[(&str, rt::Shape)] = &[ #( (#rust_names, #shapes), )* ];
                match rt::choose_variant(#wire, VARIANTS, &reader_.peek_value()) {
                    #( Ok(#indexes) => rt::Decode::decode(reader_).map(#wraps), )*
                    Ok(other) => Err(rt::Failure::new(format_args!("no variant {other}"))),
                    Err(message) => Err(rt::Failure::new(message)),
                }
            },
        );
        quote! {
            #ser_gate
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        #( #name::#idents(inner) => serde::Serialize::serialize(inner, serializer), )*
                    }
                }
            }

            #decode
        }
    }

    /// What a union variant of type `ty` accepts, for `runtime::union::choose` (a `Shape` constant).
    fn shape(&self, ty: &TypeRef, depth: usize) -> TokenStream {
        match ty {
            TypeRef::String | TypeRef::DateTime => quote!(rt::Shape::String(&[])),
            TypeRef::Bool => quote!(rt::Shape::Bool),
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => quote!(rt::Shape::Integer),
            TypeRef::F64 => quote!(rt::Shape::Number),
            TypeRef::Json | TypeRef::Bytes => quote!(rt::Shape::Any),
            TypeRef::JsonObject | TypeRef::Map(_) => quote!(rt::Shape::Map),
            TypeRef::Vec(item) => {
                let item = self.shape(item, depth + 1);
                quote!(rt::Shape::Array(&#item))
            }
            // A `null` item does not fit: no variant is chosen on a guess.
            TypeRef::Nullable(inner) => self.shape(inner, depth),
            TypeRef::Named(name) => match self.facts.types().get(name).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => {
                    let known = s.fields.iter().map(|f| f.wire.as_str());
                    let required =
                        s.fields.iter().filter(|f| f.required && !f.nullable && !f.read_only && !f.write_only).map(|f| f.wire.as_str());
                    let tags = s.fields.iter().filter_map(|f| {
                        let values = self.closed_strings(&f.ty)?;
                        let wire = &f.wire;
                        Some(quote!((#wire, &[#(#values),*])))
                    });
                    let open = s.additional.is_some();
                    quote!(rt::Shape::Object(rt::Members {
                        known: &[#(#known),*],
                        required: &[#(#required),*],
                        tags: &[#(#tags),*],
                        open: #open,
                    }))
                }
                Some(TypeKind::Enum(_)) => {
                    let values = self.closed_strings(ty).unwrap_or_default();
                    quote!(rt::Shape::String(&[#(#values),*]))
                }
                Some(TypeKind::IntEnum(_)) => quote!(rt::Shape::Integer),
                Some(TypeKind::Alias(target)) if depth < 8 => self.shape(target, depth + 1),
                _ => quote!(rt::Shape::Any),
            },
        }
    }

    /// The wire values of a string enum (through aliases), if `ty` is one.
    pub(super) fn closed_strings(&self, ty: &TypeRef) -> Option<Vec<&'a str>> {
        let TypeRef::Named(name) = self.resolved(ty) else { return None };
        match &self.facts.types().get(name)?.kind {
            TypeKind::Enum(variants) => Some(variants.iter().map(|v| v.wire.as_str()).collect()),
            _ => None,
        }
    }

    /// The type an alias stands for (through chains of aliases).
    pub(super) fn resolved<'t>(&'t self, ty: &'t TypeRef) -> &'t TypeRef {
        let mut ty = ty;
        for _ in 0..8 {
            match ty {
                TypeRef::Named(name) => match self.facts.types().get(name).map(|d| &d.kind) {
                    Some(TypeKind::Alias(target)) => ty = target,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }
}
