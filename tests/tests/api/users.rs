//! `/api/v1/users`: the superuser's administration, sign-up, and a user's own profile.

use flowhost_tests::auth::{call, create_user, new_user, try_login, unique_username, whoami_bearer, TestUser};
use flowhost_tests::flow::{edge, flow, node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE};
use flowhost_tests::{spawn_app, spawn_app_with, ApiResponse, TestApp, SUPERUSER};
use reqwest::Method;
use serde_json::{json, Value};

/// Asserts a UserRead: exactly Langflow's fields plus `role`, and never a password or hash.
#[track_caller]
fn assert_user_read(user: &Value) {
    let mut keys: Vec<&str> = user.as_object().unwrap_or_else(|| panic!("not an object: {user}")).keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["create_at", "id", "is_active", "is_superuser", "last_login_at", "profile_image", "role", "updated_at", "username"],
        "{user}"
    );
    assert!(!user.to_string().contains("$argon2"), "a hash leaked: {user}");
    let superuser = user["is_superuser"].as_bool().unwrap();
    assert_eq!(user["role"], if superuser { "superuser" } else { "user" }, "{user}");
    uuid::Uuid::parse_str(user["id"].as_str().unwrap()).expect("id is a UUID");
}

async fn as_user(app: &TestApp, user: &TestUser, method: Method, path: &str, body: Option<Value>) -> ApiResponse {
    call(app, &user.client, method, path, body.as_ref()).await
}

fn echo_flow() -> Value {
    flow(
        &unique_name("Echo"),
        vec![node("ChatInput-1", "ChatInput", json!({})), node("ChatOutput-1", "ChatOutput", json!({}))],
        vec![edge("ChatInput-1", "message", MESSAGE, "ChatOutput-1", "input_value", CHAT_OUTPUT_INPUT)],
    )
}

async fn user_ids(app: &TestApp) -> Vec<String> {
    let page = app.get("/api/v1/users/?skip=0&limit=1000").await.expect(200).clone();
    page["users"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_superuser_creates_lists_and_pages_users() {
    let app = spawn_app().await;
    let me = app.get("/api/v1/users/me").await.expect(200).clone();
    assert_user_read(&me);
    assert_eq!(me["username"], SUPERUSER);
    assert_eq!(me["role"], "superuser");
    assert_eq!(app.get("/api/v1/users/whoami").await.expect(200)["id"], me["id"]);

    let alice = create_user(&app, "alice", "alice-password").await;
    assert_user_read(&alice);
    assert_eq!(alice["username"], "alice", "{alice}");
    assert_eq!(alice["is_active"], true, "{alice}");
    assert_eq!(alice["is_superuser"], false, "{alice}");
    assert_eq!(alice["role"], "user", "{alice}");
    assert!(alice["last_login_at"].is_null(), "{alice}");

    let boss = app
        .post_json("/api/v1/users/", &json!({"username": "boss", "password": "boss-password", "is_superuser": true}))
        .await
        .expect(201)
        .clone();
    assert_user_read(&boss);
    assert_eq!(boss["role"], "superuser", "{boss}");

    // Usernames are unique regardless of case.
    for taken in ["alice", "Alice", "ALICE", "Admin"] {
        app.post_json("/api/v1/users/", &json!({"username": taken, "password": "another-password"}))
            .await
            .expect_error(409, "CONFLICT");
    }
    // Passwords have at least 8 characters.
    app.post_json("/api/v1/users/", &json!({"username": "shorty", "password": "1234567"}))
        .await
        .expect_error(422, "VALIDATION_ERROR");
    app.post_json("/api/v1/users/", &json!({"username": "shorty", "password": "12345678"})).await.expect(201);

    let page = app.get("/api/v1/users/?skip=0&limit=50").await.expect(200).clone();
    assert_eq!(page["total_count"], 4, "{page}");
    let users = page["users"].as_array().unwrap();
    assert_eq!(users.len(), 4, "{page}");
    users.iter().for_each(assert_user_read);
    let names: Vec<&str> = users.iter().map(|u| u["username"].as_str().unwrap()).collect();
    for name in [SUPERUSER, "alice", "boss", "shorty"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    let first = app.get("/api/v1/users/?skip=0&limit=2").await.expect(200).clone();
    let rest = app.get("/api/v1/users/?skip=2&limit=2").await.expect(200).clone();
    assert_eq!(first["total_count"], 4, "{first}");
    assert_eq!(first["users"].as_array().unwrap().len(), 2, "{first}");
    assert_eq!(rest["users"].as_array().unwrap().len(), 2, "{rest}");
    let mut paged: Vec<&Value> = first["users"].as_array().unwrap().iter().chain(rest["users"].as_array().unwrap()).map(|u| &u["id"]).collect();
    paged.sort_by_key(|v| v.as_str().unwrap().to_owned());
    paged.dedup();
    assert_eq!(paged.len(), 4, "pages overlap: {first} {rest}");

    // A login stamps last_login_at.
    try_login(&app, "alice", "alice-password").await.response.expect(200);
    let alice_now = app.get("/api/v1/users/").await.expect(200)["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "alice")
        .cloned()
        .unwrap();
    assert!(alice_now["last_login_at"].is_string(), "{alice_now}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn normal_users_cannot_administer_users() {
    let app = spawn_app().await;
    let user = new_user(&app, "plain").await;
    let other = new_user(&app, "neighbour").await;
    let me = as_user(&app, &user, Method::GET, "/api/v1/users/me", None).await.expect(200).clone();
    assert_user_read(&me);
    assert_eq!(me["id"], user.id.as_str());
    assert_eq!(me["role"], "user");
    let whoami = as_user(&app, &user, Method::GET, "/api/v1/users/whoami", None).await.expect(200).clone();
    assert_eq!(whoami, me);

    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/users/".into(), None),
        (Method::GET, "/api/v1/users/?skip=0&limit=10".into(), None),
        (Method::POST, "/api/v1/users/".into(), Some(json!({"username": "minion", "password": "minion-password"}))),
        (Method::POST, "/api/v1/users/".into(), Some(json!({"username": "root2", "password": "root2-password", "is_superuser": true}))),
        (Method::PATCH, format!("/api/v1/users/{}", user.id), Some(json!({"is_superuser": true}))),
        (Method::PATCH, format!("/api/v1/users/{}", user.id), Some(json!({"role": "superuser"}))),
        (Method::PATCH, format!("/api/v1/users/{}", other.id), Some(json!({"is_active": false}))),
        (Method::PATCH, format!("/api/v1/users/{}", other.id), Some(json!({"password": "taken-over-password"}))),
        (Method::DELETE, format!("/api/v1/users/{}", other.id), None),
        (Method::DELETE, format!("/api/v1/users/{}", user.id), None),
    ];
    for (method, path, body) in attempts {
        let response = as_user(&app, &user, method.clone(), &path, body).await;
        assert_eq!(response.status, 403, "{method} {path} by a normal user: {}", response.text);
        response.expect_error(403, "FORBIDDEN");
    }
    // Nothing changed: still two normal users and the superuser, the neighbour still logs in.
    assert_eq!(user_ids(&app).await.len(), 3);
    try_login(&app, &other.username, &other.password).await.response.expect(200);
    let me = as_user(&app, &user, Method::GET, "/api/v1/users/me", None).await.expect(200).clone();
    assert_eq!(me["role"], "user", "{me}");

    // PUT /users/me cannot grant privileges either.
    let body = json!({"is_superuser": true, "role": "superuser", "is_active": true, "profile_image": "me.png"});
    let updated = as_user(&app, &user, Method::PUT, "/api/v1/users/me", Some(body)).await;
    if updated.status == 200 {
        assert_eq!(updated.body["role"], "user", "{}", updated.text);
        assert_eq!(updated.body["is_superuser"], false, "{}", updated.text);
    }
    let me = as_user(&app, &user, Method::GET, "/api/v1/users/me", None).await.expect(200).clone();
    assert_eq!(me["role"], "user", "{me}");
    as_user(&app, &user, Method::GET, "/api/v1/users/", None).await.expect_error(403, "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_reactivating_and_the_superusers_own_account() {
    let app = spawn_app().await;
    let me = app.get("/api/v1/users/me").await.expect(200).clone();
    let my_id = me["id"].as_str().unwrap().to_owned();
    let user = new_user(&app, "switchable").await;
    let key = as_user(&app, &user, Method::POST, "/api/v1/api_key/", Some(json!({"name": "k"}))).await.expect(200)["api_key"]
        .as_str()
        .unwrap()
        .to_owned();

    let off = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&json!({"is_active": false}))).await;
    let off = off.expect(200).clone();
    assert_user_read(&off);
    assert_eq!(off["is_active"], false, "{off}");
    // The existing token and API key stop working, and so does logging in.
    whoami_bearer(&app, user.access_token()).await.expect_unauthorized("a deactivated user's access token");
    let by_key = app.send(app.anonymous.get(app.url("/api/v1/users/whoami")).header("x-api-key", &key)).await;
    by_key.expect_error(401, "UNAUTHORIZED");
    flowhost_tests::auth::refresh(&app, user.refresh_token()).await.expect_unauthorized("a deactivated user's refresh token");
    assert_eq!(try_login(&app, &user.username, &user.password).await.expect_unauthorized("deactivated login"), "Inactive user");

    let on = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&json!({"is_active": true}))).await;
    assert_eq!(on.expect(200)["is_active"], true);
    try_login(&app, &user.username, &user.password).await.response.expect(200);

    // Renaming and resetting the password of someone else.
    let reset = json!({"username": "switched", "password": "reset-by-admin"});
    let renamed = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&reset)).await;
    assert_eq!(renamed.expect(200)["username"], "switched");
    try_login(&app, &user.username, &user.password).await.expect_unauthorized("the old name and password");
    try_login(&app, "switched", &user.password).await.expect_unauthorized("the old password");
    // A reset by a superuser ends the user's sessions: the old token is refused.
    whoami_bearer(&app, user.access_token()).await.expect_unauthorized("a token from before the reset");
    let fresh = try_login(&app, "switched", "reset-by-admin").await;
    let token = fresh.response.expect(200)["access_token"].as_str().unwrap().to_owned();
    let user = flowhost_tests::auth::TestUser { client: flowhost_tests::http_client(Some(&token)), ..user };
    let short = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&json!({"password": "short"}))).await;
    short.expect_error(422, "VALIDATION_ERROR");
    let taken = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&json!({"username": "Admin"}))).await;
    taken.expect_error(409, "CONFLICT");

    // Promotion and demotion of someone else.
    let promoted = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&json!({"is_superuser": true}))).await;
    assert_eq!(promoted.expect(200)["role"], "superuser");
    as_user(&app, &user, Method::GET, "/api/v1/users/", None).await.expect(200);
    let demoted = app.send(app.client.patch(app.url(&format!("/api/v1/users/{}", user.id))).json(&json!({"role": "user"}))).await;
    assert_eq!(demoted.expect(200)["is_superuser"], false);
    as_user(&app, &user, Method::GET, "/api/v1/users/", None).await.expect_error(403, "FORBIDDEN");

    // A superuser cannot lock themself out.
    for body in [json!({"is_active": false}), json!({"is_superuser": false}), json!({"role": "user"})] {
        let response = app.send(app.client.patch(app.url(&format!("/api/v1/users/{my_id}"))).json(&body)).await;
        assert_eq!(response.status, 403, "self-PATCH {body}: {}", response.text);
        response.expect_error(403, "FORBIDDEN");
    }
    app.delete(&format!("/api/v1/users/{my_id}")).await.expect_error(403, "FORBIDDEN");
    let still = app.get("/api/v1/users/me").await.expect(200).clone();
    assert_eq!(still["role"], "superuser", "{still}");
    assert_eq!(still["is_active"], true, "{still}");

    // Unknown ids.
    let unknown = uuid::Uuid::new_v4();
    app.send(app.client.patch(app.url(&format!("/api/v1/users/{unknown}"))).json(&json!({"is_active": false})))
        .await
        .expect_error(404, "NOT_FOUND");
    app.delete(&format!("/api/v1/users/{unknown}")).await.expect_error(404, "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_user_removes_their_access_and_what_they_own() {
    let app = spawn_app().await;
    let user = new_user(&app, "leaver").await;
    let flow_id = call(&app, &user.client, Method::POST, "/api/v1/flows/", Some(&echo_flow())).await.expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    call(&app, &user.client, Method::POST, &format!("/api/v1/flows/{flow_id}/execute"), Some(&json!({"input_value": "bye"})))
        .await
        .expect(200);
    let key = call(&app, &user.client, Method::POST, "/api/v1/api_key/", Some(&json!({"name": "k"}))).await.expect(200)["api_key"]
        .as_str()
        .unwrap()
        .to_owned();

    let deleted = app.delete(&format!("/api/v1/users/{}", user.id)).await;
    deleted.expect(200);
    assert!(!user_ids(&app).await.contains(&user.id), "the user is still listed");
    whoami_bearer(&app, user.access_token()).await.expect_unauthorized("a deleted user's access token");
    flowhost_tests::auth::refresh(&app, user.refresh_token()).await.expect_unauthorized("a deleted user's refresh token");
    let by_key = app.send(app.anonymous.get(app.url("/api/v1/users/whoami")).header("x-api-key", &key)).await;
    by_key.expect_error(401, "UNAUTHORIZED");
    try_login(&app, &user.username, &user.password).await.expect_unauthorized("a deleted user's login");
    app.delete(&format!("/api/v1/users/{}", user.id)).await.expect_error(404, "NOT_FOUND");

    // The name is free again; the new account owns nothing of the old one.
    let again = new_user(&app, "leaver").await;
    assert_ne!(again.id, user.id);
    let flows = call(&app, &again.client, Method::GET, "/api/v1/flows/", None).await.expect(200).clone();
    assert_eq!(flows["total"], 0, "{flows}");
    call(&app, &again.client, Method::GET, &format!("/api/v1/flows/{flow_id}"), None).await.expect_error(404, "NOT_FOUND");
    call(&app, &again.client, Method::GET, &format!("/api/v1/flows/{flow_id}/runs"), None).await.expect_error(404, "NOT_FOUND");
    let keys = call(&app, &again.client, Method::GET, "/api/v1/api_key/", None).await.expect(200).clone();
    assert_eq!(keys["total_count"], 0, "{keys}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_creates_inactive_users_until_a_superuser_activates_them() {
    let app = spawn_app_with(|s| s.auth.enable_signup = true).await;
    let signup = |body: Value| {
        let request = app.anonymous.post(app.url("/api/v1/users/")).json(&body);
        app.send(request)
    };
    let created = signup(json!({"username": "newbie", "password": "newbie-password"})).await.expect(201).clone();
    assert_user_read(&created);
    assert_eq!(created["is_active"], false, "{created}");
    assert_eq!(created["role"], "user", "{created}");
    // Asking for privileges or activation at sign-up gets neither.
    let greedy = signup(json!({"username": "greedy", "password": "greedy-password", "is_superuser": true, "is_active": true}))
        .await
        .expect(201)
        .clone();
    assert_eq!(greedy["is_active"], false, "{greedy}");
    assert_eq!(greedy["is_superuser"], false, "{greedy}");
    assert_eq!(greedy["role"], "user", "{greedy}");
    signup(json!({"username": "NEWBIE", "password": "newbie-password"})).await.expect_error(409, "CONFLICT");
    signup(json!({"username": "tiny", "password": "short"})).await.expect_error(422, "VALIDATION_ERROR");

    assert_eq!(try_login(&app, "newbie", "newbie-password").await.expect_unauthorized("inactive sign-up"), "Inactive user");
    assert_eq!(try_login(&app, "greedy", "greedy-password").await.expect_unauthorized("inactive sign-up"), "Inactive user");

    let id = created["id"].as_str().unwrap();
    let activated = app.send(app.client.patch(app.url(&format!("/api/v1/users/{id}"))).json(&json!({"is_active": true}))).await;
    assert_eq!(activated.expect(200)["is_active"], true);
    let tokens = try_login(&app, "newbie", "newbie-password").await.response.expect(200).clone();
    let me = whoami_bearer(&app, tokens["access_token"].as_str().unwrap()).await.response.expect(200).clone();
    assert_eq!(me["role"], "user", "{me}");

    // With sign-up on, a logged-in normal user still cannot create users.
    let newbie = flowhost_tests::http_client(tokens["access_token"].as_str());
    let response = app.send(newbie.post(app.url("/api/v1/users/")).json(&json!({"username": "friend", "password": "friend-password"}))).await;
    response.expect_error(403, "FORBIDDEN");
    // ... and the superuser still creates active users.
    let made = create_user(&app, &unique_username("made"), "made-password").await;
    assert_eq!(made["is_active"], true, "{made}");

    // Simultaneous sign-ups of one name (in any case): one wins, the rest conflict.
    let mut racers = tokio::task::JoinSet::new();
    for name in ["racer", "RACER", "Racer", "rAcEr", "racer", "RACER", "Racer", "racer"] {
        let request = app.anonymous.post(app.url("/api/v1/users/")).json(&json!({"username": name, "password": "racer-password"}));
        racers.spawn(async move {
            let response = request.send().await.expect("request is sent");
            (response.status().as_u16(), response.text().await.unwrap_or_default())
        });
    }
    let mut created = 0;
    while let Some(outcome) = racers.join_next().await {
        match outcome.expect("racer task") {
            (201, _) => created += 1,
            (409, body) => assert!(body.contains("CONFLICT"), "{body}"),
            (status, body) => panic!("a concurrent sign-up answered {status}: {body}"),
        }
    }
    assert_eq!(created, 1, "one user per name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_changes_their_own_profile_and_password() {
    let app = spawn_app().await;
    let user = new_user(&app, "changer").await;
    let put = |body: Value| as_user(&app, &user, Method::PUT, "/api/v1/users/me", Some(body));

    put(json!({"password": "brand-new-password"})).await.expect_error(422, "VALIDATION_ERROR");
    put(json!({"password": "brand-new-password", "current_password": "not-my-password"})).await.expect_error(422, "VALIDATION_ERROR");
    put(json!({"password": "short", "current_password": user.password})).await.expect_error(422, "VALIDATION_ERROR");
    // None of these changed the password.
    try_login(&app, &user.username, &user.password).await.response.expect(200);

    let changed = put(json!({"password": "brand-new-password", "current_password": user.password})).await.expect(200).clone();
    assert_user_read(&changed);
    try_login(&app, &user.username, &user.password).await.expect_unauthorized("the old password");
    try_login(&app, &user.username, "brand-new-password").await.response.expect(200);

    let profile = put(json!({"profile_image": "avatars/me.png"})).await.expect(200).clone();
    assert_eq!(profile["profile_image"], "avatars/me.png", "{profile}");
    let renamed = put(json!({"username": "renamed"})).await.expect(200).clone();
    assert_eq!(renamed["username"], "renamed", "{renamed}");
    try_login(&app, "renamed", "brand-new-password").await.response.expect(200);
    put(json!({"username": "ADMIN"})).await.expect_error(409, "CONFLICT");
    let me = as_user(&app, &user, Method::GET, "/api/v1/users/me", None).await.expect(200).clone();
    assert_eq!(me["username"], "renamed", "{me}");
    assert_eq!(me["profile_image"], "avatars/me.png", "{me}");
}
