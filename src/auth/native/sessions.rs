//! The session check (the hot path) and the session list.

use chrono::Duration;

use super::Native;
use crate::auth::error::Context as _;
use crate::auth::{AuthError, AuthResult, Caller, RequestMeta, Session, SessionInfo, SessionToken};
use crate::crypto::tokens::token_hash;
use crate::store::native as q;

/// How stale `lastSeenAt` may get before a request writes it again: the
/// session list shows it to the minute, and a write per request would make
/// every session check a database write.
const LAST_SEEN_GRANULARITY: Duration = Duration::seconds(60);

/// Longest token accepted for lookup; anything longer is not ours.
const MAX_TOKEN_LEN: usize = 256;

pub(super) async fn authenticate(
    native: &Native,
    req: &RequestMeta,
    token: &SessionToken,
) -> AuthResult<Caller> {
    let raw = token.expose();
    if raw.is_empty() || raw.len() > MAX_TOKEN_LEN {
        return Err(AuthError::Unauthorized);
    }
    let found = q::find_session(&native.db, &token_hash(raw), req.now)
        .await
        .context("Failed to look up a session")?
        .ok_or(AuthError::Unauthorized)?;
    let (row, user) = found.into_parts();

    let life = native.session_life(row.persistent);
    let update_age = native.config.session_update_age.min(life / 2);
    let due = req.now - (row.expires_at - life) >= update_age;
    let new_expiry = due.then(|| req.now + life);
    let stale = row
        .last_seen_at
        .is_none_or(|t| req.now - t >= LAST_SEEN_GRANULARITY);
    if due || stale {
        q::touch_session(&native.db, &row.id, new_expiry, req.now)
            .await
            .context("Failed to update a session")?;
    }

    let session = Session {
        id: row.id,
        token: None,
        user_id: row.user_id,
        expires_at: new_expiry.unwrap_or(row.expires_at),
        created_at: row.created_at,
        active_organization_id: row.active_organization_id,
        persistent: row.persistent,
    };
    Ok(Caller {
        user: user.into(),
        session,
        renewed: due,
    })
}

pub(super) async fn list(
    native: &Native,
    req: &RequestMeta,
    caller: &Caller,
) -> AuthResult<Vec<SessionInfo>> {
    let rows = q::list_sessions(&native.db, &caller.user.id, req.now)
        .await
        .context("Failed to list sessions")?;
    Ok(rows
        .into_iter()
        .map(|row| SessionInfo {
            current: row.id == caller.session.id,
            last_seen_at: row.last_seen_at.unwrap_or(row.updated_at),
            id: row.id,
            created_at: row.created_at,
            expires_at: row.expires_at,
            ip_address: row.ip_address,
            user_agent: row.user_agent,
        })
        .collect())
}
