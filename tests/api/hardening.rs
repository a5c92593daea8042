//! Regressions from adversarial testing: races around password reset, and
//! input that once slipped past the checks.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use reqwest::Method;
use serde_json::json;

use crate::harness::{pause, query_param, App, Harness, PASSWORD};

conformance!(
    of_concurrent_resets_of_one_user_only_one_wins,
    a_sign_in_racing_a_reset_never_outlives_it,
    a_redirect_hiding_a_tab_is_refused,
    a_session_id_that_cannot_be_an_id_is_not_found,
    unknown_keys_on_session_revocation_are_refused_and_revoke_nothing,
    one_mailbox_under_two_domain_spellings_is_one_account,
    answers_forbid_framing_and_referrers,
    page_server_functions_answer_bad_input_without_a_500,
);

const NEW_PASSWORD: &str = "a brand new passphrase";

/// Requests `n` resets for `email` and returns their tokens.
async fn reset_tokens(app: &App, email: &str, n: usize) -> Vec<String> {
    for _ in 0..n {
        let body = json!({ "email": email });
        app.post("/password-reset")
            .json(&body)
            .send()
            .await
            .assert_status(200);
    }
    let prefix = format!("{}/reset-password?token=", app.auth_url);
    app.wait_for_mails(n)
        .await
        .iter()
        .map(|m| query_param(&m.link(&prefix).expect("a reset link"), "token").expect("a token"))
        .collect()
}

/// Four reset tokens of one user confirmed at the same moment: exactly one
/// succeeds, since a successful reset voids the user's other tokens.
async fn of_concurrent_resets_of_one_user_only_one_wins(h: Harness) {
    let app = h.start().await;
    let person = app.sign_up("race@example.com").await;
    let tokens = reset_tokens(&app, &person.email, 4).await;

    let confirm = |token: String| {
        let body = json!({ "token": token, "newPassword": NEW_PASSWORD });
        app.post("/password-reset/confirm").json(&body).send()
    };
    let [a, b, c, d] = <[String; 4]>::try_from(tokens).expect("four tokens");
    let answers = tokio::join!(confirm(a), confirm(b), confirm(c), confirm(d));
    let answers = [answers.0, answers.1, answers.2, answers.3];

    let won = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(won, 1, "exactly one reset may win");
    for lost in answers.iter().filter(|a| a.status != 200) {
        lost.assert_error(400, "INVALID_TOKEN");
    }
}

/// Sign-ins with the old password keep coming while the reset completes;
/// once it has, no session they obtained is alive.
async fn a_sign_in_racing_a_reset_never_outlives_it(h: Harness) {
    let app = h.start().await;
    let person = app.sign_up("racer@example.com").await;
    let token = reset_tokens(&app, &person.email, 1).await.remove(0);
    let done = AtomicBool::new(false);
    let obtained = Mutex::new(Vec::new());

    let attacker = || async {
        while !done.load(Ordering::SeqCst) {
            let answer = app.sign_in(&person.email, PASSWORD).await;
            if answer.status == 200 {
                obtained.lock().unwrap().push(answer.token());
            }
        }
    };
    let reset = async {
        pause(0.3).await;
        let body = json!({ "token": token, "newPassword": NEW_PASSWORD });
        app.post("/password-reset/confirm")
            .json(&body)
            .send()
            .await
            .assert_status(200);
        pause(0.3).await;
        done.store(true, Ordering::SeqCst);
    };
    tokio::join!(attacker(), attacker(), reset);

    let obtained = obtained.into_inner().unwrap();
    assert!(!obtained.is_empty(), "the race never ran");
    for token in &obtained {
        app.session(token).await.assert_error(401, "UNAUTHORIZED");
    }
    app.sign_in(&person.email, PASSWORD)
        .await
        .assert_error(400, "INVALID_CREDENTIALS");
}

/// Browsers drop a tab inside a URL, so `/\t/evil.example` would be
/// `//evil.example`: refused as a redirect target.
async fn a_redirect_hiding_a_tab_is_refused(h: Harness) {
    let app = h.start().await;
    app.sign_up("tab@example.com").await;

    let body = json!({ "email": "tab@example.com", "redirectTo": "/\t/evil.example" });
    let answer = app.post("/password-reset").json(&body).send().await;

    answer.assert_error(422, "VALIDATION_ERROR");
    assert!(answer.field("redirectTo").is_some());
}

/// A NUL byte in a session id once reached PostgreSQL and came back as a 500.
async fn a_session_id_that_cannot_be_an_id_is_not_found(h: Harness) {
    let app = h.start().await;
    let person = app.sign_up("nul@example.com").await;

    for id in ["%00", "a%00b", "ses_%0A", &"x".repeat(300)] {
        let answer = app
            .delete(&format!("/sessions?id={id}"))
            .bearer(&person.token)
            .send()
            .await;
        answer.assert_error(404, "NOT_FOUND");
    }
    app.session(&person.token).await.assert_status(200);
}

/// `?id[]=…` (how some clients encode arrays) must not fall into the
/// "revoke every other session" branch.
async fn unknown_keys_on_session_revocation_are_refused_and_revoke_nothing(h: Harness) {
    let app = h.start().await;
    let person = app.sign_up("keys@example.com").await;
    let other = app.sign_in_again(&person, "other-browser").await;

    for query in ["id[]=x", "ID=x", "sessionId=x"] {
        let answer = app
            .delete(&format!("/sessions?{query}"))
            .bearer(&person.token)
            .send()
            .await;
        answer.assert_error(422, "VALIDATION_ERROR");
    }

    app.session(&other.token).await.assert_status(200);
}

/// `bücher.example` and `xn--bcher-kva.example` are one domain.
async fn one_mailbox_under_two_domain_spellings_is_one_account(h: Harness) {
    let app = h.start().await;
    let person = app.sign_up("eve@bücher.example").await;

    let body = json!({ "email": "eve@xn--bcher-kva.example", "password": PASSWORD, "name": "" });
    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_error(409, "EMAIL_EXISTS");
    let signed_in = app.sign_in("EVE@xn--bcher-kva.example", PASSWORD).await;
    signed_in.assert_status(200);
    assert_eq!(signed_in.data()["user"]["id"], person.user_id.as_str());
}

/// Reset links carry their token in the page URL: no answer may hand it on
/// as a Referer, and no page may be framed.
async fn answers_forbid_framing_and_referrers(h: Harness) {
    let app = h.start().await;

    let api = app.get("/capabilities").send().await;
    let page = app
        .browse(
            Method::GET,
            &format!("{}/reset-password?token=x", app.origin),
        )
        .send()
        .await
        .expect("the page answers");

    assert_eq!(api.header("referrer-policy"), Some("same-origin"));
    for name in [
        "referrer-policy",
        "x-frame-options",
        "x-content-type-options",
    ] {
        assert!(page.headers().get(name).is_some(), "page lacks {name}");
    }
    assert_eq!(page.headers()["x-frame-options"], "DENY");
}

/// The pages' server functions, called as a hydrated page calls them, answer
/// a signed-out caller 401, a malformed form 422 and an oversized one 413.
async fn page_server_functions_answer_bad_input_without_a_500(h: Harness) {
    let app = h.start().await;
    let post = |path: &str, body: String| {
        app.browse(Method::POST, &format!("{}/_app/{path}", app.origin))
            .header("origin", app.origin.as_str())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };

    let signed_out = post("create-organization", "name=x".into()).await.unwrap();
    let incomplete = post("sign-in", "email=a%40example.com".into())
        .await
        .unwrap();
    let unknown_key = post("revoke-session", "x=1".into()).await.unwrap();
    let oversized = post("sign-in", "a".repeat(200 * 1024)).await.unwrap();

    assert_eq!(signed_out.status(), 401);
    assert_eq!(incomplete.status(), 422);
    assert_eq!(unknown_key.status(), 422);
    assert_eq!(oversized.status(), 413);
}
