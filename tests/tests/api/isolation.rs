//! Tenant isolation: a user's flows, runs and API keys do not exist for anyone
//! else (404, never 403, never data), whatever the verb.

use flowhost_tests::auth::{call, new_user, TestUser};
use flowhost_tests::flow::{edge, flow, node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE};
use flowhost_tests::{spawn_app, ApiResponse, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

fn echo_flow(name: &str) -> Value {
    flow(
        name,
        vec![node("ChatInput-1", "ChatInput", json!({})), node("ChatOutput-1", "ChatOutput", json!({}))],
        vec![edge("ChatInput-1", "message", MESSAGE, "ChatOutput-1", "input_value", CHAT_OUTPUT_INPUT)],
    )
}

async fn as_user(app: &TestApp, client: &reqwest::Client, method: Method, path: &str, body: Option<&Value>) -> ApiResponse {
    call(app, client, method, path, body).await
}

/// What A can see of their own things (read with A's access token, so the key's counters stay put).
async fn snapshot(app: &TestApp, a: &TestUser, flow_id: &str) -> Vec<Value> {
    let mut seen = Vec::new();
    for path in [
        format!("/api/v1/flows/{flow_id}"),
        format!("/api/v1/flows/{flow_id}/runs"),
        "/api/v1/flows/".to_owned(),
        "/api/v1/flows/?get_all=true".to_owned(),
        "/api/v1/api_key/".to_owned(),
    ] {
        seen.push(as_user(app, &a.client, Method::GET, &path, None).await.expect(200).clone());
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_verb_on_another_users_resources_is_404() {
    let app = spawn_app().await;
    let a = new_user(&app, "tenant-a").await;
    let b = new_user(&app, "tenant-b").await;

    // A: a flow, one run of it, an API key (used once).
    let name = unique_name("A's private flow");
    let created = as_user(&app, &a.client, Method::POST, "/api/v1/flows/", Some(&echo_flow(&name))).await.expect(201).clone();
    let flow_id = created["id"].as_str().unwrap().to_owned();
    let run = as_user(&app, &a.client, Method::POST, &format!("/api/v1/flows/{flow_id}/execute"), Some(&json!({"input_value": "secret input of A"})))
        .await
        .expect(200)
        .clone();
    assert_eq!(run["status"], "success", "{run}");
    let key = as_user(&app, &a.client, Method::POST, "/api/v1/api_key/", Some(&json!({"name": "A's key"}))).await.expect(200).clone();
    let (a_key, key_id) = (key["api_key"].as_str().unwrap().to_owned(), key["id"].as_str().unwrap().to_owned());
    app.send(app.anonymous.get(app.url("/api/v1/users/whoami")).header("x-api-key", &a_key)).await.expect(200);
    let before = snapshot(&app, &a, &flow_id).await;
    assert_eq!(before[1].as_array().map(Vec::len), Some(1), "A's run is recorded: {}", before[1]);

    // B by token, B by B's own API key, and the superuser: none of them is A.
    let b_key = as_user(&app, &b.client, Method::POST, "/api/v1/api_key/", Some(&json!({"name": "B's key"}))).await.expect(200)["api_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let b_by_key = reqwest::Client::builder()
        .default_headers([(reqwest::header::HeaderName::from_static("x-api-key"), b_key.parse().unwrap())].into_iter().collect())
        .build()
        .unwrap();
    let intruders: Vec<(&str, &reqwest::Client)> = vec![("B (token)", &b.client), ("B (API key)", &b_by_key), ("the superuser", &app.client)];

    let hijack = json!({"name": "hijacked", "description": "hijacked", "data": {"nodes": [], "edges": []}});
    let matrix: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/flows/{flow_id}"), None),
        (Method::PUT, format!("/api/v1/flows/{flow_id}"), Some(hijack.clone())),
        (Method::PATCH, format!("/api/v1/flows/{flow_id}"), Some(json!({"name": "hijacked"}))),
        (Method::PATCH, format!("/api/v1/flows/{flow_id}"), Some(json!({"data": {"nodes": [], "edges": []}}))),
        (Method::POST, format!("/api/v1/flows/{flow_id}/duplicate"), None),
        (Method::POST, format!("/api/v1/flows/{flow_id}/execute"), Some(json!({"input_value": "intruder"}))),
        (Method::GET, format!("/api/v1/flows/{flow_id}/runs"), None),
        (Method::GET, format!("/api/v1/flows/{flow_id}/runs?limit=1000"), None),
        (Method::DELETE, format!("/api/v1/api_key/{key_id}"), None),
        (Method::DELETE, format!("/api/v1/flows/{flow_id}"), None),
    ];
    let unknown_flow = uuid::Uuid::new_v4().to_string();
    for (who, client) in &intruders {
        for (method, path, body) in &matrix {
            let response = as_user(&app, client, method.clone(), path, body.as_ref()).await;
            assert_eq!(response.status, 404, "{who}: {method} {path} → {}", response.text);
            response.expect_error(404, "NOT_FOUND");
            for secret in [name.as_str(), a.id.as_str(), "secret input of A", &a_key[..11]] {
                assert!(!response.text.contains(secret), "{who}: {method} {path} leaks {secret:?}: {}", response.text);
            }
            // Indistinguishable from a flow that does not exist at all.
            if path.contains(&flow_id) {
                let probe = path.replace(&flow_id, &unknown_flow);
                let missing = as_user(&app, client, method.clone(), &probe, body.as_ref()).await;
                assert_eq!((missing.status, &missing.body), (response.status, &response.body), "{who}: {method} {path} vs a missing flow");
            }
        }
    }

    // A's things are exactly as they were, and still A's.
    let after = snapshot(&app, &a, &flow_id).await;
    for (before, after) in before.iter().zip(&after) {
        assert_eq!(before, after, "A's data changed");
    }
    // The intruders gained nothing (no duplicate, no run).
    for (who, client) in &intruders {
        let listed = as_user(&app, client, Method::GET, "/api/v1/flows/?get_all=true", None).await.expect(200).clone();
        assert_eq!(listed, json!([]), "{who}'s flows");
    }
    assert_eq!(app.send(app.anonymous.get(app.url("/api/v1/users/whoami")).header("x-api-key", &a_key)).await.expect(200)["id"], a.id.as_str());
    let rerun = as_user(&app, &a.client, Method::POST, &format!("/api/v1/flows/{flow_id}/execute"), Some(&json!({"input_value": "again"}))).await;
    assert_eq!(rerun.expect(200)["status"], "success");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flows_are_listed_and_named_per_owner() {
    let app = spawn_app().await;
    let a = new_user(&app, "lister-a").await;
    let b = new_user(&app, "lister-b").await;
    let post = |client: &reqwest::Client, body: Value| {
        let request = client.post(app.url("/api/v1/flows/")).json(&body);
        app.send(request)
    };

    // The same name (and endpoint name) for two users: no " (1)" across users.
    let mut shared = echo_flow("Shared name");
    shared["endpoint_name"] = json!("shared-endpoint");
    let a1 = post(&a.client, shared.clone()).await.expect(201).clone();
    let b1 = post(&b.client, shared.clone()).await.expect(201).clone();
    assert_eq!(a1["name"], "Shared name", "{a1}");
    assert_eq!(b1["name"], "Shared name", "{b1}");
    assert_eq!(a1["endpoint_name"], "shared-endpoint", "{a1}");
    assert_eq!(b1["endpoint_name"], "shared-endpoint", "{b1}");
    assert_ne!(a1["id"], b1["id"]);
    // Within one owner the name rule still applies.
    let a2 = post(&a.client, echo_flow("Shared name")).await.expect(201).clone();
    assert_eq!(a2["name"], "Shared name (1)", "{a2}");

    // A flow posted with somebody else's user_id still belongs to the caller.
    let mut planted = echo_flow("Planted");
    planted["user_id"] = json!(a.id);
    let planted = post(&b.client, planted).await.expect(201).clone();
    let planted_id = planted["id"].as_str().unwrap().to_owned();
    if let Some(owner) = planted.get("user_id").filter(|v| !v.is_null()) {
        assert_eq!(owner, &json!(b.id), "{planted}");
    }
    call(&app, &a.client, Method::GET, &format!("/api/v1/flows/{planted_id}"), None).await.expect_error(404, "NOT_FOUND");
    call(&app, &b.client, Method::GET, &format!("/api/v1/flows/{planted_id}"), None).await.expect(200);
    // ... and neither can an update move it.
    let moved = json!({"user_id": a.id, "description": "moved?"});
    call(&app, &b.client, Method::PATCH, &format!("/api/v1/flows/{planted_id}"), Some(&moved)).await.expect(200);
    call(&app, &a.client, Method::GET, &format!("/api/v1/flows/{planted_id}"), None).await.expect_error(404, "NOT_FOUND");

    let ids = |listed: &Value| -> Vec<String> {
        let items = listed.get("items").unwrap_or(listed);
        let mut ids: Vec<String> = items.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    let a_expected = sorted(vec![a1["id"].as_str().unwrap().into(), a2["id"].as_str().unwrap().into()]);
    let b_expected = sorted(vec![b1["id"].as_str().unwrap().into(), planted_id.clone()]);
    for path in ["/api/v1/flows/", "/api/v1/flows/?get_all=true", "/api/v1/flows/?page=1&size=1000"] {
        let a_list = call(&app, &a.client, Method::GET, path, None).await.expect(200).clone();
        let b_list = call(&app, &b.client, Method::GET, path, None).await.expect(200).clone();
        assert_eq!(ids(&a_list), a_expected, "A's {path}: {a_list}");
        assert_eq!(ids(&b_list), b_expected, "B's {path}: {b_list}");
        if a_list.get("total").is_some() {
            assert_eq!(a_list["total"], 2, "{a_list}");
            assert_eq!(b_list["total"], 2, "{b_list}");
        }
    }
    let admin = app.get("/api/v1/flows/?get_all=true").await.expect(200).clone();
    assert_eq!(admin, json!([]), "the superuser lists only their own flows");
}
