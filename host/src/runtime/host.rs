//! Per-call store state and the host side of the imports. A store lives for one
//! vertex run; it holds only what that run was granted (nothing, in v0.1, beyond
//! `log` and `emit`), so no state crosses runs or tenants.

use wasmtime::component::ResourceTable;
use wasmtime::ResourceLimiter;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::bindings::flowhost::component::{emit, http, kv, log, secrets, types};

/// Largest total of `log` and `emit` text one run may send; the rest is dropped.
const MAX_DIAGNOSTIC_BYTES: usize = 64 * 1024;

/// Raised from the memory limiter so the error names the real cause.
#[derive(Debug, thiserror::Error)]
#[error("component tried to grow its memory to {desired} bytes; the limit is {limit} bytes")]
pub struct MemoryLimitExceeded {
    pub desired: usize,
    pub limit: usize,
}

/// Caps linear memory and table growth of one store.
pub struct Limiter {
    memory_bytes: usize,
    pub memory_exceeded: Option<usize>,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            self.memory_exceeded = Some(desired);
            return Err(wasmtime::Error::new(MemoryLimitExceeded { desired, limit: self.memory_bytes }));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _max: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }

    fn instances(&self) -> usize {
        32
    }

    fn memories(&self) -> usize {
        8
    }

    fn tables(&self) -> usize {
        16
    }
}

/// What one vertex run's store carries.
pub struct RunState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub limiter: Limiter,
    /// Node id, for log lines.
    vertex_id: String,
    diagnostic_bytes: usize,
    /// Chunks the component streamed through `emit`, in order.
    pub emitted: Vec<(String, String)>,
}

impl RunState {
    pub fn new(vertex_id: &str, memory_bytes: u64) -> Self {
        Self {
            // Deny by default: no preopens, env, args or stdio; sockets off.
            wasi: WasiCtxBuilder::new()
                .allow_tcp(false)
                .allow_udp(false)
                .allow_ip_name_lookup(false)
                .build(),
            table: ResourceTable::new(),
            limiter: Limiter { memory_bytes: usize::try_from(memory_bytes).unwrap_or(usize::MAX), memory_exceeded: None },
            vertex_id: vertex_id.to_owned(),
            diagnostic_bytes: 0,
            emitted: Vec::new(),
        }
    }

    /// Counts `len` bytes against the diagnostics cap; false once it is spent.
    fn take_diagnostic_budget(&mut self, len: usize) -> bool {
        self.diagnostic_bytes = self.diagnostic_bytes.saturating_add(len);
        self.diagnostic_bytes <= MAX_DIAGNOSTIC_BYTES
    }
}

impl WasiView for RunState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl types::Host for RunState {}

impl log::Host for RunState {
    fn log(&mut self, level: log::Level, message: String) {
        if !self.take_diagnostic_budget(message.len()) {
            return;
        }
        let vertex = self.vertex_id.as_str();
        match level {
            log::Level::Trace => tracing::trace!(target: "component", vertex, "{message}"),
            log::Level::Debug => tracing::debug!(target: "component", vertex, "{message}"),
            log::Level::Info => tracing::info!(target: "component", vertex, "{message}"),
            log::Level::Warn => tracing::warn!(target: "component", vertex, "{message}"),
            log::Level::Error => tracing::error!(target: "component", vertex, "{message}"),
        }
    }
}

impl emit::Host for RunState {
    fn chunk(&mut self, output: String, text: String) {
        if self.take_diagnostic_budget(output.len() + text.len()) {
            self.emitted.push((output, text));
        }
    }
}

// Capability-gated imports: nothing is granted in v0.1, so each says so clearly.

impl kv::Host for RunState {
    fn get(&mut self, _key: String) -> Result<Vec<u8>, kv::KvError> {
        Err(kv::KvError::Denied)
    }

    fn set(&mut self, _key: String, _value: Vec<u8>) -> Result<(), kv::KvError> {
        Err(kv::KvError::Denied)
    }
}

impl secrets::Host for RunState {
    fn get(&mut self, name: String) -> Result<String, secrets::SecretError> {
        Err(secrets::SecretError::Denied(name))
    }
}

impl http::Host for RunState {
    fn fetch(&mut self, req: http::Request) -> Result<http::Response, http::HttpError> {
        Err(http::HttpError::Denied(req.url))
    }
}
