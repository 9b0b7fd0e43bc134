//! The one `Engine` per server: fuel, epoch interruption and the pooling
//! allocator, plus the linker every component is instantiated against.

use std::path::PathBuf;
use std::time::Duration;

use wasmtime::component::{HasSelf, Linker};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store};

use super::bindings::FlowComponent;
use super::host::RunState;
use super::WasmContext as _;
use crate::settings::ComponentLimits;

/// Wall-clock resolution of component deadlines.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// How much fuel a component burns between yields to the tokio scheduler, so a
/// busy guest never starves other requests on the same worker (~0.1 ms of work).
const FUEL_YIELD_INTERVAL: u64 = 1_000_000;

/// Everything needed to run components: engine, linker, limits, artefact cache.
pub struct Runtime {
    pub engine: Engine,
    pub linker: Linker<RunState>,
    pub limits: ComponentLimits,
    pub cache_dir: PathBuf,
}

impl Runtime {
    pub fn new(limits: ComponentLimits, cache_dir: PathBuf) -> anyhow::Result<Self> {
        let engine = build_engine(&limits)?;
        spawn_epoch_ticker(&engine);
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).wasm_context("linking WASI")?;
        FlowComponent::add_to_linker::<RunState, HasSelf<RunState>>(&mut linker, |state| state)
            .wasm_context("linking flowhost imports")?;
        Ok(Self { engine, linker, limits, cache_dir })
    }

    /// A fresh store for one call, with every limit armed.
    pub fn new_store(&self, vertex_id: &str, fuel: u64, timeout: Duration) -> anyhow::Result<Store<RunState>> {
        let mut store = Store::new(&self.engine, RunState::new(vertex_id, self.limits.memory_bytes));
        store.limiter(|state| &mut state.limiter);
        store.set_fuel(fuel)?;
        store.fuel_async_yield_interval(Some(FUEL_YIELD_INTERVAL))?;
        store.set_epoch_deadline(deadline_ticks(timeout));
        store.epoch_deadline_trap();
        Ok(store)
    }
}

fn deadline_ticks(timeout: Duration) -> u64 {
    (timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64 + 1
}

fn build_engine(limits: &ComponentLimits) -> anyhow::Result<Engine> {
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .consume_fuel(true)
        .epoch_interruption(true)
        .max_wasm_stack(512 * 1024)
        .parallel_compilation(true);
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pooling_config(limits)));
    match Engine::new(&config) {
        Ok(engine) => Ok(engine),
        Err(error) => {
            // The pool reserves a lot of address space; where that is not
            // available (small VA, ulimit -v) fall back to on-demand allocation.
            tracing::warn!(%error, "pooling allocator unavailable; using on-demand allocation");
            config.allocation_strategy(InstanceAllocationStrategy::OnDemand);
            Engine::new(&config).wasm_context("creating the wasm engine")
        }
    }
}

fn pooling_config(limits: &ComponentLimits) -> PoolingAllocationConfig {
    let instances = limits.max_instances.max(1);
    let page = 64 * 1024;
    let memory = usize::try_from(limits.memory_bytes).unwrap_or(usize::MAX).div_ceil(page).saturating_mul(page);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(instances)
        .total_core_instances(instances.saturating_mul(8))
        .total_memories(instances.saturating_mul(2))
        .total_tables(instances.saturating_mul(4))
        .total_stacks(instances)
        .max_memory_size(memory);
    pool
}

/// Advances the engine's epoch every tick until the engine is dropped.
fn spawn_epoch_ticker(engine: &Engine) {
    let weak = engine.weak();
    let spawned = std::thread::Builder::new().name("flowhost-epoch".into()).spawn(move || loop {
        std::thread::sleep(EPOCH_TICK);
        match weak.upgrade() {
            Some(engine) => engine.increment_epoch(),
            None => break,
        }
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "could not start the epoch ticker; component deadlines will not fire");
    }
}
