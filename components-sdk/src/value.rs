//! Values on ports and fields: conversions to and from the WIT `value`.

use serde::Serialize;
use serde_json::Value as Json;

use crate::bindings::{ComponentError, TypedJson, Value};
use crate::json::text_of;
use crate::{Data, DataFrame, Message};

/// Langflow type names used in `typed-json`.
pub mod type_name {
    pub const MESSAGE: &str = "Message";
    pub const DATA: &str = "Data";
    pub const DATA_FRAME: &str = "DataFrame";
    pub const TEXT: &str = "Text";
    pub const DICT: &str = "dict";
}

/// A value decoded into Langflow's types. Scalars that are not text become `Json`.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    Null,
    Text(String),
    Message(Message),
    Data(Data),
    DataFrame(DataFrame),
    /// Plain JSON (`dict`, numbers, booleans, unknown type names).
    Json(Json),
    /// A list input fed by several edges.
    List(Vec<Payload>),
    Bytes(Vec<u8>),
}

impl Payload {
    /// Langflow's text of a value: Message → `text`; Data → `data[text_key]` or
    /// its JSON; DataFrame → rows' text by line; a list → items' text by line;
    /// null → "".
    pub fn to_text(&self) -> String {
        match self {
            Self::Null => String::new(),
            Self::Text(s) => s.clone(),
            Self::Message(m) => m.text.clone(),
            Self::Data(d) => d.text(),
            Self::DataFrame(df) => df.text(),
            Self::Json(j) => text_of(j),
            Self::List(items) => items
                .iter()
                .map(Self::to_text)
                .collect::<Vec<_>>()
                .join("\n"),
            Self::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

impl Value {
    /// Decodes the value; `Err` names what failed to parse (not the field).
    pub fn payload(&self) -> Result<Payload, String> {
        Ok(match self {
            Value::Null => Payload::Null,
            Value::Boolean(b) => Payload::Json(Json::Bool(*b)),
            Value::Integer(i) => Payload::Json(Json::from(*i)),
            Value::Float(f) => {
                Payload::Json(serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number))
            }
            Value::Text(s) => Payload::Text(s.clone()),
            Value::Json(typed) => typed.payload()?,
            Value::JsonList(items) => Payload::List(
                items
                    .iter()
                    .map(TypedJson::payload)
                    .collect::<Result<_, _>>()?,
            ),
            Value::Bytes(b) => Payload::Bytes(b.clone()),
        })
    }

    /// Langflow's text of the value (see [`Payload::to_text`]). Never fails:
    /// JSON that does not parse is returned as it is.
    pub fn to_text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Float(f) => python_float(*f),
            Value::Json(typed) => typed
                .payload()
                .map_or_else(|_| typed.json.clone(), |p| p.to_text()),
            other => other.payload().map(|p| p.to_text()).unwrap_or_default(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Lenient boolean: booleans, integers (non-zero), and text such as
    /// `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Boolean(b) => Some(*b),
            Value::Integer(i) => Some(*i != 0),
            Value::Text(s) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Some(true),
                "false" | "0" | "no" | "off" | "" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// Integers, integral floats, and text that parses as an integer.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// Numbers, and text that parses as a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A structured value tagged with Langflow type `type_name`.
    pub fn structured<T: Serialize + ?Sized>(
        type_name: &str,
        value: &T,
    ) -> Result<Self, ComponentError> {
        let json = serde_json::to_string(value).map_err(|e| {
            ComponentError::Internal(format!("cannot encode {type_name} as JSON: {e}"))
        })?;
        Ok(Value::Json(TypedJson {
            type_name: type_name.to_owned(),
            json,
        }))
    }
}

impl TypedJson {
    /// Decodes by type name; unknown names stay plain JSON.
    pub fn payload(&self) -> Result<Payload, String> {
        let parse_err = |e: serde_json::Error| format!("not a valid {}: {e}", self.type_name);
        Ok(match self.type_name.as_str() {
            type_name::MESSAGE => {
                Payload::Message(serde_json::from_str(&self.json).map_err(parse_err)?)
            }
            type_name::DATA => Payload::Data(serde_json::from_str(&self.json).map_err(parse_err)?),
            type_name::DATA_FRAME => {
                Payload::DataFrame(serde_json::from_str(&self.json).map_err(parse_err)?)
            }
            _ => match serde_json::from_str(&self.json).map_err(parse_err)? {
                Json::String(s) => Payload::Text(s),
                Json::Null => Payload::Null,
                other => Payload::Json(other),
            },
        })
    }
}

/// Python's `str(float)`: integral values keep a `.0`.
fn python_float(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(name: &str, json: &str) -> Value {
        Value::Json(TypedJson {
            type_name: name.into(),
            json: json.into(),
        })
    }

    #[test]
    fn text_follows_langflow() {
        assert_eq!(Value::Null.to_text(), "");
        assert_eq!(Value::Integer(3).to_text(), "3");
        assert_eq!(Value::Float(2.0).to_text(), "2.0");
        assert_eq!(
            typed("Message", r#"{"text":"hi","sender":"User"}"#).to_text(),
            "hi"
        );
        assert_eq!(typed("Data", r#"{"data":{"text":"d"}}"#).to_text(), "d");
        assert_eq!(
            typed("Data", r#"{"data":{"n":1}}"#).to_text(),
            r#"{"n": 1}"#
        );
        assert_eq!(
            typed("DataFrame", r#"[{"text":"a"},{"text":"b"}]"#).to_text(),
            "a\nb"
        );
        assert_eq!(typed("Text", r#""plain""#).to_text(), "plain");
        assert_eq!(typed("Message", "not json").to_text(), "not json");
    }

    #[test]
    fn lenient_scalars() {
        assert_eq!(Value::from("True").as_bool(), Some(true));
        assert_eq!(Value::from(" 42 ").as_i64(), Some(42));
        assert_eq!(Value::Float(3.0).as_i64(), Some(3));
        assert_eq!(Value::from("x").as_f64(), None);
    }

    #[test]
    fn message_round_trips_through_value() {
        let v: Value = Message::from_text("hey").into();
        assert_eq!(
            v.payload().unwrap(),
            Payload::Message(Message::from_text("hey"))
        );
    }
}
