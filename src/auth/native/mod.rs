//! The native provider (`AUTH_PROVIDER=betterauth`): our own database in
//! Better Auth's schema is the system of record.
//!
//! Passwords are argon2id (legacy Better Auth scrypt hashes verify once and
//! are replaced), session tokens are 256 random bits stored only as SHA-256,
//! and reset tokens are single-use, stored hashed and spent atomically.
//!
//! Limits: OAuth, magic links, email verification, two factors, passkeys and
//! the rest of the organization API arrive with their own modules; until then
//! `/capabilities` does not advertise them and they answer `NOT_SUPPORTED`.

mod organizations;
pub use organizations::parse_slug;
mod sessions;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::Duration;
use tracing::Instrument;

use super::error::Context as _;
use super::{
    AuthError, AuthProvider, AuthResult, Authenticated, Caller, Capabilities, Email, Membership,
    Methods, NewOrganization, Organization, Password, RequestMeta, SessionInfo, SessionToken,
    SignIn, SignInOutcome, SignUp, User,
};
use crate::config::Config;
use crate::crypto::password::{Hasher, Verdict};
use crate::crypto::tokens::{new_id, new_token, token_hash};
use crate::mail::{self, Mailer};
use crate::store::native::{self as q, CreateUserError, NewSession, UserRow};
use crate::store::Db;

/// Prefix of reset-token rows in `verification` (followed by the token hash).
const RESET_PREFIX: &str = "reset-password:";

/// Server-side life of a session created with `rememberMe: false`.
const BROWSER_SESSION_LIFE: Duration = Duration::days(1);

/// The native provider.
pub struct Native {
    db: Db,
    hasher: Hasher,
    mailer: Mailer,
    config: Arc<Config>,
}

impl Native {
    /// A provider over `db`, hashing with `hasher` and mailing with `mailer`.
    pub fn new(db: Db, hasher: Hasher, mailer: Mailer, config: Arc<Config>) -> Self {
        Self {
            db,
            hasher,
            mailer,
            config,
        }
    }

    /// A fresh session for `user_id`, with its token, and the hash of that
    /// token (the only form stored); not stored yet.
    fn new_session(
        &self,
        req: &RequestMeta,
        user_id: &str,
        persistent: bool,
    ) -> (super::Session, String) {
        let token = new_token();
        let hash = token_hash(&token);
        let session = super::Session {
            id: new_id("ses"),
            token: Some(token),
            user_id: user_id.to_owned(),
            expires_at: req.now + self.session_life(persistent),
            created_at: req.now,
            active_organization_id: None,
            persistent,
        };
        (session, hash)
    }

    /// Starts the session of a password sign-in, provided the password is
    /// still the one just verified (see [`q::insert_password_session`]).
    async fn start_password_session(
        &self,
        req: &RequestMeta,
        user_id: &str,
        verified_hash: &str,
        persistent: bool,
    ) -> AuthResult<super::Session> {
        let (session, hash) = self.new_session(req, user_id, persistent);
        let stored = q::insert_password_session(
            &self.db,
            &row(&session, &hash, req),
            verified_hash,
            req.now,
        )
        .await
        .context("Failed to store a session")?;
        if !stored {
            tracing::info!(target: "security", user_id, "sign-in failed: password changed meanwhile");
            return Err(AuthError::InvalidCredentials);
        }
        Ok(session)
    }

    fn session_life(&self, persistent: bool) -> Duration {
        if persistent {
            self.config.session_max_age
        } else {
            BROWSER_SESSION_LIFE.min(self.config.session_max_age)
        }
    }
}

#[async_trait]
impl AuthProvider for Native {
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            provider: "betterauth",
            methods: Methods {
                email_password: true,
                oauth: Vec::new(),
                magic_link: false,
                sso: false,
                two_factor: false,
                passkeys: false,
                organizations: true,
            },
        }
    }

    async fn sign_up(&self, req: &RequestMeta, input: SignUp) -> AuthResult<Authenticated> {
        if !self.config.signup_open {
            return Err(AuthError::Forbidden("Sign-up is closed"));
        }
        let hash = self.hasher.hash(&input.password).await?;
        let user = UserRow {
            id: new_id("usr"),
            name: input.name,
            email: input.email.as_str().to_owned(),
            email_verified: false,
            image: None,
            created_at: req.now,
        };
        let (session, hash_of_token) = self.new_session(req, &user.id, true);
        let stored = row(&session, &hash_of_token, req);
        match q::create_user(&self.db, &user, &new_id("acc"), &hash, &stored, req.now).await {
            Ok(()) => {}
            Err(CreateUserError::EmailTaken) => return Err(AuthError::EmailExists),
            Err(CreateUserError::Db(e)) => return Err(e).context("Failed to create a user"),
        }
        tracing::info!(target: "security", user_id = %user.id, "sign-up succeeded");
        Ok(Authenticated {
            user: user.into(),
            session,
        })
    }

    async fn sign_in(&self, req: &RequestMeta, input: SignIn) -> AuthResult<SignInOutcome> {
        let found = q::find_credential(&self.db, input.email.as_str())
            .await
            .context("Failed to look up a user")?;
        let Some((user, Some(stored))) = found else {
            self.hasher.verify_dummy(&input.password).await?;
            tracing::info!(target: "security", "sign-in failed: unknown account");
            return Err(AuthError::InvalidCredentials);
        };
        let Verdict::Match { rehash } = self.hasher.verify(&input.password, &stored).await? else {
            tracing::info!(target: "security", user_id = %user.id, "sign-in failed: wrong password");
            return Err(AuthError::InvalidCredentials);
        };
        let mut verified = stored;
        if rehash {
            let fresh = self.hasher.hash(&input.password).await?;
            let replaced = q::replace_password_hash(&self.db, &user.id, &verified, &fresh, req.now)
                .await
                .context("Failed to upgrade a password hash")?;
            if !replaced {
                tracing::info!(target: "security", user_id = %user.id, "sign-in failed: password changed meanwhile");
                return Err(AuthError::InvalidCredentials);
            }
            tracing::info!(target: "security", user_id = %user.id, "password hash upgraded");
            verified = fresh;
        }
        if self.config.require_email_verification && !user.email_verified {
            return Err(AuthError::Forbidden(
                "Verify your email address before signing in",
            ));
        }
        let session = self
            .start_password_session(req, &user.id, &verified, input.remember_me)
            .await?;
        tracing::info!(target: "security", user_id = %user.id, "sign-in succeeded");
        Ok(SignInOutcome::Complete(Box::new(Authenticated {
            user: user.into(),
            session,
        })))
    }

    async fn authenticate(&self, req: &RequestMeta, token: &SessionToken) -> AuthResult<Caller> {
        sessions::authenticate(self, req, token).await
    }

    async fn sign_out(&self, _req: &RequestMeta, token: &SessionToken) -> AuthResult<()> {
        q::delete_session_by_token(&self.db, &token_hash(token.expose()))
            .await
            .context("Failed to revoke a session")?;
        Ok(())
    }

    async fn list_sessions(
        &self,
        req: &RequestMeta,
        caller: &Caller,
    ) -> AuthResult<Vec<SessionInfo>> {
        sessions::list(self, req, caller).await
    }

    async fn revoke_session(
        &self,
        _req: &RequestMeta,
        caller: &Caller,
        id: &str,
    ) -> AuthResult<u64> {
        if !looks_like_id(id) {
            return Err(AuthError::NotFound);
        }
        let n = q::delete_session(&self.db, &caller.user.id, id)
            .await
            .context("Failed to revoke a session")?;
        if n == 0 {
            return Err(AuthError::NotFound);
        }
        tracing::info!(target: "security", user_id = %caller.user.id, "session revoked");
        Ok(n)
    }

    async fn revoke_other_sessions(&self, _req: &RequestMeta, caller: &Caller) -> AuthResult<u64> {
        let n = q::delete_other_sessions(&self.db, &caller.user.id, &caller.session.id)
            .await
            .context("Failed to revoke sessions")?;
        tracing::info!(target: "security", user_id = %caller.user.id, revoked = n, "other sessions revoked");
        Ok(n)
    }

    async fn request_password_reset(
        &self,
        req: &RequestMeta,
        email: Email,
        redirect_to: Option<String>,
    ) -> AuthResult<()> {
        let found = q::find_credential(&self.db, email.as_str())
            .await
            .context("Failed to look up a user")?;
        let Some((user, _)) = found else {
            tracing::info!(target: "security", "password reset requested for an unknown account");
            return Ok(());
        };
        let token = new_token();
        let ttl = self.config.reset_token_ttl;
        let identifier = format!("{RESET_PREFIX}{}", token_hash(&token));
        let mut link = url::Url::parse(&format!("{}/reset-password", self.config.base_url()))
            .context("AUTH_URL does not form a link")?;
        link.query_pairs_mut().append_pair("token", &token);
        if let Some(target) = redirect_to {
            link.query_pairs_mut().append_pair("redirectTo", &target);
        }
        let mail = mail::password_reset(email, link.as_str(), ttl.num_minutes().max(1));

        // Storing the token and sending the mail happen after the answer, so
        // that a known email costs the requester no more time than an unknown one.
        let (db, mailer, now) = (self.db.clone(), self.mailer.clone(), req.now);
        let work = async move {
            let stored =
                q::insert_verification(&db, &new_id("ver"), &identifier, &user.id, now + ttl, now)
                    .await;
            match stored {
                Ok(()) => mailer.deliver(mail, "password-reset").await,
                Err(e) => tracing::error!(error = %e, "reset token not stored; no mail sent"),
            }
        };
        tokio::spawn(work.instrument(tracing::Span::current()));
        tracing::info!(target: "security", "password reset requested");
        Ok(())
    }

    async fn password_reset_token_is_live(
        &self,
        req: &RequestMeta,
        token: &str,
    ) -> AuthResult<bool> {
        let identifier = format!("{RESET_PREFIX}{}", token_hash(token));
        let live = q::verification_is_live(&self.db, &identifier, req.now)
            .await
            .context("Failed to look up a reset token")?;
        Ok(live)
    }

    async fn confirm_password_reset(
        &self,
        req: &RequestMeta,
        token: &str,
        new_password: Password,
    ) -> AuthResult<()> {
        let identifier = format!("{RESET_PREFIX}{}", token_hash(token));
        let user_id = q::find_verification(&self.db, &identifier, req.now)
            .await
            .context("Failed to look up a reset token")?
            .ok_or(AuthError::InvalidToken)?;
        let hash = self.hasher.hash(&new_password).await?;
        let revoked = q::complete_password_reset(
            &self.db,
            &identifier,
            &user_id,
            &hash,
            RESET_PREFIX,
            req.now,
        )
        .await
        .context("Failed to reset a password")?
        .ok_or(AuthError::InvalidToken)?;
        tracing::info!(target: "security", user_id = %user_id, revoked, "password reset completed");
        Ok(())
    }

    async fn list_organizations(
        &self,
        _req: &RequestMeta,
        caller: &Caller,
    ) -> AuthResult<Vec<Membership>> {
        organizations::list(&self.db, caller).await
    }

    async fn create_organization(
        &self,
        req: &RequestMeta,
        caller: &Caller,
        input: NewOrganization,
    ) -> AuthResult<Organization> {
        organizations::create(&self.db, req, caller, input).await
    }
}

/// The stored form of a session: its token only as `token_hash`.
fn row<'a>(
    session: &'a super::Session,
    token_hash: &'a str,
    req: &'a RequestMeta,
) -> NewSession<'a> {
    NewSession {
        id: &session.id,
        token_hash,
        user_id: &session.user_id,
        expires_at: session.expires_at,
        ip_address: req.ip.as_deref(),
        user_agent: req.user_agent.as_deref(),
        persistent: session.persistent,
    }
}

/// Whether `s` can be an id at all (ours, or one passed through from a
/// taken-over database); anything else is not looked up.
fn looks_like_id(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b))
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            name: row.name,
            email_verified: row.email_verified,
            image: row.image,
            created_at: row.created_at,
        }
    }
}
