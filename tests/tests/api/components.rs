//! The component catalogue: `GET /api/v1/components` and `/components/{type}`.

use flowhost_tests::spawn_app;
use serde_json::Value;

/// Every built-in the issue names, with one output each must have and its types.
const BUILTINS: &[(&str, &str)] = &[
    ("ChatInput", "message"),
    ("ChatOutput", "message"),
    ("TextInput", "text"),
    ("TextOutput", "text"),
    ("Prompt", "prompt"),
    ("ParserComponent", "parsed_text"),
    ("CombineText", "combined_text"),
];

fn find<'a>(list: &'a [Value], name: &str) -> &'a Value {
    list.iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not listed"))
}

#[track_caller]
fn assert_metadata_shape(component: &Value) {
    let name = &component["name"];
    for key in ["name", "display_name", "description", "category", "version"] {
        assert!(
            component[key].is_string(),
            "{name}: `{key}` is not a string: {component}"
        );
    }
    assert!(component.get("icon").is_some(), "{name}: no `icon`");
    assert!(
        component["aliases"].is_array(),
        "{name}: `aliases` is not an array"
    );
    assert!(
        component["dynamic_inputs"].is_boolean(),
        "{name}: `dynamic_inputs` is not a bool"
    );
    assert!(
        component["builtin"].is_boolean(),
        "{name}: `builtin` is not a bool"
    );
    for input in component["inputs"].as_array().expect("inputs array") {
        for key in ["name", "display_name", "info", "kind"] {
            assert!(
                input[key].is_string(),
                "{name}: input `{key}` not a string: {input}"
            );
        }
        for key in ["input_types", "options"] {
            assert!(
                input[key].is_array(),
                "{name}: input `{key}` not an array: {input}"
            );
        }
        for key in ["required", "advanced", "is_list"] {
            assert!(
                input[key].is_boolean(),
                "{name}: input `{key}` not a bool: {input}"
            );
        }
        assert!(
            input.get("default").is_some(),
            "{name}: input has no `default`: {input}"
        );
    }
    for output in component["outputs"].as_array().expect("outputs array") {
        assert!(
            output["name"].is_string() && output["display_name"].is_string(),
            "{name}: {output}"
        );
        assert!(output["types"].is_array(), "{name}: output types: {output}");
    }
}

#[track_caller]
fn output<'a>(component: &'a Value, output_name: &str) -> &'a Value {
    component["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == output_name)
        .unwrap_or_else(|| {
            panic!(
                "{} has no output {output_name}: {component}",
                component["name"]
            )
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_every_builtin_with_inputs_and_outputs() {
    let app = spawn_app().await;
    let body = app.get("/api/v1/components").await.expect(200).clone();
    let list = body.as_array().expect("a JSON array");

    for component in list {
        assert_metadata_shape(component);
    }
    for (name, output_name) in BUILTINS {
        let component = find(list, name);
        assert_eq!(component["builtin"], true, "{name} is built in");
        assert!(
            !component["inputs"].as_array().unwrap().is_empty(),
            "{name} has inputs"
        );
        assert!(
            !component["outputs"].as_array().unwrap().is_empty(),
            "{name} has outputs"
        );
        let types = output(component, output_name)["types"].as_array().unwrap();
        assert!(
            types.iter().any(|t| t == "Message"),
            "{name}.{output_name} carries Message: {types:?}"
        );
    }
    let chat_input = find(list, "ChatInput");
    assert_eq!(
        output(chat_input, "message")["types"],
        serde_json::json!(["Message"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builtin_inputs_match_langflow_field_names() {
    let app = spawn_app().await;
    let expected: &[(&str, &[&str])] = &[
        ("ChatInput", &["input_value"]),
        ("ChatOutput", &["input_value"]),
        ("TextInput", &["input_value"]),
        ("TextOutput", &["input_value"]),
        ("Prompt", &["template"]),
        ("ParserComponent", &["input_data", "pattern"]),
        ("CombineText", &["text1", "text2", "delimiter"]),
    ];
    for (name, fields) in expected {
        let component = app.component(name).await;
        let inputs = component["inputs"].as_array().unwrap();
        for field in *fields {
            assert!(
                inputs.iter().any(|i| i["name"] == *field),
                "{name} has no input {field}: {component}"
            );
        }
    }
    let parser = app.component("ParserComponent").await;
    let input_data = parser["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "input_data")
        .unwrap();
    let mut types: Vec<&str> = input_data["input_types"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    types.sort_unstable();
    assert_eq!(types, ["Data", "DataFrame"]);
    assert_eq!(
        app.component("Prompt").await["dynamic_inputs"],
        true,
        "Prompt variables are dynamic inputs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_one_component_by_type() {
    let app = spawn_app().await;
    let all = app.get("/api/v1/components").await.expect(200).clone();
    for (name, _) in BUILTINS {
        let one = app.component(name).await;
        assert_eq!(
            &one,
            find(all.as_array().unwrap(), name),
            "the single view equals the list entry"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alias_resolves_to_its_component() {
    let app = spawn_app().await;
    let parser = app.component("parser").await;
    assert_eq!(parser["name"], "ParserComponent");
    assert!(
        parser["aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "parser"),
        "{parser}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_component_is_404() {
    let app = spawn_app().await;
    let detail = app
        .get("/api/v1/components/NoSuchComponent")
        .await
        .expect_error(404, "NOT_FOUND")
        .to_owned();
    assert!(
        detail.contains("NoSuchComponent"),
        "detail names the type: {detail}"
    );
}
