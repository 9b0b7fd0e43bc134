//! Cross-cutting layers: the error-body normaliser and the panic handler.

use std::any::Any;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::error_response;

/// Rewrites any error response the framework produced without our JSON body
/// (unknown route, wrong method, timeouts, ...) into `{detail, error_code, status_code}`.
pub async fn normalize_error_bodies(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&response) {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let (code, detail) = describe(status);
    let mut rewritten = error_response(status, code, detail.to_owned());
    if let Some(allow) = allow {
        rewritten.headers_mut().insert(header::ALLOW, allow);
    }
    rewritten
}

fn is_json(response: &Response) -> bool {
    response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::NOT_FOUND => ("NOT_FOUND", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("METHOD_NOT_ALLOWED", "Method not allowed for this route"),
        StatusCode::PAYLOAD_TOO_LARGE => ("PAYLOAD_TOO_LARGE", "Request body is too large"),
        StatusCode::REQUEST_TIMEOUT => ("REQUEST_TIMEOUT", "The request took too long"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("UNSUPPORTED_MEDIA_TYPE", "Unsupported content type"),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => ("VALIDATION_ERROR", "Invalid request"),
        s if s.is_server_error() => ("INTERNAL_ERROR", "Internal server error"),
        _ => ("BAD_REQUEST", "Bad request"),
    }
}

/// A panic in a handler becomes a 500 with our body; the details go to the log only.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = message, "handler panicked");
    let mut response = error_response(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal server error".into());
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
