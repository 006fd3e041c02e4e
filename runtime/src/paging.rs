//! Auto-paging over `page_token` pagination.
//!
//! A page ends the stream when its `page_token` is absent or empty. A server that hands
//! back a token it already gave would loop forever; the stream stops with an error instead.

use std::collections::{HashSet, VecDeque};
use std::future::Future;

use futures_util::Stream;

use crate::endpoint::Endpoint;
use crate::error::{Error, UnexpectedKind, UnexpectedResponse};

/// A page of a paginated endpoint.
pub trait Page {
    /// One item of the page.
    type Item;
    /// The items and the token of the next page.
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
}

struct State<R, I> {
    request: R,
    next: Option<Option<String>>,
    seen: HashSet<String>,
    buffer: VecDeque<I>,
    /// An error to yield once the buffered items are out (a repeated token).
    failure: Option<Error>,
}

/// All items of all pages, fetched lazily one page at a time.
///
/// The first page is `request` as it is (with its own `page_token`, if set, to resume); for
/// each next page, `set_token` writes the server's token into a copy of it, and `send` sends it.
pub fn items<R, P, E, F, Fut>(
    endpoint: &'static Endpoint,
    request: R,
    set_token: fn(&mut R, String),
    send: F,
) -> impl Stream<Item = Result<P::Item, E>>
where
    R: Clone,
    P: Page,
    E: From<Error>,
    F: Fn(R) -> Fut,
    Fut: Future<Output = Result<P, E>>,
{
    let fetch = move |mut request: R, token: Option<String>| {
        if let Some(token) = token {
            set_token(&mut request, token);
        }
        send(request)
    };
    let state = State { request, next: Some(None), seen: HashSet::new(), buffer: VecDeque::new(), failure: None };
    futures_util::stream::unfold((state, fetch), move |(mut state, fetch)| async move {
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), (state, fetch)));
            }
            if let Some(err) = state.failure.take() {
                return Some((Err(E::from(err)), (state, fetch)));
            }
            let token = state.next.take()?;
            let page = match fetch(state.request.clone(), token).await {
                Ok(page) => page,
                Err(e) => return Some((Err(e), (state, fetch))),
            };
            let (items, next) = page.into_parts();
            state.buffer.extend(items);
            match next.filter(|t| !t.is_empty()) {
                None => state.next = None,
                Some(t) if !state.seen.insert(t.clone()) => {
                    // Yield what this page brought, then the error, then stop.
                    state.failure = Some(repeated_token(endpoint, &t));
                    state.next = None;
                }
                Some(t) => state.next = Some(Some(t)),
            }
        }
    })
}

fn repeated_token(endpoint: &'static Endpoint, token: &str) -> Error {
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        endpoint: endpoint.name,
        http_status: 200,
        content_type: None,
        reason: format!("the server repeated page_token {token:?}; stopping to avoid an endless loop"),
        body_snippet: String::new(),
        log_id: None,
        kind: UnexpectedKind::RepeatedPageToken,
        body: Default::default(),
    }))
}
