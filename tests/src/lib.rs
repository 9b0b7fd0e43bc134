//! Test harness for Flowhost's black-box tests.
//!
//! Every test starts the real server (`flowhost::Application`) on `127.0.0.1:0`
//! with a fresh data directory and plugins directory, then talks to it over HTTP
//! only. Compiled components are cached in `<workspace>/target/test-cache`,
//! shared between tests (the cache key includes the wasm's hash).

mod app;
pub mod auth;
pub mod flow;
pub mod jwks;
pub mod logs;
mod paths;
mod response;

pub use app::{
    http_client, login, spawn_app, spawn_app_with, spawn_hostile_app, spawn_hostile_app_with, TestApp, JWT_SECRET,
    SUPERUSER, SUPERUSER_PASSWORD,
};
pub use paths::{example_files, fixture, hostile_wasm, workspace_root};
pub use response::{message_text, ApiResponse};
