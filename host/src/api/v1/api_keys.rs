//! `/api/v1/api_key`: the caller's API keys. A key is shown once, at creation;
//! it is stored as a SHA-256 hash and listed by a masked prefix.

use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::db::ApiKeyRow;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api_key", get(list_api_keys).post(create_api_key))
        .route("/api_key/{id}", delete(delete_api_key))
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeysPage {
    pub total_count: usize,
    pub user_id: String,
    pub api_keys: Vec<ApiKeyRow>,
}

/// The caller's keys, masked.
#[utoipa::path(get, path = "/api/v1/api_key/", tag = "api keys", responses((status = 200, body = ApiKeysPage)))]
pub async fn list_api_keys(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<ApiKeysPage>> {
    let api_keys = state.db.list_api_keys(user.id()).await?;
    Ok(Json(ApiKeysPage { total_count: api_keys.len(), user_id: user.id().to_owned(), api_keys }))
}

#[derive(Deserialize, ToSchema)]
pub struct ApiKeyCreate {
    #[serde(default)]
    pub name: Option<String>,
}

/// A new key (Langflow's shape); `api_key` is the only time the key is shown.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyCreated {
    pub id: String,
    pub name: String,
    pub api_key: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub total_uses: i64,
}

#[utoipa::path(post, path = "/api/v1/api_key/", tag = "api keys", request_body = ApiKeyCreate, responses((status = 200, body = ApiKeyCreated)))]
pub async fn create_api_key(State(state): State<AppState>, user: CurrentUser, Json(body): Json<ApiKeyCreate>) -> ApiResult<Json<ApiKeyCreated>> {
    let name = body.name.unwrap_or_default().trim().to_owned();
    if name.chars().count() > 255 {
        return Err(ApiError::Validation("API key name must be at most 255 characters".into()));
    }
    let name = if name.is_empty() { "API key".to_owned() } else { name };
    let (row, api_key) = state.auth.create_api_key(user.id(), &name).await?;
    Ok(Json(ApiKeyCreated { id: row.id, name: row.name, api_key, created_at: row.created_at, last_used_at: None, total_uses: 0 }))
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    pub detail: &'static str,
}

/// Deletes one of the caller's keys; anyone else's is a 404.
#[utoipa::path(delete, path = "/api/v1/api_key/{id}", tag = "api keys", responses((status = 200, body = Deleted), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete_api_key(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Json<Deleted>> {
    if state.db.delete_api_key(user.id(), &id).await? {
        Ok(Json(Deleted { detail: "API Key deleted" }))
    } else {
        Err(ApiError::not_found("API key"))
    }
}
