//! The envelope and the routes around the endpoints: unknown paths, the
//! endpoints not built yet, `/capabilities` and `/openapi.json`.
//!
//! Every answer of every test is checked for the envelope by the harness;
//! these cases cover the answers no other test reaches.

use reqwest::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{App, Harness};

conformance!(
    every_answer_carries_a_fresh_request_id,
    an_unknown_path_is_not_found_in_the_envelope,
    a_wrong_method_on_a_known_path_is_answered_in_the_envelope,
    endpoints_of_the_contract_not_built_yet_are_not_supported,
    capabilities_name_the_provider_and_its_methods,
    the_openapi_document_is_bare_openapi_3_1,
    a_chunked_body_over_64_kib_is_payload_too_large,
    a_request_without_a_body_needs_no_content_type,
    an_internal_error_shows_its_request_id_and_never_its_cause,
);

/// `x-request-id` is on every answer (checked by the harness), and differs
/// from one request to the next.
async fn every_answer_carries_a_fresh_request_id(h: Harness) {
    let app = h.start().await;

    let first = app.get("/capabilities").send().await;
    let second = app.get("/capabilities").send().await;
    let failure = app.get("/session").send().await;

    let ids = [&first, &second, &failure].map(|a| a.header("x-request-id").unwrap().to_owned());
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
    assert!(first
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(failure
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}

/// A path under `/api/auth` that the contract does not define is 404
/// `NOT_FOUND` in the envelope, for any method.
async fn an_unknown_path_is_not_found_in_the_envelope(h: Harness) {
    let app = h.start().await;

    let get = app.get("/no-such-endpoint").send().await;
    let post = app.post("/no/such/endpoint").json(&json!({})).send().await;

    get.assert_error(404, "NOT_FOUND");
    post.assert_error(404, "NOT_FOUND");
}

/// A method a path does not serve is refused in the envelope too (the
/// harness checks the shape), never with an empty body.
async fn a_wrong_method_on_a_known_path_is_answered_in_the_envelope(h: Harness) {
    let app = h.start().await;

    let answer = app
        .call(Method::PUT, "/session")
        .json(&json!({}))
        .send()
        .await;

    assert!(
        answer.status == 404 || answer.status == 405,
        "status {}: {}",
        answer.status,
        answer.text
    );
}

/// Endpoints the contract defines but this build lacks answer 501
/// `NOT_SUPPORTED`, like a provider that cannot do them — not 404.
async fn endpoints_of_the_contract_not_built_yet_are_not_supported(h: Harness) {
    let app = h.start().await;
    let body = json!({ "email": "ada@example.com" });
    let calls = [
        app.post("/magic-link").json(&body),
        app.post("/magic-link/verify")
            .json(&json!({ "token": "x" })),
        app.post("/verify-email"),
        app.post("/verify-email/confirm")
            .json(&json!({ "token": "x" })),
        app.get("/oauth/github"),
        app.get("/oauth/github/callback?code=c&state=s"),
        app.post("/two-factor/enable").json(&json!({})),
        app.get("/passkeys/list"),
        app.get("/sso?domain=example.com"),
        app.get("/organizations/org_x/members"),
        app.post("/organizations/active")
            .json(&json!({ "organizationId": "org_x" })),
        app.post("/invitations/inv_x/accept").json(&json!({})),
    ];

    for call in calls {
        call.send().await.assert_error(501, "NOT_SUPPORTED");
    }
}

/// `/capabilities` names the provider and says what it can do; the native
/// provider does email and password, and organizations.
async fn capabilities_name_the_provider_and_its_methods(h: Harness) {
    let app = h.start().await;

    let answer = app.get("/capabilities").send().await;

    answer.assert_status(200);
    let data = answer.data();
    assert_eq!(data["provider"], app.provider);
    let methods = &data["methods"];
    assert_eq!(methods["emailPassword"], true);
    assert_eq!(methods["organizations"], true);
    assert!(methods["oauth"].is_array(), "{}", answer.text);
    for flag in ["magicLink", "sso", "twoFactor", "passkeys"] {
        assert!(methods[flag].is_boolean(), "{flag} in {}", answer.text);
    }
}

/// `/openapi.json` is the bare OpenAPI 3.1 document, not wrapped in the
/// envelope.
async fn the_openapi_document_is_bare_openapi_3_1(h: Harness) {
    let app = h.start().await;

    let answer = app.get("/openapi.json").send().await;

    answer.assert_status(200);
    let version = answer.body["openapi"]
        .as_str()
        .unwrap_or_else(|| panic!("{}", answer.text));
    assert!(version.starts_with("3.1"), "openapi {version}");
    assert!(
        answer.body.get("success").is_none(),
        "wrapped in the envelope"
    );
    assert!(answer.body["paths"].is_object(), "{}", answer.text);
}

/// A body over the limit is refused even when it declares no length
/// (`Transfer-Encoding: chunked`).
async fn a_chunked_body_over_64_kib_is_payload_too_large(h: Harness) {
    let app = h.start().await;
    let payload = format!(
        r#"{{"email":"ada@example.com","password":"{}"}}"#,
        "a".repeat(70_000)
    );

    let (status, body) = send_chunked(&app, "/api/auth/sign-up", &payload).await;

    assert_eq!(status, 413, "{body}");
    let body: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
    assert_eq!(body["success"], false);
}

/// A state-changing request without a body needs no `Content-Type`.
async fn a_request_without_a_body_needs_no_content_type(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let revoke = app.delete("/sessions").bearer(&ada.token).send().await;
    let sign_out = app.post("/sign-out").bearer(&ada.token).send().await;

    revoke.assert_status(200);
    assert_eq!(revoke.data()["revoked"], 0);
    sign_out.assert_status(200);
}

/// A failure inside the server (here: a table gone) is 500 `INTERNAL_ERROR`
/// whose body names the request id of the `x-request-id` header and says
/// nothing of the cause.
async fn an_internal_error_shows_its_request_id_and_never_its_cause(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let drop_sessions = sqlx::raw_sql(r#"DROP TABLE "session""#);
    latchkey::on_db!(&app.db, pool => drop_sessions.execute(pool).await.map(|_| ()))
        .expect("the session table is dropped");

    let answer = app.session(&ada.token).await;

    answer.assert_error(500, "INTERNAL_ERROR");
    let request_id = answer.header("x-request-id").unwrap();
    assert_eq!(answer.body["error"]["requestId"], request_id);
    assert_eq!(answer.body["message"], "Something went wrong");
    for leak in ["session", "table", "sqlx", "relation", "SELECT"] {
        assert!(
            !answer.text.contains(leak),
            "the body leaks {leak:?}: {}",
            answer.text
        );
    }
}

/// Posts `payload` in one chunk over a raw connection (the HTTP client
/// always declares a length) and returns the status and body.
async fn send_chunked(app: &App, path: &str, payload: &str) -> (u16, String) {
    let address = app.origin.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address)
        .await
        .expect("a connection");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{payload}\r\n0\r\n\r\n",
        payload.len()
    );
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request is sent");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("an answer");

    let response = String::from_utf8_lossy(&response);
    let (head, body) = response.split_once("\r\n\r\n").expect("headers and a body");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}
