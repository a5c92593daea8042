//! Server assembly: state, middleware and the router, built in one function
//! so that tests can serve the very same app on an ephemeral port.

pub mod middleware;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::FromRef;
use axum::Router;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;

use crate::api::limits::{Action, Limits};
use crate::app::{shell, App};
use crate::auth::native::Native;
use crate::auth::unsupported::Unsupported;
use crate::auth::{AuthProvider, AuthResult, Email, RequestMeta};
use crate::config::{Config, ProviderKind};
use crate::crypto::password::Hasher;
use crate::mail::Mailer;
use crate::store::Db;

/// What every handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    /// The active provider, chosen at start.
    pub provider: Arc<dyn AuthProvider>,
    /// The configuration.
    pub config: Arc<Config>,
    /// Leptos's own options (site root, output name).
    pub leptos_options: LeptosOptions,
    /// Rate limits; `None` with `RATE_LIMIT=off`.
    pub limits: Option<Limits>,
}

impl AppState {
    /// Counts an attempt of `action` by this client on `account`, refusing it
    /// with `RATE_LIMITED` when over the limit.
    pub fn limit(
        &self,
        action: Action,
        meta: &RequestMeta,
        account: Option<&Email>,
    ) -> AuthResult<()> {
        match &self.limits {
            Some(limits) => limits.check(action, meta.ip.as_deref(), account),
            None => Ok(()),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// A built server, ready to serve.
pub struct Server {
    /// The router with every route and layer.
    pub router: Router,
    /// The database (kept to close it on shutdown).
    pub db: Db,
}

/// Opens storage, applies migrations and builds the app for `config`.
pub async fn build(config: Config) -> anyhow::Result<Server> {
    let config = Arc::new(config);
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let provider = provider(&config, db.clone())?;

    let leptos_options = LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "latchkey".into()))
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(config.site_addr)
        .build();
    let limits = config.rate_limit.then(Limits::new);
    if let Some(limits) = limits.clone() {
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                limits.forget_idle();
            }
        });
    }
    let state = AppState {
        provider,
        config,
        leptos_options: leptos_options.clone(),
        limits,
    };
    Ok(Server {
        router: router(state),
        db,
    })
}

/// The whole app: the JSON API, the pages and their server functions, and
/// static files, under one set of layers.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let api = crate::api::router().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        middleware::guard_api,
    ));
    Router::new()
        .nest("/api/auth", api)
        .route("/api/auth/", axum::routing::any(crate::api::not_found))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::guard_pages,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(middleware::log_internal_errors))
        .layer(axum::middleware::from_fn(middleware::request_span))
}

/// Serves `router` on `listener` until ctrl-c (or SIGTERM).
pub async fn serve(listener: TcpListener, router: Router) -> anyhow::Result<()> {
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("Server failed")
}

fn provider(config: &Arc<Config>, db: Db) -> anyhow::Result<Arc<dyn AuthProvider>> {
    Ok(match config.provider {
        ProviderKind::BetterAuth => {
            let hasher = Hasher::new(num_cpus::get())?;
            let mailer = Mailer::new(config)?;
            Arc::new(Native::new(db, hasher, mailer, config.clone()))
        }
        other => {
            tracing::warn!(
                provider = other.as_str(),
                "this provider is not implemented yet: every endpoint answers NOT_SUPPORTED"
            );
            Arc::new(Unsupported::new(other.as_str()))
        }
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
