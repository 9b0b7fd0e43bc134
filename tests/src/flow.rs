//! Minimal flows in Langflow's export format.
//!
//! Nodes carry only `data.type` and the template values a test cares about; the
//! server fills the rest from the component's metadata. Edges carry both
//! Langflow spellings of their handles: the `data.sourceHandle` /
//! `data.targetHandle` objects and the `œ`-quoted strings at the top level.

use serde_json::{json, Map, Value};

/// A `genericNode` of type `node_type` whose template fields take the values in
/// `template_values` (a JSON object `{field: value}`).
pub fn node(id: &str, node_type: &str, template_values: Value) -> Value {
    let template: Map<String, Value> = template_values
        .as_object()
        .expect("template values are a JSON object")
        .iter()
        .map(|(field, value)| (field.clone(), template_field(node_type, field, value)))
        .collect();
    json!({
        "id": id,
        "type": "genericNode",
        "position": {"x": 0.0, "y": 0.0},
        "data": {
            "id": id,
            "type": node_type,
            "node": {"display_name": node_type, "template": template, "outputs": []}
        }
    })
}

fn template_field(node_type: &str, field: &str, value: &Value) -> Value {
    let field_type = match value {
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_i64() || n.is_u64() => "int",
        Value::Number(_) => "float",
        Value::Object(_) | Value::Array(_) => "dict",
        _ if node_type == "Prompt" && field == "template" => "prompt",
        _ => "str",
    };
    json!({"name": field, "type": field_type, "value": value, "show": true})
}

/// An edge from output `src_output` (carrying `src_types`) of node `src` into
/// field `field` (accepting `dst_types`) of node `dst`. The source node's type
/// (`dataType`) is taken from the id's prefix (`ChatInput-1` → `ChatInput`).
pub fn edge(
    src: &str,
    src_output: &str,
    src_types: &[&str],
    dst: &str,
    field: &str,
    dst_types: &[&str],
) -> Value {
    let data_type = src.split('-').next().unwrap_or(src);
    let source_handle = json!({
        "dataType": data_type, "id": src, "name": src_output, "output_types": src_types
    });
    let target_handle = json!({
        "fieldName": field, "id": dst, "inputTypes": dst_types, "type": "str"
    });
    json!({
        "id": format!("reactflow__edge-{src}{src_output}-{dst}{field}"),
        "source": src,
        "target": dst,
        "sourceHandle": langflow_handle(&source_handle),
        "targetHandle": langflow_handle(&target_handle),
        "data": {"sourceHandle": source_handle, "targetHandle": target_handle}
    })
}

/// Langflow's string form of a handle: JSON with `"` replaced by `œ`.
fn langflow_handle(handle: &Value) -> String {
    let mut text = String::new();
    let obj = handle.as_object().expect("handle is an object");
    for (i, (key, value)) in obj.iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!("{key:?}: {value}"));
    }
    format!("{{{text}}}").replace('"', "œ").replace(",œ", ", œ")
}

/// A flow body for `POST /api/v1/flows/`.
pub fn flow(name: &str, nodes: Vec<Value>, edges: Vec<Value>) -> Value {
    json!({
        "name": name,
        "description": format!("test flow {name}"),
        "data": {"nodes": nodes, "edges": edges, "viewport": {"x": 0, "y": 0, "zoom": 1}}
    })
}

/// A unique flow name, so that tests never collide on the name rule.
pub fn unique_name(prefix: &str) -> String {
    format!("{prefix} {}", uuid::Uuid::new_v4().simple())
}

/// The Message output types every text-producing built-in declares.
pub const MESSAGE: &[&str] = &["Message"];
/// What a Prompt's `{variable}` fields accept.
pub const PROMPT_VARIABLE: &[&str] = &["Message", "Text"];
/// What ChatOutput's `input_value` accepts.
pub const CHAT_OUTPUT_INPUT: &[&str] = &["Data", "DataFrame", "Message"];
/// What ParserComponent's `input_data` accepts.
pub const PARSER_INPUT: &[&str] = &["DataFrame", "Data"];

/// A Prompt node with `template` and an empty field per `{variable}`, as
/// Langflow exports it.
pub fn prompt_node(id: &str, template: &str, variables: &[&str]) -> Value {
    let mut values = Map::new();
    values.insert("template".into(), json!(template));
    for var in variables {
        values.insert((*var).into(), json!(""));
    }
    node(id, "Prompt", Value::Object(values))
}
