//! Continuation-token paging as streams of pages and of items.

use std::future::Future;

use futures::{Stream, TryStreamExt, stream};

use crate::Result;

/// One page: its items and where the next page starts (`None` at the end).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The token for the next page; `None` (or an empty token, which the pager treats the same)
    /// when this is the last page.
    pub next: Option<String>,
}

/// Pages fetched one at a time: `fetch(None)` gets the first page, `fetch(Some(token))` the next.
/// The stream ends after a page without a token (or with an empty one), or after an error. Only
/// one page is held at a time.
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
    enum State {
        Start,
        Next(String),
        Done,
    }
    stream::unfold((State::Start, fetch), |(state, mut fetch)| async move {
        let token = match state {
            State::Done => return None,
            State::Start => None,
            State::Next(token) => Some(token),
        };
        match fetch(token).await {
            Ok(page) => {
                let next = match page.next.as_deref() {
                    Some(t) if !t.is_empty() => State::Next(t.to_string()),
                    _ => State::Done,
                };
                Some((Ok(page), (next, fetch)))
            }
            Err(error) => Some((Err(error), (State::Done, fetch))),
        }
    })
}

/// The items of [`pages`], one by one.
pub fn items<T, F, Fut>(fetch: F) -> impl Stream<Item = Result<T>>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>>>,
{
    flatten(pages(fetch))
}

/// The items of a stream of pages, one by one; an error ends the stream after it is yielded.
pub fn flatten<T, S>(pages: S) -> impl Stream<Item = Result<T>>
where
    S: Stream<Item = Result<Page<T>>>,
{
    pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
}

/// `$top`/`$skip` paging: asks for `page_size` items at a time and stops after a short page.
pub fn skip_pages<T, F, Fut>(page_size: u32, mut fetch: F) -> impl Stream<Item = Result<Page<T>>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: Future<Output = Result<Vec<T>>>,
{
    let page_size = page_size.max(1);
    pages(move |token: Option<String>| {
        let skip: u32 = token.and_then(|t| t.parse().ok()).unwrap_or(0);
        let page = fetch(page_size, skip);
        async move {
            let items = page.await?;
            let next = (items.len() as u32 >= page_size).then(|| (skip + page_size).to_string());
            Ok(Page { items, next })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;
    use futures::StreamExt;

    #[tokio::test]
    async fn an_empty_token_ends_the_stream() {
        let mut calls = 0;
        let all: Vec<u8> = items(|token: Option<String>| {
            calls += 1;
            async move {
                Ok(match token.as_deref() {
                    None => Page {
                        items: vec![1, 2],
                        next: Some("a".into()),
                    },
                    Some("a") => Page {
                        items: vec![3],
                        next: Some(String::new()),
                    },
                    Some(other) => panic!("unexpected token {other}"),
                })
            }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(all, vec![1, 2, 3]);
        assert_eq!(calls, 2);
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        let results: Vec<Result<Page<u8>>> = pages(|token: Option<String>| async move {
            match token {
                None => Ok(Page {
                    items: vec![1],
                    next: Some("t".into()),
                }),
                Some(_) => Err(Error::invalid_input("boom")),
            }
        })
        .collect()
        .await;
        assert_eq!(results.len(), 2);
        assert!(results[1].is_err());
    }

    #[tokio::test]
    async fn skip_paging_stops_after_a_short_page() {
        let data: Vec<u32> = (0..7).collect();
        let asked = std::sync::Mutex::new(Vec::new());
        let got: Vec<Page<u32>> = skip_pages(3, |top, skip| {
            asked.lock().unwrap().push((top, skip));
            let slice = data.iter().skip(skip as usize).take(top as usize).copied().collect();
            async move { Ok(slice) }
        })
        .try_collect()
        .await
        .unwrap();
        assert_eq!(got.iter().map(|p| p.items.len()).collect::<Vec<_>>(), vec![3, 3, 1]);
        assert_eq!(*asked.lock().unwrap(), vec![(3, 0), (3, 3), (3, 6)]);
    }
}
