//! The one error type of the provider layer.
//!
//! Variants name outcomes, not causes. Each expected outcome maps to one code of
//! the wire contract (`code()`); everything else is `Unexpected`, whose cause is
//! logged once by the API layer and never shown to the client.

use std::collections::BTreeMap;

/// Field name → human-readable problem, as returned in `error.fields`.
pub type FieldErrors = BTreeMap<String, String>;

/// What can go wrong in a provider operation.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Input that does not satisfy the contract; names each bad field.
    #[error("invalid input")]
    Validation(FieldErrors),
    /// Email or password wrong; identical whether or not the email exists.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// A reset, magic-link, verification or invitation token that is unknown,
    /// used or expired.
    #[error("invalid or expired token")]
    InvalidToken,
    /// No session, or an expired or revoked one.
    #[error("not signed in")]
    Unauthorized,
    /// Signed in, but not allowed.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// The object does not exist for this caller.
    #[error("not found")]
    NotFound,
    /// Sign-up with an email that is already registered.
    #[error("email already registered")]
    EmailExists,
    /// The request fights the current state.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// Too many attempts; retry after this many seconds.
    #[error("rate limited")]
    RateLimited {
        /// Seconds until a retry can succeed.
        retry_after: u64,
    },
    /// The active provider cannot do this.
    #[error("not supported by this provider")]
    NotSupported,
    /// The upstream provider failed or timed out.
    #[error("upstream provider failed")]
    Provider(#[source] anyhow::Error),
    /// A bug or an infrastructure failure.
    #[error("unexpected error")]
    Unexpected(#[from] anyhow::Error),
}

impl AuthError {
    /// One invalid field.
    pub fn field(name: &str, problem: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(name.to_owned(), problem.into());
        Self::Validation(fields)
    }

    /// The stable code of the wire contract.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "VALIDATION_ERROR",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::InvalidToken => "INVALID_TOKEN",
            Self::Unauthorized => "UNAUTHORIZED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound => "NOT_FOUND",
            Self::EmailExists => "EMAIL_EXISTS",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::NotSupported => "NOT_SUPPORTED",
            Self::Provider(_) => "PROVIDER_ERROR",
            Self::Unexpected(_) => "INTERNAL_ERROR",
        }
    }

    /// A short sentence for humans; never carries a secret or an internal cause.
    pub fn message(&self) -> &'static str {
        match self {
            Self::Validation(_) => "Invalid input data",
            Self::InvalidCredentials => "Invalid email or password",
            Self::InvalidToken => "This link is invalid or has expired",
            Self::Unauthorized => "You are not signed in",
            Self::Forbidden(why) => why,
            Self::NotFound => "Not found",
            Self::EmailExists => "An account with this email already exists",
            Self::Conflict(why) => why,
            Self::RateLimited { .. } => "Too many attempts, try again later",
            Self::NotSupported => "The active provider does not support this",
            Self::Provider(_) => "The identity provider failed, try again later",
            Self::Unexpected(_) => "Something went wrong",
        }
    }
}

/// Shorthand used across the provider layer.
pub type AuthResult<T> = Result<T, AuthError>;

/// Wraps infrastructure errors with a context sentence, as `Unexpected`.
pub trait Context<T> {
    /// Attaches `what` ("Failed to …") to the error.
    fn context(self, what: &'static str) -> AuthResult<T>;
}

impl<T, E> Context<T> for Result<T, E>
where
    E: std::error::Error + Send + Sync + 'static,
{
    fn context(self, what: &'static str) -> AuthResult<T> {
        self.map_err(|e| AuthError::Unexpected(anyhow::Error::new(e).context(what)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_a_distinct_code() {
        let all = [
            AuthError::field("x", "y"),
            AuthError::InvalidCredentials,
            AuthError::InvalidToken,
            AuthError::Unauthorized,
            AuthError::Forbidden("no"),
            AuthError::NotFound,
            AuthError::EmailExists,
            AuthError::Conflict("no"),
            AuthError::RateLimited { retry_after: 1 },
            AuthError::NotSupported,
            AuthError::Provider(anyhow::anyhow!("x")),
            AuthError::Unexpected(anyhow::anyhow!("x")),
        ];
        let mut codes: Vec<_> = all.iter().map(AuthError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let e = AuthError::Unexpected(anyhow::anyhow!("password=hunter2"));
        assert_eq!(e.message(), "Something went wrong");
    }
}
