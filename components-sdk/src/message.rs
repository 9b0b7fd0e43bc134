//! Langflow's `Message`: the chat payload most ports carry.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value as Json};

use crate::bindings::RunContext;
use crate::json::{lenient_string, text_of};
use crate::Data;

/// Sender of messages typed by a person.
pub const USER: &str = "User";
/// Sender of messages produced by a flow.
pub const MACHINE: &str = "Machine";
/// Langflow's default sender name for machine messages.
pub const AI: &str = "AI";

/// A chat message. Fields Langflow sends that are not listed here (`id`,
/// `properties`, `content_blocks`, ...) are kept in `extra` and written back.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Message {
    #[serde(default, deserialize_with = "lenient_string")]
    pub text: String,
    /// `User` or `Machine`.
    #[serde(default, deserialize_with = "lenient_string")]
    pub sender: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub sender_name: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub session_id: String,
    /// UTC ISO-8601, from the run context (guests have no clock).
    #[serde(default, deserialize_with = "lenient_string")]
    pub timestamp: String,
    /// File paths attached to the message.
    #[serde(default, deserialize_with = "file_list")]
    pub files: Vec<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub flow_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Json>,
}

impl Message {
    /// A message of this run: session, timestamp and flow come from `ctx`.
    pub fn new(ctx: &RunContext, text: impl Into<String>, sender: &str, sender_name: &str) -> Self {
        Self {
            text: text.into(),
            sender: sender.to_owned(),
            sender_name: sender_name.to_owned(),
            session_id: ctx.session_id.clone(),
            timestamp: ctx.timestamp.clone(),
            flow_id: ctx.flow_id.clone(),
            ..Self::default()
        }
    }

    /// A message from the flow: sender `Machine`, sender name `AI`.
    pub fn machine(ctx: &RunContext, text: impl Into<String>) -> Self {
        Self::new(ctx, text, MACHINE, AI)
    }

    /// A message from the person chatting: sender and sender name `User`.
    pub fn user(ctx: &RunContext, text: impl Into<String>) -> Self {
        Self::new(ctx, text, USER, USER)
    }

    /// A bare message with only `text` set.
    pub fn from_text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// The message as Langflow's `Data` view of it: every field, `text_key` "text".
    pub fn to_data(&self) -> Data {
        match serde_json::to_value(self) {
            Ok(Json::Object(map)) => Data::new(map),
            _ => Data::from_text(self.text.clone()),
        }
    }

    /// A message from Data: `text` is the Data's text, known fields are taken over.
    pub fn from_data(data: &Data) -> Self {
        let mut message: Self =
            serde_json::from_value(Json::Object(data.data.clone())).unwrap_or_default();
        message.text = data.text();
        message.extra.remove(&data.text_key);
        message
    }
}

/// Files may arrive as paths, or as objects (Langflow `Image`) with a `path` or `url`.
fn file_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let items = match Json::deserialize(d)? {
        Json::Array(items) => items,
        Json::Null => Vec::new(),
        one => vec![one],
    };
    Ok(items
        .iter()
        .map(file_path)
        .filter(|p| !p.is_empty())
        .collect())
}

fn file_path(item: &Json) -> String {
    match item {
        Json::Object(obj) => obj
            .get("path")
            .or_else(|| obj.get("url"))
            .map(text_of)
            .unwrap_or_else(|| text_of(item)),
        other => text_of(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let raw = json!({"text": "hi", "sender": null, "id": "m1", "properties": {"a": 1}, "files": [{"path": "f.png"}]});
        let message: Message = serde_json::from_value(raw).unwrap();
        assert_eq!(message.sender, "");
        assert_eq!(message.files, ["f.png"]);
        let back = serde_json::to_value(&message).unwrap();
        assert_eq!(back["id"], "m1");
        assert_eq!(back["properties"]["a"], 1);
    }
}
