use flowhost_components_sdk::serde_json::json;
use flowhost_components_sdk::TypedJson;

use super::*;

fn prompt(pairs: Vec<(&str, Value)>) -> String {
    let inputs = Inputs::from_pairs(pairs).with_defaults(&Prompt::metadata().inputs);
    Prompt::run(&RunContext::for_tests(), &inputs)
        .unwrap()
        .get("prompt")
        .unwrap()
        .to_text()
}

fn message(text: &str) -> Value {
    Value::Json(TypedJson {
        type_name: "Message".into(),
        json: json!({"text": text, "sender": "User"}).to_string(),
    })
}

#[test]
fn fills_variables_from_messages_and_text() {
    let template = "{context}\n\n---\n\nQuestion: {question}\n\nAnswer: ";
    let out = prompt(vec![
        ("template", template.into()),
        ("context", message("docs")),
        ("question", "why?".into()),
    ]);
    assert_eq!(out, "docs\n\n---\n\nQuestion: why?\n\nAnswer: ");
}

#[test]
fn fixed_text_passes_through() {
    let template = "Structure it like this:\n\nProduct Name: [product_name]\n";
    assert_eq!(prompt(vec![("template", template.into())]), template);
}

#[test]
fn f_string_mode_from_exports() {
    let out = prompt(vec![
        ("template", "{{x}} {x}".into()),
        ("mode", "f-string".into()),
        ("x", "1".into()),
    ]);
    assert_eq!(out, "{x} 1");
}

#[test]
fn double_mode_by_tab_label_or_mustache() {
    for mode in ["{{variable}}", "mustache"] {
        let out = prompt(vec![
            ("template", "{x} {{ x }}".into()),
            ("mode", mode.into()),
            ("x", "1".into()),
        ]);
        assert_eq!(out, "{x} 1", "mode {mode}");
    }
}

#[test]
fn use_double_brackets_forces_double_mode() {
    let out = prompt(vec![
        ("template", "{x} {{x}}".into()),
        ("mode", "{variable}".into()),
        ("use_double_brackets", true.into()),
        ("x", "1".into()),
    ]);
    assert_eq!(out, "{x} 1");
}

#[test]
fn missing_variable_is_empty_and_json_survives() {
    let out = prompt(vec![
        (
            "template",
            r#"Reply as {"answer": "..."} to {q}.{missing}"#.into(),
        ),
        ("q", "me".into()),
    ]);
    assert_eq!(out, r#"Reply as {"answer": "..."} to me."#);
}

#[test]
fn list_values_join_by_line() {
    let list = Value::JsonList(vec![
        TypedJson {
            type_name: "Message".into(),
            json: r#"{"text":"a"}"#.into(),
        },
        TypedJson {
            type_name: "Data".into(),
            json: r#"{"data":{"text":"b"}}"#.into(),
        },
    ]);
    assert_eq!(
        prompt(vec![
            ("template", "History:\n{memory}".into()),
            ("memory", list)
        ]),
        "History:\na\nb"
    );
}

#[test]
fn output_is_a_machine_message_of_this_session() {
    let inputs = Inputs::from_pairs([("template", "t")]).with_defaults(&Prompt::metadata().inputs);
    let out = Prompt::run(&RunContext::for_tests(), &inputs).unwrap();
    let Payload::Message(m) = out.get("prompt").unwrap().payload().unwrap() else {
        panic!("not a message")
    };
    assert_eq!(
        (m.sender.as_str(), m.session_id.as_str()),
        ("Machine", "session-1")
    );
}
