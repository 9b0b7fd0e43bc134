//! Shared set-up for the benchmarks: a runtime with the built-ins loaded, and
//! small Langflow-format flows.

use std::sync::Arc;

use flowhost::runtime::{Registry, Runtime};
use flowhost::ComponentLimits;
use serde_json::{json, Value};

/// A runtime and registry as the server builds them, with a throw-away cache.
pub async fn runtime_and_registry(cache_dir: std::path::PathBuf) -> (Arc<Runtime>, Arc<Registry>) {
    let runtime = Arc::new(Runtime::new(ComponentLimits::default(), cache_dir).expect("runtime"));
    let registry = Registry::load(runtime.clone(), flowhost::builtins::BUILTINS, std::path::Path::new("/nonexistent")).await;
    (runtime, Arc::new(registry))
}

/// A Langflow node with the given template values.
pub fn node(id: &str, node_type: &str, values: Value) -> Value {
    let template: serde_json::Map<String, Value> = values
        .as_object()
        .into_iter()
        .flatten()
        .map(|(field, value)| (field.clone(), json!({ "value": value })))
        .collect();
    json!({ "id": id, "type": "genericNode", "data": { "id": id, "type": node_type, "node": { "template": template } } })
}

/// A Langflow edge from `source.output` to `target.field`.
pub fn edge(source: &str, output: &str, target: &str, field: &str, input_types: &[&str]) -> Value {
    json!({
        "id": format!("{source}-{output}-{target}-{field}"),
        "source": source,
        "target": target,
        "data": {
            "sourceHandle": { "id": source, "name": output, "output_types": ["Message"] },
            "targetHandle": { "id": target, "fieldName": field, "inputTypes": input_types, "type": "str" }
        }
    })
}

/// ChatInput → Prompt("Answer: {question}") → ChatOutput.
pub fn three_node_flow() -> Value {
    json!({
        "nodes": [
            node("ChatInput-1", "ChatInput", json!({ "input_value": "hello" })),
            node("Prompt-1", "Prompt", json!({ "template": "Answer: {question}" })),
            node("ChatOutput-1", "ChatOutput", json!({})),
        ],
        "edges": [
            edge("ChatInput-1", "message", "Prompt-1", "question", &["Message", "Text"]),
            edge("Prompt-1", "prompt", "ChatOutput-1", "input_value", &["Data", "DataFrame", "Message"]),
        ]
    })
}
