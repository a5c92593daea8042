//! `GET`/`POST /organizations`: creating one makes the caller its owner;
//! each caller sees only their own.

use serde_json::json;

use crate::harness::{timestamp, Harness};

conformance!(
    creating_an_organization_makes_the_caller_its_owner,
    a_slug_is_generated_from_the_name,
    a_generated_slug_that_is_taken_gets_a_suffix,
    an_explicit_slug_that_is_taken_is_a_conflict,
    invalid_slugs_and_names_are_refused,
    each_caller_lists_only_their_own_organizations,
    organizations_need_a_session,
);

/// Creation answers 201 with the organization; the list then shows it with
/// the caller as `owner`.
async fn creating_an_organization_makes_the_caller_its_owner(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let body = json!({ "name": "Analytical Engines", "slug": "engines" });

    let answer = app
        .post("/organizations")
        .bearer(&ada.token)
        .json(&body)
        .send()
        .await;

    answer.assert_status(201);
    let organization = &answer.data()["organization"];
    let id = organization["id"].as_str().expect("an id");
    assert!(id.starts_with("org_"), "{id}");
    assert_eq!(organization["name"], "Analytical Engines");
    assert_eq!(organization["slug"], "engines");
    timestamp(&organization["createdAt"]);
    let list = app.get("/organizations").bearer(&ada.token).send().await;
    list.assert_status(200);
    let listed = list.data()["organizations"]
        .as_array()
        .expect("an organizations array");
    assert_eq!(listed.len(), 1, "{}", list.text);
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["name"], "Analytical Engines");
    assert_eq!(listed[0]["slug"], "engines");
    assert_eq!(listed[0]["role"], "owner");
    timestamp(&listed[0]["createdAt"]);
}

/// Without a slug, one is made from the name: lower case, words joined by
/// single hyphens.
async fn a_slug_is_generated_from_the_name(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;

    let body = json!({ "name": "  Acme, Inc.  " });
    let answer = app
        .post("/organizations")
        .bearer(&ada.token)
        .json(&body)
        .send()
        .await;

    answer.assert_status(201);
    assert_eq!(answer.data()["organization"]["slug"], "acme-inc");
    assert_eq!(answer.data()["organization"]["name"], "Acme, Inc.");
}

/// Two organizations with the same name both get created; the second one's
/// generated slug is made unique.
async fn a_generated_slug_that_is_taken_gets_a_suffix(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let body = json!({ "name": "Acme" });
    app.post("/organizations")
        .bearer(&ada.token)
        .json(&body)
        .send()
        .await
        .assert_status(201);

    let answer = app
        .post("/organizations")
        .bearer(&ada.token)
        .json(&body)
        .send()
        .await;

    answer.assert_status(201);
    let slug = answer.data()["organization"]["slug"].as_str().unwrap();
    assert!(
        slug.starts_with("acme-") && slug.len() > "acme-".len(),
        "slug {slug}"
    );
}

/// A slug asked for explicitly is never changed: if taken (by anyone), the
/// answer is 409 `CONFLICT` and nothing is created.
async fn an_explicit_slug_that_is_taken_is_a_conflict(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let eve = app.sign_up("eve@example.com").await;
    let body = json!({ "name": "Acme", "slug": "acme" });
    app.post("/organizations")
        .bearer(&ada.token)
        .json(&body)
        .send()
        .await
        .assert_status(201);

    let answer = app
        .post("/organizations")
        .bearer(&eve.token)
        .json(&body)
        .send()
        .await;

    answer.assert_error(409, "CONFLICT");
    let list = app.get("/organizations").bearer(&eve.token).send().await;
    assert_eq!(list.data()["organizations"], json!([]));
}

/// Slugs outside `[a-z0-9-]` (or with edge or double hyphens) and missing,
/// blank or mistyped names are named validation errors.
async fn invalid_slugs_and_names_are_refused(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let bodies = [
        (json!({ "name": "Acme", "slug": "Not A Slug" }), "slug"),
        (json!({ "name": "Acme", "slug": "-acme" }), "slug"),
        (json!({ "name": "Acme", "slug": "a" }), "slug"),
        (json!({ "name": "Acme", "slug": 42 }), "slug"),
        (json!({ "slug": "acme" }), "name"),
        (json!({ "name": "   " }), "name"),
        (json!({ "name": ["Acme"] }), "name"),
    ];

    for (body, field) in &bodies {
        let answer = app
            .post("/organizations")
            .bearer(&ada.token)
            .json(body)
            .send()
            .await;
        answer.assert_error(422, "VALIDATION_ERROR");
        assert!(
            answer.field(field).is_some(),
            "{field} not named for {body}: {}",
            answer.text
        );
    }

    let list = app.get("/organizations").bearer(&ada.token).send().await;
    assert_eq!(list.data()["organizations"], json!([]));
}

/// A caller never sees organizations they are not a member of.
async fn each_caller_lists_only_their_own_organizations(h: Harness) {
    let app = h.start().await;
    let ada = app.sign_up("ada@example.com").await;
    let eve = app.sign_up("eve@example.com").await;
    let mine = json!({ "name": "Ada's" , "slug": "adas" });
    let theirs = json!({ "name": "Eve's", "slug": "eves" });
    app.post("/organizations")
        .bearer(&ada.token)
        .json(&mine)
        .send()
        .await
        .assert_status(201);
    app.post("/organizations")
        .bearer(&eve.token)
        .json(&theirs)
        .send()
        .await
        .assert_status(201);

    let answer = app.get("/organizations").bearer(&ada.token).send().await;

    answer.assert_status(200);
    let listed = answer.data()["organizations"].as_array().unwrap();
    let slugs: Vec<_> = listed.iter().map(|o| o["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["adas"]);
}

/// Listing and creating need a live session.
async fn organizations_need_a_session(h: Harness) {
    let app = h.start().await;
    let body = json!({ "name": "Acme" });

    let list = app.get("/organizations").send().await;
    let create = app.post("/organizations").json(&body).send().await;
    let bad_token = app
        .post("/organizations")
        .bearer("garbage")
        .json(&body)
        .send()
        .await;

    for answer in [list, create, bad_token] {
        answer.assert_error(401, "UNAUTHORIZED");
    }
}
