//! The envelope of the contract: every `/api/auth` answer, success or
//! failure, leaves through [`Reply`] or [`ApiError`].

use axum::http::header::{HeaderValue, RETRY_AFTER, SET_COOKIE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::AuthError;

/// A successful answer: `{success: true, data, message}` plus cookies.
pub struct Reply {
    status: StatusCode,
    data: Value,
    message: &'static str,
    cookies: Vec<String>,
}

impl Reply {
    /// A 200 answer carrying `data`.
    pub fn ok(message: &'static str, data: impl Serialize) -> Self {
        Self::with_status(StatusCode::OK, message, data)
    }

    /// An answer with another success status (201).
    pub fn with_status(status: StatusCode, message: &'static str, data: impl Serialize) -> Self {
        let data = serde_json::to_value(data).unwrap_or_else(|_| json!({}));
        Self {
            status,
            data,
            message,
            cookies: Vec::new(),
        }
    }

    /// Adds a `Set-Cookie` header.
    pub fn cookie(mut self, cookie: Option<String>) -> Self {
        self.cookies.extend(cookie);
        self
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let body = json!({ "success": true, "data": self.data, "message": self.message });
        let mut response = (self.status, Json(body)).into_response();
        for cookie in self.cookies {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        response
    }
}

/// A failed answer. Wraps the provider layer's error and adds the failures
/// that only exist at the HTTP boundary.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An outcome of the provider layer.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// A mutating request whose body is not `application/json`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// A body over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
}

/// Marks a response as an internal error so that the logging middleware logs
/// the cause once, next to the request id.
#[derive(Clone, Debug)]
pub struct InternalCause(pub String);

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Auth(e) => match e {
                AuthError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AuthError::InvalidCredentials | AuthError::InvalidToken => StatusCode::BAD_REQUEST,
                AuthError::Unauthorized => StatusCode::UNAUTHORIZED,
                AuthError::Forbidden(_) => StatusCode::FORBIDDEN,
                AuthError::NotFound => StatusCode::NOT_FOUND,
                AuthError::EmailExists | AuthError::Conflict(_) => StatusCode::CONFLICT,
                AuthError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
                AuthError::NotSupported => StatusCode::NOT_IMPLEMENTED,
                AuthError::Provider(_) => StatusCode::BAD_GATEWAY,
                AuthError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    /// The contract's error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnsupportedMediaType => "VALIDATION_ERROR",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::Auth(e) => e.code(),
        }
    }

    /// The human sentence.
    pub fn message(&self) -> &'static str {
        match self {
            Self::UnsupportedMediaType => "Send the body as application/json",
            Self::PayloadTooLarge => "The request body is too large",
            Self::Auth(e) => e.message(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({ "code": self.code() });
        if let Self::Auth(AuthError::Validation(fields)) = &self {
            if !fields.is_empty() {
                error["fields"] = json!(fields);
            }
        }
        let body = json!({ "success": false, "error": error, "message": self.message() });
        let mut response = (self.status(), Json(body)).into_response();
        match &self {
            Self::Auth(AuthError::RateLimited { retry_after }) => {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(*retry_after));
            }
            Self::Auth(AuthError::Unexpected(cause) | AuthError::Provider(cause)) => {
                response
                    .extensions_mut()
                    .insert(InternalCause(format!("{cause:#}")));
            }
            _ => {}
        }
        response
    }
}

/// Shorthand for handler results.
pub type ApiResult = Result<Reply, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    fn status_of(e: AuthError) -> u16 {
        ApiError::from(e).status().as_u16()
    }

    #[test]
    fn every_outcome_maps_to_the_status_of_the_contract() {
        assert_eq!(status_of(AuthError::field("a", "b")), 422);
        assert_eq!(status_of(AuthError::InvalidCredentials), 400);
        assert_eq!(status_of(AuthError::InvalidToken), 400);
        assert_eq!(status_of(AuthError::Unauthorized), 401);
        assert_eq!(status_of(AuthError::Forbidden("x")), 403);
        assert_eq!(status_of(AuthError::NotFound), 404);
        assert_eq!(status_of(AuthError::EmailExists), 409);
        assert_eq!(status_of(AuthError::Conflict("x")), 409);
        assert_eq!(status_of(AuthError::RateLimited { retry_after: 3 }), 429);
        assert_eq!(status_of(AuthError::NotSupported), 501);
        assert_eq!(status_of(AuthError::Provider(anyhow::anyhow!("x"))), 502);
        assert_eq!(status_of(AuthError::Unexpected(anyhow::anyhow!("x"))), 500);
        assert_eq!(ApiError::UnsupportedMediaType.status().as_u16(), 415);
        assert_eq!(ApiError::PayloadTooLarge.status().as_u16(), 413);
    }

    #[test]
    fn rate_limited_answers_carry_retry_after() {
        let r = ApiError::from(AuthError::RateLimited { retry_after: 7 }).into_response();
        assert_eq!(r.headers().get(RETRY_AFTER).unwrap(), "7");
    }
}
