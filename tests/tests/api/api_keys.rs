//! `/api/v1/api_key`: creating, listing (masked), using and deleting API keys.

use flowhost_tests::auth::{call, new_user, TestUser};
use flowhost_tests::{spawn_app, ApiResponse, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn as_user(app: &TestApp, user: &TestUser, method: Method, path: &str, body: Option<Value>) -> ApiResponse {
    call(app, &user.client, method, path, body.as_ref()).await
}

async fn whoami_with_key_header(app: &TestApp, key: &str) -> ApiResponse {
    app.send(app.anonymous.get(app.url("/api/v1/users/whoami")).header("x-api-key", key)).await
}

async fn whoami_with_key_query(app: &TestApp, key: &str) -> ApiResponse {
    app.send(app.anonymous.get(app.url(&format!("/api/v1/users/whoami?x-api-key={key}")))).await
}

#[track_caller]
fn is_full_key(key: &str) -> bool {
    key.len() == 3 + 64 && key.starts_with("sk-") && key[3..].chars().all(|c| c.is_ascii_hexdigit())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_key_is_shown_once_listed_masked_counted_and_revocable() {
    let app = spawn_app().await;
    let user = new_user(&app, "keyholder").await;

    let created = as_user(&app, &user, Method::POST, "/api/v1/api_key/", Some(json!({"name": "ci"}))).await.expect(200).clone();
    let mut keys: Vec<&str> = created.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["api_key", "created_at", "id", "last_used_at", "name", "total_uses"], "{created}");
    let key = created["api_key"].as_str().unwrap().to_owned();
    let key_id = created["id"].as_str().unwrap().to_owned();
    assert!(is_full_key(&key), "not sk- and 64 hex digits: {key}");
    assert_eq!(created["name"], "ci", "{created}");
    assert_eq!(created["total_uses"], 0, "{created}");
    assert!(created["last_used_at"].is_null(), "{created}");
    let second = as_user(&app, &user, Method::POST, "/api/v1/api_key/", Some(json!({"name": "spare"}))).await.expect(200).clone();
    let spare = second["api_key"].as_str().unwrap().to_owned();
    assert_ne!(spare, key);

    // The list shows a masked prefix, never the key.
    let list = as_user(&app, &user, Method::GET, "/api/v1/api_key/", None).await;
    assert!(!list.text.contains(&key) && !list.text.contains(&key[3..]), "a full key is listed: {}", list.text);
    assert!(!list.text.contains(&spare[3..]), "a full key is listed: {}", list.text);
    let listed = list.expect(200).clone();
    assert_eq!(listed["total_count"], 2, "{listed}");
    assert_eq!(listed["user_id"], user.id.as_str(), "{listed}");
    let entry = listed["api_keys"].as_array().unwrap().iter().find(|k| k["id"] == key_id.as_str()).cloned().expect("the key is listed");
    let mut entry_keys: Vec<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
    entry_keys.sort_unstable();
    assert_eq!(entry_keys, ["api_key", "created_at", "id", "last_used_at", "name", "total_uses"], "{entry}");
    assert_eq!(entry["api_key"], format!("{}{}", &key[..11], "*".repeat(16)), "{entry}");
    assert_eq!(entry["name"], "ci");
    assert_eq!(entry["total_uses"], 0);

    // Using it: header and query parameter authenticate as the owner.
    assert_eq!(whoami_with_key_header(&app, &key).await.expect(200)["id"], user.id.as_str());
    assert_eq!(whoami_with_key_query(&app, &key).await.expect(200)["id"], user.id.as_str());
    let flows = app.send(app.anonymous.get(app.url("/api/v1/flows/")).header("x-api-key", &key)).await;
    assert_eq!(flows.expect(200)["total"], 0);
    // It carries the user's rights, no more.
    app.send(app.anonymous.get(app.url("/api/v1/users/")).header("x-api-key", &key)).await.expect_error(403, "FORBIDDEN");

    let listed = as_user(&app, &user, Method::GET, "/api/v1/api_key/", None).await.expect(200).clone();
    let entry = listed["api_keys"].as_array().unwrap().iter().find(|k| k["id"] == key_id.as_str()).cloned().unwrap();
    assert_eq!(entry["total_uses"], 4, "four requests used the key: {entry}");
    assert!(entry["last_used_at"].is_string(), "{entry}");
    let unused = listed["api_keys"].as_array().unwrap().iter().find(|k| k["name"] == "spare").cloned().unwrap();
    assert_eq!(unused["total_uses"], 0, "{unused}");
    assert!(unused["last_used_at"].is_null(), "{unused}");

    // Deleting: the key stops working at once, the other one does not.
    let deleted = as_user(&app, &user, Method::DELETE, &format!("/api/v1/api_key/{key_id}"), None).await;
    deleted.expect(200);
    whoami_with_key_header(&app, &key).await.expect_error(401, "UNAUTHORIZED");
    whoami_with_key_query(&app, &key).await.expect_error(401, "UNAUTHORIZED");
    assert_eq!(whoami_with_key_header(&app, &spare).await.expect(200)["id"], user.id.as_str());
    as_user(&app, &user, Method::DELETE, &format!("/api/v1/api_key/{key_id}"), None).await.expect_error(404, "NOT_FOUND");
    as_user(&app, &user, Method::DELETE, &format!("/api/v1/api_key/{}", uuid::Uuid::new_v4()), None)
        .await
        .expect_error(404, "NOT_FOUND");
    let listed = as_user(&app, &user, Method::GET, "/api/v1/api_key/", None).await.expect(200).clone();
    assert_eq!(listed["total_count"], 1, "{listed}");

    // A key that was never issued, or one character off, is refused.
    let mut off_by_one = spare.clone();
    let last = off_by_one.pop().unwrap();
    off_by_one.push(if last == '0' { '1' } else { '0' });
    whoami_with_key_header(&app, &off_by_one).await.expect_error(401, "UNAUTHORIZED");
    whoami_with_key_header(&app, "sk-").await.expect_error(401, "UNAUTHORIZED");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_are_per_user() {
    let app = spawn_app().await;
    let owner = new_user(&app, "owner").await;
    let stranger = new_user(&app, "stranger").await;
    let created = as_user(&app, &owner, Method::POST, "/api/v1/api_key/", Some(json!({"name": "mine"}))).await.expect(200).clone();
    let (key, key_id) = (created["api_key"].as_str().unwrap(), created["id"].as_str().unwrap());

    // A stranger (and the superuser) neither see nor delete it.
    let theirs = as_user(&app, &stranger, Method::GET, "/api/v1/api_key/", None).await.expect(200).clone();
    assert_eq!(theirs["total_count"], 0, "{theirs}");
    assert_eq!(theirs["user_id"], stranger.id.as_str(), "{theirs}");
    as_user(&app, &stranger, Method::DELETE, &format!("/api/v1/api_key/{key_id}"), None).await.expect_error(404, "NOT_FOUND");
    app.delete(&format!("/api/v1/api_key/{key_id}")).await.expect_error(404, "NOT_FOUND");
    let admins = app.get("/api/v1/api_key/").await.expect(200).clone();
    assert_eq!(admins["total_count"], 0, "{admins}");

    // Still the owner's, still working.
    assert_eq!(whoami_with_key_header(&app, key).await.expect(200)["id"], owner.id.as_str());
    let mine = as_user(&app, &owner, Method::GET, "/api/v1/api_key/", None).await.expect(200).clone();
    assert_eq!(mine["total_count"], 1, "{mine}");

    // An empty name gets a default; an absurdly long one is refused.
    let unnamed = as_user(&app, &owner, Method::POST, "/api/v1/api_key/", Some(json!({}))).await.expect(200).clone();
    assert!(unnamed["name"].as_str().is_some_and(|n| !n.is_empty()), "{unnamed}");
    as_user(&app, &owner, Method::POST, "/api/v1/api_key/", Some(json!({"name": "x".repeat(300)})))
        .await
        .expect_error(422, "VALIDATION_ERROR");
}
