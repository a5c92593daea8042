//! `POST /sign-up`: a new account, its first session and the cookie; and
//! every way input can be refused without writing anything.

use serde_json::json;

use crate::harness::{now, timestamp, Harness, PASSWORD, SESSION_COOKIE};

conformance!(
    sign_up_creates_the_user_and_a_session_and_sets_the_cookie,
    sign_up_stores_the_canonical_email,
    sign_up_with_a_registered_email_in_another_case_is_email_exists,
    sign_up_with_a_fullwidth_at_sign_is_refused,
    passwords_outside_8_to_128_characters_are_refused,
    a_body_over_64_kib_is_payload_too_large,
    missing_fields_are_each_named,
    fields_of_the_wrong_type_are_each_named,
    malformed_json_is_a_validation_error,
    a_body_that_is_not_json_is_unsupported_media_type,
    refused_sign_ups_write_nothing,
    identity_fields_in_the_sign_up_body_are_ignored,
    cookies_over_https_are_secure_and_prefixed,
    sign_up_is_refused_while_closed_but_existing_users_sign_in,
);

/// A valid sign-up answers 201 with the user, a session carrying its token
/// and expiry, and a session cookie as the contract describes it.
async fn sign_up_creates_the_user_and_a_session_and_sets_the_cookie(h: Harness) {
    let app = h.start().await;
    let body = json!({ "email": "ada@example.com", "password": PASSWORD, "name": "Ada" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_status(201);
    let data = answer.data();
    assert!(
        data["user"]["id"].as_str().unwrap().starts_with("usr_"),
        "{}",
        answer.text
    );
    assert_eq!(data["user"]["email"], "ada@example.com");
    assert_eq!(data["user"]["name"], "Ada");
    assert_eq!(data["user"]["emailVerified"], false);
    assert!(
        data["session"]["id"].as_str().unwrap().starts_with("ses_"),
        "{}",
        answer.text
    );
    let token = answer.token();
    assert!(
        token.len() >= 32,
        "a session token of {} characters",
        token.len()
    );
    let expires = timestamp(&data["session"]["expiresAt"]);
    let week = chrono::Duration::days(7);
    assert!(
        (expires - (now() + week)).num_seconds().abs() < 60,
        "expiresAt {expires}"
    );

    let cookie = answer.session_cookie().expect("a session cookie");
    assert_eq!(cookie.name, SESSION_COOKIE);
    assert_eq!(cookie.value, token);
    assert!(cookie.has("HttpOnly"));
    assert_eq!(cookie.get("SameSite"), Some("Lax"));
    assert_eq!(cookie.get("Path"), Some("/"));
    assert!(!cookie.has("Secure"), "Secure over plain http");
    let max_age = cookie.max_age().expect("a Max-Age");
    assert!((604_790..=604_800).contains(&max_age), "Max-Age {max_age}");

    let session = app.session(&token).await;
    session.assert_status(200);
    assert_eq!(session.data()["user"]["email"], "ada@example.com");
}

/// The email is trimmed and lower-cased before it is stored, and sign-in
/// with any case of it finds the account.
async fn sign_up_stores_the_canonical_email(h: Harness) {
    let app = h.start().await;
    let body = json!({ "email": "  Ada@Example.COM ", "password": PASSWORD, "name": "Ada" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_status(201);
    assert_eq!(answer.data()["user"]["email"], "ada@example.com");
    app.sign_in("ADA@example.com", PASSWORD)
        .await
        .assert_status(200);
}

/// One address is one account, whatever the case it is typed in.
async fn sign_up_with_a_registered_email_in_another_case_is_email_exists(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    let body = json!({ "email": "ADA@example.com", "password": "another password", "name": "A" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_error(409, "EMAIL_EXISTS");
    app.sign_in("ada@example.com", "another password")
        .await
        .assert_status(400);
}

/// An address whose NFKC form differs from itself (a fullwidth `＠`) is
/// refused, not silently rewritten.
async fn sign_up_with_a_fullwidth_at_sign_is_refused(h: Harness) {
    let app = h.start().await;
    let body = json!({ "email": "ada\u{FF20}example.com", "password": PASSWORD, "name": "Ada" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_error(422, "VALIDATION_ERROR");
    assert!(answer.field("email").is_some(), "{}", answer.text);
    let canonical = json!({ "email": "ada@example.com", "password": PASSWORD, "name": "Ada" });
    app.post("/sign-up")
        .json(&canonical)
        .send()
        .await
        .assert_status(201);
}

/// 7 characters, 129 characters and 129 multi-byte characters are refused;
/// 8 and 128 are the bounds, counted in characters rather than bytes.
async fn passwords_outside_8_to_128_characters_are_refused(h: Harness) {
    let app = h.start().await;

    for (i, password) in [
        "a".repeat(7),
        "a".repeat(129),
        "é".repeat(129),
        "a".repeat(2000),
    ]
    .iter()
    .enumerate()
    {
        let body =
            json!({ "email": format!("p{i}@example.com"), "password": password, "name": "" });
        let answer = app.post("/sign-up").json(&body).send().await;
        answer.assert_error(422, "VALIDATION_ERROR");
        assert!(answer.field("password").is_some(), "{}", answer.text);
    }
    for (i, password) in ["a".repeat(8), "a".repeat(128), "é".repeat(128)]
        .iter()
        .enumerate()
    {
        let body =
            json!({ "email": format!("ok{i}@example.com"), "password": password, "name": "" });
        app.post("/sign-up")
            .json(&body)
            .send()
            .await
            .assert_status(201);
    }
}

/// A body over 64 KiB (a 1 MB password) is refused with 413 before it is
/// parsed, so no field is reported.
async fn a_body_over_64_kib_is_payload_too_large(h: Harness) {
    let app = h.start().await;
    let password = "a".repeat(1_000_000);
    let body = json!({ "email": "ada@example.com", "password": password, "name": "Ada" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_error(413, "PAYLOAD_TOO_LARGE");
    assert!(
        answer.body["error"].get("fields").is_none(),
        "{}",
        answer.text
    );
}

/// An empty object names email, password and name, all at once.
async fn missing_fields_are_each_named(h: Harness) {
    let app = h.start().await;

    let answer = app.post("/sign-up").json(&json!({})).send().await;

    answer.assert_error(422, "VALIDATION_ERROR");
    for field in ["email", "password", "name"] {
        assert!(
            answer.field(field).is_some(),
            "{field} not named in {}",
            answer.text
        );
    }
}

/// Numbers, arrays and booleans where strings belong are each named.
async fn fields_of_the_wrong_type_are_each_named(h: Harness) {
    let app = h.start().await;
    let body = json!({ "email": 42, "password": ["correct", "horse"], "name": false });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_error(422, "VALIDATION_ERROR");
    for field in ["email", "password", "name"] {
        assert!(
            answer.field(field).is_some(),
            "{field} not named in {}",
            answer.text
        );
    }
}

/// Truncated JSON, and JSON that is not an object, are 422 — never a 400
/// from the framework or a 500.
async fn malformed_json_is_a_validation_error(h: Harness) {
    let app = h.start().await;

    for body in [
        r#"{"email": "ada@example.com", "password": "#,
        "[1, 2, 3]",
        "\"text\"",
        "nul",
    ] {
        let answer = app
            .post("/sign-up")
            .raw_body(Some("application/json"), body.to_owned())
            .send()
            .await;
        answer.assert_error(422, "VALIDATION_ERROR");
    }
}

/// A body sent as a form, as text, or with no content type at all is 415.
async fn a_body_that_is_not_json_is_unsupported_media_type(h: Harness) {
    let app = h.start().await;
    let json_text = r#"{"email":"ada@example.com","password":"correct horse","name":"A"}"#;

    for content_type in [
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
        None,
    ] {
        let answer = app
            .post("/sign-up")
            .raw_body(content_type, json_text)
            .send()
            .await;
        answer.assert_error(415, "VALIDATION_ERROR");
    }
    let nothing = app.sign_in("ada@example.com", "correct horse").await;
    nothing.assert_error(400, "INVALID_CREDENTIALS");
}

/// Refused sign-ups leave no account behind: the address stays free.
async fn refused_sign_ups_write_nothing(h: Harness) {
    let app = h.start().await;
    let email = "ada@example.com";
    let refused = [
        json!({ "email": email, "password": "short", "name": "Ada" }),
        json!({ "email": email, "password": "a".repeat(129), "name": "Ada" }),
        json!({ "email": email, "password": PASSWORD, "name": 7 }),
        json!({ "email": email, "password": PASSWORD, "name": "x".repeat(101) }),
    ];

    for body in &refused {
        app.post("/sign-up")
            .json(body)
            .send()
            .await
            .assert_error(422, "VALIDATION_ERROR");
    }

    app.sign_in(email, PASSWORD)
        .await
        .assert_error(400, "INVALID_CREDENTIALS");
    let valid = json!({ "email": email, "password": PASSWORD, "name": "Ada" });
    app.post("/sign-up")
        .json(&valid)
        .send()
        .await
        .assert_status(201);
}

/// `id`, `userId`, `emailVerified` and `role` in a sign-up body are never
/// taken: the server picks the id and the email starts unverified.
async fn identity_fields_in_the_sign_up_body_are_ignored(h: Harness) {
    let app = h.start().await;
    let body = json!({
        "email": "ada@example.com", "password": PASSWORD, "name": "Ada",
        "id": "usr_chosen", "userId": "usr_chosen", "emailVerified": true, "role": "admin",
    });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_status(201);
    let user = &answer.data()["user"];
    assert_ne!(user["id"], "usr_chosen");
    assert_eq!(user["emailVerified"], false);
    assert!(user.get("role").is_none(), "{}", answer.text);
}

/// With an https `AUTH_URL` the cookie is `Secure` and its name carries the
/// `__Secure-` prefix.
async fn cookies_over_https_are_secure_and_prefixed(h: Harness) {
    let settings = [
        ("AUTH_URL", "https://127.0.0.1:{port}"),
        ("RATE_LIMIT", "on"),
    ];
    let app = h.start_with(&settings).await;
    let body = json!({ "email": "ada@example.com", "password": PASSWORD, "name": "Ada" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_status(201);
    let name = format!("__Secure-{SESSION_COOKIE}");
    let cookie = answer
        .set_cookie(&name)
        .expect("a __Secure- session cookie");
    assert!(cookie.has("Secure") && cookie.has("HttpOnly"));
    assert!(
        answer.session_cookie().is_none(),
        "an unprefixed cookie over https"
    );
}

/// `AUTH_SIGNUP=closed` refuses new accounts (403) and writes nothing;
/// users who already exist still sign in.
async fn sign_up_is_refused_while_closed_but_existing_users_sign_in(h: Harness) {
    let open = h.start().await;
    open.sign_up("ada@example.com").await;
    drop(open);
    let app = h.start_with(&[("AUTH_SIGNUP", "closed")]).await;
    let body = json!({ "email": "eve@example.com", "password": PASSWORD, "name": "Eve" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_error(403, "FORBIDDEN");
    assert!(answer.session_cookie().is_none());
    app.sign_in("eve@example.com", PASSWORD)
        .await
        .assert_error(400, "INVALID_CREDENTIALS");
    app.sign_in("ada@example.com", PASSWORD)
        .await
        .assert_status(200);
}
