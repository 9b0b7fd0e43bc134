//! Black-box tests of the Flowhost HTTP API.
//!
//! One test binary (linking wasmtime is slow): each module is one area of the
//! API. Every test starts its own server on port 0 with a fresh database.

mod api_keys;
mod auth;
mod components;
mod errors;
mod execute;
mod flows;
mod hardening;
mod hostile;
mod isolation;
mod logs;
mod oidc;
mod registry;
mod tokens;
mod users;
