//! `/account`: the profile and the list of sessions, with ways to end them.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use super::error::PageError;
use super::forms::{query_error, query_notice, track, FormAlert, Notice};
use super::session::UserView;
use super::sessions::{RevokeOtherSessions, RevokeSession, SessionList, SessionView};
use super::ui::{Badge, Card, LoadFailed, Loading, Moment, PageHeading, Tone};
use super::url::sign_in_returning_to;

/// Everything the account page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    /// The signed-in user.
    pub user: UserView,
    /// Their live sessions, newest first.
    pub sessions: Vec<SessionView>,
}

/// The caller's profile and sessions; `UNAUTHORIZED` when signed out.
#[server(prefix = "/_app", endpoint = "account")]
pub async fn load_account() -> Result<AccountView, PageError> {
    ssr::load_account().await
}

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let revoke = ServerAction::<RevokeSession>::new();
    let revoke_others = ServerAction::<RevokeOtherSessions>::new();
    let account = Resource::new(
        move || (revoke.version().get(), revoke_others.version().get()),
        |_| load_account(),
    );

    let latest = RwSignal::new(None);
    track(revoke, "That session was signed out.", latest);
    track(revoke_others, "Every other session was signed out.", latest);
    let (error_in_url, notice_in_url) = (query_error(&[]), query_notice());
    let errors = Signal::derive(move || match latest.get() {
        Some(outcome) => outcome.err(),
        None => error_in_url.get(),
    });
    let notice = Signal::derive(move || match latest.get() {
        Some(outcome) => outcome.ok(),
        None => notice_in_url.get(),
    });

    view! {
        <div class="space-y-8">
            <PageHeading title="Account" intro="Your profile and the places you are signed in."/>
            <Notice text=notice/>
            <FormAlert errors/>
            <Transition fallback=|| view! { <Loading/> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(view) => EitherOf3::A(view! {
                            <Profile user=view.user/>
                            <SessionList sessions=view.sessions revoke revoke_others/>
                        }),
                        Err(e) if e.code == "UNAUTHORIZED" => EitherOf3::B(view! {
                            <Redirect path=sign_in_returning_to("/account")/>
                        }),
                        Err(e) => EitherOf3::C(view! { <LoadFailed error=e/> }),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Profile(user: UserView) -> impl IntoView {
    let name = if user.name.is_empty() {
        "—".to_owned()
    } else {
        user.name
    };
    let (tone, verified) = match user.email_verified {
        true => (Tone::Good, "Verified"),
        false => (Tone::Warn, "Not verified"),
    };
    view! {
        <Card
            id="profile-heading"
            title="Profile"
            intro="How the apps that trust this server see you."
        >
            <dl class="grid gap-4 sm:grid-cols-2">
                <Item term="Name">{name}</Item>
                <Item term="Email">
                    <span class="mr-2 break-all">{user.email}</span>
                    <Badge tone text=verified/>
                </Item>
                <Item term="Member since"><Moment at=user.created_at/></Item>
                <Item term="User id">
                    <code class="text-xs text-slate-600">{user.id}</code>
                </Item>
            </dl>
        </Card>
    }
}

#[component]
fn Item(term: &'static str, children: Children) -> impl IntoView {
    view! {
        <div>
            <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{term}</dt>
            <dd class="mt-1 text-sm text-slate-900">{children()}</dd>
        </div>
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::AccountView;
    use crate::app::error::PageError;
    use crate::app::server::page_request;
    use crate::app::session::ssr::user_view;
    use crate::app::sessions::session_view;

    pub(super) async fn load_account() -> Result<AccountView, PageError> {
        let req = page_request()?;
        let caller = req.caller().await.map_err(|e| req.reject(e))?;
        let sessions = req.provider().list_sessions(&req.meta, &caller).await;
        let sessions = sessions.map_err(|e| req.reject(e))?;
        Ok(AccountView {
            user: user_view(&caller.user),
            sessions: sessions.iter().map(session_view).collect(),
        })
    }
}
