//! Bearer tokens from an external OpenID Connect provider, verified against
//! its JWKS: provisioning on first sight, refusals, and key rotation.

use std::time::{Duration, Instant};

use flowhost_tests::auth::{sign_hs256, try_login, unix_now, unsigned_token, whoami_bearer};
use flowhost_tests::jwks::{JwksServer, RsaTestKey, OIDC_AUDIENCE};
use flowhost_tests::{spawn_app_with, TestApp, JWT_SECRET, SUPERUSER};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

async fn spawn_oidc_app(jwks: &JwksServer) -> TestApp {
    let (issuer, url) = (jwks.issuer.clone(), jwks.url.clone());
    spawn_app_with(move |s| {
        s.auth.oidc_issuer = Some(issuer);
        s.auth.oidc_audience = Some(OIDC_AUDIENCE.into());
        s.auth.oidc_jwks_url = Some(url);
    })
    .await
}

async fn users_named(app: &TestApp) -> Vec<Value> {
    app.get("/api/v1/users/?limit=1000").await.expect(200)["users"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_provider_token_provisions_a_user_once() {
    let key1 = RsaTestKey::fixture(1, "key-one");
    let key2 = RsaTestKey::fixture(2, "key-two");
    let jwks = JwksServer::start(vec![key1.jwk(), key2.jwk()]).await;
    let app = spawn_oidc_app(&jwks).await;

    let carol = key1.sign(&jwks.claims("sub-carol", "carol"));
    let first = whoami_bearer(&app, &carol).await.response.expect(200).clone();
    assert_eq!(first["username"], "carol", "{first}");
    assert_eq!(first["role"], "user", "{first}");
    assert_eq!(first["is_superuser"], false, "{first}");
    assert_eq!(first["is_active"], true, "{first}");
    let again = whoami_bearer(&app, &carol).await.response.expect(200).clone();
    assert_eq!(again["id"], first["id"], "same token, same user");
    let mut later = jwks.claims("sub-carol", "carol");
    later["iat"] = json!(unix_now() - 10);
    let later = whoami_bearer(&app, &key1.sign(&later)).await.response.expect(200).clone();
    assert_eq!(later["id"], first["id"], "same sub, same user");

    // The second published key works too.
    let dave = whoami_bearer(&app, &key2.sign(&jwks.claims("sub-dave", "dave"))).await.response.expect(200).clone();
    assert_eq!(dave["username"], "dave", "{dave}");
    assert_ne!(dave["id"], first["id"]);

    // An audience list that includes ours is fine.
    let mut listed_aud = jwks.claims("sub-dave", "dave");
    listed_aud["aud"] = json!(["another-api", OIDC_AUDIENCE]);
    let dave_again = whoami_bearer(&app, &key1.sign(&listed_aud)).await.response.expect(200).clone();
    assert_eq!(dave_again["id"], dave["id"]);

    // Provisioned users are real users: listed for the superuser.
    let users = users_named(&app).await;
    assert!(users.iter().any(|u| u["id"] == first["id"] && u["username"] == "carol"), "{users:?}");
    assert!(users.iter().any(|u| u["id"] == dave["id"]), "{users:?}");

    // A provider user called "admin" is not the local superuser.
    let me = app.get("/api/v1/users/me").await.expect(200).clone();
    let fake = whoami_bearer(&app, &key1.sign(&jwks.claims("sub-mallory", SUPERUSER))).await.response.expect(200).clone();
    assert_ne!(fake["id"], me["id"], "{fake}");
    assert_ne!(fake["username"], SUPERUSER, "{fake}");
    assert_eq!(fake["role"], "user", "{fake}");
    let listed = whoami_bearer(&app, &key1.sign(&jwks.claims("sub-mallory", SUPERUSER))).await.response.expect(200).clone();
    assert_eq!(listed["id"], fake["id"]);

    // A provisioned user has no password to log in with.
    try_login(&app, "carol", "").await.expect_unauthorized("password login of a provider user");
    try_login(&app, "carol", "carol-password").await.expect_unauthorized("password login of a provider user");

    // Local tokens keep working beside the provider's.
    app.get("/api/v1/users/whoami").await.expect(200);

    // Many first requests of a new identity at once: one user, one key fetch.
    let fetches = jwks.fetches();
    let gina = key2.sign(&jwks.claims("sub-gina", "gina"));
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = app.anonymous.get(app.url("/api/v1/users/whoami")).bearer_auth(&gina);
        racers.spawn(async move { flowhost_tests::auth::Reply::read(request.send().await.expect("request is sent")).await });
    }
    let mut ids = Vec::new();
    while let Some(reply) = racers.join_next().await {
        let reply = reply.expect("racer task");
        ids.push(reply.response.expect(200)["id"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one identity, one user: {ids:?}");
    let named_gina = users_named(&app).await.into_iter().filter(|u| u["username"].as_str().is_some_and(|n| n.starts_with("gina"))).count();
    assert_eq!(named_gina, 1, "one provisioned user for sub-gina");
    assert_eq!(jwks.fetches(), fetches, "known keys are not fetched again");

    // A deactivated provider user is refused, token or not.
    let id = first["id"].as_str().unwrap();
    app.send(app.client.patch(app.url(&format!("/api/v1/users/{id}"))).json(&json!({"is_active": false}))).await.expect(200);
    whoami_bearer(&app, &carol).await.expect_unauthorized("a deactivated provider user");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provider_tokens_with_anything_wrong_are_refused() {
    let key1 = RsaTestKey::fixture(1, "key-one");
    let key2 = RsaTestKey::fixture(2, "key-two");
    let jwks = JwksServer::start(vec![key1.jwk()]).await;
    let app = spawn_oidc_app(&jwks).await;
    let good = jwks.claims("sub-erin", "erin");
    // Control: the unaltered claims are accepted.
    whoami_bearer(&app, &key1.sign(&good)).await.response.expect(200);
    let users_before = users_named(&app).await.len();

    let with = |changes: Value| {
        let mut claims = good.clone();
        for (k, v) in changes.as_object().unwrap() {
            if v.is_null() {
                claims.as_object_mut().unwrap().remove(k);
            } else {
                claims[k] = v.clone();
            }
        }
        claims
    };
    let now = unix_now();
    let hs256_kid = {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(key1.kid.clone());
        jsonwebtoken::encode(&header, &with(json!({"sub": "sub-hmac"})), &EncodingKey::from_secret(JWT_SECRET.as_bytes()).unwrap()).unwrap()
    };
    let mut none_with_kid = unsigned_token(&with(json!({"sub": "sub-none"})));
    {
        // Put a kid into the unsigned header.
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use base64::Engine as _;
        let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"alg":"none","typ":"JWT","kid":"{}"}}"#, key1.kid));
        let rest = none_with_kid.split_once('.').unwrap().1.to_owned();
        none_with_kid = format!("{header}.{rest}");
    }
    let cases: Vec<(&str, String)> = vec![
        ("wrong audience", key1.sign(&with(json!({"aud": "someone-else"})))),
        ("no audience", key1.sign(&with(json!({"aud": null, "sub": "sub-noaud"})))),
        ("wrong issuer", key1.sign(&with(json!({"iss": "http://evil.example", "sub": "sub-eviliss"})))),
        ("expired an hour ago", key1.sign(&with(json!({"iat": now - 7200, "exp": now - 3600, "sub": "sub-expired"})))),
        ("no exp", key1.sign(&with(json!({"exp": null, "sub": "sub-noexp"})))),
        ("no sub", key1.sign(&with(json!({"sub": null})))),
        ("unknown kid", key1.sign_as(&with(json!({"sub": "sub-unknown-kid"})), Some("no-such-kid"))),
        ("signed by an unpublished key under a published kid", key2.sign_as(&with(json!({"sub": "sub-forged"})), Some(&key1.kid))),
        ("HS256 with the local secret and a provider kid", hs256_kid),
        ("alg none with a provider kid", none_with_kid),
        ("altered payload, original signature", {
            let token = key1.sign(&with(json!({"sub": "sub-alter"})));
            flowhost_tests::auth::with_swapped_payload(&token, &with(json!({"sub": "sub-altered"})))
        }),
    ];
    for (what, token) in &cases {
        whoami_bearer(&app, token).await.expect_unauthorized(what);
    }
    assert_eq!(users_named(&app).await.len(), users_before, "a refused token provisioned a user");

    // Without a kid, a token is judged as a local one: the provider key does not make it valid.
    whoami_bearer(&app, &key1.sign_as(&good, None)).await.expect_unauthorized("provider-signed token without kid");
    // Local tokens forged with the right secret still work (no kid): the OIDC path does not change them.
    let local = flowhost_tests::auth::claims_of(app.tokens["access_token"].as_str().unwrap());
    whoami_bearer(&app, &sign_hs256(&local)).await.response.expect(200);
}

/// RFC 7519 §4.1.5: a JWT "MUST NOT be accepted for processing" before its `nbf`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_token_is_refused_before_its_not_before_time() {
    let key = RsaTestKey::fixture(1, "key-one");
    let jwks = JwksServer::start(vec![key.jwk()]).await;
    let app = spawn_oidc_app(&jwks).await;
    let mut early = jwks.claims("sub-early", "early");
    early["nbf"] = json!(unix_now() + 3600);
    whoami_bearer(&app, &key.sign(&early)).await.expect_unauthorized("a token not valid for another hour");
    let users = users_named(&app).await;
    assert!(!users.iter().any(|u| u["username"] == "early"), "a not-yet-valid token provisioned a user: {users:?}");
    // Control: the same claims with nbf now are accepted.
    early["nbf"] = json!(unix_now());
    whoami_bearer(&app, &key.sign(&early)).await.response.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rotated_in_key_is_picked_up_without_a_restart() {
    let old = RsaTestKey::fixture(1, "2024-key");
    let new = RsaTestKey::fixture(2, "2025-key");
    let jwks = JwksServer::start(vec![old.jwk()]).await;
    let app = spawn_oidc_app(&jwks).await;

    let frank = whoami_bearer(&app, &old.sign(&jwks.claims("sub-frank", "frank"))).await.response.expect(200).clone();
    let first_fetch = Instant::now();
    assert_eq!(jwks.fetches(), 1, "the keys are fetched on first use");
    let rotated = new.sign(&jwks.claims("sub-frank", "frank"));
    whoami_bearer(&app, &rotated).await.expect_unauthorized("a kid the provider has not published");

    // The provider publishes the new key. A burst of unknown kids must not turn
    // into a burst of requests to the provider.
    jwks.add_key(new.jwk());
    for n in 0..10 {
        let bogus = old.sign_as(&jwks.claims("sub-frank", "frank"), Some(&format!("bogus-{n}")));
        let _ = whoami_bearer(&app, &bogus).await;
    }
    assert!(jwks.fetches() <= 2, "{} JWKS fetches for a burst of unknown kids", jwks.fetches());

    // After the refetch interval (5 s), the new key is found, same server.
    let wait = Duration::from_millis(5_500).saturating_sub(first_fetch.elapsed());
    tokio::time::sleep(wait).await;
    let rotated = new.sign(&jwks.claims("sub-frank", "frank"));
    let after = whoami_bearer(&app, &rotated).await.response.expect(200).clone();
    assert_eq!(after["id"], frank["id"], "same identity, new key");
    // The old key is still published, so its tokens still work.
    whoami_bearer(&app, &old.sign(&jwks.claims("sub-frank", "frank"))).await.response.expect(200);
}
