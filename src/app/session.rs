//! Who is looking at the page: the signed-in user as every page sees it,
//! signing out, and the redirects that keep signed-in and signed-out visitors
//! on the right pages.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use serde::{Deserialize, Serialize};

use super::error::PageError;
use super::forms::SubmitButton;
use super::ui::SECONDARY_BUTTON;

/// The signed-in user, as the pages show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    /// Opaque id.
    pub id: String,
    /// Display name; may be empty.
    pub name: String,
    /// Canonical email.
    pub email: String,
    /// Whether the email has been proven.
    pub email_verified: bool,
    /// When the account was created (RFC 3339).
    pub created_at: String,
}

/// The signed-in user, or `None` for a signed-out visitor.
#[server(prefix = "/_app", endpoint = "viewer")]
pub async fn current_user() -> Result<Option<UserView>, PageError> {
    ssr::current_user().await
}

/// Whether the active provider signs in with an email and a password
/// (`/capabilities`); the pages hide their password forms when it does not.
#[server(prefix = "/_app", endpoint = "password-sign-in")]
pub async fn password_sign_in() -> Result<bool, PageError> {
    ssr::password_sign_in().await
}

/// Ends the current session and goes to the sign-in page.
#[server(prefix = "/_app", endpoint = "sign-out")]
pub async fn sign_out() -> Result<(), PageError> {
    ssr::sign_out().await
}

/// The signed-in user of the current page view, shared by the header and the
/// pages. It is loaded again on every navigation, so that signing in or out
/// (which always navigates) is reflected everywhere.
#[derive(Clone, Copy)]
pub struct Viewer(pub Resource<Result<Option<UserView>, PageError>>);

/// Loads the viewer and provides it to every page below.
pub fn provide_viewer() -> Viewer {
    let location = use_location();
    let viewer = Viewer(Resource::new(
        move || location.pathname.get(),
        |_| current_user(),
    ));
    provide_context(viewer);
    viewer
}

/// Whether the page's viewer is signed in (an error counts as not).
async fn is_signed_in(viewer: Option<Viewer>) -> bool {
    match viewer {
        Some(Viewer(resource)) => matches!(resource.await, Ok(Some(_))),
        None => false,
    }
}

/// Sends a signed-in visitor to their account: for the sign-in and sign-up
/// pages, which make no sense to them.
#[component]
pub fn RedirectSignedIn() -> impl IntoView {
    let viewer = use_context::<Viewer>();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let signed_in = is_signed_in(viewer).await;
                signed_in.then(|| view! { <Redirect path="/account"/> })
            })}
        </Suspense>
    }
}

/// `/`: the account for a signed-in visitor, else the sign-in page.
#[component]
pub fn Home() -> impl IntoView {
    let viewer = use_context::<Viewer>();
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let signed_in = is_signed_in(viewer).await;
                let path = if signed_in { "/account" } else { "/sign-in" };
                view! { <Redirect path=path/> }
            })}
        </Suspense>
    }
}

/// `children` when the active provider takes passwords; otherwise a notice
/// in their place.
#[component]
pub fn WithPasswords(children: ChildrenFn) -> impl IntoView {
    let supported = Resource::new(|| (), |()| password_sign_in());
    view! {
        <Suspense>
            {move || {
                let children = children.clone();
                Suspend::new(async move {
                    if matches!(supported.await, Ok(false)) {
                        leptos::either::Either::Left(view! {
                            <p role="status" class="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">
                                "Signing in with a password is not available with the "
                                "identity provider this server is configured for."
                            </p>
                        })
                    } else {
                        leptos::either::Either::Right(children())
                    }
                })
            }}
        </Suspense>
    }
}

/// A form with one button that signs the current session out.
#[component]
pub fn SignOutButton(
    /// Its classes.
    #[prop(default = SECONDARY_BUTTON)]
    class: &'static str,
) -> impl IntoView {
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action=action>
            <SubmitButton label="Sign out" pending=action.pending() class=class/>
        </ActionForm>
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::UserView;
    use crate::app::error::PageError;
    use crate::app::server::{page_request, FormBack};
    use crate::auth::model::rfc3339;
    use crate::auth::{AuthError, User};

    pub(super) async fn current_user() -> Result<Option<UserView>, PageError> {
        let req = page_request()?;
        if req.session_token().is_none() {
            return Ok(None);
        }
        match req.caller().await {
            Ok(caller) => Ok(Some(user_view(&caller.user))),
            Err(AuthError::Unauthorized) => Ok(None),
            Err(other) => Err(req.reject(other)),
        }
    }

    pub(super) async fn password_sign_in() -> Result<bool, PageError> {
        let req = page_request()?;
        Ok(req.provider().capabilities().methods.email_password)
    }

    pub(super) async fn sign_out() -> Result<(), PageError> {
        let req = page_request()?;
        if let Some(token) = req.session_token() {
            if let Err(e) = req.provider().sign_out(&req.meta, &token).await {
                return Err(req.fail(e, &FormBack::to("/account")));
            }
        }
        req.end_session();
        req.redirect("/sign-in?notice=signed-out");
        Ok(())
    }

    /// The page's view of a user.
    pub(crate) fn user_view(user: &User) -> UserView {
        UserView {
            id: user.id.clone(),
            name: user.name.clone(),
            email: user.email.clone(),
            email_verified: user.email_verified,
            created_at: rfc3339::format(&user.created_at),
        }
    }
}
