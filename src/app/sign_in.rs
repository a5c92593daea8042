//! `/sign-in`: email and password, "remember me", and the way back to the
//! page that sent the visitor here (`?redirectTo=`).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::error::PageError;
use super::forms::{form_errors, query_notice, submission, Field, FormAlert, Notice, SubmitButton};
use super::session::{RedirectSignedIn, WithPasswords};
use super::ui::{AuthCard, LINK};
use super::url::with_query;
use super::Secret;

/// Signs in with a password, then goes to `redirect_to` (when trusted) or
/// the account page.
#[server(prefix = "/_app", endpoint = "sign-in")]
pub async fn sign_in_with_password(
    email: String,
    password: Secret,
    remember_me: Option<String>,
    redirect_to: Option<String>,
) -> Result<(), PageError> {
    ssr::sign_in(email, password, remember_me.is_some(), redirect_to).await
}

/// What the sign-in page says for codes it knows better than the defaults.
const MESSAGES: &[(&str, &str)] = &[(
    "FORBIDDEN",
    "This account cannot sign in yet. Verify the email address first.",
)];

/// The sign-in page.
#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignInWithPassword>::new();
    let errors = form_errors(action, MESSAGES);
    let from_url = query_notice();
    let notice = Signal::derive(move || match submission(action) {
        Some(_) => None,
        None => from_url.get(),
    });
    let query = use_query_map().get_untracked();
    let email = query.get("email").unwrap_or_default();
    let redirect_to = query.get("redirectTo").unwrap_or_default();
    let onward = [("redirectTo", redirect_to.as_str())];
    let (forgot, sign_up) = (
        with_query("/forgot-password", &onward),
        with_query("/sign-up", &onward),
    );

    // Copyable handles: the form is rendered by a closure that may run again.
    let redirect_field = Signal::stored(redirect_to.clone());
    let email_field = Signal::stored(email.clone());
    let forgot_link = Signal::stored(forgot.clone());
    view! {
        <RedirectSignedIn/>
        <AuthCard title="Sign in" intro="Welcome back. Sign in to manage your account.">
            <Notice text=notice/>
            <FormAlert errors/>
            <WithPasswords>
                <ActionForm action=action attr:class="space-y-5">
                    <input type="hidden" name="redirect_to" value=redirect_field/>
                    <Field
                        name="email"
                        label="Email"
                        kind="email"
                        autocomplete="username"
                        value=email_field.get_untracked()
                        errors
                        blamed_by=&["INVALID_CREDENTIALS"]
                    />
                    <Field
                        name="password"
                        label="Password"
                        kind="password"
                        autocomplete="current-password"
                        errors
                        blamed_by=&["INVALID_CREDENTIALS"]
                    />
                    <div class="flex items-center justify-between gap-4 text-sm">
                        <div class="flex items-center gap-2">
                            <input
                                id="remember_me"
                                name="remember_me"
                                type="checkbox"
                                value="true"
                                checked=true
                                class="h-4 w-4 rounded border-slate-300 accent-indigo-600"
                            />
                            <label for="remember_me" class="text-slate-700">"Remember me"</label>
                        </div>
                        <A href=move || forgot_link.get() attr:class=LINK>
                            "Forgot password?"
                        </A>
                    </div>
                    <SubmitButton label="Sign in" pending=action.pending()/>
                </ActionForm>
            </WithPasswords>
            <p class="text-center text-sm text-slate-600">
                "New to Latchkey? "
                <A href=sign_up attr:class=LINK>"Create an account"</A>
            </p>
        </AuthCard>
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use crate::api::limits::Action;
    use crate::app::error::PageError;
    use crate::app::server::{page_request, Checks, FormBack, PageRequest};
    use crate::app::Secret;
    use crate::auth::{AuthError, Email, Password, SignIn, SignInOutcome};

    pub(super) async fn sign_in(
        email: String,
        password: Secret,
        remember_me: bool,
        redirect_to: Option<String>,
    ) -> Result<(), PageError> {
        let req = page_request()?;
        let outcome = attempt(&req, &email, &password, remember_me, redirect_to.as_deref()).await;
        outcome.map_err(|e| {
            let back = FormBack::to("/sign-in")
                .echo("email", Some(&email))
                .echo("redirectTo", redirect_to.as_deref());
            req.fail(e, &back)
        })
    }

    async fn attempt(
        req: &PageRequest,
        email: &str,
        password: &Secret,
        remember_me: bool,
        redirect_to: Option<&str>,
    ) -> Result<(), AuthError> {
        let mut checks = Checks::default();
        let email = checks.check("email", Email::parse(email));
        let password = checks.check("password", Password::parse(password.expose()));
        checks.finish()?;
        let (Some(email), Some(password)) = (email, password) else {
            return Err(AuthError::field("email", "is required"));
        };

        req.limit(Action::SignIn, Some(&email))?;
        let input = SignIn {
            email,
            password,
            remember_me,
        };
        match req.provider().sign_in(&req.meta, input).await? {
            SignInOutcome::Complete(done) => {
                req.start_session(&done.session)?;
                req.redirect(&req.target(redirect_to, "/account"));
                Ok(())
            }
            SignInOutcome::TwoFactorRequired { .. } => Err(AuthError::NotSupported),
        }
    }
}
