//! The database of each test: a SQLite file, or a fresh PostgreSQL
//! database that is dropped afterwards.

use std::time::Duration;

use latchkey::store::Db;
use sqlx::Connection as _;

/// Where PostgreSQL is expected when `DATABASE_URL_PG` is unset.
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The database of one test.
pub(super) enum Database {
    Sqlite(String),
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl Database {
    /// A new, empty PostgreSQL database; `None` when PostgreSQL is
    /// unreachable and `LATCHKEY_SKIP_PG=1` allows skipping.
    pub(super) async fn fresh_postgres() -> Option<Self> {
        let admin_url = std::env::var("DATABASE_URL_PG").unwrap_or_else(|_| DEFAULT_PG_URL.into());
        let connecting = sqlx::PgConnection::connect(&admin_url);
        let mut admin = match tokio::time::timeout(Duration::from_secs(5), connecting).await {
            Ok(Ok(connection)) => connection,
            Ok(Err(e)) => return unreachable_postgres(&admin_url, &e.to_string()),
            Err(_) => return unreachable_postgres(&admin_url, "timed out"),
        };
        let name = format!("latchkey_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::raw_sql(&format!(r#"CREATE DATABASE "{name}""#))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create the test database {name}: {e}"));
        let _ = admin.close().await;

        let mut url = url::Url::parse(&admin_url).expect("DATABASE_URL_PG is a URL");
        url.set_path(&name);
        Some(Self::Postgres {
            admin_url,
            name,
            url: url.to_string(),
        })
    }

    pub(super) fn url(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres { url, .. } => url,
        }
    }

    /// Drops a PostgreSQL database, closing whatever still uses it; a SQLite
    /// file goes with the scratch folder.
    pub(super) async fn remove(self) {
        let Self::Postgres {
            admin_url, name, ..
        } = self
        else {
            return;
        };
        if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
            let drop = format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#);
            let _ = sqlx::raw_sql(&drop).execute(&mut admin).await;
            let _ = admin.close().await;
        }
    }
}

fn unreachable_postgres(url: &str, why: &str) -> Option<Database> {
    if std::env::var("LATCHKEY_SKIP_PG").is_ok_and(|v| v == "1") {
        eprintln!("PostgreSQL at {url} is unreachable ({why}); skipped (LATCHKEY_SKIP_PG=1)");
        return None;
    }
    panic!(
        "PostgreSQL at {url} is unreachable ({why}). Start it, point DATABASE_URL_PG at one, \
         or set LATCHKEY_SKIP_PG=1 to skip the PostgreSQL variants"
    );
}

/// Reads one text column of one row, on either backend.
pub async fn fetch_text(db: &Db, sql: &str, bind: &str) -> Option<String> {
    latchkey::on_db!(db, pool => sqlx::query_scalar(sql).bind(bind).fetch_optional(pool).await)
        .expect("the query runs")
}
