use flowhost_components_sdk::serde_json::json;
use flowhost_components_sdk::TypedJson;

use super::*;

fn typed(type_name: &str, json: Json) -> Value {
    Value::Json(TypedJson {
        type_name: type_name.into(),
        json: json.to_string(),
    })
}

fn run(pairs: Vec<(&str, Value)>) -> Result<Message, ComponentError> {
    let inputs = Inputs::from_pairs(pairs).with_defaults(&ChatOutput::metadata().inputs);
    let outputs = ChatOutput::run(&RunContext::for_tests(), &inputs)?;
    match outputs.get("message").unwrap().payload().unwrap() {
        Payload::Message(m) => Ok(m),
        other => panic!("not a message: {other:?}"),
    }
}

#[test]
fn message_keeps_text_and_becomes_the_machines() {
    let input = typed(
        "Message",
        json!({"text": "hi", "sender": "User", "sender_name": "User", "id": "x", "files": ["a"]}),
    );
    let m = run(vec![("input_value", input)]).unwrap();
    assert_eq!(
        (m.text.as_str(), m.sender.as_str(), m.sender_name.as_str()),
        ("hi", "Machine", "AI")
    );
    assert_eq!(m.session_id, "session-1");
    assert_eq!(m.files, ["a"]);
    assert!(!m.extra.contains_key("id"));
}

#[test]
fn plain_text_and_custom_sender() {
    let m = run(vec![
        ("input_value", "ok".into()),
        ("sender_name", "Bot".into()),
        ("session_id", "s2".into()),
    ])
    .unwrap();
    assert_eq!(
        (
            m.text.as_str(),
            m.sender_name.as_str(),
            m.session_id.as_str()
        ),
        ("ok", "Bot", "s2")
    );
}

#[test]
fn data_goes_through_the_template() {
    let data = typed("Data", json!({"data": {"text": "body", "title": "T"}}));
    assert_eq!(
        run(vec![("input_value", data.clone())]).unwrap().text,
        "body"
    );
    let m = run(vec![
        ("input_value", data),
        ("data_template", "{title}: {text}".into()),
    ])
    .unwrap();
    assert_eq!(m.text, "T: body");
}

#[test]
fn data_without_the_field_shows_as_json() {
    let m = run(vec![(
        "input_value",
        typed("Data", json!({"data": {"n": 1}})),
    )])
    .unwrap();
    assert_eq!(m.text, "```json\n{\n  \"n\": 1\n}\n```");
}

#[test]
fn dataframe_rows_by_line_and_cleaned() {
    let df = typed(
        "DataFrame",
        json!([{"text": "a\n\n\nb"}, {"text": ""}, {"text": "c"}]),
    );
    assert_eq!(
        run(vec![("input_value", df.clone())]).unwrap().text,
        "a\nb\nc"
    );
    assert_eq!(
        run(vec![("input_value", df), ("clean_data", false.into())])
            .unwrap()
            .text,
        "a\n\n\nb\n\nc"
    );
}

#[test]
fn missing_input_is_invalid() {
    assert!(
        matches!(run(vec![]), Err(ComponentError::InvalidInput(m)) if m.contains("input_value"))
    );
}
