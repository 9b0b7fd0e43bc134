//! Structured logging into the host's logs (always available, rate-capped).
//!
//! Outside Wasm (native unit tests) messages go to stderr instead.

pub use crate::bindings::flowhost::component::log::Level;

/// Logs `message` at `level`, tagged by the host with flow, run and vertex.
pub fn log(level: Level, message: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::bindings::flowhost::component::log::log(level, message);
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("[{level:?}] {message}");
}

pub fn trace(message: &str) {
    log(Level::Trace, message);
}

pub fn debug(message: &str) {
    log(Level::Debug, message);
}

pub fn info(message: &str) {
    log(Level::Info, message);
}

pub fn warn(message: &str) {
    log(Level::Warn, message);
}

pub fn error(message: &str) {
    log(Level::Error, message);
}
