//! `/sign-up`: name, email and password; the new account is signed in at once.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use super::error::PageError;
use super::forms::{form_errors, Field, FormAlert, SubmitButton};
use super::session::{RedirectSignedIn, WithPasswords};
use super::ui::{AuthCard, LINK};
use super::url::with_query;
use super::Secret;

/// Creates an account with a password, signs it in, then goes to
/// `redirect_to` (when trusted) or the account page.
#[server(prefix = "/_app", endpoint = "sign-up")]
pub async fn create_account(
    name: String,
    email: String,
    password: Secret,
    redirect_to: Option<String>,
) -> Result<(), PageError> {
    ssr::sign_up(name, email, password, redirect_to).await
}

/// What the sign-up page says for codes it knows better than the defaults.
const MESSAGES: &[(&str, &str)] = &[("FORBIDDEN", "Sign-up is closed on this server.")];

/// The sign-up page.
#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<CreateAccount>::new();
    let errors = form_errors(action, MESSAGES);
    let query = use_query_map().get_untracked();
    let name = query.get("name").unwrap_or_default();
    let email = query.get("email").unwrap_or_default();
    let redirect_to = query.get("redirectTo").unwrap_or_default();
    let sign_in = with_query("/sign-in", &[("redirectTo", redirect_to.as_str())]);

    // Copyable handles: the form is rendered by a closure that may run again.
    let redirect_field = Signal::stored(redirect_to.clone());
    let email_field = Signal::stored(email.clone());
    let name_field = Signal::stored(name.clone());
    view! {
        <RedirectSignedIn/>
        <AuthCard
            title="Create your account"
            intro="One account for every app that trusts this server."
        >
            <FormAlert errors/>
            <WithPasswords>
                <ActionForm action=action attr:class="space-y-5">
                    <input type="hidden" name="redirect_to" value=redirect_field/>
                    <Field
                        name="name"
                        label="Name"
                        autocomplete="name"
                        value=name_field.get_untracked()
                        required=false
                        errors
                    />
                    <Field
                        name="email"
                        label="Email"
                        kind="email"
                        autocomplete="email"
                        value=email_field.get_untracked()
                        errors
                        blamed_by=&["EMAIL_EXISTS"]
                    />
                    <Field
                        name="password"
                        label="Password"
                        kind="password"
                        autocomplete="new-password"
                        hint="8 to 128 characters. A few unrelated words make a strong one."
                        errors
                    />
                    <SubmitButton label="Create account" pending=action.pending()/>
                </ActionForm>
            </WithPasswords>
            <p class="text-center text-sm text-slate-600">
                "Already have an account? " <A href=sign_in attr:class=LINK>"Sign in"</A>
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
    use crate::auth::input::parse_name;
    use crate::auth::{AuthError, Email, Password, SignUp};

    pub(super) async fn sign_up(
        name: String,
        email: String,
        password: Secret,
        redirect_to: Option<String>,
    ) -> Result<(), PageError> {
        let req = page_request()?;
        let outcome = attempt(&req, &name, &email, &password, redirect_to.as_deref()).await;
        outcome.map_err(|e| {
            let back = FormBack::to("/sign-up")
                .echo("name", Some(&name))
                .echo("email", Some(&email))
                .echo("redirectTo", redirect_to.as_deref());
            req.fail(e, &back)
        })
    }

    async fn attempt(
        req: &PageRequest,
        name: &str,
        email: &str,
        password: &Secret,
        redirect_to: Option<&str>,
    ) -> Result<(), AuthError> {
        let mut checks = Checks::default();
        let name = checks.check("name", parse_name(name));
        let email = checks.check("email", Email::parse(email));
        let password = checks.check("password", Password::parse(password.expose()));
        checks.finish()?;
        let (Some(name), Some(email), Some(password)) = (name, email, password) else {
            return Err(AuthError::field("email", "is required"));
        };

        req.limit(Action::SignUp, Some(&email))?;
        let input = SignUp {
            email,
            password,
            name,
        };
        let done = req.provider().sign_up(&req.meta, input).await?;
        req.start_session(&done.session)?;
        req.redirect(&req.target(redirect_to, "/account"));
        Ok(())
    }
}
