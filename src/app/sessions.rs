//! The session list of the account page: where the user is signed in, and
//! the buttons that end those sessions.

use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::error::PageError;
use super::forms::SubmitButton;
use super::session::SignOutButton;
use super::ui::{Badge, Card, Moment, Tone, DANGER_BUTTON, SECONDARY_BUTTON};

/// One session, as the account page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// Opaque id; never the token.
    pub id: String,
    /// When it started (RFC 3339).
    pub created_at: String,
    /// When it was last used (RFC 3339).
    pub last_seen_at: String,
    /// Client address at creation.
    pub ip_address: Option<String>,
    /// Client user agent at creation.
    pub user_agent: Option<String>,
    /// Whether it is the session viewing the page.
    pub current: bool,
}

/// Signs one of the caller's other sessions out.
#[server(prefix = "/_app", endpoint = "revoke-session")]
pub async fn revoke_session(id: String) -> Result<(), PageError> {
    ssr::revoke_session(id).await
}

/// Signs every session of the caller but this one out; answers how many.
#[server(prefix = "/_app", endpoint = "revoke-other-sessions")]
pub async fn revoke_other_sessions() -> Result<u64, PageError> {
    ssr::revoke_other_sessions().await
}

/// The sessions card.
#[component]
pub fn SessionList(
    sessions: Vec<SessionView>,
    revoke: ServerAction<RevokeSession>,
    revoke_others: ServerAction<RevokeOtherSessions>,
) -> impl IntoView {
    let mut sessions = sessions;
    // This browser first, then the others, newest first as the provider gave them.
    sessions.sort_by_key(|s| !s.current);
    let others = sessions.iter().any(|s| !s.current);
    let pending = revoke_others.pending();
    let everywhere_else = others.then(|| {
        view! {
            <ActionForm action=revoke_others>
                <SubmitButton label="Sign out everywhere else" pending class=DANGER_BUTTON/>
            </ActionForm>
        }
    });
    let rows = sessions
        .into_iter()
        .map(move |session| view! { <SessionRow session revoke/> });
    view! {
        <Card
            id="sessions-heading"
            title="Sessions"
            intro="Browsers and apps signed in to your account."
            aside=everywhere_else.into_any()
        >
            <ul class="divide-y divide-slate-100" role="list">{rows.collect_view()}</ul>
        </Card>
    }
}

#[component]
fn SessionRow(session: SessionView, revoke: ServerAction<RevokeSession>) -> impl IntoView {
    let agent = session.user_agent.clone().unwrap_or_default();
    let ip = session
        .ip_address
        .clone()
        .unwrap_or_else(|| "unknown address".to_owned());
    let action = if session.current {
        Either::Left(view! { <SignOutButton/> })
    } else {
        Either::Right(view! {
            <ActionForm action=revoke>
                <input type="hidden" name="id" value=session.id.clone()/>
                <SubmitButton label="Sign out" pending=revoke.pending() class=SECONDARY_BUTTON/>
            </ActionForm>
        })
    };
    view! {
        <li
            data-testid="session-row"
            data-current=session.current.then_some("true")
            class="flex flex-col gap-3 py-4 sm:flex-row sm:items-center sm:justify-between"
        >
            <div class="min-w-0 space-y-1">
                <p class="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
                    <span title=agent.clone()>{describe_agent(&agent)}</span>
                    {session.current.then(|| view! { <Badge tone=Tone::Accent text="Current"/> })}
                </p>
                <p class="text-xs text-slate-500">
                    {ip} " · signed in " <Moment at=session.created_at/>
                    " · last seen " <Moment at=session.last_seen_at/>
                </p>
            </div>
            <div class="shrink-0">{action}</div>
        </li>
    }
}

/// "Firefox on Linux" for a user agent; a rough guess, meant for people. The
/// full string is kept in the row's tooltip.
pub fn describe_agent(agent: &str) -> String {
    if agent.is_empty() {
        return "Unknown device".to_owned();
    }
    const BROWSERS: &[(&str, &str)] = &[
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
        ("curl/", "curl"),
    ];
    const SYSTEMS: &[(&str, &str)] = &[
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("CrOS", "ChromeOS"),
        ("Mac OS X", "macOS"),
        ("Windows", "Windows"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(needle, _)| agent.contains(needle))
            .map(|(_, name)| *name)
    };
    match (find(BROWSERS), find(SYSTEMS)) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => format!("Browser on {system}"),
        (None, None) => "Unknown device".to_owned(),
    }
}

#[cfg(feature = "ssr")]
pub(crate) use ssr::session_view;

#[cfg(feature = "ssr")]
mod ssr {
    use super::SessionView;
    use crate::app::error::PageError;
    use crate::app::server::{page_request, FormBack};
    use crate::app::url::with_query;
    use crate::auth::model::rfc3339;
    use crate::auth::{AuthError, SessionInfo};

    const BACK: &str = "/account";

    pub(super) async fn revoke_session(id: String) -> Result<(), PageError> {
        let req = page_request()?;
        let fail = |e| req.fail(e, &FormBack::to(BACK));
        let caller = req.caller().await.map_err(fail)?;
        if id.is_empty() {
            return Err(fail(AuthError::field("id", "must not be empty")));
        }

        req.provider()
            .revoke_session(&req.meta, &caller, &id)
            .await
            .map_err(fail)?;
        if id == caller.session.id {
            req.end_session();
            req.redirect("/sign-in?notice=signed-out");
        } else if req.is_plain_form() {
            req.redirect(&with_query(BACK, &[("notice", "session-revoked")]));
        }
        Ok(())
    }

    pub(super) async fn revoke_other_sessions() -> Result<u64, PageError> {
        let req = page_request()?;
        let fail = |e| req.fail(e, &FormBack::to(BACK));
        let caller = req.caller().await.map_err(fail)?;

        let revoked = req
            .provider()
            .revoke_other_sessions(&req.meta, &caller)
            .await;
        let revoked = revoked.map_err(fail)?;
        if req.is_plain_form() {
            req.redirect(&with_query(BACK, &[("notice", "sessions-revoked")]));
        }
        Ok(revoked)
    }

    /// The page's view of a session.
    pub(crate) fn session_view(info: &SessionInfo) -> SessionView {
        SessionView {
            id: info.id.clone(),
            created_at: rfc3339::format(&info.created_at),
            last_seen_at: rfc3339::format(&info.last_seen_at),
            ip_address: info.ip_address.clone(),
            user_agent: info.user_agent.clone(),
            current: info.current,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_user_agents_read_as_browser_on_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        assert_eq!(describe_agent(firefox), "Firefox on Linux");
        let edge =
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0";
        assert_eq!(describe_agent(edge), "Edge on Windows");
        let iphone =
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Version/17.5 Safari/604.1";
        assert_eq!(describe_agent(iphone), "Safari on iOS");
        assert_eq!(describe_agent(""), "Unknown device");
    }
}
