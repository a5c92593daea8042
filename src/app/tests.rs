//! The pages' server functions over real HTTP: one server per test on
//! `127.0.0.1:0`, with its own SQLite database and outbox. Requests are sent
//! the two ways a browser sends them: as a plain form post (`Accept:
//! text/html`, before the WebAssembly has loaded) and as the hydrated page's
//! call (`Accept: application/json`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::{ACCEPT, LOCATION, ORIGIN, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Response, StatusCode};
use tokio::net::TcpListener;

use super::PageError;
use crate::config::Config;

const PASSWORD: &str = "correct horse battery";

/// Held by each test while its server runs: see [`Site::start`].
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct Site {
    origin: String,
    client: reqwest::Client,
    _dir: TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Site {
    /// Starts a server for one test. Tests take turns: with several servers
    /// in one process, each on its own test runtime, a server-side render
    /// now and then never finished (about one run in fifteen; the cause, in
    /// Leptos's per-process state or in how it spawns tasks, was not found).
    /// One server per process, as in production, did not show it under
    /// 3,000 concurrent mixed requests.
    async fn start(settings: &[(&str, &str)]) -> Self {
        let turn = ONE_AT_A_TIME.lock().await;
        let dir = std::env::temp_dir().join(format!("latchkey-pages-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());

        let mut env: HashMap<&str, String> = HashMap::new();
        env.insert("AUTH_URL", origin.clone());
        env.insert(
            "AUTH_SECRET",
            "pages-test-secret-that-is-long-enough-0123456789".into(),
        );
        env.insert(
            "DATABASE_URL",
            format!("sqlite:{}", dir.join("db.sqlite").display()),
        );
        env.insert("MAIL_OUTBOX", dir.join("outbox").display().to_string());
        env.insert("RATE_LIMIT", "off".into());
        for (key, value) in settings {
            env.insert(key, (*value).to_owned());
        }
        let config = Config::from_lookup(|k| env.get(k).cloned(), &dir.join("data")).unwrap();
        let server = crate::server::build(config).await.unwrap();
        tokio::spawn(crate::server::serve(listener, server.router));

        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .no_proxy();
        let client = client.cookie_store(true).timeout(Duration::from_secs(20));
        let client = client.build().unwrap();
        Self {
            origin,
            client,
            _dir: TempDir(dir),
            _turn: turn,
        }
    }

    /// A plain HTML form post, as a browser sends it without JavaScript.
    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post(path, fields, "text/html,application/xhtml+xml")
            .await
    }

    /// The hydrated page's call of a server function.
    async fn call(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post(path, fields, "application/json").await
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)], accept: &str) -> Response {
        let url = format!("{}{path}", self.origin);
        let request = self
            .client
            .post(url)
            .header(ACCEPT, accept)
            .header(ORIGIN, &self.origin);
        request.form(fields).send().await.unwrap()
    }

    async fn page(&self, path: &str) -> Response {
        let url = format!("{}{path}", self.origin);
        self.client
            .get(url)
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap()
    }

    async fn sign_up(&self, email: &str) {
        let fields = [("name", "Ada"), ("email", email), ("password", PASSWORD)];
        let response = self.form("/_app/sign-up", &fields).await;
        assert_eq!(location(&response), "/account");
    }
}

fn location(response: &Response) -> &str {
    response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_plain_sign_in_that_fails_comes_back_with_the_code_and_never_the_password() {
    let site = Site::start(&[]).await;
    site.sign_up("ada@example.com").await;
    site.client
        .post(format!("{}/_app/sign-out", site.origin))
        .send()
        .await
        .unwrap();

    let fields = [
        ("email", "Ada@Example.com"),
        ("password", "wrong password!"),
        ("redirect_to", "/organizations"),
    ];
    let response = site.form("/_app/sign-in", &fields).await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let back = location(&response);
    assert!(
        back.starts_with("/sign-in?error=INVALID_CREDENTIALS"),
        "{back}"
    );
    assert!(
        back.contains("email=Ada%40Example.com") && back.contains("redirectTo=%2Forganizations")
    );
    assert!(!back.contains("wrong"));
}

#[tokio::test]
async fn a_hydrated_sign_in_that_fails_gets_the_typed_error_and_its_status() {
    let site = Site::start(&[]).await;

    let response = site
        .call(
            "/_app/sign-in",
            &[("email", "not-an-email"), ("password", "x")],
        )
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.headers().get(LOCATION).is_none());
    let error: PageError = response.json().await.unwrap();
    assert_eq!(error.code, "VALIDATION_ERROR");
    assert!(error.field("email").is_some() && error.field("password").is_some());
}

#[tokio::test]
async fn signing_in_sets_the_cookie_and_follows_only_a_trusted_redirect() {
    let site = Site::start(&[]).await;
    site.sign_up("ada@example.com").await;

    let trusted = [
        ("email", "ada@example.com"),
        ("password", PASSWORD),
        ("redirect_to", "/organizations"),
    ];
    let response = site.form("/_app/sign-in", &trusted).await;
    assert_eq!(location(&response), "/organizations");
    assert!(response.headers().get(SET_COOKIE).is_some());

    let foreign = [
        ("email", "ada@example.com"),
        ("password", PASSWORD),
        ("redirect_to", "https://evil.example/"),
    ];
    let response = site.form("/_app/sign-in", &foreign).await;
    assert_eq!(location(&response), "/account");
}

#[tokio::test]
async fn signed_out_visitors_of_account_pages_are_sent_to_sign_in_and_back() {
    let site = Site::start(&[]).await;

    for path in ["/account", "/organizations"] {
        let response = site.page(path).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        let expected = format!("/sign-in?redirectTo={}", super::url::encode(path));
        assert!(
            location(&response).ends_with(&expected),
            "{}",
            location(&response)
        );
    }

    site.sign_up("ada@example.com").await;
    let response = site.page("/sign-in").await;
    assert!(location(&response).ends_with("/account"));
    assert_eq!(site.page("/account").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn opening_a_reset_link_changes_nothing_and_a_bad_token_is_told_at_once() {
    let site = Site::start(&[]).await;

    let page = site.page("/reset-password?token=not-a-real-token").await;

    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("invalid or has expired"));
    assert!(!html.contains("Set new password"));
}

#[tokio::test]
async fn the_pages_obey_the_rate_limits_of_the_json_api() {
    let site = Site::start(&[("RATE_LIMIT", "on")]).await;
    let fields = [
        ("email", "ada@example.com"),
        ("password", "wrong password!"),
    ];

    let mut last = None;
    for _ in 0..12 {
        last = Some(site.call("/_app/sign-in", &fields).await);
    }

    let last = last.unwrap();
    assert_eq!(last.status(), StatusCode::TOO_MANY_REQUESTS);
    let error: PageError = last.json().await.unwrap();
    assert_eq!(error.code, "RATE_LIMITED");
}
