//! Extractors that turn a request into typed, checked input, so that bad
//! input is answered in the envelope of the contract before a handler runs.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use ipnet::IpNet;
use serde_json::{Map, Value};

use super::reply::ApiError;
use crate::auth::{AuthError, Caller, FieldErrors, RequestMeta, SessionToken};
use crate::server::AppState;

/// Longest user agent kept with a session.
const MAX_USER_AGENT: usize = 512;

/// A JSON object body. Answers 415 for another content type, 413 over the
/// body limit and 422 for anything that is not a JSON object.
pub struct JsonBody(pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json_type = is_json(req.headers());
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                AuthError::field("body", "could not be read").into()
            }
        })?;
        if bytes.is_empty() {
            return Ok(Self(Map::new()));
        }
        if !json_type {
            return Err(ApiError::UnsupportedMediaType);
        }
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(AuthError::field("body", "must be a JSON object").into()),
            Err(_) => Err(AuthError::field("body", "is not valid JSON").into()),
        }
    }
}

/// Whether the request declares an `application/json` body, in UTF-8 (no
/// other charset), with exactly one `Content-Type` header.
pub fn is_json(headers: &HeaderMap) -> bool {
    let mut values = headers.get_all(CONTENT_TYPE).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    let Ok(value) = value.to_str() else {
        return false;
    };
    let mut parts = value.split(';').map(str::trim);
    let media_type = parts.next().unwrap_or_default();
    media_type.eq_ignore_ascii_case("application/json")
        && parts.all(|param| match param.split_once('=') {
            Some((name, v)) if name.trim().eq_ignore_ascii_case("charset") => {
                v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            }
            _ => param.is_empty(),
        })
}

/// Reads fields out of a JSON body, collecting every problem before failing,
/// so that one answer names all bad fields.
pub struct Fields<'a> {
    body: &'a Map<String, Value>,
    errors: FieldErrors,
}

impl<'a> Fields<'a> {
    /// Starts reading `body`.
    pub fn new(body: &'a Map<String, Value>) -> Self {
        Self {
            body,
            errors: FieldErrors::new(),
        }
    }

    /// A required string field.
    pub fn string(&mut self, name: &str) -> Option<&'a str> {
        match self.body.get(name) {
            None | Some(Value::Null) => self.fail(name, "is required"),
            Some(Value::String(s)) => Some(s),
            Some(_) => self.fail(name, "must be a string"),
        }
    }

    /// An optional string field (absent and `null` are the same).
    pub fn optional_string(&mut self, name: &str) -> Option<&'a str> {
        match self.body.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(_) => self.fail(name, "must be a string"),
        }
    }

    /// An optional boolean field.
    pub fn optional_bool(&mut self, name: &str) -> Option<bool> {
        match self.body.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => self.fail(name, "must be true or false"),
        }
    }

    /// Parses a value that was read, recording the parser's complaint.
    pub fn parse<T>(
        &mut self,
        name: &str,
        value: Option<&str>,
        parser: impl FnOnce(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        match parser(value?) {
            Ok(v) => Some(v),
            Err(problem) => self.fail(name, problem),
        }
    }

    /// Records a problem with a field.
    pub fn fail<T>(&mut self, name: &str, problem: &str) -> Option<T> {
        self.errors
            .entry(name.to_owned())
            .or_insert_with(|| problem.to_owned());
        None
    }

    /// `Ok` when every field read so far was good.
    pub fn finish(self) -> Result<(), AuthError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AuthError::Validation(self.errors))
        }
    }
}

/// Facts about the request: now, the client address, the user agent.
pub struct Meta(pub RequestMeta);

impl FromRequestParts<AppState> for Meta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Self(request_meta(
            &parts.headers,
            peer,
            &state.config.trust_proxy,
        )))
    }
}

/// Builds [`RequestMeta`] from headers and the peer address. This is the one
/// place a request reads the clock.
#[allow(clippy::disallowed_methods)]
pub fn request_meta(headers: &HeaderMap, peer: Option<IpAddr>, trust: &[IpNet]) -> RequestMeta {
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(MAX_USER_AGENT).collect());
    RequestMeta {
        now: Utc::now(),
        ip: peer.map(|p| client_ip(p, headers, trust).to_string()),
        user_agent,
    }
}

/// The client address: the peer, unless the peer is a trusted proxy, in which
/// case `X-Forwarded-For` is walked from the right past trusted hops.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trust: &[IpNet]) -> IpAddr {
    let trusted = |ip: &IpAddr| trust.iter().any(|net| net.contains(ip));
    if !trusted(&peer) {
        return peer;
    }
    let hops = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted(&ip) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

/// How a session token reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// The session cookie (a browser).
    Cookie,
    /// `Authorization: Bearer` (another app).
    Bearer,
}

/// The token a request presents, if any. An `Authorization` header, when
/// present at all, is the only credential looked at: a malformed one never
/// falls back to the cookie (the cross-site guard relies on that).
pub fn presented_token(
    headers: &HeaderMap,
    cookie_name: &str,
) -> Option<(SessionToken, TokenSource)> {
    if let Some(value) = headers.get(AUTHORIZATION) {
        let (scheme, token) = value.to_str().ok()?.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| (SessionToken::new(token.trim()), TokenSource::Bearer));
    }
    let jar = CookieJar::from_headers(headers);
    jar.get(cookie_name)
        .map(|c| (SessionToken::new(c.value()), TokenSource::Cookie))
}

/// A signed-in caller; answers 401 otherwise.
pub struct Authed {
    /// Who is calling.
    pub caller: Caller,
    /// The token they presented.
    pub token: SessionToken,
    /// Where it came from.
    pub source: TokenSource,
    /// Facts about the request.
    pub meta: RequestMeta,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Meta(meta) = Meta::from_request_parts(parts, state).await?;
        let (token, source) = presented_token(&parts.headers, &state.config.session_cookie())
            .ok_or(AuthError::Unauthorized)?;
        let caller = state.provider.authenticate(&meta, &token).await?;
        tracing::Span::current().record("user_id", caller.user.id.as_str());
        Ok(Self {
            caller,
            token,
            source,
            meta,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_is_ignored_from_untrusted_peers() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        let peer: IpAddr = "9.9.9.9".parse().unwrap();
        assert_eq!(client_ip(peer, &h, &[]), peer);
    }

    #[test]
    fn forwarded_for_is_walked_past_trusted_proxies() {
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4, 10.0.0.2")]);
        let trust: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let ip = client_ip("10.0.0.1".parse().unwrap(), &h, &trust);
        assert_eq!(ip.to_string(), "1.2.3.4");
    }

    #[test]
    fn bearer_wins_over_cookie() {
        let h = headers(&[("authorization", "Bearer abc"), ("cookie", "c=def")]);
        let (t, s) = presented_token(&h, "c").unwrap();
        assert_eq!((t.expose(), s), ("abc", TokenSource::Bearer));
        let h = headers(&[("cookie", "c=def")]);
        let (t, s) = presented_token(&h, "c").unwrap();
        assert_eq!((t.expose(), s), ("def", TokenSource::Cookie));
    }

    #[test]
    fn a_malformed_authorization_header_never_falls_back_to_the_cookie() {
        let mut h = headers(&[("cookie", "c=def")]);
        h.insert(
            AUTHORIZATION,
            HeaderValue::from_bytes(b"Bearer \xff").unwrap(),
        );
        assert!(presented_token(&h, "c").is_none());
        let h = headers(&[("authorization", "Basic abc"), ("cookie", "c=def")]);
        assert!(presented_token(&h, "c").is_none());
    }

    #[test]
    fn only_utf8_json_counts_as_json() {
        assert!(is_json(&headers(&[("content-type", "application/json")])));
        assert!(is_json(&headers(&[(
            "content-type",
            "Application/JSON; charset=UTF-8"
        )])));
        assert!(!is_json(&headers(&[(
            "content-type",
            "application/json; charset=latin1"
        )])));
        assert!(!is_json(&headers(&[(
            "content-type",
            "application/json; x=1"
        )])));
        assert!(!is_json(&headers(&[(
            "content-type",
            "application/json-patch+json"
        )])));
        assert!(!is_json(&headers(&[
            ("content-type", "application/json"),
            ("content-type", "text/plain"),
        ])));
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn fields_names_every_bad_field() {
        let body: Map<String, Value> =
            serde_json::from_str(r#"{"email": 3, "rememberMe": "yes"}"#).unwrap();
        let mut f = Fields::new(&body);
        f.string("email");
        f.string("password");
        f.optional_bool("rememberMe");
        let Err(AuthError::Validation(errors)) = f.finish() else {
            panic!()
        };
        assert_eq!(errors.len(), 3);
    }
}
