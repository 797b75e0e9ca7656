//! The per-operation facts the generator writes into each area crate: method and api-version.

/// An HTTP method, as the specs name them.
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

    /// Whether sending the request twice has the effect of sending it once (RFC 9110): GET, PUT,
    /// DELETE, HEAD and OPTIONS. A POST or PATCH is re-sent only when it provably never left.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, HttpMethod::Post | HttpMethod::Patch)
    }
}

/// One operation of an area: its id (snake_case, as the hooks see it), method and api-version.
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
