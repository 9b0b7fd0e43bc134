//! `/api/v1/components`: what the registry holds, as a UI draws it.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::runtime::metadata::ComponentMeta;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/components", get(list_components))
        .route("/components/{component_type}", get(get_component))
}

/// Every registered component: built-ins first, then plugins.
#[utoipa::path(get, path = "/api/v1/components/", tag = "components", responses((status = 200, body = [ComponentMeta])))]
pub async fn list_components(State(state): State<AppState>, _user: CurrentUser) -> Json<Vec<ComponentMeta>> {
    Json(state.registry.all().iter().map(|c| c.meta.clone()).collect())
}

/// One component by its node type or an alias.
#[utoipa::path(
    get, path = "/api/v1/components/{component_type}", tag = "components",
    params(("component_type" = String, Path, description = "Langflow node type, e.g. ChatInput")),
    responses((status = 200, body = ComponentMeta), (status = 404, body = crate::error::ErrorBody))
)]
pub async fn get_component(State(state): State<AppState>, _user: CurrentUser, Path(component_type): Path<String>) -> ApiResult<Json<ComponentMeta>> {
    state
        .registry
        .get(&component_type)
        .map(|c| Json(c.meta.clone()))
        .ok_or_else(|| ApiError::NotFound(format!("component type '{component_type}' not found")))
}
