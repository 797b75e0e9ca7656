//! Continuation-token paging as streams of pages and of items.

use std::collections::VecDeque;
use std::future::Future;

use futures_core::Stream;
use futures_util::{TryStreamExt, stream};

use crate::{Error, Result};

/// One page: its items and where the next page starts (`None` at the end).
///
/// ```
/// let last = ado_core::pager::Page { items: vec![1, 2], next: None };
/// assert_eq!(last.items.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The token for the next page; `None` (or an empty token, which the pager treats the same)
    /// when this is the last page.
    pub next: Option<String>,
}

/// Ceilings on one listing, for a caller that must bound what a listing can cost. Past one, the
/// stream ends with an [`ErrorKind::Paging`](crate::ErrorKind::Paging) error. None by default.
///
/// ```
/// use ado_core::{Config, Credentials, pager::PageLimits};
/// let config = Config::builder()
///     .organization("fabrikam")
///     .credentials(Credentials::pat("pat"))
///     .page_limits(PageLimits { max_pages: Some(50), max_items: Some(10_000) })
///     .build()?;
/// assert_eq!(config.page_limits().max_pages, Some(50));
/// # Ok::<(), ado_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageLimits {
    /// The most pages fetched.
    pub max_pages: Option<u64>,
    /// The most items yielded.
    pub max_items: Option<u64>,
}

/// How many of the latest continuation tokens are remembered: one seen again among them means the
/// service is sending the listing round in a loop.
pub const REMEMBERED_TOKENS: usize = 8;

/// The longest continuation token sent back: a longer one would not fit in a URL the service
/// accepts, so it is taken for a broken answer.
pub const MAX_TOKEN_LEN: usize = 4096;

/// Pages fetched one at a time: `fetch(None)` gets the first page, `fetch(Some(token))` the next.
/// The stream ends after a page without a token (or with an empty one), or after an error. Only
/// one page is held at a time.
///
/// The service's tokens are not trusted to move on: a token seen among the last
/// [`REMEMBERED_TOKENS`], or one longer than [`MAX_TOKEN_LEN`], ends the stream with an
/// [`ErrorKind::Paging`](crate::ErrorKind::Paging) error after the page that carried it.
///
/// ```
/// use ado_core::pager::{pages, Page};
/// use futures::TryStreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let numbers = pages(|token: Option<String>| async move {
///     let start: u32 = token.map_or(0, |t| t.parse().unwrap());
///     let next = (start < 4).then(|| (start + 2).to_string());
///     Ok(Page { items: vec![start, start + 1], next })
/// });
/// let all: Vec<Vec<u32>> = numbers.map_ok(|p| p.items).try_collect().await.unwrap();
/// assert_eq!(all, vec![vec![0, 1], vec![2, 3], vec![4, 5]]);
/// # });
/// ```
pub fn pages<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<Page<T>>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    pages_within(PageLimits::default(), fetch)
}

/// [`pages`], within ceilings on the pages fetched and the items yielded.
///
/// ```
/// use ado_core::pager::{PageLimits, Page, pages_within};
/// use futures::StreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let limits = PageLimits { max_pages: Some(2), max_items: None };
/// let endless = pages_within(limits, |token: Option<String>| async move {
///     let n: u32 = token.map_or(0, |t| t.parse().unwrap());
///     Ok(Page { items: vec![n], next: Some((n + 1).to_string()) })
/// });
/// let seen: Vec<_> = endless.collect().await;
/// assert_eq!(seen.len(), 3);
/// assert_eq!(seen[2].as_ref().unwrap_err().kind(), &ado_core::ErrorKind::Paging);
/// # });
/// ```
pub fn pages_within<T, F, Fut>(limits: PageLimits, fetch: F) -> impl Stream<Item = Result<Page<T>>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    enum State {
        Start,
        Next(String),
        Failed(Error),
        Done,
    }
    let progress = Progress::new(limits);
    stream::unfold(
        (State::Start, fetch, progress),
        |(state, mut fetch, mut progress)| async move {
            let token = match state {
                State::Done => return None,
                State::Failed(error) => return Some((Err(error), (State::Done, fetch, progress))),
                State::Start => None,
                State::Next(token) => Some(token),
            };
            let page = match fetch(token).await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), (State::Done, fetch, progress))),
            };
            if let Err(error) = progress.count(page.items.len()) {
                return Some((Err(error), (State::Done, fetch, progress)));
            }
            let next = match page.next.as_deref().filter(|t| !t.is_empty()) {
                None => State::Done,
                Some(token) => match progress.next(token) {
                    Ok(()) => State::Next(token.to_string()),
                    Err(error) => State::Failed(error),
                },
            };
            Some((Ok(page), (next, fetch, progress)))
        },
    )
}

/// What a listing has fetched so far, checked against its ceilings and for tokens that come round
/// again.
struct Progress {
    limits: PageLimits,
    pages: u64,
    items: u64,
    recent: VecDeque<String>,
}

impl Progress {
    fn new(limits: PageLimits) -> Self {
        Self {
            limits,
            pages: 0,
            items: 0,
            recent: VecDeque::with_capacity(REMEMBERED_TOKENS),
        }
    }

    /// Count a page of `items`; `Err` when it takes the listing past the item ceiling.
    fn count(&mut self, items: usize) -> Result<()> {
        self.pages += 1;
        self.items = self.items.saturating_add(items as u64);
        match self.limits.max_items {
            Some(max) if self.items > max => Err(Error::paging(format!(
                "the listing has more than {max} items, the ceiling set in PageLimits::max_items"
            ))),
            _ => Ok(()),
        }
    }

    /// Check the token of the next page: `Err` when it cannot lead anywhere new or the page
    /// ceiling is reached.
    fn next(&mut self, token: &str) -> Result<()> {
        self.room_for_another()?;
        if token.len() > MAX_TOKEN_LEN {
            return Err(Error::paging(format!(
                "the service sent a continuation token of {} bytes (at most {MAX_TOKEN_LEN} are sent back)",
                token.len()
            )));
        }
        if self.recent.iter().any(|seen| seen == token) {
            return Err(Error::paging(format!(
                "the service sent continuation token `{}` again after {} pages: the listing would go round in a loop",
                crate::error::bounded(token, 64),
                self.pages
            )));
        }
        if self.recent.len() == REMEMBERED_TOKENS {
            self.recent.pop_front();
        }
        self.recent.push_back(token.to_string());
        Ok(())
    }

    /// `Err` when the page ceiling is reached.
    fn room_for_another(&self) -> Result<()> {
        match self.limits.max_pages {
            Some(max) if self.pages >= max => Err(Error::paging(format!(
                "the listing has more than {max} pages, the ceiling set in PageLimits::max_pages"
            ))),
            _ => Ok(()),
        }
    }
}

/// The items of [`pages`], one by one.
///
/// ```
/// use ado_core::pager::{Page, items};
/// use futures::TryStreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let all: Vec<u32> = items(|token: Option<String>| async move {
///     Ok(match token.as_deref() {
///         None => Page { items: vec![1, 2], next: Some("b".into()) },
///         _ => Page { items: vec![3], next: None },
///     })
/// })
/// .try_collect()
/// .await
/// .unwrap();
/// assert_eq!(all, vec![1, 2, 3]);
/// # });
/// ```
pub fn items<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    flatten(pages(fetch))
}

/// The items of a stream of pages, one by one; an error ends the stream after it is yielded.
///
/// ```
/// use ado_core::pager::{Page, flatten};
/// use futures::TryStreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let pages = futures::stream::iter(vec![
///     Ok(Page { items: vec!["a", "b"], next: Some("t".into()) }),
///     Ok(Page { items: vec!["c"], next: None }),
/// ]);
/// let all: Vec<&str> = flatten(pages).try_collect().await.unwrap();
/// assert_eq!(all, vec!["a", "b", "c"]);
/// # });
/// ```
pub fn flatten<T, S>(pages: S) -> impl Stream<Item = Result<T>>
where
    S: Stream<Item = Result<Page<T>>>,
{
    pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
}

/// The largest `$skip` the service takes (a 32-bit signed integer).
pub const MAX_SKIP: u32 = i32::MAX as u32;

/// `$top`/`$skip` paging: `fetch(top, skip)` asks for `page_size` items at a time, and the
/// stream stops after a short (or empty) page. A server that ignores `$skip` would send the same page for ever: a page equal to the one
/// before it ends the stream with an [`ErrorKind::Paging`](crate::ErrorKind::Paging) error, and so
/// does a `$skip` past [`MAX_SKIP`].
///
/// ```
/// use ado_core::pager::skip_pages;
/// use futures::TryStreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let revisions: Vec<u32> = (1..=5).collect();
/// let pages = skip_pages(2, |top: u32, skip: u32| {
///     let page = revisions.iter().copied().skip(skip as usize).take(top as usize).collect::<Vec<_>>();
///     async move { Ok(page) }
/// });
/// let sizes: Vec<usize> = pages.map_ok(|p| p.items.len()).try_collect().await.unwrap();
/// assert_eq!(sizes, vec![2, 2, 1]);
/// # });
/// ```
pub fn skip_pages<T, F, Fut>(page_size: u32, fetch: F) -> impl Stream<Item = Result<Page<T>>>
where
    T: PartialEq + Clone,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    skip_pages_within(PageLimits::default(), page_size, fetch)
}

/// [`skip_pages`], within ceilings on the pages fetched and the items yielded.
///
/// ```
/// use ado_core::pager::{PageLimits, skip_pages_within};
/// use futures::StreamExt;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let limits = PageLimits { max_pages: None, max_items: Some(3) };
/// let pages = skip_pages_within(limits, 2, |_top: u32, skip: u32| async move { Ok(vec![skip, skip + 1]) });
/// let seen: Vec<_> = pages.collect().await;
/// assert!(seen.last().unwrap().is_err(), "the fourth item is over the ceiling");
/// # });
/// ```
pub fn skip_pages_within<T, F, Fut>(limits: PageLimits, page_size: u32, fetch: F) -> impl Stream<Item = Result<Page<T>>>
where
    T: PartialEq + Clone,
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    enum State<T> {
        At { skip: u32, previous: Option<Vec<T>> },
        Failed(Error),
        Done,
    }
    let page_size = page_size.clamp(1, MAX_SKIP);
    let start = State::At {
        skip: 0,
        previous: None,
    };
    stream::unfold(
        (start, fetch, Progress::new(limits)),
        move |(state, mut fetch, mut progress)| async move {
            let (skip, previous) = match state {
                State::Done => return None,
                State::Failed(error) => return Some((Err(error), (State::Done, fetch, progress))),
                State::At { skip, previous } => (skip, previous),
            };
            let items = match fetch(page_size, skip).await {
                Ok(items) => items,
                Err(error) => return Some((Err(error), (State::Done, fetch, progress))),
            };
            if !items.is_empty() && previous.as_ref() == Some(&items) {
                let error = Error::paging(format!(
                    "the service sent the same {} items for $skip={skip} as for the page before: it ignores $skip",
                    items.len()
                ));
                return Some((Err(error), (State::Done, fetch, progress)));
            }
            if let Err(error) = progress.count(items.len()) {
                return Some((Err(error), (State::Done, fetch, progress)));
            }
            let (next, state) = if items.len() < page_size as usize {
                (None, State::Done)
            } else {
                match skip.checked_add(page_size).filter(|next| *next <= MAX_SKIP) {
                    None => (
                        None,
                        State::Failed(Error::paging(format!(
                            "the listing goes past $skip={MAX_SKIP}, the largest the service takes"
                        ))),
                    ),
                    Some(next) => match progress.room_for_another() {
                        Ok(()) => (
                            Some(next.to_string()),
                            State::At {
                                skip: next,
                                previous: Some(items.clone()),
                            },
                        ),
                        Err(error) => (None, State::Failed(error)),
                    },
                }
            };
            Some((Ok(Page { items, next }), (state, fetch, progress)))
        },
    )
}

#[cfg(test)]
mod tests;
