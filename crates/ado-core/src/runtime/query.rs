//! The query of a request as the service reads it.

/// Put the api-version in the query and write `$`-parameters as the service documents them
/// (`$top`, not `%24top`).
pub(super) fn rewrite_query(url: &mut url::Url, api_version: &str) {
    let current = url.query().unwrap_or("");
    // The usual case: the generated URL already carries the operation's version, and no `$`.
    if !current.contains("%24") {
        match current.split('&').find_map(|pair| pair.strip_prefix("api-version=")) {
            Some(version) if version == api_version => return,
            None => {
                url.query_pairs_mut().append_pair("api-version", api_version);
                return;
            }
            Some(_) => {}
        }
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "api-version")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut query = String::new();
    for (key, value) in pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain([("api-version", api_version)])
    {
        if !query.is_empty() {
            query.push('&');
        }
        let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        query.push_str(&encoded.replace("%24", "$"));
        query.push('=');
        query.extend(url::form_urlencoded::byte_serialize(value.as_bytes()));
    }
    url.set_query(Some(&query));
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn the_query_gets_the_api_version_and_dollar_parameters_unescaped() {
        let mut url = url::Url::parse("https://h/x?%24top=5&continuationToken=a%2Bb%26c&api-version=old").unwrap();
        rewrite_query(&mut url, "7.1-preview.1");
        assert_eq!(
            url.query(),
            Some("$top=5&continuationToken=a%2Bb%26c&api-version=7.1-preview.1")
        );
    }
    #[test]
    fn a_query_that_carries_the_operations_api_version_is_left_as_it_is() {
        let mut url = url::Url::parse("https://h/x?api-version=7.1&continuationToken=a%2Bb").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("api-version=7.1&continuationToken=a%2Bb"));
    }
    #[test]
    fn a_query_without_an_api_version_gets_one_appended() {
        let mut url = url::Url::parse("https://h/x?continuationToken=a%2Bb").unwrap();
        rewrite_query(&mut url, "7.1-preview.1");
        assert_eq!(url.query(), Some("continuationToken=a%2Bb&api-version=7.1-preview.1"));
    }
    #[test]
    fn a_dollar_parameter_after_the_api_version_is_unescaped() {
        let mut url = url::Url::parse("https://h/x?api-version=7.1&%24top=5").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("$top=5&api-version=7.1"));
    }
    #[test]
    fn a_query_with_the_operations_api_version_later_on_is_left_as_it_is() {
        let mut url = url::Url::parse("https://h/x?continuationToken=a%20b&api-version=7.1").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("continuationToken=a%20b&api-version=7.1"));
    }
    #[test]
    fn another_api_version_is_replaced() {
        let mut url = url::Url::parse("https://h/x?api-version=5.0&name=a").unwrap();
        rewrite_query(&mut url, "7.1");
        assert_eq!(url.query(), Some("name=a&api-version=7.1"));
    }
}
