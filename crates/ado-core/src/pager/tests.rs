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
