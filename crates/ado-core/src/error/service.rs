//! The service's own description of a failure, parsed from an error body, and the limits on how
//! much of the service's text an error keeps.

/// The service's own description of a failure, parsed from the error body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceError {
    /// The message, `TFnnnnnn:` prefix included.
    pub message: Option<String>,
    /// The `TFnnnnnn` code at the start of the message.
    pub code: Option<String>,
    /// The exception's short name, such as `PolicyConfigurationNotFoundException`.
    pub type_key: Option<String>,
    /// The exception's full .NET type name.
    pub type_name: Option<String>,
    /// The numeric error code.
    pub error_code: Option<i64>,
    /// The event id.
    pub event_id: Option<i64>,
}

/// The longest part of a body quoted in an error.
pub const SNIPPET_LIMIT: usize = 256;

/// The longest piece of the service's text (its message) kept in an error; the rest is cut, with a
/// marker that says how much. [`Error::body`](crate::Error::body) keeps the whole answer.
pub const TEXT_LIMIT: usize = 1024;

/// The longest short field from the service kept in an error: codes, type names, `ActivityId`.
pub const SHORT_TEXT_LIMIT: usize = 256;

/// The start of a body, as text, for an error message: at most [`SNIPPET_LIMIT`] bytes.
pub fn snippet(body: &[u8]) -> String {
    let cut = &body[..body.len().min(SNIPPET_LIMIT)];
    let mut text = String::from_utf8_lossy(cut).into_owned();
    if body.len() > SNIPPET_LIMIT {
        text.push('…');
    }
    text
}

/// `text` cut to at most `limit` bytes (at a character boundary), followed by a marker naming how
/// many bytes were cut when any were.
pub(crate) fn bounded(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…[{} more bytes]", &text[..end], text.len() - end)
}

/// Parse an error body in any of the shapes the service uses: JSON (with or without a byte-order
/// mark), plain text, or nothing.
pub fn parse_service_error(body: &[u8]) -> Option<ServiceError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return None;
    }
    if trimmed.starts_with(b"{")
        && let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(trimmed)
    {
        let text = |key: &str, limit| map.get(key).and_then(|v| v.as_str()).map(|v| bounded(v, limit));
        let number = |key: &str| map.get(key).and_then(|v| v.as_i64());
        let message = text("message", TEXT_LIMIT);
        return Some(ServiceError {
            code: message.as_deref().and_then(tf_code),
            message,
            type_key: text("typeKey", SHORT_TEXT_LIMIT),
            type_name: text("typeName", SHORT_TEXT_LIMIT),
            error_code: number("errorCode"),
            event_id: number("eventId"),
        });
    }
    if trimmed.starts_with(b"<") {
        // An HTML page (a sign-in page or a proxy's error page) says nothing useful.
        return None;
    }
    let message = snippet(trimmed);
    Some(ServiceError {
        code: tf_code(&message),
        message: Some(message),
        ..Default::default()
    })
}

/// The `TFnnnnnn` at the start of a message.
pub fn tf_code(message: &str) -> Option<String> {
    let rest = message.strip_prefix("TF")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty() && rest[digits.len()..].starts_with(':')).then(|| format!("TF{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_error_body_with_a_byte_order_mark_is_parsed() {
        let body = b"\xEF\xBB\xBF{\"$id\":\"1\",\"innerException\":null,\"message\":\"TF401019: The Git repository does not exist.\",\"typeName\":\"Microsoft.TeamFoundation.Git.Server.GitRepositoryNotFoundException, Microsoft.TeamFoundation.Git.Server\",\"typeKey\":\"GitRepositoryNotFoundException\",\"errorCode\":0,\"eventId\":3000}";
        let parsed = parse_service_error(body).unwrap();
        assert_eq!(parsed.code.as_deref(), Some("TF401019"));
        assert_eq!(parsed.type_key.as_deref(), Some("GitRepositoryNotFoundException"));
        assert_eq!(parsed.error_code, Some(0));
        assert_eq!(parsed.event_id, Some(3000));
    }

    #[test]
    fn a_plain_text_error_body_becomes_the_message() {
        let parsed = parse_service_error(b"The controller for path '/x' was not found.").unwrap();
        assert_eq!(
            parsed.message.as_deref(),
            Some("The controller for path '/x' was not found.")
        );
        assert_eq!(parsed.code, None);
    }

    #[test]
    fn an_empty_or_html_body_has_no_service_error() {
        assert_eq!(parse_service_error(b""), None);
        assert_eq!(parse_service_error(b"<html><body>Sign in</body></html>"), None);
    }

    #[test]
    fn a_snippet_of_a_huge_body_is_bounded() {
        let body = vec![b'x'; 10_000];
        let text = snippet(&body);
        assert_eq!(text.len(), SNIPPET_LIMIT + '…'.len_utf8());
    }

    #[test]
    fn the_tf_code_needs_digits_and_a_colon() {
        assert_eq!(tf_code("TF400813: Unauthorized").as_deref(), Some("TF400813"));
        assert_eq!(tf_code("TFS is down"), None);
    }

    #[test]
    fn a_snippet_is_cut_only_past_the_limit() {
        assert_eq!(snippet(&[b'a'; SNIPPET_LIMIT]), "a".repeat(SNIPPET_LIMIT));
        assert_eq!(
            snippet(&[b'a'; SNIPPET_LIMIT + 1]),
            format!("{}…", "a".repeat(SNIPPET_LIMIT))
        );
    }

    #[test]
    fn bounded_text_at_the_limit_is_kept_whole() {
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("abcd", 3), "abc…[1 more bytes]");
    }

    #[test]
    fn a_tf_code_is_only_tf_digits_and_a_colon_at_the_start() {
        assert_eq!(tf_code("TF:"), None);
        assert_eq!(tf_code("TF12 no colon"), None);
        assert_eq!(tf_code("XTF12: x"), None);
        assert_eq!(tf_code("TF12a: x"), None);
        assert_eq!(tf_code("TF0:").as_deref(), Some("TF0"));
    }

    #[test]
    fn a_json_error_without_a_message_has_no_code() {
        let parsed = parse_service_error(b"{\"typeKey\":\"K\",\"errorCode\":5}").unwrap();
        assert_eq!(parsed.message, None);
        assert_eq!(parsed.code, None);
        assert_eq!(parsed.type_key.as_deref(), Some("K"));
        assert_eq!(parsed.error_code, Some(5));
        // A JSON body that is not an object is read as text.
        let text = parse_service_error(b"[1]").unwrap();
        assert_eq!(text.message.as_deref(), Some("[1]"));
    }

    #[test]
    fn bounded_text_cut_inside_a_character_moves_back_to_its_start() {
        assert_eq!(bounded("aé", 2), "a…[2 more bytes]");
        assert_eq!(bounded("aéb", 3), "aé…[1 more bytes]");
    }

    #[test]
    fn a_plain_text_error_with_a_tf_code_has_it() {
        let parsed = parse_service_error(b"TF400813: The user is not authorized.").unwrap();
        assert_eq!(parsed.code.as_deref(), Some("TF400813"));
    }
}
