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
