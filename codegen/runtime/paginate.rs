//! Walking every page of a list operation: one generic implementation for the three styles
//! of the API (a `page` number, a `page_token`, an `after` cursor).
//!
//! A list operation's `.pages()` builds [`Pages`] from a closure that fetches one page through
//! the operation's ordinary method (so base URL, credential, retries and rate-limit handling
//! are those of every call), given the [`PageQuery`] read from the previous page. The `next`
//! link of an answer is only read for its page parameters: the request always goes to the
//! client's configured host, never to the link's.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use reqwest::Url;

use super::error::Error;
use super::request::Call;
use super::response::Response;

/// The query values a walk sets on the caller's parameters for one page: none for the first
/// page, then those read from the previous page (`page`, `per_page`, `page_token` from its
/// `next` link, or `after` from its `last_id`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageQuery {
    values: Vec<(&'static str, String)>,
}

impl PageQuery {
    /// Sets `slot` (a field of the parameters) to this page's value of the parameter `name`,
    /// when it has one; otherwise leaves the caller's value.
    pub(crate) fn set<T: FromStr>(&self, name: &str, slot: &mut Option<T>) -> Result<(), Error> {
        let Some((_, value)) = self.values.iter().find(|(n, _)| *n == name) else {
            return Ok(());
        };
        let parsed = value
            .parse()
            .map_err(|_| Error::Pagination { message: format!("the page parameter `{name}` has the unusable value {value:?}") })?;
        *slot = Some(parsed);
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }
}

/// What a page says about the next one, read by the generated code from the page's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Next {
    /// Page or token style: the `links.pages.next` URL, if any, and how many items the page had.
    Link { url: Option<String>, items: usize },
    /// Cursor style: `has_more`, `last_id` and how many items the page had.
    Cursor { has_more: Option<bool>, last_id: Option<String>, items: usize },
}

impl Next {
    /// For a page or token style page.
    pub(crate) fn link(url: Option<&String>, items: usize) -> Next {
        Next::Link { url: url.cloned(), items }
    }

    /// For a cursor style page.
    pub(crate) fn cursor(has_more: Option<&bool>, last_id: Option<&String>, items: usize) -> Next {
        Next::Cursor { has_more: has_more.copied(), last_id: last_id.cloned(), items }
    }
}

/// Every page of a list operation, one answer at a time, with its metadata (status,
/// rate-limit figures, request id); built by a list operation's `.pages()`.
///
/// A [`Stream`](futures_util::Stream) (use `futures::StreamExt` or `TryStreamExt` to consume
/// it). The walk starts from the parameters the caller gave (filters, `per_page`, a first
/// `page`), and ends after the last page: one without a `next` link, an empty one, or one
/// with `has_more: false`. The first error (after the client's retries) is the last item; it
/// is an [`Error::Page`] naming the operation and the page's number in the walk. A server that
/// does not advance (the same `next` link or cursor again, a page number going back) ends
/// the walk with an [`Error::Page`] around [`Error::Pagination`]. The stream fetches a page
/// only when asked for the next item and holds no page once it is handed out.
pub struct Pages<P> {
    inner: Pin<Box<dyn Stream<Item = Result<Response<P>, Error>> + Send>>,
}

/// Every item of every page of a list operation, in order; built by a list operation's
/// `.stream()`. Holds at most one page (the one it is handing out).
///
/// Ends like [`Pages`]: after the last page, or with an error as its last item.
pub struct Items<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<P> Stream for Pages<P> {
    type Item = Result<Response<P>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<T> Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

impl<P> fmt::Debug for Pages<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

/// A page's fetch, boxed, so that the walk is compiled once per page type rather than once per
/// operation.
type Fetch<P> = Box<dyn FnMut(PageQuery) -> Pin<Box<dyn Future<Output = Result<Response<P>, Error>> + Send>> + Send>;

impl<P: Send + 'static> Pages<P> {
    /// Walks the pages of the list operation `call`. `fetch` gets one page given the values to
    /// set on the caller's parameters; `next` reads what a page says about the next one;
    /// `params` are the page parameters the operation has (among `page`, `per_page`,
    /// `page_token`).
    pub(crate) fn new<F, Fut>(call: &'static Call, params: &'static [&'static str], mut fetch: F, next: fn(&P) -> Next) -> Pages<P>
    where
        F: FnMut(PageQuery) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Response<P>, Error>> + Send + 'static,
    {
        let walk = Walk {
            fetch: Box::new(move |query| Box::pin(fetch(query))),
            next,
            position: Position { call, params, number: 0, state: State::Fetch(PageQuery::default()), seen: HashSet::new() },
        };
        let stream = stream::unfold(walk, |mut walk| async move {
            let item = walk.step().await?;
            Some((item, walk))
        });
        Pages { inner: Box::pin(stream) }
    }

    /// The items of every page, taken out of each page with `items`.
    pub(crate) fn items<T: Send + 'static>(self, items: fn(P) -> Vec<T>) -> Items<T> {
        let stream = self.map_ok(move |page| stream::iter(items(page.into_inner())).map(Ok)).try_flatten();
        Items { inner: Box::pin(stream) }
    }
}

/// Where a walk stands.
enum State {
    /// Fetch the page with these values.
    Fetch(PageQuery),
    /// Report this error (found in the previous page), then end.
    Fail(Error),
    Done,
}

/// A walk: how to fetch a page of type `P` and read its `next`, and where it stands.
struct Walk<P> {
    fetch: Fetch<P>,
    next: fn(&P) -> Next,
    position: Position,
}

/// Where a walk stands, whatever its page type.
struct Position {
    call: &'static Call,
    params: &'static [&'static str],
    /// Pages fetched so far.
    number: u64,
    state: State,
    /// The tokens and cursors used so far (a few bytes each), to refuse a walk in circles.
    seen: HashSet<String>,
}

impl<P> Walk<P> {
    /// The next item of the walk, `None` at its end.
    async fn step(&mut self) -> Option<Result<Response<P>, Error>> {
        let query = match self.position.begin()? {
            Ok(query) => query,
            Err(err) => return Some(Err(err)),
        };
        match (self.fetch)(query.clone()).await {
            Ok(page) => {
                self.position.advance(&query, (self.next)(page.body()));
                Some(Ok(page))
            }
            Err(err) => Some(Err(self.position.wrap(err))),
        }
    }
}

impl Position {
    /// The values of the page to fetch now (counting it), an error to report, or `None` at
    /// the end.
    fn begin(&mut self) -> Option<Result<PageQuery, Error>> {
        match std::mem::replace(&mut self.state, State::Done) {
            State::Done => None,
            State::Fail(err) => Some(Err(err)),
            State::Fetch(query) => {
                self.number += 1;
                Some(Ok(query))
            }
        }
    }

    /// Takes in what the page fetched with `query` says about the next one.
    fn advance(&mut self, query: &PageQuery, next: Next) {
        self.state = match self.following(query, next) {
            Ok(Some(query)) => State::Fetch(query),
            Ok(None) => State::Done,
            Err(message) => State::Fail(self.wrap(Error::Pagination { message })),
        };
    }

    fn wrap(&self, err: Error) -> Error {
        Error::Page { call: self.call, page: self.number, source: Box::new(err) }
    }

    /// The values for the page after the one fetched with `current`: `None` at the end, an
    /// error when the page points nowhere new.
    fn following(&mut self, current: &PageQuery, next: Next) -> Result<Option<PageQuery>, String> {
        match next {
            Next::Link { items: 0, .. } | Next::Cursor { items: 0, .. } => Ok(None),
            Next::Link { url: None, .. } => Ok(None),
            Next::Link { url: Some(url), .. } => {
                let query = self.link_query(&url)?;
                if query == *current {
                    return Err("the server sent the same `next` link again".to_owned());
                }
                let number = |q: &PageQuery| q.get("page").and_then(|p| p.parse::<u64>().ok());
                if let (Some(now), Some(then)) = (number(&query), number(current)) {
                    if now <= then {
                        return Err(format!("the `next` link goes back from page {then} to page {now}"));
                    }
                }
                if let Some(token) = query.get("page_token") {
                    if !self.seen.insert(token.to_owned()) {
                        return Err("the `next` link repeats an earlier `page_token`".to_owned());
                    }
                }
                Ok(Some(query))
            }
            Next::Cursor { has_more: Some(true), last_id, .. } => {
                let Some(last_id) = last_id.filter(|id| !id.is_empty()) else {
                    return Err("the page says `has_more` but has no `last_id`".to_owned());
                };
                if !self.seen.insert(last_id.clone()) {
                    return Err(format!("the cursor `last_id` {last_id:?} came back"));
                }
                Ok(Some(PageQuery { values: vec![("after", last_id)] }))
            }
            Next::Cursor { .. } => Ok(None),
        }
    }

    /// The page parameters of a `next` link; the rest of the link (its host above all) is
    /// ignored.
    fn link_query(&self, url: &str) -> Result<PageQuery, String> {
        let url = Url::parse(url).map_err(|err| format!("the `next` link is not a URL ({err})"))?;
        let mut values = Vec::new();
        for name in self.params {
            let Some((_, value)) = url.query_pairs().find(|(n, _)| n == name) else {
                continue;
            };
            if (*name == "page" || *name == "per_page") && value.parse::<u64>().is_err() {
                return Err(format!("the `next` link's `{name}` is not a page number: {value:?}"));
            }
            values.push((*name, value.into_owned()));
        }
        if !values.iter().any(|(n, _)| *n == "page" || *n == "page_token") {
            return Err("the `next` link has neither `page` nor `page_token`".to_owned());
        }
        Ok(PageQuery { values })
    }
}
