//! Shared services, built once at start-up and cloned (cheaply) into handlers.

use std::sync::Arc;

use axum::extract::FromRef;

use crate::db::Database;
use crate::runtime::{Registry, Runtime};
use crate::services::auth::AuthService;
use crate::services::execution::ExecutionService;
use crate::settings::Settings;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Database,
    pub runtime: Arc<Runtime>,
    pub registry: Arc<Registry>,
    pub execution: Arc<ExecutionService>,
    pub auth: Arc<AuthService>,
}
