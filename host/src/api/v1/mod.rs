//! `/api/v1`: one module per resource, each with its own `router()`.

pub mod api_keys;
pub mod components;
pub mod execute;
pub mod flows;
pub mod login;
pub mod meta;
pub mod users;

use axum::Router;

use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(flows::router())
        .merge(execute::router())
        .merge(components::router())
        .merge(meta::router())
        .merge(login::router())
        .merge(users::router())
        .merge(api_keys::router())
}
