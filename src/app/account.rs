//! `/account`: the profile and the list of sessions, with ways to end them.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use serde::{Deserialize, Serialize};

use super::error::PageError;
use super::forms::{query_error, query_notice, track, FormAlert, LoadFailed, Loading, Notice};
use super::session::UserView;
use super::sessions::{
    describe_time, RevokeOtherSessions, RevokeSession, SessionList, SessionView,
};
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
        <Title text="Account · Latchkey"/>
        <div class="space-y-8">
            <div>
                <h1 class="text-2xl font-semibold tracking-tight text-slate-900">"Your account"</h1>
                <p class="mt-1 text-sm text-slate-600">"Your profile and the places you are signed in."</p>
            </div>
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
    let (badge_class, badge) = if user.email_verified {
        (
            "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
            "Verified",
        )
    } else {
        (
            "bg-amber-50 text-amber-800 ring-amber-600/20",
            "Not verified",
        )
    };
    view! {
        <section aria-labelledby="profile-heading" class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm">
            <h2 id="profile-heading" class="text-lg font-semibold text-slate-900">"Profile"</h2>
            <dl class="mt-4 grid gap-4 sm:grid-cols-2">
                <Item term="Name">{name}</Item>
                <Item term="Email">
                    <span class="break-all">{user.email}</span>
                    " "
                    <span class=format!("ml-1 inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {badge_class}")>
                        {badge}
                    </span>
                </Item>
                <Item term="Member since">{describe_time(&user.created_at)}</Item>
                <Item term="User id">
                    <code class="text-xs text-slate-600">{user.id}</code>
                </Item>
            </dl>
        </section>
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
