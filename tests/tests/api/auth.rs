//! Logging in, brute-force lockout, which routes need credentials and how
//! credentials may be sent, the first superuser, and auto login.

use std::time::Duration;

use flowhost::Application;
use flowhost_tests::auth::{
    bare_settings, call_reply, claims_of, create_user, new_user, spawn_bare_app, try_login, unique_username, whoami_bearer,
    Reply,
};
use flowhost_tests::{http_client, spawn_app, spawn_app_with, TestApp, SUPERUSER, SUPERUSER_PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};

const BAD_CREDENTIALS: &str = "Incorrect username or password";

/// The `Set-Cookie` value that sets `name`, if any.
fn set_cookie<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

/// Asserts a login answer: exactly `{access_token, refresh_token, token_type: "bearer"}`
/// and the refresh token in an HttpOnly `refresh_token_lf` cookie. Returns the body.
#[track_caller]
fn assert_token_pair(reply: &Reply) -> Value {
    let body = reply.response.expect(200).clone();
    let mut keys: Vec<&str> = body.as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["access_token", "refresh_token", "token_type"], "{body}");
    assert_eq!(body["token_type"], "bearer", "{body}");
    let refresh = body["refresh_token"].as_str().unwrap();
    let cookie = set_cookie(reply, "refresh_token_lf").unwrap_or_else(|| panic!("no refresh_token_lf cookie: {:?}", reply.headers));
    let value = cookie.split(';').next().unwrap();
    assert_eq!(value, format!("refresh_token_lf={refresh}"), "cookie {cookie}");
    assert!(cookie.to_ascii_lowercase().contains("httponly"), "the refresh cookie is not HttpOnly: {cookie}");
    body
}

async fn form_login(app: &TestApp, username: &str, password: &str) -> Reply {
    let request = app.anonymous.post(app.url("/api/v1/login")).form(&[("username", username), ("password", password)]);
    Reply::read(request.send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_by_json_or_form_answers_a_token_pair_and_a_refresh_cookie() {
    let app = spawn_app().await;

    let reply = try_login(&app, SUPERUSER, SUPERUSER_PASSWORD).await;
    let pair = assert_token_pair(&reply);
    let access = pair["access_token"].as_str().unwrap();
    let refresh = pair["refresh_token"].as_str().unwrap();

    let me = whoami_bearer(&app, access).await.response.expect(200).clone();
    assert_eq!(me["username"], SUPERUSER, "{me}");
    assert_eq!(me["is_superuser"], true, "{me}");
    assert_eq!(me["role"], "superuser", "{me}");

    // The claims the issue specifies.
    let (a, r) = (claims_of(access), claims_of(refresh));
    assert_eq!(a["type"], "access", "{a}");
    assert_eq!(r["type"], "refresh", "{r}");
    for claims in [&a, &r] {
        assert_eq!(claims["sub"], me["id"], "{claims}");
        assert_eq!(claims["iss"], "flowhost", "{claims}");
        assert!(claims["jti"].is_string() && claims["fam"].is_string(), "{claims}");
        assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap(), "{claims}");
    }
    assert_eq!(a["fam"], r["fam"], "one login, one session family");
    assert_ne!(a["jti"], r["jti"]);

    // Langflow's OAuth2 form, with a password that needs URL encoding.
    let tricky = "p@ss w&rd=+%2B;é";
    let user = unique_username("former");
    create_user(&app, &user, tricky).await;
    let form = assert_token_pair(&form_login(&app, &user, tricky).await);
    let form_claims = claims_of(form["access_token"].as_str().unwrap());
    assert_ne!(form_claims["fam"], a["fam"], "every login starts its own session");
    let me = whoami_bearer(&app, form["access_token"].as_str().unwrap()).await.response.expect(200).clone();
    assert_eq!(me["username"], user.as_str(), "{me}");
    assert!(me["last_login_at"].is_string(), "last_login_at is set by a login: {me}");
    let wrong = form_login(&app, &user, "p@ss w&rd=+").await;
    assert_eq!(wrong.expect_unauthorized("form login, wrong password"), BAD_CREDENTIALS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_logins_are_indistinguishable_inactive_users_are_refused_and_five_failures_lock() {
    let app = spawn_app().await;

    let wrong_password = try_login(&app, SUPERUSER, "not-the-password").await;
    let unknown_user = try_login(&app, "nobody-at-all", "not-the-password").await;
    assert_eq!(wrong_password.expect_unauthorized("wrong password"), BAD_CREDENTIALS);
    assert_eq!(unknown_user.expect_unauthorized("unknown user"), BAD_CREDENTIALS);
    assert_eq!(wrong_password.response.text, unknown_user.response.text, "the two failures must not be told apart");

    let name = unique_username("sleeper");
    let password = "sleeper-password-1";
    let created = app
        .post_json("/api/v1/users/", &json!({"username": name, "password": password, "is_active": false}))
        .await
        .expect(201)
        .clone();
    assert_eq!(created["is_active"], false, "{created}");
    let inactive = try_login(&app, &name, password).await;
    assert_eq!(inactive.expect_unauthorized("inactive user"), "Inactive user");
    // A wrong password for an inactive user is just a wrong password.
    let inactive_wrong = try_login(&app, &name, "another-password").await;
    assert_eq!(inactive_wrong.expect_unauthorized("inactive user, wrong password"), BAD_CREDENTIALS);

    // Missing fields are a validation error, not a crash or a 401.
    let request = app.anonymous.post(app.url("/api/v1/login")).json(&json!({"username": SUPERUSER}));
    let missing = Reply::read(request.send().await.unwrap()).await;
    missing.response.expect_error(422, "VALIDATION_ERROR");

    // Five failures (the default) lock a username, even against the right password.
    let victim = new_user(&app, &unique_username("victim")).await;
    for attempt in 1..=5 {
        let reply = try_login(&app, &victim.username, "guessed-wrong").await;
        assert_eq!(reply.expect_unauthorized(&format!("failure {attempt}")), BAD_CREDENTIALS);
    }
    let locked = try_login(&app, &victim.username, &victim.password).await;
    locked.response.expect_error(429, "RATE_LIMITED");
    let retry_after: i64 = locked
        .header("retry-after")
        .unwrap_or_else(|| panic!("a 429 without Retry-After: {:?}", locked.headers))
        .parse()
        .expect("Retry-After is a number of seconds");
    assert!((1..=900).contains(&retry_after), "Retry-After {retry_after}");
    // Other users still log in (the address is not locked after five failures).
    let other = try_login(&app, SUPERUSER, SUPERUSER_PASSWORD).await;
    other.response.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_username_waits_for_the_lockout_even_with_the_right_password() {
    let app = spawn_app_with(|s| {
        s.auth.login_max_failures = 3;
        s.auth.login_window_seconds = 60;
        s.auth.login_lockout_seconds = 3;
    })
    .await;
    let victim = new_user(&app, &unique_username("victim")).await;
    let bystander = new_user(&app, &unique_username("bystander")).await;

    for attempt in 1..=3 {
        try_login(&app, &victim.username, "guessed-wrong").await.expect_unauthorized(&format!("failure {attempt}"));
    }
    let locked = try_login(&app, &victim.username, &victim.password).await;
    locked.response.expect_error(429, "RATE_LIMITED");
    let retry_after: i64 = locked.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=3).contains(&retry_after), "Retry-After {retry_after} with a 3 s lockout");
    // The lock is per username, whatever its case.
    try_login(&app, &victim.username.to_uppercase(), &victim.password).await.response.expect_error(429, "RATE_LIMITED");
    // The victim's existing session is not affected, nor is another user.
    let me = whoami_bearer(&app, victim.access_token()).await;
    me.response.expect(200);
    try_login(&app, &bystander.username, &bystander.password).await.response.expect(200);

    // Unknown usernames lock the same way (no hint whether a name exists).
    for _ in 1..=3 {
        try_login(&app, "ghost-user", "guessed-wrong").await.expect_unauthorized("unknown user");
    }
    try_login(&app, "ghost-user", "guessed-wrong").await.response.expect_error(429, "RATE_LIMITED");

    tokio::time::sleep(Duration::from_millis(3_500)).await;
    let after = try_login(&app, &victim.username, &victim.password).await;
    after.response.expect(200);
}

/// Every `/api/v1` route but login, refresh, auto_login and version.
fn protected_routes() -> Vec<(Method, String, Option<Value>)> {
    let id = uuid::Uuid::new_v4();
    let flow = json!({"name": "x", "data": {"nodes": [], "edges": []}});
    vec![
        (Method::GET, "/api/v1/flows/".into(), None),
        (Method::GET, "/api/v1/flows".into(), None),
        (Method::GET, "/api/v1/flows/?get_all=true".into(), None),
        (Method::POST, "/api/v1/flows/".into(), Some(flow.clone())),
        (Method::GET, format!("/api/v1/flows/{id}"), None),
        (Method::PUT, format!("/api/v1/flows/{id}"), Some(flow.clone())),
        (Method::PATCH, format!("/api/v1/flows/{id}"), Some(json!({"name": "y"}))),
        (Method::DELETE, format!("/api/v1/flows/{id}"), None),
        (Method::POST, format!("/api/v1/flows/{id}/duplicate"), None),
        (Method::POST, format!("/api/v1/flows/{id}/execute"), Some(json!({"input_value": "hi"}))),
        (Method::GET, format!("/api/v1/flows/{id}/runs"), None),
        (Method::GET, "/api/v1/components".into(), None),
        (Method::GET, "/api/v1/components/ChatInput".into(), None),
        (Method::GET, "/api/v1/users/".into(), None),
        (Method::POST, "/api/v1/users/".into(), Some(json!({"username": "intruder", "password": "intruder-password"}))),
        (Method::GET, "/api/v1/users/me".into(), None),
        (Method::GET, "/api/v1/users/whoami".into(), None),
        (Method::PUT, "/api/v1/users/me".into(), Some(json!({"profile_image": "x.png"}))),
        (Method::PATCH, format!("/api/v1/users/{id}"), Some(json!({"is_active": true}))),
        (Method::DELETE, format!("/api/v1/users/{id}"), None),
        (Method::GET, "/api/v1/api_key/".into(), None),
        (Method::POST, "/api/v1/api_key/".into(), Some(json!({"name": "k"}))),
        (Method::DELETE, format!("/api/v1/api_key/{id}"), None),
        (Method::POST, "/api/v1/logout".into(), None),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_route_needs_credentials_sent_one_of_four_ways_except_the_open_ones() {
    let app = spawn_app().await;
    let garbage = http_client(Some("not-a-jwt"));
    for (method, path, body) in protected_routes() {
        let what = format!("anonymous {method} {path}");
        call_reply(&app, &app.anonymous, method.clone(), &path, body.as_ref()).await.expect_unauthorized(&what);
        let what = format!("garbage token {method} {path}");
        call_reply(&app, &garbage, method.clone(), &path, body.as_ref()).await.expect_unauthorized(&what);
    }
    // No user was created by the anonymous POST /users (sign-up is off).
    let users = app.get("/api/v1/users/").await.expect(200).clone();
    assert_eq!(users["total_count"], 1, "{users}");

    for path in ["/health", "/health_check", "/openapi.json", "/api/v1/version"] {
        let reply = call_reply(&app, &app.anonymous, Method::GET, path, None).await;
        reply.response.expect(200);
    }
    // auto_login is off by default.
    let auto = call_reply(&app, &app.anonymous, Method::GET, "/api/v1/auto_login", None).await;
    auto.response.expect_error(403, "FORBIDDEN");

    // Credentials: a bearer token, the x-api-key header or query parameter, the access cookie.
    let user = new_user(&app, &unique_username("carrier")).await;
    let key = flowhost_tests::auth::call(&app, &user.client, Method::POST, "/api/v1/api_key/", Some(&json!({"name": "carrier key"})))
        .await
        .expect(200)["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let whoami = app.url("/api/v1/users/whoami");
    let flows = app.url("/api/v1/flows/");
    let anon = &app.anonymous;
    let requests: Vec<(&str, reqwest::RequestBuilder)> = vec![
        ("bearer", anon.get(&whoami).bearer_auth(user.access_token())),
        ("lower-case bearer scheme", anon.get(&whoami).header("authorization", format!("bearer {}", user.access_token()))),
        ("x-api-key header", anon.get(&whoami).header("x-api-key", &key)),
        ("x-api-key query", anon.get(format!("{whoami}?x-api-key={key}"))),
        ("x-api-key query beside other parameters", anon.get(format!("{flows}?page=1&x-api-key={key}&size=10"))),
        ("access_token_lf cookie", anon.get(&whoami).header("cookie", format!("theme=dark; access_token_lf={}", user.access_token()))),
    ];
    for (what, request) in requests {
        let response = app.send(request).await;
        let body = response.expect(200);
        if body.get("username").is_some() {
            assert_eq!(body["id"], user.id.as_str(), "{what}: {body}");
        } else {
            assert_eq!(body["total"], 0, "{what}: {body}");
        }
    }

    let bogus_key = format!("sk-{}", "0".repeat(64));
    let refused: Vec<(&str, reqwest::RequestBuilder)> = vec![
        ("unknown x-api-key header", anon.get(&whoami).header("x-api-key", &bogus_key)),
        ("unknown x-api-key query", anon.get(format!("{whoami}?x-api-key={bogus_key}"))),
        ("bad access_token_lf cookie", anon.get(&whoami).header("cookie", "access_token_lf=abc.def.ghi")),
        ("refresh token in the access cookie", anon.get(&whoami).header("cookie", format!("access_token_lf={}", user.refresh_token()))),
        ("the refresh cookie alone", anon.get(&whoami).header("cookie", format!("refresh_token_lf={}", user.refresh_token()))),
        ("empty bearer", anon.get(&whoami).header("authorization", "Bearer ")),
    ];
    for (what, request) in refused {
        Reply::read(request.send().await.unwrap()).await.expect_unauthorized(what);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_configured_password_the_superuser_gets_a_generated_one() {
    let app = spawn_bare_app(|s| {
        s.auth.superuser = "admin".into();
        s.auth.superuser_password = None;
        s.auth.secret_key = None;
        s.auth.login_max_failures = 100;
    })
    .await;
    let client = http_client(None);
    for guess in ["admin", "password", "langflow", "Langflow", "changeme", "admin123", "flowhost", "12345678", "superuser", ""] {
        let request = client.post(format!("{}/api/v1/login", app.address)).json(&json!({"username": "admin", "password": guess}));
        let reply = Reply::read(request.send().await.unwrap()).await;
        assert_eq!(reply.expect_unauthorized(&format!("guessed password {guess:?}")), BAD_CREDENTIALS);
    }
    // Without --secret-key a secret is generated into the data directory, owner-only.
    let secret = app.data_dir.path().join("secret_key");
    let meta = std::fs::metadata(&secret).unwrap_or_else(|e| panic!("{}: {e}", secret.display()));
    assert!(meta.len() >= 32, "secret of {} bytes", meta.len());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(meta.permissions().mode() & 0o777, 0o600, "secret_key permissions");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_login_hands_out_superuser_tokens_only_when_enabled_on_loopback() {
    let app = spawn_app_with(|s| s.auth.auto_login = true).await;
    let request = app.anonymous.get(app.url("/api/v1/auto_login"));
    let reply = Reply::read(request.send().await.unwrap()).await;
    let pair = assert_token_pair(&reply);
    let me = whoami_bearer(&app, pair["access_token"].as_str().unwrap()).await.response.expect(200).clone();
    assert_eq!(me["username"], SUPERUSER, "{me}");
    assert_eq!(me["role"], "superuser", "{me}");

    for host in ["0.0.0.0", "::", "192.0.2.10"] {
        let (data, plugins) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut settings = bare_settings(&data, &plugins);
        settings.host = host.into();
        settings.auth.auto_login = true;
        settings.auth.superuser_password = Some(SUPERUSER_PASSWORD.into());
        assert!(Application::build(settings).await.is_err(), "auto login on {host} must refuse to start");
    }
}
