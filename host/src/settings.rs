//! Typed settings: defaults < environment (`FLOWHOST_*`) < CLI flags (clap does the layering).
//! Tests build a `Settings` directly (port 0, a temporary data directory).

use std::path::PathBuf;

use clap::Args;

/// Everything the server needs to start.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "FLOWHOST_HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "FLOWHOST_PORT", default_value_t = 7860)]
    pub port: u16,

    /// Directory for the database and the compiled-component cache.
    #[arg(long, env = "FLOWHOST_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Directory scanned for third-party `.wasm` components at start-up.
    #[arg(long, env = "FLOWHOST_PLUGINS_DIR", default_value = "./plugins")]
    pub plugins_dir: PathBuf,

    /// Where compiled components are cached (default: `<data-dir>/cache`).
    #[arg(long, env = "FLOWHOST_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "FLOWHOST_MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,

    #[command(flatten)]
    pub limits: ComponentLimits,
}

/// Limits applied to every component call (one vertex run).
#[derive(Debug, Clone, Args)]
pub struct ComponentLimits {
    /// Fuel (roughly, Wasm instructions) one vertex run may burn.
    #[arg(long = "component-fuel", env = "FLOWHOST_COMPONENT_FUEL", default_value_t = 2_000_000_000)]
    pub fuel: u64,

    /// Linear memory one component instance may grow to, in bytes.
    #[arg(long = "component-memory-bytes", env = "FLOWHOST_COMPONENT_MEMORY_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub memory_bytes: u64,

    /// Wall-clock deadline of one vertex run, in milliseconds.
    #[arg(long = "component-timeout-ms", env = "FLOWHOST_COMPONENT_TIMEOUT_MS", default_value_t = 30_000)]
    pub timeout_ms: u64,

    /// Total size of the values one vertex run may return, in bytes.
    #[arg(long = "component-output-bytes", env = "FLOWHOST_COMPONENT_OUTPUT_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub output_bytes: u64,

    /// Component instances that may be alive at once (pooling allocator slots).
    #[arg(long = "component-instances", env = "FLOWHOST_COMPONENT_INSTANCES", default_value_t = 1000)]
    pub max_instances: u32,
}

impl Settings {
    /// Settings for a server on `127.0.0.1:0` with the given directories and default limits.
    pub fn for_tests(data_dir: PathBuf, plugins_dir: PathBuf) -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 0,
            data_dir,
            plugins_dir,
            cache_dir: None,
            max_body_bytes: 16 * 1024 * 1024,
            limits: ComponentLimits::default(),
        }
    }

    /// The compiled-component cache directory.
    pub fn cache_dir(&self) -> PathBuf {
        self.cache_dir.clone().unwrap_or_else(|| self.data_dir.join("cache"))
    }
}

impl Default for ComponentLimits {
    fn default() -> Self {
        Self {
            fuel: 2_000_000_000,
            memory_bytes: 64 * 1024 * 1024,
            timeout_ms: 30_000,
            output_bytes: 4 * 1024 * 1024,
            max_instances: 1000,
        }
    }
}
