//! Access and refresh tokens: rotation, reuse detection, logout, expiry, and
//! every kind of forged or tampered token.

use std::time::Duration;

use flowhost_tests::auth::{
    claims_of, header_of, new_user, refresh, sign_hmac, sign_hs256, unix_now, unsigned_token, whoami_bearer,
    with_swapped_payload, Reply,
};
use flowhost_tests::jwks::RsaTestKey;
use flowhost_tests::{login, spawn_app, spawn_app_with, TestApp, JWT_SECRET, SUPERUSER, SUPERUSER_PASSWORD};
use jsonwebtoken::Algorithm;
use serde_json::{json, Value};

/// A fresh login of the superuser: a new session family.
async fn fresh_pair(app: &TestApp) -> (String, String) {
    let pair = login(&app.anonymous, &app.address, SUPERUSER, SUPERUSER_PASSWORD).await;
    (pair["access_token"].as_str().unwrap().to_owned(), pair["refresh_token"].as_str().unwrap().to_owned())
}

#[track_caller]
fn pair_of(reply: &Reply, what: &str) -> (String, String) {
    assert_eq!(reply.response.status, 200, "{what}: {}", reply.response.text);
    let body = &reply.response.body;
    assert_eq!(body["token_type"], "bearer", "{what}: {body}");
    (body["access_token"].as_str().unwrap().to_owned(), body["refresh_token"].as_str().unwrap().to_owned())
}

async fn refresh_by_cookie(app: &TestApp, token: &str) -> Reply {
    let request = app.anonymous.post(app.url("/api/v1/refresh")).header("cookie", format!("refresh_token_lf={token}"));
    Reply::read(request.send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_rotates_the_pair_and_a_reused_refresh_token_revokes_the_session() {
    let app = spawn_app().await;
    let (access0, refresh0) = fresh_pair(&app).await;

    let (access1, refresh1) = pair_of(&refresh(&app, &refresh0).await, "refresh by body");
    assert_ne!(refresh1, refresh0);
    assert_ne!(access1, access0);
    assert_eq!(claims_of(&access1)["fam"], claims_of(&access0)["fam"], "a refresh continues the session");
    assert_eq!(claims_of(&refresh1)["type"], "refresh");
    whoami_bearer(&app, &access1).await.response.expect(200);

    let (access2, refresh2) = pair_of(&refresh_by_cookie(&app, &refresh1).await, "refresh by cookie");
    whoami_bearer(&app, &access2).await.response.expect(200);

    // refresh0 was spent: presenting it again is theft or confusion.
    refresh(&app, &refresh0).await.expect_unauthorized("reused refresh token");
    // ... and the whole family is revoked, including the pair the legitimate client holds.
    refresh(&app, &refresh2).await.expect_unauthorized("newest refresh token of a revoked session");
    whoami_bearer(&app, &access2).await.expect_unauthorized("newest access token of a revoked session");
    whoami_bearer(&app, &access1).await.expect_unauthorized("older access token of a revoked session");
    whoami_bearer(&app, &access0).await.expect_unauthorized("first access token of a revoked session");

    // Other sessions of the same user are untouched.
    app.get("/api/v1/users/whoami").await.expect(200);
    let (access3, refresh3) = fresh_pair(&app).await;
    whoami_bearer(&app, &access3).await.response.expect(200);
    pair_of(&refresh(&app, &refresh3).await, "refresh of an unrelated session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_and_refresh_tokens_cannot_stand_in_for_each_other() {
    let app = spawn_app().await;
    let (access, refresh_token) = fresh_pair(&app).await;

    refresh(&app, &access).await.expect_unauthorized("access token sent as a refresh token");
    refresh_by_cookie(&app, &access).await.expect_unauthorized("access token in the refresh cookie");
    whoami_bearer(&app, &refresh_token).await.expect_unauthorized("refresh token used as a bearer token");
    refresh(&app, "not-a-token").await.expect_unauthorized("garbage refresh token");
    let request = app.anonymous.post(app.url("/api/v1/refresh"));
    Reply::read(request.send().await.unwrap()).await.expect_unauthorized("no refresh token at all");

    // The failed attempts spent nothing: the pair still works.
    whoami_bearer(&app, &access).await.response.expect(200);
    pair_of(&refresh(&app, &refresh_token).await, "refresh after the refused attempts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_the_access_token_and_its_refresh_tokens() {
    let app = spawn_app().await;
    let (access, refresh_token) = fresh_pair(&app).await;

    let request = app.anonymous.post(app.url("/api/v1/logout")).bearer_auth(&access);
    let reply = Reply::read(request.send().await.unwrap()).await;
    reply.response.expect(200);
    whoami_bearer(&app, &access).await.expect_unauthorized("access token after logout");
    refresh(&app, &refresh_token).await.expect_unauthorized("refresh token after logout");
    // A second logout with the same token is refused too.
    let request = app.anonymous.post(app.url("/api/v1/logout")).bearer_auth(&access);
    Reply::read(request.send().await.unwrap()).await.expect_unauthorized("logout with a revoked token");

    // A refreshed session: logging out with the newest access token ends it all.
    let (_, refresh_a) = fresh_pair(&app).await;
    let (access_b, refresh_b) = pair_of(&refresh(&app, &refresh_a).await, "refresh");
    let request = app.anonymous.post(app.url("/api/v1/logout")).bearer_auth(&access_b);
    Reply::read(request.send().await.unwrap()).await.response.expect(200);
    refresh(&app, &refresh_b).await.expect_unauthorized("refreshed refresh token after logout");
    whoami_bearer(&app, &access_b).await.expect_unauthorized("refreshed access token after logout");

    // The superuser's other session (the harness's) still works.
    app.get("/api/v1/users/whoami").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expire_after_their_configured_lifetime() {
    let app = spawn_app_with(|s| {
        s.auth.access_token_expire_seconds = 1;
        s.auth.refresh_token_expire_seconds = 1;
    })
    .await;
    let (access, refresh_token) = fresh_pair(&app).await;
    let claims = claims_of(&access);
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 1, "{claims}");
    whoami_bearer(&app, &access).await.response.expect(200);
    // Past the expiry and the 5 s leeway.
    tokio::time::sleep(Duration::from_millis(7_200)).await;
    whoami_bearer(&app, &access).await.expect_unauthorized("expired access token");
    refresh(&app, &refresh_token).await.expect_unauthorized("expired refresh token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_tampered_tokens_are_refused() {
    let app = spawn_app().await;
    let (access, _refresh) = fresh_pair(&app).await;
    let other = new_user(&app, "other-user").await;
    let real = claims_of(&access);
    assert_eq!(header_of(&access)["alg"], "HS256");
    let now = unix_now();

    let with = |changes: Value| {
        let mut claims = real.clone();
        for (key, value) in changes.as_object().unwrap() {
            if value.is_null() {
                claims.as_object_mut().unwrap().remove(key);
            } else {
                claims[key] = value.clone();
            }
        }
        claims
    };

    // Controls: re-signing the real claims (or another user's) with the secret is accepted,
    // so every refusal below is about the one thing each case changes.
    let resigned = sign_hs256(&real);
    let me = whoami_bearer(&app, &resigned).await.response.expect(200).clone();
    assert_eq!(me["username"], SUPERUSER, "{me}");
    let other_resigned = sign_hs256(&claims_of(other.access_token()));
    let them = whoami_bearer(&app, &other_resigned).await.response.expect(200).clone();
    assert_eq!(them["id"], other.id.as_str(), "{them}");

    let rsa = RsaTestKey::fixture(1, "forger");

    let cases: Vec<(&str, String)> = vec![
        ("expired an hour ago", sign_hs256(&with(json!({"iat": now - 7200, "exp": now - 3600})))),
        ("expired 30 s ago (beyond the 5 s leeway)", sign_hs256(&with(json!({"iat": now - 3600, "exp": now - 30})))),
        ("no exp", sign_hs256(&with(json!({"exp": null})))),
        ("signed with another secret", sign_hmac(&real, Algorithm::HS256, b"another-secret-another-secret-0123456789")),
        ("alg none, no signature", unsigned_token(&real)),
        ("alg none, the real signature", format!("{}{}", unsigned_token(&real), access.rsplit('.').next().unwrap())),
        ("HS384 with the right secret", sign_hmac(&real, Algorithm::HS384, JWT_SECRET.as_bytes())),
        ("HS512 with the right secret", sign_hmac(&real, Algorithm::HS512, JWT_SECRET.as_bytes())),
        ("RS256 with some RSA key", rsa.sign_as(&real, None)),
        ("RS256 with a kid", rsa.sign(&real)),
        ("type refresh", sign_hs256(&with(json!({"type": "refresh"})))),
        ("type missing", sign_hs256(&with(json!({"type": null})))),
        ("type admin", sign_hs256(&with(json!({"type": "admin"})))),
        ("wrong iss", sign_hs256(&with(json!({"iss": "langflow"})))),
        ("no iss", sign_hs256(&with(json!({"iss": null})))),
        ("nonexistent user", sign_hs256(&with(json!({"sub": uuid::Uuid::new_v4().to_string()})))),
        ("another user's id in the superuser's session", sign_hs256(&with(json!({"sub": other.id})))),
        ("unknown session family", sign_hs256(&with(json!({"fam": uuid::Uuid::new_v4().to_string()})))),
        ("no session family", sign_hs256(&with(json!({"fam": null})))),
        ("no jti", sign_hs256(&with(json!({"jti": null})))),
        ("sub changed, original signature", with_swapped_payload(&access, &with(json!({"sub": other.id})))),
        ("exp extended, original signature", with_swapped_payload(&access, &with(json!({"exp": now + 999_999})))),
        ("signature stripped", format!("{}.", access.rsplit_once('.').unwrap().0)),
        ("two dots", "..".into()),
        ("not base64", "a%b.c%d.e%f".into()),
    ];
    for (what, token) in &cases {
        whoami_bearer(&app, token).await.expect_unauthorized(what);
        // Same verdict when the token comes in the access cookie.
        let request = app.anonymous.get(app.url("/api/v1/flows/")).header("cookie", format!("access_token_lf={token}"));
        Reply::read(request.send().await.unwrap()).await.expect_unauthorized(&format!("{what} (cookie)"));
    }

    // None of that disturbed the real session.
    whoami_bearer(&app, &access).await.response.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_uses_of_one_refresh_token_let_one_win_and_revoke_the_session() {
    let app = spawn_app().await;
    for round in 0..5 {
        let (_, refresh_token) = fresh_pair(&app).await;
        let mut racers = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let request = app.anonymous.post(app.url("/api/v1/refresh")).json(&json!({ "refresh_token": refresh_token }));
            racers.spawn(async move { Reply::read(request.send().await.expect("request is sent")).await });
        }
        let mut winners = Vec::new();
        while let Some(reply) = racers.join_next().await {
            let reply = reply.expect("racer task");
            match reply.response.status {
                200 => winners.push(reply.response.body.clone()),
                401 => {
                    reply.expect_unauthorized("a losing concurrent refresh");
                }
                other => panic!("round {round}: a concurrent refresh answered {other}: {}", reply.response.text),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: one spend of one refresh token may win: {winners:?}");
        // The others were reuses, so the session is revoked: the winner's pair is dead too.
        let winner = &winners[0];
        refresh(&app, winner["refresh_token"].as_str().unwrap()).await.expect_unauthorized("the winner's refresh token");
        whoami_bearer(&app, winner["access_token"].as_str().unwrap()).await.expect_unauthorized("the winner's access token");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rs256_signing_with_configured_keys_pins_that_algorithm() {
    let fixtures = flowhost_tests::workspace_root().join("tests/fixtures");
    let app = spawn_app_with(|s| {
        s.auth.jwt_algorithm = flowhost::settings::JwtAlgorithm::Rs256;
        s.auth.jwt_private_key = Some(fixtures.join("jwt-rs256-private.pem"));
        s.auth.jwt_public_key = Some(fixtures.join("jwt-rs256-public.pem"));
    })
    .await;
    let (access, refresh_token) = fresh_pair(&app).await;
    assert_eq!(header_of(&access)["alg"], "RS256");
    assert_eq!(whoami_bearer(&app, &access).await.response.status, 200);
    pair_of(&refresh(&app, &refresh_token).await, "RS256 refresh");

    // The same claims signed with HS256 (even with the server's old secret) are refused.
    let forged = sign_hs256(&claims_of(&access));
    whoami_bearer(&app, &forged).await.expect_unauthorized("HS256 token on an RS256 server");
}
