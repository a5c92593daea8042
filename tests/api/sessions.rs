//! `GET /session` and `GET`/`DELETE /sessions`: who is calling, and every
//! session of theirs.

use reqwest::Method;

use crate::harness::{timestamp, App, Harness, Person, PASSWORD};

conformance!(
    session_is_found_by_cookie_and_by_bearer_token_without_its_token,
    session_is_unauthorized_without_a_token_or_with_a_foreign_one,
    sessions_are_listed_with_the_current_one_marked,
    revoking_another_session_by_id_signs_it_out,
    revoking_a_session_of_another_user_is_not_found_and_changes_nothing,
    revoking_without_an_id_signs_out_every_other_session,
    revoking_the_current_session_by_id_clears_the_cookie,
    the_cookie_name_follows_auth_cookie_prefix,
    session_list_and_revocation_need_a_session,
    sessions_survive_a_restart_of_the_server,
    forwarded_for_is_believed_only_from_a_trusted_proxy,
);

/// The session cookie and a bearer token both identify the caller; the
/// token itself is never echoed by `GET /session`.
async fn session_is_found_by_cookie_and_by_bearer_token_without_its_token(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let by_cookie = app.get("/session").cookie(&ada.token).send().await;
    let by_bearer = app.get("/session").bearer(&ada.token).send().await;

    for answer in [&by_cookie, &by_bearer] {
        answer.assert_status(200);
        assert_eq!(answer.data()["user"]["id"], ada.user_id.as_str());
        assert_eq!(answer.data()["user"]["email"], "ada@example.com");
        assert_eq!(answer.data()["session"]["id"], ada.session_id.as_str());
        timestamp(&answer.data()["session"]["expiresAt"]);
        assert!(
            answer.data()["session"].get("token").is_none(),
            "{}",
            answer.text
        );
        assert!(
            !answer.text.contains(&ada.token),
            "the token is echoed: {}",
            answer.text
        );
    }
}

/// No token, a malformed `Authorization`, an unknown token and an over-long
/// token are all 401.
async fn session_is_unauthorized_without_a_token_or_with_a_foreign_one(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let answers = [
        app.get("/session").send().await,
        app.get("/session").bearer("garbage").send().await,
        app.get("/session").cookie("garbage").send().await,
        app.get("/session").bearer(&"x".repeat(5000)).send().await,
        app.get("/session")
            .header("authorization", &format!("Basic {}", ada.token))
            .send()
            .await,
        app.get("/session").bearer(&ada.token[1..]).send().await,
    ];

    for answer in answers {
        answer.assert_error(401, "UNAUTHORIZED");
    }
}

/// The list holds every live session with its fields, and exactly the
/// calling one is `current`.
async fn sessions_are_listed_with_the_current_one_marked(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let phone = app.sign_in_again(&ada, "Phone/1.0").await;

    let answer = app.get("/sessions").bearer(&phone.token).send().await;

    answer.assert_status(200);
    let sessions = answer.data()["sessions"]
        .as_array()
        .expect("a sessions array");
    assert_eq!(sessions.len(), 2, "{}", answer.text);
    let current: Vec<_> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1, "{}", answer.text);
    assert_eq!(current[0]["id"], phone.session_id.as_str());
    assert_eq!(current[0]["userAgent"], "Phone/1.0");
    for session in sessions {
        assert_eq!(session["ipAddress"], "127.0.0.1");
        for field in ["createdAt", "expiresAt", "lastSeenAt"] {
            timestamp(&session[field]);
        }
        assert!(session.get("token").is_none(), "{}", answer.text);
    }
    let ids: Vec<_> = sessions.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&ada.session_id.as_str()), "{}", answer.text);
}

/// `DELETE /sessions?id=` revokes that session: its token is 401 at once.
async fn revoking_another_session_by_id_signs_it_out(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let phone = app.sign_in_again(&ada, "phone").await;
    let path = format!("/sessions?id={}", phone.session_id);

    let answer = app.delete(&path).bearer(&ada.token).send().await;

    answer.assert_status(200);
    assert_eq!(answer.data()["revoked"], 1);
    app.session(&phone.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.session(&ada.token).await.assert_status(200);
}

/// Another user's session is not found — its existence is not revealed —
/// and it keeps working; an unknown or empty id is refused as well.
async fn revoking_a_session_of_another_user_is_not_found_and_changes_nothing(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let eve = app.sign_up("eve@example.com").await;

    let foreign = format!("/sessions?id={}", ada.session_id);
    let answer = app.delete(&foreign).bearer(&eve.token).send().await;

    answer.assert_error(404, "NOT_FOUND");
    let unknown = app
        .delete("/sessions?id=ses_unknown")
        .bearer(&eve.token)
        .send()
        .await;
    assert_eq!(unknown.text, answer.text);
    let empty = app.delete("/sessions?id=").bearer(&eve.token).send().await;
    empty.assert_error(422, "VALIDATION_ERROR");
    app.session(&ada.token).await.assert_status(200);
}

/// Without an id every other session of the caller is revoked, the count is
/// returned, and the calling session survives; other users are untouched.
async fn revoking_without_an_id_signs_out_every_other_session(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let phone = app.sign_in_again(&ada, "phone").await;
    let laptop = app.sign_in_again(&ada, "laptop").await;
    let eve = app.sign_up("eve@example.com").await;

    let answer = app.delete("/sessions").bearer(&ada.token).send().await;

    answer.assert_status(200);
    assert_eq!(answer.data()["revoked"], 2);
    app.session(&phone.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.session(&laptop.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
    app.session(&ada.token).await.assert_status(200);
    app.session(&eve.token).await.assert_status(200);
    let list = app.get("/sessions").bearer(&ada.token).send().await;
    assert_eq!(list.data()["sessions"].as_array().map(Vec::len), Some(1));
}

/// A browser revoking its own session by id is signed out: the session is
/// gone and the cookie is cleared.
async fn revoking_the_current_session_by_id_clears_the_cookie(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let path = format!("/sessions?id={}", ada.session_id);

    let answer = app
        .delete(&path)
        .cookie(&ada.token)
        .origin(&app.origin)
        .send()
        .await;

    answer.assert_status(200);
    assert_eq!(answer.data()["revoked"], 1);
    assert_eq!(answer.session_cookie().and_then(|c| c.max_age()), Some(0));
    app.session(&ada.token)
        .await
        .assert_error(401, "UNAUTHORIZED");
}

/// `AUTH_COOKIE_PREFIX` names the cookie: it is set under the new name, read
/// under it, and the default name means nothing.
async fn the_cookie_name_follows_auth_cookie_prefix(h: Harness) {
    let app = h.start_with(&[("AUTH_COOKIE_PREFIX", "acme")]).await;
    let body = serde_json::json!({ "email": "ada@example.com", "password": PASSWORD, "name": "" });

    let answer = app.post("/sign-up").json(&body).send().await;

    answer.assert_status(201);
    let cookie = answer
        .set_cookie("acme.session_token")
        .expect("an acme.session_token cookie");
    assert!(
        answer.session_cookie().is_none(),
        "a cookie under the default name"
    );
    let by_new_name = app
        .get("/session")
        .header("cookie", &format!("acme.session_token={}", cookie.value));
    by_new_name.send().await.assert_status(200);
    let by_old_name = app.get("/session").cookie(&cookie.value).send().await;
    by_old_name.assert_error(401, "UNAUTHORIZED");
}

/// Listing and revoking sessions need a live session.
async fn session_list_and_revocation_need_a_session(h: Harness) {
    let app = h.start().await;

    let list = app.get("/sessions").send().await;
    let revoke = app.delete("/sessions").send().await;
    let revoke_one = app
        .call(Method::DELETE, "/sessions?id=ses_x")
        .bearer("nope")
        .send()
        .await;

    for answer in [list, revoke, revoke_one] {
        answer.assert_error(401, "UNAUTHORIZED");
    }
}

/// Sessions live in the database: a new server on the same database and
/// secret accepts the tokens the old one issued.
async fn sessions_survive_a_restart_of_the_server(h: Harness) {
    let first = h.start().await;
    let ada = first.sign_up("ada@example.com").await;
    drop(first);

    let second = h.start().await;

    let answer = second.session(&ada.token).await;
    answer.assert_status(200);
    assert_eq!(answer.data()["user"]["id"], ada.user_id.as_str());
}

/// `X-Forwarded-For` from an untrusted peer is ignored; behind a proxy
/// listed in `TRUST_PROXY` it names the client.
async fn forwarded_for_is_believed_only_from_a_trusted_proxy(h: Harness) {
    let direct = h.start().await;
    let ada = direct.sign_up("ada@example.com").await;
    let spoofed = sign_in_from(&direct, &ada, "203.0.113.9").await;
    drop(direct);
    let proxied = h.start_with(&[("TRUST_PROXY", "127.0.0.1")]).await;

    let forwarded = sign_in_from(&proxied, &ada, "203.0.113.9").await;

    let list = proxied
        .get("/sessions")
        .bearer(&forwarded.token)
        .send()
        .await;
    let sessions = list.data()["sessions"]
        .as_array()
        .expect("a sessions array");
    let ip_of = |id: &str| {
        sessions
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| &s["ipAddress"])
    };
    assert_eq!(
        ip_of(&spoofed.session_id).unwrap(),
        "127.0.0.1",
        "{}",
        list.text
    );
    assert_eq!(
        ip_of(&forwarded.session_id).unwrap(),
        "203.0.113.9",
        "{}",
        list.text
    );
}

/// Signs `person` in again with an `X-Forwarded-For` header.
async fn sign_in_from(app: &App, person: &Person, forwarded_for: &str) -> Person {
    app.sign_in_again_with(person, &[("x-forwarded-for", forwarded_for)])
        .await
}
