//! `Prompt`: a template whose `{variables}` are filled from the node's dynamic fields.
//!
//! The template syntax itself lives in `flowhost_components_sdk::template`
//! (shared with Parser and ChatOutput, and unit-tested there).

use flowhost_components_sdk::prelude::*;
use flowhost_components_sdk::template::{render, Syntax};

struct Prompt;

impl Component for Prompt {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("Prompt", "Prompt")
            .description("Create a prompt template with dynamic variables.")
            .icon("prompts")
            .category("prompts")
            .version(env!("CARGO_PKG_VERSION"))
            .input(Input::prompt("template", "Template").default_value(""))
            .input(
                Input::tab("mode", "Mode", &["{variable}", "{{variable}}"])
                    .info("Choose variable syntax for your template.")
                    .default_value("{variable}"),
            )
            .input(
                Input::boolean("use_double_brackets", "Use Double Brackets")
                    .info("Use {{variable}} syntax instead of {variable}.")
                    .advanced()
                    .default_value(false),
            )
            .input(
                Input::text("tool_placeholder", "Tool Placeholder")
                    .info("A placeholder input for tool mode.")
                    .input_types(&["Message"])
                    .advanced()
                    .default_value(""),
            )
            .output(Output::new("prompt", "Prompt", &["Message"]))
            .dynamic_inputs()
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        let text = render(&inputs.text("template"), syntax(inputs), |name| {
            Some(inputs.text(name))
        });
        Ok(Outputs::new().message("prompt", Message::machine(ctx, text)))
    }
}

/// `use_double_brackets` forces `{{variable}}`; otherwise `mode` decides
/// (exports store `f-string` / `mustache` as well as the tab labels).
fn syntax(inputs: &Inputs) -> Syntax {
    if inputs.bool_or("use_double_brackets", false) {
        Syntax::Double
    } else {
        Syntax::from_mode(&inputs.text("mode"))
    }
}

export_component!(Prompt);

#[cfg(test)]
mod tests;
