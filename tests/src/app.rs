//! Start the real server for one test and talk to it.

use std::time::Duration;

use flowhost::{Application, Settings};
use serde_json::Value;
use tempfile::TempDir;

use crate::{hostile_wasm, workspace_root, ApiResponse};

/// The superuser every test server starts with.
pub const SUPERUSER: &str = "admin";
pub const SUPERUSER_PASSWORD: &str = "test-superuser-password";
/// The HS256 secret of test servers, so tests can forge tokens.
pub const JWT_SECRET: &str = "test-secret-test-secret-test-secret-0123456789";

/// A running server with its own data and plugins directories (removed on drop).
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub port: u16,
    /// Sends the superuser's access token with every request.
    pub client: reqwest::Client,
    /// Sends no credentials.
    pub anonymous: reqwest::Client,
    /// The superuser's token pair from the login at start.
    pub tokens: Value,
    pub data_dir: TempDir,
    pub plugins_dir: TempDir,
}

/// Starts a server with the test defaults.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts a server after `configure` has edited the settings. The plugins
/// directory (`settings.plugins_dir`) already exists and may be filled here.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    crate::logs::install_log_capture();
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let plugins_dir = tempfile::tempdir().expect("temp plugins dir");
    let mut settings = Settings::for_tests(
        data_dir.path().to_path_buf(),
        plugins_dir.path().to_path_buf(),
    );
    settings.cache_dir = Some(workspace_root().join("target/test-cache"));
    settings.auth.superuser = SUPERUSER.into();
    settings.auth.superuser_password = Some(SUPERUSER_PASSWORD.into());
    settings.auth.secret_key = Some(JWT_SECRET.into());
    configure(&mut settings);

    let app = Application::build(settings)
        .await
        .expect("the server builds");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let address = format!("http://127.0.0.1:{port}");
    let anonymous = http_client(None);
    let tokens = login(&anonymous, &address, SUPERUSER, SUPERUSER_PASSWORD).await;
    let access = tokens["access_token"].as_str().expect("access token").to_owned();
    TestApp {
        address,
        port,
        client: http_client(Some(&access)),
        anonymous,
        tokens,
        data_dir,
        plugins_dir,
    }
}

/// An HTTP client, sending `Authorization: Bearer <token>` when given one.
pub fn http_client(bearer: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = bearer {
        let value = format!("Bearer {token}").parse().expect("header value");
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .default_headers(headers)
        .build()
        .expect("http client")
}

/// `POST /api/v1/login` with JSON credentials; panics unless it answers 200.
pub async fn login(client: &reqwest::Client, address: &str, username: &str, password: &str) -> Value {
    let response = client
        .post(format!("{address}/api/v1/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login request");
    let status = response.status();
    let body: Value = response.json().await.expect("login body");
    assert_eq!(status, 200, "login as {username} failed: {body}");
    body
}

/// Starts a server whose plugins directory holds the hostile test component.
pub async fn spawn_hostile_app() -> TestApp {
    spawn_hostile_app_with(|_| {}).await
}

/// Like [`spawn_hostile_app`], with settings edited by `configure`.
pub async fn spawn_hostile_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let wasm = hostile_wasm();
    spawn_app_with(|settings| {
        let dest = settings.plugins_dir.join("hostile.wasm");
        std::fs::copy(&wasm, dest).expect("copy the hostile component");
        configure(settings);
    })
    .await
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> ApiResponse {
        ApiResponse::read(request.send().await.expect("request is sent")).await
    }

    pub async fn get(&self, path: &str) -> ApiResponse {
        self.send(self.client.get(self.url(path))).await
    }

    pub async fn delete(&self, path: &str) -> ApiResponse {
        self.send(self.client.delete(self.url(path))).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> ApiResponse {
        self.send(self.client.post(self.url(path)).json(body)).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> ApiResponse {
        self.send(self.client.put(self.url(path)).json(body)).await
    }

    /// `POST /api/v1/flows/` with raw bytes and the given content type (if any).
    pub async fn post_raw(
        &self,
        path: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> ApiResponse {
        let mut request = self.client.post(self.url(path)).body(body);
        if let Some(ct) = content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, ct);
        }
        self.send(request).await
    }

    /// Creates a flow, asserts 201 and returns the stored flow.
    pub async fn create_flow(&self, flow: &Value) -> Value {
        self.post_json("/api/v1/flows/", flow)
            .await
            .expect(201)
            .clone()
    }

    /// Creates a flow and returns its id.
    pub async fn create_flow_id(&self, flow: &Value) -> String {
        let created = self.create_flow(flow).await;
        created["id"]
            .as_str()
            .expect("flow id is a string")
            .to_owned()
    }

    /// `POST /api/v1/flows/{id}/execute`.
    pub async fn execute(&self, flow_id: &str, body: &Value) -> ApiResponse {
        self.post_json(&format!("/api/v1/flows/{flow_id}/execute"), body)
            .await
    }

    /// `GET /api/v1/components/{type}`, asserting 200.
    pub async fn component(&self, component_type: &str) -> Value {
        self.get(&format!("/api/v1/components/{component_type}"))
            .await
            .expect(200)
            .clone()
    }
}
