//! Request-wide middleware: the request span and id, central logging of
//! internal errors, and the guard of `/api/auth` (body size, content type,
//! cross-site checks).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_LENGTH, ORIGIN, REFERER, TRANSFER_ENCODING};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use tracing::Instrument;

use super::AppState;
use crate::api::extract::is_json;
use crate::api::reply::{ApiError, InternalCause};
use crate::api::BODY_LIMIT;
use crate::auth::AuthError;
use crate::crypto::tokens::new_id;

/// The request id, readable by handlers.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Opens one span per request carrying a fresh request id, returns that id
/// as `x-request-id`, and logs the outcome. Only the path is recorded: query
/// strings can carry tokens.
pub async fn request_span(mut req: Request, next: Next) -> Response {
    let id = new_id("req");
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path(),
        user_id = tracing::field::Empty,
    );
    let started = std::time::Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            status,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "request done"
        );
    });
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert("x-request-id", value);
    }
    // Pages carry tokens in their URL (/reset-password?token=…): never send
    // it to another site as a Referer. (Not `no-referrer`: with it, browsers
    // send `Origin: null` on the pages' own form posts.) No page may be
    // framed by another site.
    for (name, value) in [
        ("referrer-policy", "same-origin"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("content-security-policy", "frame-ancestors 'none'"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

/// Logs the cause of every internal error exactly once, with the request id,
/// and adds that id to the error body so that users can quote it.
pub async fn log_internal_errors(req: Request, next: Next) -> Response {
    let id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let response = next.run(req).await;
    let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>().cloned() else {
        return response;
    };
    tracing::error!(request_id = %id, error = %cause, "internal error");
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .unwrap_or_default();
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    if let Some(error) = json.get_mut("error").and_then(|e| e.as_object_mut()) {
        error.insert("requestId".into(), id.into());
    }
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(json.to_string()))
}

/// Refuses, before any handler runs, a mutating request on `/api/auth` that
/// is too large (413), declares a body that is not JSON (415), or is
/// authenticated by the session cookie from an untrusted origin (403).
pub async fn guard_api(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !is_mutating(req.method()) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let length = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > BODY_LIMIT as u64) {
        return ApiError::PayloadTooLarge.into_response();
    }
    let has_body = length.is_some_and(|n| n > 0) || headers.contains_key(TRANSFER_ENCODING);
    if has_body && !is_json(headers) {
        return ApiError::UnsupportedMediaType.into_response();
    }
    let by_cookie = !headers.contains_key(AUTHORIZATION)
        && CookieJar::from_headers(headers)
            .get(&state.config.session_cookie())
            .is_some();
    if by_cookie && !from_trusted_origin(&state, headers) {
        let refused = AuthError::Forbidden("Cross-site request refused");
        return ApiError::from(refused).into_response();
    }
    next.run(req).await
}

/// Refuses a mutating request outside `/api/auth` (the pages' server
/// functions and form posts) unless it comes from a trusted origin: those
/// requests always ride on the session cookie.
pub async fn guard_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/auth/");
    if api || !is_mutating(req.method()) {
        return next.run(req).await;
    }
    if !from_trusted_origin(&state, req.headers()) {
        return ApiError::from(AuthError::Forbidden("Cross-site request refused")).into_response();
    }
    let length = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if length.is_some_and(|n| n > BODY_LIMIT as u64) {
        return ApiError::PayloadTooLarge.into_response();
    }
    next.run(req).await
}

fn is_mutating(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `Sec-Fetch-Site: same-origin` is proof on its own, since browsers do not
/// let pages forge it. Otherwise `Origin` (or, without it, `Referer`) must
/// name a trusted origin; `Origin: null` never does.
fn from_trusted_origin(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if header("sec-fetch-site") == Some("same-origin") {
        return true;
    }
    if let Some(origin) = header(ORIGIN.as_str()) {
        return origin != "null" && state.config.is_trusted_origin(origin);
    }
    if let Some(referer) = header(REFERER.as_str()) {
        return url::Url::parse(referer).is_ok_and(|u| {
            state
                .config
                .is_trusted_origin(&u.origin().ascii_serialization())
        });
    }
    false
}
