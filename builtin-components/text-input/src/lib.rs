//! `TextInput`: a text value typed into the flow, passed on as a Message.

use flowhost_components_sdk::prelude::*;

struct TextInput;

impl Component for TextInput {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("TextInput", "Text Input")
            .description("Get user text inputs.")
            .icon("type")
            .category("inputs")
            .version(env!("CARGO_PKG_VERSION"))
            .input(
                Input::multiline("input_value", "Text")
                    .info("Text to be passed as input.")
                    .input_types(&["Message"])
                    .default_value(""),
            )
            .output(Output::new("text", "Output Text", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        Ok(Outputs::new().message("text", Message::machine(ctx, inputs.text("input_value"))))
    }
}

export_component!(TextInput);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_text_on_as_a_message() {
        let out = TextInput::run(
            &RunContext::for_tests(),
            &Inputs::from_pairs([("input_value", "hi")]),
        )
        .unwrap();
        assert_eq!(out.get("text").unwrap().to_text(), "hi");
    }
}
