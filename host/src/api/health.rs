//! Liveness and readiness: `/health` (Langflow's) and `/health_check`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub db: &'static str,
    /// Components loaded in the registry.
    pub components: usize,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health)).route("/health_check", get(health))
}

/// Server health: answers 200 while the database answers.
#[utoipa::path(get, path = "/health", tag = "health", responses((status = 200, body = Health)))]
pub async fn health(State(state): State<AppState>) -> ApiResult<Json<Health>> {
    state.db.ping().await?;
    Ok(Json(Health { status: "ok", db: "ok", components: state.registry.all().len() }))
}
