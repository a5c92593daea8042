//! The harness: a fresh database and a fresh server per test, a client that
//! checks the envelope of every answer, and the outbox read as an inbox.
//!
//! A case receives a [`Harness`] and starts the server itself, with the
//! settings it needs (`h.start()` or `h.start_with(&[("RESET_TOKEN_TTL", "1")])`),
//! so that its Arrange step says everything the test depends on.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, Utc};
use latchkey::config::Config;
use latchkey::store::Db;
use reqwest::header::{HeaderMap, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::redirect::Policy;
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use sqlx::Connection as _;
use tokio::net::TcpListener;
use tokio::task::AbortHandle;

/// The `AUTH_SECRET` of every test server.
pub const SECRET: &str = "latchkey-conformance-suite-secret-0123456789";

/// Name of the session cookie under the default prefix.
pub const SESSION_COOKIE: &str = "latchkey.session_token";

/// The password every [`App::sign_up`] user gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// Where PostgreSQL is expected when `DATABASE_URL_PG` is unset.
const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

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

/// A request being built.
pub struct Call {
    request: RequestBuilder,
    enveloped: bool,
}

impl Call {
    /// A JSON body.
    pub fn json(mut self, body: &Value) -> Self {
        self.request = self.request.json(body);
        self
    }

    /// A raw body, with a `Content-Type` only when one is given.
    pub fn raw_body(mut self, content_type: Option<&str>, body: impl Into<reqwest::Body>) -> Self {
        if let Some(content_type) = content_type {
            self.request = self.request.header("content-type", content_type);
        }
        self.request = self.request.body(body);
        self
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(mut self, token: &str) -> Self {
        self.request = self.request.bearer_auth(token);
        self
    }

    /// The session cookie, as a browser would send it.
    pub fn cookie(mut self, token: &str) -> Self {
        self.request = self
            .request
            .header(COOKIE, format!("{SESSION_COOKIE}={token}"));
        self
    }

    /// `Origin: <origin>`.
    pub fn origin(mut self, origin: &str) -> Self {
        self.request = self.request.header(ORIGIN, origin);
        self
    }

    /// Any other header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    /// Sends, and checks the envelope every `/api/auth` answer must have.
    pub async fn send(self) -> Answer {
        let response = self.request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("a readable body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        let answer = Answer {
            status,
            headers,
            text,
            body,
        };
        if self.enveloped {
            answer.assert_envelope();
        }
        answer
    }
}

/// An answer of the server.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// The body, parsed (`Null` when it is not JSON).
    pub body: Value,
    /// The body, as sent.
    pub text: String,
    headers: HeaderMap,
}

impl Answer {
    /// `data` of a success.
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// `error.code` of a failure (empty on a success).
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The problem `error.fields` names for `field`.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.body["error"]["fields"][field].as_str()
    }

    /// `data.session.token`.
    pub fn token(&self) -> String {
        let token = self.data()["session"]["token"].as_str();
        token
            .unwrap_or_else(|| panic!("no session token in {}", self.text))
            .to_owned()
    }

    /// A response header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Set-Cookie` for the session cookie, if any.
    pub fn session_cookie(&self) -> Option<SetCookie> {
        self.set_cookie(SESSION_COOKIE)
    }

    /// The `Set-Cookie` named `name`, if any.
    pub fn set_cookie(&self, name: &str) -> Option<SetCookie> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(SetCookie::parse)
            .find(|c| c.name == name)
    }

    /// Panics, showing the body, unless the status is `status`.
    pub fn assert_status(&self, status: u16) {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
    }

    /// Panics unless this is the failure `status` with `code`.
    pub fn assert_error(&self, status: u16, code: &str) {
        self.assert_status(status);
        assert_eq!(
            self.code(),
            code,
            "unexpected error code; body: {}",
            self.text
        );
    }

    /// The shape every `/api/auth` answer has: a JSON object with `success`
    /// and a `message`; `data` on success, `error.code` on failure; and an
    /// `x-request-id` header.
    fn assert_envelope(&self) {
        let body = &self.body;
        assert!(
            body.is_object(),
            "status {}: the body is not a JSON object: {:?}",
            self.status,
            self.text
        );
        let message = body["message"].as_str().unwrap_or("");
        assert!(!message.is_empty(), "no message in {}", self.text);
        match body["success"].as_bool() {
            Some(true) => {
                assert!(
                    self.status < 300,
                    "success with status {}: {}",
                    self.status,
                    self.text
                );
                assert!(
                    body["data"].is_object(),
                    "success without data object: {}",
                    self.text
                );
                assert!(
                    body.get("error").is_none(),
                    "success with an error: {}",
                    self.text
                );
            }
            Some(false) => {
                assert!(
                    self.status >= 400,
                    "failure with status {}: {}",
                    self.status,
                    self.text
                );
                let code = body["error"]["code"].as_str().unwrap_or("");
                assert!(
                    !code.is_empty(),
                    "failure without error.code: {}",
                    self.text
                );
                assert!(
                    body.get("data").is_none(),
                    "failure with data: {}",
                    self.text
                );
            }
            None => panic!("no boolean success in {}", self.text),
        }
        let request_id = self.header("x-request-id").unwrap_or("");
        assert!(
            !request_id.is_empty(),
            "no x-request-id on an answer: {}",
            self.text
        );
    }
}

/// One `Set-Cookie` header, split into its name, value and attributes.
#[derive(Debug)]
pub struct SetCookie {
    /// Cookie name.
    pub name: String,
    /// Cookie value.
    pub value: String,
    attributes: Vec<(String, Option<String>)>,
}

impl SetCookie {
    fn parse(header: &str) -> Self {
        let mut parts = header.split(';').map(str::trim);
        let (name, value) = parts
            .next()
            .and_then(|p| p.split_once('='))
            .unwrap_or(("", ""));
        let attributes = parts
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (k.to_ascii_lowercase(), Some(v.to_owned())),
                None => (p.to_ascii_lowercase(), None),
            })
            .collect();
        Self {
            name: name.to_owned(),
            value: value.to_owned(),
            attributes,
        }
    }

    /// Whether the attribute `name` (`HttpOnly`, `Secure`…) is present.
    pub fn has(&self, name: &str) -> bool {
        let name = name.to_ascii_lowercase();
        self.attributes.iter().any(|(k, _)| *k == name)
    }

    /// The value of the attribute `name` (`Path`, `SameSite`…).
    pub fn get(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.attributes
            .iter()
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.as_deref())
    }

    /// `Max-Age` in seconds, if present.
    pub fn max_age(&self) -> Option<i64> {
        self.get("Max-Age")
            .map(|v| v.parse().expect("a numeric Max-Age"))
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

/// A mail read from the outbox, its parts decoded.
#[derive(Debug)]
pub struct Mail {
    /// The `To` header.
    pub to: String,
    /// The `Subject` header.
    pub subject: String,
    /// The `text/plain` part.
    pub text: Option<String>,
    /// The `text/html` part.
    pub html: Option<String>,
}

impl Mail {
    /// Parses an RFC 5322 message with a `multipart/alternative` body;
    /// `None` while the file is still incomplete.
    fn parse(raw: &str) -> Option<Self> {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n")?;
        let headers = parse_headers(head);
        let content_type = headers.get("content-type")?;
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("boundary="))
            .map(|b| b.trim_matches('"'))
            .next()?;
        let closing = format!("--{boundary}--");
        let body = body
            .split(&closing)
            .next()
            .filter(|_| body.contains(&closing))?;

        let mut mail = Self {
            to: headers.get("to")?.clone(),
            subject: headers.get("subject").cloned().unwrap_or_default(),
            text: None,
            html: None,
        };
        for part in body.split(&format!("--{boundary}\n")).skip(1) {
            let (head, content) = part.split_once("\n\n")?;
            let headers = parse_headers(head);
            let kind = headers.get("content-type").map(|t| t.to_ascii_lowercase());
            let encoding = headers
                .get("content-transfer-encoding")
                .map(|e| e.to_ascii_lowercase());
            let decoded = decode_part(content, encoding.as_deref().unwrap_or("7bit"))?;
            match kind.as_deref() {
                Some(t) if t.starts_with("text/plain") => mail.text = Some(decoded),
                Some(t) if t.starts_with("text/html") => mail.html = Some(decoded),
                _ => {}
            }
        }
        Some(mail)
    }

    /// The first link in the text part that starts with `prefix`, up to the
    /// end of its line.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let text = self.text.as_deref()?;
        let start = text.find(prefix)?;
        let link = text[start..].split_whitespace().next()?;
        Some(link.to_owned())
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

fn parse_headers(head: &str) -> HashMap<String, String> {
    let unfolded = head.replace("\n ", " ").replace("\n\t", " ");
    unfolded
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect()
}

fn decode_part(content: &str, encoding: &str) -> Option<String> {
    match encoding {
        "quoted-printable" => decode_quoted_printable(content),
        "base64" => {
            use base64::Engine as _;
            let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .ok()?;
            String::from_utf8(bytes).ok()
        }
        _ => Some(content.trim_end_matches('\n').to_owned()),
    }
}

/// Quoted-printable: `=` at a line's end joins it to the next (a soft line
/// break), `=XX` is one byte.
fn decode_quoted_printable(content: &str) -> Option<String> {
    let joined = content.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir()
        .join("latchkey-tests")
        .join(uuid::Uuid::new_v4().simple().to_string());
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The database of one test.
enum Database {
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
    async fn fresh_postgres() -> Option<Self> {
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

    fn url(&self) -> &str {
        match self {
            Self::Sqlite(url) | Self::Postgres { url, .. } => url,
        }
    }

    /// Drops a PostgreSQL database, closing whatever still uses it; a SQLite
    /// file goes with the scratch folder.
    async fn remove(self) {
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
