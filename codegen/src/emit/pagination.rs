//! List operations that page get two more methods beside the plain call: `<method>_pages`
//! (every page, each with its metadata) and `<method>_stream` (every item). Both are thin:
//! the walk itself is `runtime/paginate.rs`, the same for every operation; each page is
//! fetched through the operation's own `_with_meta` method.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::apis::arg_type;
use super::{ident, own_doc_attrs, type_tokens, Scope};
use crate::ir::{Operation, PageStep, PageStyle, ParamLocation, Server, TypeRef};

/// The two walking methods of `op`, or nothing when it does not page.
pub(crate) fn methods(op: &Operation, group: &str) -> TokenStream {
    let Some(pagination) = &op.pagination else { return TokenStream::new() };
    let group = format_ident!("{}", group);
    let plain = &op.method_name;
    let pages = format_ident!("{}_pages", op.method_name);
    let stream = format_ident!("{}_stream", op.method_name);
    let with_meta = format_ident!("{}_with_meta", op.method_name);
    let id = &op.id;
    let Some(params_struct) = &op.params_struct else { return TokenStream::new() };
    let params_ty = format_ident!("{}", params_struct);
    let answer = super::apis::output_type(op, Scope::Apis);
    let item = type_tokens(&pagination.item, Scope::Apis);

    // Arguments before the parameters (a URL, path parameters), owned by the walk.
    let mut args = Vec::new();
    let mut own = Vec::new();
    let mut per_page = Vec::new();
    let mut pass = Vec::new();
    let mut names = Vec::new();
    if op.server == Server::Absolute {
        args.push(quote!(url: &str));
        own.push(quote!(let url = url.to_owned();));
        per_page.push(quote!(let url = url.clone();));
        pass.push(quote!(&url));
        names.push(quote!(url));
    }
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        let name = ident(&p.rust);
        let ty = arg_type(&p.ty, Scope::Apis);
        args.push(quote!(#name: #ty));
        names.push(quote!(#name));
        match &p.ty {
            TypeRef::String => {
                own.push(quote!(let #name = #name.to_owned();));
                per_page.push(quote!(let #name = #name.clone();));
                pass.push(quote!(&#name));
            }
            TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::JsonObject | TypeRef::Bytes => {
                own.push(quote!(let #name = #name.clone();));
                per_page.push(quote!(let #name = #name.clone();));
                pass.push(quote!(&#name));
            }
            _ => pass.push(quote!(#name)),
        }
    }
    let sets = pagination.params.iter().map(|(wire, rust)| {
        let field = ident(rust);
        quote!(query.set(#wire, &mut params.#field)?;)
    });
    let link_params: Vec<&str> = match pagination.style {
        PageStyle::Cursor => Vec::new(),
        _ => pagination.params.iter().map(|(wire, _)| wire.as_str()).collect(),
    };
    let count = match pagination.items.optional {
        true => {
            let field = ident(&pagination.items.rust);
            quote!(page.#field.as_ref().map_or(0, Vec::len))
        }
        false => {
            let field = ident(&pagination.items.rust);
            quote!(page.#field.len())
        }
    };
    let next = match pagination.style {
        PageStyle::Page | PageStyle::Token => {
            let url = access(&pagination.next);
            quote!(crate::runtime::Next::link(#url, #count))
        }
        PageStyle::Cursor => {
            let has_more = access(&pagination.has_more);
            let last_id = access(&pagination.next);
            quote!(crate::runtime::Next::cursor(#has_more, #last_id, #count))
        }
    };
    let take = {
        let field = ident(&pagination.items.rust);
        match pagination.items.optional {
            true => quote!(page.#field.unwrap_or_default()),
            false => quote!(page.#field),
        }
    };
    let style = match pagination.style {
        PageStyle::Page => "`page` numbers",
        PageStyle::Token => "`page_token`s",
        PageStyle::Cursor => "an `after` cursor",
    };
    let pages_docs = own_doc_attrs(&format!(
        "Every page of [`Self::{plain}`] (walked by {style}), from `params` on, each with its \
         status, rate-limit figures and request id: see [`Pages`](crate::Pages)."
    ));
    let stream_docs = own_doc_attrs(&format!(
        "Every item (`{}`) of every page of [`Self::{plain}`], from `params` on: see \
         [`Items`](crate::Items). [`Self::{}_pages`] gives the pages with their metadata.",
        pagination.items.wire, op.method_name
    ));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));
    quote! {
        #pages_docs
        #deprecated
        #allow
        pub fn #pages(self, #(#args,)* params: &models::#params_ty) -> crate::runtime::Pages<#answer> {
            let client = self.client.clone();
            let params = params.clone();
            #(#own)*
            crate::runtime::Pages::new(
                #id,
                &[#(#link_params),*],
                move |query: crate::runtime::PageQuery| {
                    let client = client.clone();
                    let mut params = params.clone();
                    #(#per_page)*
                    async move {
                        #(#sets)*
                        #group::new(&client).#with_meta(#(#pass,)* &params).await
                    }
                },
                |page: &#answer| #next,
            )
        }

        #stream_docs
        #deprecated
        #allow
        pub fn #stream(self, #(#args,)* params: &models::#params_ty) -> crate::runtime::Items<#item> {
            self.#pages(#(#names,)* params).items(|page: #answer| #take)
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
