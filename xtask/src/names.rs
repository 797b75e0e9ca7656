//! Names made from upstream's: `PascalCase` for types and enum variants.

/// `PatTokenErrorCode` from `patTokenErrorCode`, `Pat token error code` or `pat-token`.
pub fn pascal_case(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_joined_with_capitals() {
        assert_eq!(pascal_case("patTokenErrorCode"), "PatTokenErrorCode");
        assert_eq!(pascal_case("Pat token-error code"), "PatTokenErrorCode");
        assert_eq!(pascal_case("--"), "");
    }
}
