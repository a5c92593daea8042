//! The one error type of the pages' server functions, and the sentences shown
//! for an error code that arrives in the URL after a plain form post.
//!
//! With the WebAssembly loaded, a failed server function hands the page a
//! [`PageError`] carrying the server's own message and per-field problems.
//! Without it, the server can only redirect back with `?error=CODE` and
//! `&invalid=field,…`; the page then shows fixed sentences from the tables
//! below. Free text is never taken from the URL, so a crafted link cannot
//! make a page say something the server did not write.

use std::collections::BTreeMap;
use std::fmt;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a server function failed, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageError {
    /// A code of the wire contract (`INVALID_CREDENTIALS`, …), or
    /// `NETWORK_ERROR` when the browser could not reach the server.
    pub code: String,
    /// A sentence for humans; never a secret or an internal cause.
    pub message: String,
    /// Field name → problem, phrased to follow the field's label
    /// ("must be at least 8 characters").
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

impl PageError {
    /// An error with a code and a message, naming no field.
    pub fn new(code: &str, message: &str) -> Self {
        Self {
            code: code.to_owned(),
            message: message.to_owned(),
            fields: BTreeMap::new(),
        }
    }

    /// Rebuilds the error of a plain form post from the page's query:
    /// `code` from `?error=`, `invalid` from `?invalid=` (comma-separated
    /// field names). `overrides` lets a page say something more precise for
    /// a code (sign-up explains `FORBIDDEN` as closed sign-up).
    pub fn from_query(code: &str, invalid: Option<&str>, overrides: &[(&str, &str)]) -> Self {
        let message = overrides
            .iter()
            .find(|(known, _)| *known == code)
            .map_or_else(|| message_for(code), |(_, message)| *message);
        let mut error = Self::new(code, message);
        for name in invalid
            .unwrap_or_default()
            .split(',')
            .filter(|n| !n.is_empty())
        {
            if let Some(hint) = field_hint(name) {
                error.fields.insert(name.to_owned(), hint.to_owned());
            }
        }
        error
    }

    /// The problem with one field, if any.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for PageError {}

impl FromServerFnError for PageError {
    type Encoder = JsonEncoding;

    /// Failures of the server-function machinery itself. Their detail is
    /// dropped: it can quote the submitted form, password included.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                // Bad input is the client's error, never a 500.
                #[cfg(feature = "ssr")]
                if let Some(response) =
                    leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
                {
                    response.set_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
                }
                Self::new(
                    "VALIDATION_ERROR",
                    "The form was incomplete. Reload the page and try again.",
                )
            }
            ServerFnErrorErr::Request(_) => Self::new(
                "NETWORK_ERROR",
                "The server could not be reached. Check your connection and try again.",
            ),
            _ => Self::new("INTERNAL_ERROR", GENERIC),
        }
    }
}

const GENERIC: &str = "Something went wrong. Try again.";

/// The sentence shown for a code that came back in the URL.
pub fn message_for(code: &str) -> &'static str {
    match code {
        "INVALID_CREDENTIALS" => "The email or password is incorrect.",
        "INVALID_TOKEN" => "This link is invalid or has expired. Request a new one.",
        "UNAUTHORIZED" => "Your session has ended. Sign in again.",
        "FORBIDDEN" => "This is not allowed.",
        "NOT_FOUND" => "That no longer exists.",
        "EMAIL_EXISTS" => "An account with this email already exists.",
        "CONFLICT" => "That clashes with something that already exists.",
        "VALIDATION_ERROR" => "Some fields need another look.",
        "RATE_LIMITED" => "Too many attempts. Wait a few minutes and try again.",
        "NOT_SUPPORTED" => "The identity provider in use cannot do this.",
        "PROVIDER_ERROR" => "The identity provider failed. Try again later.",
        _ => GENERIC,
    }
}

/// The problem shown for a field named in `?invalid=`; `None` for a name no
/// page uses, which is then ignored.
fn field_hint(name: &str) -> Option<&'static str> {
    Some(match name {
        "email" => "must be a valid email address",
        "password" | "new_password" => "must be 8 to 128 characters",
        "name" => "must be at most 100 characters, without control characters",
        "slug" => "must be 2-48 lowercase letters, digits or single hyphens",
        _ => return None,
    })
}

#[cfg(feature = "ssr")]
impl From<&crate::auth::AuthError> for PageError {
    fn from(error: &crate::auth::AuthError) -> Self {
        match error {
            crate::auth::AuthError::Validation(fields) => Self {
                fields: fields.clone(),
                ..Self::new(error.code(), message_for(error.code()))
            },
            _ => Self::new(error.code(), &sentence(error.message())),
        }
    }
}

/// The provider layer's messages are fragments without a full stop.
#[cfg(feature = "ssr")]
fn sentence(message: &str) -> String {
    if message.ends_with(['.', '!', '?']) {
        message.to_owned()
    } else {
        format!("{message}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_errors_use_fixed_sentences_only() {
        let e = PageError::from_query("INVALID_CREDENTIALS", None, &[]);
        assert_eq!(e.message, "The email or password is incorrect.");
        let unknown = PageError::from_query("<script>", Some("email,evil"), &[]);
        assert_eq!(unknown.message, GENERIC);
        assert_eq!(unknown.fields.len(), 1);
        assert_eq!(
            unknown.field("email"),
            Some("must be a valid email address")
        );
    }

    #[test]
    fn a_page_can_explain_a_code_its_own_way() {
        let e = PageError::from_query("FORBIDDEN", None, &[("FORBIDDEN", "Sign-up is closed.")]);
        assert_eq!(e.message, "Sign-up is closed.");
    }

    #[test]
    fn machinery_failures_never_quote_the_form() {
        let e = PageError::from_server_fn_error(ServerFnErrorErr::Args("password=x".into()));
        assert_eq!(e.code, "VALIDATION_ERROR");
        assert!(!e.message.contains("password=x"));
    }
}
