//! Flow CRUD: create, list, get, update, delete, duplicate, name rules.

use std::time::Duration;

use flowhost_tests::flow::{edge, flow, node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE};
use flowhost_tests::{fixture, spawn_app, TestApp};
use serde_json::{json, Value};

fn small_flow(name: &str) -> Value {
    flow(
        name,
        vec![
            node("ChatInput-1", "ChatInput", json!({"input_value": "hi"})),
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
    )
}

fn parse_time(value: &Value) -> chrono::NaiveDateTime {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("timestamp is not a string: {value}"));
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.naive_utc())
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
        .unwrap_or_else(|e| panic!("timestamp {text:?} is not ISO-8601: {e}"))
}

async fn list(app: &TestApp, query: &str) -> Value {
    app.get(&format!("/api/v1/flows/{query}"))
        .await
        .expect(200)
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_returns_201_with_the_stored_flow() {
    let app = spawn_app().await;
    let body = small_flow("Create me");
    let created = app.create_flow(&body).await;

    let id = created["id"].as_str().expect("id is a string");
    uuid::Uuid::parse_str(id).expect("id is a UUID");
    assert_eq!(created["name"], "Create me");
    assert_eq!(created["description"], body["description"]);
    assert_eq!(
        created["data"]["nodes"], body["data"]["nodes"],
        "nodes are stored as sent"
    );
    assert_eq!(
        created["data"]["edges"], body["data"]["edges"],
        "edges are stored as sent"
    );
    parse_time(&created["created_at"]);
    parse_time(&created["updated_at"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_accepts_a_langflow_export_as_is() {
    let Some(export) = fixture("Basic Prompt Chaining.json") else {
        return;
    };
    let app = spawn_app().await;
    let created = app.create_flow(&export).await;

    assert_eq!(created["name"], export["name"]);
    assert_eq!(
        created["data"]["nodes"].as_array().unwrap().len(),
        export["data"]["nodes"].as_array().unwrap().len()
    );
    let id = created["id"].as_str().unwrap();
    let fetched = app
        .get(&format!("/api/v1/flows/{id}"))
        .await
        .expect(200)
        .clone();
    assert_eq!(fetched["data"]["nodes"], export["data"]["nodes"]);
    assert_eq!(fetched["data"]["edges"], export["data"]["edges"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_spellings_of_the_collection_answer() {
    let app = spawn_app().await;
    let a = app
        .post_json("/api/v1/flows", &small_flow("No slash"))
        .await
        .expect(201)
        .clone();
    app.post_json("/api/v1/flows/", &small_flow("Slash"))
        .await
        .expect(201);

    for path in ["/api/v1/flows?get_all=true", "/api/v1/flows/?get_all=true"] {
        let all = app.get(path).await.expect(200).clone();
        let names: Vec<&str> = all
            .as_array()
            .expect("array")
            .iter()
            .filter_map(|f| f["name"].as_str())
            .collect();
        assert!(
            names.contains(&"No slash") && names.contains(&"Slash"),
            "{path}: {names:?}"
        );
    }
    let id = a["id"].as_str().unwrap();
    app.get(&format!("/api/v1/flows/{id}")).await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_pages_and_get_all() {
    let app = spawn_app().await;
    for name in ["Page A", "Page B", "Page C"] {
        app.create_flow(&small_flow(name)).await;
    }

    let page1 = list(&app, "?page=1&size=2").await;
    assert_eq!(
        page1["items"].as_array().expect("items").len(),
        2,
        "{page1}"
    );
    assert_eq!(page1["total"], 3);
    assert_eq!(page1["page"], 1);
    assert_eq!(page1["size"], 2);
    assert_eq!(page1["pages"], 2);

    let page2 = list(&app, "?page=2&size=2").await;
    assert_eq!(
        page2["items"].as_array().expect("items").len(),
        1,
        "{page2}"
    );
    let items = page1["items"]
        .as_array()
        .unwrap()
        .iter()
        .chain(page2["items"].as_array().unwrap());
    let ids: std::collections::BTreeSet<String> = items.map(|f| f["id"].to_string()).collect();
    assert_eq!(ids.len(), 3, "pages do not overlap");

    let all = list(&app, "?get_all=true").await;
    let all = all.as_array().expect("get_all=true returns a plain array");
    assert_eq!(all.len(), 3);
    assert!(all
        .iter()
        .all(|f| f["data"].is_object() && f["id"].is_string()));

    let past_the_end = list(&app, "?page=9&size=2").await;
    assert_eq!(past_the_end["items"], json!([]), "{past_the_end}");
    assert_eq!(past_the_end["total"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_rejects_page_zero_and_size_zero() {
    let app = spawn_app().await;
    for query in ["?page=0&size=2", "?page=1&size=0", "?page=x"] {
        let response = app.get(&format!("/api/v1/flows/{query}")).await;
        response.expect_error(422, "VALIDATION_ERROR");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_unknown_or_malformed_id_is_404() {
    let app = spawn_app().await;
    let unknown = uuid::Uuid::new_v4();
    let detail = app
        .get(&format!("/api/v1/flows/{unknown}"))
        .await
        .expect_error(404, "NOT_FOUND")
        .to_owned();
    assert!(!detail.is_empty());

    let response = app.get("/api/v1/flows/not-a-uuid").await;
    match response.status {
        404 => response.expect_error(404, "NOT_FOUND"),
        _ => response.expect_error(422, "VALIDATION_ERROR"),
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_name_gets_a_numbered_suffix() {
    let app = spawn_app().await;
    let first = app.create_flow(&small_flow("Twin")).await;
    let second = app.create_flow(&small_flow("Twin")).await;
    let third = app.create_flow(&small_flow("Twin")).await;
    assert_eq!(first["name"], "Twin");
    assert_eq!(second["name"], "Twin (1)");
    assert_eq!(third["name"], "Twin (2)");
    assert_ne!(first["id"], second["id"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_full_update_replaces_fields_and_bumps_updated_at() {
    let app = spawn_app().await;
    let created = app.create_flow(&small_flow("Before")).await;
    let id = created["id"].as_str().unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let mut new_data = small_flow("ignored")["data"].clone();
    new_data["nodes"][0]["data"]["node"]["template"]["input_value"]["value"] = json!("changed");
    let body = json!({"name": "After", "description": "new description", "data": new_data});
    let updated = app
        .put_json(&format!("/api/v1/flows/{id}"), &body)
        .await
        .expect(200)
        .clone();

    assert_eq!(updated["id"], created["id"]);
    assert_eq!(updated["name"], "After");
    assert_eq!(updated["description"], "new description");
    assert_eq!(updated["data"]["nodes"], new_data["nodes"]);
    assert!(
        parse_time(&updated["updated_at"]) > parse_time(&created["updated_at"]),
        "updated_at moved forward: {updated}"
    );

    let fetched = app
        .get(&format!("/api/v1/flows/{id}"))
        .await
        .expect(200)
        .clone();
    assert_eq!(fetched["name"], "After");
    assert_eq!(fetched["data"]["nodes"], new_data["nodes"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_partial_update_keeps_data() {
    let app = spawn_app().await;
    let created = app.create_flow(&small_flow("Keep data")).await;
    let id = created["id"].as_str().unwrap();

    let updated = app
        .put_json(&format!("/api/v1/flows/{id}"), &json!({"name": "Renamed"}))
        .await
        .expect(200)
        .clone();
    assert_eq!(updated["name"], "Renamed");
    assert_eq!(updated["data"], created["data"]);
    assert_eq!(updated["description"], created["description"]);

    let fetched = app
        .get(&format!("/api/v1/flows/{id}"))
        .await
        .expect(200)
        .clone();
    assert_eq!(fetched["data"], created["data"], "data survives a rename");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_onto_another_flows_name_is_409() {
    let app = spawn_app().await;
    app.create_flow(&small_flow("Taken")).await;
    let other = app.create_flow_id(&small_flow("Other")).await;
    let response = app
        .put_json(&format!("/api/v1/flows/{other}"), &json!({"name": "Taken"}))
        .await;
    response.expect_error(409, "CONFLICT");
    let fetched = app
        .get(&format!("/api/v1/flows/{other}"))
        .await
        .expect(200)
        .clone();
    assert_eq!(fetched["name"], "Other", "a refused rename changes nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renaming_a_flow_to_its_own_name_is_fine() {
    let app = spawn_app().await;
    let id = app.create_flow_id(&small_flow("Mine")).await;
    let body = json!({"name": "Mine", "description": "same name"});
    let updated = app
        .put_json(&format!("/api/v1/flows/{id}"), &body)
        .await
        .expect(200)
        .clone();
    assert_eq!(updated["name"], "Mine");
    assert_eq!(updated["description"], "same name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn put_unknown_flow_is_404() {
    let app = spawn_app().await;
    let unknown = uuid::Uuid::new_v4();
    app.put_json(&format!("/api/v1/flows/{unknown}"), &json!({"name": "x"}))
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_the_flow() {
    let app = spawn_app().await;
    let id = app
        .create_flow_id(&small_flow(&unique_name("Doomed")))
        .await;
    let response = app.delete(&format!("/api/v1/flows/{id}")).await;
    assert!(
        matches!(response.status, 200 | 204),
        "delete: {} {}",
        response.status,
        response.text
    );

    app.get(&format!("/api/v1/flows/{id}"))
        .await
        .expect_error(404, "NOT_FOUND");
    app.delete(&format!("/api/v1/flows/{id}"))
        .await
        .expect_error(404, "NOT_FOUND");
    let all = app
        .get("/api/v1/flows/?get_all=true")
        .await
        .expect(200)
        .clone();
    assert!(all
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["id"] != id.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_copies_data_under_a_new_id_and_name() {
    let app = spawn_app().await;
    let original = app.create_flow(&small_flow("Original")).await;
    let id = original["id"].as_str().unwrap();

    let copy = app
        .post_json(&format!("/api/v1/flows/{id}/duplicate"), &json!({}))
        .await
        .expect(201)
        .clone();
    assert_ne!(copy["id"], original["id"]);
    assert_eq!(copy["name"], "Original (1)");
    assert_eq!(copy["data"], original["data"]);

    let copy_id = copy["id"].as_str().unwrap();
    let fetched = app
        .get(&format!("/api/v1/flows/{copy_id}"))
        .await
        .expect(200)
        .clone();
    assert_eq!(fetched["data"], original["data"]);

    let again = app
        .post_json(&format!("/api/v1/flows/{id}/duplicate"), &json!({}))
        .await;
    assert_eq!(again.expect(201)["name"], "Original (2)");

    let unknown = uuid::Uuid::new_v4();
    app.post_json(&format!("/api/v1/flows/{unknown}/duplicate"), &json!({}))
        .await
        .expect_error(404, "NOT_FOUND");
}
