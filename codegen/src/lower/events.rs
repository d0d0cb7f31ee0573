//! Server-sent events: an operation whose 2xx answer offers `text/event-stream` beside JSON
//! gets a streaming variant (`.events()` on its builder, written by `emit::apis`). Decided here:
//!
//! - the event type: the schema of the `text/event-stream` media type (each event's `data` is
//!   one JSON value of it); without a schema, `serde_json::Value`, listed as a fallback;
//! - whether the request body has a boolean `stream` member, which the streaming variant sends
//!   as `true` (the API streams only when asked to);
//! - what a complete stream is. The API's description (the `Serverless Inference` tag) shows a
//!   stream of chat completion chunks, objects with `choices`, ending with `data: [DONE]`: an
//!   event type with a `choices` member (`chat_completion_chunk`,
//!   `create_response_stream_response`) ends with `[DONE]`, and a stream that stops before it
//!   was cut. The other events (`messages_stream_event`, whose own last event is
//!   `message_stop`, and `image_gen_partial_image_event`) have no sentinel documented: their
//!   stream is complete when the connection ends after a whole event.

use super::Lowerer;
use crate::error::Result;
use crate::ir::{Body, EventStream, TypeKind, TypeRef};
use crate::load::pointer::escape;

/// The media type of server-sent events.
const EVENT_STREAM: &str = "text/event-stream";

impl<'s> Lowerer<'s> {
    /// The event stream the operation's first 2xx answer offers, if any.
    pub(super) fn events(
        &mut self,
        op: &'s openapiv3::Operation,
        at: &str,
        base: &str,
        body: Option<&Body>,
    ) -> Result<Option<EventStream>> {
        for (status, response) in &op.responses.responses {
            if !super::is_success(status) {
                continue;
            }
            let (response, response_at) =
                self.item_or_component(response, format!("{at}/responses/{status}"), ("responses", "response"), |c| &c.responses)?;
            let Some((media, content)) = response.content.iter().find(|(media, _)| super::essence(media) == EVENT_STREAM) else {
                continue;
            };
            let origin = format!("{response_at}/content/{}", escape(media));
            let ty = match &content.schema {
                Some(schema) => self.type_of(schema.into(), &format!("{origin}/schema"), &[format!("{base}Event")])?,
                None => self.fallback(&origin, "a text/event-stream answer without a schema: each event is any JSON"),
            };
            let stream_field = body.is_some_and(|b| self.has_bool_member(&b.ty, "stream"));
            let ends_with_done = self.has_member(&ty, "choices");
            return Ok(Some(EventStream { ty, origin, stream_field, ends_with_done }));
        }
        Ok(None)
    }

    /// Whether `ty` is a struct with a member named `wire` (on the wire).
    fn has_member(&self, ty: &TypeRef, wire: &str) -> bool {
        self.member(ty, wire).is_some()
    }

    /// Whether `ty` is a struct with a boolean member named `wire`.
    fn has_bool_member(&self, ty: &TypeRef, wire: &str) -> bool {
        self.member(ty, wire) == Some(&TypeRef::Bool)
    }

    fn member(&self, ty: &TypeRef, wire: &str) -> Option<&TypeRef> {
        let TypeRef::Named(name) = ty else { return None };
        match &self.types.get(name)?.kind {
            TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire == wire).map(|f| &f.ty),
            _ => None,
        }
    }
}
