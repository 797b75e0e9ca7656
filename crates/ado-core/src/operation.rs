//! The per-operation facts the generator writes into each area crate: method and api-version.

/// An HTTP method, as the specs name them.
///
/// ```
/// use ado_core::HttpMethod;
/// assert_eq!(HttpMethod::of(&reqwest::Method::PATCH), HttpMethod::Patch);
/// assert!(HttpMethod::Put.is_idempotent() && !HttpMethod::Post.is_idempotent());
/// assert_eq!(HttpMethod::Delete.as_str(), "DELETE");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// PUT.
    Put,
    /// POST.
    Post,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// HEAD.
    Head,
    /// OPTIONS.
    Options,
}

impl HttpMethod {
    /// The method's name, in capitals.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
        }
    }

    /// The method of a request; one not named here counts as a POST (never re-sent blindly).
    pub fn of(method: &reqwest::Method) -> Self {
        match *method {
            reqwest::Method::GET => HttpMethod::Get,
            reqwest::Method::PUT => HttpMethod::Put,
            reqwest::Method::PATCH => HttpMethod::Patch,
            reqwest::Method::DELETE => HttpMethod::Delete,
            reqwest::Method::HEAD => HttpMethod::Head,
            reqwest::Method::OPTIONS => HttpMethod::Options,
            _ => HttpMethod::Post,
        }
    }

    /// The method as reqwest names it.
    pub(crate) fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Options => reqwest::Method::OPTIONS,
        }
    }

    /// Whether sending the request twice has the effect of sending it once (RFC 9110): GET, PUT,
    /// DELETE, HEAD and OPTIONS. A POST or PATCH is re-sent only when it provably never left.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }
}

/// One operation of an area: its id (snake_case, as the generated code names it), method and
/// api-version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The snake_case operation id.
    pub id: &'static str,
    /// The HTTP method.
    pub method: HttpMethod,
    /// The `api-version` the operation speaks, such as `7.1` or `7.1-preview.1`.
    pub api_version: &'static str,
}

impl Operation {
    /// An operation's facts.
    pub const fn new(id: &'static str, method: HttpMethod, api_version: &'static str) -> Self {
        Self {
            id,
            method,
            api_version,
        }
    }
}

/// The table of an area's operations, sorted by id.
#[derive(Debug, Clone, Copy)]
pub struct Operations(&'static [Operation]);

impl Operations {
    /// A table; the generator sorts it by id.
    pub const fn new(operations: &'static [Operation]) -> Self {
        Self(operations)
    }

    /// The operation with this id.
    pub fn find(&self, id: &str) -> Option<&'static Operation> {
        self.0.binary_search_by(|op| op.id.cmp(id)).ok().map(|i| &self.0[i])
    }

    /// Every operation.
    pub fn all(&self) -> &'static [Operation] {
        self.0
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requests_method_is_named_and_an_unknown_one_counts_as_a_post() {
        assert_eq!(HttpMethod::of(&reqwest::Method::GET), HttpMethod::Get);
        assert_eq!(HttpMethod::of(&reqwest::Method::PATCH), HttpMethod::Patch);
        assert_eq!(HttpMethod::of(&reqwest::Method::DELETE), HttpMethod::Delete);
        let custom = reqwest::Method::from_bytes(b"PURGE").unwrap();
        assert_eq!(HttpMethod::of(&custom), HttpMethod::Post);
        assert!(!HttpMethod::of(&custom).is_idempotent());
    }

    #[test]
    fn every_method_is_known_and_an_unknown_one_counts_as_a_post() {
        for (method, known) in [
            (reqwest::Method::GET, HttpMethod::Get),
            (reqwest::Method::PUT, HttpMethod::Put),
            (reqwest::Method::PATCH, HttpMethod::Patch),
            (reqwest::Method::DELETE, HttpMethod::Delete),
            (reqwest::Method::HEAD, HttpMethod::Head),
            (reqwest::Method::OPTIONS, HttpMethod::Options),
            (reqwest::Method::POST, HttpMethod::Post),
            (reqwest::Method::from_bytes(b"PROPFIND").unwrap(), HttpMethod::Post),
        ] {
            assert_eq!(HttpMethod::of(&method), known, "{method}");
        }
        assert!(HttpMethod::Head.is_idempotent() && HttpMethod::Options.is_idempotent());
    }

    #[test]
    fn every_operation_is_listed() {
        static LIST: Operations = Operations::new(&[
            Operation::new("a_get", HttpMethod::Get, "7.1"),
            Operation::new("b_create", HttpMethod::Post, "7.1-preview.1"),
        ]);
        let ids: Vec<&str> = LIST.all().iter().map(|op| op.id).collect();
        assert_eq!(ids, ["a_get", "b_create"]);
        assert_eq!(LIST.find("b_create").map(|op| op.api_version), Some("7.1-preview.1"));
        assert_eq!(LIST.find("c"), None);
    }
}
