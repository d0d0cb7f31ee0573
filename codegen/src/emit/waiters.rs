//! Waiting for actions: the `wait` and `wait_for` methods of the `Actions` group, and the
//! `ActionRef` impls (the runtime's `codegen/runtime/wait.rs`) of the types that name an action.
//!
//! The runtime polls `GET /v2/actions/{action_id}` (operation `actions_get`) and decodes the
//! answer into the `Action` model, so all of it exists only with the `actions` feature, and only
//! when the generated API has that operation.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use crate::ir::{Struct, Tag, TypeDef, TypeKind, TypeRef};

/// The operation the waiter stands on.
const GET_ACTION: &str = "actions_get";
/// The feature of its tag, and of everything this module emits.
const FEATURE: &str = "actions";
/// The model the waiter returns.
const ACTION: &str = "Action";

/// The waiting methods of a tag's group: for the tag with `actions_get` only.
pub fn group_methods(tag: &Tag) -> TokenStream {
    if tag.module != FEATURE || !tag.operations.iter().any(|op| op.id == GET_ACTION) {
        return TokenStream::new();
    }
    quote! {
        /// Waits until the action `action_id` completes: polls `GET /v2/actions/{action_id}`
        /// at once and then with a growing interval, as `options` say, and returns the
        /// completed action.
        ///
        /// An action whose status becomes `errored` is [`crate::Error::ActionErrored`], carrying it; a
        /// status this client does not know keeps it polling. When the deadline
        /// ([`crate::WaitOptions::timeout`]) passes first, the error is [`crate::Error::WaitTimeout`],
        /// carrying the action as last polled. A `429` answer makes it wait as the server asks
        /// (never past the deadline) and poll again; other errors end the wait.
        pub async fn wait(
            self,
            action_id: i64,
            options: crate::WaitOptions,
        ) -> Result<models::Action, rt::Error> {
            self.client.wait_for_action_id(action_id, &options).await
        }

        /// Like [`Self::wait`], for an action returned by any call ([`crate::ActionRef`]): a
        /// Droplet, volume, image, floating IP or reserved IP action, the answer that wraps
        /// one, or an entry of `links.actions`. An action without an id is
        /// [`crate::Error::InvalidRequest`], before anything is sent.
        pub async fn wait_for(
            self,
            action: &impl crate::ActionRef,
            options: crate::WaitOptions,
        ) -> Result<models::Action, rt::Error> {
            self.client.wait_for_action(action, &options).await
        }
    }
}

/// `impl ActionRef` for a struct that names an action, behind the `actions` feature (the
/// caller adds the type's own gate): an action (an integer `id` and a `status` of the
/// in-progress/completed/errored enum), an answer with such an action in its `action` field,
/// and `ActionLink`, the entries of `links.actions`.
pub fn action_ref(def: &TypeDef, s: &Struct, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    if !available(types) {
        return TokenStream::new();
    }
    let id = if is_action(s, types) || def.name == "ActionLink" {
        id_expr(s, quote!(self))
    } else {
        let wraps = s.fields.iter().find(|f| f.wire == "action").and_then(|f| match &f.ty {
            TypeRef::Named(name) => Some((f, name)),
            _ => None,
        });
        match wraps {
            Some((field, name)) if types.get(name).is_some_and(|t| struct_of(t).is_some_and(|inner| is_action(inner, types))) => {
                let member = ident(&field.rust);
                let inner = struct_of(&types[name]).map(|inner| id_expr(inner, quote!(action)));
                if field.optional() {
                    quote!(self.#member.as_ref().and_then(|action| #inner))
                } else {
                    quote!({ let action = &self.#member; #inner })
                }
            }
            _ => return TokenStream::new(),
        }
    };
    let name = format_ident!("{}", def.name);
    quote! {
        #[cfg(feature = #FEATURE)]
        impl crate::ActionRef for #name {
            fn action_id(&self) -> Option<i64> {
                #id
            }
        }
    }
}

/// Whether the waiter exists: the `Action` model is reached by the `actions` feature's operations.
fn available(types: &BTreeMap<String, TypeDef>) -> bool {
    types.get(ACTION).is_some_and(|def| def.usage.features.contains_key(FEATURE))
}

fn struct_of(def: &TypeDef) -> Option<&Struct> {
    match &def.kind {
        TypeKind::Struct(s) => Some(s),
        _ => None,
    }
}

/// An integer `id` and a `status` whose values are in-progress, completed and errored.
fn is_action(s: &Struct, types: &BTreeMap<String, TypeDef>) -> bool {
    let id = s.fields.iter().any(|f| f.wire == "id" && f.ty == TypeRef::I64);
    let status = s.fields.iter().find(|f| f.wire == "status").and_then(|f| match &f.ty {
        TypeRef::Named(name) => types.get(name),
        _ => None,
    });
    let statuses = match status.map(|def| &def.kind) {
        Some(TypeKind::Enum(variants)) => variants,
        _ => return false,
    };
    id && ["in-progress", "completed", "errored"].iter().all(|value| statuses.iter().any(|v| v.wire == *value))
}

/// `Option<i64>` from the integer field `id` of `s`, read from `base` (`self`).
fn id_expr(s: &Struct, base: TokenStream) -> TokenStream {
    match s.fields.iter().find(|f| f.wire == "id") {
        Some(f) if f.ty == TypeRef::I64 => {
            let member = ident(&f.rust);
            if f.optional() {
                quote!(#base.#member)
            } else {
                quote!(Some(#base.#member))
            }
        }
        _ => quote!(None),
    }
}
