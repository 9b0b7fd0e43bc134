//! `From` conversions into the WIT `value`, so builders take plain Rust values.

use serde::Serialize;
use serde_json::Value as Json;

use crate::bindings::{TypedJson, Value};
use crate::value::type_name;
use crate::{Data, DataFrame, Message, Payload};

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Boolean(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Integer(i)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::Integer(i.into())
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

/// Serialising these types cannot fail (string keys, no custom serialisers).
fn infallible(type_name: &str, value: &impl Serialize) -> Value {
    Value::structured(type_name, value).unwrap_or(Value::Null)
}

impl From<&Message> for Value {
    fn from(m: &Message) -> Self {
        infallible(type_name::MESSAGE, m)
    }
}

impl From<Message> for Value {
    fn from(m: Message) -> Self {
        Value::from(&m)
    }
}

impl From<&Data> for Value {
    fn from(d: &Data) -> Self {
        infallible(type_name::DATA, d)
    }
}

impl From<Data> for Value {
    fn from(d: Data) -> Self {
        Value::from(&d)
    }
}

impl From<&DataFrame> for Value {
    fn from(df: &DataFrame) -> Self {
        infallible(type_name::DATA_FRAME, df)
    }
}

impl From<DataFrame> for Value {
    fn from(df: DataFrame) -> Self {
        Value::from(&df)
    }
}

impl From<Payload> for Value {
    fn from(p: Payload) -> Self {
        match p {
            Payload::Null => Value::Null,
            Payload::Text(s) => Value::Text(s),
            Payload::Message(m) => m.into(),
            Payload::Data(d) => d.into(),
            Payload::DataFrame(df) => df.into(),
            Payload::Json(j) => infallible(type_name::DICT, &j),
            Payload::List(items) => {
                Value::JsonList(items.into_iter().filter_map(|i| typed(i.into())).collect())
            }
            Payload::Bytes(b) => Value::Bytes(b),
        }
    }
}

/// A value as one element of a `json-list`.
fn typed(value: Value) -> Option<TypedJson> {
    match value {
        Value::Json(t) => Some(t),
        Value::Null => None,
        other => Some(TypedJson {
            type_name: type_name::TEXT.to_owned(),
            json: Json::String(other.to_text()).to_string(),
        }),
    }
}
