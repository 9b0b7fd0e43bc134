use flowhost_components_sdk::serde_json::json;
use flowhost_components_sdk::TypedJson;

use super::*;

fn typed(type_name: &str, value: Json) -> Value {
    Value::Json(TypedJson {
        type_name: type_name.into(),
        json: value.to_string(),
    })
}

fn run(pairs: Vec<(&str, Value)>) -> Result<String, ComponentError> {
    let inputs = Inputs::from_pairs(pairs).with_defaults(&Parser::metadata().inputs);
    Ok(Parser::run(&RunContext::for_tests(), &inputs)?
        .get("parsed_text")
        .unwrap()
        .to_text())
}

#[test]
fn data_with_the_default_pattern() {
    assert_eq!(
        run(vec![(
            "input_data",
            typed("Data", json!({"data": {"text": "hello"}}))
        )])
        .unwrap(),
        "Text: hello"
    );
}

#[test]
fn dataframe_rows_joined_by_sep() {
    let df = typed(
        "DataFrame",
        json!([{"Name": "Ann", "Age": 31}, {"Name": "Bo"}]),
    );
    let out = run(vec![
        ("input_data", df.clone()),
        ("pattern", "{Name} ({Age})".into()),
    ])
    .unwrap();
    assert_eq!(out, "Ann (31)\nBo ()");
    let out = run(vec![
        ("input_data", df),
        ("pattern", "{Name}".into()),
        ("sep", ", ".into()),
    ])
    .unwrap();
    assert_eq!(out, "Ann, Bo");
}

#[test]
fn message_behaves_as_data() {
    let message = typed(
        "Message",
        json!({"text": "hi", "sender": "User", "sender_name": "Ann"}),
    );
    assert_eq!(
        run(vec![
            ("input_data", message),
            ("pattern", "{sender_name}: {text}".into())
        ])
        .unwrap(),
        "Ann: hi"
    );
}

#[test]
fn unknown_field_is_an_invalid_input_naming_it() {
    let err = run(vec![
        ("input_data", typed("Data", json!({"data": {"a": 1}}))),
        ("pattern", "{b}".into()),
    ])
    .unwrap_err();
    assert!(matches!(err, ComponentError::InvalidInput(m) if m.contains("`b`") && m.contains("a")));
}

#[test]
fn missing_input_or_pattern_is_invalid() {
    assert!(matches!(run(vec![]), Err(ComponentError::InvalidInput(_))));
    let data = typed("Data", json!({"data": {"text": "x"}}));
    assert!(
        matches!(run(vec![("input_data", data), ("pattern", "".into())]), Err(ComponentError::InvalidInput(m)) if m.contains("pattern"))
    );
}

#[test]
fn stringify_data_and_dataframe() {
    let data = typed("Data", json!({"data": {"b": 1, "a": "x"}}));
    assert_eq!(
        run(vec![("input_data", data), ("mode", "Stringify".into())]).unwrap(),
        r#"{"b": 1, "a": "x"}"#
    );
    let df = typed("DataFrame", json!([{"a": "x\n\ny"}, {"a": null}]));
    assert_eq!(
        run(vec![("input_data", df), ("mode", "Stringify".into())]).unwrap(),
        "| a   |\n|:----|\n| x y |"
    );
}

#[test]
fn json_list_of_records_is_a_table() {
    let list = Value::JsonList(vec![
        TypedJson {
            type_name: "Data".into(),
            json: r#"{"data":{"text":"a"}}"#.into(),
        },
        TypedJson {
            type_name: "Data".into(),
            json: r#"{"data":{"text":"b"}}"#.into(),
        },
    ]);
    assert_eq!(
        run(vec![("input_data", list), ("pattern", "{text}".into())]).unwrap(),
        "a\nb"
    );
}
