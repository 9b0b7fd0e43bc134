//! `ChatInput`: the message a person types into the Playground.

use flowhost_components_sdk::prelude::*;
use flowhost_components_sdk::USER;

struct ChatInput;

impl Component for ChatInput {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("ChatInput", "Chat Input")
            .description("Get chat inputs from the Playground.")
            .icon("MessagesSquare")
            .category("inputs")
            .version(env!("CARGO_PKG_VERSION"))
            .input(Input::multiline("input_value", "Input Text").info("Message to be passed as input.").default_value(""))
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
                    .default_value(USER),
            )
            .input(
                Input::text("sender_name", "Sender Name")
                    .info("Name of the sender.")
                    .input_types(&["Message"])
                    .advanced()
                    .default_value(USER),
            )
            .input(
                Input::text("session_id", "Session ID")
                    .info("The session ID of the chat. If empty, the current session ID parameter will be used.")
                    .input_types(&["Message"])
                    .advanced()
                    .default_value(""),
            )
            .input(
                Input::text("context_id", "Context ID")
                    .info("The context ID of the chat. Adds an extra layer to the local memory.")
                    .input_types(&["Message"])
                    .advanced()
                    .default_value(""),
            )
            .input(Input::file("files", "Files").info("Files to be sent with the message.").list().advanced())
            .output(Output::new("message", "Chat Message", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        let sender = inputs.text("sender");
        let sender_name = inputs.text("sender_name");
        let mut message = Message::new(ctx, inputs.text("input_value"), &sender, &sender_name);
        let session_id = inputs.text("session_id");
        if !session_id.is_empty() {
            message.session_id = session_id;
        }
        let context_id = inputs.text("context_id");
        if !context_id.is_empty() {
            message.extra.insert("context_id".into(), context_id.into());
        }
        message.files = inputs.texts("files")?;
        Ok(Outputs::new().message("message", message))
    }
}

export_component!(ChatInput);

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pairs: &[(&str, Value)]) -> Message {
        let inputs =
            Inputs::from_pairs(pairs.iter().cloned()).with_defaults(&ChatInput::metadata().inputs);
        let outputs = ChatInput::run(&RunContext::for_tests(), &inputs).unwrap();
        match outputs.get("message").unwrap().payload().unwrap() {
            Payload::Message(m) => m,
            other => panic!("not a message: {other:?}"),
        }
    }

    #[test]
    fn defaults_to_the_user_and_the_run_session() {
        let m = run(&[("input_value", "hello".into())]);
        assert_eq!(
            (m.text.as_str(), m.sender.as_str(), m.sender_name.as_str()),
            ("hello", "User", "User")
        );
        assert_eq!(m.session_id, "session-1");
        assert_eq!(m.flow_id, "flow-1");
        assert_eq!(m.timestamp, RunContext::for_tests().timestamp);
        assert!(m.files.is_empty());
    }

    #[test]
    fn explicit_session_and_files_win() {
        let m = run(&[("session_id", "s9".into()), ("files", "a.png".into())]);
        assert_eq!(m.session_id, "s9");
        assert_eq!(m.files, ["a.png"]);
    }
}
