//! The streaming variant of an operation that can answer with server-sent events
//! (`create_chat_completion_stream` beside `create_chat_completion`): the same arguments and
//! request, `stream: true` in the body when it has that member, and an `EventStream` of the
//! event type as the answer (see `runtime/events.rs`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{own_doc_attrs, type_tokens, Scope};
use crate::ir::Operation;

/// The streaming method's name.
pub(crate) fn method_name(op: &Operation) -> String {
    format!("{}_stream", op.method_name)
}

/// The streaming method of `op`, if it has events. `args` are the plain method's arguments and
/// `setup` its statements that build `request`.
pub(crate) fn method(op: &Operation, args: &[TokenStream], setup: &TokenStream) -> Option<TokenStream> {
    let events = op.events.as_ref()?;
    let name = format_ident!("{}", method_name(op));
    let event = type_tokens(&events.ty, Scope::Apis);
    let mut text = format!(
        "Like [`Self::{}`], answered with server-sent events: the events as they come.\n\n",
        op.method_name
    );
    if events.stream_field {
        text.push_str("Sends the body with `stream: true`, whatever its `stream` member says. ");
    }
    if events.ends_with_done {
        text.push_str("The stream is complete at `data: [DONE]`; a connection that ends before it is an error. ");
    } else {
        text.push_str("The stream is complete when the connection ends after a whole event. ");
    }
    text.push_str("See [`EventStream`] for the errors it can yield.");
    let docs = own_doc_attrs(&text);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let ask = events.stream_field.then(|| quote!(let request = request.ask_for_stream()?;));
    let ends_with_done = events.ends_with_done;
    Some(quote! {
        #docs
        #deprecated
        pub async fn #name(self, #(#args),*) -> Result<EventStream<#event>, Error> {
            #setup
            #ask
            self.client.send_events(request, #ends_with_done).await
        }
    })
}
