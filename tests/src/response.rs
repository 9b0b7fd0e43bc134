//! A response read into memory, with assertions that print the body on failure.

use serde_json::Value;

/// Status and body of one HTTP response.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// The body parsed as JSON (`Value::Null` when it is empty or not JSON).
    pub body: Value,
    pub text: String,
}

impl ApiResponse {
    pub(crate) async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.expect("response body is readable");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Self {
            status,
            content_type,
            body,
            text,
        }
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        &self.body
    }

    /// Asserts an error response: the status, `error_code`, and that the body is
    /// exactly `{"detail": str, "error_code": str, "status_code": int}`.
    /// Returns `detail`.
    #[track_caller]
    pub fn expect_error(&self, status: u16, error_code: &str) -> &str {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self.assert_error_body();
        assert_eq!(self.body["error_code"], error_code, "body: {}", self.text);
        self.body["detail"].as_str().unwrap_or_default()
    }

    /// Asserts that the body has the error shape and agrees with the HTTP status.
    #[track_caller]
    pub fn assert_error_body(&self) {
        let obj = self
            .body
            .as_object()
            .unwrap_or_else(|| panic!("error body is not a JSON object: {:?}", self.text));
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["detail", "error_code", "status_code"],
            "body: {}",
            self.text
        );
        assert!(
            obj["detail"].is_string(),
            "detail is not a string: {}",
            self.text
        );
        assert!(
            obj["error_code"].is_string(),
            "error_code is not a string: {}",
            self.text
        );
        assert_eq!(
            obj["status_code"], self.status,
            "status_code disagrees: {}",
            self.text
        );
    }
}

/// The `text` of a Message value (an object with `text`), or the value itself when
/// it is a plain string.
#[track_caller]
pub fn message_text(value: &Value) -> &str {
    match value {
        Value::String(s) => s,
        Value::Object(obj) => obj
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("message has no string `text`: {value}")),
        other => panic!("not a message: {other}"),
    }
}
