//! The hot run path, in process: one vertex (fresh store + instantiate + run)
//! and a whole 3-node flow (graph already built, as the server caches it).

use criterion::{criterion_group, criterion_main, Criterion};
use flowhost::runtime::bindings::types::{NamedValue, RunContext, Value};
use flowhost::runtime::executor::{execute, InputType, OutputType, RunRequest};
use flowhost::runtime::graph;
use flowhost::runtime::invoke::call_run;
use flowhost_bench::{runtime_and_registry, three_node_flow};

fn benches(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (runtime, registry) = rt.block_on(runtime_and_registry(cache.path().to_path_buf()));

    let ctx = RunContext {
        flow_id: "bench".into(),
        run_id: "bench".into(),
        vertex_id: "TextInput-1".into(),
        session_id: "bench".into(),
        timestamp: "2026-01-01T00:00:00Z".into(),
    };
    let inputs = vec![NamedValue { name: "input_value".into(), value: Value::Text("hello".into()) }];
    for name in ["TextInput", "ChatInput", "Prompt"] {
        let component = registry.get(name).expect("built-in").clone();
        c.bench_function(&format!("vertex/{name}: instantiate + run"), |b| {
            b.to_async(&rt).iter(|| async { call_run(&runtime, &component.pre, &ctx, &inputs).await.ok().expect("run") })
        });
    }

    let flow = graph::build(&three_node_flow(), &registry).expect("valid flow");
    let tweaks = serde_json::Map::new();
    let request = RunRequest {
        flow_id: "bench",
        run_id: "bench",
        session_id: "bench",
        timestamp: "2026-01-01T00:00:00Z",
        input_value: Some("What is Flowhost?"),
        input_type: InputType::Chat,
        output_type: OutputType::Any,
        tweaks: &tweaks,
    };
    c.bench_function("flow/ChatInput->Prompt->ChatOutput", |b| {
        b.to_async(&rt).iter(|| async { execute(&runtime, &flow, &request).await.ok().expect("flow run") })
    });
}

criterion_group!(run_path, benches);
criterion_main!(run_path);
