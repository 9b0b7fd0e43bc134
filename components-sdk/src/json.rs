//! JSON helpers with Langflow's (Python's) conventions.

use serde::{Deserialize, Deserializer};
use serde_json::ser::{Formatter, Serializer};
use serde_json::Value as Json;

/// JSON the way Python's `json.dumps` writes it by default: `", "` and `": "`
/// separators, so text built from Data matches what Langflow shows.
/// (Non-ASCII stays UTF-8; Python would escape it.)
pub fn to_python_string(value: &Json) -> String {
    let mut out = Vec::new();
    let mut ser = Serializer::with_formatter(&mut out, PythonFormatter);
    // Writing a `serde_json::Value` into a Vec cannot fail.
    let _ = serde::Serialize::serialize(value, &mut ser);
    String::from_utf8(out).unwrap_or_default()
}

/// Pretty JSON with two-space indentation (Langflow's `orjson.OPT_INDENT_2`).
pub fn to_pretty_string(value: &Json) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

struct PythonFormatter;

impl Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

/// The text of a JSON value: a string as is, `null` as "", anything else as JSON.
pub fn text_of(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        other => to_python_string(other),
    }
}

/// Deserialises a string field that Langflow may send as `null` or a non-string.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(text_of(&Json::deserialize(d)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_separators() {
        let v = json!({"b": 1, "a": [1, "x", null]});
        assert_eq!(to_python_string(&v), r#"{"b": 1, "a": [1, "x", null]}"#);
    }

    #[test]
    fn text_of_scalars() {
        assert_eq!(text_of(&json!("hi")), "hi");
        assert_eq!(text_of(&json!(null)), "");
        assert_eq!(text_of(&json!(3)), "3");
        assert_eq!(text_of(&json!(true)), "true");
    }
}
