//! `POST /sign-out`: the session is revoked server-side and the cookie
//! cleared, whoever calls and however often.

use crate::harness::Harness;

conformance!(
    sign_out_revokes_the_session_and_clears_the_cookie,
    sign_out_without_a_session_still_succeeds,
    sign_out_by_bearer_token_revokes_that_session,
);

/// Signing out by cookie answers 200, clears the cookie, and the token no
/// longer works anywhere.
async fn sign_out_revokes_the_session_and_clears_the_cookie(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let answer = app
        .post("/sign-out")
        .cookie(&ada.token)
        .origin(&app.origin)
        .send()
        .await;

    answer.assert_status(200);
    let cleared = answer
        .session_cookie()
        .expect("a cookie that clears the session");
    assert_eq!(cleared.value, "");
    assert_eq!(cleared.max_age(), Some(0));
    assert_eq!(cleared.get("Path"), Some("/"));
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.get("/session")
        .cookie(&ada.token)
        .send()
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// Signing out is idempotent: without a session, or with a revoked one, it
/// still answers 200 and clears the cookie.
async fn sign_out_without_a_session_still_succeeds(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    app.post("/sign-out")
        .bearer(&ada.token)
        .send()
        .await
        .assert_status(200);

    let nothing = app.post("/sign-out").send().await;
    let again = app.post("/sign-out").bearer(&ada.token).send().await;
    let unknown = app
        .post("/sign-out")
        .cookie("unknown")
        .origin(&app.origin)
        .send()
        .await;

    for answer in [nothing, again, unknown] {
        answer.assert_status(200);
        assert!(answer
            .session_cookie()
            .is_some_and(|c| c.max_age() == Some(0)));
    }
}

/// An app signs out with its bearer token; other sessions of the user live on.
async fn sign_out_by_bearer_token_revokes_that_session(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let laptop = app.sign_in_again(&ada, "laptop").await;

    app.post("/sign-out")
        .bearer(&laptop.token)
        .send()
        .await
        .assert_status(200);

    app.session(&laptop.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.session(&ada.token).await.assert_status(200);
}
