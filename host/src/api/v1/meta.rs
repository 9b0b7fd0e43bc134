//! `/api/v1/version`.

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Version {
    pub version: &'static str,
    pub main_version: &'static str,
    pub package: &'static str,
    /// The WIT package components implement.
    pub component_api: &'static str,
}

pub fn router() -> Router<AppState> {
    Router::new().route("/version", get(version))
}

/// Server version (Langflow's shape, plus the component API version).
#[utoipa::path(get, path = "/api/v1/version", tag = "health", responses((status = 200, body = Version)))]
pub async fn version() -> Json<Version> {
    let version = env!("CARGO_PKG_VERSION");
    Json(Version { version, main_version: version, package: "Flowhost", component_api: "flowhost:component@0.1.0" })
}
