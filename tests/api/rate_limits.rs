//! Rate limits (`RATE_LIMIT=on`, the default): too many attempts are 429
//! `RATE_LIMITED` with `Retry-After`, yet a person can always ask for a few
//! reset mails.

use serde_json::json;

use crate::harness::{Harness, PASSWORD};

conformance!(
    repeated_sign_ins_on_one_account_are_rate_limited,
    sign_ins_across_many_accounts_from_one_network_are_rate_limited,
    three_reset_mails_per_address_are_always_allowed,
    rate_limit_off_limits_nothing,
);

/// Guessing one account's password over and over ends in 429 with a
/// `Retry-After` in seconds; while limited, even the right password waits.
async fn repeated_sign_ins_on_one_account_are_rate_limited(h: Harness) {
    let app = h.start_with(&[("RATE_LIMIT", "on")]).await;
    app.sign_up("ada@example.com").await;

    let mut limited = None;
    for _ in 0..40 {
        let answer = app.sign_in("ada@example.com", "a wrong guess").await;
        if answer.status == 429 {
            limited = Some(answer);
            break;
        }
        answer.assert_error(400, "INVALID_CREDENTIALS");
    }

    let limited = limited.expect("no 429 after 40 wrong passwords");
    limited.assert_error(429, "RATE_LIMITED");
    let retry_after: u64 = limited
        .header("retry-after")
        .expect("a Retry-After")
        .parse()
        .unwrap();
    assert!(retry_after >= 1, "Retry-After {retry_after}");
    app.sign_in("ada@example.com", PASSWORD)
        .await
        .assert_error(429, "RATE_LIMITED");
}

/// Trying many accounts from one address (credential stuffing) ends in 429,
/// though no single account was tried twice.
async fn sign_ins_across_many_accounts_from_one_network_are_rate_limited(h: Harness) {
    let app = h.start_with(&[("RATE_LIMIT", "on")]).await;

    let mut statuses = Vec::new();
    for i in 0..60 {
        let answer = app
            .sign_in(&format!("user{i}@example.com"), "a wrong guess")
            .await;
        statuses.push(answer.status);
        if answer.status == 429 {
            answer.assert_error(429, "RATE_LIMITED");
            assert!(answer.header("retry-after").is_some());
            break;
        }
        answer.assert_error(400, "INVALID_CREDENTIALS");
    }

    assert_eq!(
        statuses.last(),
        Some(&429),
        "no 429 after {} accounts",
        statuses.len()
    );
}

/// Three reset requests for one address within minutes all send their mail.
async fn three_reset_mails_per_address_are_always_allowed(h: Harness) {
    let app = h.start_with(&[("RATE_LIMIT", "on")]).await;
    app.sign_up("ada@example.com").await;

    for _ in 0..3 {
        let body = json!({ "email": "ada@example.com" });
        app.post("/password-reset")
            .json(&body)
            .send()
            .await
            .assert_status(200);
    }

    assert_eq!(app.wait_for_mails(3).await.len(), 3);
}

/// `RATE_LIMIT=off` (the suite's default, for load tests) never answers 429.
async fn rate_limit_off_limits_nothing(h: Harness) {
    let app = h.start_with(&[("RATE_LIMIT", "off")]).await;
    app.sign_up("ada@example.com").await;

    for _ in 0..15 {
        let answer = app.sign_in("ada@example.com", "a wrong guess").await;
        answer.assert_error(400, "INVALID_CREDENTIALS");
    }

    app.sign_in("ada@example.com", PASSWORD)
        .await
        .assert_status(200);
}
