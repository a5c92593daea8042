//! The client side: requests, answers checked for the envelope, and
//! `Set-Cookie` headers taken apart.

use reqwest::header::{HeaderMap, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::RequestBuilder;
use serde_json::Value;

use super::SESSION_COOKIE;

/// A request being built.
pub struct Call {
    pub(super) request: RequestBuilder,
    pub(super) enveloped: bool,
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
