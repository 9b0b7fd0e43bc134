//! One component call in a fresh sandbox, and what its failure means.

use std::time::Duration;

use wasmtime::component::InstancePre;
use wasmtime::{Store, Trap};

use super::bindings::types::{ComponentError, ComponentInfo, NamedValue, RunContext};
use super::bindings::FlowComponentPre;
use super::engine::Runtime;
use super::host::{MemoryLimitExceeded, RunState};
use super::value::value_size;

/// Fuel and time for `metadata()`, which must be cheap and pure.
const METADATA_FUEL: u64 = 50_000_000;
const METADATA_TIMEOUT: Duration = Duration::from_secs(2);

/// Extra wall-clock allowance past the epoch deadline before the host drops the
/// call outright (covers time spent blocked inside host functions).
const HARD_DEADLINE_SLACK: Duration = Duration::from_millis(500);

/// Why a call failed, with the error code the API reports.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CallFailure {
    #[error("ran out of fuel ({budget} units)")]
    FuelExhausted { budget: u64 },
    #[error("exceeded its memory limit: {0}")]
    MemoryLimit(String),
    #[error("exceeded its time limit of {0} ms")]
    Timeout(u64),
    #[error("trapped: {0}")]
    Trapped(String),
    #[error("returned {size} bytes of output; the limit is {limit} bytes")]
    OutputTooLarge { size: usize, limit: u64 },
    #[error("failed: {0}")]
    Component(String),
    #[error("could not start: every component instance slot is busy")]
    Capacity,
}

impl CallFailure {
    pub fn error_code(&self) -> &'static str {
        match self {
            Self::FuelExhausted { .. } => "COMPONENT_FUEL_EXHAUSTED",
            Self::MemoryLimit(_) => "COMPONENT_MEMORY_LIMIT",
            Self::Timeout(_) => "COMPONENT_TIMEOUT",
            Self::Trapped(_) => "COMPONENT_TRAPPED",
            Self::OutputTooLarge { .. } => "COMPONENT_OUTPUT_TOO_LARGE",
            Self::Component(_) => "COMPONENT_ERROR",
            Self::Capacity => "COMPONENT_CAPACITY",
        }
    }
}

/// A successful call.
pub struct CallOutput {
    pub outputs: Vec<NamedValue>,
    pub fuel_consumed: u64,
}

/// Runs `run(ctx, inputs)` in a fresh store under the runtime's limits.
/// Returns the fuel consumed alongside a failure too, for accounting.
pub async fn call_run(
    runtime: &Runtime,
    pre: &FlowComponentPre<RunState>,
    ctx: &RunContext,
    inputs: &[NamedValue],
) -> Result<CallOutput, (CallFailure, u64)> {
    let limits = &runtime.limits;
    let timeout = Duration::from_millis(limits.timeout_ms);
    let mut store = runtime
        .new_store(&ctx.vertex_id, limits.fuel, timeout)
        .map_err(|e| (CallFailure::Trapped(e.to_string()), 0))?;
    let call = async {
        let instance = pre.instantiate_async(&mut store).await?;
        instance.call_run(&mut store, ctx, inputs).await
    };
    let result = tokio::time::timeout(timeout + HARD_DEADLINE_SLACK, call).await;
    let fuel_consumed = limits.fuel.saturating_sub(store.get_fuel().unwrap_or(0));
    let failure = |f| Err((f, fuel_consumed));
    match result {
        Err(_elapsed) => failure(CallFailure::Timeout(limits.timeout_ms)),
        Ok(Err(error)) => failure(classify(&error, &store, limits.fuel, limits.timeout_ms)),
        Ok(Ok(Err(error))) => failure(CallFailure::Component(describe_component_error(&error))),
        Ok(Ok(Ok(outputs))) => {
            let size: usize = outputs.iter().map(|o| o.name.len() + value_size(&o.value)).sum();
            if size as u64 > limits.output_bytes {
                return failure(CallFailure::OutputTooLarge { size, limit: limits.output_bytes });
            }
            Ok(CallOutput { outputs, fuel_consumed })
        }
    }
}

/// Calls `metadata()` under a small budget.
pub async fn call_metadata(runtime: &Runtime, pre: &InstancePre<RunState>) -> anyhow::Result<ComponentInfo> {
    let pre = FlowComponentPre::new(pre.clone())?;
    let mut store = runtime.new_store("metadata", METADATA_FUEL, METADATA_TIMEOUT)?;
    let call = async {
        let instance = pre.instantiate_async(&mut store).await?;
        instance.call_metadata(&mut store).await
    };
    match tokio::time::timeout(METADATA_TIMEOUT + HARD_DEADLINE_SLACK, call).await {
        Ok(result) => Ok(result?),
        Err(_) => anyhow::bail!("metadata() did not return within {METADATA_TIMEOUT:?}"),
    }
}

/// Maps a wasmtime error to its cause. Traps are matched by type, never by text.
fn classify(error: &wasmtime::Error, store: &Store<RunState>, fuel: u64, timeout_ms: u64) -> CallFailure {
    if let Some(limit) = error.downcast_ref::<MemoryLimitExceeded>() {
        return CallFailure::MemoryLimit(limit.to_string());
    }
    if let Some(desired) = store.data().limiter.memory_exceeded {
        return CallFailure::MemoryLimit(format!("tried to grow its memory to {desired} bytes"));
    }
    if error.downcast_ref::<wasmtime::PoolConcurrencyLimitError>().is_some() {
        return CallFailure::Capacity;
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => CallFailure::FuelExhausted { budget: fuel },
        Some(Trap::Interrupt) => CallFailure::Timeout(timeout_ms),
        Some(Trap::StackOverflow) => CallFailure::Trapped("call stack exhausted (too deep recursion)".into()),
        Some(trap) => CallFailure::Trapped(trap.to_string()),
        None => CallFailure::Trapped(root_cause(error)),
    }
}

fn root_cause(error: &wasmtime::Error) -> String {
    error.chain().last().map(ToString::to_string).unwrap_or_else(|| error.to_string())
}

fn describe_component_error(error: &ComponentError) -> String {
    match error {
        ComponentError::InvalidInput(m) => format!("invalid input: {m}"),
        ComponentError::CapabilityDenied(m) => format!("capability denied: {m}"),
        ComponentError::Upstream(m) => format!("upstream error: {m}"),
        ComponentError::Internal(m) => format!("internal error: {m}"),
    }
}
