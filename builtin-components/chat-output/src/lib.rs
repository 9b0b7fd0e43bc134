//! `ChatOutput`: shows a Message, Data or DataFrame in the Playground as a chat message.

use flowhost_components_sdk::prelude::*;
use flowhost_components_sdk::serde_json::Value as Json;
use flowhost_components_sdk::template::{try_render, Names, Syntax};
use flowhost_components_sdk::{AI, MACHINE};

struct ChatOutput;

impl Component for ChatOutput {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("ChatOutput", "Chat Output")
            .description("Display a chat message in the Playground.")
            .icon("MessagesSquare")
            .category("outputs")
            .version(env!("CARGO_PKG_VERSION"))
            .input(
                Input::handle("input_value", "Inputs", &["Data", "DataFrame", "Message"])
                    .info("Message to be passed as output.")
                    .required(),
            )
            .input(
                Input::boolean("should_store_message", "Store Messages")
                    .info("Store the message in the history.")
                    .advanced()
                    .default_value(true),
            )
            .input(
                Input::dropdown("sender", "Sender Type", &["Machine", "User"])
                    .info("Type of sender.")
                    .advanced()
                    .default_value(MACHINE),
            )
            .input(message_text("sender_name", "Sender Name", "Name of the sender.").default_value(AI))
            .input(message_text(
                "session_id",
                "Session ID",
                "The session ID of the chat. If empty, the current session ID parameter will be used.",
            ))
            .input(message_text(
                "context_id",
                "Context ID",
                "The context ID of the chat. Adds an extra layer to the local memory.",
            ))
            .input(
                message_text(
                    "data_template",
                    "Data Template",
                    "Template to convert Data to Text. If left empty, it will be dynamically set to the Data's text key.",
                )
                .default_value("{text}"),
            )
            .input(
                Input::boolean("clean_data", "Basic Clean Data")
                    .info("Whether to clean data before converting to string.")
                    .advanced()
                    .default_value(true),
            )
            .output(Output::new("message", "Output Message", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        let payload = inputs.payload("input_value")?;
        let render = Render {
            template: inputs.text("data_template"),
            clean: inputs.bool_or("clean_data", true),
        };
        let text = match &payload {
            Payload::Null => {
                return Err(ComponentError::invalid_input(
                    "`input_value` is required: connect a Message, Data or DataFrame",
                ))
            }
            other => render.text(other),
        };
        // A Message passing through keeps its own fields (files, properties, ...).
        let mut message = match payload {
            Payload::Message(m) => m,
            _ => Message::default(),
        };
        // This is a new chat message: the id belongs to the upstream original.
        message.extra.remove("id");
        message.text = text;
        message.sender = inputs.text("sender");
        message.sender_name = inputs.text("sender_name");
        message.session_id = inputs.text("session_id");
        if message.session_id.is_empty() {
            message.session_id = ctx.session_id.clone();
        }
        message.timestamp = ctx.timestamp.clone();
        message.flow_id = ctx.flow_id.clone();
        let context_id = inputs.text("context_id");
        if !context_id.is_empty() {
            message.extra.insert("context_id".into(), context_id.into());
        }
        Ok(Outputs::new().message("message", message))
    }
}

/// An advanced one-line text field that also takes a Message edge
/// (`MessageTextInput`), empty unless set.
fn message_text(name: &str, display_name: &str, info: &str) -> Input {
    Input::text(name, display_name)
        .info(info)
        .input_types(&["Message"])
        .advanced()
        .default_value("")
}

/// How Data and DataFrames become text.
struct Render {
    template: String,
    clean: bool,
}

impl Render {
    fn text(&self, payload: &Payload) -> String {
        match payload {
            Payload::Message(m) => m.text.clone(),
            Payload::Data(d) => self.data(d),
            Payload::DataFrame(df) => self.lines(df.to_data().iter().map(|d| self.row(d))),
            Payload::List(items) => self.lines(items.iter().map(|i| Some(self.text(i)))),
            other => other.to_text(),
        }
    }

    fn lines(&self, lines: impl Iterator<Item = Option<String>>) -> String {
        lines.flatten().collect::<Vec<_>>().join("\n")
    }

    /// A table row; with `clean`, empty rows vanish and runs of newlines shrink.
    fn row(&self, row: &Data) -> Option<String> {
        if !self.clean {
            return Some(self.data(row));
        }
        if row.data.values().all(is_blank) {
            return None;
        }
        let mut row = row.clone();
        for value in row.data.values_mut() {
            if let Json::String(s) = value {
                *s = collapse_newlines(s);
            }
        }
        Some(self.data(&row))
    }

    /// `data_template` filled from the fields (`{data}` is all of them). An
    /// empty template gives the text key; a field the data lacks gives the data
    /// as a JSON block (what Langflow 1.5 shows for Data).
    fn data(&self, data: &Data) -> String {
        if self.template.is_empty() {
            return data.text();
        }
        let field = |key: &str| match (data.get(key), key) {
            (Some(value), _) => Ok(json::text_of(value)),
            (None, "data") => Ok(json::to_python_string(&Json::Object(data.data.clone()))),
            (None, _) => Err(()),
        };
        try_render(&self.template, Syntax::Single, Names::Keys, field).unwrap_or_else(|()| {
            format!(
                "```json\n{}\n```",
                json::to_pretty_string(&Json::Object(data.data.clone()))
            )
        })
    }
}

fn is_blank(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn collapse_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '\n' && out.ends_with('\n')) {
            out.push(c);
        }
    }
    out
}

export_component!(ChatOutput);

#[cfg(test)]
mod tests;
