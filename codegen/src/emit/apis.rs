//! Operations to client methods: one module per tag (`apis::<tag>`) with the tag's group
//! (`Droplets`, from `client.droplets()`), and per operation one method on the group and the
//! builder it returns (`apis::droplets::List`). What each takes and chains is decided by
//! [`crate::surface`]; this module writes it down. The sending itself is the runtime's
//! (`runtime/call.rs`): a builder only builds its request and reads its answer.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_attrs, ident, inner_doc_attrs, own_doc_attrs, type_tokens, Scope};
use crate::ir::{Answer, Auth, ParamLocation, Server, Success, Tag, TypeRef};
use crate::surface::types::{output_type, take};
use crate::surface::{Call, Input, Segment, Source};

/// `apis/mod.rs`: the modules (`more[i]`: the files after the first for `tags[i]`) and the
/// `Client` accessors, each behind its tag's feature.
pub fn apis_mod(tags: &[Tag], more: &[Vec<String>]) -> TokenStream {
    let items = tags.iter().zip(more).map(|(t, more)| {
        let module = ident(&t.module);
        let name = format_ident!("{}", t.type_name);
        let feature = &t.module;
        let more = more.iter().map(|part| {
            let module = format_ident!("{}", part);
            quote!(#[cfg(feature = #feature)] mod #module;)
        });
        quote! {
            #[cfg(feature = #feature)]
            pub mod #module;
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
        //! Client methods, one module per tag of the API, each behind the tag's cargo feature: the
        //! tag's group (reached with `client.<tag>()`) and the builder of each of its operations.
        #(#items)*

        impl crate::Client {
            #(#accessors)*
        }
    }
}

/// The start of a part of `apis/<tag>.rs`: its docs, its `use` lines, and in the first part
/// (`more` is the names of the other parts, whose builders it re-exports; `None` for those
/// other parts) the group's struct. Methods take the (`Copy`) group by value.
pub fn head(tag: &Tag, uses_models: bool, more: Option<&[String]>) -> TokenStream {
    let name = format_ident!("{}", tag.type_name);
    let module = ident(&tag.module);
    let models = uses_models.then(|| {
        quote!(
            use crate::models;
        )
    });
    let Some(more) = more else {
        let text = format!(" More operations of [`{}`] (those tagged `{}`).", tag.type_name, tag.wire);
        return quote! {
            #![doc = #text]
            #models
            use crate::runtime as rt;
            use super::#module::#name;
        };
    };
    let docs = inner_doc_attrs(tag.docs.as_deref());
    let wire = own_doc_attrs(&format!("Operations tagged `{}`.", tag.wire));
    // The other parts' methods reach the client too.
    let visibility = (!more.is_empty()).then(|| quote!(pub(super)));
    let more = more.iter().map(|part| {
        let module = format_ident!("{}", part);
        quote!(pub use super::#module::*;)
    });
    quote! {
        #docs
        #models
        use crate::runtime as rt;
        #(#more)*

        #wire
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            #visibility client: &'a rt::Client,
        }
    }
}

/// The group's own methods, first in the first part: `new`, and the waiters of the actions group.
pub fn group_methods(tag: &Tag) -> TokenStream {
    let name = format_ident!("{}", tag.type_name);
    let waiters = super::waiters::group_methods(tag);
    quote! {
        impl<'a> #name<'a> {
            pub(crate) fn new(client: &'a rt::Client) -> Self {
                #name { client }
            }

            #waiters
        }
    }
}

/// What stands for a method's docs in its tokens: [`operation_text`] writes the docs into the
/// formatted text in its place, so that the formatter does not read and print them line by line
/// (they are most of an API file's lines).
const DOCS_MARKER: &str = "{the method's docs}";

/// The formatted text of one operation ([`operation`]) with its method's docs; `file` names it
/// in a formatting error.
pub fn operation_text(call: &Call<'_>, sample: Option<&super::samples::Sample>, file: &str) -> crate::error::Result<String> {
    let text = crate::format::rust_file(operation(call), file)?;
    // prettyplease writes `#[doc = "x"]` as `///x`.
    let marker = format!("    ///{DOCS_MARKER}\n");
    let Some(at) = text.find(&marker) else {
        let message = "the marker of the method's docs is not in the formatted text".to_owned();
        return Err(crate::error::Error::Format { file: file.to_owned(), message });
    };
    let mut out = String::with_capacity(text.len() + 4096);
    out.push_str(&text[..at]);
    super::docs::push_docs(&mut out, "    ", method_docs(call, sample));
    out.push_str(&text[at + marker.len()..]);
    Ok(out)
}

/// The lines of a method's docs: summary, description, the HTTP line, where it is sent, what
/// is chained, and the sample with its answer.
fn method_docs(call: &Call<'_>, sample: Option<&super::samples::Sample>) -> Vec<String> {
    let op = call.op;
    let mut docs_text = String::new();
    for text in [&op.summary, &op.description].into_iter().flatten() {
        docs_text.push_str(text.trim());
        docs_text.push_str("\n\n");
    }
    docs_text.push_str(&format!("`{} {}` (operation `{}`)", op.http_method.constant(), op.path, op.id));
    let mut lines = super::docs::doc_lines(&docs_text);
    // Where the call goes and which credential it carries, each as the builder sends it (a
    // pre-signed URL never gets one); nothing to say for the API host with the token.
    let host = match op.server {
        Server::Absolute => "Sent to `url` as given (a pre-signed URL),",
        Server::Inference => "Sent to the inference host",
        Server::Agent => "Sent to the agent's URL (`ClientBuilder::agent_base_url`)",
        Server::Api => "Sent",
    };
    let credential = match (op.server, op.auth) {
        (Server::Api, Auth::Token) => None,
        (Server::Absolute, _) | (_, Auth::None) => Some("with no credential"),
        (_, Auth::ModelAccessKey) => Some("with the model access key"),
        (_, Auth::Token) => Some("with the API token"),
    };
    let where_to = credential.map(|credential| format!("{host} {credential}."));
    let own = [where_to.map(|text| format!("\n{text}")), chained_docs(call), Some(super::samples::doc_text(sample))];
    lines.extend(own.into_iter().flatten().flat_map(|text| text.lines().map(str::to_owned).collect::<Vec<_>>()));
    lines
}

/// One operation: its method on the group, and its builder with the builder's methods and impls.
/// The method's docs are a marker here (see [`operation_text`]).
///
/// Every function emitted here is `#[inline]`, so that the crate's own build does not turn
/// them (and the decoding of their answers, which they instantiate) into machine code: a
/// program compiles those of the operations it calls (see `runtime/call.rs`).
///
pub fn operation(call: &Call<'_>) -> TokenStream {
    let builder = format_ident!("{}", call.builder);
    let output = output_type(call.op, Scope::Apis);
    let (pages, paged) = pagination(call, &output);
    let method = group_method(call, &builder);
    let builder_struct = builder_struct(call, &builder);
    let setters = call.setters.iter().map(|input| setter(call, input));
    let events = events(call);
    let request = request(call);
    let read = read(call.op);
    quote! {
        #method

        #builder_struct

        impl #builder {
            #(#setters)*

            /// Sends the call, and gives the answer with its status, rate-limit figures and request id.
            #[inline]
            pub fn with_meta(self) -> rt::Pending<rt::Response<#output>> {
                rt::send_with_meta(self)
            }

            #pages
            #events
        }

        #paged

        impl rt::Operation for #builder {
            type Output = #output;

            #[inline]
            fn client(&self) -> &rt::Client {
                &self.client
            }

            #request

            #read
        }

        #[doc = " Sends the call."]
        impl std::future::IntoFuture for #builder {
            type Output = Result<#output, rt::Error>;
            type IntoFuture = rt::Pending<#output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                rt::send(self)
            }
        }
    }
}

/// The method on the tag's group: docs (written in by `operation_text`), the arguments, and the
/// builder with the arguments in and the rest unset.
fn group_method(call: &Call<'_>, builder: &proc_macro2::Ident) -> TokenStream {
    let group = format_ident!("{}", call.tag.type_name);
    let method = ident(call.method());
    let deprecated = call.op.deprecated.then(|| quote!(#[deprecated]));
    let mut params = Vec::new();
    let mut inits = Vec::new();
    for input in &call.args {
        let name = ident(&input.rust);
        let taken = take(&call.api.types, input.ty(), Scope::Apis, &name);
        let param = taken.param;
        params.push(quote!(#name: #param));
        inits.push(if taken.plain {
            quote!(#name,)
        } else {
            let store = taken.store;
            quote!(#name: #store,)
        });
    }
    for input in &call.setters {
        let name = ident(&input.rust);
        inits.push(quote!(#name: None,));
    }
    let many = (params.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        impl<'a> #group<'a> {
            #[doc = #DOCS_MARKER]
            #deprecated
            #many
            #[inline]
            pub fn #method(self, #(#params),*) -> #builder {
                #builder {
                    client: self.client.clone(),
                    #(#inits)*
                }
            }
        }
    }
}

/// The builder: the client, each argument, and each chained input as an `Option`.
fn builder_struct(call: &Call<'_>, builder: &proc_macro2::Ident) -> TokenStream {
    let http = format!("`{} {}`", call.op.http_method.constant(), call.op.path);
    let docs =
        own_doc_attrs(&format!("A call of [`{}::{}`] ({http}), returned by it: {}", call.tag.type_name, call.method(), finish_docs(call)));
    let fields = call.args.iter().map(|input| {
        let name = ident(&input.rust);
        let ty = stored_type(input);
        quote!(#name: #ty,)
    });
    let optional_fields = call.setters.iter().map(|input| {
        let name = ident(&input.rust);
        let ty = stored_type(input);
        quote!(#name: Option<#ty>,)
    });
    // A walk clones the call for each page; nothing else needs it.
    let derives = if call.op.pagination.is_some() { quote!(#[derive(Clone)]) } else { quote!() };
    quote! {
        #docs
        #derives
        #[must_use = "a call does nothing until it is awaited"]
        pub struct #builder {
            client: rt::Client,
            #(#fields)*
            #(#optional_fields)*
        }
    }
}

/// The method's docs line naming what is chained, if anything.
fn chained_docs(call: &Call<'_>) -> Option<String> {
    if call.setters.is_empty() {
        return None;
    }
    let names: Vec<String> = call.setters.iter().map(|i| format!("[`{}`]({}::{})", i.rust, call.builder, i.rust)).collect();
    Some(format!("\nOptional, chained on the returned [`{}`]: {}.", call.builder, names.join(", ")))
}

/// How a builder is finished, for its docs.
fn finish_docs(call: &Call<'_>) -> String {
    let mut ways = vec!["`.await` it for the answer".to_owned(), "`.with_meta()` for its status and headers too".to_owned()];
    if call.op.pagination.is_some() {
        ways.push("`.pages()` or `.stream()` to walk every page".to_owned());
    }
    if call.op.events.is_some() {
        ways.push("`.events()` for server-sent events".to_owned());
    }
    let set = if call.setters.is_empty() { String::new() } else { "set what you need with its methods, then ".to_owned() };
    format!("{set}{}.", join_or(&ways))
}

fn join_or(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, or {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

/// The type a builder stores an input as.
fn stored_type(input: &Input<'_>) -> TokenStream {
    type_tokens(input.ty(), Scope::Apis)
}

/// A chained method: `pub fn tag_name(mut self, value: impl Into<String>) -> Self`.
fn setter(call: &Call<'_>, input: &Input<'_>) -> TokenStream {
    let name = ident(&input.rust);
    let value = format_ident!("value");
    let taken = take(&call.api.types, input.ty(), Scope::Apis, &value);
    let (param, store) = (taken.param, taken.store);
    let docs = doc_attrs(input.docs());
    let what = match input.source {
        Source::Param(p) if p.location == ParamLocation::Header => format!("Sets the header `{}`.", p.wire),
        Source::Param(p) => format!("Sets the query parameter `{}`.", p.wire),
        _ => "Sets the body.".to_owned(),
    };
    let what = own_doc_attrs(&if input.docs().is_some() { format!("\n{what}") } else { what });
    quote! {
        #docs
        #what
        #[inline]
        pub fn #name(mut self, #value: #param) -> Self {
            self.#name = Some(#store);
            self
        }
    }
}

/// `const CALL` (the operation's id, method and path template) and `fn request(self)`: the
/// filled-in path, query, headers and body.
fn request(call: &Call<'_>) -> TokenStream {
    let op = call.op;
    let method = format_ident!("{}", op.http_method.constant());
    let (id, template) = (&op.id, &op.path);
    let path = path_expr(call);
    let mut chain = Vec::new();
    match op.server {
        Server::Api => {}
        Server::Inference => chain.push(quote!(.host(rt::Host::Inference))),
        Server::Agent => chain.push(quote!(.host(rt::Host::Agent))),
        Server::Absolute => chain.push(quote!(.host(rt::Host::Absolute))),
    }
    match op.auth {
        Auth::Token => {}
        Auth::ModelAccessKey => chain.push(quote!(.auth(rt::Auth::ModelAccessKey))),
        Auth::None => chain.push(quote!(.auth(rt::Auth::None))),
    }
    if let Success::One(Answer::Bytes { media } | Answer::Text { media }) = &op.success {
        let accept = accept_with_errors(media);
        chain.push(quote!(.accept(#accept)));
    }
    let mut steps = Vec::new();
    for (input, given) in call.args.iter().map(|i| (i, true)).chain(call.setters.iter().map(|i| (i, false))) {
        let name = ident(&input.rust);
        // What is given is added as it is; what is chained, when it was set.
        let value = if given { quote!(self.#name) } else { quote!(value) };
        let add = match input.source {
            Source::Url => continue,
            Source::Param(p) if p.location == ParamLocation::Path => continue,
            Source::Param(p) => {
                let wire = &p.wire;
                let call = if p.location == ParamLocation::Query { quote!(query) } else { quote!(header) };
                match &p.ty {
                    TypeRef::Vec(_) => quote!(for item in #value { request = request.#call(#wire, item); }),
                    _ => quote!(request = request.#call(#wire, #value);),
                }
            }
            Source::Body(b) if b.ty == TypeRef::Bytes => {
                let media = &b.media;
                quote!(request = request.bytes(#value, #media);)
            }
            // A text body (YAML) is sent as the caller wrote it, not as a JSON string.
            Source::Body(b) if b.ty == TypeRef::String && !crate::lower::is_json(&b.media) => {
                let media = &b.media;
                quote!(request = request.bytes(String::into_bytes(#value), #media);)
            }
            Source::Body(_) => quote!(request = request.json(&#value)?;),
        };
        steps.push(if given { add } else { quote!(if let Some(value) = self.#name { #add }) });
    }
    let mut_kw = (!steps.is_empty()).then(|| quote!(mut));
    quote! {
        const CALL: &'static rt::Call = &rt::Call::new(#id, rt::Method::#method, #template);

        fn request(self) -> Result<rt::Request, rt::Error> {
            let #mut_kw request = rt::Request::new(Self::CALL, #path)#(#chain)*;
            #(#steps)*
            Ok(request)
        }
    }
}

/// The filled-in path: a literal, or `format!` with each placeholder percent-encoded. For an
/// operation sent to a URL the caller passes, that URL.
fn path_expr(call: &Call<'_>) -> TokenStream {
    if call.op.server == Server::Absolute {
        return quote!(self.url.clone());
    }
    let mut template = String::new();
    let mut values = Vec::new();
    for segment in &call.path {
        match segment {
            Segment::Text(text) => template.push_str(text),
            Segment::Param(p) => {
                template.push_str("{}");
                let arg = ident(&p.rust);
                // No `&` here: prettyplease prints macro arguments token by token (`& x`).
                values.push(match p.ty {
                    TypeRef::String | TypeRef::DateTime => quote!(rt::encode_path(self.#arg.as_str())),
                    _ => quote!(rt::encode_path(self.#arg.to_string().as_str())),
                });
            }
        }
    }
    if values.is_empty() {
        quote!(#template.to_owned())
    } else {
        quote!(format!(#template, #(#values),*))
    }
}

/// `fn read(status, body)`: the answer's body to the output.
fn read(op: &crate::ir::Operation) -> TokenStream {
    let body = match &op.success {
        Success::One(Answer::Json { .. }) => quote!(rt::read_json(status, body)),
        Success::One(Answer::Empty) => quote!(rt::read_empty(status, body)),
        Success::One(Answer::Bytes { .. }) => quote!(rt::read_bytes(status, body)),
        Success::One(Answer::Text { .. }) => quote!(rt::read_text(status, body)),
        Success::ByStatus { name, variants, .. } => {
            let enum_name = format_ident!("{}", name);
            let mut arms: Vec<TokenStream> = variants
                .iter()
                .skip(1)
                .map(|v| {
                    let status = v.status;
                    let variant = format_ident!("{}", v.rust);
                    quote!(#status => rt::decode_json(body).map(models::#enum_name::#variant),)
                })
                .collect();
            if let Some(first) = variants.first() {
                let variant = format_ident!("{}", first.rust);
                arms.push(quote!(_ => rt::decode_json(body).map(models::#enum_name::#variant),));
            }
            quote!(match status { #(#arms)* })
        }
    };
    quote! {
        fn read(status: u16, body: &[u8]) -> Result<Self::Output, rt::DecodeFailure> {
            #body
        }
    }
}

/// `.pages()` and `.stream()` of a list operation, and its `rt::Paged` impl.
fn pagination(call: &Call<'_>, answer: &TokenStream) -> (TokenStream, TokenStream) {
    let Some(pagination) = &call.op.pagination else { return (TokenStream::new(), TokenStream::new()) };
    let builder = format_ident!("{}", call.builder);
    let item = type_tokens(&pagination.item, Scope::Apis);
    let style = match pagination.style {
        crate::ir::PageStyle::Page => "`page` numbers",
        crate::ir::PageStyle::Token => "`page_token`s",
        crate::ir::PageStyle::Cursor => "an `after` cursor",
    };
    let pages_docs = own_doc_attrs(&format!(
        "Every page (walked by {style}), from the page parameters set here on, each with its \
         status, rate-limit figures and request id: see [`Pages`](crate::Pages)."
    ));
    let stream_docs = own_doc_attrs(&format!(
        "Every item (`{}`) of every page: see [`Items`](crate::Items). [`Self::pages`] gives \
         the pages with their metadata.",
        pagination.items.wire
    ));
    let paged = super::pagination::paged_impl(call.op, &builder, answer, &item);
    let methods = quote! {
        #pages_docs
        #[inline]
        pub fn pages(self) -> rt::Pages<#answer> {
            rt::pages(self)
        }

        #stream_docs
        #[inline]
        pub fn stream(self) -> rt::Items<#item> {
            rt::items(self)
        }
    };
    (methods, paged)
}

/// `.events()` of an operation that can answer with server-sent events.
fn events(call: &Call<'_>) -> TokenStream {
    let Some(events) = &call.op.events else { return TokenStream::new() };
    let event = type_tokens(&events.ty, Scope::Apis);
    let mut text = String::from("Sends the call asking for server-sent events, and gives them as they come. ");
    if events.stream_field {
        text.push_str("Sends the body with `stream: true`, whatever its `stream` member says. ");
    }
    if events.ends_with_done {
        text.push_str("The stream is complete at `data: [DONE]`; a connection that ends before it is an error. ");
    } else {
        text.push_str("The stream is complete when the connection ends after a whole event. ");
    }
    text.push_str("See [`EventStream`](crate::EventStream) for the errors it can yield.");
    let docs = own_doc_attrs(&text);
    let ask = events.stream_field;
    let done = events.ends_with_done;
    quote! {
        #docs
        #[inline]
        pub fn events(self) -> rt::Pending<rt::EventStream<#event>> {
            rt::events(self, #ask, #done)
        }
    }
}

/// The `Accept` header of an operation whose success answer is not JSON: its media type, then
/// JSON, the media type of every documented error answer, so that a server that negotiates
/// (Prism does) sends the error body instead of the success answer.
fn accept_with_errors(media: &str) -> String {
    format!("{media}, application/json;q=0.5")
}
