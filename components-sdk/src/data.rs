//! Langflow's `Data` (one record) and `DataFrame` (a table of records).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value as Json};

use crate::json::{lenient_string, text_of, to_python_string};

fn default_text_key() -> String {
    "text".to_owned()
}

/// A record: `data` holds the fields, `text_key` names the one that is its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Data {
    #[serde(default)]
    pub data: Map<String, Json>,
    #[serde(default = "default_text_key", deserialize_with = "lenient_string")]
    pub text_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Json>,
}

impl Default for Data {
    fn default() -> Self {
        Self::new(Map::new())
    }
}

impl Data {
    pub fn new(data: Map<String, Json>) -> Self {
        Self {
            data,
            text_key: default_text_key(),
            default_value: None,
        }
    }

    /// Data holding only `{"text": text}`.
    pub fn from_text(text: impl Into<String>) -> Self {
        Self::default().with("text", text.into())
    }

    /// Sets field `key` (builder style).
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Json>) -> Self {
        self.data.insert(key.into(), value.into());
        self
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        self.data.get(key)
    }

    /// `data[text_key]` as text, or the whole of `data` as JSON when that key is absent.
    pub fn text(&self) -> String {
        match self.data.get(&self.text_key) {
            Some(value) => text_of(value),
            None => to_python_string(&Json::Object(self.data.clone())),
        }
    }
}

/// A table: one JSON object per row. On the wire it is an array of row objects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataFrame {
    pub rows: Vec<Map<String, Json>>,
}

impl DataFrame {
    pub fn new(rows: Vec<Map<String, Json>>) -> Self {
        Self { rows }
    }

    /// One row per Data record (its `data` fields).
    pub fn from_data(records: impl IntoIterator<Item = Data>) -> Self {
        Self::new(records.into_iter().map(|d| d.data).collect())
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Each row as Data (text key `text`).
    pub fn to_data(&self) -> Vec<Data> {
        self.rows.iter().cloned().map(Data::new).collect()
    }

    /// Column names in order of first appearance across rows.
    pub fn columns(&self) -> Vec<&str> {
        let mut columns: Vec<&str> = Vec::new();
        for key in self.rows.iter().flat_map(|row| row.keys()) {
            if !columns.contains(&key.as_str()) {
                columns.push(key);
            }
        }
        columns
    }

    /// Rows' text (`text` column, else the row as JSON), joined by newlines.
    pub fn text(&self) -> String {
        let rows: Vec<String> = self.to_data().iter().map(Data::text).collect();
        rows.join("\n")
    }

    /// A Markdown pipe table, as pandas' `to_markdown(index=False)` draws it.
    pub fn to_markdown(&self) -> String {
        crate::markdown::table(self)
    }
}

impl Serialize for DataFrame {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(s)
    }
}

impl<'de> Deserialize<'de> for DataFrame {
    /// Lenient: an array of rows (objects, or Data records whose `data` is the
    /// row, or scalars as `{"value": x}`), or pandas' `{"columns", "data"}` split form.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Json::deserialize(d)? {
            Json::Array(items) => Ok(Self::new(items.into_iter().map(row_of).collect())),
            Json::Object(obj) => from_object(obj).map_err(serde::de::Error::custom),
            Json::Null => Ok(Self::default()),
            other => Err(serde::de::Error::custom(format!(
                "a DataFrame is an array of rows, not {other}"
            ))),
        }
    }
}

fn row_of(item: Json) -> Map<String, Json> {
    match item {
        Json::Object(mut obj)
            if obj.get("data").is_some_and(Json::is_object) && obj.contains_key("text_key") =>
        {
            match obj.remove("data") {
                Some(Json::Object(data)) => data,
                _ => obj,
            }
        }
        Json::Object(obj) => obj,
        other => Map::from_iter([("value".to_owned(), other)]),
    }
}

fn from_object(mut obj: Map<String, Json>) -> Result<DataFrame, String> {
    match (obj.remove("columns"), obj.remove("data")) {
        (Some(Json::Array(columns)), Some(Json::Array(rows))) => {
            let names: Vec<String> = columns.iter().map(text_of).collect();
            let rows = rows.into_iter().map(|row| zip_row(&names, row)).collect();
            Ok(DataFrame::new(rows))
        }
        (None, Some(Json::Array(rows))) => {
            Ok(DataFrame::new(rows.into_iter().map(row_of).collect()))
        }
        _ => Err("a DataFrame is an array of rows".to_owned()),
    }
}

fn zip_row(names: &[String], row: Json) -> Map<String, Json> {
    match row {
        Json::Array(cells) => names.iter().cloned().zip(cells).collect(),
        other => row_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_text_uses_text_key_or_json() {
        let d: Data =
            serde_json::from_value(json!({"data": {"a": 1, "body": "x"}, "text_key": "body"}))
                .unwrap();
        assert_eq!(d.text(), "x");
        let d = Data::default().with("a", 1);
        assert_eq!(d.text(), r#"{"a": 1}"#);
    }

    #[test]
    fn dataframe_accepts_rows_data_and_split_form() {
        let df: DataFrame = serde_json::from_value(
            json!([{"text": "a"}, {"data": {"text": "b"}, "text_key": "text"}]),
        )
        .unwrap();
        assert_eq!(df.text(), "a\nb");
        let df: DataFrame =
            serde_json::from_value(json!({"columns": ["x", "y"], "data": [[1, 2]]})).unwrap();
        assert_eq!(df.rows[0]["y"], 2);
        assert_eq!(df.columns(), ["x", "y"]);
    }
}
