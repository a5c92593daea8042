//! The providers whose implementation has not landed yet: the server starts
//! with them and answers in the contract's terms, `NOT_SUPPORTED`.
//!
//! When a provider lands, it leaves this list and joins the first arm of
//! `conformance!` in `main.rs`.

use reqwest::Method;
use serde_json::json;

use crate::harness::{Harness, PASSWORD};

conformance!(only [nextauth, clerk, authkit] {
    a_provider_not_built_yet_answers_not_supported,
    the_pages_hide_the_password_forms_the_provider_cannot_serve,
});

/// The server starts; sign-up and sign-in are 501 `NOT_SUPPORTED`,
/// `/capabilities` names the provider and offers nothing, and no token is
/// accepted.
async fn a_provider_not_built_yet_answers_not_supported(h: Harness) {
    let app = h.start().await;
    let credentials = json!({ "email": "ada@example.com", "password": PASSWORD, "name": "Ada" });

    let sign_up = app.post("/sign-up").json(&credentials).send().await;
    let sign_in = app.post("/sign-in").json(&credentials).send().await;
    let capabilities = app.get("/capabilities").send().await;

    sign_up.assert_error(501, "NOT_SUPPORTED");
    sign_in.assert_error(501, "NOT_SUPPORTED");
    capabilities.assert_status(200);
    assert_eq!(capabilities.data()["provider"], app.provider);
    assert_eq!(capabilities.data()["methods"]["emailPassword"], false);
    app.session("any-token")
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// `/capabilities` says no email and password, so the sign-in and sign-up
/// pages show a notice instead of forms that could only fail.
async fn the_pages_hide_the_password_forms_the_provider_cannot_serve(h: Harness) {
    let app = h.start().await;

    for page in ["/sign-in", "/sign-up"] {
        let html = app
            .browse(Method::GET, &format!("{}{page}", app.origin))
            .header("accept", "text/html")
            .send()
            .await
            .expect("the page answers")
            .text()
            .await
            .expect("a body");

        assert!(html.contains("is not available"), "{page} shows no notice");
        assert!(
            !html.contains(r#"name="password""#),
            "{page} still has a password field"
        );
    }
}
