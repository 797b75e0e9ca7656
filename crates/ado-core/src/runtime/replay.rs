//! What a retry keeps of a request to send it again.

use super::STAMPED;

/// What a retry needs to send a request again. For a request without a body whose headers are
/// all stamped ones (every GET and DELETE the generated code sends: no operation in the fragments
/// has a header parameter) and a standard method, only the method and URL are kept and the
/// headers are stamped afresh. Any other request is copied whole; one whose body cannot be sent
/// twice is not replayed.
pub(super) enum Replay {
    Parts {
        // A byte, not reqwest's method (24): the retry loop's future holds a `Replay`.
        method: crate::HttpMethod,
        url: url::Url,
        version: reqwest::Version,
    },
    // Boxed: most calls are `Parts`, and the retry loop's future holds a `Replay`.
    Whole(Box<reqwest::Request>),
    Never,
}

impl Replay {
    pub(super) fn of(request: &reqwest::Request) -> Self {
        let method = crate::HttpMethod::of(request.method());
        let standard = method.as_str() == request.method().as_str();
        if !standard || request.body().is_some() || !request.headers().keys().all(|name| STAMPED.contains(name)) {
            return request
                .try_clone()
                .map_or(Replay::Never, |copy| Replay::Whole(Box::new(copy)));
        }
        Replay::Parts {
            method,
            url: request.url().clone(),
            version: request.version(),
        }
    }

    /// A fresh copy to send (its credentials not yet stamped).
    pub(super) fn request(&self) -> Option<reqwest::Request> {
        match self {
            Replay::Parts { method, url, version } => {
                let method = reqwest::Method::from_bytes(method.as_str().as_bytes()).ok()?;
                let mut request = reqwest::Request::new(method, url.clone());
                *request.version_mut() = *version;
                Some(request)
            }
            Replay::Whole(request) => request.try_clone(),
            Replay::Never => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use reqwest::header::HeaderValue;
    fn bare(method: &str) -> reqwest::Request {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        reqwest::Request::new(
            method,
            url::Url::parse("https://h/o/p/_apis/x/1?api-version=7.1").unwrap(),
        )
    }
    #[test]
    fn a_bodyless_request_is_replayed_from_its_method_and_url() {
        let replay = Replay::of(&bare("DELETE"));
        assert!(matches!(replay, Replay::Parts { .. }));
        let again = replay.request().unwrap();
        assert_eq!(again.method(), reqwest::Method::DELETE);
        assert_eq!(again.url().as_str(), "https://h/o/p/_apis/x/1?api-version=7.1");
        assert!(again.headers().is_empty());
    }
    #[test]
    fn a_request_with_a_body_is_replayed_whole_even_with_only_stamped_headers() {
        let mut request = bare("PUT");
        *request.body_mut() = Some(reqwest::Body::from("{\"a\":1}"));
        let replay = Replay::of(&request);
        assert!(matches!(replay, Replay::Whole(_)));
        let again = replay.request().unwrap();
        assert_eq!(again.body().and_then(|b| b.as_bytes()), Some(b"{\"a\":1}".as_slice()));
    }
    #[test]
    fn a_request_with_a_header_of_its_own_is_replayed_whole() {
        let mut request = bare("GET");
        request.headers_mut().insert("x-own", HeaderValue::from_static("1"));
        let replay = Replay::of(&request);
        assert!(matches!(replay, Replay::Whole(_)));
        assert_eq!(replay.request().unwrap().headers()["x-own"], "1");
    }
    #[test]
    fn a_request_whose_body_cannot_be_sent_twice_is_not_replayed() {
        let mut request = bare("POST");
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from_static(b"x"))];
        *request.body_mut() = Some(reqwest::Body::wrap_stream(futures::stream::iter(chunks)));
        let replay = Replay::of(&request);
        assert!(matches!(replay, Replay::Never));
        assert!(replay.request().is_none());
    }
    #[test]
    fn a_request_with_a_method_of_its_own_is_replayed_whole() {
        let replay = Replay::of(&bare("PROPFIND"));
        assert!(matches!(replay, Replay::Whole(_)));
        assert_eq!(replay.request().unwrap().method().as_str(), "PROPFIND");
    }
}
