//! Taking over a Better Auth database: its users keep their ids and their
//! passwords, and a legacy scrypt hash is replaced by argon2id on the first
//! sign-in.

use serde_json::json;

use crate::harness::{fetch_text, now, App, Harness};

conformance!(only [betterauth] {
    a_better_auth_scrypt_password_signs_in_and_is_rehashed_to_argon2id,
});

/// A password hashed by Better Auth (`salt:key`, scrypt N=16384 r=16 p=1).
const LEGACY_PASSWORD: &str = "correct horse battery staple";
const LEGACY_HASH: &str = "5f2d0c9a8b7e6d4c3b2a190817263544:15139cb8eaf365db3ef83ed381a653ae\
44c4c48c2ee0240d8cc8cad34d567f7ba44acd578e9e2cd1f02f240c478574b90619efcb420a4c1906c859463f953461";

/// The user id Better Auth gave the account (not one of ours).
const LEGACY_ID: &str = "kX3h9TQZpW2mB7vN4cR8sLyE";

const CREDENTIAL_SQL: &str = r#"SELECT "password" FROM "account"
    WHERE "userId" = $1 AND "providerId" = 'credential'"#;

/// The right password signs in (the id passes through unchanged), the wrong
/// one does not, and after the first sign-in the stored hash is argon2id and
/// still accepts the password.
async fn a_better_auth_scrypt_password_signs_in_and_is_rehashed_to_argon2id(h: Harness) {
    let app = h.start().await;
    insert_legacy_user(&app, "grace@example.com").await;
    app.sign_in("grace@example.com", "not the password")
        .await
        .assert_error(400, "INVALID_CREDENTIALS");

    let answer = app.sign_in("grace@example.com", LEGACY_PASSWORD).await;

    answer.assert_status(200);
    assert_eq!(answer.data()["user"]["id"], LEGACY_ID);
    assert_eq!(answer.data()["user"]["email"], "grace@example.com");
    let stored = fetch_text(&app.db, CREDENTIAL_SQL, LEGACY_ID)
        .await
        .expect("a credential");
    assert!(
        stored.starts_with("$argon2id$"),
        "stored hash is still {stored}"
    );
    let again = app.sign_in("grace@example.com", LEGACY_PASSWORD).await;
    again.assert_status(200);
    let session = app.session(&answer.token()).await;
    assert_eq!(session.data()["user"]["id"], LEGACY_ID);
    let body = json!({ "email": "grace@example.com", "password": "x".repeat(8), "name": "G" });
    app.post("/sign-up")
        .json(&body)
        .send()
        .await
        .assert_error(409, "EMAIL_EXISTS");
}

/// Writes a user and their credential account as Better Auth would.
async fn insert_legacy_user(app: &App, email: &str) {
    let created = now();
    let user = r#"INSERT INTO "user" ("id", "name", "email", "emailVerified", "createdAt",
        "updatedAt") VALUES ($1, $2, $3, $4, $5, $5)"#;
    let account = r#"INSERT INTO "account" ("id", "accountId", "providerId", "userId",
        "password", "issuer", "createdAt", "updatedAt")
        VALUES ($1, $2, 'credential', $2, $3, 'local:credential', $4, $4)"#;
    latchkey::on_db!(&app.db, pool => {
        sqlx::query(user)
            .bind(LEGACY_ID)
            .bind("Grace")
            .bind(email)
            .bind(false)
            .bind(created)
            .execute(pool)
            .await
            .expect("the legacy user is inserted");
        sqlx::query(account)
            .bind("legacyAccount01")
            .bind(LEGACY_ID)
            .bind(LEGACY_HASH)
            .bind(created)
            .execute(pool)
            .await
            .expect("the legacy credential is inserted");
    });
}
