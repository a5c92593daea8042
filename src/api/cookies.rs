//! The session cookie: `HttpOnly`, `SameSite=Lax`, `Path=/`, `Secure` over
//! https, and a `Max-Age` equal to the session's remaining life (none for a
//! browser session).

use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{DateTime, Utc};

use crate::auth::Session;
use crate::config::Config;

/// `Set-Cookie` value that stores `token` for `session`.
pub fn session_cookie(
    config: &Config,
    token: &str,
    session: &Session,
    now: DateTime<Utc>,
) -> String {
    let mut cookie = base(config, token.to_owned());
    if session.persistent {
        let remaining = (session.expires_at - now).num_seconds().max(0);
        cookie.set_max_age(time::Duration::seconds(remaining));
    }
    cookie.to_string()
}

/// `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(config: &Config) -> String {
    let mut cookie = base(config, String::new());
    cookie.set_max_age(time::Duration::ZERO);
    cookie.to_string()
}

fn base(config: &Config, value: String) -> Cookie<'static> {
    let mut cookie = Cookie::new(config.session_cookie(), value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path("/");
    cookie.set_secure(config.secure_cookies);
    cookie
}
