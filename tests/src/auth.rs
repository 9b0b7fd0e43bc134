//! Helpers for the auth tests: users and their clients, requests with any
//! credentials, and tokens decoded or forged with the test servers' secret.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use flowhost::{Application, Settings};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::{http_client, login, workspace_root, ApiResponse, TestApp, JWT_SECRET};

/// A user created by the superuser, and logged in.
pub struct TestUser {
    pub id: String,
    pub username: String,
    pub password: String,
    /// Sends this user's access token.
    pub client: reqwest::Client,
    /// The login's token pair.
    pub tokens: Value,
}

impl TestUser {
    pub fn access_token(&self) -> &str {
        self.tokens["access_token"].as_str().expect("access token")
    }

    pub fn refresh_token(&self) -> &str {
        self.tokens["refresh_token"].as_str().expect("refresh token")
    }
}

/// A response with its headers.
pub struct Reply {
    pub headers: HeaderMap,
    pub response: ApiResponse,
}

impl Reply {
    pub async fn read(response: reqwest::Response) -> Self {
        let headers = response.headers().clone();
        Self { headers, response: ApiResponse::read(response).await }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a 401 UNAUTHORIZED error body with `WWW-Authenticate: Bearer`; returns `detail`.
    #[track_caller]
    pub fn expect_unauthorized(&self, what: &str) -> &str {
        assert_eq!(self.response.status, 401, "{what}: body {}", self.response.text);
        let detail = self.response.expect_error(401, "UNAUTHORIZED");
        assert_eq!(self.header("www-authenticate"), Some("Bearer"), "{what}: WWW-Authenticate header");
        detail
    }
}

/// A unique username with `prefix`.
pub fn unique_username(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

/// `POST /api/v1/users` by the superuser; asserts 201 and returns the user.
pub async fn create_user(app: &TestApp, username: &str, password: &str) -> Value {
    app.post_json("/api/v1/users/", &json!({"username": username, "password": password}))
        .await
        .expect(201)
        .clone()
}

/// Creates a normal user (by the superuser) with a fresh password and logs them in.
pub async fn new_user(app: &TestApp, username: &str) -> TestUser {
    let password = format!("pw-{username}-{}", uuid::Uuid::new_v4().simple());
    let created = create_user(app, username, &password).await;
    let tokens = login(&app.anonymous, &app.address, username, &password).await;
    TestUser {
        id: created["id"].as_str().expect("user id").to_owned(),
        username: username.to_owned(),
        password,
        client: http_client(tokens["access_token"].as_str()),
        tokens,
    }
}

/// Sends `method path` with `client` and an optional JSON body.
pub async fn call(app: &TestApp, client: &reqwest::Client, method: Method, path: &str, body: Option<&Value>) -> ApiResponse {
    call_reply(app, client, method, path, body).await.response
}

/// Like [`call`], keeping the headers.
pub async fn call_reply(app: &TestApp, client: &reqwest::Client, method: Method, path: &str, body: Option<&Value>) -> Reply {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(body);
    }
    Reply::read(request.send().await.expect("request is sent")).await
}

/// `GET /api/v1/users/whoami` with `Authorization: Bearer <token>`.
pub async fn whoami_bearer(app: &TestApp, token: &str) -> Reply {
    let request = app.anonymous.get(app.url("/api/v1/users/whoami")).bearer_auth(token);
    Reply::read(request.send().await.expect("request is sent")).await
}

/// `POST /api/v1/refresh` with `{"refresh_token": token}`.
pub async fn refresh(app: &TestApp, token: &str) -> Reply {
    let request = app.anonymous.post(app.url("/api/v1/refresh")).json(&json!({ "refresh_token": token }));
    Reply::read(request.send().await.expect("request is sent")).await
}

/// `POST /api/v1/login` with JSON credentials, whatever the answer.
pub async fn try_login(app: &TestApp, username: &str, password: &str) -> Reply {
    let request = app.anonymous.post(app.url("/api/v1/login")).json(&json!({"username": username, "password": password}));
    Reply::read(request.send().await.expect("request is sent")).await
}

// ---- tokens ----

pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn decode_part(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap_or_else(|| panic!("not a JWT: {token}"));
    let bytes = URL_SAFE_NO_PAD.decode(part).unwrap_or_else(|e| panic!("JWT part {index} is not base64url ({e}): {token}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("JWT part {index} is not JSON ({e}): {token}"))
}

/// A JWT's claims, read without verifying anything.
pub fn claims_of(token: &str) -> Value {
    decode_part(token, 1)
}

/// A JWT's header, read without verifying anything.
pub fn header_of(token: &str) -> Value {
    decode_part(token, 0)
}

/// Signs `claims` with `header` and `key`.
pub fn sign(claims: &Value, header: &Header, key: &EncodingKey) -> String {
    jsonwebtoken::encode(header, claims, key).expect("signing a test token")
}

/// Signs `claims` with an HMAC `alg` and `secret`.
pub fn sign_hmac(claims: &Value, alg: Algorithm, secret: &[u8]) -> String {
    let key = EncodingKey::from_secret(secret).expect("an HMAC key");
    sign(claims, &Header::new(alg), &key)
}

/// Signs `claims` like the test servers do: HS256 with [`JWT_SECRET`].
pub fn sign_hs256(claims: &Value) -> String {
    sign_hmac(claims, Algorithm::HS256, JWT_SECRET.as_bytes())
}

/// An unsigned token: header `{"alg":"none","typ":"JWT"}` and an empty signature.
pub fn unsigned_token(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{payload}.")
}

/// `token` with its payload replaced by `claims`, keeping the original header and signature.
pub fn with_swapped_payload(token: &str, claims: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "not a JWT: {token}");
    format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(claims.to_string()), parts[2])
}

// ---- servers outside the harness ----

/// Settings like the harness's (test cache, port 0), before any auth setting.
pub fn bare_settings(data_dir: &TempDir, plugins_dir: &TempDir) -> Settings {
    let mut settings = Settings::for_tests(data_dir.path().to_path_buf(), plugins_dir.path().to_path_buf());
    settings.cache_dir = Some(workspace_root().join("target/test-cache"));
    settings
}

/// A running server started without the harness (no superuser login at start).
pub struct BareApp {
    pub address: String,
    pub data_dir: TempDir,
    pub plugins_dir: TempDir,
}

/// Starts a server from [`bare_settings`] edited by `configure`; nothing else is set.
pub async fn spawn_bare_app(configure: impl FnOnce(&mut Settings)) -> BareApp {
    crate::logs::install_log_capture();
    let data_dir = tempfile::tempdir().expect("temp data dir");
    let plugins_dir = tempfile::tempdir().expect("temp plugins dir");
    let mut settings = bare_settings(&data_dir, &plugins_dir);
    configure(&mut settings);
    let app = Application::build(settings).await.expect("the server builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    BareApp { address, data_dir, plugins_dir }
}
