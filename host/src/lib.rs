//! Flowhost: a Langflow-compatible flow server that runs every component as a
//! sandboxed WebAssembly component.

pub mod api;
pub mod app;
pub mod auth;
pub mod db;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod runtime;
pub mod services;
pub mod settings;
pub mod state;
pub mod telemetry;

pub use app::Application;
pub use settings::{ComponentLimits, Settings};

/// The built-in components, embedded at build time (see `build.rs`).
pub mod builtins {
    include!(concat!(env!("OUT_DIR"), "/builtins.rs"));
}
