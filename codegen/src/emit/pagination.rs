//! A list operation's `rt::Paged` impl: which page parameters a walk sets on the builder, and
//! how a page says what comes next. The walk itself is `runtime/paginate.rs`, the same for every
//! operation; `.pages()` and `.stream()` are written with the builder (`emit::apis`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use crate::ir::{Operation, PageStep, PageStyle};

/// `impl rt::Paged for <builder>`, or nothing when `op` does not page.
pub(crate) fn paged_impl(op: &Operation, builder: &Ident, answer: &TokenStream, item: &TokenStream) -> TokenStream {
    let Some(pagination) = &op.pagination else { return TokenStream::new() };
    let sets = pagination.params.iter().map(|(wire, rust)| {
        let field = ident(rust);
        quote!(query.set(#wire, &mut self.#field)?;)
    });
    let link_params: Vec<&str> = match pagination.style {
        PageStyle::Cursor => Vec::new(),
        _ => pagination.params.iter().map(|(wire, _)| wire.as_str()).collect(),
    };
    let field = ident(&pagination.items.rust);
    let (count, take) = match pagination.items.optional {
        true => (quote!(page.#field.as_ref().map_or(0, Vec::len)), quote!(page.#field.unwrap_or_default())),
        false => (quote!(page.#field.len()), quote!(page.#field)),
    };
    let next = match pagination.style {
        PageStyle::Page | PageStyle::Token => {
            let url = access(&pagination.next);
            quote!(rt::Next::link(#url, #count))
        }
        PageStyle::Cursor => {
            let has_more = access(&pagination.has_more);
            let last_id = access(&pagination.next);
            quote!(rt::Next::cursor(#has_more, #last_id, #count))
        }
    };
    quote! {
        impl rt::Paged for #builder {
            type Item = #item;
            const PARAMS: &'static [&'static str] = &[#(#link_params),*];

            #[inline]
            fn set_page(&mut self, query: &rt::PageQuery) -> Result<(), rt::Error> {
                #(#sets)*
                Ok(())
            }

            #[inline]
            fn next(page: &#answer) -> rt::Next {
                #next
            }

            #[inline]
            fn items(page: #answer) -> Vec<#item> {
                #take
            }
        }
    }
}

/// `page.a.b.c` as an `Option<&T>`, through optional fields.
fn access(steps: &[PageStep]) -> TokenStream {
    let mut expr = quote!(page);
    let mut in_option = false;
    for step in steps {
        let field = ident(&step.rust);
        expr = match (in_option, step.optional) {
            (false, false) => quote!(#expr.#field),
            (false, true) => quote!(#expr.#field.as_ref()),
            (true, false) => quote!(#expr.map(|v| &v.#field)),
            (true, true) => quote!(#expr.and_then(|v| v.#field.as_ref())),
        };
        in_option |= step.optional;
    }
    if in_option {
        expr
    } else {
        quote!(Some(&#expr))
    }
}
