//! Limits that keep one request from hurting everyone else, and inputs a
//! Langflow client sends that must not be refused.

use flowhost_tests::flow::{edge, flow, node, unique_name, MESSAGE};
use flowhost_tests::{spawn_app, spawn_app_with};
use serde_json::{json, Value};

/// ChatInput fanned out to `width` TextOutputs.
fn fan_out(width: usize) -> Value {
    let mut nodes = vec![node("ChatInput-1", "ChatInput", json!({}))];
    let mut edges = Vec::new();
    for i in 0..width {
        let id = format!("TextOutput-{i}");
        nodes.push(node(&id, "TextOutput", json!({})));
        edges.push(edge("ChatInput-1", "message", MESSAGE, &id, "input_value", MESSAGE));
    }
    flow(&unique_name("fan-out"), nodes, edges)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_whose_outputs_outgrow_the_run_cap_fails_and_the_server_carries_on() {
    let app = spawn_app_with(|s| s.limits.run_output_bytes = 1024 * 1024).await;
    let id = app.create_flow_id(&fan_out(20)).await;
    // 21 outputs (the ChatInput's and 20 copies) of 20 KB fit in 1 MiB; of 100 KB they do not.
    let small = "x".repeat(20 * 1024);
    app.execute(&id, &json!({"input_value": small})).await.expect(200);
    let big = "x".repeat(100 * 1024);
    let failed = app.execute(&id, &json!({"input_value": big})).await;
    failed.expect_error(422, "RUN_OUTPUT_TOO_LARGE");
    app.execute(&id, &json!({"input_value": "still fine"})).await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn null_fields_in_an_execute_body_mean_their_defaults() {
    let app = spawn_app().await;
    let id = app.create_flow_id(&fan_out(1)).await;
    let body = json!({"input_value": "hi", "input_type": null, "output_type": null, "tweaks": null, "session_id": null});
    let run = app.execute(&id, &body).await.expect(200).clone();
    assert_eq!(run["outputs"][0]["results"]["text"]["text"], "hi", "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_number_that_overflows_is_refused() {
    let app = spawn_app().await;
    app.get(&format!("/api/v1/flows/?page={}&size=50", i64::MAX)).await.expect_error(422, "VALIDATION_ERROR");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_dir_with_url_characters_works() {
    let parent = tempfile::tempdir().unwrap();
    let odd = parent.path().join("data ?x=1 %20 #");
    let app = spawn_app_with(|s| s.data_dir = odd.clone()).await;
    app.get("/api/v1/flows/").await.expect(200);
    assert!(odd.join("flowhost.db").is_file(), "the database lives in the directory given");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_ends_the_users_other_sessions() {
    use flowhost_tests::auth::{new_user, refresh, try_login, whoami_bearer};
    let app = spawn_app().await;
    let user = new_user(&app, "changer").await;
    let other = try_login(&app, &user.username, &user.password).await;
    let other_access = other.response.body["access_token"].as_str().unwrap().to_owned();
    let other_refresh = other.response.body["refresh_token"].as_str().unwrap().to_owned();
    let body = json!({"password": "a-brand-new-password", "current_password": user.password});
    let changed = user.client.put(app.url("/api/v1/users/me")).json(&body).send().await.unwrap();
    assert_eq!(changed.status(), 200);
    assert_eq!(whoami_bearer(&app, user.access_token()).await.response.status, 200, "the caller's own session goes on");
    whoami_bearer(&app, &other_access).await.expect_unauthorized("another session's access token");
    refresh(&app, &other_refresh).await.expect_unauthorized("another session's refresh token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_logins_are_counted_one_by_one() {
    use flowhost_tests::auth::{new_user, try_login};
    let app = spawn_app().await;
    let user = new_user(&app, "target").await;
    let guesses = (0..12).map(|i| {
        let (app, name) = (&app, user.username.clone());
        async move { try_login(app, &name, &format!("wrong-guess-{i}")).await.response.status }
    });
    let statuses = futures::future::join_all(guesses).await;
    let checked = statuses.iter().filter(|&&s| s == 401).count();
    assert_eq!(checked, 5, "only the first five guesses are checked: {statuses:?}");
    assert!(statuses.iter().all(|&s| s == 401 || s == 429), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_the_current_password_is_locked_like_a_login() {
    use flowhost_tests::auth::new_user;
    let app = spawn_app().await;
    let user = new_user(&app, "guessed").await;
    let mut statuses = Vec::new();
    for i in 0..7 {
        let body = json!({"password": "a-brand-new-password", "current_password": format!("guess-{i}")});
        statuses.push(user.client.put(app.url("/api/v1/users/me")).json(&body).send().await.unwrap().status().as_u16());
    }
    assert_eq!(&statuses[..5], &[422; 5], "{statuses:?}");
    assert_eq!(statuses[5], 429, "{statuses:?}");
}
