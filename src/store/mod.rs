//! Storage: one SQLite file by default, PostgreSQL at scale. Both engines run
//! the same SQL text: quoted camelCase identifiers (Better Auth's schema) and
//! `$1, $2, …` placeholders, always numbered in order of first appearance
//! (SQLite numbers `$N` parameters that way, PostgreSQL by their digits).

pub mod native;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

/// A connection pool on one of the supported engines.
#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite (embedded default).
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool `db` holds. The SQL text
/// is shared; only the driver differs.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
    ($db:expr, $pool:ident, $engine:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => {
                type $engine = sqlx::Sqlite;
                $body
            }
            $crate::store::Db::Postgres($pool) => {
                type $engine = sqlx::Postgres;
                $body
            }
        }
    };
}

impl Db {
    /// Opens `url` (`sqlite:…` or `postgres://…`), creating a SQLite file and
    /// its folder when missing.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect(url)
                .await
                .context("Failed to connect to PostgreSQL (DATABASE_URL)")?;
            return Ok(Self::Postgres(pool));
        }
        if !url.starts_with("sqlite:") {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://");
        }
        let options = SqliteConnectOptions::from_str(url)
            .context("DATABASE_URL is not a valid SQLite URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(dir) = options.get_filename().parent() {
            if !dir.as_os_str().is_empty() {
                create_private_dir(dir)
                    .with_context(|| format!("Failed to create the folder {}", dir.display()))?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .context("Failed to open the SQLite database (DATABASE_URL)")?;
        Ok(Self::Sqlite(pool))
    }

    /// Applies the migrations of this engine that have not run yet.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Self::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await,
            Self::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await,
        }
        .context("Failed to apply database migrations")
    }

    /// Closes every connection.
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

/// Creates a folder (and its parents) readable by this user only: it holds
/// password hashes, the dev secret or mails with tokens in them.
pub fn create_private_dir(path: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Whether an error is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}
