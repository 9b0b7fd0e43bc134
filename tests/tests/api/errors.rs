//! Error responses: every one has the body `{"detail", "error_code", "status_code"}`.
//! Also the utility endpoints and graph validation.

use flowhost_tests::flow::{
    edge, flow, node, prompt_node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE, PARSER_INPUT,
    PROMPT_VARIABLE,
};
use flowhost_tests::{spawn_app, spawn_app_with, ApiResponse, TestApp};
use serde_json::{json, Value};

async fn create_and_execute(app: &TestApp, flow: &Value) -> ApiResponse {
    let created = app.post_json("/api/v1/flows/", flow).await;
    if created.status != 201 {
        return created; // validation at save time is fine too
    }
    let id = created.body["id"].as_str().unwrap().to_owned();
    app.execute(&id, &json!({"input_value": "x"})).await
}

/// Asserts a 422 VALIDATION_ERROR (at save or at run) whose detail names `what`.
#[track_caller]
fn assert_invalid(response: &ApiResponse, what: &str) {
    let detail = response.expect_error(422, "VALIDATION_ERROR");
    assert!(detail.contains(what), "detail names {what}: {detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_version_and_openapi() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health").await.expect(200)["status"], "ok");
    let version = app.get("/api/v1/version").await.expect(200).clone();
    assert!(
        version["version"].as_str().is_some_and(|v| !v.is_empty()),
        "{version}"
    );
    let doc = app.get("/openapi.json").await.expect(200).clone();
    assert!(
        doc["paths"].get("/api/v1/flows/").is_some(),
        "paths: {:?}",
        doc["paths"]
            .as_object()
            .map(|p| p.keys().collect::<Vec<_>>())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_route_is_404() {
    let app = spawn_app().await;
    app.get("/api/v1/no-such-thing")
        .await
        .expect_error(404, "NOT_FOUND");
    app.get("/nowhere").await.expect_error(404, "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_method_is_405() {
    let app = spawn_app().await;
    app.delete("/api/v1/components")
        .await
        .expect_error(405, "METHOD_NOT_ALLOWED");
    app.put_json("/health", &json!({}))
        .await
        .expect_error(405, "METHOD_NOT_ALLOWED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_json_is_422() {
    let app = spawn_app().await;
    let response = app
        .post_raw(
            "/api/v1/flows/",
            b"{\"name\": \"oops\", ".to_vec(),
            Some("application/json"),
        )
        .await;
    response.expect_error(422, "VALIDATION_ERROR");

    let id = app
        .create_flow_id(&flow(&unique_name("m"), vec![], vec![]))
        .await;
    let path = format!("/api/v1/flows/{id}/execute");
    app.post_raw(&path, b"not json".to_vec(), Some("application/json"))
        .await
        .expect_error(422, "VALIDATION_ERROR");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrongly_typed_json_is_422() {
    let app = spawn_app().await;
    let body = json!({"name": 123, "data": {"nodes": [], "edges": []}});
    app.post_json("/api/v1/flows/", &body)
        .await
        .expect_error(422, "VALIDATION_ERROR");

    let id = app
        .create_flow_id(&flow(&unique_name("t"), vec![], vec![]))
        .await;
    app.execute(&id, &json!({"tweaks": "nope"}))
        .await
        .expect_error(422, "VALIDATION_ERROR");
    app.execute(&id, &json!({"output_type": "sideways"}))
        .await
        .expect_error(422, "VALIDATION_ERROR");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_content_type_is_415_or_422() {
    let app = spawn_app().await;
    let body = serde_json::to_vec(&flow("no content type", vec![], vec![])).unwrap();
    let response = app.post_raw("/api/v1/flows/", body, None).await;
    assert!(
        matches!(response.status, 415 | 422),
        "{} {}",
        response.status,
        response.text
    );
    response.assert_error_body();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_body_is_413() {
    let app = spawn_app_with(|s| s.max_body_bytes = 1024).await;
    let mut body = flow("big", vec![], vec![]);
    body["description"] = json!("x".repeat(4096));
    app.post_json("/api/v1/flows/", &body)
        .await
        .expect_error(413, "PAYLOAD_TOO_LARGE");
    let id = app.create_flow_id(&flow("small", vec![], vec![])).await;
    let big_run = json!({"input_value": "y".repeat(4096)});
    app.execute(&id, &big_run)
        .await
        .expect_error(413, "PAYLOAD_TOO_LARGE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_node_type_is_rejected() {
    let app = spawn_app().await;
    let bad = flow(
        &unique_name("unknown type"),
        vec![node("Mystery-1", "NoSuchComponentType", json!({}))],
        vec![],
    );
    let response = create_and_execute(&app, &bad).await;
    assert_invalid(&response, "Mystery-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dangling_edge_is_rejected() {
    let app = spawn_app().await;
    let bad = flow(
        &unique_name("dangling"),
        vec![node("ChatInput-1", "ChatInput", json!({}))],
        vec![edge(
            "ChatInput-1",
            "message",
            MESSAGE,
            "ChatOutput-gone",
            "input_value",
            CHAT_OUTPUT_INPUT,
        )],
    );
    let response = create_and_execute(&app, &bad).await;
    assert_invalid(&response, "ChatOutput-gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edge_type_mismatch_is_rejected() {
    let app = spawn_app().await;
    let bad = flow(
        &unique_name("mismatch"),
        vec![
            node(
                "TextInput-1",
                "TextInput",
                json!({"input_value": "not data"}),
            ),
            node("ParserComponent-1", "ParserComponent", json!({})),
        ],
        vec![edge(
            "TextInput-1",
            "text",
            MESSAGE,
            "ParserComponent-1",
            "input_data",
            PARSER_INPUT,
        )],
    );
    let response = create_and_execute(&app, &bad).await;
    let detail = response.expect_error(422, "VALIDATION_ERROR");
    assert!(
        detail.contains("ParserComponent-1") || detail.contains("TextInput-1"),
        "{detail}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cycle_is_rejected() {
    let app = spawn_app().await;
    let bad = flow(
        &unique_name("cycle"),
        vec![
            prompt_node("Prompt-1", "{x}", &["x"]),
            prompt_node("Prompt-2", "{y}", &["y"]),
        ],
        vec![
            edge(
                "Prompt-1",
                "prompt",
                MESSAGE,
                "Prompt-2",
                "y",
                PROMPT_VARIABLE,
            ),
            edge(
                "Prompt-2",
                "prompt",
                MESSAGE,
                "Prompt-1",
                "x",
                PROMPT_VARIABLE,
            ),
        ],
    );
    let response = create_and_execute(&app, &bad).await;
    let detail = response.expect_error(422, "VALIDATION_ERROR");
    assert!(
        detail.contains("Prompt-1") || detail.contains("Prompt-2"),
        "{detail}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tweak_for_an_unknown_node_is_422() {
    let app = spawn_app().await;
    let ok = flow(
        &unique_name("tweak"),
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
    let id = app.create_flow_id(&ok).await;
    let body = json!({"input_value": "x", "tweaks": {"Ghost-1": {"input_value": "boo"}}});
    assert_invalid(&app.execute(&id, &body).await, "Ghost-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edge_into_an_undeclared_field_or_from_an_unknown_output_is_rejected() {
    let app = spawn_app().await;
    let nodes = || {
        vec![
            node("ChatInput-1", "ChatInput", json!({})),
            node("ChatOutput-1", "ChatOutput", json!({})),
        ]
    };
    let bad_field = flow(
        &unique_name("bad field"),
        nodes(),
        vec![edge(
            "ChatInput-1",
            "message",
            MESSAGE,
            "ChatOutput-1",
            "no_such_field",
            MESSAGE,
        )],
    );
    let detail = create_and_execute(&app, &bad_field)
        .await
        .expect_error(422, "VALIDATION_ERROR")
        .to_owned();
    assert!(detail.contains("no_such_field"), "{detail}");

    let bad_output = flow(
        &unique_name("bad output"),
        nodes(),
        vec![edge(
            "ChatInput-1",
            "no_such_output",
            MESSAGE,
            "ChatOutput-1",
            "input_value",
            CHAT_OUTPUT_INPUT,
        )],
    );
    let detail = create_and_execute(&app, &bad_output)
        .await
        .expect_error(422, "VALIDATION_ERROR")
        .to_owned();
    assert!(detail.contains("no_such_output"), "{detail}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn docs_page_is_served_without_credentials_and_loads_no_outside_script() {
    let app = spawn_app().await;
    let response = app.anonymous.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let page = response.text().await.unwrap();
    assert!(page.contains("/openapi.json"), "the page renders the OpenAPI document");
    assert!(!page.contains("<script src"), "no external script: the docs must work offline");
}
