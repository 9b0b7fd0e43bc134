//! `/api/v1/login`, `/refresh`, `/logout`, `/auto_login`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{cookie, CurrentUser, REFRESH_COOKIE};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::services::auth::TokenPair;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/auto_login", get(auto_login))
}

/// Credentials, as JSON or as Langflow's OAuth2 form.
#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Reads JSON or `application/x-www-form-urlencoded`, whichever the client sent.
async fn credentials(state: &AppState, request: Request) -> ApiResult<LoginRequest> {
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let Form(form) = Form::<LoginRequest>::from_request(request, state)
            .await
            .map_err(|e| match e.status() {
                axum::http::StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge("request body is too large".into()),
                _ => ApiError::Validation(format!("invalid login form: {}", e.body_text())),
            })?;
        return Ok(form);
    }
    let Json(body) = Json::<LoginRequest>::from_request(request, state).await?;
    Ok(body)
}

/// Logs in; answers the token pair and sets the refresh token as an HttpOnly cookie.
#[utoipa::path(post, path = "/api/v1/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::ErrorBody), (status = 429, body = crate::error::ErrorBody)))]
pub async fn login(State(state): State<AppState>, ConnectInfo(client): ConnectInfo<SocketAddr>, request: Request) -> ApiResult<Response> {
    let credentials = credentials(&state, request).await?;
    let (pair, user) = state.auth.login(&credentials.username, &credentials.password, Some(client.ip())).await?;
    tracing::info!(user_id = %user.id, "login");
    Ok(with_refresh_cookie(&state, pair))
}

fn with_refresh_cookie(state: &AppState, pair: TokenPair) -> Response {
    let max_age = state.auth.settings.refresh_token_expire_seconds;
    let cookie = format!("{REFRESH_COOKIE}={}; HttpOnly; SameSite=Lax; Path=/api/v1; Max-Age={max_age}", pair.refresh_token);
    let mut response = Json(pair).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[derive(Deserialize, Default, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: Option<String>,
}

/// Trades a refresh token (JSON body or cookie) for a new pair. Each works once.
#[utoipa::path(post, path = "/api/v1/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenPair), (status = 401, body = crate::error::ErrorBody)))]
pub async fn refresh(State(state): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> ApiResult<Response> {
    let from_body = if body.is_empty() {
        None
    } else {
        serde_json::from_slice::<RefreshRequest>(&body).map_err(|e| ApiError::Validation(format!("invalid JSON body: {e}")))?.refresh_token
    };
    let token = from_body.or_else(|| cookie(&headers, REFRESH_COOKIE)).ok_or_else(|| ApiError::Unauthorized("No refresh token".into()))?;
    let pair = state.auth.refresh(&token).await?;
    Ok(with_refresh_cookie(&state, pair))
}

#[derive(Serialize, ToSchema)]
pub struct Message {
    pub message: &'static str,
}

/// Revokes the access token used and its whole session (refresh tokens included).
#[utoipa::path(post, path = "/api/v1/logout", tag = "auth", responses((status = 200, body = Message), (status = 401, body = crate::error::ErrorBody)))]
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    if let Some(session) = &user.session {
        state.auth.logout(session).await?;
    }
    let mut response = Json(Message { message: "Logout successful" }).into_response();
    let expired = format!("{REFRESH_COOKIE}=; HttpOnly; SameSite=Lax; Path=/api/v1; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&expired) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Single-user desktop mode: superuser tokens without a password. Off by
/// default, and only ever on when the server listens on loopback.
#[utoipa::path(get, path = "/api/v1/auto_login", tag = "auth", responses((status = 200, body = TokenPair), (status = 403, body = crate::error::ErrorBody)))]
pub async fn auto_login(State(state): State<AppState>) -> ApiResult<Response> {
    if !state.auth.settings.auto_login || !state.settings.listens_on_loopback() {
        return Err(ApiError::Forbidden("Auto login is disabled".into()));
    }
    let pair = state.auth.superuser_session().await?;
    Ok(with_refresh_cookie(&state, pair))
}
