//! The OpenAPI document, generated from the handlers' annotations.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Flowhost", description = "Langflow-compatible flow server; every component is a sandboxed Wasm component."),
    paths(
        super::health::health,
        super::v1::meta::version,
        super::v1::flows::list_flows,
        super::v1::flows::create_flow,
        super::v1::flows::get_flow,
        super::v1::flows::update_flow,
        super::v1::flows::delete_flow,
        super::v1::flows::duplicate_flow,
        super::v1::execute::execute_flow,
        super::v1::execute::list_runs,
        super::v1::components::list_components,
        super::v1::components::get_component,
    ),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "flows", description = "Create, read, update and delete flows"),
        (name = "execution", description = "Run flows"),
        (name = "components", description = "The component registry"),
    )
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new().route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
