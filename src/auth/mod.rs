//! The provider layer: one trait that every identity system implements, the
//! provider-neutral model, one error type, and one module per provider.
//!
//! Nothing here knows about HTTP. The API layer turns requests into calls on
//! an [`AuthProvider`] chosen once at start by `AUTH_PROVIDER`, and turns the
//! results into the wire envelope.
//!
//! The trait was shaped with the hosted providers in mind: Clerk and WorkOS
//! keep users, credentials, organizations and sessions upstream, so every
//! operation takes the caller's proven identity ([`Caller`]) rather than raw
//! database ids, and a provider is free to answer [`AuthError::NotSupported`]
//! for what its upstream cannot do (the default of every method).

pub mod error;
pub mod input;
pub mod model;
pub mod native;
pub mod unsupported;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

pub use error::{AuthError, AuthResult, FieldErrors};
pub use input::{Email, Password};
pub use model::{
    Authenticated, Capabilities, Membership, Methods, Organization, Role, Session, SessionInfo,
    SignInOutcome, User,
};

/// Facts about the request that providers record or reason about.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    /// "Now", read once per request; domain code never reads the clock.
    pub now: DateTime<Utc>,
    /// The client address (after `TRUST_PROXY`), if known.
    pub ip: Option<String>,
    /// The client's user agent, truncated.
    pub user_agent: Option<String>,
}

/// A bearer or cookie session token as presented by a client.
#[derive(Clone)]
pub struct SessionToken(SecretString);

impl SessionToken {
    /// Wraps a presented token.
    pub fn new(raw: &str) -> Self {
        Self(SecretString::from(raw))
    }

    /// The raw token, for hashing or verification only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// A caller whose session has been checked.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who is calling.
    pub user: User,
    /// The session they call with (without its token).
    pub session: Session,
    /// Whether the session's expiry just moved, so the cookie must be re-issued.
    pub renewed: bool,
}

/// Input of sign-up.
#[derive(Debug)]
pub struct SignUp {
    /// Canonical email.
    pub email: Email,
    /// The chosen password.
    pub password: Password,
    /// Display name.
    pub name: String,
}

/// Input of sign-in.
#[derive(Debug)]
pub struct SignIn {
    /// Canonical email.
    pub email: Email,
    /// The password to check.
    pub password: Password,
    /// `false`: a browser-session cookie and a one-day server-side life.
    pub remember_me: bool,
}

/// Input of organization creation.
#[derive(Debug)]
pub struct NewOrganization {
    /// Display name.
    pub name: String,
    /// Wanted slug; generated from the name when absent.
    pub slug: Option<String>,
}

/// What every identity system behind Latchkey implements.
///
/// Every method but [`capabilities`](Self::capabilities) has a default that
/// answers `NotSupported`, so a provider states only what it can do.
#[async_trait]
pub trait AuthProvider: Send + Sync + 'static {
    /// What this provider supports; drives `/capabilities` and the pages.
    fn capabilities(&self) -> Capabilities;

    /// Creates an account with a password and signs it in.
    async fn sign_up(&self, _req: &RequestMeta, _input: SignUp) -> AuthResult<Authenticated> {
        Err(AuthError::NotSupported)
    }

    /// Checks a password and starts a session (or a second-factor challenge).
    async fn sign_in(&self, _req: &RequestMeta, _input: SignIn) -> AuthResult<SignInOutcome> {
        Err(AuthError::NotSupported)
    }

    /// Resolves a presented token to its caller; `Unauthorized` when unknown,
    /// expired or revoked. Slides the expiry forward when it is due.
    async fn authenticate(&self, _req: &RequestMeta, _token: &SessionToken) -> AuthResult<Caller> {
        Err(AuthError::Unauthorized)
    }

    /// Revokes the session behind `token`; succeeds when there is none.
    async fn sign_out(&self, _req: &RequestMeta, _token: &SessionToken) -> AuthResult<()> {
        Ok(())
    }

    /// The caller's live sessions, newest first.
    async fn list_sessions(
        &self,
        _req: &RequestMeta,
        _caller: &Caller,
    ) -> AuthResult<Vec<SessionInfo>> {
        Err(AuthError::NotSupported)
    }

    /// Revokes one of the caller's sessions by id; `NotFound` for any other.
    async fn revoke_session(
        &self,
        _req: &RequestMeta,
        _caller: &Caller,
        _id: &str,
    ) -> AuthResult<u64> {
        Err(AuthError::NotSupported)
    }

    /// Revokes every session of the caller but the current one.
    async fn revoke_other_sessions(&self, _req: &RequestMeta, _caller: &Caller) -> AuthResult<u64> {
        Err(AuthError::NotSupported)
    }

    /// Mails a reset link if the account exists; answers the same either way.
    async fn request_password_reset(
        &self,
        _req: &RequestMeta,
        _email: Email,
        _redirect_to: Option<String>,
    ) -> AuthResult<()> {
        Err(AuthError::NotSupported)
    }

    /// Whether a reset token is live, without spending it: the reset page
    /// checks it on `GET` (which must change nothing).
    async fn password_reset_token_is_live(
        &self,
        _req: &RequestMeta,
        _token: &str,
    ) -> AuthResult<bool> {
        Err(AuthError::NotSupported)
    }

    /// Spends a reset token, sets the password and revokes every session.
    async fn confirm_password_reset(
        &self,
        _req: &RequestMeta,
        _token: &str,
        _new_password: Password,
    ) -> AuthResult<()> {
        Err(AuthError::NotSupported)
    }

    /// The organizations the caller belongs to, with their role.
    async fn list_organizations(
        &self,
        _req: &RequestMeta,
        _caller: &Caller,
    ) -> AuthResult<Vec<Membership>> {
        Err(AuthError::NotSupported)
    }

    /// Creates an organization whose owner is the caller.
    async fn create_organization(
        &self,
        _req: &RequestMeta,
        _caller: &Caller,
        _input: NewOrganization,
    ) -> AuthResult<Organization> {
        Err(AuthError::NotSupported)
    }
}
