//! Runs a validated graph: layer by layer, the vertices of a layer concurrently,
//! each in a fresh sandbox, wiring outputs to the fields their edges name.

use std::collections::HashMap;

use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use utoipa::ToSchema;

use super::bindings::types::{NamedValue, RunContext, Value};
use super::engine::Runtime;
use super::graph::{is_input, FlowGraph, GraphError, Vertex};
use super::invoke::{call_run, CallFailure};
use super::value::{as_typed_json, json_to_value, value_size, value_to_json};

/// Vertices of one layer that run at the same time, per run.
const MAX_PARALLEL_VERTICES: usize = 8;

/// Which input components receive `input_value` (Langflow's `input_type`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InputType {
    #[default]
    Chat,
    Text,
    Any,
}

/// Which vertices' results the response carries (Langflow's `output_type`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputType {
    Chat,
    Text,
    #[default]
    Any,
    /// Every vertex.
    Debug,
}

/// One execution's parameters.
pub struct RunRequest<'a> {
    pub flow_id: &'a str,
    pub run_id: &'a str,
    pub session_id: &'a str,
    pub timestamp: &'a str,
    pub input_value: Option<&'a str>,
    pub input_type: InputType,
    pub output_type: OutputType,
    /// `{node id or display name: {field: value}}`.
    pub tweaks: &'a Map<String, Json>,
}

/// Results of one vertex, as the API reports them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VertexResult {
    pub component_id: String,
    pub component_type: String,
    /// Output name → value (a Message is an object with `text`, `sender`, ...).
    #[schema(value_type = Object)]
    pub results: Map<String, Json>,
}

pub struct RunOutcome {
    pub outputs: Vec<VertexResult>,
    pub fuel_consumed: u64,
}

/// Why a run failed before or while executing.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Invalid(#[from] GraphError),
    #[error("component '{component}' (node '{node}') {failure}")]
    Vertex { node: String, component: String, failure: CallFailure, fuel_consumed: u64 },
    #[error("the run's outputs grew past {limit} bytes (at node '{node}')")]
    OutputTooLarge { node: String, limit: u64, fuel_consumed: u64 },
}

pub async fn execute(runtime: &Runtime, graph: &FlowGraph, request: &RunRequest<'_>) -> Result<RunOutcome, RunError> {
    let overrides = resolve_tweaks(graph, request.tweaks)?;
    let mut produced: Vec<Option<Vec<NamedValue>>> = vec![None; graph.vertices.len()];
    let mut fuel_consumed = 0u64;
    let mut output_bytes = 0u64;
    for layer in &graph.layers {
        let calls: Vec<_> = layer
            .iter()
            .map(|&v| run_vertex(runtime, &graph.vertices[v], vertex_inputs(graph, v, &produced, overrides.get(&v), request), request))
            .collect();
        // Bounded, so one wide flow cannot take every instance slot of the server.
        let results: Vec<_> = futures::stream::iter(calls).buffered(MAX_PARALLEL_VERTICES).collect().await;
        let mut first_error = None;
        for (&v, result) in layer.iter().zip(results) {
            match result {
                Ok(output) => {
                    fuel_consumed += output.fuel_consumed;
                    output_bytes += output.outputs.iter().map(|o| value_size(&o.value)).sum::<usize>() as u64;
                    if output_bytes > runtime.limits.run_output_bytes {
                        let node = graph.vertices[v].id.clone();
                        first_error.get_or_insert(RunError::OutputTooLarge { node, limit: runtime.limits.run_output_bytes, fuel_consumed });
                    }
                    produced[v] = Some(output.outputs);
                }
                Err(error) => {
                    if let RunError::Vertex { fuel_consumed: used, .. } = &error {
                        fuel_consumed += used;
                    }
                    first_error.get_or_insert(error);
                }
            }
        }
        if let Some(error) = first_error {
            return Err(error);
        }
    }
    Ok(RunOutcome { outputs: collect_outputs(graph, &produced, request.output_type), fuel_consumed })
}

async fn run_vertex(runtime: &Runtime, vertex: &Vertex, inputs: Vec<NamedValue>, request: &RunRequest<'_>) -> Result<super::invoke::CallOutput, RunError> {
    let ctx = RunContext {
        flow_id: request.flow_id.to_owned(),
        run_id: request.run_id.to_owned(),
        vertex_id: vertex.id.clone(),
        session_id: request.session_id.to_owned(),
        timestamp: request.timestamp.to_owned(),
    };
    call_run(runtime, &vertex.component.pre, &ctx, &inputs).await.map_err(|(failure, fuel_consumed)| RunError::Vertex {
        node: vertex.id.clone(),
        component: vertex.component.meta.name.clone(),
        failure,
        fuel_consumed,
    })
}

/// Tweaks by vertex index. A key names a node id or a node's display name.
fn resolve_tweaks<'t>(graph: &FlowGraph, tweaks: &'t Map<String, Json>) -> Result<HashMap<usize, &'t Map<String, Json>>, GraphError> {
    let mut resolved = HashMap::new();
    for (key, fields) in tweaks {
        let Json::Object(fields) = fields else {
            return Err(GraphError(format!("tweak '{key}' must be an object of field values")));
        };
        let found = graph.vertices.iter().position(|v| &v.id == key).or_else(|| graph.vertices.iter().position(|v| v.display_name.as_deref() == Some(key)));
        match found {
            Some(v) => resolved.insert(v, fields),
            None => return Err(GraphError(format!("tweak '{key}' does not match any node id or display name in the flow"))),
        };
    }
    Ok(resolved)
}

/// A vertex's inputs: template values < tweaks < `input_value` < edge values.
fn vertex_inputs(graph: &FlowGraph, v: usize, produced: &[Option<Vec<NamedValue>>], tweaks: Option<&&Map<String, Json>>, request: &RunRequest<'_>) -> Vec<NamedValue> {
    let vertex = &graph.vertices[v];
    let mut fields = Fields::new(vertex.base_inputs.clone());
    for (name, json) in tweaks.into_iter().flat_map(|t| t.iter()) {
        // A null tweak clears the field back to its default, as an empty template value does.
        let default = || vertex.component.defaults.iter().find(|d| &d.name == name).map(|d| d.value.clone());
        let value = match json {
            Json::Null => default().unwrap_or(Value::Null),
            other => json_to_value(other),
        };
        fields.set(name, value);
    }
    if let Some(text) = request.input_value.filter(|_| receives_input(vertex, request.input_type)) {
        fields.set("input_value", Value::Text(text.to_owned()));
    }
    for (name, value) in edge_values(graph, vertex, produced) {
        fields.set(&name, value);
    }
    fields.values
}

/// Named values with an index by name, so setting many fields stays linear.
struct Fields {
    values: Vec<NamedValue>,
    index: HashMap<String, usize>,
}

impl Fields {
    fn new(values: Vec<NamedValue>) -> Self {
        let index = values.iter().enumerate().map(|(i, v)| (v.name.clone(), i)).collect();
        Self { values, index }
    }

    fn set(&mut self, name: &str, value: Value) {
        match self.index.get(name) {
            Some(&i) => self.values[i].value = value,
            None => {
                self.index.insert(name.to_owned(), self.values.len());
                self.values.push(NamedValue { name: name.to_owned(), value });
            }
        }
    }
}

/// Values arriving on edges, by field. Several edges into a list field are
/// gathered into one list; into a plain field, the last one wins.
fn edge_values(graph: &FlowGraph, vertex: &Vertex, produced: &[Option<Vec<NamedValue>>]) -> Vec<(String, Value)> {
    let mut by_field: Vec<(String, Value)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for &e in &vertex.incoming {
        let edge = &graph.edges[e];
        let value = produced[edge.source]
            .as_ref()
            .and_then(|outputs| outputs.iter().find(|o| o.name == edge.source_output))
            .map_or(Value::Null, |o| o.value.clone());
        let is_list = vertex.component.meta.input(&edge.field).is_some_and(|i| i.is_list);
        match index.get(edge.field.as_str()).map(|&i| &mut by_field[i]) {
            Some((_, Value::JsonList(items))) if is_list => items.extend(as_typed_json(value)),
            Some(slot) => slot.1 = value,
            None => {
                index.insert(&edge.field, by_field.len());
                let value = if is_list { Value::JsonList(as_typed_json(value)) } else { value };
                by_field.push((edge.field.clone(), value));
            }
        }
    }
    by_field
}

fn receives_input(vertex: &Vertex, input_type: InputType) -> bool {
    match (vertex.component.meta.name.as_str(), input_type) {
        ("ChatInput", InputType::Chat | InputType::Any) => true,
        ("TextInput", InputType::Text | InputType::Any) => true,
        _ => false,
    }
}

/// Output components matching `output_type`; the sinks if there are none; every vertex for `debug`.
fn collect_outputs(graph: &FlowGraph, produced: &[Option<Vec<NamedValue>>], output_type: OutputType) -> Vec<VertexResult> {
    let wanted = |vertex: &Vertex| match (vertex.component.meta.name.as_str(), output_type) {
        (_, OutputType::Debug) => true,
        ("ChatOutput", OutputType::Chat | OutputType::Any) => true,
        ("TextOutput", OutputType::Text | OutputType::Any) => true,
        _ => false,
    };
    let mut chosen: Vec<usize> = graph.layers.iter().flatten().copied().filter(|&v| wanted(&graph.vertices[v])).collect();
    if chosen.is_empty() {
        chosen = graph.layers.iter().flatten().copied().filter(|&v| !graph.vertices[v].has_outgoing && !is_input(&graph.vertices[v])).collect();
    }
    chosen
        .into_iter()
        .map(|v| {
            let vertex = &graph.vertices[v];
            let results = produced[v].iter().flatten().map(|o| (o.name.clone(), value_to_json(&o.value))).collect();
            VertexResult { component_id: vertex.id.clone(), component_type: vertex.component.meta.name.clone(), results }
        })
        .collect()
}
