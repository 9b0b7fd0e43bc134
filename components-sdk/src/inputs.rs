//! A read-only view of a run's input fields, with Langflow's conversions.

use crate::bindings::{ComponentError, InputSpec, NamedValue, Value};
use crate::{Data, DataFrame, Message, Payload};

/// The fields of one run, by name: template values, tweaks and edge values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inputs {
    fields: Vec<NamedValue>,
}

impl Inputs {
    pub fn new(fields: Vec<NamedValue>) -> Self {
        Self { fields }
    }

    /// Builds inputs from `(name, value)` pairs; convenient in tests.
    pub fn from_pairs<N: Into<String>, V: Into<Value>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        Self::new(
            pairs
                .into_iter()
                .map(|(n, v)| NamedValue {
                    name: n.into(),
                    value: v.into(),
                })
                .collect(),
        )
    }

    /// Fills every field that is missing or null with its spec's default.
    pub fn with_defaults(mut self, specs: &[InputSpec]) -> Self {
        for spec in specs {
            let Some(default) = &spec.default else {
                continue;
            };
            match self.fields.iter_mut().find(|f| f.name == spec.name) {
                Some(field) if field.value.is_null() => field.value = default.clone(),
                Some(_) => {}
                None => self.fields.push(NamedValue {
                    name: spec.name.clone(),
                    value: default.clone(),
                }),
            }
        }
        self
    }

    /// The raw value of field `name`, null included.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.value)
    }

    /// True when field `name` is present and not null.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !v.is_null())
    }

    /// Every field, in the order the host sent them (defaults last).
    pub fn iter(&self) -> Fields<'_> {
        self.fields
            .iter()
            .map(name_and_value as fn(&NamedValue) -> (&str, &Value))
    }

    /// The field as text (Langflow semantics, see [`Payload::to_text`]); "" when missing.
    pub fn text(&self, name: &str) -> String {
        self.get(name).map(Value::to_text).unwrap_or_default()
    }

    /// The field as text, or `default` when it is missing or null.
    pub fn text_or(&self, name: &str, default: &str) -> String {
        if self.has(name) {
            self.text(name)
        } else {
            default.to_owned()
        }
    }

    /// The field as text; `InvalidInput` naming the field when it is missing or empty.
    pub fn require_text(&self, name: &str) -> Result<String, ComponentError> {
        let text = self.text(name);
        if text.is_empty() {
            return Err(ComponentError::InvalidInput(format!(
                "`{name}` is required but empty"
            )));
        }
        Ok(text)
    }

    /// The field as a list of texts: one per list item, one for a non-empty
    /// scalar, none for null or "".
    pub fn texts(&self, name: &str) -> Result<Vec<String>, ComponentError> {
        Ok(match self.payload(name)? {
            Payload::List(items) => items.iter().map(Payload::to_text).collect(),
            Payload::Json(serde_json::Value::Array(items)) => {
                items.iter().map(crate::json::text_of).collect()
            }
            other => Some(other.to_text())
                .filter(|t| !t.is_empty())
                .into_iter()
                .collect(),
        })
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(Value::as_bool)
    }

    pub fn bool_or(&self, name: &str, default: bool) -> bool {
        self.bool(name).unwrap_or(default)
    }

    pub fn i64(&self, name: &str) -> Option<i64> {
        self.get(name).and_then(Value::as_i64)
    }

    pub fn f64(&self, name: &str) -> Option<f64> {
        self.get(name).and_then(Value::as_f64)
    }

    /// The field decoded into Langflow's types (`Payload::Null` when missing).
    pub fn payload(&self, name: &str) -> Result<Payload, ComponentError> {
        match self.get(name) {
            None => Ok(Payload::Null),
            Some(value) => value.payload().map_err(|e: String| invalid(name, &e)),
        }
    }

    /// The field as a Message: Messages as they are, Data through its text and
    /// fields, anything else as a message holding its text. `None` when null.
    pub fn message(&self, name: &str) -> Result<Option<Message>, ComponentError> {
        Ok(match self.payload(name)? {
            Payload::Null => None,
            Payload::Message(m) => Some(m),
            Payload::Data(d) => Some(Message::from_data(&d)),
            other => Some(Message::from_text(other.to_text())),
        })
    }

    /// The field as Data: Data as it is, a Message as its fields, a JSON object
    /// as its fields, text as `{"text": ...}`. `None` when null.
    pub fn data(&self, name: &str) -> Result<Option<Data>, ComponentError> {
        Ok(match self.payload(name)? {
            Payload::Null => None,
            Payload::Data(d) => Some(d),
            Payload::Message(m) => Some(m.to_data()),
            Payload::Json(serde_json::Value::Object(map)) => Some(Data::new(map)),
            Payload::DataFrame(_) | Payload::List(_) => {
                return Err(invalid(name, "expected one Data, got a table or list"))
            }
            other => Some(Data::from_text(other.to_text())),
        })
    }

    /// The field as a DataFrame: a DataFrame as it is, a list of records or one
    /// record as rows. `None` when null.
    pub fn dataframe(&self, name: &str) -> Result<Option<DataFrame>, ComponentError> {
        Ok(match self.payload(name)? {
            Payload::Null => None,
            Payload::DataFrame(df) => Some(df),
            Payload::List(items) => Some(DataFrame::from_data(items.into_iter().map(record))),
            Payload::Json(serde_json::Value::Array(items)) => Some(DataFrame::from_data(
                items.into_iter().map(|i| record(Payload::Json(i))),
            )),
            one => Some(DataFrame::from_data([record(one)])),
        })
    }
}

/// One record of a table, from any single payload.
fn record(item: Payload) -> Data {
    match item {
        Payload::Data(d) => d,
        Payload::Message(m) => m.to_data(),
        Payload::Json(serde_json::Value::Object(map)) => Data::new(map),
        other => Data::from_text(other.to_text()),
    }
}

fn invalid(name: &str, why: &str) -> ComponentError {
    ComponentError::InvalidInput(format!("`{name}`: {why}"))
}

/// Iterator over `(name, value)` of every field.
pub type Fields<'a> =
    core::iter::Map<core::slice::Iter<'a, NamedValue>, fn(&NamedValue) -> (&str, &Value)>;

fn name_and_value(field: &NamedValue) -> (&str, &Value) {
    (&field.name, &field.value)
}

impl<'a> IntoIterator for &'a Inputs {
    type Item = (&'a str, &'a Value);
    type IntoIter = Fields<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Input;

    #[test]
    fn defaults_fill_missing_and_null_only() {
        let specs = [
            Input::text("a", "A").default_value("da"),
            Input::text("b", "B").default_value("db"),
            Input::text("c", "C").default_value("dc"),
        ];
        let inputs =
            Inputs::from_pairs([("a", Value::Null), ("b", Value::from(""))]).with_defaults(&specs);
        assert_eq!(inputs.text("a"), "da");
        assert_eq!(inputs.text("b"), "");
        assert_eq!(inputs.text("c"), "dc");
    }

    #[test]
    fn require_text_names_the_field() {
        let err = Inputs::default().require_text("pattern").unwrap_err();
        assert!(matches!(err, ComponentError::InvalidInput(m) if m.contains("pattern")));
    }

    #[test]
    fn data_from_message_keeps_fields() {
        let inputs = Inputs::from_pairs([("m", crate::Message::from_text("hi"))]);
        let data = inputs.data("m").unwrap().unwrap();
        assert_eq!(data.text(), "hi");
        assert!(data.get("sender").is_some());
    }
}
