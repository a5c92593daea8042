//! Configuration: read once at start from the environment, after `.env.local`
//! and then `.env` have filled in what the environment does not set (a real
//! environment variable always wins). Every value is typed and checked here; a
//! bad one stops the server with one line naming the variable.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::Duration;
use ipnet::IpNet;
use lettre::message::Mailbox;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

/// Which identity system is the source of truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// Our own database, natively (the default).
    BetterAuth,
    /// Auth.js v5 semantics over our database.
    NextAuth,
    /// Clerk's Backend API.
    Clerk,
    /// WorkOS User Management.
    AuthKit,
}

impl ProviderKind {
    /// The `AUTH_PROVIDER` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BetterAuth => "betterauth",
            Self::NextAuth => "nextauth",
            Self::Clerk => "clerk",
            Self::AuthKit => "authkit",
        }
    }
}

/// Where mail goes.
#[derive(Debug, Clone)]
pub enum MailTransport {
    /// `SMTP_URL` (credentials inside, hence secret).
    Smtp(SecretString),
    /// One `.eml` file per mail in this folder (the dev inbox).
    Outbox(PathBuf),
}

/// Every setting of the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// `AUTH_PROVIDER`.
    pub provider: ProviderKind,
    /// `AUTH_SECRET` (or the generated dev secret).
    pub secret: SecretString,
    /// Whether `secret` was generated because none was configured.
    pub secret_generated: bool,
    /// `AUTH_URL`, the public base URL.
    pub auth_url: Url,
    /// Origins allowed for redirects and cookie-authenticated mutations.
    pub trusted_origins: Vec<String>,
    /// `AUTH_SIGNUP=open`.
    pub signup_open: bool,
    /// `REQUIRE_EMAIL_VERIFICATION`.
    pub require_email_verification: bool,
    /// `DATABASE_URL`.
    pub database_url: String,
    /// `REDIS_URL`.
    pub redis_url: Option<String>,
    /// Full cookie prefix, `__Secure-` included when `AUTH_URL` is https.
    pub cookie_prefix: String,
    /// Whether cookies carry `Secure`.
    pub secure_cookies: bool,
    /// `SMTP_URL` or `MAIL_OUTBOX`.
    pub mail: MailTransport,
    /// `MAIL_FROM`.
    pub mail_from: Mailbox,
    /// `SESSION_MAX_AGE`.
    pub session_max_age: Duration,
    /// `SESSION_UPDATE_AGE`.
    pub session_update_age: Duration,
    /// `RESET_TOKEN_TTL`.
    pub reset_token_ttl: Duration,
    /// `MAGIC_LINK_TTL`.
    pub magic_link_ttl: Duration,
    /// `VERIFY_TOKEN_TTL`.
    pub verify_token_ttl: Duration,
    /// `INVITATION_TTL`.
    pub invitation_ttl: Duration,
    /// `LEPTOS_SITE_ADDR`.
    pub site_addr: SocketAddr,
    /// `TRUST_PROXY`.
    pub trust_proxy: Vec<IpNet>,
    /// `RATE_LIMIT=on`.
    pub rate_limit: bool,
}

/// A setting that stops the server; displays as one line naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {var}: {problem}")]
pub struct ConfigError {
    /// The variable at fault.
    pub var: &'static str,
    /// What is wrong with it, and how to fix it.
    pub problem: String,
}

fn bad(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        problem: problem.into(),
    }
}

impl Config {
    /// Loads `.env.local` and `.env` (neither overrides the real environment),
    /// then reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        for file in [".env.local", ".env"] {
            match dotenvy::from_filename(file) {
                Ok(_) => {}
                Err(e) if e.not_found() => {}
                Err(e) => return Err(bad("(dotenv)", format!("{file}: {e}"))),
            }
        }
        Self::from_lookup(|k| std::env::var(k).ok(), Path::new("data"))
    }

    /// Reads settings through `get`; `data_dir` holds the generated dev secret.
    pub fn from_lookup(
        get: impl Fn(&str) -> Option<String>,
        data_dir: &Path,
    ) -> Result<Self, ConfigError> {
        let get = |k: &str| {
            get(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let provider = match get("AUTH_PROVIDER").as_deref().unwrap_or("betterauth") {
            "betterauth" => ProviderKind::BetterAuth,
            "nextauth" => ProviderKind::NextAuth,
            "clerk" => ProviderKind::Clerk,
            "authkit" => ProviderKind::AuthKit,
            other => {
                return Err(bad(
                    "AUTH_PROVIDER",
                    format!(
                        "unknown provider {other:?}; use betterauth, nextauth, clerk or authkit"
                    ),
                ))
            }
        };

        let auth_url = parse_auth_url(get("AUTH_URL"))?;
        let https = auth_url.scheme() == "https";
        let (secret, secret_generated) = load_secret(get("AUTH_SECRET"), https, data_dir)?;
        let trusted_origins = trusted_origins(&auth_url, get("TRUSTED_ORIGINS"))?;

        let rate_limit = on_off("RATE_LIMIT", get("RATE_LIMIT"), true)?;
        if !rate_limit && https {
            return Err(bad(
                "RATE_LIMIT",
                "off is for local load tests; refused with an https AUTH_URL",
            ));
        }

        let prefix = get("AUTH_COOKIE_PREFIX").unwrap_or_else(|| "latchkey".to_owned());
        if !prefix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            return Err(bad(
                "AUTH_COOKIE_PREFIX",
                "use letters, digits, '-', '_' or '.' only",
            ));
        }
        let cookie_prefix = if https {
            format!("__Secure-{prefix}")
        } else {
            prefix
        };

        let session_max_age = seconds("SESSION_MAX_AGE", get("SESSION_MAX_AGE"), 7 * 86_400)?;
        let session_update_age = seconds("SESSION_UPDATE_AGE", get("SESSION_UPDATE_AGE"), 86_400)?;
        if session_update_age > session_max_age {
            return Err(bad("SESSION_UPDATE_AGE", "must not exceed SESSION_MAX_AGE"));
        }

        let mail = match get("SMTP_URL") {
            Some(url) => {
                let parsed = Url::parse(&url).map_err(|_| bad("SMTP_URL", "not a URL"))?;
                if !matches!(parsed.scheme(), "smtp" | "smtps") {
                    return Err(bad(
                        "SMTP_URL",
                        "use smtp://user:pass@host:port or smtps://",
                    ));
                }
                MailTransport::Smtp(SecretString::from(url))
            }
            None => MailTransport::Outbox(
                get("MAIL_OUTBOX")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| data_dir.join("outbox")),
            ),
        };
        let mail_from = get("MAIL_FROM")
            .unwrap_or_else(|| "Latchkey <no-reply@localhost>".to_owned())
            .parse::<Mailbox>()
            .map_err(|_| bad("MAIL_FROM", "not a mailbox such as 'Name <addr@host>'"))?;

        let site_addr = match get("LEPTOS_SITE_ADDR") {
            Some(addr) => addr
                .parse()
                .map_err(|_| bad("LEPTOS_SITE_ADDR", "use host:port, e.g. 127.0.0.1:3000"))?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };

        let trust_proxy = match get("TRUST_PROXY") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(parse_net)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| bad("TRUST_PROXY", "use comma-separated IPs or CIDRs"))?,
        };

        check_nextauth(&get)?;

        Ok(Self {
            provider,
            secret,
            secret_generated,
            trusted_origins,
            signup_open: match get("AUTH_SIGNUP").as_deref().unwrap_or("open") {
                "open" => true,
                "closed" => false,
                _ => return Err(bad("AUTH_SIGNUP", "use open or closed")),
            },
            require_email_verification: boolean(
                "REQUIRE_EMAIL_VERIFICATION",
                get("REQUIRE_EMAIL_VERIFICATION"),
            )?,
            database_url: get("DATABASE_URL")
                .unwrap_or_else(|| "sqlite:data/latchkey.db".to_owned()),
            redis_url: get("REDIS_URL"),
            secure_cookies: https,
            cookie_prefix,
            mail,
            mail_from,
            session_max_age,
            session_update_age,
            reset_token_ttl: seconds("RESET_TOKEN_TTL", get("RESET_TOKEN_TTL"), 3_600)?,
            magic_link_ttl: seconds("MAGIC_LINK_TTL", get("MAGIC_LINK_TTL"), 900)?,
            verify_token_ttl: seconds("VERIFY_TOKEN_TTL", get("VERIFY_TOKEN_TTL"), 86_400)?,
            invitation_ttl: seconds("INVITATION_TTL", get("INVITATION_TTL"), 7 * 86_400)?,
            site_addr,
            trust_proxy,
            rate_limit,
            auth_url,
        })
    }

    /// Name of the session cookie.
    pub fn session_cookie(&self) -> String {
        format!("{}.session_token", self.cookie_prefix)
    }

    /// `AUTH_URL` without a trailing slash, for building links.
    pub fn base_url(&self) -> &str {
        self.auth_url.as_str().trim_end_matches('/')
    }

    /// Whether `origin` (scheme://host[:port]) is trusted.
    pub fn is_trusted_origin(&self, origin: &str) -> bool {
        self.trusted_origins.iter().any(|o| o == origin)
    }

    /// Checks a `redirectTo`: a relative path on this site, or an absolute URL
    /// on a trusted origin. Anything else is refused, never followed.
    pub fn check_redirect(&self, target: &str) -> Result<String, &'static str> {
        // Browsers drop tabs and newlines inside URLs: `/\t/evil.example`
        // would become `//evil.example`. No whitespace or control character passes.
        if target.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("must be a path or a trusted URL");
        }
        if target.starts_with('/') && !target.starts_with("//") && !target.contains('\\') {
            return Ok(target.to_owned());
        }
        let url = Url::parse(target).map_err(|_| "must be a path or a trusted URL")?;
        if self.is_trusted_origin(&url.origin().ascii_serialization()) {
            Ok(url.to_string())
        } else {
            Err("must point to AUTH_URL or a trusted origin")
        }
    }

    /// The secret's bytes, for key derivation.
    pub fn secret_bytes(&self) -> &[u8] {
        self.secret.expose_secret().as_bytes()
    }
}

fn parse_auth_url(value: Option<String>) -> Result<Url, ConfigError> {
    let raw = value.unwrap_or_else(|| "http://localhost:3000".to_owned());
    let url = Url::parse(&raw).map_err(|_| bad("AUTH_URL", "not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("AUTH_URL", "must be an http:// or https:// URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("AUTH_URL", "must not carry a query or fragment"));
    }
    Ok(url)
}

fn trusted_origins(auth_url: &Url, extra: Option<String>) -> Result<Vec<String>, ConfigError> {
    let own = auth_url.origin().ascii_serialization();
    let mut origins = vec![own];
    if auth_url.scheme() == "http" && is_loopback_host(auth_url) {
        let port = auth_url.port_or_known_default().unwrap_or(80);
        for host in ["localhost", "127.0.0.1", "[::1]"] {
            let o = format!("http://{host}:{port}");
            if !origins.contains(&o) {
                origins.push(o);
            }
        }
    }
    for item in extra.iter().flat_map(|s| s.split(',')).map(str::trim) {
        if item.is_empty() {
            continue;
        }
        let url = Url::parse(item)
            .map_err(|_| bad("TRUSTED_ORIGINS", format!("{item:?} is not a URL")))?;
        let origin = url.origin();
        if !origin.is_tuple() || !matches!(url.scheme(), "http" | "https") {
            return Err(bad(
                "TRUSTED_ORIGINS",
                format!("{item:?} is not an http(s) origin"),
            ));
        }
        origins.push(origin.ascii_serialization());
    }
    Ok(origins)
}

fn is_loopback_host(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn load_secret(
    value: Option<String>,
    https: bool,
    data_dir: &Path,
) -> Result<(SecretString, bool), ConfigError> {
    if let Some(secret) = value {
        if secret.len() < 32 {
            return Err(bad(
                "AUTH_SECRET",
                "must be at least 32 bytes (try: openssl rand -base64 32)",
            ));
        }
        return Ok((SecretString::from(secret), false));
    }
    if https {
        return Err(bad(
            "AUTH_SECRET",
            "required when AUTH_URL is https (try: openssl rand -base64 32)",
        ));
    }
    let path = data_dir.join("auth_secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok((SecretString::from(existing), true));
        }
    }
    let generated = crate::crypto::tokens::new_token();
    crate::store::create_private_dir(data_dir)
        .and_then(|()| write_private(&path, &generated))
        .map_err(|e| {
            bad(
                "AUTH_SECRET",
                format!("unset, and {} cannot be written: {e}", path.display()),
            )
        })?;
    Ok((SecretString::from(generated), true))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

fn seconds(
    var: &'static str,
    value: Option<String>,
    default: i64,
) -> Result<Duration, ConfigError> {
    let secs = match value {
        None => default,
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=10 * 365 * 86_400).contains(n))
            .ok_or_else(|| bad(var, "must be a whole number of seconds, at least 1"))?,
    };
    Ok(Duration::seconds(secs))
}

fn on_off(var: &'static str, value: Option<String>, default: bool) -> Result<bool, ConfigError> {
    match value.as_deref() {
        None => Ok(default),
        Some("on") => Ok(true),
        Some("off") => Ok(false),
        Some(_) => Err(bad(var, "use on or off")),
    }
}

fn boolean(var: &'static str, value: Option<String>) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::to_ascii_lowercase).as_deref() {
        None | Some("false" | "0" | "no" | "off") => Ok(false),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some(_) => Err(bad(var, "use true or false")),
    }
}

fn parse_net(s: &str) -> Option<IpNet> {
    IpNet::from_str(s)
        .ok()
        .or_else(|| std::net::IpAddr::from_str(s).ok().map(IpNet::from))
}

fn check_nextauth(get: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
    match get("NEXTAUTH_SESSION_STRATEGY").as_deref() {
        None | Some("jwt" | "database") => Ok(()),
        Some(_) => Err(bad("NEXTAUTH_SESSION_STRATEGY", "use jwt or database")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let dir = std::env::temp_dir().join(format!(
            "latchkey-cfg-{}",
            crate::crypto::tokens::new_id("t")
        ));
        Config::from_lookup(|k| map.get(k).cloned(), &dir)
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = load(&[]).unwrap();
        assert_eq!(c.provider, ProviderKind::BetterAuth);
        assert_eq!(c.session_cookie(), "latchkey.session_token");
        assert_eq!(c.session_max_age, Duration::days(7));
        assert!(c.secret_generated && c.rate_limit && c.signup_open);
        assert!(c.is_trusted_origin("http://127.0.0.1:3000"));
        assert!(c.is_trusted_origin("http://localhost:3000"));
        assert!(!c.is_trusted_origin("http://localhost:3001"));
    }

    #[test]
    fn https_requires_a_secret_and_prefixes_cookies() {
        let e = load(&[("AUTH_URL", "https://auth.example.com")]).unwrap_err();
        assert_eq!(e.var, "AUTH_SECRET");
        let c = load(&[
            ("AUTH_URL", "https://auth.example.com"),
            ("AUTH_SECRET", "0123456789abcdef0123456789abcdef"),
        ])
        .unwrap();
        assert_eq!(c.session_cookie(), "__Secure-latchkey.session_token");
    }

    #[test]
    fn bad_values_name_their_variable() {
        for (var, value) in [
            ("AUTH_PROVIDER", "okta"),
            ("SESSION_MAX_AGE", "0"),
            ("RESET_TOKEN_TTL", "soon"),
            ("AUTH_SIGNUP", "maybe"),
            ("TRUST_PROXY", "not-an-ip"),
            ("MAIL_FROM", "nobody"),
            ("LEPTOS_SITE_ADDR", "here"),
            ("AUTH_SECRET", "short"),
        ] {
            let e = load(&[(var, value)]).unwrap_err();
            assert_eq!(e.var, var, "{var}={value}");
            assert!(e.to_string().starts_with("configuration error: "));
        }
    }

    #[test]
    fn rate_limit_off_is_refused_over_https() {
        let e = load(&[
            ("AUTH_URL", "https://auth.example.com"),
            ("AUTH_SECRET", "0123456789abcdef0123456789abcdef"),
            ("RATE_LIMIT", "off"),
        ])
        .unwrap_err();
        assert_eq!(e.var, "RATE_LIMIT");
    }

    #[test]
    fn redirects_must_stay_on_trusted_origins() {
        let c = load(&[("TRUSTED_ORIGINS", "https://app.example.com")]).unwrap();
        assert!(c.check_redirect("/account").is_ok());
        assert!(c.check_redirect("https://app.example.com/x").is_ok());
        assert!(c.check_redirect("//evil.example/x").is_err());
        assert!(c.check_redirect("https://evil.example/x").is_err());
        assert!(c.check_redirect("javascript:alert(1)").is_err());
        assert!(c.check_redirect("/\\evil.example").is_err());
        assert!(c.check_redirect("/\t/evil.example").is_err());
        assert!(c.check_redirect("/\n/evil.example").is_err());
    }
}
