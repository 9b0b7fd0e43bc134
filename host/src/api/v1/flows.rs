//! `/api/v1/flows`: Langflow's flow CRUD, scoped to the caller.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::db::{FlowPatch, FlowRow, NewFlow};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json as Body, Query};
use crate::state::AppState;

const MAX_NAME_LEN: usize = 255;
const MAX_PAGE_SIZE: i64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/flows", get(list_flows).post(create_flow))
        .route("/flows/{id}", get(get_flow).put(update_flow).patch(update_flow).delete(delete_flow))
        .route("/flows/{id}/duplicate", post(duplicate_flow))
}

/// A flow to create: Langflow's export format is accepted as is (extra keys,
/// `user_id` included, are ignored: a flow always belongs to the caller).
#[derive(Debug, Deserialize, ToSchema)]
pub struct FlowCreate {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `{nodes: [...], edges: [...]}` as Langflow exports it.
    #[schema(value_type = Object)]
    pub data: Json,
    #[serde(default)]
    pub endpoint_name: Option<String>,
    #[serde(default)]
    pub is_component: Option<bool>,
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    #[serde(default)]
    pub folder_id: Option<String>,
}

/// Fields to change; absent fields keep their value.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FlowUpdate {
    pub name: Option<String>,
    pub description: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub data: Option<Json>,
    pub endpoint_name: Option<String>,
    pub is_component: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub folder_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// 1-based page number.
    #[serde(default = "first_page")]
    pub page: i64,
    /// Items per page (at most 1000).
    #[serde(default = "default_size")]
    pub size: i64,
    /// Langflow UI compatibility: answer a plain array of every flow.
    #[serde(default)]
    pub get_all: bool,
}

fn first_page() -> i64 {
    1
}

fn default_size() -> i64 {
    50
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlowPage {
    pub items: Vec<FlowRow>,
    pub total: i64,
    pub page: i64,
    pub size: i64,
    pub pages: i64,
}

/// Parses a path id; anything that is not a UUID cannot name a flow.
pub(crate) fn flow_id(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| ApiError::not_found("flow"))
}

fn check_name(name: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > MAX_NAME_LEN {
        return Err(ApiError::Validation(format!("flow name must be 1 to {MAX_NAME_LEN} characters")));
    }
    Ok(name.to_owned())
}

/// The graph must be an object whose `nodes` and `edges`, when present, are arrays.
fn check_data(data: &Json) -> ApiResult<()> {
    let Json::Object(map) = data else {
        return Err(ApiError::Validation("flow data must be an object with `nodes` and `edges`".into()));
    };
    for key in ["nodes", "edges"] {
        if map.get(key).is_some_and(|v| !v.is_array()) {
            return Err(ApiError::Validation(format!("flow data `{key}` must be an array")));
        }
    }
    Ok(())
}

/// The caller's flows: a page object, or a plain array with `get_all=true`.
#[utoipa::path(get, path = "/api/v1/flows/", tag = "flows", params(ListParams), responses((status = 200, body = FlowPage)))]
pub async fn list_flows(State(state): State<AppState>, user: CurrentUser, Query(params): Query<ListParams>) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    if params.get_all {
        let (items, _) = state.db.list_flows(user.owner(), i64::MAX, 0).await?;
        return Ok(axum::Json(items).into_response());
    }
    if params.page < 1 || !(1..=MAX_PAGE_SIZE).contains(&params.size) {
        return Err(ApiError::Validation(format!("page must be >= 1 and size between 1 and {MAX_PAGE_SIZE}")));
    }
    let offset = (params.page - 1).checked_mul(params.size).ok_or_else(|| ApiError::Validation("page is too large".into()))?;
    let (items, total) = state.db.list_flows(user.owner(), params.size, offset).await?;
    let pages = (total + params.size - 1) / params.size;
    Ok(axum::Json(FlowPage { items, total, page: params.page, size: params.size, pages }).into_response())
}

/// Creates a flow. A name already in use gets Langflow's " (1)" suffix.
#[utoipa::path(post, path = "/api/v1/flows/", tag = "flows", request_body = FlowCreate,
    responses((status = 201, body = FlowRow), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_flow(State(state): State<AppState>, user: CurrentUser, Body(body): Body<FlowCreate>) -> ApiResult<(StatusCode, Body<FlowRow>)> {
    check_data(&body.data)?;
    let flow = NewFlow {
        name: check_name(&body.name)?,
        description: body.description.unwrap_or_default(),
        data: body.data,
        endpoint_name: body.endpoint_name.filter(|e| !e.is_empty()),
        is_component: body.is_component.unwrap_or(false),
        tags: body.tags.unwrap_or_default(),
        folder_id: body.folder_id,
    };
    Ok((StatusCode::CREATED, Body(state.db.create_flow(user.owner(), flow).await?)))
}

/// One flow.
#[utoipa::path(get, path = "/api/v1/flows/{id}", tag = "flows", params(("id" = Uuid, Path)),
    responses((status = 200, body = FlowRow), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_flow(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Body<FlowRow>> {
    let id = flow_id(&id)?;
    state.db.get_flow(user.owner(), &id.to_string()).await?.map(Body).ok_or_else(|| ApiError::not_found("flow"))
}

/// Changes a flow (PUT and Langflow's PATCH); absent fields are kept.
#[utoipa::path(put, path = "/api/v1/flows/{id}", tag = "flows", params(("id" = Uuid, Path)), request_body = FlowUpdate,
    responses((status = 200, body = FlowRow), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_flow(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Body(body): Body<FlowUpdate>) -> ApiResult<Body<FlowRow>> {
    let id = flow_id(&id)?;
    if let Some(data) = &body.data {
        check_data(data)?;
    }
    let patch = FlowPatch {
        name: body.name.as_deref().map(check_name).transpose()?,
        description: body.description,
        data: body.data,
        endpoint_name: body.endpoint_name,
        is_component: body.is_component,
        tags: body.tags,
        folder_id: body.folder_id,
    };
    state.db.update_flow(user.owner(), &id.to_string(), patch).await?.map(Body).ok_or_else(|| ApiError::not_found("flow"))
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    pub message: &'static str,
}

/// Deletes a flow (its run records stay).
#[utoipa::path(delete, path = "/api/v1/flows/{id}", tag = "flows", params(("id" = Uuid, Path)),
    responses((status = 200, body = Deleted), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete_flow(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<Body<Deleted>> {
    let id = flow_id(&id)?;
    if state.db.delete_flow(user.owner(), &id.to_string()).await? {
        Ok(Body(Deleted { message: "Flow deleted successfully" }))
    } else {
        Err(ApiError::not_found("flow"))
    }
}

/// Copies a flow under the next free " (n)" name.
#[utoipa::path(post, path = "/api/v1/flows/{id}/duplicate", tag = "flows", params(("id" = Uuid, Path)),
    responses((status = 201, body = FlowRow), (status = 404, body = crate::error::ErrorBody)))]
pub async fn duplicate_flow(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> ApiResult<(StatusCode, Body<FlowRow>)> {
    let id = flow_id(&id)?;
    let original = state.db.get_flow(user.owner(), &id.to_string()).await?.ok_or_else(|| ApiError::not_found("flow"))?;
    let copy = NewFlow {
        name: original.name,
        description: original.description,
        data: original.data,
        endpoint_name: None,
        is_component: original.is_component,
        tags: original.tags,
        folder_id: original.folder_id,
    };
    Ok((StatusCode::CREATED, Body(state.db.create_flow(user.owner(), copy).await?)))
}
