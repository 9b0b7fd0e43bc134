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
        super::v1::login::login,
        super::v1::login::refresh,
        super::v1::login::logout,
        super::v1::login::auto_login,
        super::v1::users::create_user,
        super::v1::users::me,
        super::v1::users::update_me,
        super::v1::users::list_users,
        super::v1::users::admin_update_user,
        super::v1::users::delete_user,
        super::v1::api_keys::list_api_keys,
        super::v1::api_keys::create_api_key,
        super::v1::api_keys::delete_api_key,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []), ("api_key" = [])),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "flows", description = "Create, read, update and delete flows"),
        (name = "execution", description = "Run flows"),
        (name = "components", description = "The component registry"),
        (name = "auth", description = "Login, tokens and logout"),
        (name = "users", description = "Users and their administration"),
        (name = "api keys", description = "The caller's API keys"),
    )
)]
pub struct ApiDoc;

/// Declares the two ways to authenticate: a bearer JWT or an `x-api-key`.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()));
        components.add_security_scheme("api_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-api-key"))));
    }
}

/// A self-contained page that renders `/openapi.json` (no CDN, so it works offline).
const DOCS_PAGE: &str = include_str!("assets/docs.html");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
        .route("/docs", get(|| async { axum::response::Html(DOCS_PAGE) }))
}
