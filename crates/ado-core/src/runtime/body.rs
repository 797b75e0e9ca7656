//! Reading an answer's body within its limit.

use bytes::Bytes;

/// Read a body, stopping at `limit` bytes; `None` when it went past, or when the answer declared
/// a longer one (nothing is read then). A body that comes in one chunk (the usual case) is kept as
/// it came, without a copy; one in several is gathered into a buffer the size the answer
/// declared, so that it is never copied to grow.
pub(crate) async fn read_bounded(response: &mut reqwest::Response, limit: usize) -> reqwest::Result<Option<Bytes>> {
    let declared = response.content_length().unwrap_or(0);
    if declared > limit as u64 {
        return Ok(None);
    }
    // Within the limit, so it fits a usize.
    let declared = declared as usize;
    let mut first = Bytes::new();
    // Only when a second chunk comes: the chunks so far, joined.
    let mut joined: Option<bytes::BytesMut> = None;
    while let Some(chunk) = response.chunk().await? {
        let read = joined.as_ref().map_or(first.len(), |joined| joined.len());
        if read.saturating_add(chunk.len()) > limit {
            return Ok(None);
        }
        match &mut joined {
            Some(joined) => joined.extend_from_slice(&chunk),
            None if first.is_empty() => first = chunk,
            None => {
                let mut both = bytes::BytesMut::with_capacity(declared.max(first.len() + chunk.len()));
                both.extend_from_slice(&first);
                both.extend_from_slice(&chunk);
                joined = Some(both);
            }
        }
    }
    Ok(Some(joined.map_or(first, bytes::BytesMut::freeze)))
}

#[cfg(test)]
mod tests {
    use super::*;
    fn streamed(chunks: &[&'static [u8]]) -> reqwest::Response {
        let chunks: Vec<Result<Bytes, std::io::Error>> = chunks.iter().map(|c| Ok(Bytes::from_static(c))).collect();
        let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
        reqwest::Response::from(http::Response::new(body))
    }
    #[tokio::test]
    async fn a_body_in_one_chunk_is_kept_as_it_came() {
        static BODY: &[u8] = b"{\"id\": 7}";
        let body = read_bounded(&mut streamed(&[BODY]), 100).await.unwrap().unwrap();
        assert_eq!(body.as_ptr(), BODY.as_ptr());
    }
    #[tokio::test]
    async fn a_body_in_several_chunks_is_joined_in_order() {
        let mut response = streamed(&[b"", b"{\"id\"", b"", b": 7", b"}"]);
        let body = read_bounded(&mut response, 100).await.unwrap().unwrap();
        assert_eq!(body, b"{\"id\": 7}".as_slice());
    }
    #[tokio::test]
    async fn a_body_that_passes_the_limit_in_a_later_chunk_is_refused() {
        let mut response = streamed(&[b"1234", b"5678", b"9"]);
        assert_eq!(read_bounded(&mut response, 8).await.unwrap(), None);
        let mut response = streamed(&[b"1234", b"5678"]);
        assert_eq!(
            read_bounded(&mut response, 8).await.unwrap().unwrap(),
            b"12345678".as_slice()
        );
    }
    #[tokio::test]
    async fn an_empty_body_reads_as_empty() {
        assert_eq!(
            read_bounded(&mut streamed(&[]), 8).await.unwrap().unwrap(),
            Bytes::new()
        );
    }
}
