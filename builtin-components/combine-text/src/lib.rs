//! `CombineText`: two texts joined by a delimiter.

use flowhost_components_sdk::prelude::*;

struct CombineText;

fn message_text(name: &str, display_name: &str, info: &str) -> Input {
    Input::text(name, display_name)
        .info(info)
        .input_types(&["Message"])
}

impl Component for CombineText {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("CombineText", "Combine Text")
            .description("Concatenate two text sources into a single text chunk using a specified delimiter.")
            .icon("merge")
            .category("processing")
            .version(env!("CARGO_PKG_VERSION"))
            .input(message_text("text1", "First Text", "The first text input to concatenate.").default_value(""))
            .input(message_text("text2", "Second Text", "The second text input to concatenate.").default_value(""))
            .input(
                message_text("delimiter", "Delimiter", "A string used to separate the two text inputs. Defaults to a whitespace.")
                    .default_value(" "),
            )
            .output(Output::new("combined_text", "Combined Text", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        let combined = [inputs.text("text1"), inputs.text("text2")].join(&inputs.text("delimiter"));
        Ok(Outputs::new().message("combined_text", Message::machine(ctx, combined)))
    }
}

export_component!(CombineText);

#[cfg(test)]
mod tests {
    use super::*;

    fn combine(pairs: &[(&str, &str)]) -> String {
        let inputs = Inputs::from_pairs(pairs.iter().copied())
            .with_defaults(&CombineText::metadata().inputs);
        CombineText::run(&RunContext::for_tests(), &inputs)
            .unwrap()
            .get("combined_text")
            .unwrap()
            .to_text()
    }

    #[test]
    fn joins_with_a_space_by_default() {
        assert_eq!(combine(&[("text1", "a"), ("text2", "b")]), "a b");
    }

    #[test]
    fn uses_the_given_delimiter() {
        assert_eq!(
            combine(&[("text1", "a"), ("text2", "b"), ("delimiter", ", ")]),
            "a, b"
        );
        assert_eq!(
            combine(&[("text1", "a"), ("text2", "b"), ("delimiter", "")]),
            "ab"
        );
    }
}
