//! Executing a stored flow: load it (graph cached by id + updated_at), run it,
//! record the run, and shape the response.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::run_recorder::RunRecorder;
use crate::db::{Database, RunRecord};
use crate::error::{ApiError, ApiResult};
use crate::runtime::executor::{self, InputType, OutputType, RunError, RunRequest, VertexResult};
use crate::runtime::graph::{self, FlowGraph};
use crate::runtime::{Registry, Runtime};

/// How long a run waits for one of its owner's other runs to finish.
const RUN_SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Graphs kept in memory; past this the cache starts over (flows are cheap to rebuild).
const GRAPH_CACHE_CAPACITY: usize = 4096;

/// Body of `POST /flows/{id}/execute` (and Langflow's `/run/{id}`).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct ExecuteRequest {
    /// Text given to the flow's input components (ChatInput / TextInput).
    #[serde(default)]
    pub input_value: Option<String>,
    /// `chat` (default), `text` or `any`; null means the default, as in Langflow.
    #[serde(default, deserialize_with = "null_as_default")]
    pub input_type: InputType,
    /// `any` (default), `chat`, `text` or `debug`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub output_type: OutputType,
    /// `{node id or display name: {field: value}}`, overriding template values.
    #[serde(default, deserialize_with = "null_as_default")]
    #[schema(value_type = Object)]
    pub tweaks: Map<String, Json>,
    /// Chat session; defaults to the flow id.
    #[serde(default)]
    pub session_id: Option<String>,
}

/// Langflow clients send `null` for "not given".
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExecuteResponse {
    pub run_id: Uuid,
    pub flow_id: Uuid,
    pub session_id: String,
    /// `success` (failures answer with an error body instead).
    pub status: &'static str,
    pub outputs: Vec<VertexResult>,
    pub duration_ms: f64,
    pub usage: Usage,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Usage {
    /// Fuel burnt by every component of the run together.
    pub fuel_consumed: u64,
}

pub struct ExecutionService {
    db: Database,
    pub recorder: RunRecorder,
    runtime: Arc<Runtime>,
    registry: Arc<Registry>,
    graphs: Mutex<HashMap<Uuid, (String, Arc<FlowGraph>)>>,
    /// Runs in progress per owner, so one user cannot take every instance slot.
    running: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl ExecutionService {
    pub fn new(db: Database, runtime: Arc<Runtime>, registry: Arc<Registry>) -> Self {
        let recorder = RunRecorder::start(db.clone());
        Self { db, recorder, runtime, registry, graphs: Mutex::new(HashMap::new()), running: Mutex::new(HashMap::new()) }
    }

    pub async fn execute(&self, owner: Option<&str>, flow_id: Uuid, request: ExecuteRequest) -> ApiResult<ExecuteResponse> {
        let _slot = self.run_slot(owner).await?;
        let graph = self.graph(owner, flow_id).await?;
        let started = Instant::now();
        let started_at = crate::db::now_utc();
        let run_id = Uuid::new_v4();
        let session_id = request.session_id.clone().filter(|s| !s.is_empty()).unwrap_or_else(|| flow_id.to_string());
        let (flow_str, run_str) = (flow_id.to_string(), run_id.to_string());
        let run = RunRequest {
            flow_id: &flow_str,
            run_id: &run_str,
            session_id: &session_id,
            timestamp: &started_at,
            input_value: request.input_value.as_deref(),
            input_type: request.input_type,
            output_type: request.output_type,
            tweaks: &request.tweaks,
        };
        let result = executor::execute(&self.runtime, &graph, &run).await;
        let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        let mut record = RunRecord {
            id: run_str,
            flow_id: flow_str,
            user_id: owner.map(str::to_owned),
            session_id: session_id.clone(),
            status: "success",
            inputs: serde_json::to_value(&request).unwrap_or(Json::Null),
            outputs: None,
            error: None,
            fuel_consumed: 0,
            duration_ms,
            started_at,
            finished_at: crate::db::now_utc(),
        };
        match result {
            Ok(outcome) => {
                record.fuel_consumed = outcome.fuel_consumed;
                record.outputs = serde_json::to_value(&outcome.outputs).ok();
                self.recorder.record(record).await;
                Ok(ExecuteResponse {
                    run_id,
                    flow_id,
                    session_id,
                    status: "success",
                    outputs: outcome.outputs,
                    duration_ms,
                    usage: Usage { fuel_consumed: outcome.fuel_consumed },
                })
            }
            Err(error) => {
                let api_error = run_error(error, &mut record);
                record.status = "failed";
                record.error = Some(json!({ "detail": api_error.to_string(), "error_code": api_error.error_code() }));
                self.recorder.record(record).await;
                Err(api_error)
            }
        }
    }

    /// A permit for one more run of `owner`. Past the per-user limit a run
    /// waits for one of the owner's runs to finish; after a while, 429.
    async fn run_slot(&self, owner: Option<&str>) -> ApiResult<OwnedSemaphorePermit> {
        let limit = self.runtime.limits.max_concurrent_runs_per_user.max(1) as usize;
        let semaphore = self
            .running
            .lock()
            .expect("run slots lock")
            .entry(owner.unwrap_or_default().to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(limit)))
            .clone();
        let busy = || ApiError::TooManyRequests {
            detail: format!("{limit} runs are already in progress for this user; retry when one finishes"),
            retry_after: 1,
        };
        match tokio::time::timeout(RUN_SLOT_WAIT, semaphore.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }

    /// The flow's validated graph, rebuilt only when the flow changed.
    async fn graph(&self, owner: Option<&str>, flow_id: Uuid) -> ApiResult<Arc<FlowGraph>> {
        let id = flow_id.to_string();
        let version = self.db.flow_version(owner, &id).await?.ok_or_else(|| ApiError::not_found("flow"))?;
        if let Some((cached_version, graph)) = self.graphs.lock().expect("graph cache lock").get(&flow_id) {
            if *cached_version == version {
                return Ok(graph.clone());
            }
        }
        let flow = self.db.get_flow(owner, &id).await?.ok_or_else(|| ApiError::not_found("flow"))?;
        let graph = Arc::new(graph::build(&flow.data, &self.registry).map_err(|e| ApiError::Validation(e.0))?);
        let mut graphs = self.graphs.lock().expect("graph cache lock");
        if graphs.len() >= GRAPH_CACHE_CAPACITY {
            graphs.clear();
        }
        graphs.insert(flow_id, (flow.updated_at, graph.clone()));
        Ok(graph)
    }
}

fn run_error(error: RunError, record: &mut RunRecord) -> ApiError {
    match error {
        RunError::Invalid(invalid) => ApiError::Validation(invalid.0),
        RunError::OutputTooLarge { fuel_consumed, .. } => {
            record.fuel_consumed = fuel_consumed;
            ApiError::Component { code: "RUN_OUTPUT_TOO_LARGE", detail: error.to_string() }
        }
        RunError::Vertex { ref failure, fuel_consumed, .. } => {
            record.fuel_consumed = fuel_consumed;
            let code = failure.error_code();
            if code == "COMPONENT_CAPACITY" {
                return ApiError::Unavailable(error.to_string());
            }
            ApiError::Component { code, detail: error.to_string() }
        }
    }
}
