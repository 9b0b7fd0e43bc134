//! Hostile components are contained: each limit fails its run with its own
//! error code, and the server keeps serving other runs.

use std::time::{Duration, Instant};

use flowhost_tests::flow::{edge, flow, node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE};
use flowhost_tests::{
    message_text, spawn_hostile_app, spawn_hostile_app_with, ApiResponse, TestApp,
};
use serde_json::json;

const HOSTILE: &str = "HostileComponent";
const NODE_ID: &str = "HostileComponent-x1";

/// The hostile component's input that selects its behaviour (a dropdown).
const MODE: &str = "mode";
const MODES: &[&str] = &[
    "ok",
    "loop",
    "memory",
    "recursion",
    "huge_output",
    "trap",
    "kv",
    "secret",
];

/// A flow of one hostile node in `mode`; returns its id.
async fn hostile_flow(app: &TestApp, mode: &str) -> String {
    let nodes = vec![node(NODE_ID, HOSTILE, json!({ MODE: mode }))];
    app.create_flow_id(&flow(
        &unique_name(&format!("hostile {mode}")),
        nodes,
        vec![],
    ))
    .await
}

async fn run_mode(app: &TestApp, mode: &str) -> ApiResponse {
    let id = hostile_flow(app, mode).await;
    app.execute(&id, &json!({"input_value": "x"})).await
}

/// A normal flow: ChatInput → ChatOutput; returns its id.
async fn echo_flow(app: &TestApp) -> String {
    let echo = flow(
        &unique_name("normal"),
        vec![
            node("ChatInput-1", "ChatInput", json!({})),
            node("ChatOutput-1", "ChatOutput", json!({})),
        ],
        vec![edge(
            "ChatInput-1",
            "message",
            MESSAGE,
            "ChatOutput-1",
            "input_value",
            CHAT_OUTPUT_INPUT,
        )],
    );
    app.create_flow_id(&echo).await
}

/// Runs the normal flow and the hostile `ok` mode; both must succeed.
async fn assert_server_still_serves(app: &TestApp) {
    let id = echo_flow(app).await;
    let run = app
        .execute(&id, &json!({"input_value": "still alive"}))
        .await
        .expect(200)
        .clone();
    assert_eq!(
        message_text(&run["outputs"][0]["results"]["message"]),
        "still alive"
    );
    let ok = run_mode(app, "ok").await;
    assert_eq!(ok.expect(200)["status"], "success", "{}", ok.text);
}

/// Runs `mode`, expects 422 with `code` and a detail naming the node, then checks
/// that the server still runs flows.
async fn assert_contained(app: &TestApp, mode: &str, code: &str) {
    let response = run_mode(app, mode).await;
    let detail = response.expect_error(422, code);
    assert!(
        detail.contains(NODE_ID),
        "{mode}: detail names the node: {detail}"
    );
    assert_server_still_serves(app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_component_is_a_plugin() {
    let app = spawn_hostile_app().await;
    let meta = app.component(HOSTILE).await;
    assert_eq!(meta["builtin"], false, "{meta}");
    let inputs = meta["inputs"].as_array().unwrap();
    let mode = inputs
        .iter()
        .find(|i| i["name"] == MODE)
        .expect("a mode input");
    assert_eq!(mode["options"], json!(MODES), "{mode}");
    let ok = run_mode(&app, "ok").await;
    let run = ok.expect(200);
    assert_eq!(run["outputs"][0]["component_id"], NODE_ID, "{run}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn infinite_loop_runs_out_of_fuel() {
    let app = spawn_hostile_app().await;
    assert_contained(&app, "loop", "COMPONENT_FUEL_EXHAUSTED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_bomb_hits_the_memory_limit() {
    let app = spawn_hostile_app().await;
    assert_contained(&app, "memory", "COMPONENT_MEMORY_LIMIT").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_recursion_traps() {
    let app = spawn_hostile_app().await;
    assert_contained(&app, "recursion", "COMPONENT_TRAPPED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explicit_trap_traps() {
    let app = spawn_hostile_app().await;
    assert_contained(&app, "trap", "COMPONENT_TRAPPED").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_output_is_refused() {
    let app = spawn_hostile_app().await;
    assert_contained(&app, "huge_output", "COMPONENT_OUTPUT_TOO_LARGE").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ungranted_capabilities_fail_the_run() {
    let app = spawn_hostile_app().await;
    assert_contained(&app, "kv", "COMPONENT_ERROR").await;
    assert_contained(&app, "secret", "COMPONENT_ERROR").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wall_clock_deadline_stops_a_loop_with_endless_fuel() {
    let app = spawn_hostile_app_with(|s| {
        s.limits.fuel = u64::MAX / 2;
        s.limits.timeout_ms = 300;
    })
    .await;
    let started = Instant::now();
    assert_contained(&app, "loop", "COMPONENT_TIMEOUT").await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_run_is_recorded_as_failed() {
    let app = spawn_hostile_app().await;
    let id = hostile_flow(&app, "trap").await;
    app.execute(&id, &json!({}))
        .await
        .expect_error(422, "COMPONENT_TRAPPED");
    let runs = app
        .get(&format!("/api/v1/flows/{id}/runs"))
        .await
        .expect(200)
        .clone();
    let runs = runs
        .as_array()
        .unwrap_or_else(|| panic!("runs is an array: {runs}"));
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert!(
        runs[0]["status"].is_string() && runs[0]["status"] != "success",
        "{runs:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runaway_run_does_not_block_a_normal_one() {
    let app = spawn_hostile_app_with(|s| {
        s.limits.fuel = u64::MAX / 2;
        s.limits.timeout_ms = 8_000;
    })
    .await;
    let normal = echo_flow(&app).await;
    let hostile = hostile_flow(&app, "loop").await;
    app.execute(&normal, &json!({"input_value": "warm-up"}))
        .await
        .expect(200);

    let (client, url) = (
        app.client.clone(),
        app.url(&format!("/api/v1/flows/{hostile}/execute")),
    );
    let runaway = tokio::spawn(async move {
        client
            .post(url)
            .json(&json!({}))
            .send()
            .await
            .map(|r| r.status())
    });
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    let run = app
        .execute(&normal, &json!({"input_value": "meanwhile"}))
        .await;
    let elapsed = started.elapsed();
    assert_eq!(
        message_text(&run.expect(200)["outputs"][0]["results"]["message"]),
        "meanwhile"
    );
    assert!(
        elapsed < Duration::from_secs(3),
        "the normal run waited {elapsed:?}"
    );
    assert!(
        !runaway.is_finished(),
        "the runaway run was still going while the normal one finished"
    );

    let status = runaway
        .await
        .unwrap()
        .expect("the runaway request completes");
    assert_eq!(status.as_u16(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_failing_vertex_fails_the_whole_flow_run() {
    let app = spawn_hostile_app().await;
    let mixed = flow(
        &unique_name("mixed"),
        vec![
            node("ChatInput-1", "ChatInput", json!({})),
            node("ChatOutput-1", "ChatOutput", json!({})),
            node(NODE_ID, HOSTILE, json!({ MODE: "trap" })),
        ],
        vec![edge(
            "ChatInput-1",
            "message",
            MESSAGE,
            "ChatOutput-1",
            "input_value",
            CHAT_OUTPUT_INPUT,
        )],
    );
    let id = app.create_flow_id(&mixed).await;
    let response = app.execute(&id, &json!({"input_value": "x"})).await;
    let detail = response.expect_error(422, "COMPONENT_TRAPPED");
    assert!(detail.contains(NODE_ID), "{detail}");
}
