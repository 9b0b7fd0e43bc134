//! Reads Langflow flow JSON (exactly as Langflow exports it) into a validated
//! graph with topological layers. Every rejection names the node or edge.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::{Map, Value as Json};

use super::bindings::types::{NamedValue, Value};
use super::registry::{LoadedComponent, Registry};
use super::value::json_to_value;

/// A validated, runnable flow.
pub struct FlowGraph {
    pub vertices: Vec<Vertex>,
    pub edges: Vec<Edge>,
    /// Vertex indices by layer; every edge goes from an earlier layer to a later one.
    pub layers: Vec<Vec<usize>>,
}

pub struct Vertex {
    pub id: String,
    pub display_name: Option<String>,
    pub component: Arc<LoadedComponent>,
    /// Inputs before tweaks and edges: the component's defaults overlaid with
    /// the template values it takes (declared inputs, plus any field for
    /// components with dynamic inputs). Converted once, when the graph is built.
    pub base_inputs: Vec<NamedValue>,
    /// Indices into `FlowGraph::edges` that end here.
    pub incoming: Vec<usize>,
    pub has_outgoing: bool,
}

pub struct Edge {
    pub source: usize,
    pub source_output: String,
    pub target: usize,
    pub field: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct GraphError(pub String);

fn invalid<T>(message: String) -> Result<T, GraphError> {
    Err(GraphError(message))
}

// ---- Langflow's JSON shape (only what we read; everything else is ignored) ----

#[derive(Deserialize)]
struct RawFlow {
    #[serde(default)]
    nodes: Vec<RawNode>,
    #[serde(default)]
    edges: Vec<RawEdge>,
}

#[derive(Deserialize)]
struct RawNode {
    id: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    data: Option<RawNodeData>,
}

#[derive(Deserialize)]
struct RawNodeData {
    #[serde(rename = "type", default)]
    node_type: Option<String>,
    #[serde(default)]
    node: Option<RawNodeBody>,
}

#[derive(Deserialize)]
struct RawNodeBody {
    #[serde(default)]
    template: Map<String, Json>,
    #[serde(default)]
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct RawEdge {
    #[serde(default)]
    id: Option<String>,
    source: String,
    target: String,
    #[serde(default)]
    data: Option<RawEdgeData>,
    /// Older exports encode the handles as strings with `œ` for quotes.
    #[serde(rename = "sourceHandle", default)]
    source_handle: Option<String>,
    #[serde(rename = "targetHandle", default)]
    target_handle: Option<String>,
}

#[derive(Deserialize)]
struct RawEdgeData {
    #[serde(rename = "sourceHandle")]
    source_handle: SourceHandle,
    #[serde(rename = "targetHandle")]
    target_handle: TargetHandle,
}

#[derive(Deserialize)]
struct SourceHandle {
    name: Option<String>,
}

#[derive(Deserialize)]
struct TargetHandle {
    #[serde(rename = "fieldName")]
    field_name: Option<String>,
    #[serde(rename = "inputTypes", default)]
    input_types: Option<Vec<String>>,
}

impl RawEdge {
    fn label(&self) -> String {
        self.id.clone().unwrap_or_else(|| format!("{} -> {}", self.source, self.target))
    }

    fn handles(&self) -> Result<(SourceHandle, TargetHandle), GraphError> {
        if let Some(data) = &self.data {
            let (s, t) = (&data.source_handle, &data.target_handle);
            return Ok((SourceHandle { name: s.name.clone() }, TargetHandle { field_name: t.field_name.clone(), input_types: t.input_types.clone() }));
        }
        let parse = |text: &Option<String>| text.as_deref().map(|t| t.replace('œ', "\"")).unwrap_or_default();
        let source = serde_json::from_str(&parse(&self.source_handle));
        let target = serde_json::from_str(&parse(&self.target_handle));
        match (source, target) {
            (Ok(s), Ok(t)) => Ok((s, t)),
            _ => invalid(format!("edge '{}' has no readable sourceHandle/targetHandle", self.label())),
        }
    }
}

/// Parses and validates `data` (a flow's `{nodes, edges}`).
pub fn build(data: &Json, registry: &Registry) -> Result<FlowGraph, GraphError> {
    let raw: RawFlow = RawFlow::deserialize(data).map_err(|e| GraphError(format!("flow data is not a Langflow graph: {e}")))?;
    let mut vertices = Vec::new();
    let mut index = HashMap::new();
    for node in raw.nodes.into_iter().filter(is_runnable) {
        if index.insert(node.id.clone(), vertices.len()).is_some() {
            return invalid(format!("node id '{}' appears more than once", node.id));
        }
        vertices.push(vertex_from(node, registry)?);
    }
    let mut edges = Vec::with_capacity(raw.edges.len());
    for raw_edge in &raw.edges {
        let edge = edge_from(raw_edge, &index, &vertices)?;
        vertices[edge.target].incoming.push(edges.len());
        vertices[edge.source].has_outgoing = true;
        edges.push(edge);
    }
    let layers = topological_layers(&vertices, &edges)?;
    Ok(FlowGraph { vertices, edges, layers })
}

/// Notes and other decorations do not run.
fn is_runnable(node: &RawNode) -> bool {
    node.kind.as_deref() != Some("noteNode")
}

fn vertex_from(node: RawNode, registry: &Registry) -> Result<Vertex, GraphError> {
    let data = node.data.unwrap_or(RawNodeData { node_type: None, node: None });
    let Some(node_type) = data.node_type.filter(|t| !t.is_empty()) else {
        return invalid(format!("node '{}' has no component type (data.type)", node.id));
    };
    let Some(component) = registry.get(&node_type) else {
        return invalid(format!("node '{}' has unknown component type '{node_type}'", node.id));
    };
    let body = data.node.unwrap_or(RawNodeBody { template: Map::new(), display_name: None });
    let meta = &component.meta;
    let mut base_inputs = component.defaults.clone();
    let template = body
        .template
        .into_iter()
        // `code` is Langflow's Python source: opaque to us, the component is the wasm.
        .filter(|(field, _)| !field.starts_with('_') && field != "code")
        .filter(|(field, _)| meta.dynamic_inputs || meta.input(field).is_some())
        .filter_map(|(field, spec)| match spec {
            Json::Object(mut spec) => spec.remove("value").map(|value| (field, value)),
            _ => None,
        });
    let mut index: HashMap<String, usize> = base_inputs.iter().enumerate().map(|(i, input)| (input.name.clone(), i)).collect();
    for (field, json) in template {
        let value = json_to_value(&json);
        match index.get(&field) {
            // An empty (null) template value keeps the default.
            Some(_) if matches!(value, Value::Null) => {}
            Some(&i) => base_inputs[i].value = value,
            None => {
                index.insert(field.clone(), base_inputs.len());
                base_inputs.push(NamedValue { name: field, value });
            }
        }
    }
    Ok(Vertex { id: node.id, display_name: body.display_name, component: component.clone(), base_inputs, incoming: Vec::new(), has_outgoing: false })
}

fn edge_from(raw: &RawEdge, index: &HashMap<String, usize>, vertices: &[Vertex]) -> Result<Edge, GraphError> {
    let label = raw.label();
    let lookup = |id: &str| index.get(id).copied().ok_or_else(|| GraphError(format!("edge '{label}' references node '{id}', which is not in the flow")));
    let (source, target) = (lookup(&raw.source)?, lookup(&raw.target)?);
    let (source_handle, target_handle) = raw.handles()?;
    let (src, dst) = (&vertices[source], &vertices[target]);
    let Some(output_name) = source_handle.name else {
        return invalid(format!("edge '{label}' does not name the output of node '{}'", src.id));
    };
    let Some(output) = src.component.meta.output(&output_name) else {
        return invalid(format!("edge '{label}': component '{}' of node '{}' has no output '{output_name}'", src.component.meta.name, src.id));
    };
    let Some(field) = target_handle.field_name else {
        return invalid(format!("edge '{label}' does not name the field of node '{}' (loop edges are not supported yet)", dst.id));
    };
    let accepted = match dst.component.meta.input(&field) {
        Some(input) => input.input_types.clone(),
        None if dst.component.meta.dynamic_inputs => target_handle.input_types.unwrap_or_else(|| vec!["Message".into(), "Text".into()]),
        None => return invalid(format!("edge '{label}': component '{}' of node '{}' has no input '{field}'", dst.component.meta.name, dst.id)),
    };
    if !types_compatible(&output.types, &accepted) {
        return invalid(format!(
            "edge '{label}': output '{output_name}' of node '{}' carries {:?}, but field '{field}' of node '{}' accepts {:?}",
            src.id, output.types, dst.id, accepted
        ));
    }
    Ok(Edge { source, source_output: output_name, target, field })
}

/// Langflow's rule is a shared type name; `Message` and `Text` convert into each other.
fn types_compatible(produced: &[String], accepted: &[String]) -> bool {
    let normal = |t: &str| if t == "Text" { "Message" } else { t }.to_owned();
    accepted.iter().any(|a| a == "Any" || a == "*")
        || produced.iter().any(|p| accepted.iter().any(|a| normal(p) == normal(a)))
}

/// Kahn's algorithm by levels. Within a layer, input components go first
/// (Langflow runs ChatInput before anything else).
fn topological_layers(vertices: &[Vertex], edges: &[Edge]) -> Result<Vec<Vec<usize>>, GraphError> {
    let mut indegree: Vec<usize> = vertices.iter().map(|v| v.incoming.len()).collect();
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for edge in edges {
        outgoing[edge.source].push(edge.target);
    }
    let mut layer: Vec<usize> = (0..vertices.len()).filter(|&v| indegree[v] == 0).collect();
    let mut layers = Vec::new();
    let mut placed = 0;
    while !layer.is_empty() {
        layer.sort_by_key(|&v| (!is_input(&vertices[v]), v));
        placed += layer.len();
        let mut next = Vec::new();
        for &v in &layer {
            for &t in &outgoing[v] {
                indegree[t] -= 1;
                if indegree[t] == 0 {
                    next.push(t);
                }
            }
        }
        layers.push(std::mem::replace(&mut layer, next));
    }
    if placed < vertices.len() {
        let cyclic: Vec<&str> = (0..vertices.len()).filter(|&v| indegree[v] > 0).map(|v| vertices[v].id.as_str()).collect();
        return invalid(format!("the flow has a cycle through nodes {}", cyclic.join(", ")));
    }
    Ok(layers)
}

pub fn is_input(vertex: &Vertex) -> bool {
    matches!(vertex.component.meta.name.as_str(), "ChatInput" | "TextInput")
}
