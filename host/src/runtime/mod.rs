//! The Wasm side of the house: one engine, the component registry, and the
//! graph executor that runs a flow vertex by vertex in fresh sandboxes.

pub mod bindings;
pub mod cache;
pub mod engine;
pub mod executor;
pub mod graph;
pub mod host;
pub mod invoke;
pub mod metadata;
pub mod registry;
pub mod value;

pub use engine::Runtime;
pub use registry::{LoadedComponent, Registry};

/// `anyhow::Context` for wasmtime's own error type.
pub(crate) trait WasmContext<T> {
    fn wasm_context(self, context: &'static str) -> anyhow::Result<T>;
}

impl<T> WasmContext<T> for wasmtime::Result<T> {
    fn wasm_context(self, context: &'static str) -> anyhow::Result<T> {
        anyhow::Context::context(self.map_err(anyhow::Error::from), context)
    }
}
