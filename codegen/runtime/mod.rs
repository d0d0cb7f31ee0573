//! The hand-written core of the client: configuration, sending requests with retries,
//! answers with their metadata, and errors.

// A build with only some areas of the API (`default-features = false`) leaves parts of the
// runtime unused by design; the whole API uses all of it, and is checked for dead code.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports, unused_macros))]

mod call;
mod client;
mod datetime;
mod decode;
mod direction;
mod enums;
mod error;
#[cfg(feature = "_events")]
mod events;
mod fields;
mod object;
#[cfg(feature = "_pages")]
mod paginate;
mod request;
mod response;
mod retry;
mod secrets;
mod send;
mod tape;
mod union;
#[cfg(feature = "actions")]
mod wait;

pub use call::Pending;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_INFERENCE_URL, DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_EVENT_SIZE,
    DEFAULT_TIMEOUT,
};
pub use datetime::{DateTime, DateTimeError};
pub use error::{ApiError, DecodeError, Error};
pub use error::{StreamError, StreamErrorKind};
#[cfg(feature = "_events")]
pub use events::EventStream;
#[cfg(feature = "_pages")]
pub use paginate::{Items, Pages};
pub use request::Call;
pub use response::{RateLimit, Response};
pub use retry::RetryPolicy;
#[cfg(feature = "actions")]
pub use wait::{ActionRef, WaitOptions};

/// The HTTP client library this crate is built on, for [`ClientBuilder::http_client`] and the
/// types in responses ([`reqwest::StatusCode`], [`reqwest::header::HeaderMap`]).
pub use reqwest;

// A Functions-only build uses neither hosts, credentials nor every reader.
#[cfg(feature = "_events")]
pub(crate) use call::events;
#[cfg(feature = "_pages")]
pub(crate) use call::{items, pages, Paged};
#[allow(unused_imports)]
pub(crate) use call::{read_bytes, read_empty, read_json, read_text, send, send_with_meta, Operation};
#[allow(unused_imports)]
pub(crate) use decode::{decode_json, DecodeFailure};
pub(crate) use direction::read_only_entry;
#[allow(unused_imports)]
pub(crate) use enums::{int_enum, string_enum, value_enum_impls};
#[allow(unused_imports)]
pub(crate) use fields::deserialize_by_decode;
pub(crate) use fields::{fill, from_tape, missing, number_enum, optional_entry, text_enum, Decode, Names};
#[allow(unused_imports)]
pub(crate) use object::{direct, object, slot, RestRead, RestWrite};
#[cfg(feature = "_pages")]
pub(crate) use paginate::{Next, PageQuery};
#[allow(unused_imports)]
pub(crate) use request::{encode_path, Auth, Host, Request};
pub(crate) use reqwest::Method;
pub(crate) use tape::{Decoded, Failure, Reader};
pub(crate) use union::{choose as choose_variant, Members, Shape};

#[cfg(test)]
mod tests;
