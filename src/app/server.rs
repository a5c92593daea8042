//! What every page server function needs on the server: the app state, the
//! facts of the request, the caller, the session cookie, and the two ways to
//! answer a form.
//!
//! A form can arrive in two shapes. Before the WebAssembly has loaded it is a
//! plain HTML post, whose `Accept` names `text/html`: the browser wants a page
//! back, so both success and failure answer with a redirect (failure back to
//! the form, with `?error=CODE`). After hydration the page calls the server
//! function itself and gets the typed [`PageError`], with the HTTP status the
//! JSON API would give.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::header::{ACCEPT, RETRY_AFTER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::HeaderValue;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

use super::error::PageError;
use super::url::{sign_in_returning_to, with_query};
use crate::api::cookies::{clear_session_cookie, session_cookie};
use crate::api::extract::{presented_token, request_meta};
use crate::api::limits::Action;
use crate::api::reply::ApiError;
use crate::auth::{
    AuthError, AuthProvider, Caller, Email, FieldErrors, RequestMeta, Session, SessionToken,
};
use crate::config::Config;
use crate::server::middleware::RequestId;
use crate::server::AppState;

/// One server function call (or one server-side render) and what it can reach.
pub(crate) struct PageRequest {
    state: AppState,
    parts: Parts,
    response: ResponseOptions,
    /// Now, the client address and its user agent.
    pub(crate) meta: RequestMeta,
}

/// The request being served; fails only if Leptos did not provide its context,
/// which would be a bug in the router's setup.
pub(crate) fn page_request() -> Result<PageRequest, PageError> {
    let (Some(state), Some(parts), Some(response)) = (
        use_context::<AppState>(),
        use_context::<Parts>(),
        use_context::<ResponseOptions>(),
    ) else {
        tracing::error!("a page server function ran without its request context");
        return Err(PageError::from(&AuthError::Unexpected(anyhow::anyhow!(
            "no context"
        ))));
    };
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let meta = request_meta(&parts.headers, peer, &state.config.trust_proxy);
    Ok(PageRequest {
        state,
        parts,
        response,
        meta,
    })
}

impl PageRequest {
    /// The active provider.
    pub(crate) fn provider(&self) -> &dyn AuthProvider {
        self.state.provider.as_ref()
    }

    /// The configuration.
    pub(crate) fn config(&self) -> &Config {
        &self.state.config
    }

    /// Counts an attempt of `action` against the same limits as the JSON
    /// API, so that the pages are no way around them.
    pub(crate) fn limit(&self, action: Action, account: Option<&Email>) -> Result<(), AuthError> {
        self.state.limit(action, &self.meta, account)
    }

    /// Whether this is a plain HTML form post that wants a page back.
    pub(crate) fn is_plain_form(&self) -> bool {
        self.parts
            .headers
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    }

    /// The signed-in caller; re-issues the cookie when the session's expiry
    /// just slid forward.
    pub(crate) async fn caller(&self) -> Result<Caller, AuthError> {
        let cookie_name = self.config().session_cookie();
        let (token, _) =
            presented_token(&self.parts.headers, &cookie_name).ok_or(AuthError::Unauthorized)?;
        let caller = self.provider().authenticate(&self.meta, &token).await?;
        tracing::Span::current().record("user_id", caller.user.id.as_str());
        if caller.renewed {
            let cookie = session_cookie(
                self.config(),
                token.expose(),
                &caller.session,
                self.meta.now,
            );
            self.set_cookie(&cookie);
        }
        Ok(caller)
    }

    /// Whether the request carries a session token at all.
    pub(crate) fn session_token(&self) -> Option<SessionToken> {
        presented_token(&self.parts.headers, &self.config().session_cookie()).map(|(t, _)| t)
    }

    /// Stores the token of a session the provider just issued.
    pub(crate) fn start_session(&self, session: &Session) -> Result<(), AuthError> {
        let token = session.token.as_deref().ok_or_else(|| {
            AuthError::Unexpected(anyhow::anyhow!("provider issued no session token"))
        })?;
        self.set_cookie(&session_cookie(
            self.config(),
            token,
            session,
            self.meta.now,
        ));
        Ok(())
    }

    /// Removes the session cookie.
    pub(crate) fn end_session(&self) {
        self.set_cookie(&clear_session_cookie(self.config()));
    }

    /// Where to go after a form succeeded: `wanted` (a `redirectTo`) when
    /// the configuration trusts it, else `fallback`. An untrusted target is
    /// dropped rather than refused: it came from a link, not from the person.
    pub(crate) fn target(&self, wanted: Option<&str>, fallback: &str) -> String {
        wanted
            .filter(|w| !w.is_empty())
            .and_then(|w| self.config().check_redirect(w).ok())
            .filter(|w| HeaderValue::from_str(w).is_ok())
            .unwrap_or_else(|| fallback.to_owned())
    }

    /// Sends the browser to `target`: a 302 for a plain form post, a
    /// client-side navigation after hydration.
    pub(crate) fn redirect(&self, target: &str) {
        // `leptos_axum::redirect` panics on a value that is not a valid header.
        if HeaderValue::from_str(target).is_ok() {
            leptos_axum::redirect(target);
        } else {
            tracing::debug!("refused to redirect to a value that is not a valid header");
            leptos_axum::redirect("/");
        }
    }

    /// Answers a failed form. A plain post is sent back to `form` with the
    /// code, the names of the bad fields and the form's non-secret echo; after
    /// hydration the typed error is returned with the API's status. Either
    /// way a lost session leads to the sign-in page, which then returns to
    /// `form`.
    pub(crate) fn fail(&self, error: AuthError, form: &FormBack<'_>) -> PageError {
        let page = self.error(&error);
        if let AuthError::RateLimited { retry_after } = error {
            self.response
                .insert_header(RETRY_AFTER, HeaderValue::from(retry_after));
        }
        if matches!(error, AuthError::Unauthorized) {
            if !self.is_plain_form() {
                self.response.set_status(ApiError::from(error).status());
            }
            self.redirect(&sign_in_returning_to(form.path));
        } else if self.is_plain_form() {
            let invalid = page.fields.keys().cloned().collect::<Vec<_>>().join(",");
            let mut pairs = vec![("error", page.code.as_str()), ("invalid", invalid.as_str())];
            pairs.extend(form.echo.iter().map(|(k, v)| (*k, v.as_str())));
            self.redirect(&with_query(form.path, &pairs));
        } else {
            self.response.set_status(ApiError::from(error).status());
        }
        page
    }

    /// The typed error for a loader (never a redirect), with the API's status.
    pub(crate) fn reject(&self, error: AuthError) -> PageError {
        let page = self.error(&error);
        self.response.set_status(ApiError::from(error).status());
        page
    }

    /// Converts `error`, logging an internal cause once, next to the request
    /// id that the page then shows.
    fn error(&self, error: &AuthError) -> PageError {
        let mut page = PageError::from(error);
        if let AuthError::Unexpected(cause) | AuthError::Provider(cause) = error {
            let id = self
                .parts
                .extensions
                .get::<RequestId>()
                .map(|r| r.0.as_str());
            let id = id.unwrap_or_default();
            tracing::error!(request_id = %id, error = %format!("{cause:#}"), "internal error");
            page.message = format!("{} (request {id})", page.message);
        }
        page
    }

    fn set_cookie(&self, cookie: &str) {
        match HeaderValue::from_str(cookie) {
            Ok(value) => self.response.append_header(SET_COOKIE, value),
            Err(_) => tracing::error!("a session cookie was not a valid header value"),
        }
    }
}

/// Where a plain form post goes back to when it fails.
pub(crate) struct FormBack<'a> {
    /// The form's page.
    pub(crate) path: &'a str,
    /// Query pairs that refill the form (the email, the `redirectTo`, the
    /// reset token already in that page's URL); never a password.
    pub(crate) echo: Vec<(&'static str, String)>,
}

impl<'a> FormBack<'a> {
    /// Back to `path`, echoing nothing yet.
    pub(crate) fn to(path: &'a str) -> Self {
        Self {
            path,
            echo: Vec::new(),
        }
    }

    /// Echoes `value` as `key`, if it is short enough to belong in a URL.
    pub(crate) fn echo(mut self, key: &'static str, value: Option<&str>) -> Self {
        if let Some(value) = value
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 512)
        {
            self.echo.push((key, value.to_owned()));
        }
        self
    }
}

/// Collects the problems of every field of a form before failing, so that
/// one answer names all of them.
#[derive(Default)]
pub(crate) struct Checks {
    errors: FieldErrors,
}

impl Checks {
    /// Records the outcome of parsing one field.
    pub(crate) fn check<T>(&mut self, field: &str, parsed: Result<T, &'static str>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.errors
                    .entry(field.to_owned())
                    .or_insert_with(|| problem.to_owned());
                None
            }
        }
    }

    /// `Ok` when every field was good.
    pub(crate) fn finish(self) -> Result<(), AuthError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AuthError::Validation(self.errors))
        }
    }
}
