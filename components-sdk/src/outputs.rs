//! The values a run returns, one per output port.

use serde::Serialize;

use crate::bindings::{ComponentError, NamedValue, Value};
use crate::{Data, DataFrame, Message};

/// Builder for a run's outputs. Setting a port twice keeps the last value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outputs {
    values: Vec<NamedValue>,
    /// A `json` value that failed to encode; reported when the run returns,
    /// so the builder can stay chainable.
    error: Option<String>,
}

impl Outputs {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets port `name` to any value.
    pub fn value(mut self, name: &str, value: impl Into<Value>) -> Self {
        let value = value.into();
        match self.values.iter_mut().find(|v| v.name == name) {
            Some(slot) => slot.value = value,
            None => self.values.push(NamedValue {
                name: name.to_owned(),
                value,
            }),
        }
        self
    }

    /// Plain text (Langflow `Text`).
    pub fn text(self, name: &str, text: impl Into<String>) -> Self {
        self.value(name, Value::Text(text.into()))
    }

    pub fn message(self, name: &str, message: Message) -> Self {
        self.value(name, message)
    }

    pub fn data(self, name: &str, data: Data) -> Self {
        self.value(name, data)
    }

    pub fn dataframe(self, name: &str, dataframe: DataFrame) -> Self {
        self.value(name, dataframe)
    }

    /// Any serialisable value, tagged with Langflow type `type_name` (e.g. `dict`).
    pub fn json<T: Serialize + ?Sized>(mut self, name: &str, type_name: &str, value: &T) -> Self {
        match Value::structured(type_name, value) {
            Ok(v) => self.value(name, v),
            Err(e) => {
                self.error
                    .get_or_insert_with(|| format!("output `{name}`: {e:?}"));
                self
            }
        }
    }

    /// The value set on port `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|v| v.name == name)
            .map(|v| &v.value)
    }

    /// The outputs as the host receives them.
    pub fn into_named_values(self) -> Result<Vec<NamedValue>, ComponentError> {
        match self.error {
            Some(e) => Err(ComponentError::Internal(e)),
            None => Ok(self.values),
        }
    }
}
