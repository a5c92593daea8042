//! Sliding expiry: a session in use moves its expiry forward once
//! `SESSION_UPDATE_AGE` has passed, and the cookie follows.

use serde_json::json;

use crate::harness::{pause, timestamp, Harness, PASSWORD};

conformance!(
    a_fresh_session_is_not_reissued,
    a_session_in_use_slides_its_expiry_and_reissues_the_cookie,
    a_browser_session_slides_without_gaining_a_max_age,
);

/// A session used long before `SESSION_UPDATE_AGE` has passed keeps its
/// expiry, and no cookie is re-issued.
async fn a_fresh_session_is_not_reissued(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let first = app.session(&ada.token).await;

    let answer = app.get("/session").cookie(&ada.token).send().await;

    answer.assert_status(200);
    assert!(answer.session_cookie().is_none(), "a cookie was re-issued");
    assert_eq!(
        answer.data()["session"]["expiresAt"],
        first.data()["session"]["expiresAt"]
    );
}

/// Once `SESSION_UPDATE_AGE` has passed, using the session moves its expiry
/// to now + `SESSION_MAX_AGE` and re-issues the cookie with the new life.
async fn a_session_in_use_slides_its_expiry_and_reissues_the_cookie(h: Harness) {
    let settings = [("SESSION_MAX_AGE", "30"), ("SESSION_UPDATE_AGE", "1")];
    let app = h.start_with(&settings).await;
    let ada = app.sign_up("ada@example.com").await;
    let before = app.session(&ada.token).await;
    let expired_before = timestamp(&before.data()["session"]["expiresAt"]);
    pause(1.6).await;

    let answer = app.get("/session").cookie(&ada.token).send().await;

    answer.assert_status(200);
    let expires_after = timestamp(&answer.data()["session"]["expiresAt"]);
    assert!(
        expires_after > expired_before,
        "{expires_after} is not after {expired_before}"
    );
    let cookie = answer.session_cookie().expect("a re-issued cookie");
    assert_eq!(cookie.value, ada.token);
    let max_age = cookie.max_age().expect("a Max-Age");
    assert!((28..=30).contains(&max_age), "Max-Age {max_age}");
}

/// A `rememberMe: false` session slides like any other, but its re-issued
/// cookie still has no `Max-Age`: it stays gone with the browser.
async fn a_browser_session_slides_without_gaining_a_max_age(h: Harness) {
    let settings = [("SESSION_MAX_AGE", "30"), ("SESSION_UPDATE_AGE", "1")];
    let app = h.start_with(&settings).await;
    app.sign_up("ada@example.com").await;
    let body = json!({ "email": "ada@example.com", "password": PASSWORD, "rememberMe": false });
    let signed_in = app.post("/sign-in").json(&body).send().await;
    let token = signed_in.token();
    let expired_before = timestamp(&signed_in.data()["session"]["expiresAt"]);
    pause(1.6).await;

    let answer = app.get("/session").cookie(&token).send().await;

    answer.assert_status(200);
    let expires_after = timestamp(&answer.data()["session"]["expiresAt"]);
    assert!(
        expires_after > expired_before,
        "{expires_after} is not after {expired_before}"
    );
    let cookie = answer.session_cookie().expect("a re-issued cookie");
    assert_eq!(cookie.value, token);
    assert_eq!(cookie.max_age(), None, "{cookie:?}");
}
