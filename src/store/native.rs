//! Queries of the native provider over Better Auth's schema.
//!
//! Every function takes "now" from its caller and returns rows; deciding what
//! a row means (expired, allowed, …) is the provider's job.

use chrono::{DateTime, Utc};
use sqlx::FromRow;

use super::{is_unique_violation, Db};
use crate::on_db;

/// `user` as stored.
#[derive(Debug, Clone, FromRow)]
#[sqlx(rename_all = "camelCase")]
pub struct UserRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub email_verified: bool,
    pub image: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `session` as stored (the token column holds a hash and is not read back).
#[derive(Debug, Clone, FromRow)]
#[sqlx(rename_all = "camelCase")]
pub struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub active_organization_id: Option<String>,
    pub persistent: bool,
}

/// A session joined with its user, as the session check needs it.
#[derive(Debug, Clone, FromRow)]
pub struct SessionWithUser {
    #[sqlx(flatten)]
    pub session: SessionRow,
    #[sqlx(rename = "u_id")]
    pub u_id: String,
    #[sqlx(rename = "u_name")]
    pub u_name: String,
    #[sqlx(rename = "u_email")]
    pub u_email: String,
    #[sqlx(rename = "u_email_verified")]
    pub u_email_verified: bool,
    #[sqlx(rename = "u_image")]
    pub u_image: Option<String>,
    #[sqlx(rename = "u_created_at")]
    pub u_created_at: DateTime<Utc>,
}

impl SessionWithUser {
    /// Splits the joined row.
    pub fn into_parts(self) -> (SessionRow, UserRow) {
        let user = UserRow {
            id: self.u_id,
            name: self.u_name,
            email: self.u_email,
            email_verified: self.u_email_verified,
            image: self.u_image,
            created_at: self.u_created_at,
        };
        (self.session, user)
    }
}

/// A session about to be stored.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub id: &'a str,
    pub token_hash: &'a str,
    pub user_id: &'a str,
    pub expires_at: DateTime<Utc>,
    pub ip_address: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub persistent: bool,
}

/// An organization row joined with the caller's role.
#[derive(Debug, Clone, FromRow)]
#[sqlx(rename_all = "camelCase")]
pub struct MembershipRow {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub logo: Option<String>,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

/// Why creating a user failed.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    /// The canonical email is taken.
    #[error("email already registered")]
    EmailTaken,
    /// Anything else.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

const SESSION_COLUMNS: &str = r#"s."id", s."userId", s."expiresAt", s."createdAt", s."updatedAt",
    s."lastSeenAt", s."ipAddress", s."userAgent", s."activeOrganizationId", s."persistent""#;

/// Inserts a user, their credential account and a first session, atomically.
pub async fn create_user(
    db: &Db,
    user: &UserRow,
    account_id: &str,
    password_hash: &str,
    session: &NewSession<'_>,
    now: DateTime<Utc>,
) -> Result<(), CreateUserError> {
    let result: Result<(), sqlx::Error> = on_db!(db, pool, E => async {
        let mut tx = pool.begin().await?;
        sqlx::query(
            r#"INSERT INTO "user" ("id", "name", "email", "emailVerified", "image",
                "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $6)"#,
        )
        .bind(&user.id)
        .bind(&user.name)
        .bind(&user.email)
        .bind(user.email_verified)
        .bind(&user.image)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        insert_credential::<E>(&mut *tx, account_id, &user.id, password_hash, now).await?;
        let stored = insert_session_on::<E>(&mut *tx, session, password_hash, now).await?;
        if stored.rows_affected() == 0 {
            // The credential was written just above, in this transaction.
            return Err(sqlx::Error::RowNotFound);
        }
        tx.commit().await
    }.await);
    match result {
        Err(e) if is_unique_violation(&e) => Err(CreateUserError::EmailTaken),
        other => Ok(other?),
    }
}

/// A user and their credential hash (if they have a password), by email.
pub async fn find_credential(
    db: &Db,
    email: &str,
) -> sqlx::Result<Option<(UserRow, Option<String>)>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        password: Option<String>,
    }
    let sql = r#"SELECT u."id", u."name", u."email", u."emailVerified", u."image",
            u."createdAt", a."password"
        FROM "user" u
        LEFT JOIN "account" a ON a."userId" = u."id" AND a."providerId" = 'credential'
        WHERE u."email" = $1"#;
    let row: Option<Row> =
        on_db!(db, pool => sqlx::query_as(sql).bind(email).fetch_optional(pool).await)?;
    Ok(row.map(|r| (r.user, r.password)))
}

/// A user by id.
pub async fn find_user(db: &Db, id: &str) -> sqlx::Result<Option<UserRow>> {
    let sql = r#"SELECT "id", "name", "email", "emailVerified", "image", "createdAt"
        FROM "user" WHERE "id" = $1"#;
    on_db!(db, pool => sqlx::query_as(sql).bind(id).fetch_optional(pool).await)
}

/// Replaces a password hash only while it is still `old`, so that an upgrade
/// after a legacy verification can never undo a reset that committed in
/// between. Returns whether it replaced it.
pub async fn replace_password_hash(
    db: &Db,
    user_id: &str,
    old: &str,
    new: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let sql = r#"UPDATE "account" SET "password" = $1, "updatedAt" = $2
        WHERE "userId" = $3 AND "providerId" = 'credential' AND "password" = $4"#;
    let n = on_db!(db, pool => sqlx::query(sql).bind(new).bind(now).bind(user_id).bind(old)
        .execute(pool).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// Stores the session of a password sign-in, but only while the user's
/// password is still `verified_hash`; returns whether it was stored.
///
/// Without the condition, a sign-in with the old password that overlaps a
/// reset would outlive it. PostgreSQL locks the credential row `FOR SHARE`,
/// so a reset in flight is waited for and its new hash seen; SQLite runs one
/// writer at a time, which gives the same order.
pub async fn insert_password_session(
    db: &Db,
    s: &NewSession<'_>,
    verified_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let n = on_db!(db, pool, E => async {
        let mut conn = pool.acquire().await?;
        let done = insert_session_on::<E>(&mut *conn, s, verified_hash, now).await?;
        Ok::<_, sqlx::Error>(done.rows_affected())
    }.await)?;
    Ok(n > 0)
}

/// The live session behind a token hash, with its user.
pub async fn find_session(
    db: &Db,
    token_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<SessionWithUser>> {
    let sql = format!(
        r#"SELECT {SESSION_COLUMNS}, u."id" AS u_id, u."name" AS u_name, u."email" AS u_email,
            u."emailVerified" AS u_email_verified, u."image" AS u_image,
            u."createdAt" AS u_created_at
        FROM "session" s JOIN "user" u ON u."id" = s."userId"
        WHERE s."token" = $1 AND s."expiresAt" > $2"#
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(token_hash).bind(now).fetch_optional(pool).await)
}

/// Moves a session's expiry (when `expires_at` is given) and its last-seen time.
pub async fn touch_session(
    db: &Db,
    id: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let sql = r#"UPDATE "session" SET "expiresAt" = COALESCE($1, "expiresAt"),
        "updatedAt" = $2, "lastSeenAt" = $2 WHERE "id" = $3"#;
    on_db!(db, pool => sqlx::query(sql).bind(expires_at).bind(now).bind(id).execute(pool).await
        .map(|_| ()))?;
    Ok(())
}

/// Deletes the session behind a token hash.
pub async fn delete_session_by_token(db: &Db, token_hash: &str) -> sqlx::Result<u64> {
    let sql = r#"DELETE FROM "session" WHERE "token" = $1"#;
    let done = on_db!(db, pool => sqlx::query(sql).bind(token_hash).execute(pool).await
        .map(|r| r.rows_affected()))?;
    Ok(done)
}

/// A user's live sessions, newest first.
pub async fn list_sessions(
    db: &Db,
    user_id: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<SessionRow>> {
    let sql = format!(
        r#"SELECT {SESSION_COLUMNS} FROM "session" s
        WHERE s."userId" = $1 AND s."expiresAt" > $2 ORDER BY s."createdAt" DESC, s."id""#
    );
    on_db!(db, pool => sqlx::query_as(&sql).bind(user_id).bind(now).fetch_all(pool).await)
}

/// Deletes one session of a user; 0 when it is not theirs or does not exist.
pub async fn delete_session(db: &Db, user_id: &str, id: &str) -> sqlx::Result<u64> {
    let sql = r#"DELETE FROM "session" WHERE "id" = $1 AND "userId" = $2"#;
    let n = on_db!(db, pool => sqlx::query(sql).bind(id).bind(user_id).execute(pool).await
        .map(|r| r.rows_affected()))?;
    Ok(n)
}

/// Deletes every session of a user but `keep`.
pub async fn delete_other_sessions(db: &Db, user_id: &str, keep: &str) -> sqlx::Result<u64> {
    let sql = r#"DELETE FROM "session" WHERE "userId" = $1 AND "id" <> $2"#;
    let n = on_db!(db, pool => sqlx::query(sql).bind(user_id).bind(keep).execute(pool).await
        .map(|r| r.rows_affected()))?;
    Ok(n)
}

/// Stores a single-use token (`identifier` already holds its hash).
pub async fn insert_verification(
    db: &Db,
    id: &str,
    identifier: &str,
    value: &str,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    let sql = r#"INSERT INTO "verification" ("id", "identifier", "value", "expiresAt",
        "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $5)"#;
    on_db!(db, pool => sqlx::query(sql).bind(id).bind(identifier).bind(value)
        .bind(expires_at).bind(now).execute(pool).await.map(|_| ()))?;
    Ok(())
}

/// The value of a live single-use token, without spending it.
pub async fn find_verification(
    db: &Db,
    identifier: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<String>> {
    let sql = r#"SELECT "value" FROM "verification" WHERE "identifier" = $1 AND "expiresAt" > $2"#;
    on_db!(db, pool => sqlx::query_scalar(sql).bind(identifier).bind(now)
        .fetch_optional(pool).await)
}

/// Whether a single-use token is stored and unexpired (it is not spent).
pub async fn verification_is_live(
    db: &Db,
    identifier: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let sql = r#"SELECT COUNT(*) FROM "verification" WHERE "identifier" = $1 AND "expiresAt" > $2"#;
    let n: i64 = on_db!(db, pool => sqlx::query_scalar(sql).bind(identifier).bind(now)
        .fetch_one(pool).await)?;
    Ok(n > 0)
}

/// Completes a password reset in one transaction: spends the token, replaces
/// the credential, revokes every session of the user and voids the user's
/// other reset tokens. Returns the number of sessions revoked, or `None` when
/// the token was spent (or voided) by a concurrent request.
///
/// The transaction first writes the user row: on PostgreSQL that row lock
/// makes concurrent resets of one user run one after the other (so only the
/// first of several tokens wins); SQLite has one writer at a time anyway.
pub async fn complete_password_reset(
    db: &Db,
    token_identifier: &str,
    user_id: &str,
    hash: &str,
    reset_prefix: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<Option<u64>> {
    let like = format!("{reset_prefix}%");
    on_db!(db, pool, E => async {
        let mut tx = pool.begin().await?;
        sqlx::query(r#"UPDATE "user" SET "updatedAt" = $1 WHERE "id" = $2"#)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let spent = sqlx::query(
            r#"DELETE FROM "verification"
            WHERE "identifier" = $1 AND "value" = $2 AND "expiresAt" > $3"#,
        )
        .bind(token_identifier)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if spent == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        upsert_credential::<E>(&mut *tx, user_id, hash, now).await?;
        let revoked = sqlx::query(r#"DELETE FROM "session" WHERE "userId" = $1"#)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(r#"DELETE FROM "verification" WHERE "value" = $1 AND "identifier" LIKE $2"#)
            .bind(user_id)
            .bind(&like)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Some(revoked))
    }.await)
}

/// The organizations a user belongs to, with their role, oldest first.
pub async fn list_memberships(db: &Db, user_id: &str) -> sqlx::Result<Vec<MembershipRow>> {
    let sql = r#"SELECT o."id", o."name", o."slug", o."logo", m."role", o."createdAt"
        FROM "member" m JOIN "organization" o ON o."id" = m."organizationId"
        WHERE m."userId" = $1 ORDER BY o."createdAt", o."id""#;
    on_db!(db, pool => sqlx::query_as(sql).bind(user_id).fetch_all(pool).await)
}

/// Why creating an organization failed.
#[derive(Debug, thiserror::Error)]
pub enum CreateOrganizationError {
    /// The slug is taken.
    #[error("slug taken")]
    SlugTaken,
    /// Anything else.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Creates an organization and its owner membership, atomically.
#[allow(clippy::too_many_arguments)]
pub async fn create_organization(
    db: &Db,
    id: &str,
    name: &str,
    slug: &str,
    member_id: &str,
    owner_id: &str,
    now: DateTime<Utc>,
) -> Result<(), CreateOrganizationError> {
    let result: sqlx::Result<()> = on_db!(db, pool => async {
        let mut tx = pool.begin().await?;
        sqlx::query(
            r#"INSERT INTO "organization" ("id", "name", "slug", "createdAt")
            VALUES ($1, $2, $3, $4)"#,
        )
        .bind(id)
        .bind(name)
        .bind(slug)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            r#"INSERT INTO "member" ("id", "organizationId", "userId", "role", "createdAt")
            VALUES ($1, $2, $3, 'owner', $4)"#,
        )
        .bind(member_id)
        .bind(id)
        .bind(owner_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }.await);
    match result {
        Err(e) if is_unique_violation(&e) => Err(CreateOrganizationError::SlugTaken),
        other => Ok(other?),
    }
}

/// The one way a session is stored: only while the user's credential is
/// `verified_hash` (see [`insert_password_session`] for why). At sign-up the
/// credential was written earlier in the same transaction.
async fn insert_session_on<DB>(
    conn: &mut DB::Connection,
    s: &NewSession<'_>,
    verified_hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<DB::QueryResult>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> Option<&'q str>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    const SQL: &str = r#"INSERT INTO "session" ("id", "token", "userId", "expiresAt",
            "ipAddress", "userAgent", "persistent", "createdAt", "updatedAt", "lastSeenAt")
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8, $8 FROM "account" a
        WHERE a."userId" = $3 AND a."providerId" = 'credential' AND a."password" = $9"#;
    // SQLite has no row locks (one writer at a time does the same job).
    let sql = if DB::NAME == "PostgreSQL" {
        format!("{SQL} FOR SHARE")
    } else {
        SQL.to_owned()
    };
    sqlx::query(&sql)
        .bind(s.id)
        .bind(s.token_hash)
        .bind(s.user_id)
        .bind(s.expires_at)
        .bind(s.ip_address)
        .bind(s.user_agent)
        .bind(s.persistent)
        .bind(now)
        .bind(verified_hash)
        .execute(conn)
        .await
}

async fn insert_credential<DB>(
    conn: &mut DB::Connection,
    account_id: &str,
    user_id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    // Better Auth's credential account: accountId is the user id.
    sqlx::query(
        r#"INSERT INTO "account" ("id", "accountId", "providerId", "userId", "password",
            "issuer", "createdAt", "updatedAt")
        VALUES ($1, $2, 'credential', $2, $3, 'local:credential', $4, $4)"#,
    )
    .bind(account_id)
    .bind(user_id)
    .bind(hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

async fn upsert_credential<DB>(
    conn: &mut DB::Connection,
    user_id: &str,
    hash: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<()>
where
    DB: sqlx::Database,
    for<'c> &'c mut DB::Connection: sqlx::Executor<'c, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> DateTime<Utc>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> String: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    sqlx::query(
        r#"UPDATE "account" SET "password" = $1, "updatedAt" = $2
        WHERE "userId" = $3 AND "providerId" = 'credential'"#,
    )
    .bind(hash)
    .bind(now)
    .bind(user_id)
    .execute(&mut *conn)
    .await?;
    // A user without a password yet (OAuth only) gets a credential account.
    sqlx::query(
        r#"INSERT INTO "account" ("id", "accountId", "providerId", "userId", "password",
            "issuer", "createdAt", "updatedAt")
        SELECT $1, $2, 'credential', $2, $3, 'local:credential', $4, $4
        WHERE NOT EXISTS (SELECT 1 FROM "account"
            WHERE "userId" = $2 AND "providerId" = 'credential')"#,
    )
    .bind(crate::crypto::tokens::new_id("acc"))
    .bind(user_id)
    .bind(hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
