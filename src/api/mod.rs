//! The JSON API under `/api/auth`: thin axum handlers that read input, call
//! the active provider and answer in the envelope of the contract.
//!
//! These are plain axum handlers rather than Leptos server functions because
//! the wire contract fixes status codes (201, 415, 413, 501…), methods and
//! cookies per endpoint; the pages' own server functions call the same
//! provider (see `ARCHITECTURE.md`).

pub mod cookies;
pub mod extract;
pub mod limits;
pub mod openapi;
pub mod reply;

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::routing::{any, get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;

use crate::auth::input::parse_name;
use crate::auth::native::parse_slug;
use crate::auth::{AuthError, Email, NewOrganization, Password, SignIn, SignInOutcome, SignUp};
use crate::server::AppState;
use extract::{presented_token, Authed, Fields, JsonBody, Meta, TokenSource};
use limits::Action;
use reply::{ApiError, ApiResult, Reply};

/// Largest request body accepted on auth routes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The routes of `/api/auth` (to be nested there).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-up", post(sign_up))
        .route("/sign-in", post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/session", get(session))
        .route("/sessions", get(sessions_list).delete(sessions_revoke))
        .route("/password-reset", post(password_reset))
        .route("/password-reset/confirm", post(password_reset_confirm))
        .route(
            "/organizations",
            get(organizations_list).post(organizations_create),
        )
        .route("/capabilities", get(capabilities))
        .route("/openapi.json", get(openapi::document))
        .merge(not_yet_supported())
        .fallback(not_found)
        // After every route: a path served with another method is answered
        // in the envelope too (404 NOT_FOUND), not with axum's empty 405.
        .method_not_allowed_fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn sign_up(
    State(state): State<AppState>,
    Meta(meta): Meta,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut f = Fields::new(&body);
    let email = f.string("email");
    let email = f.parse("email", email, Email::parse);
    let password = f.string("password");
    let password = f.parse("password", password, Password::parse);
    let name = f.string("name");
    let name = f.parse("name", name, parse_name);
    f.finish()?;
    let (Some(email), Some(password), Some(name)) = (email, password, name) else {
        return Err(AuthError::field("body", "is incomplete").into());
    };

    state.limit(Action::SignUp, &meta, Some(&email))?;
    let done = state
        .provider
        .sign_up(
            &meta,
            SignUp {
                email,
                password,
                name,
            },
        )
        .await?;
    let cookie = issued_cookie(&state, &done.session, &meta)?;
    Ok(Reply::with_status(StatusCode::CREATED, "Account created", &done).cookie(Some(cookie)))
}

async fn sign_in(
    State(state): State<AppState>,
    Meta(meta): Meta,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut f = Fields::new(&body);
    let email = f.string("email");
    let email = f.parse("email", email, Email::parse);
    let password = f.string("password");
    let password = f.parse("password", password, Password::parse);
    let remember_me = f.optional_bool("rememberMe").unwrap_or(true);
    f.finish()?;
    let (Some(email), Some(password)) = (email, password) else {
        return Err(AuthError::field("body", "is incomplete").into());
    };

    state.limit(Action::SignIn, &meta, Some(&email))?;
    let input = SignIn {
        email,
        password,
        remember_me,
    };
    match state.provider.sign_in(&meta, input).await? {
        SignInOutcome::Complete(done) => {
            let cookie = issued_cookie(&state, &done.session, &meta)?;
            Ok(Reply::ok("Authentication successful", &done).cookie(Some(cookie)))
        }
        SignInOutcome::TwoFactorRequired { .. } => Err(AuthError::NotSupported.into()),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    Meta(meta): Meta,
    headers: axum::http::HeaderMap,
) -> ApiResult {
    let presented = presented_token(&headers, &state.config.session_cookie());
    if let Some((token, _)) = &presented {
        state.provider.sign_out(&meta, token).await?;
    }
    let clear = cookies::clear_session_cookie(&state.config);
    Ok(Reply::ok("Signed out", json!({})).cookie(Some(clear)))
}

async fn session(State(state): State<AppState>, authed: Authed) -> ApiResult {
    let cookie = renewal_cookie(&state, &authed);
    let data = json!({ "user": authed.caller.user, "session": authed.caller.session });
    Ok(Reply::ok("Session found", data).cookie(cookie))
}

async fn sessions_list(State(state): State<AppState>, authed: Authed) -> ApiResult {
    let sessions = state
        .provider
        .list_sessions(&authed.meta, &authed.caller)
        .await?;
    let cookie = renewal_cookie(&state, &authed);
    Ok(Reply::ok("Sessions listed", json!({ "sessions": sessions })).cookie(cookie))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RevokeQuery {
    id: Option<String>,
}

async fn sessions_revoke(
    State(state): State<AppState>,
    authed: Authed,
    query: Result<Query<RevokeQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult {
    let Ok(Query(query)) = query else {
        return Err(AuthError::field("id", "must be a session id").into());
    };
    let (revoked, cookie) = match query.id.as_deref() {
        Some("") => return Err(AuthError::field("id", "must not be empty").into()),
        Some(id) => {
            let n = state
                .provider
                .revoke_session(&authed.meta, &authed.caller, id)
                .await?;
            let own = id == authed.caller.session.id;
            let cookie = if own {
                (authed.source == TokenSource::Cookie)
                    .then(|| cookies::clear_session_cookie(&state.config))
            } else {
                renewal_cookie(&state, &authed)
            };
            (n, cookie)
        }
        None => {
            let n = state
                .provider
                .revoke_other_sessions(&authed.meta, &authed.caller)
                .await?;
            (n, renewal_cookie(&state, &authed))
        }
    };
    Ok(Reply::ok("Sessions revoked", json!({ "revoked": revoked })).cookie(cookie))
}

async fn password_reset(
    State(state): State<AppState>,
    Meta(meta): Meta,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut f = Fields::new(&body);
    let email = f.string("email");
    let email = f.parse("email", email, Email::parse);
    let redirect = f.optional_string("redirectTo");
    let redirect = f.parse("redirectTo", redirect, |r| state.config.check_redirect(r));
    f.finish()?;
    let Some(email) = email else {
        return Err(AuthError::field("email", "is required").into());
    };

    state.limit(Action::PasswordReset, &meta, Some(&email))?;
    state
        .provider
        .request_password_reset(&meta, email, redirect)
        .await?;
    Ok(Reply::ok(
        "If the account exists, a reset link has been sent",
        json!({}),
    ))
}

async fn password_reset_confirm(
    State(state): State<AppState>,
    Meta(meta): Meta,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut f = Fields::new(&body);
    let token = f.string("token");
    let password = f.string("newPassword");
    let password = f.parse("newPassword", password, Password::parse);
    f.finish()?;
    let (Some(token), Some(password)) = (token, password) else {
        return Err(AuthError::field("body", "is incomplete").into());
    };
    state.limit(Action::PasswordResetConfirm, &meta, None)?;
    if token.is_empty() || token.len() > 256 {
        return Err(AuthError::InvalidToken.into());
    }

    state
        .provider
        .confirm_password_reset(&meta, token, password)
        .await?;
    Ok(Reply::ok(
        "Password changed; every session was signed out",
        json!({}),
    ))
}

async fn organizations_list(State(state): State<AppState>, authed: Authed) -> ApiResult {
    let organizations = state
        .provider
        .list_organizations(&authed.meta, &authed.caller)
        .await?;
    let cookie = renewal_cookie(&state, &authed);
    Ok(Reply::ok(
        "Organizations listed",
        json!({ "organizations": organizations }),
    )
    .cookie(cookie))
}

async fn organizations_create(
    State(state): State<AppState>,
    authed: Authed,
    JsonBody(body): JsonBody,
) -> ApiResult {
    let mut f = Fields::new(&body);
    let name = f.string("name");
    let name = f.parse("name", name, parse_org_name);
    let slug = f.optional_string("slug");
    let slug = slug.and_then(|s| f.parse("slug", Some(s), parse_slug));
    f.finish()?;
    let Some(name) = name else {
        return Err(AuthError::field("name", "is required").into());
    };

    let input = NewOrganization { name, slug };
    let organization = state
        .provider
        .create_organization(&authed.meta, &authed.caller, input)
        .await?;
    let data = json!({ "organization": organization });
    let cookie = renewal_cookie(&state, &authed);
    Ok(Reply::with_status(StatusCode::CREATED, "Organization created", data).cookie(cookie))
}

async fn capabilities(State(state): State<AppState>) -> ApiResult {
    Ok(Reply::ok(
        "Capabilities of the active provider",
        state.provider.capabilities(),
    ))
}

/// Endpoints of the contract whose implementation has not landed: they
/// answer `NOT_SUPPORTED`, like a provider that cannot do them.
fn not_yet_supported() -> Router<AppState> {
    let paths = [
        "/organizations/{id}/members",
        "/organizations/{id}/invitations",
        "/organizations/{id}/members/{member_id}",
        "/invitations/{id}/accept",
        "/organizations/active",
        "/oauth/{provider}",
        "/oauth/{provider}/callback",
        "/magic-link",
        "/magic-link/verify",
        "/verify-email",
        "/verify-email/confirm",
        "/two-factor/{*rest}",
        "/passkeys/{*rest}",
        "/sso",
    ];
    paths
        .into_iter()
        .fold(Router::new(), |r, p| r.route(p, any(not_supported)))
}

async fn not_supported() -> ApiError {
    AuthError::NotSupported.into()
}

/// The envelope answer for paths under `/api/auth` that do not exist.
pub async fn not_found() -> ApiError {
    AuthError::NotFound.into()
}

fn parse_org_name(input: &str) -> Result<String, &'static str> {
    let name = parse_name(input)?;
    if name.is_empty() {
        Err("is required")
    } else {
        Ok(name)
    }
}

/// The cookie for a session a provider just issued.
fn issued_cookie(
    state: &AppState,
    session: &crate::auth::Session,
    meta: &crate::auth::RequestMeta,
) -> Result<String, ApiError> {
    let token = session.token.as_deref().ok_or_else(|| {
        AuthError::Unexpected(anyhow::anyhow!("provider issued no session token"))
    })?;
    Ok(cookies::session_cookie(
        &state.config,
        token,
        session,
        meta.now,
    ))
}

/// A fresh cookie when the session's expiry just slid forward.
fn renewal_cookie(state: &AppState, authed: &Authed) -> Option<String> {
    (authed.caller.renewed && authed.source == TokenSource::Cookie).then(|| {
        cookies::session_cookie(
            &state.config,
            authed.token.expose(),
            &authed.caller.session,
            authed.meta.now,
        )
    })
}
