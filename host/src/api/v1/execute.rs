//! `/api/v1/flows/{id}/execute` and the run history.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use utoipa::IntoParams;

use super::flows::flow_id;
use crate::auth::CurrentUser;
use crate::db::RunRow;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json as Body, Query};
use crate::services::execution::{ExecuteRequest, ExecuteResponse};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/flows/{id}/execute", post(execute_flow))
        .route("/flows/{id}/runs", get(list_runs))
}

/// Runs a flow: every component in a fresh sandbox, layer by layer.
#[utoipa::path(post, path = "/api/v1/flows/{id}/execute", tag = "execution", params(("id" = Uuid, Path)),
    request_body = ExecuteRequest,
    responses(
        (status = 200, body = ExecuteResponse),
        (status = 404, body = crate::error::ErrorBody),
        (status = 422, description = "invalid graph, or a component failed (COMPONENT_* codes)", body = crate::error::ErrorBody),
    ))]
pub async fn execute_flow(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Body(request): Body<ExecuteRequest>) -> ApiResult<Body<ExecuteResponse>> {
    let id = flow_id(&id)?;
    Ok(Body(state.execution.execute(user.owner(), id, request).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RunsParams {
    /// Most recent runs to return (at most 1000).
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_limit() -> i64 {
    100
}

/// A flow's recorded runs, newest first.
#[utoipa::path(get, path = "/api/v1/flows/{id}/runs", tag = "execution", params(("id" = Uuid, Path), RunsParams),
    responses((status = 200, body = [RunRow]), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_runs(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>, Query(params): Query<RunsParams>) -> ApiResult<Body<Vec<RunRow>>> {
    let id = flow_id(&id)?.to_string();
    if state.db.flow_version(user.owner(), &id).await?.is_none() {
        return Err(ApiError::not_found("flow"));
    }
    state.execution.recorder.flush().await;
    Ok(Body(state.db.list_runs(user.owner(), &id, params.limit.clamp(1, 1000)).await?))
}
