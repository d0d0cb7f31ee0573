//! Operations to client methods: one struct per tag, two methods per operation (the plain
//! call and its `_with_meta` twin that also returns status, rate limits and request id).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, inner_doc_attrs, own_doc_attrs, type_tokens};
use crate::ir::{Operation, ParamLocation, Success, Tag, TypeRef};

/// `apis/mod.rs`: the modules and the `Client` accessors.
pub fn apis_mod(tags: &[Tag]) -> TokenStream {
    let modules = tags.iter().map(|t| ident(&t.module));
    let types = tags.iter().map(|t| format_ident!("{}", t.type_name));
    let accessors = tags.iter().map(|t| {
        let module = ident(&t.module);
        let name = format_ident!("{}", t.type_name);
        let docs = own_doc_attrs(&format!("Operations tagged `{}`.", t.wire));
        quote! {
            #docs
            pub fn #module(&self) -> #name<'_> {
                #name::new(self)
            }
        }
    });
    let modules2 = modules.clone();
    quote! {
        //! Client methods, one group per tag of the API.
        #(mod #modules;)*
        #(pub use #modules2::#types;)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// `apis/<tag>.rs`. Methods take the (`Copy`) group by value, so that a future such as
/// `client.functions().get_namespace(id)` does not borrow a temporary.
pub fn tag_file(tag: &Tag) -> TokenStream {
    let name = format_ident!("{}", tag.type_name);
    let docs = inner_doc_attrs(tag.docs.as_deref());
    let methods = tag.operations.iter().map(operation);
    let ops = &tag.operations;
    let uses_models = ops.iter().any(|op| {
        op.params_struct.is_some()
            || op.params.iter().any(|p| mentions_model(&p.ty))
            || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
            || matches!(&op.success, Success::Json(ty) if mentions_model(ty))
    });
    let models = uses_models.then(|| quote!(use crate::models;));
    let encode = ops.iter().any(|op| op.params.iter().any(|p| p.location == ParamLocation::Path));
    let encode = encode.then(|| quote!(encode_path,));
    let wire = own_doc_attrs(&format!("Operations tagged `{}`.", tag.wire));
    quote! {
        #docs
        #models
        use crate::runtime::{#encode Client, Error, Request, Response};
        use reqwest::Method;

        #wire
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a Client,
        }

        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a Client) -> Self {
                #name { client }
            }

            #(#methods)*
        }
    }
}

fn operation(op: &Operation) -> TokenStream {
    let plain = ident(&op.method_name);
    let with_meta = format_ident!("{}_with_meta", op.method_name);
    let mut docs_text = String::new();
    if let Some(summary) = &op.summary {
        docs_text.push_str(summary.trim());
        docs_text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        docs_text.push_str(description.trim());
        docs_text.push_str("\n\n");
    }
    docs_text.push_str(&format!("`{} {}` (operation `{}`)", op.http_method.constant(), op.path, op.id));
    let docs = doc_attrs(Some(&docs_text));
    let meta_docs = own_doc_attrs(&format!(
        "Like [`Self::{}`], and also returns the response's status, rate-limit figures and request id.",
        op.method_name
    ));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // The plain call uses its deprecated `_with_meta` twin.
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));

    let mut args = Vec::new();
    let mut names = Vec::new();
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        let name = ident(&p.rust);
        let ty = arg_type(&p.ty);
        args.push(quote!(#name: #ty));
        names.push(quote!(#name));
    }
    let body = op.body.as_ref().map(|b| {
        let ty = type_tokens(&b.ty, true);
        if b.required {
            args.push(quote!(body: &#ty));
            quote!(.json(body)?)
        } else {
            args.push(quote!(body: Option<&#ty>));
            quote!()
        }
    });
    if op.body.is_some() {
        names.push(quote!(body));
    }
    let (output, send) = match &op.success {
        Success::Json(ty) => (type_tokens(ty, true), quote!(send_json)),
        Success::Empty => (quote!(()), quote!(send_empty)),
    };
    let path = path_expr(op);
    let method = format_ident!("{}", op.http_method.constant());
    let template = &op.path;
    let optional_body = op.body.as_ref().is_some_and(|b| !b.required);
    let mut_kw = (optional_body || !op.params.iter().all(|p| p.location == ParamLocation::Path)).then(|| quote!(mut));
    let body_opt = optional_body.then(|| quote!(if let Some(body) = body { request = request.json(body)?; }));
    if let Some(params_struct) = &op.params_struct {
        let ty = format_ident!("{}", params_struct);
        args.push(quote!(params: &models::#ty));
        names.push(quote!(params));
    }
    let extra: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(|p| {
            let field = ident(&p.rust);
            let wire = &p.wire;
            let call = if p.location == ParamLocation::Query { quote!(query) } else { quote!(header) };
            let add = match &p.ty {
                TypeRef::Vec(_) => quote!(for item in value { request = request.#call(#wire, item); }),
                _ => quote!(request = request.#call(#wire, value);),
            };
            if p.required {
                quote!({ let value = &params.#field; #add })
            } else {
                quote!(if let Some(value) = &params.#field { #add })
            }
        })
        .collect();
    quote! {
        #docs
        #deprecated
        #allow
        pub async fn #plain(self, #(#args),*) -> Result<#output, Error> {
            self.#with_meta(#(#names),*).await.map(Response::into_inner)
        }

        #meta_docs
        #deprecated
        pub async fn #with_meta(self, #(#args),*) -> Result<Response<#output>, Error> {
            let #mut_kw request = Request::new(Method::#method, #template, #path)#body;
            #body_opt
            #(#extra)*
            self.client.#send(request).await
        }
    }
}

/// The filled-in path: a literal, or `format!` with each placeholder percent-encoded.
fn path_expr(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut values = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let name = &rest[start + 1..start + len];
        template.push_str(&rest[..start]);
        template.push_str("{}");
        if let Some(p) = op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire == name) {
            let arg = ident(&p.rust);
            values.push(match p.ty {
                TypeRef::String => quote!(encode_path(#arg)),
                // No `&` here: prettyplease prints macro arguments token by token (`& x`).
                _ => quote!(encode_path(#arg.to_string().as_str())),
            });
        }
        rest = &rest[start + len + 1..];
    }
    template.push_str(rest);
    if values.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template, #(#values),*))
    }
}

/// How a parameter is passed: strings borrowed, scalars by value, others by reference.
fn arg_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::JsonObject => {
            let inner = type_tokens(ty, true);
            quote!(&#inner)
        }
        scalar => type_tokens(scalar, true),
    }
}

fn mentions_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => mentions_model(inner),
        _ => false,
    }
}
