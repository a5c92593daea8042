//! Cross-site requests: a state-changing request authenticated by the
//! cookie must come from a trusted origin; one authenticated by a bearer
//! token, or by nothing, needs none.

use serde_json::json;

use crate::harness::{Harness, PASSWORD};

conformance!(
    a_cookie_request_from_another_origin_is_forbidden_and_changes_nothing,
    a_cookie_request_with_a_null_origin_is_forbidden,
    a_cookie_request_without_origin_or_referer_is_forbidden,
    a_cookie_request_from_the_servers_own_origin_is_allowed,
    a_cookie_request_from_another_loopback_spelling_is_allowed,
    a_cookie_request_with_a_trusted_referer_is_allowed,
    a_cookie_request_from_a_configured_trusted_origin_is_allowed,
    a_cookie_request_proven_same_origin_by_the_browser_is_allowed,
    a_bearer_request_needs_no_origin,
    an_unauthenticated_request_needs_no_origin,
);

const EVIL: &str = "http://evil.example";

/// A cookie-borne sign-out from `http://evil.example` is 403 `FORBIDDEN`,
/// and the session lives on; the same for creating an organization.
async fn a_cookie_request_from_another_origin_is_forbidden_and_changes_nothing(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let body = json!({ "name": "Acme" });

    let sign_out = app
        .post("/sign-out")
        .cookie(&ada.token)
        .origin(EVIL)
        .send()
        .await;
    let create = app
        .post("/organizations")
        .cookie(&ada.token)
        .origin(EVIL)
        .json(&body);
    let create = create.send().await;
    let revoke = app
        .delete("/sessions")
        .cookie(&ada.token)
        .origin(EVIL)
        .send()
        .await;

    for answer in [&sign_out, &create, &revoke] {
        answer.assert_error(403, "FORBIDDEN");
    }
    assert!(
        sign_out.session_cookie().is_none(),
        "the cookie was cleared anyway"
    );
    app.session(&ada.token).await.assert_status(200);
    let list = app.get("/organizations").bearer(&ada.token).send().await;
    assert_eq!(list.data()["organizations"], json!([]));
}

/// `Origin: null` (sandboxed frames, some redirects) is never trusted.
async fn a_cookie_request_with_a_null_origin_is_forbidden(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let answer = app
        .post("/sign-out")
        .cookie(&ada.token)
        .origin("null")
        .send()
        .await;

    answer.assert_error(403, "FORBIDDEN");
    app.session(&ada.token).await.assert_status(200);
}

/// Without `Origin` or `Referer` the request cannot prove where it comes
/// from, so it is refused.
async fn a_cookie_request_without_origin_or_referer_is_forbidden(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let answer = app
        .post("/organizations")
        .cookie(&ada.token)
        .json(&json!({ "name": "A" }));
    let answer = answer.send().await;

    answer.assert_error(403, "FORBIDDEN");
}

/// The server's own origin (`AUTH_URL`) is trusted.
async fn a_cookie_request_from_the_servers_own_origin_is_allowed(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let body = json!({ "name": "Acme" });

    let create = app
        .post("/organizations")
        .cookie(&ada.token)
        .origin(&app.origin)
        .json(&body);
    let create = create.send().await;
    let sign_out = app
        .post("/sign-out")
        .cookie(&ada.token)
        .origin(&app.origin)
        .send()
        .await;

    create.assert_status(201);
    sign_out.assert_status(200);
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// A loopback `AUTH_URL` also trusts the other loopback spellings of the
/// same port (`localhost`, `127.0.0.1`).
async fn a_cookie_request_from_another_loopback_spelling_is_allowed(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let localhost = app.origin.replace("127.0.0.1", "localhost");

    let answer = app
        .post("/sign-out")
        .cookie(&ada.token)
        .origin(&localhost)
        .send()
        .await;

    answer.assert_status(200);
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// Without `Origin`, a `Referer` on a trusted origin is enough; one on
/// another origin is not.
async fn a_cookie_request_with_a_trusted_referer_is_allowed(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let evil_referer = format!("{EVIL}/page");
    let own_referer = format!("{}/account", app.origin);

    let refused = app
        .post("/sign-out")
        .cookie(&ada.token)
        .header("referer", &evil_referer)
        .send()
        .await;
    let allowed = app
        .post("/sign-out")
        .cookie(&ada.token)
        .header("referer", &own_referer)
        .send()
        .await;

    refused.assert_error(403, "FORBIDDEN");
    allowed.assert_status(200);
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// An origin listed in `TRUSTED_ORIGINS` is trusted like the server's own.
async fn a_cookie_request_from_a_configured_trusted_origin_is_allowed(h: Harness) {
    let app = h
        .start_with(&[("TRUSTED_ORIGINS", "https://app.example.com")])
        .await;
    let ada = app.sign_up("ada@example.com").await;

    let answer = app
        .post("/sign-out")
        .cookie(&ada.token)
        .origin("https://app.example.com")
        .send()
        .await;

    answer.assert_status(200);
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// Without `Origin` and `Referer`, the browser's own `Sec-Fetch-Site:
/// same-origin` (which pages cannot forge) is proof enough; `cross-site` is
/// not.
async fn a_cookie_request_proven_same_origin_by_the_browser_is_allowed(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let sign_out = |site| {
        app.post("/sign-out")
            .cookie(&ada.token)
            .header("sec-fetch-site", site)
    };

    let refused = sign_out("cross-site").send().await;
    let allowed = sign_out("same-origin").send().await;

    refused.assert_error(403, "FORBIDDEN");
    allowed.assert_status(200);
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// Apps that are not browsers (curl, servers) use the bearer token and send
/// no `Origin`.
async fn a_bearer_request_needs_no_origin(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let create = app
        .post("/organizations")
        .bearer(&ada.token)
        .json(&json!({ "name": "Acme" }));
    let create = create.send().await;
    let sign_out = app.post("/sign-out").bearer(&ada.token).send().await;

    create.assert_status(201);
    sign_out.assert_status(200);
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// A request that carries no session (sign-in, sign-up) is not checked for
/// its origin.
async fn an_unauthenticated_request_needs_no_origin(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    let body = json!({ "email": "ada@example.com", "password": PASSWORD });

    let answer = app.post("/sign-in").origin(EVIL).json(&body).send().await;

    answer.assert_status(200);
}
