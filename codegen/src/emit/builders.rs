//! Request types built from their required members: `Type::new(required, ...)` takes each
//! member the spec requires (in the spec's order), and a method per optional member sets it and
//! returns the value, so that a call reads
//! `DropletCreate::new("web-1", "s-1vcpu-1gb", "ubuntu-24-04-x64").region("nyc3").tags(["web"])`.
//! A member DigitalOcean adds later is optional, so it never changes `new`'s arguments.
//!
//! What a member takes: strings, named types and boxes `impl Into<T>` (so `&str`, a slug, an
//! id convert), lists any iterator of such items (`["a", "b"]`), numbers and booleans their own
//! type (so that a literal `5` is never ambiguous). Each function is `#[inline]`: compiled
//! where a caller uses it, not for every type of the crate. Read-only members (set by the server) get no
//! method; a required deprecated member takes its default instead of an argument.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::Context;
use super::{ident, Scope};
use crate::ir::{Field, Struct, TypeDef, TypeRef, UnionVariant};
use crate::surface::types::{type_text, Take};

impl Context<'_> {
    /// `new` and the setters of a type that requests send, as text behind the type's feature
    /// gate; nothing for other types. Written as text (as the struct itself is): formatting
    /// tokens is most of codegen's time.
    pub(super) fn builder(&self, def: &TypeDef, s: &Struct) -> String {
        if !def.usage.request {
            return String::new();
        }
        let mut params = Vec::new();
        let mut inits = Vec::new();
        let mut setters = String::new();
        for f in &s.fields {
            let rust = ident(&f.rust).to_string();
            if !f.optional() && f.deprecated && self.facts.field_has_default(&f.ty) {
                inits.push(format!("{rust}: Default::default()"));
            } else if !f.optional() {
                let take = self.take(def, f, &ident(&f.rust));
                params.push(format!("{rust}: {}", type_text(take.param)));
                inits.push(if take.plain { rust } else { format!("{rust}: {}", type_text(take.store)) });
            } else {
                inits.push(format!("{rust}: None"));
                if !f.read_only {
                    setters.push_str(&setter(f, self.take(def, f, &format_ident!("value"))));
                }
            }
        }
        if s.additional.is_some() {
            inits.push("additional_properties: Default::default()".to_owned());
        }
        let mut out = super::objects::cfg_text(def.usage.features.keys());
        out.push_str(&format!("impl {} {{\n", def.name));
        out.push_str(&format!(
            "    /// A `{}` with its required members; the optional ones are unset (set each with the method of its name).\n",
            def.name
        ));
        if params.len() > 7 {
            out.push_str("    #[allow(clippy::too_many_arguments)]\n");
        }
        if s.fields.iter().any(|f| f.deprecated) {
            out.push_str("    #[allow(deprecated)]\n");
        }
        out.push_str("    #[inline]\n");
        out.push_str(&signature("new", &params));
        if inits.is_empty() {
            out.push_str(&format!("        {} {{}}\n", def.name));
        } else {
            out.push_str(&format!("        {} {{\n", def.name));
            inits.iter().for_each(|init| out.push_str(&format!("            {init},\n")));
            out.push_str("        }\n");
        }
        out.push_str("    }\n");
        out.push_str(&setters);
        out.push_str("}\n");
        out
    }

    /// How a value of member `f` is passed in, as `source`, and stored (boxed where the member is).
    fn take(&self, def: &TypeDef, f: &Field, source: &proc_macro2::Ident) -> Take {
        let take = crate::surface::types::take(self.facts.types(), &f.ty, Scope::Models, source);
        match self.facts.is_boxed(def, f) {
            false => take,
            true => {
                let store = take.store;
                Take { param: take.param, store: quote!(Box::new(#store)), plain: false }
            }
        }
    }
}

/// `    pub fn name(params) -> Self {` and its line break: on one line when it fits in 89
/// columns (prettyplease's margin, as the other generated functions), else one parameter a line.
fn signature(name: &str, params: &[String]) -> String {
    let line = format!("    pub fn {name}({}) -> Self {{", params.join(", "));
    if line.len() <= 89 {
        return format!("{line}\n");
    }
    let params: String = params.iter().map(|p| format!("        {p},\n")).collect();
    format!("    pub fn {name}(\n{params}    ) -> Self {{\n")
}

/// `pub fn tags(mut self, value: ...) -> Self`, after a blank line.
fn setter(f: &Field, take: Take) -> String {
    let rust = ident(&f.rust).to_string();
    let mut out = format!("\n    /// Sets [`Self::{}`].\n", f.rust);
    if f.deprecated {
        out.push_str("    #[deprecated]\n    #[allow(deprecated)]\n");
    }
    out.push_str("    #[inline]\n");
    out.push_str(&signature(&rust, &["mut self".to_owned(), format!("value: {}", type_text(take.param))]));
    out.push_str(&format!("        self.{rust} = Some({});\n        self\n    }}\n", type_text(take.store)));
    out
}

impl Context<'_> {
    /// `From` each variant's value for a union that requests send, so that a member taking the
    /// union takes the value itself: `"ubuntu-24-04-x64"` or an id for an image, a struct for a
    /// boxed variant. A type held by two variants gets none (it could be either).
    pub(super) fn conversions(&self, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        if !def.usage.request {
            return quote!();
        }
        let name = format_ident!("{}", def.name);
        let mut out = TokenStream::new();
        for v in variants {
            if variants.iter().filter(|other| self.resolved(&other.ty) == self.resolved(&v.ty)).count() > 1 {
                continue;
            }
            let rust = format_ident!("{}", v.rust);
            let ty = super::type_tokens(&v.ty, Scope::Models);
            let wrap = if self.facts.variant_boxed(variants, v) { quote!(Box::new(value)) } else { quote!(value) };
            out.extend(quote! {
                impl From<#ty> for #name {
                    #[inline]
                    fn from(value: #ty) -> Self {
                        #name::#rust(#wrap)
                    }
                }
            });
            // Literals: `"text"` and `5` (an `i32`) convert too.
            let also = match v.ty {
                TypeRef::String => Some((quote!(&str), quote!(value.to_owned()))),
                TypeRef::I64 if !variants.iter().any(|o| o.ty == TypeRef::I32) => Some((quote!(i32), quote!(i64::from(value)))),
                _ => None,
            };
            if let Some((from, convert)) = also {
                out.extend(quote! {
                    impl From<#from> for #name {
                        #[inline]
                        fn from(value: #from) -> Self {
                            #name::#rust(#convert)
                        }
                    }
                });
            }
        }
        out.extend(self.str_conversion(def, variants));
        out
    }

    /// `From<&str>` for a union whose variants are all string enums (a size slug, current or
    /// deprecated): the variant whose enum lists the value, the first such variant when two
    /// do, and for a value none lists the first variant's catch-all (`Other`). All of them
    /// send the same string, so the choice only decides which enum a reader sees.
    fn str_conversion(&self, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let Some(lists) = variants.iter().map(|v| self.closed_strings(&v.ty)).collect::<Option<Vec<_>>>() else {
            return quote!();
        };
        let name = format_ident!("{}", def.name);
        let mut seen = std::collections::BTreeSet::new();
        let mut arms = Vec::new();
        for (v, list) in variants.iter().zip(lists) {
            let values: Vec<&str> = list.into_iter().filter(|value| seen.insert(*value)).collect();
            if values.is_empty() {
                continue;
            }
            let rust = format_ident!("{}", v.rust);
            let wrap = if self.facts.variant_boxed(variants, v) { quote!(Box::new(value.into())) } else { quote!(value.into()) };
            arms.push(quote!(#(#values)|* => #name::#rust(#wrap),));
        }
        let Some(first) = variants.first() else { return quote!() };
        let rust = format_ident!("{}", first.rust);
        let wrap = if self.facts.variant_boxed(variants, first) { quote!(Box::new(value.into())) } else { quote!(value.into()) };
        quote! {
            impl From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#arms)*
                        _ => #name::#rust(#wrap),
                    }
                }
            }
        }
    }
}
