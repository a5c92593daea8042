//! Building the page URLs that carry state in their query: where to go after
//! signing in, and what to show after a plain form post. Shared by the server
//! (redirects) and the browser (links), so it uses no server-only crate.

/// Percent-encodes `input` for use as one query value: everything but the
/// unreserved characters of RFC 3986 is escaped, so the result is always a
/// valid header value and never ends a parameter early.
pub(crate) fn encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `path` with `pairs` as its query, skipping empty values.
pub(crate) fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| format!("{key}={}", encode(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The sign-in page, asked to come back to `back` afterwards.
pub(crate) fn sign_in_returning_to(back: &str) -> String {
    with_query("/sign-in", &[("redirectTo", back)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_and_non_ascii_characters_are_escaped() {
        assert_eq!(encode("/organizations"), "%2Forganizations");
        assert_eq!(encode("a b&c=d?é"), "a%20b%26c%3Dd%3F%C3%A9");
        assert_eq!(encode("ada+1@example.com"), "ada%2B1%40example.com");
    }

    #[test]
    fn empty_values_are_left_out_of_the_query() {
        let url = with_query(
            "/sign-in",
            &[("error", "INVALID_CREDENTIALS"), ("email", "")],
        );
        assert_eq!(url, "/sign-in?error=INVALID_CREDENTIALS");
        assert_eq!(with_query("/sign-in", &[("redirectTo", "")]), "/sign-in");
    }

    #[test]
    fn sign_in_carries_the_way_back() {
        assert_eq!(
            sign_in_returning_to("/account"),
            "/sign-in?redirectTo=%2Faccount"
        );
    }
}
