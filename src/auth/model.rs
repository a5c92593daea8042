//! The provider-neutral model: what every provider returns, whatever its
//! system of record. These types serialize to the wire shapes of the contract
//! (camelCase keys, RFC 3339 timestamps in UTC, to the second).

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A person who can sign in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Opaque id (`usr_…` when created here; upstream ids pass through).
    pub id: String,
    /// Canonical email (see [`crate::auth::Email`]).
    pub email: String,
    /// Display name; may be empty.
    pub name: String,
    /// Whether the email has been proven to belong to the user.
    pub email_verified: bool,
    /// Avatar URL, if any.
    pub image: Option<String>,
    /// When the user was created.
    #[serde(with = "rfc3339")]
    pub created_at: DateTime<Utc>,
}

/// A signed-in browser or app.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// Opaque id (`ses_…`); never the token.
    pub id: String,
    /// The bearer token; present only in the answer that issued it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The user this session belongs to.
    pub user_id: String,
    /// When the session stops being valid.
    #[serde(with = "rfc3339")]
    pub expires_at: DateTime<Utc>,
    /// When the session was created.
    #[serde(with = "rfc3339")]
    pub created_at: DateTime<Utc>,
    /// The organization the session acts in, if any.
    pub active_organization_id: Option<String>,
    /// Whether the cookie should outlive the browser (`rememberMe`).
    #[serde(skip)]
    pub persistent: bool,
}

/// One entry of the caller's session list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// Opaque id.
    pub id: String,
    /// When the session was created.
    #[serde(with = "rfc3339")]
    pub created_at: DateTime<Utc>,
    /// When it expires.
    #[serde(with = "rfc3339")]
    pub expires_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    #[serde(with = "rfc3339")]
    pub last_seen_at: DateTime<Utc>,
    /// Client address at creation.
    pub ip_address: Option<String>,
    /// Client user agent at creation.
    pub user_agent: Option<String>,
    /// Whether this is the session making the request.
    pub current: bool,
}

/// A user together with a session: the answer to sign-up, sign-in and
/// `GET /session`.
#[derive(Debug, Clone, Serialize)]
pub struct Authenticated {
    /// Who is signed in.
    pub user: User,
    /// The session that proves it.
    pub session: Session,
}

/// What sign-in can lead to.
#[derive(Debug)]
pub enum SignInOutcome {
    /// Signed in.
    Complete(Box<Authenticated>),
    /// A second factor is needed; the challenge is carried by a short-lived
    /// cookie holding this token.
    TwoFactorRequired {
        /// Opaque challenge token.
        challenge: String,
    },
}

/// A role inside an organization.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Can read and take part.
    Member,
    /// Can invite and manage members below owner.
    Admin,
    /// Full control, including deleting the organization.
    Owner,
}

impl Role {
    /// The stored and wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Admin => "admin",
            Self::Owner => "owner",
        }
    }

    /// Parses the stored and wire spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "member" => Some(Self::Member),
            "admin" => Some(Self::Admin),
            "owner" => Some(Self::Owner),
            _ => None,
        }
    }
}

/// A team of users.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// Opaque id (`org_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-safe unique handle.
    pub slug: String,
    /// Logo URL, if any.
    pub logo: Option<String>,
    /// When it was created.
    #[serde(with = "rfc3339")]
    pub created_at: DateTime<Utc>,
}

/// An organization as seen by one of its members.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    /// Opaque id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// URL-safe unique handle.
    pub slug: String,
    /// Logo URL, if any.
    pub logo: Option<String>,
    /// The caller's role in it.
    pub role: Role,
    /// When the organization was created.
    #[serde(with = "rfc3339")]
    pub created_at: DateTime<Utc>,
}

/// What the active provider can do; the pages hide what it cannot.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Methods {
    /// Email and password sign-up and sign-in.
    pub email_password: bool,
    /// Configured OAuth providers, by id.
    pub oauth: Vec<String>,
    /// Magic links (or mailed codes).
    pub magic_link: bool,
    /// Enterprise SSO.
    pub sso: bool,
    /// TOTP second factor.
    pub two_factor: bool,
    /// WebAuthn passkeys.
    pub passkeys: bool,
    /// Organizations, members and invitations.
    pub organizations: bool,
}

/// The answer of `GET /capabilities`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Capabilities {
    /// The `AUTH_PROVIDER` value.
    pub provider: &'static str,
    /// What it supports.
    pub methods: Methods,
}

/// Serializes timestamps as RFC 3339 in UTC to the second
/// (`2026-12-31T23:59:59Z`), as the contract shows.
pub mod rfc3339 {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::Serializer;

    /// Formats one timestamp.
    pub fn format(t: &DateTime<Utc>) -> String {
        t.to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// serde `serialize_with` entry point.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn timestamps_serialize_to_the_second_in_utc() {
        let t = Utc.with_ymd_and_hms(2026, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(rfc3339::format(&t), "2026-12-31T23:59:59Z");
    }

    #[test]
    fn roles_are_ordered_by_power() {
        assert!(Role::Owner > Role::Admin && Role::Admin > Role::Member);
        assert_eq!(Role::parse("admin"), Some(Role::Admin));
        assert_eq!(Role::parse("root"), None);
    }
}
