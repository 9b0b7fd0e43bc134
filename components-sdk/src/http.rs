//! Outgoing HTTP through the host, checked against the granted origins
//! (`ComponentInfo::needs_http`). Outside Wasm every request fails with `Transport`.

use serde::de::DeserializeOwned;

use crate::bindings::flowhost::component::http as wit;
pub use crate::bindings::flowhost::component::http::{HttpError, Response};
use crate::bindings::ComponentError;

/// An HTTP request builder: `Request::post(url).json(&body).send()?`.
#[derive(Clone, Debug)]
pub struct Request(wit::Request);

impl Request {
    pub fn new(method: &str, url: impl Into<String>) -> Self {
        Self(wit::Request {
            method: method.to_owned(),
            url: url.into(),
            headers: Vec::new(),
            body: None,
            timeout_ms: None,
        })
    }

    pub fn get(url: impl Into<String>) -> Self {
        Self::new("GET", url)
    }

    pub fn post(url: impl Into<String>) -> Self {
        Self::new("POST", url)
    }

    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.0.headers.push((name.into(), value.into()));
        self
    }

    /// `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", format!("Bearer {token}"))
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.0.body = Some(body.into());
        self
    }

    /// A JSON body, with its content type.
    pub fn json(self, body: &serde_json::Value) -> Self {
        self.header("Content-Type", "application/json")
            .body(body.to_string())
    }

    /// Asks for a shorter deadline than the host's own.
    pub fn timeout_ms(mut self, ms: u32) -> Self {
        self.0.timeout_ms = Some(ms);
        self
    }

    pub fn send(&self) -> Result<Response, HttpError> {
        #[cfg(target_arch = "wasm32")]
        return wit::fetch(&self.0);
        #[cfg(not(target_arch = "wasm32"))]
        return Err(HttpError::Transport(format!(
            "HTTP is only available inside a Flowhost host ({})",
            self.0.url
        )));
    }
}

impl Response {
    /// Status 200–299.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON; `Upstream` error when it is not.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ComponentError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            ComponentError::Upstream(format!("response is not the JSON expected: {e}"))
        })
    }

    /// `Upstream` error (with the start of the body) unless the status is 2xx.
    pub fn error_for_status(self) -> Result<Self, ComponentError> {
        if self.is_success() {
            return Ok(self);
        }
        let body: String = self.text().chars().take(500).collect();
        Err(ComponentError::Upstream(format!(
            "HTTP {}: {body}",
            self.status
        )))
    }
}

impl From<HttpError> for ComponentError {
    fn from(e: HttpError) -> Self {
        match e {
            HttpError::Denied(url) => {
                Self::CapabilityDenied(format!("HTTP to {url} is not granted to this component"))
            }
            HttpError::Timeout => Self::Upstream("HTTP request timed out".into()),
            HttpError::TooLarge => Self::Upstream("HTTP response too large".into()),
            HttpError::Transport(m) => Self::Upstream(format!("HTTP request failed: {m}")),
        }
    }
}
