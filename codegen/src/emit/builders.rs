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
use crate::surface::types::Take;
use crate::ir::{Field, Struct, TypeDef, TypeRef, UnionVariant};

impl Context<'_> {
    /// `new` and the setters of a type that requests send; nothing for other types.
    pub(super) fn builder(&self, def: &TypeDef, s: &Struct) -> TokenStream {
        if !def.usage.request {
            return quote!();
        }
        let name = format_ident!("{}", def.name);
        let mut params = Vec::new();
        let mut inits = Vec::new();
        let mut setters = Vec::new();
        for f in &s.fields {
            let rust = ident(&f.rust);
            let take = self.take(def, f, &rust);
            if !f.optional() && f.deprecated && self.field_has_default(&f.ty) {
                inits.push(quote!(#rust: Default::default(),));
            } else if !f.optional() {
                let (param, store) = (take.param, take.store);
                params.push(quote!(#rust: #param));
                inits.push(if take.plain { quote!(#rust,) } else { quote!(#rust: #store,) });
            } else {
                inits.push(quote!(#rust: None,));
                if !f.read_only {
                    setters.push(setter(f, self.take(def, f, &format_ident!("value"))));
                }
            }
        }
        let additional = s.additional.as_ref().map(|_| quote!(additional_properties: Default::default(),));
        let many = (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let allow = s.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]));
        let docs = format!(
            " A `{}` with its required members; the optional ones are unset (set each with the method of its name).",
            def.name
        );
        quote! {
            impl #name {
                #[doc = #docs]
                #many
                #allow
                #[inline]
                pub fn new(#(#params),*) -> Self {
                    #name {
                        #(#inits)*
                        #additional
                    }
                }

                #(#setters)*
            }
        }
    }

    /// How a value of member `f` is passed in, as `source`, and stored (boxed where the member is).
    fn take(&self, def: &TypeDef, f: &Field, source: &proc_macro2::Ident) -> Take {
        let take = crate::surface::types::take(self.types, &f.ty, Scope::Models, source);
        match self.is_boxed(def, f) {
            false => take,
            true => {
                let store = take.store;
                Take { param: take.param, store: quote!(Box::new(#store)), plain: false }
            }
        }
    }
}

/// `pub fn tags(mut self, value: ...) -> Self`.
fn setter(f: &Field, take: Take) -> TokenStream {
    let rust = ident(&f.rust);
    let Take { param, store, .. } = take;
    let docs = format!(" Sets [`Self::{}`].", f.rust);
    let deprecated = f.deprecated.then(|| quote!(#[deprecated] #[allow(deprecated)]));
    quote! {
        #[doc = #docs]
        #deprecated
        #[inline]
        pub fn #rust(mut self, value: #param) -> Self {
            self.#rust = Some(#store);
            self
        }
    }
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
            let wrap = if self.variant_boxed(variants, v) { quote!(Box::new(value)) } else { quote!(value) };
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
            let wrap = if self.variant_boxed(variants, v) { quote!(Box::new(value.into())) } else { quote!(value.into()) };
            arms.push(quote!(#(#values)|* => #name::#rust(#wrap),));
        }
        let Some(first) = variants.first() else { return quote!() };
        let rust = format_ident!("{}", first.rust);
        let wrap = if self.variant_boxed(variants, first) { quote!(Box::new(value.into())) } else { quote!(value.into()) };
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
