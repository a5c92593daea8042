//! Parsed input: the newtypes every flow takes instead of raw strings, so
//! that an email is canonicalized and a password bounded in exactly one place.

use secrecy::{ExposeSecret, SecretString};
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

/// An email address in canonical form: trimmed, NFKC-normalized, lower-cased,
/// with the domain in its ASCII (IDNA) form.
///
/// Input whose NFKC form differs from itself (fullwidth `＠`, ligatures…) is
/// refused rather than silently rewritten, so that the address mailed is
/// always the address typed. The local part may hold letters and digits of
/// any script plus RFC 5322's printable ASCII, but no quotes, commas,
/// backslashes, spaces, or invisible characters (zero-width, bidi controls,
/// soft hyphens); the domain must be a host name, not an IP literal. The
/// ASCII domain makes `ada@bücher.example` and `ada@xn--bcher-kva.example`
/// one account, as they are one mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses and canonicalizes; the error is a sentence for `error.fields`.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        const INVALID: &str = "must be a valid email address";
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err("is required");
        }
        if trimmed.len() > 254 {
            return Err("must be at most 254 characters");
        }
        if trimmed.nfkc().ne(trimmed.chars()) {
            return Err("contains characters that are not allowed in an email address");
        }
        let lower = trimmed.to_lowercase();
        let (local, domain) = lower.rsplit_once('@').ok_or(INVALID)?;
        if local.is_empty() || local.len() > 64 || !local.chars().all(local_part_char) {
            return Err(INVALID);
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(INVALID);
        }
        let domain = ascii_domain(domain).ok_or(INVALID)?;
        let canonical = format!("{local}@{domain}");
        let parsed = email_address::EmailAddress::from_str(&canonical).map_err(|_| INVALID)?;
        if parsed.as_str() != canonical || canonical.len() > 254 {
            return Err(INVALID);
        }
        Ok(Self(canonical))
    }

    /// The canonical string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// RFC 5322 `atext` and dots, plus letters and digits of any script.
fn local_part_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
    } else {
        c.is_alphanumeric()
    }
}

/// The IDNA (punycode) form of a host name with at least two labels (or
/// `localhost`); `None` for IP literals and anything that is not a name.
fn ascii_domain(domain: &str) -> Option<String> {
    if domain.starts_with('[') {
        return None;
    }
    match url::Host::parse(domain).ok()? {
        url::Host::Domain(ascii) => {
            let ok = (ascii.contains('.') || ascii == "localhost")
                && ascii.split('.').all(|label| {
                    !label.is_empty()
                        && !label.starts_with('-')
                        && !label.ends_with('-')
                        && label
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            ok.then_some(ascii)
        }
        _ => None,
    }
}

/// Fewest characters a password may have.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Most characters a password may have; longer input is refused before hashing.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Most bytes a password may have (128 four-byte characters would exceed it).
pub const PASSWORD_MAX_BYTES: usize = 1024;

/// A password that satisfies the length rules. It cannot be printed or
/// serialized; only the hashing code exposes it.
pub struct Password(SecretString);

impl Password {
    /// Checks the length rules, counting characters, before anything else.
    pub fn parse(input: &str) -> Result<Self, &'static str> {
        if input.len() > PASSWORD_MAX_BYTES {
            return Err("must be at most 128 characters");
        }
        if input.contains('\0') {
            return Err("must not contain NUL characters");
        }
        let chars = input.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err("must be at least 8 characters");
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err("must be at most 128 characters");
        }
        Ok(Self(SecretString::from(input)))
    }

    /// The plain text, for the hasher only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// A display name: trimmed, at most 100 characters, no control characters.
pub fn parse_name(input: &str) -> Result<String, &'static str> {
    let name = input.trim();
    if name.chars().count() > 100 {
        return Err("must be at most 100 characters");
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters");
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let e = Email::parse("  Ada@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "ada@example.com");
    }

    #[test]
    fn email_with_compatibility_characters_is_refused() {
        assert!(Email::parse("ada\u{FF20}example.com").is_err());
        assert!(Email::parse("\u{FB01}nn@example.com").is_err());
    }

    #[test]
    fn international_domains_are_stored_in_their_ascii_form() {
        let a = Email::parse("eve@bücher.example").unwrap();
        let b = Email::parse("eve@xn--bcher-kva.example").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "eve@xn--bcher-kva.example");
        assert_eq!(
            Email::parse("zoë@example.com").unwrap().as_str(),
            "zoë@example.com"
        );
    }

    #[test]
    fn invisible_characters_and_ip_literals_are_refused() {
        for bad in [
            "eve\u{200b}@example.com",
            "e\u{00ad}ve@example.com",
            "a\u{feff}@example.com",
            "a\u{202e}@example.com",
            "a\u{e0041}@example.com",
            "a@[127.0.0.1]",
            "a@[evil.example]",
            "a@127.0.0.1",
            ".a@example.com",
            "a..b@example.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn email_with_dangerous_characters_is_refused() {
        for bad in [
            "\"a b\"@example.com",
            "a@example.com,b@example.com",
            "a@example.com\r\nBcc: x@y.z",
            "a\u{0}@example.com",
            "no-at-sign",
            "a@nodot",
            "",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn password_limits_count_characters_not_bytes() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert!(Password::parse(&"a".repeat(129)).is_err());
        assert!(Password::parse(&"a".repeat(1_000_000)).is_err());
        assert!(Password::parse("with\0nul-char").is_err());
    }

    #[test]
    fn password_debug_never_shows_the_secret() {
        let p = Password::parse("correct horse").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }
}
