//! The harness: a fresh database and a fresh server per test, a client that
//! checks the envelope of every answer, and the outbox read as an inbox.
//!
//! A case receives a [`Harness`] and starts the server itself, with the
//! settings it needs (`h.start()` or `h.start_with(&[("RESET_TOKEN_TTL", "1")])`),
//! so that its Arrange step says everything the test depends on.

mod database;
mod http;
mod mail;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use latchkey::config::Config;
use latchkey::store::Db;
use reqwest::redirect::Policy;
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::AbortHandle;

pub use database::fetch_text;
use database::Database;
pub use http::{Answer, Call};
pub use mail::Mail;

/// The `AUTH_SECRET` of every test server.
pub const SECRET: &str = "latchkey-conformance-suite-secret-0123456789";

/// Name of the session cookie under the default prefix.
pub const SESSION_COOKIE: &str = "latchkey.session_token";

/// The password every [`App::sign_up`] user gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// How long a mail may take to reach the outbox.
const MAIL_WAIT: Duration = Duration::from_secs(5);

/// Where a test's data lives.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    /// A SQLite file in the test's scratch folder.
    Sqlite,
    /// A randomly named PostgreSQL database, dropped afterwards.
    Postgres,
}

/// Runs one case for `provider` on `backend`, then removes its database and
/// scratch folder (the folder is kept, and named, when the case failed or
/// `LATCHKEY_KEEP_SCRATCH` is set).
pub async fn run<F, Fut>(provider: &'static str, backend: Backend, case: F)
where
    F: FnOnce(Harness) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = scratch_dir();
    let database = match backend {
        Backend::Sqlite => Database::Sqlite(format!("sqlite:{}", dir.join("db.sqlite").display())),
        Backend::Postgres => match Database::fresh_postgres().await {
            Some(database) => database,
            None => return,
        },
    };
    let harness = Harness {
        provider,
        database_url: database.url().to_owned(),
        dir: dir.clone(),
    };

    let outcome = tokio::spawn(case(harness)).await;

    database.remove().await;
    match outcome {
        Ok(()) if std::env::var_os("LATCHKEY_KEEP_SCRATCH").is_some() => {
            eprintln!(
                "scratch folder kept (LATCHKEY_KEEP_SCRATCH): {}",
                dir.display()
            );
        }
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Err(failure) => {
            eprintln!("scratch folder of the failed test kept: {}", dir.display());
            match failure.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(failure) => panic!("the case did not finish: {failure}"),
            }
        }
    }
}

/// What a case gets: the provider under test and a database of its own.
pub struct Harness {
    provider: &'static str,
    database_url: String,
    dir: PathBuf,
}

impl Harness {
    /// Starts a server with the suite's settings.
    pub async fn start(&self) -> App {
        self.start_with(&[]).await
    }

    /// Starts a server with the suite's settings overridden by `settings`;
    /// `{port}` in a value is replaced by the server's port.
    pub async fn start_with(&self, settings: &[(&str, &str)]) -> App {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let port = listener.local_addr().expect("a bound address").port();
        let origin = format!("http://127.0.0.1:{port}");
        let outbox = self.dir.join("outbox");

        let mut env: HashMap<String, String> = HashMap::new();
        env.insert("AUTH_PROVIDER".into(), self.provider.into());
        env.insert("AUTH_URL".into(), origin.clone());
        env.insert("AUTH_SECRET".into(), SECRET.into());
        env.insert("DATABASE_URL".into(), self.database_url.clone());
        env.insert("MAIL_OUTBOX".into(), outbox.display().to_string());
        env.insert("RATE_LIMIT".into(), "off".into());
        for (key, value) in settings {
            env.insert((*key).into(), value.replace("{port}", &port.to_string()));
        }
        let config = Config::from_lookup(|k| env.get(k).cloned(), &self.dir.join("data"))
            .unwrap_or_else(|e| panic!("the test settings are refused: {e}"));
        let server = latchkey::server::build(config)
            .await
            .expect("the server builds");

        let db = server.db.clone();
        let task = tokio::spawn(latchkey::server::serve(listener, server.router));
        let client = reqwest::Client::builder()
            .redirect(Policy::none())
            .no_proxy()
            .build()
            .expect("an HTTP client");
        App {
            provider: self.provider,
            origin,
            auth_url: env["AUTH_URL"].clone(),
            db,
            outbox,
            client,
            server: task.abort_handle(),
        }
    }
}

/// A running server and a client for it. The server stops when this drops.
pub struct App {
    /// The provider under test.
    pub provider: &'static str,
    /// `http://127.0.0.1:<port>`: where the server listens.
    pub origin: String,
    /// `AUTH_URL` as configured (normally equal to `origin`).
    pub auth_url: String,
    /// The server's own pool, for arranging state the API cannot create.
    pub db: Db,
    outbox: PathBuf,
    client: reqwest::Client,
    server: AbortHandle,
}

impl Drop for App {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl App {
    /// `GET /api/auth{path}`.
    pub fn get(&self, path: &str) -> Call {
        self.call(Method::GET, path)
    }

    /// `POST /api/auth{path}`.
    pub fn post(&self, path: &str) -> Call {
        self.call(Method::POST, path)
    }

    /// `DELETE /api/auth{path}`.
    pub fn delete(&self, path: &str) -> Call {
        self.call(Method::DELETE, path)
    }

    /// Any method on `/api/auth{path}`.
    pub fn call(&self, method: Method, path: &str) -> Call {
        let url = format!("{}/api/auth{path}", self.origin);
        Call {
            request: self.client.request(method, url),
            enveloped: path != "/openapi.json",
        }
    }

    /// A request to any URL of the server (pages, links from mails), with
    /// no envelope expected.
    pub fn browse(&self, method: Method, url: &str) -> RequestBuilder {
        self.client.request(method, url)
    }

    /// Signs up `email` with [`PASSWORD`] and returns who they are.
    pub async fn sign_up(&self, email: &str) -> Person {
        let body = json!({ "email": email, "password": PASSWORD, "name": "Test Person" });
        let answer = self.post("/sign-up").json(&body).send().await;
        answer.assert_status(201);
        Person::from_answer(&answer, email, PASSWORD)
    }

    /// Signs `email` in with `password`; the answer is the test's to check.
    pub async fn sign_in(&self, email: &str, password: &str) -> Answer {
        let body = json!({ "email": email, "password": password });
        self.post("/sign-in").json(&body).send().await
    }

    /// Signs `person` in once more, from another `user_agent`, and returns
    /// the new session.
    pub async fn sign_in_again(&self, person: &Person, user_agent: &str) -> Person {
        self.sign_in_again_with(person, &[("user-agent", user_agent)])
            .await
    }

    /// Signs `person` in once more with extra request headers.
    pub async fn sign_in_again_with(&self, person: &Person, headers: &[(&str, &str)]) -> Person {
        let body = json!({ "email": person.email, "password": person.password });
        let mut call = self.post("/sign-in").json(&body);
        for (name, value) in headers {
            call = call.header(name, value);
        }
        let answer = call.send().await;
        answer.assert_status(200);
        Person::from_answer(&answer, &person.email, &person.password)
    }

    /// `GET /session` with `token` as a bearer token.
    pub async fn session(&self, token: &str) -> Answer {
        self.get("/session").bearer(token).send().await
    }

    /// Waits until the outbox holds at least `count` complete mails, and
    /// returns them all.
    pub async fn wait_for_mails(&self, count: usize) -> Vec<Mail> {
        let deadline = tokio::time::Instant::now() + MAIL_WAIT;
        loop {
            let mails = self.mails();
            if mails.len() >= count {
                return mails;
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "expected {count} mail(s) in the outbox, found {}",
                    mails.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The complete mails in the outbox now.
    pub fn mails(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter_map(|raw| Mail::parse(&raw))
            .collect()
    }
}

/// A signed-in user, as a test knows them.
#[derive(Clone, Debug)]
pub struct Person {
    /// The email they typed.
    pub email: String,
    /// Their password.
    pub password: String,
    /// Their user id.
    pub user_id: String,
    /// The session id of `token`.
    pub session_id: String,
    /// Their session token.
    pub token: String,
}

impl Person {
    fn from_answer(answer: &Answer, email: &str, password: &str) -> Self {
        let data = answer.data();
        Self {
            email: email.to_owned(),
            password: password.to_owned(),
            user_id: data["user"]["id"].as_str().expect("a user id").to_owned(),
            session_id: data["session"]["id"]
                .as_str()
                .expect("a session id")
                .to_owned(),
            token: answer.token(),
        }
    }
}

/// The value of the query parameter `name` of `link`.
pub fn query_param(link: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Whether `token` looks like 256 random bits in unpadded base64url.
pub fn is_base64url_token(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Reads an RFC 3339 timestamp of the API, which must be in UTC with `Z`.
pub fn timestamp(value: &Value) -> DateTime<Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a timestamp"));
    assert!(text.ends_with('Z'), "{text} is not in UTC with a Z");
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text} is not RFC 3339: {e}"))
        .with_timezone(&Utc)
}

/// The wall clock, to compare the server's timestamps with.
#[allow(clippy::disallowed_methods)]
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Sleeps without blocking the server, which runs on the same runtime.
pub async fn pause(seconds: f64) {
    tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir()
        .join("latchkey-tests")
        .join(uuid::Uuid::new_v4().simple().to_string());
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}
