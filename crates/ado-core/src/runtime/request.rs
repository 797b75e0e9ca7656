//! Building an operation's request: the area's base URL, the path (its parameters already
//! percent-encoded with [`Segment`](crate::__private::Segment)), the query parameters that are set
//! (`$top` written as the service documents it, not `%24top`), the operation's api-version last,
//! and a JSON body.

use std::fmt::{self, Display, Write};

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use super::Runtime;
use crate::operation::Operation;
use crate::{Error, Result};

impl Runtime {
    /// The request for `operation` (before the credentials and the headers every request carries,
    /// which each attempt puts on).
    ///
    /// ```ignore
    /// runtime.request(
    ///     &operation::CONFIGURATIONS_LIST,
    ///     format_args!("/{}/_apis/policy/configurations", Segment(project)),
    ///     &[("$top", param(&top)), ("scope", param(&scope))],
    ///     None,
    /// )
    /// ```
    pub fn request(
        &self,
        operation: &'static Operation,
        path: fmt::Arguments<'_>,
        query: &[(&str, Option<&dyn Display>)],
        body: Option<Result<Vec<u8>>>,
    ) -> Result<reqwest::Request> {
        let build = || {
            let url = url_of(self.base_url(), path, query, operation.api_version)
                .map_err(|e| Error::invalid_input(format!("the URL cannot be made: {e}")))?;
            let mut request = reqwest::Request::new(operation.method.to_reqwest(), url);
            if let Some(body) = body.transpose()? {
                request
                    .headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                *request.body_mut() = Some(body.into());
            }
            Ok(request)
        };
        build().map_err(|error: Error| error.with_operation(operation.id))
    }
}

/// A query parameter's value, when it is set.
pub fn param<T: Display>(value: &Option<T>) -> Option<&dyn Display> {
    value.as_ref().map(|v| v as &dyn Display)
}

/// A request body as JSON (for [`Runtime::request`]).
pub fn json<T: serde::Serialize>(body: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(body)
        .map_err(|e| Error::invalid_input(format!("the request body cannot be written as JSON: {e}")))
}

fn url_of(
    base: &str,
    path: fmt::Arguments<'_>,
    query: &[(&str, Option<&dyn Display>)],
    api_version: &str,
) -> std::result::Result<url::Url, String> {
    let mut text = String::with_capacity(base.len() + 128);
    write!(text, "{base}{path}?").map_err(|e| e.to_string())?;
    for (name, value) in query {
        let Some(value) = value else { continue };
        let value = value.to_string();
        text.push_str(name);
        text.push('=');
        text.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
        text.push('&');
    }
    text.push_str("api-version=");
    text.push_str(api_version);
    url::Url::parse(&text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_parameters_come_in_order_encoded_with_the_api_version_last() {
        let top: Option<i32> = Some(3);
        let scope: Option<String> = Some("refs/heads/main & more".into());
        let skip: Option<i32> = None;
        let url = url_of(
            "https://dev.azure.com/fabrikam",
            format_args!("/{}/_apis/policy/configurations", "p"),
            &[("$top", param(&top)), ("$skip", param(&skip)), ("scope", param(&scope))],
            "7.1",
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://dev.azure.com/fabrikam/p/_apis/policy/configurations?$top=3&scope=refs%2Fheads%2Fmain+%26+more&api-version=7.1"
        );
    }

    #[test]
    fn without_parameters_the_query_is_the_api_version() {
        let url = url_of("https://h/o", format_args!("/_apis/x"), &[], "7.1-preview.1").unwrap();
        assert_eq!(url.as_str(), "https://h/o/_apis/x?api-version=7.1-preview.1");
    }
}
