//! `/forgot-password` and `/reset-password`: asking for a reset link, and
//! spending it.
//!
//! The forgot-password page answers the same whether or not the account
//! exists. The reset page is what the mailed link opens: loading it (by a
//! person or a mail scanner) only checks that the token is still good, and
//! only its one button spends the token.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::error::{message_for, PageError};
use super::forms::{
    form_errors, query_notice, submission, Field, FormAlert, Notice, SubmitButton, RESET_LINK_SENT,
};
use super::ui::{AuthCard, Loading, LINK};
use super::url::with_query;
use super::Secret;

/// Mails a reset link if the account exists; answers the same either way.
#[server(prefix = "/_app", endpoint = "forgot-password")]
pub async fn send_reset_link(email: String, redirect_to: Option<String>) -> Result<(), PageError> {
    ssr::send_reset_link(email, redirect_to).await
}

/// Whether a reset token is still good, without spending it.
#[server(prefix = "/_app", endpoint = "reset-token")]
pub async fn check_reset_token(token: String) -> Result<bool, PageError> {
    ssr::check_reset_token(token).await
}

/// Spends a reset token, sets the new password, then goes to the sign-in
/// page with a notice.
#[server(prefix = "/_app", endpoint = "reset-password")]
pub async fn set_new_password(
    token: String,
    new_password: Secret,
    redirect_to: Option<String>,
) -> Result<(), PageError> {
    ssr::set_new_password(token, new_password, redirect_to).await
}

/// The forgot-password page.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<SendResetLink>::new();
    let errors = form_errors(action, &[]);
    let from_url = query_notice();
    let sent = Signal::derive(move || match submission(action) {
        Some(None) => Some(RESET_LINK_SENT),
        Some(Some(_)) => None,
        None => from_url.get().filter(|n| *n == RESET_LINK_SENT),
    });
    let query = use_query_map().get_untracked();
    let email = StoredValue::new(query.get("email").unwrap_or_default());
    let redirect_to = query.get("redirectTo").unwrap_or_default();
    let sign_in = with_query("/sign-in", &[("redirectTo", redirect_to.as_str())]);
    let redirect_to = StoredValue::new(redirect_to);

    view! {
        <AuthCard
            title="Forgot your password?"
            intro="Enter your account's email and we will mail you a link to choose a new password."
        >
            <Notice text=sent/>
            <FormAlert errors/>
            <Show when=move || sent.get().is_none()>
                <ActionForm action=action attr:class="space-y-5">
                    <input type="hidden" name="redirect_to" value=redirect_to.get_value()/>
                    <Field
                        name="email"
                        label="Email"
                        kind="email"
                        autocomplete="email"
                        value=email.get_value()
                        errors
                    />
                    <SubmitButton label="Send reset link" pending=action.pending()/>
                </ActionForm>
            </Show>
            <p class="text-center text-sm text-slate-600">
                "Remembered it? " <A href=sign_in attr:class=LINK>"Back to sign in"</A>
            </p>
        </AuthCard>
    }
}

/// The reset-password page, opened from the mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<SetNewPassword>::new();
    let submitted = form_errors(action, &[]);
    let query = use_query_map().get_untracked();
    let token = query.get("token").unwrap_or_default();
    let redirect_to = query.get("redirectTo").unwrap_or_default();
    let forgot = with_query("/forgot-password", &[("redirectTo", redirect_to.as_str())]);
    let live = Resource::new(|| (), {
        let token = token.clone();
        move |_| check_reset_token(token.clone())
    });
    let (token, redirect_to) = (StoredValue::new(token), StoredValue::new(redirect_to));

    view! {
        <AuthCard
            title="Choose a new password"
            intro="Every session of your account will be signed out."
        >
            <Suspense fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    let dead = link_problem(token.with_value(String::is_empty), live.await);
                    let errors = Signal::derive(move || dead.clone().or_else(|| submitted.get()));
                    let usable = move || {
                        errors.with(|e| e.as_ref().is_none_or(|e| e.code != "INVALID_TOKEN"))
                    };
                    view! {
                        <FormAlert errors/>
                        <Show when=usable>
                            <ActionForm action=action attr:class="space-y-5">
                                <input type="hidden" name="token" value=token.get_value()/>
                                <input
                                    type="hidden"
                                    name="redirect_to"
                                    value=redirect_to.get_value()
                                />
                                <Field
                                    name="new_password"
                                    label="New password"
                                    kind="password"
                                    autocomplete="new-password"
                                    hint="8 to 128 characters."
                                    errors
                                />
                                <SubmitButton label="Set new password" pending=action.pending()/>
                            </ActionForm>
                        </Show>
                    }
                })}
            </Suspense>
            <p class="text-center text-sm text-slate-600">
                "Link expired? " <A href=forgot attr:class=LINK>"Request a new one"</A>
            </p>
        </AuthCard>
    }
}

/// What is wrong with the link the page was opened with, if anything. A
/// provider that cannot check tokens ahead is left to the button to tell.
fn link_problem(missing: bool, live: Result<bool, PageError>) -> Option<PageError> {
    if missing {
        let message = "This link is incomplete. Open it again from the mail.";
        return Some(PageError::new("INVALID_TOKEN", message));
    }
    match live {
        Ok(false) => Some(PageError::new(
            "INVALID_TOKEN",
            message_for("INVALID_TOKEN"),
        )),
        Ok(true) | Err(_) => None,
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::limits::Action;
    use crate::app::error::PageError;
    use crate::app::server::{page_request, Checks, FormBack, PageRequest};
    use crate::app::url::with_query;
    use crate::app::Secret;
    use crate::auth::{AuthError, Email, Password};

    /// Longest token worth looking up; anything longer is not one of ours.
    const MAX_TOKEN: usize = 256;

    pub(super) async fn check_reset_token(token: String) -> Result<bool, PageError> {
        let req = page_request()?;
        if token.is_empty() || token.len() > MAX_TOKEN {
            return Ok(false);
        }
        match req
            .provider()
            .password_reset_token_is_live(&req.meta, &token)
            .await
        {
            Ok(live) => Ok(live),
            // Unknown ahead of time: the button will tell.
            Err(AuthError::NotSupported) => Ok(true),
            Err(other) => Err(req.reject(other)),
        }
    }

    pub(super) async fn send_reset_link(
        email: String,
        redirect_to: Option<String>,
    ) -> Result<(), PageError> {
        let req = page_request()?;
        let back = || {
            FormBack::to("/forgot-password")
                .echo("email", Some(&email))
                .echo("redirectTo", redirect_to.as_deref())
        };
        let parsed = Email::parse(&email).map_err(|p| AuthError::field("email", p));
        let parsed = parsed.map_err(|e| req.fail(e, &back()))?;
        let limited = req.limit(Action::PasswordReset, Some(&parsed));
        limited.map_err(|e| req.fail(e, &back()))?;

        let trusted = redirect_to
            .as_deref()
            .filter(|r| !r.is_empty())
            .and_then(|r| req.config().check_redirect(r).ok());
        let sent = req
            .provider()
            .request_password_reset(&req.meta, parsed, trusted)
            .await;
        sent.map_err(|e| req.fail(e, &back()))?;
        if req.is_plain_form() {
            let pairs = [
                ("notice", "reset-link-sent"),
                ("redirectTo", redirect_to.as_deref().unwrap_or("")),
            ];
            req.redirect(&with_query("/forgot-password", &pairs));
        }
        Ok(())
    }

    pub(super) async fn set_new_password(
        token: String,
        new_password: Secret,
        redirect_to: Option<String>,
    ) -> Result<(), PageError> {
        let req = page_request()?;
        attempt(&req, &token, &new_password, redirect_to.as_deref())
            .await
            .map_err(|e| {
                // The token is echoed because it is already in this page's URL.
                let back = FormBack::to("/reset-password")
                    .echo("token", Some(&token))
                    .echo("redirectTo", redirect_to.as_deref());
                req.fail(e, &back)
            })
    }

    async fn attempt(
        req: &PageRequest,
        token: &str,
        new_password: &Secret,
        redirect_to: Option<&str>,
    ) -> Result<(), AuthError> {
        let mut checks = Checks::default();
        let password = checks.check("new_password", Password::parse(new_password.expose()));
        checks.finish()?;
        let Some(password) = password else {
            return Err(AuthError::field("new_password", "is required"));
        };
        if token.is_empty() || token.len() > MAX_TOKEN {
            return Err(AuthError::InvalidToken);
        }

        req.limit(Action::PasswordResetConfirm, None)?;
        req.provider()
            .confirm_password_reset(&req.meta, token, password)
            .await?;
        // Every session is gone now, this browser's included.
        req.end_session();
        let onward = req.target(redirect_to, "");
        let pairs = [
            ("notice", "password-reset"),
            ("redirectTo", onward.as_str()),
        ];
        req.redirect(&with_query("/sign-in", &pairs));
        Ok(())
    }
}
