//! The `latchkey` binary: `latchkey` serves, `latchkey migrate` applies the
//! database migrations and exits.

use std::process::ExitCode;

use latchkey::config::Config;
use latchkey::server;
use latchkey::store::Db;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_target(true)
        .init();

    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let command = std::env::args().nth(1);
    let outcome = match command.as_deref() {
        None | Some("serve") => run(config).await,
        Some("migrate") => migrate(&config).await,
        Some(other) => {
            eprintln!("unknown command {other:?}; use `latchkey` or `latchkey migrate`");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    if config.secret_generated {
        tracing::warn!(
            "AUTH_SECRET is not set: using a generated secret stored in data/auth_secret. \
             Set AUTH_SECRET before going to production."
        );
    }
    let addr = config.site_addr;
    let provider = config.provider.as_str();
    let built = server::build(config).await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (LEPTOS_SITE_ADDR): {e}"))?;
    tracing::info!(%addr, provider, "latchkey listening on http://{addr}");
    server::serve(listener, built.router).await?;
    built.db.close().await;
    Ok(())
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    db.close().await;
    println!("migrations applied");
    Ok(())
}
