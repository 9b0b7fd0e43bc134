//! No password, hash, token, API key or signing secret ever reaches the logs.
//!
//! Every server of this test process logs into one in-memory buffer at
//! `debug` (see `flowhost_tests::logs`); this test drives every auth path
//! with known secrets and then searches the whole capture for them.

use flowhost_tests::auth::{call, refresh, try_login, Reply};
use flowhost_tests::flow::{edge, flow, node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE};
use flowhost_tests::logs::captured_logs;
use flowhost_tests::{http_client, spawn_app, JWT_SECRET, SUPERUSER, SUPERUSER_PASSWORD};
use reqwest::Method;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_ever_appears_in_the_logs() {
    let app = spawn_app().await;
    let mut secrets: Vec<(String, String)> = vec![
        ("the superuser's password".into(), SUPERUSER_PASSWORD.into()),
        ("the JWT secret".into(), JWT_SECRET.into()),
        ("an argon2 hash".into(), "$argon2".into()),
    ];
    let remember_token = |what: &str, token: &str, secrets: &mut Vec<(String, String)>| {
        secrets.push((what.to_owned(), token.to_owned()));
        // A partial leak would still carry the signature.
        secrets.push((format!("{what} (signature)"), token.rsplit('.').next().unwrap().to_owned()));
    };
    for (what, token) in [("the harness's access token", "access_token"), ("the harness's refresh token", "refresh_token")] {
        remember_token(what, app.tokens[token].as_str().unwrap(), &mut secrets);
    }

    // Logins: JSON, form, failed.
    let pair = try_login(&app, SUPERUSER, SUPERUSER_PASSWORD).await.response.expect(200).clone();
    remember_token("a login's access token", pair["access_token"].as_str().unwrap(), &mut secrets);
    remember_token("a login's refresh token", pair["refresh_token"].as_str().unwrap(), &mut secrets);
    let form = app.anonymous.post(app.url("/api/v1/login")).form(&[("username", SUPERUSER), ("password", SUPERUSER_PASSWORD)]);
    Reply::read(form.send().await.unwrap()).await.response.expect(200);
    let wrong_password = "Wr0ng-Guess-For-The-Log-Test";
    try_login(&app, SUPERUSER, wrong_password).await.expect_unauthorized("wrong password");
    try_login(&app, "no-such-user-for-logs", wrong_password).await.expect_unauthorized("unknown user");
    secrets.push(("a wrong password".into(), wrong_password.into()));

    // Refresh, and the reuse that revokes the session.
    let refreshed = refresh(&app, pair["refresh_token"].as_str().unwrap()).await.response.expect(200).clone();
    remember_token("a refreshed access token", refreshed["access_token"].as_str().unwrap(), &mut secrets);
    remember_token("a refreshed refresh token", refreshed["refresh_token"].as_str().unwrap(), &mut secrets);
    refresh(&app, pair["refresh_token"].as_str().unwrap()).await.expect_unauthorized("reused refresh token");

    // A user with a known password, who changes it.
    let first_password = "Log-Test-First-Password-1";
    let second_password = "Log-Test-Second-Password-2";
    secrets.push(("a new user's password".into(), first_password.into()));
    secrets.push(("a changed password".into(), second_password.into()));
    let user = app
        .post_json("/api/v1/users/", &json!({"username": "logger", "password": first_password}))
        .await
        .expect(201)
        .clone();
    let user_id = user["id"].as_str().unwrap().to_owned();
    let tokens = try_login(&app, "logger", first_password).await.response.expect(200).clone();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    remember_token("the user's access token", &access, &mut secrets);
    remember_token("the user's refresh token", tokens["refresh_token"].as_str().unwrap(), &mut secrets);
    let client = http_client(Some(&access));
    let body = json!({"password": second_password, "current_password": first_password});
    call(&app, &client, Method::PUT, "/api/v1/users/me", Some(&body)).await.expect(200);
    let body = json!({"password": "Log-Test-Third-Password-3", "current_password": "Log-Test-Not-The-Password"});
    secrets.push(("a wrong current password".into(), "Log-Test-Not-The-Password".into()));
    secrets.push(("a refused new password".into(), "Log-Test-Third-Password-3".into()));
    call(&app, &client, Method::PUT, "/api/v1/users/me", Some(&body)).await.expect_error(422, "VALIDATION_ERROR");
    let admin_set = "Log-Test-Admin-Set-Password-4";
    secrets.push(("a password set by the superuser".into(), admin_set.into()));
    app.send(app.client.patch(app.url(&format!("/api/v1/users/{user_id}"))).json(&json!({"password": admin_set}))).await.expect(200);
    let tokens = try_login(&app, "logger", admin_set).await.response.expect(200).clone();
    let access = tokens["access_token"].as_str().unwrap().to_owned();
    remember_token("the user's second access token", &access, &mut secrets);
    let client = http_client(Some(&access));

    // An API key, used by header and by query parameter; a bogus one.
    let key = call(&app, &client, Method::POST, "/api/v1/api_key/", Some(&json!({"name": "logged key"}))).await.expect(200)["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    secrets.push(("the API key".into(), key.clone()));
    secrets.push(("the API key's secret part".into(), key[11..].to_owned()));
    app.send(app.anonymous.get(app.url("/api/v1/users/whoami")).header("x-api-key", &key)).await.expect(200);
    app.send(app.anonymous.get(app.url(&format!("/api/v1/flows/?x-api-key={key}")))).await.expect(200);
    let bogus = format!("sk-{}", "ab12".repeat(16));
    secrets.push(("a bogus API key".into(), bogus.clone()));
    app.send(app.anonymous.get(app.url(&format!("/api/v1/users/whoami?x-api-key={bogus}")))).await.expect_error(401, "UNAUTHORIZED");

    // A flow run with the key.
    let echo = flow(
        &unique_name("Logged"),
        vec![node("ChatInput-1", "ChatInput", json!({})), node("ChatOutput-1", "ChatOutput", json!({}))],
        vec![edge("ChatInput-1", "message", MESSAGE, "ChatOutput-1", "input_value", CHAT_OUTPUT_INPUT)],
    );
    let flow_id = call(&app, &client, Method::POST, "/api/v1/flows/", Some(&echo)).await.expect(201)["id"].as_str().unwrap().to_owned();
    let run = app.send(app.anonymous.post(app.url(&format!("/api/v1/flows/{flow_id}/execute?x-api-key={key}"))).json(&json!({"input_value": "hello logs"})));
    run.await.expect(200);

    // Logout.
    let logout = app.anonymous.post(app.url("/api/v1/logout")).bearer_auth(&access);
    Reply::read(logout.send().await.unwrap()).await.response.expect(200);
    let logout = app.anonymous.post(app.url("/api/v1/logout")).bearer_auth(&access);
    Reply::read(logout.send().await.unwrap()).await.expect_unauthorized("logout after logout");

    // Settings are safe to log: their Debug output hides the secrets.
    let data = tempfile::tempdir().unwrap();
    let mut settings = flowhost::Settings::for_tests(data.path().to_path_buf(), data.path().to_path_buf());
    settings.auth.secret_key = Some(JWT_SECRET.into());
    settings.auth.superuser_password = Some(SUPERUSER_PASSWORD.into());
    let debug = format!("{settings:?} {:?}", settings.auth);
    assert!(!debug.contains(JWT_SECRET) && !debug.contains(SUPERUSER_PASSWORD), "Debug shows a secret: {debug}");

    let logs = captured_logs();
    // The capture works and saw this test's server.
    assert!(logs.contains("login"), "no login event captured ({} bytes)", logs.len());
    assert!(logs.contains(&user_id), "this test's user {user_id} never appears in the captured logs");
    assert!(logs.contains("/api/v1/api_key"), "request paths are not captured");
    for (what, secret) in &secrets {
        if let Some(at) = logs.find(secret.as_str()) {
            let start = logs[..at].rfind('\n').map_or(0, |n| n + 1);
            let end = logs[at..].find('\n').map_or(logs.len(), |n| at + n);
            panic!("{what} ({secret}) appears in the logs:\n{}", &logs[start..end]);
        }
    }
}
