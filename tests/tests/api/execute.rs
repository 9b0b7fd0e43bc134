//! Running flows: `POST /api/v1/flows/{id}/execute` and the run record.

use std::collections::BTreeSet;

use flowhost_tests::flow::{
    edge, flow, node, prompt_node, unique_name, CHAT_OUTPUT_INPUT, MESSAGE, PROMPT_VARIABLE,
};
use flowhost_tests::{example_files, fixture, message_text, spawn_app, ApiResponse, TestApp};
use serde_json::{json, Value};

/// Asserts a successful run and its envelope; returns the body.
#[track_caller]
fn assert_success(response: &ApiResponse, flow_id: &str) -> Value {
    let run = response.expect(200).clone();
    assert_eq!(run["status"], "success", "{run}");
    assert_eq!(run["flow_id"], flow_id, "{run}");
    let run_id = run["run_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no run_id: {run}"));
    uuid::Uuid::parse_str(run_id).expect("run_id is a UUID");
    assert!(run["session_id"].is_string(), "{run}");
    assert!(run["duration_ms"].is_number(), "{run}");
    assert!(run["usage"]["fuel_consumed"].is_u64(), "{run}");
    assert!(run["outputs"].is_array(), "{run}");
    run
}

/// The `results` of the output listed for `component_id`.
#[track_caller]
fn results_of<'a>(run: &'a Value, component_id: &str) -> &'a Value {
    let output = run["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["component_id"] == component_id)
        .unwrap_or_else(|| panic!("{component_id} is not among the outputs: {run}"));
    &output["results"]
}

fn output_ids(run: &Value) -> BTreeSet<String> {
    let outputs = run["outputs"].as_array().unwrap();
    outputs
        .iter()
        .map(|o| o["component_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Asserts a Message object with all of Langflow's basic fields.
#[track_caller]
fn assert_message(message: &Value, session_id: &str) {
    for key in ["text", "sender", "sender_name", "session_id", "timestamp"] {
        assert!(
            message[key].is_string(),
            "message field `{key}` is not a string: {message}"
        );
    }
    assert_eq!(message["session_id"], session_id, "{message}");
}

async fn create_and_run(app: &TestApp, flow: &Value, body: &Value) -> (String, Value) {
    let id = app.create_flow_id(flow).await;
    let run = assert_success(&app.execute(&id, body).await, &id);
    (id, run)
}

fn chat_echo_flow() -> Value {
    flow(
        &unique_name("Echo"),
        vec![
            node(
                "ChatInput-1",
                "ChatInput",
                json!({"input_value": "template text"}),
            ),
            node("ChatOutput-1", "ChatOutput", json!({})),
        ],
        vec![edge(
            "ChatInput-1",
            "message",
            MESSAGE,
            "ChatOutput-1",
            "input_value",
            CHAT_OUTPUT_INPUT,
        )],
    )
}

/// TextInput(a) → Prompt "{a} {b}" ← TextInput(b), Prompt → TextOutput.
fn joined_prompt_flow() -> Value {
    flow(
        &unique_name("Join"),
        vec![
            node("TextInput-a", "TextInput", json!({"input_value": "Hello"})),
            node("TextInput-b", "TextInput", json!({"input_value": "world"})),
            prompt_node("Prompt-1", "{a} {b}", &["a", "b"]),
            node("TextOutput-1", "TextOutput", json!({})),
        ],
        vec![
            edge(
                "TextInput-a",
                "text",
                MESSAGE,
                "Prompt-1",
                "a",
                PROMPT_VARIABLE,
            ),
            edge(
                "TextInput-b",
                "text",
                MESSAGE,
                "Prompt-1",
                "b",
                PROMPT_VARIABLE,
            ),
            edge(
                "Prompt-1",
                "prompt",
                MESSAGE,
                "TextOutput-1",
                "input_value",
                MESSAGE,
            ),
        ],
    )
}

fn last_prompt_text(export: &Value) -> String {
    let nodes = export["data"]["nodes"].as_array().unwrap();
    let prompt = nodes
        .iter()
        .find(|n| n["id"] == "Prompt-7PuDH")
        .expect("fixture has Prompt-7PuDH");
    prompt["data"]["node"]["template"]["template"]["value"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_prompt_chaining_answers_its_last_prompt() {
    let Some(export) = fixture("Basic Prompt Chaining.json") else {
        return;
    };
    let app = spawn_app().await;
    let (id, run) = create_and_run(&app, &export, &json!({"input_value": "a market trend"})).await;

    assert_eq!(
        output_ids(&run),
        BTreeSet::from(["ChatOutput-mc2Rz".to_owned()]),
        "{run}"
    );
    assert_eq!(run["outputs"][0]["component_type"], "ChatOutput");
    let message = &results_of(&run, "ChatOutput-mc2Rz")["message"];
    assert_message(message, &id);
    assert_eq!(message_text(message), last_prompt_text(&export));
    assert_eq!(
        run["session_id"],
        id.as_str(),
        "session_id defaults to the flow id"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn debug_output_lists_every_vertex() {
    let Some(export) = fixture("Basic Prompt Chaining.json") else {
        return;
    };
    let app = spawn_app().await;
    let body = json!({"input_value": "x", "output_type": "debug"});
    let (_, run) = create_and_run(&app, &export, &body).await;

    let expected: BTreeSet<String> = [
        "ChatInput-B7vXK",
        "Prompt-RcCgD",
        "Prompt-gxyFu",
        "Prompt-7PuDH",
        "ChatOutput-mc2Rz",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(
        output_ids(&run),
        expected,
        "every genericNode, not the note: {run}"
    );
    assert_eq!(
        message_text(&results_of(&run, "ChatInput-B7vXK")["message"]),
        "x"
    );
    let prompt = results_of(&run, "Prompt-RcCgD");
    assert!(
        prompt["prompt"].is_object() || prompt["prompt"].is_string(),
        "{prompt}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_input_takes_input_value_and_session_id() {
    let app = spawn_app().await;
    let (id, run) = create_and_run(&app, &chat_echo_flow(), &json!({"input_value": "ping"})).await;
    let message = &results_of(&run, "ChatOutput-1")["message"];
    assert_eq!(message_text(message), "ping");
    assert_message(message, &id);
    assert_eq!(
        message["sender"], "Machine",
        "ChatOutput speaks as Machine: {message}"
    );
    assert_eq!(run["session_id"], id.as_str());

    let body = json!({"input_value": "pong", "session_id": "my-session"});
    let run = assert_success(&app.execute(&id, &body).await, &id);
    assert_eq!(run["session_id"], "my-session");
    let message = &results_of(&run, "ChatOutput-1")["message"];
    assert_eq!(message_text(message), "pong");
    assert_message(message, "my-session");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_input_value_the_template_value_is_used() {
    let app = spawn_app().await;
    let (_, run) = create_and_run(&app, &chat_echo_flow(), &json!({})).await;
    assert_eq!(
        message_text(&results_of(&run, "ChatOutput-1")["message"]),
        "template text"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_type_text_feeds_text_inputs() {
    let app = spawn_app().await;
    let text_flow = flow(
        &unique_name("Text io"),
        vec![
            node(
                "TextInput-1",
                "TextInput",
                json!({"input_value": "from template"}),
            ),
            node("TextOutput-1", "TextOutput", json!({})),
        ],
        vec![edge(
            "TextInput-1",
            "text",
            MESSAGE,
            "TextOutput-1",
            "input_value",
            MESSAGE,
        )],
    );
    let id = app.create_flow_id(&text_flow).await;

    for input_type in ["text", "any"] {
        let body = json!({"input_value": "from request", "input_type": input_type});
        let run = assert_success(&app.execute(&id, &body).await, &id);
        let text = message_text(&results_of(&run, "TextOutput-1")["text"]);
        assert_eq!(text, "from request", "input_type {input_type}");
    }

    let body = json!({"input_value": "for chat inputs only"});
    let run = assert_success(&app.execute(&id, &body).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "from template",
        "input_type defaults to chat, which does not reach a TextInput"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prompt_joins_two_text_inputs_and_tweaks_override() {
    let app = spawn_app().await;
    let (id, run) = create_and_run(&app, &joined_prompt_flow(), &json!({})).await;
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "Hello world"
    );

    let body = json!({"tweaks": {"TextInput-b": {"input_value": "Flowhost"}}});
    let run = assert_success(&app.execute(&id, &body).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "Hello Flowhost"
    );

    let run = assert_success(&app.execute(&id, &json!({})).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "Hello world",
        "tweaks are per run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tweak_can_change_the_prompt_template() {
    let app = spawn_app().await;
    let id = app.create_flow_id(&joined_prompt_flow()).await;
    let body = json!({"tweaks": {"Prompt-1": {"template": "{b}, {a}!"}}});
    let run = assert_success(&app.execute(&id, &body).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "world, Hello!"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_output_components_the_sinks_are_listed() {
    let app = spawn_app().await;
    let sink_flow = flow(
        &unique_name("Sink"),
        vec![
            node("TextInput-1", "TextInput", json!({"input_value": "sunk"})),
            prompt_node("Prompt-1", "got {x}", &["x"]),
        ],
        vec![edge(
            "TextInput-1",
            "text",
            MESSAGE,
            "Prompt-1",
            "x",
            PROMPT_VARIABLE,
        )],
    );
    let (_, run) = create_and_run(&app, &sink_flow, &json!({})).await;
    assert_eq!(
        output_ids(&run),
        BTreeSet::from(["Prompt-1".to_owned()]),
        "{run}"
    );
    assert_eq!(run["outputs"][0]["component_type"], "Prompt");
    assert_eq!(
        message_text(&results_of(&run, "Prompt-1")["prompt"]),
        "got sunk"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn combine_text_joins_with_the_delimiter() {
    let app = spawn_app().await;
    let combine = flow(
        &unique_name("Combine"),
        vec![
            node("TextInput-1", "TextInput", json!({"input_value": "left"})),
            node("TextInput-2", "TextInput", json!({"input_value": "right"})),
            node("CombineText-1", "CombineText", json!({"delimiter": " | "})),
            node("TextOutput-1", "TextOutput", json!({})),
        ],
        vec![
            edge(
                "TextInput-1",
                "text",
                MESSAGE,
                "CombineText-1",
                "text1",
                MESSAGE,
            ),
            edge(
                "TextInput-2",
                "text",
                MESSAGE,
                "CombineText-1",
                "text2",
                MESSAGE,
            ),
            edge(
                "CombineText-1",
                "combined_text",
                MESSAGE,
                "TextOutput-1",
                "input_value",
                MESSAGE,
            ),
        ],
    );
    let (_, run) = create_and_run(&app, &combine, &json!({})).await;
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "left | right"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parser_formats_a_data_object_from_a_tweak() {
    let app = spawn_app().await;
    let parser = flow(
        &unique_name("Parser"),
        vec![
            node(
                "ParserComponent-1",
                "ParserComponent",
                json!({"pattern": "{name} says {text}", "mode": "Parser"}),
            ),
            node("TextOutput-1", "TextOutput", json!({})),
        ],
        vec![edge(
            "ParserComponent-1",
            "parsed_text",
            MESSAGE,
            "TextOutput-1",
            "input_value",
            MESSAGE,
        )],
    );
    let id = app.create_flow_id(&parser).await;
    let data = json!({"data": {"name": "Ada", "text": "hello"}, "text_key": "text"});
    let body = json!({"tweaks": {"ParserComponent-1": {"input_data": data}}});
    let run = assert_success(&app.execute(&id, &body).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "Ada says hello"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parser_alias_node_type_runs() {
    let app = spawn_app().await;
    let parser = flow(
        &unique_name("Parser alias"),
        vec![node(
            "parser-1",
            "parser",
            json!({"pattern": "Text: {text}"}),
        )],
        vec![],
    );
    let id = app.create_flow_id(&parser).await;
    let data = json!({"data": {"text": "aliased"}, "text_key": "text"});
    let run = assert_success(
        &app.execute(&id, &json!({"tweaks": {"parser-1": {"input_data": data}}}))
            .await,
        &id,
    );
    assert_eq!(
        message_text(&results_of(&run, "parser-1")["parsed_text"]),
        "Text: aliased"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_is_recorded() {
    let app = spawn_app().await;
    let (id, run) = create_and_run(
        &app,
        &chat_echo_flow(),
        &json!({"input_value": "remember me"}),
    )
    .await;
    let runs = app
        .get(&format!("/api/v1/flows/{id}/runs"))
        .await
        .expect(200)
        .clone();
    let runs = runs
        .as_array()
        .unwrap_or_else(|| panic!("runs is an array: {runs}"));
    let recorded = runs
        .iter()
        .find(|r| r["id"] == run["run_id"])
        .unwrap_or_else(|| panic!("run {} is not recorded: {runs:?}", run["run_id"]));
    assert_eq!(recorded["status"], "success", "{recorded}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execute_unknown_flow_is_404() {
    let app = spawn_app().await;
    let unknown = uuid::Uuid::new_v4().to_string();
    app.execute(&unknown, &json!({"input_value": "x"}))
        .await
        .expect_error(404, "NOT_FOUND");
    app.get(&format!("/api/v1/flows/{unknown}/runs"))
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_flow_runs() {
    let app = spawn_app().await;
    let files = example_files();
    assert!(
        files.len() >= 2,
        "examples/ holds the example flows: {files:?}"
    );
    for path in files {
        let example: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let id = app.create_flow_id(&example).await;
        let response = app
            .execute(&id, &json!({"input_value": "What is Flowhost?"}))
            .await;
        assert_eq!(
            response.status,
            200,
            "{}: {}",
            path.display(),
            response.text
        );
        let run = assert_success(&response, &id);
        let outputs = run["outputs"].as_array().unwrap();
        assert!(!outputs.is_empty(), "{}: no outputs: {run}", path.display());
        assert!(outputs
            .iter()
            .all(|o| o["results"].as_object().is_some_and(|r| !r.is_empty())));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_walkthrough_output_is_what_the_readme_says() {
    let app = spawn_app().await;
    let path = flowhost_tests::workspace_root().join("examples/hello-chat.json");
    let example: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (_, run) =
        create_and_run(&app, &example, &json!({"input_value": "What is Flowhost?"})).await;
    let output = &run["outputs"][0];
    assert_eq!(output["component_type"], "ChatOutput");
    assert_eq!(
        message_text(&output["results"]["message"]),
        "Answer politely: What is Flowhost?"
    );

    let combine = flowhost_tests::workspace_root().join("examples/combine-text.json");
    let example: Value = serde_json::from_str(&std::fs::read_to_string(combine).unwrap()).unwrap();
    let (_, run) = create_and_run(&app, &example, &json!({})).await;
    assert_eq!(
        message_text(&run["outputs"][0]["results"]["text"]),
        "Hello, Flowhost"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tweaks_may_name_a_node_by_display_name() {
    let app = spawn_app().await;
    let path = flowhost_tests::workspace_root().join("examples/hello-chat.json");
    let example: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let id = app.create_flow_id(&example).await;
    let body = json!({"input_value": "Hi", "tweaks": {"Prompt": {"template": "Reply briefly: {question}"}}});
    let run = assert_success(&app.execute(&id, &body).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "ChatOutput-hello")["message"]),
        "Reply briefly: Hi"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_after_an_update_uses_the_new_flow() {
    let app = spawn_app().await;
    let mut joined = joined_prompt_flow();
    let id = app.create_flow_id(&joined).await;
    let run = assert_success(&app.execute(&id, &json!({})).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "Hello world"
    );

    joined["data"]["nodes"][2]["data"]["node"]["template"]["template"]["value"] =
        json!("{b} before {a}");
    let update = json!({"data": joined["data"]});
    app.put_json(&format!("/api/v1/flows/{id}"), &update)
        .await
        .expect(200);
    let run = assert_success(&app.execute(&id, &json!({})).await, &id);
    assert_eq!(
        message_text(&results_of(&run, "TextOutput-1")["text"]),
        "world before Hello",
        "no stale graph"
    );

    app.delete(&format!("/api/v1/flows/{id}")).await;
    app.execute(&id, &json!({}))
        .await
        .expect_error(404, "NOT_FOUND");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_runs_all_succeed_and_are_recorded() {
    let app = std::sync::Arc::new(spawn_app().await);
    let id = app.create_flow_id(&chat_echo_flow()).await;
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (app, id) = (app.clone(), id.clone());
            tokio::spawn(async move {
                app.execute(&id, &json!({"input_value": format!("run {i}")}))
                    .await
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let run = assert_success(&task.await.unwrap(), &id);
        assert_eq!(
            message_text(&results_of(&run, "ChatOutput-1")["message"]),
            format!("run {i}")
        );
    }
    let runs = app
        .get(&format!("/api/v1/flows/{id}/runs"))
        .await
        .expect(200)
        .clone();
    assert_eq!(runs.as_array().map(Vec::len), Some(16), "{runs}");
}
