//! `POST /password-reset` and `/password-reset/confirm`: a mailed,
//! single-use, expiring link that sets a new password and signs out every
//! session — without ever revealing whether an account exists.

use reqwest::Method;
use serde_json::json;

use crate::harness::{is_base64url_token, pause, query_param, App, Harness, Mail, PASSWORD};

conformance!(
    reset_requests_for_known_and_unknown_emails_answer_identically,
    a_reset_mail_is_sent_only_for_a_known_email,
    the_reset_mail_has_text_and_html_parts_with_the_link,
    a_reset_link_sets_the_new_password_and_signs_out_every_session,
    a_reset_token_works_only_once,
    an_unknown_reset_token_is_invalid,
    using_one_reset_token_voids_the_others,
    an_expired_reset_token_is_invalid,
    a_refused_new_password_does_not_spend_the_token,
    opening_the_mailed_link_does_not_spend_the_token,
    a_redirect_to_an_untrusted_origin_is_refused,
    a_redirect_to_a_trusted_origin_travels_in_the_link,
    reset_input_is_validated,
);

const NEW_PASSWORD: &str = "a brand new passphrase";

/// Requests a reset for `email` and expects the one answer of the contract.
async fn request_reset(app: &App, email: &str) {
    let answer = app
        .post("/password-reset")
        .json(&json!({ "email": email }))
        .send()
        .await;
    answer.assert_status(200);
}

/// Spends `token` with `new_password`.
async fn confirm(app: &App, token: &str, new_password: &str) -> crate::harness::Answer {
    let body = json!({ "token": token, "newPassword": new_password });
    app.post("/password-reset/confirm").json(&body).send().await
}

/// The token of the reset link in `mail`, checked to point at the page.
fn reset_token(app: &App, mail: &Mail) -> String {
    let prefix = format!("{}/reset-password?token=", app.auth_url);
    let link = mail
        .link(&prefix)
        .unwrap_or_else(|| panic!("no {prefix}… link in {mail:?}"));
    let token = query_param(&link, "token").expect("a token parameter");
    assert!(
        is_base64url_token(&token),
        "token {token:?} is not 43 base64url characters"
    );
    token
}

/// A known and an unknown email get the same status and the same bytes.
async fn reset_requests_for_known_and_unknown_emails_answer_identically(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;

    let known = app
        .post("/password-reset")
        .json(&json!({ "email": "ada@example.com" }));
    let known = known.send().await;
    let unknown = app
        .post("/password-reset")
        .json(&json!({ "email": "eve@example.com" }));
    let unknown = unknown.send().await;

    known.assert_status(200);
    unknown.assert_status(200);
    assert_eq!(known.text, unknown.text);
    assert_eq!(known.data(), &json!({}));
}

/// Only the registered address receives a mail, and it goes to the canonical
/// form of the address.
async fn a_reset_mail_is_sent_only_for_a_known_email(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;

    request_reset(&app, "eve@example.com").await;
    request_reset(&app, "  ADA@example.com").await;

    let mails = app.wait_for_mails(1).await;
    pause(0.3).await;
    let mails_later = app.mails();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails_later.len(), 1, "a mail went to an unknown address");
    assert!(
        mails[0].to.contains("ada@example.com"),
        "to: {}",
        mails[0].to
    );
    assert!(!mails[0].to.contains("eve@"), "to: {}", mails[0].to);
}

/// The mail has a plain-text and an HTML part, both carrying the link to the
/// reset page, whose token is 256 random bits in base64url.
async fn the_reset_mail_has_text_and_html_parts_with_the_link(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;

    request_reset(&app, "ada@example.com").await;

    let mail = app.wait_for_mails(1).await.remove(0);
    let token = reset_token(&app, &mail);
    let html = mail.html.as_deref().expect("an HTML part");
    assert!(
        html.contains(&token),
        "the HTML part lacks the token: {html}"
    );
    assert!(html.contains("/reset-password?token="), "{html}");
    assert!(!mail.subject.is_empty());
}

/// Confirming with the mailed token answers 200; then the new password
/// works, the old one does not, and every earlier session is signed out.
async fn a_reset_link_sets_the_new_password_and_signs_out_every_session(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let phone = app.sign_in_again(&ada, "phone").await;
    request_reset(&app, "ada@example.com").await;
    let token = reset_token(&app, &app.wait_for_mails(1).await[0]);

    let answer = confirm(&app, &token, NEW_PASSWORD).await;

    answer.assert_status(200);
    assert_eq!(answer.data(), &json!({}));
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.session(&phone.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.sign_in("ada@example.com", PASSWORD)
        .await
        .assert_error(400, "INVALID_CREDENTIALS");
    app.sign_in("ada@example.com", NEW_PASSWORD)
        .await
        .assert_status(200);
}

/// A spent token is refused the second time, and the password stays the
/// one set the first time.
async fn a_reset_token_works_only_once(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    request_reset(&app, "ada@example.com").await;
    let token = reset_token(&app, &app.wait_for_mails(1).await[0]);
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(200);

    let again = confirm(&app, &token, "yet another passphrase").await;

    again.assert_error(400, "INVALID_TOKEN");
    app.sign_in("ada@example.com", NEW_PASSWORD)
        .await
        .assert_status(200);
}

/// Made-up, empty and over-long tokens are `INVALID_TOKEN`.
async fn an_unknown_reset_token_is_invalid(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;

    for token in ["A".repeat(43), String::new(), "x".repeat(300)] {
        confirm(&app, &token, NEW_PASSWORD)
            .await
            .assert_error(400, "INVALID_TOKEN");
    }
    app.sign_in("ada@example.com", PASSWORD)
        .await
        .assert_status(200);
}

/// Two requests mail two tokens; spending either voids the other.
async fn using_one_reset_token_voids_the_others(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    request_reset(&app, "ada@example.com").await;
    request_reset(&app, "ada@example.com").await;
    let mails = app.wait_for_mails(2).await;
    let first = reset_token(&app, &mails[0]);
    let second = reset_token(&app, &mails[1]);
    assert_ne!(first, second);

    confirm(&app, &first, NEW_PASSWORD).await.assert_status(200);

    confirm(&app, &second, "yet another passphrase")
        .await
        .assert_error(400, "INVALID_TOKEN");
    app.sign_in("ada@example.com", NEW_PASSWORD)
        .await
        .assert_status(200);
}

/// After `RESET_TOKEN_TTL` the token is refused and the password unchanged.
async fn an_expired_reset_token_is_invalid(h: Harness) {
    let app = h.start_with(&[("RESET_TOKEN_TTL", "1")]).await;
    app.sign_up("ada@example.com").await;
    request_reset(&app, "ada@example.com").await;
    let token = reset_token(&app, &app.wait_for_mails(1).await[0]);
    pause(2.0).await;

    let answer = confirm(&app, &token, NEW_PASSWORD).await;

    answer.assert_error(400, "INVALID_TOKEN");
    app.sign_in("ada@example.com", PASSWORD)
        .await
        .assert_status(200);
}

/// A new password that breaks the length rules is refused before the token
/// is looked at, so the link still works afterwards.
async fn a_refused_new_password_does_not_spend_the_token(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    request_reset(&app, "ada@example.com").await;
    let token = reset_token(&app, &app.wait_for_mails(1).await[0]);

    let short = confirm(&app, &token, "short").await;

    short.assert_error(422, "VALIDATION_ERROR");
    assert!(short.field("newPassword").is_some(), "{}", short.text);
    confirm(&app, &token, NEW_PASSWORD).await.assert_status(200);
}

/// Opening the link (`GET`, `HEAD`, as a mail scanner would) changes
/// nothing; only the `POST` spends the token.
async fn opening_the_mailed_link_does_not_spend_the_token(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;
    request_reset(&app, "ada@example.com").await;
    let mail = app.wait_for_mails(1).await.remove(0);
    let token = reset_token(&app, &mail);
    let link = format!("{}/reset-password?token={token}", app.origin);

    for method in [Method::GET, Method::HEAD, Method::GET] {
        app.browse(method, &link)
            .send()
            .await
            .expect("the page answers");
    }

    confirm(&app, &token, NEW_PASSWORD).await.assert_status(200);
}

/// `redirectTo` pointing at an origin outside `AUTH_URL` and
/// `TRUSTED_ORIGINS` is refused, and no mail is sent.
async fn a_redirect_to_an_untrusted_origin_is_refused(h: Harness) {
    let app = h.start().await;
    app.sign_up("ada@example.com").await;

    for target in [
        "https://evil.example/account",
        "//evil.example/x",
        "javascript:alert(1)",
    ] {
        let body = json!({ "email": "ada@example.com", "redirectTo": target });
        let answer = app.post("/password-reset").json(&body).send().await;
        answer.assert_error(422, "VALIDATION_ERROR");
        assert!(answer.field("redirectTo").is_some(), "{}", answer.text);
    }

    pause(0.3).await;
    assert!(
        app.mails().is_empty(),
        "a mail was sent for a refused request"
    );
}

/// A `redirectTo` on a trusted origin is accepted and carried by the link,
/// so that the reset page can send the user on.
async fn a_redirect_to_a_trusted_origin_travels_in_the_link(h: Harness) {
    let app = h
        .start_with(&[("TRUSTED_ORIGINS", "https://app.example.com")])
        .await;
    app.sign_up("ada@example.com").await;
    let target = "https://app.example.com/welcome";
    let body = json!({ "email": "ada@example.com", "redirectTo": target });

    app.post("/password-reset")
        .json(&body)
        .send()
        .await
        .assert_status(200);

    let mail = app.wait_for_mails(1).await.remove(0);
    reset_token(&app, &mail);
    let prefix = format!("{}/reset-password?", app.auth_url);
    let link = mail.link(&prefix).expect("a reset link");
    assert_eq!(
        query_param(&link, "redirectTo").as_deref(),
        Some(target),
        "{link}"
    );
}

/// A missing or malformed email, and a confirm without its fields, are
/// named validation errors.
async fn reset_input_is_validated(h: Harness) {
    let app = h.start().await;

    let missing = app.post("/password-reset").json(&json!({})).send().await;
    let malformed = app
        .post("/password-reset")
        .json(&json!({ "email": "nope" }))
        .send()
        .await;
    let empty_confirm = app
        .post("/password-reset/confirm")
        .json(&json!({}))
        .send()
        .await;

    for (answer, field) in [(&missing, "email"), (&malformed, "email")] {
        answer.assert_error(422, "VALIDATION_ERROR");
        assert!(answer.field(field).is_some(), "{}", answer.text);
    }
    empty_confirm.assert_error(422, "VALIDATION_ERROR");
    for field in ["token", "newPassword"] {
        assert!(
            empty_confirm.field(field).is_some(),
            "{field}: {}",
            empty_confirm.text
        );
    }
}
