//! A stand-in OpenID Connect provider: RSA signing keys (fixed 2048-bit test
//! keys in `tests/fixtures/`) and a JWKS endpoint whose key set can change
//! while the server under test runs (key rotation).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use axum::routing::get;
use axum::Router;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

/// The audience the OIDC tests configure.
pub const OIDC_AUDIENCE: &str = "flowhost-test";

const KEY_1: &[u8] = include_bytes!("../fixtures/oidc-rsa-1.pem");
const KEY_2: &[u8] = include_bytes!("../fixtures/oidc-rsa-2.pem");

/// One of the provider's signing keys.
pub struct RsaTestKey {
    pub kid: String,
    encoding: EncodingKey,
}

impl RsaTestKey {
    /// Test key 1 or 2 (from `tests/fixtures/oidc-rsa-<n>.pem`) under `kid`.
    pub fn fixture(number: u8, kid: &str) -> Self {
        let pem = match number {
            1 => KEY_1,
            2 => KEY_2,
            other => panic!("there is no test key {other}"),
        };
        let encoding = EncodingKey::from_rsa_pem(pem).expect("the fixture is an RSA private key");
        Self { kid: kid.to_owned(), encoding }
    }

    /// The public key as a JWKS entry: `{kty, kid, alg, use, n, e}`.
    pub fn jwk(&self) -> Value {
        let jwk = Jwk::from_encoding_key(&self.encoding, Algorithm::RS256).expect("a JWK from the RSA key");
        let mut value = serde_json::to_value(jwk).expect("JWK as JSON");
        let entry = value.as_object_mut().expect("a JWK is an object");
        entry.insert("kid".into(), json!(self.kid));
        entry.insert("use".into(), json!("sig"));
        entry.insert("alg".into(), json!("RS256"));
        assert_eq!(value["kty"], "RSA", "{value}");
        assert!(value["n"].is_string() && value["e"].is_string(), "{value}");
        value
    }

    /// Signs `claims` with RS256 and this key's `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(claims, Some(&self.kid))
    }

    /// Signs `claims` with RS256 and the given `kid` header (or none).
    pub fn sign_as(&self, claims: &Value, kid: Option<&str>) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("signing an RS256 token")
    }
}

/// A JWKS endpoint on `127.0.0.1:<port>/jwks.json` (stopped on drop).
pub struct JwksServer {
    /// `http://127.0.0.1:<port>`, also the issuer the tests configure.
    pub issuer: String,
    /// `<issuer>/jwks.json`
    pub url: String,
    keys: Arc<RwLock<Vec<Value>>>,
    fetches: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl JwksServer {
    /// Serves `keys` (JWKS entries) until dropped.
    pub async fn start(keys: Vec<Value>) -> Self {
        let keys = Arc::new(RwLock::new(keys));
        let fetches = Arc::new(AtomicUsize::new(0));
        let (served, counter) = (keys.clone(), fetches.clone());
        let app = Router::new().route(
            "/jwks.json",
            get(move || {
                let (served, counter) = (served.clone(), counter.clone());
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let keys = served.read().expect("JWKS lock").clone();
                    axum::Json(json!({ "keys": keys }))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the JWKS server");
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().expect("JWKS address").port());
        let task = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("the JWKS server runs");
        });
        Self { url: format!("{issuer}/jwks.json"), issuer, keys, fetches, task }
    }

    /// Publishes one more key.
    pub fn add_key(&self, jwk: Value) {
        self.keys.write().expect("JWKS lock").push(jwk);
    }

    /// How many times the key set was fetched.
    pub fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }

    /// Standard claims of a valid token for `sub`, expiring in an hour.
    pub fn claims(&self, sub: &str, preferred_username: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.issuer,
            "aud": OIDC_AUDIENCE,
            "sub": sub,
            "iat": now,
            "exp": now + 3600,
            "preferred_username": preferred_username,
        })
    }
}

impl Drop for JwksServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}
