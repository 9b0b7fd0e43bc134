//! Conversions between flow JSON and the WIT `value` variant.

use serde_json::Value as Json;

use super::bindings::types::{TypedJson, Value};

/// A template or tweak value from flow JSON, as a component input.
pub fn json_to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Boolean(*b),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Json::String(s) => Value::Text(s.clone()),
        Json::Object(_) | Json::Array(_) => Value::Json(TypedJson { type_name: infer_type_name(json).to_owned(), json: json.to_string() }),
    }
}

/// Guesses the Langflow type of a structured value given inline (a tweak):
/// Data is `{"data": {...}}`, a Message has `text` and `sender`, a DataFrame is a list of rows.
fn infer_type_name(json: &Json) -> &'static str {
    match json {
        Json::Object(map) if map.get("data").is_some_and(Json::is_object) => "Data",
        Json::Object(map) if map.contains_key("text") && map.contains_key("sender") => "Message",
        Json::Array(rows) if rows.iter().all(Json::is_object) => "DataFrame",
        Json::Array(_) => "list",
        _ => "dict",
    }
}

/// A component value as API JSON. Structured values are embedded as JSON, not as text.
pub fn value_to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Boolean(b) => Json::Bool(*b),
        Value::Integer(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Text(s) => Json::String(s.clone()),
        Value::Json(typed) => typed_to_json(typed),
        Value::JsonList(items) => Json::Array(items.iter().map(typed_to_json).collect()),
        Value::Bytes(bytes) => Json::Array(bytes.iter().map(|b| Json::from(*b)).collect()),
    }
}

fn typed_to_json(typed: &TypedJson) -> Json {
    serde_json::from_str(&typed.json).unwrap_or_else(|_| Json::String(typed.json.clone()))
}

/// Approximate size of a value in bytes, for the output cap.
pub fn value_size(value: &Value) -> usize {
    match value {
        Value::Null | Value::Boolean(_) => 1,
        Value::Integer(_) | Value::Float(_) => 8,
        Value::Text(s) => s.len(),
        Value::Json(typed) => typed.type_name.len() + typed.json.len(),
        Value::JsonList(items) => items.iter().map(|t| t.type_name.len() + t.json.len()).sum(),
        Value::Bytes(bytes) => bytes.len(),
    }
}

/// Wraps a value as one element of a list input.
pub fn as_typed_json(value: Value) -> Vec<TypedJson> {
    match value {
        Value::Json(typed) => vec![typed],
        Value::JsonList(items) => items,
        Value::Null => Vec::new(),
        other => vec![TypedJson { type_name: "Text".into(), json: value_to_json(&other).to_string() }],
    }
}
