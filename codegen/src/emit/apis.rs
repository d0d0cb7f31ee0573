//! Operations to client methods: one struct per tag, two methods per operation (the plain
//! call and its `_with_meta` twin that also returns status, rate limits and request id).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, inner_doc_attrs, own_doc_attrs, type_tokens, Scope};
use crate::ir::{Answer, Auth, Body, Operation, ParamLocation, Server, Success, Tag, TypeRef};

/// `apis/mod.rs`: the modules (`parts[i]` files for `tags[i]`) and the `Client` accessors, each
/// behind its tag's feature.
pub fn apis_mod(tags: &[Tag], parts: &[usize]) -> TokenStream {
    let items = tags.iter().zip(parts).map(|(t, &parts)| {
        let module = ident(&t.module);
        let name = format_ident!("{}", t.type_name);
        let feature = &t.module;
        let more = (2..=parts).map(|part| {
            let module = format_ident!("{}_{part}", t.module);
            quote!(#[cfg(feature = #feature)] mod #module;)
        });
        quote! {
            #[cfg(feature = #feature)]
            mod #module;
            #(#more)*
            #[cfg(feature = #feature)]
            pub use #module::#name;
        }
    });
    let accessors = tags.iter().map(|t| {
        let module = ident(&t.module);
        let name = format_ident!("{}", t.type_name);
        let feature = &t.module;
        let docs = own_doc_attrs(&format!("Operations tagged `{}` (feature `{}`).", t.wire, t.module));
        quote! {
            #docs
            #[cfg(feature = #feature)]
            pub fn #module(&self) -> #name<'_> {
                #name::new(self)
            }
        }
    });
    quote! {
        //! Client methods, one group per tag of the API, each behind the tag's cargo feature.
        #(#items)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The tokens of a tag's whole file, unsplit and without samples (for `cargo xtask bench`).
pub fn tag_file(tag: &Tag) -> TokenStream {
    let ops: Vec<&Operation> = tag.operations.iter().collect();
    let head = head(tag, &ops, 1, 1);
    let name = format_ident!("{}", tag.type_name);
    let methods = tag.operations.iter().map(|op| methods(tag, op, None));
    let group = group_methods(tag);
    quote! {
        #head
        impl<'a> #name<'a> {
            #group
            #(#methods)*
        }
    }
}

/// The start of part `part` (from 1) of `count` of `apis/<tag>.rs` (the parts after the first are
/// `apis/<tag>_<part>.rs`), whose methods are those of `ops`: its docs, its `use` lines, and in
/// the first part the group's struct. Methods take the (`Copy`) group by value, so that a future
/// such as `client.functions().get_namespace(id)` does not borrow a temporary.
pub fn head(tag: &Tag, ops: &[&Operation], part: usize, count: usize) -> TokenStream {
    let name = format_ident!("{}", tag.type_name);
    let first = part == 1;
    let docs = match first {
        true => inner_doc_attrs(tag.docs.as_deref()),
        false => {
            let text = format!(" More methods of [`{}`] (part {part} of {count} of the operations tagged `{}`).", tag.type_name, tag.wire);
            quote!(#![doc = #text])
        }
    };
    let waits = first && !super::waiters::group_methods(tag).is_empty();
    let uses_models = waits
        || ops.iter().any(|op| {
            op.params_struct.is_some()
                || op.params.iter().any(|p| mentions_model(&p.ty))
                || op.body.as_ref().is_some_and(|b| mentions_model(&b.ty))
                || op.success.json_types().into_iter().any(mentions_model)
                || matches!(op.success, Success::ByStatus { .. })
                || op.events.as_ref().is_some_and(|e| mentions_model(&e.ty))
        });
    let models = uses_models.then(|| quote!(use crate::models;));
    let mut runtime = Vec::new();
    if ops.iter().any(|op| matches!(op.success, Success::ByStatus { .. })) {
        runtime.push(quote!(decode_json));
    }
    if ops.iter().any(|op| op.params.iter().any(|p| p.location == ParamLocation::Path)) {
        runtime.push(quote!(encode_path));
    }
    if ops.iter().any(|op| op.auth != Auth::Token) {
        runtime.push(quote!(Auth));
    }
    if first {
        runtime.push(quote!(Client));
    }
    runtime.push(quote!(Error));
    if ops.iter().any(|op| op.events.is_some()) {
        runtime.push(quote!(EventStream));
    }
    if ops.iter().any(|op| op.server != Server::Api) {
        runtime.push(quote!(Host));
    }
    if !ops.is_empty() {
        runtime.push(quote!(Request));
    }
    runtime.push(quote!(Response));
    let method = (!ops.is_empty()).then(|| quote!(use reqwest::Method;));
    if !first {
        let module = ident(&tag.module);
        return quote! {
            #docs
            #models
            use crate::runtime::{#(#runtime),*};
            #method
            use super::#module::#name;
        };
    }
    let wire = own_doc_attrs(&format!("Operations tagged `{}`.", tag.wire));
    // The other parts' methods reach the client too.
    let visibility = (count > 1).then(|| quote!(pub(super)));
    quote! {
        #docs
        #models
        use crate::runtime::{#(#runtime),*};
        #method

        #wire
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            #visibility client: &'a Client,
        }
    }
}

/// The group's own methods, first in the first part: `new`, and the waiters of the actions group.
pub fn group_methods(tag: &Tag) -> TokenStream {
    let name = format_ident!("{}", tag.type_name);
    let waiters = super::waiters::group_methods(tag);
    quote! {
        pub(crate) fn new(client: &'a Client) -> Self {
            #name { client }
        }

        #waiters
    }
}

/// One operation's methods (its plain call, its `_with_meta` twin, a list operation's walking
/// methods and an event stream's streaming variant), in the order a reader expects them.
pub fn methods(tag: &Tag, op: &Operation, sample: Option<&super::samples::Sample>) -> TokenStream {
    let plain = operation(op, sample);
    let pages = super::pagination::methods(op, &tag.type_name);
    quote!(#plain #pages)
}

/// `methods` wrapped in the group's `impl` block, which is how it is formatted on its own.
pub fn methods_impl(tag: &Tag, methods: TokenStream) -> TokenStream {
    let name = format_ident!("{}", tag.type_name);
    quote! {
        impl<'a> #name<'a> {
            #methods
        }
    }
}

fn operation(op: &Operation, sample: Option<&super::samples::Sample>) -> TokenStream {
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
    let where_to = match (op.server, op.auth) {
        (Server::Absolute, _) => Some("Sent to `url` as given (a pre-signed URL), with no credential."),
        (Server::Inference, _) => Some("Sent to the inference host with the model access key."),
        (Server::Agent, _) => Some("Sent to the agent's URL (`ClientBuilder::agent_base_url`) with the model access key."),
        (Server::Api, Auth::None) => Some("Sent with no credential."),
        (Server::Api, Auth::ModelAccessKey) => Some("Sent with the model access key."),
        (Server::Api, Auth::Token) => None,
    };
    let where_docs = where_to.map(|text| own_doc_attrs(&format!("\n{text}")));
    let sample_docs = own_doc_attrs(&super::samples::doc_text(sample));
    let meta_docs = own_doc_attrs(&format!(
        "Like [`Self::{}`], and also returns the response's status, rate-limit figures and request id.",
        op.method_name
    ));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    // The plain call uses its deprecated `_with_meta` twin.
    let allow = op.deprecated.then(|| quote!(#[allow(deprecated)]));

    let mut args = Vec::new();
    let mut names = Vec::new();
    if op.server == Server::Absolute {
        args.push(quote!(url: &str));
        names.push(quote!(url));
    }
    for p in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        let name = ident(&p.rust);
        let ty = arg_type(&p.ty, Scope::Apis);
        args.push(quote!(#name: #ty));
        names.push(quote!(#name));
    }
    let mut chain = Vec::new();
    match op.server {
        Server::Api => {}
        Server::Inference => chain.push(quote!(.host(Host::Inference))),
        Server::Agent => chain.push(quote!(.host(Host::Agent))),
        Server::Absolute => chain.push(quote!(.host(Host::Absolute))),
    }
    match op.auth {
        Auth::Token => {}
        Auth::ModelAccessKey => chain.push(quote!(.auth(Auth::ModelAccessKey))),
        Auth::None => chain.push(quote!(.auth(Auth::None))),
    }
    let mut body_opt = None;
    if let Some(b) = &op.body {
        let ty = body_arg_type(b, Scope::Apis);
        args.push(quote!(body: #ty));
        if b.ty == TypeRef::Bytes {
            let media = &b.media;
            chain.push(quote!(.bytes(body, #media)));
        } else if b.required {
            chain.push(quote!(.json(body)?));
        } else {
            body_opt = Some(quote!(if let Some(body) = body { request = request.json(body)?; }));
        }
        names.push(quote!(body));
    }
    let output = output_type(op, Scope::Apis);
    let send = match &op.success {
        Success::One(answer) => match answer {
            Answer::Json { .. } => quote!(self.client.send_json(request).await),
            Answer::Empty => quote!(self.client.send_empty(request).await),
            Answer::Bytes { media } => {
                let accept = accept_with_errors(media);
                chain.push(quote!(.accept(#accept)));
                quote!(self.client.send_bytes(request).await)
            }
            Answer::Text { media } => {
                let accept = accept_with_errors(media);
                chain.push(quote!(.accept(#accept)));
                quote!(self.client.send_text(request).await)
            }
        },
        Success::ByStatus { name, variants, .. } => {
            let enum_name = format_ident!("{}", name);
            let mut arms: Vec<TokenStream> = variants
                .iter()
                .skip(1)
                .map(|v| {
                    let status = v.status;
                    let variant = format_ident!("{}", v.rust);
                    quote!(#status => decode_json(body).map(models::#enum_name::#variant),)
                })
                .collect();
            if let Some(first) = variants.first() {
                let variant = format_ident!("{}", first.rust);
                arms.push(quote!(_ => decode_json(body).map(models::#enum_name::#variant),));
            }
            quote! {
                self.client.send_json_by_status(request, |status: u16, body: &[u8]| match status {
                    #(#arms)*
                }).await
            }
        }
    };
    let path = path_expr(op);
    let method = format_ident!("{}", op.http_method.constant());
    let template = &op.path;
    let has_query = op.params.iter().any(|p| p.location != ParamLocation::Path);
    let mut_kw = (body_opt.is_some() || has_query).then(|| quote!(mut));
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
    let stream = super::events::method(op, &args, &quote!(let #mut_kw request = Request::new(Method::#method, #template, #path)#(#chain)*; #body_opt #(#extra)*));
    quote! {
        #docs
        #where_docs
        #sample_docs
        #deprecated
        #allow
        pub async fn #plain(self, #(#args),*) -> Result<#output, Error> {
            self.#with_meta(#(#names),*).await.map(Response::into_inner)
        }

        #meta_docs
        #deprecated
        pub async fn #with_meta(self, #(#args),*) -> Result<Response<#output>, Error> {
            let #mut_kw request = Request::new(Method::#method, #template, #path)#(#chain)*;
            #body_opt
            #(#extra)*
            #send
        }

        #stream
    }
}

/// The filled-in path: a literal, or `format!` with each placeholder percent-encoded. For an
/// operation sent to a URL the caller passes, that URL.
fn path_expr(op: &Operation) -> TokenStream {
    if op.server == Server::Absolute {
        return quote!(url.to_owned());
    }
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

/// How a path parameter is passed: strings borrowed, scalars by value, others by reference.
pub(crate) fn arg_type(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(&str),
        TypeRef::Named(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::JsonObject | TypeRef::Bytes => {
            let inner = type_tokens(ty, scope);
            quote!(&#inner)
        }
        scalar => type_tokens(scalar, scope),
    }
}

/// How a body is passed: bytes by value, JSON by reference (an `Option` when not required).
pub(crate) fn body_arg_type(body: &Body, scope: Scope) -> TokenStream {
    if body.ty == TypeRef::Bytes {
        return quote!(Vec<u8>);
    }
    let ty = type_tokens(&body.ty, scope);
    if body.required {
        quote!(&#ty)
    } else {
        quote!(Option<&#ty>)
    }
}

/// What a method returns on success.
pub(crate) fn output_type(op: &Operation, scope: Scope) -> TokenStream {
    match &op.success {
        Success::One(Answer::Json { ty, .. }) => type_tokens(ty, scope),
        Success::One(Answer::Empty) => quote!(()),
        Success::One(Answer::Bytes { .. }) => quote!(Vec<u8>),
        Success::One(Answer::Text { .. }) => quote!(String),
        Success::ByStatus { name, .. } => type_tokens(&TypeRef::Named(name.clone()), scope),
    }
}

fn mentions_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) => mentions_model(inner),
        _ => false,
    }
}

/// The `Accept` header of an operation whose success answer is not JSON: its media type, then
/// JSON, the media type of every documented error answer, so that a server that negotiates
/// (Prism does) sends the error body instead of the success answer.
fn accept_with_errors(media: &str) -> String {
    format!("{media}, application/json;q=0.5")
}
