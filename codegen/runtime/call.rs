//! What every operation's builder (`apis::<tag>::<Method>`, returned by the operation's method)
//! has in common. A builder implements [`Operation`]: it holds its client and inputs, builds its
//! [`Request`] and reads its answer's body. Sending it (the attempt loop, errors), walking its
//! pages and opening its event stream are written here once: the sending is one non-generic
//! future (`Client::fetch`); only reading the body is generic (over the operation), so that
//! 600 builders do not compile 600 copies of the attempt loop.
//!
//! The builders' own functions are `#[inline]`: the crate compiles none of them (nor the
//! decoding they instantiate) to machine code until a program calls the operation, so a
//! program pays in build time for the operations it uses, not for all 659.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::fields::Decode;

use super::client::Client;
use super::decode::{decode_json, DecodeFailure};
use super::error::Error;
#[cfg(feature = "_events")]
use super::events::EventStream;
#[cfg(feature = "_pages")]
use super::paginate::{Items, Next, PageQuery, Pages};
use super::request::{Call, Request};
use super::response::Response;
use super::send::{Fetch, Fetched};

/// A call on its way: what awaiting an operation's builder gives (through
/// [`IntoFuture`](std::future::IntoFuture)), and what `.with_meta()` and `.events()` return.
/// Nothing is sent until it is awaited.
///
/// The sending is one future shared by every operation; only reading the answer's body is
/// particular to the operation, so that 600 operations do not compile 600 copies of the
/// attempt loop.
#[must_use = "a call does nothing until it is awaited"]
pub struct Pending<T> {
    state: State<T>,
}

enum State<T> {
    /// Sending, then reading the answer with `finish`.
    Fetching { fetch: Fetch, finish: fn(Fetched) -> Result<T, Error> },
    /// Any other work (opening an event stream).
    Other(Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'static>>),
    /// The output was given.
    Done,
}

impl<T> Pending<T> {
    fn fetching(fetch: Fetch, finish: fn(Fetched) -> Result<T, Error>) -> Self {
        Pending { state: State::Fetching { fetch, finish } }
    }
}

impl<T> Future for Pending<T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let output = match &mut self.state {
            State::Fetching { fetch, finish } => match fetch.as_mut().poll(cx) {
                Poll::Ready(fetched) => fetched.and_then(*finish),
                Poll::Pending => return Poll::Pending,
            },
            State::Other(future) => match future.as_mut().poll(cx) {
                Poll::Ready(output) => output,
                Poll::Pending => return Poll::Pending,
            },
            State::Done => panic!("`Pending` polled after it gave its output"),
        };
        self.state = State::Done;
        Poll::Ready(output)
    }
}

impl<T> fmt::Debug for Pending<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pending").finish_non_exhaustive()
    }
}

/// One operation, ready to send: implemented by every generated builder.
///
/// No bounds beyond `Sized` (not `Send`, not on `Output`): with them, every check of a
/// builder's `Pending<<Op as Operation>::Output>` proved them again, through every type the
/// builder and its answer hold (`-Z self-profile`: 2.1 s of the crate's build, 3 ms per
/// operation). Walking pages, which keeps the builder in a stream, asks for them there.
pub(crate) trait Operation: Sized {
    /// What a successful call returns.
    type Output;
    /// The operation: its id, method and path template.
    const CALL: &'static Call;
    /// The client it is sent with.
    fn client(&self) -> &Client;
    /// The request, or why it cannot be made (a body that does not serialize).
    fn request(self) -> Result<Request, Error>;
    /// Reads the body of a successful answer.
    fn read(status: u16, body: &[u8]) -> Result<Self::Output, DecodeFailure>;
}

/// A list operation whose pages can be walked.
#[cfg(feature = "_pages")]
pub(crate) trait Paged: Operation + Clone + Send + 'static {
    /// The type of the items of a page.
    type Item: Send + 'static;
    /// The page parameters the operation has (among `page`, `per_page`, `page_token`), read
    /// from a page's `next` link.
    const PARAMS: &'static [&'static str];
    /// Sets the page parameters to those of the page to fetch, when `query` has them.
    fn set_page(&mut self, query: &PageQuery) -> Result<(), Error>;
    /// What a page says about the next one.
    fn next(page: &Self::Output) -> Next;
    /// A page's items.
    fn items(page: Self::Output) -> Vec<Self::Item>;
}

/// Sends `op`; its output.
pub(crate) fn send<O: Operation>(op: O) -> Pending<O::Output> {
    let client = op.client().clone();
    Pending::fetching(client.fetch(op.request()), output::<O>)
}

/// Sends `op`; its output with the answer's status, rate-limit figures and request id.
pub(crate) fn send_with_meta<O: Operation>(op: O) -> Pending<Response<O::Output>> {
    let client = op.client().clone();
    Pending::fetching(client.fetch(op.request()), answer::<O>)
}

fn output<O: Operation>(fetched: Fetched) -> Result<O::Output, Error> {
    fetched.decode(O::read).map(Response::into_inner)
}

fn answer<O: Operation>(fetched: Fetched) -> Result<Response<O::Output>, Error> {
    fetched.decode(O::read)
}

/// Every page of `op`, from its own page parameters on.
#[cfg(feature = "_pages")]
pub(crate) fn pages<O: Paged>(op: O) -> Pages<O::Output>
where
    O::Output: Send + 'static,
{
    Pages::new(
        O::CALL,
        O::PARAMS,
        move |query: PageQuery| {
            let mut op = op.clone();
            let set = op.set_page(&query);
            let client = op.client().clone();
            Pending::fetching(client.fetch(set.and_then(|()| op.request())), answer::<O>)
        },
        O::next,
    )
}

/// Every item of every page of `op`.
#[cfg(feature = "_pages")]
pub(crate) fn items<O: Paged>(op: O) -> Items<O::Item>
where
    O::Output: Send + 'static,
{
    pages(op).items(O::items)
}

/// Sends `op` asking for server-sent events (with `stream: true` in its body when `ask`), and
/// opens the stream of events of type `E`.
#[cfg(feature = "_events")]
pub(crate) fn events<O: Operation, E: Decode + Send + 'static>(op: O, ask: bool, ends_with_done: bool) -> Pending<EventStream<E>> {
    let client = op.client().clone();
    let request = op.request();
    let open = async move {
        let mut request = request?;
        if ask {
            request = request.ask_for_stream()?;
        }
        client.send_events(request, ends_with_done).await
    };
    Pending { state: State::Other(Box::pin(open)) }
}

/// Reads a JSON answer (leniently, see [`decode_json`]).
pub(crate) fn read_json<T: Decode>(_status: u16, body: &[u8]) -> Result<T, DecodeFailure> {
    decode_json(body)
}

/// Ignores an answer's body, whatever it is.
#[allow(dead_code)] // Used by operations without a response body, if any are compiled.
pub(crate) fn read_empty(_status: u16, _body: &[u8]) -> Result<(), DecodeFailure> {
    Ok(())
}

/// Takes an answer's body as it is.
#[allow(dead_code)] // Used by operations with a binary answer, if any are compiled.
pub(crate) fn read_bytes(_status: u16, body: &[u8]) -> Result<Vec<u8>, DecodeFailure> {
    Ok(body.to_vec())
}

/// Takes an answer's body as text; a body that is not UTF-8 is a decode error.
#[allow(dead_code)] // Used by operations with a text answer, if any are compiled.
pub(crate) fn read_text(_status: u16, body: &[u8]) -> Result<String, DecodeFailure> {
    String::from_utf8(body.to_vec())
        .map_err(|err| DecodeFailure { source: serde::de::Error::custom(format!("the body is not valid UTF-8: {err}")), path: None })
}
