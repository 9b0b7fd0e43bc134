//! `TextOutput`: the text a flow returns through the API.

use flowhost_components_sdk::prelude::*;

struct TextOutput;

impl Component for TextOutput {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("TextOutput", "Text Output")
            .description("Sends text output via API.")
            .icon("type")
            .category("outputs")
            .version(env!("CARGO_PKG_VERSION"))
            .input(
                Input::multiline("input_value", "Inputs")
                    .info("Text to be passed as output.")
                    .input_types(&["Message"])
                    .default_value(""),
            )
            .output(Output::new("text", "Output Text", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        Ok(Outputs::new().message("text", Message::machine(ctx, inputs.text("input_value"))))
    }
}

export_component!(TextOutput);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_text_of_a_message() {
        let input = Message::from_text("from upstream");
        let out = TextOutput::run(
            &RunContext::for_tests(),
            &Inputs::from_pairs([("input_value", input)]),
        )
        .unwrap();
        assert_eq!(out.get("text").unwrap().to_text(), "from upstream");
    }
}
