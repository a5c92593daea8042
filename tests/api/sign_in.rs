//! `POST /sign-in`: a session for the right password, one indistinguishable
//! answer for every wrong one, and `rememberMe`.

use serde_json::json;

use crate::harness::{now, timestamp, Harness, PASSWORD};

conformance!(
    sign_in_with_the_right_password_starts_a_new_session,
    wrong_password_and_unknown_email_get_byte_identical_answers,
    remember_me_false_gives_a_browser_cookie_and_a_one_day_session,
    identity_fields_in_the_sign_in_body_are_ignored,
    sign_in_names_missing_and_mistyped_fields,
    unverified_users_cannot_sign_in_when_verification_is_required,
);

/// The right password answers 200 with the user and a fresh session whose
/// token works and differs from the sign-up one.
async fn sign_in_with_the_right_password_starts_a_new_session(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let answer = app.sign_in("ada@example.com", PASSWORD).await;

    answer.assert_status(200);
    assert_eq!(answer.data()["user"]["id"], ada.user_id.as_str());
    assert_ne!(answer.data()["session"]["id"], ada.session_id.as_str());
    let token = answer.token();
    assert_ne!(token, ada.token);
    let cookie = answer.session_cookie().expect("a session cookie");
    assert_eq!(cookie.value, token);
    assert!(
        cookie.max_age().is_some_and(|age| age > 604_000),
        "{cookie:?}"
    );
    app.session(&token).await.assert_status(200);
}

/// A wrong password and an unknown email cannot be told apart: same status,
/// same bytes.
async fn wrong_password_and_unknown_email_get_byte_identical_answers(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;

    let wrong_password = app.sign_in("ada@example.com", "not the password").await;
    let unknown_email = app.sign_in("nobody@example.com", "not the password").await;

    wrong_password.assert_error(400, "INVALID_CREDENTIALS");
    unknown_email.assert_error(400, "INVALID_CREDENTIALS");
    assert_eq!(wrong_password.text, unknown_email.text);
    assert!(wrong_password.session_cookie().is_none());
    assert!(unknown_email.session_cookie().is_none());
}

/// `rememberMe: false` gives a cookie without `Max-Age` (gone with the
/// browser) and a session that lives one day on the server.
async fn remember_me_false_gives_a_browser_cookie_and_a_one_day_session(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    let body = json!({ "email": "ada@example.com", "password": PASSWORD, "rememberMe": false });

    let answer = app.post("/sign-in").json(&body).send().await;

    answer.assert_status(200);
    let cookie = answer.session_cookie().expect("a session cookie");
    assert_eq!(cookie.max_age(), None, "{cookie:?}");
    assert!(!cookie.has("Expires"), "{cookie:?}");
    let expires = timestamp(&answer.data()["session"]["expiresAt"]);
    let day = chrono::Duration::days(1);
    assert!(
        (expires - (now() + day)).num_seconds().abs() < 60,
        "expiresAt {expires}"
    );
}

/// Identity fields sent along with the credentials change nothing: the
/// session is the signed-in user's, as stored.
async fn identity_fields_in_the_sign_in_body_are_ignored(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let eve = app.sign_up("eve@example.com").await;
    let body = json!({
        "email": "eve@example.com", "password": PASSWORD,
        "id": ada.user_id, "userId": ada.user_id, "emailVerified": true, "role": "owner",
    });

    let answer = app.post("/sign-in").json(&body).send().await;

    answer.assert_status(200);
    assert_eq!(answer.data()["user"]["id"], eve.user_id.as_str());
    assert_eq!(answer.data()["user"]["emailVerified"], false);
    let session = app.session(&answer.token()).await;
    assert_eq!(session.data()["user"]["id"], eve.user_id.as_str());
}

/// Missing credentials and a `rememberMe` that is not a boolean are named.
async fn sign_in_names_missing_and_mistyped_fields(h: Harness) {
    let app = h.start().await;

    let answer = app
        .post("/sign-in")
        .json(&json!({ "rememberMe": "yes" }))
        .send()
        .await;

    answer.assert_error(422, "VALIDATION_ERROR");
    for field in ["email", "password", "rememberMe"] {
        assert!(
            answer.field(field).is_some(),
            "{field} not named in {}",
            answer.text
        );
    }
}

/// With `REQUIRE_EMAIL_VERIFICATION=true` an unverified user's right
/// password is `FORBIDDEN`, while a wrong one stays `INVALID_CREDENTIALS`
/// (the verification state is shown only to whoever knows the password).
async fn unverified_users_cannot_sign_in_when_verification_is_required(h: Harness) {
    let app = h
        .start_with(&[("REQUIRE_EMAIL_VERIFICATION", "true")])
        .await;
    app.post("/sign-up")
        .json(&json!({ "email": "ada@example.com", "password": PASSWORD, "name": "Ada" }))
        .send()
        .await;

    let right = app.sign_in("ada@example.com", PASSWORD).await;
    let wrong = app.sign_in("ada@example.com", "not the password").await;

    right.assert_error(403, "FORBIDDEN");
    assert!(right.session_cookie().is_none());
    wrong.assert_error(400, "INVALID_CREDENTIALS");
}
