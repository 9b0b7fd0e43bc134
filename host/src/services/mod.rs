//! Services built at start-up and shared through `AppState`.

pub mod auth;
pub mod execution;
pub mod run_recorder;
