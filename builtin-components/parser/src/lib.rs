//! `ParserComponent` (alias `parser`): formats Data or DataFrame rows with a
//! pattern, or stringifies them.

use flowhost_components_sdk::prelude::*;
use flowhost_components_sdk::serde_json::Value as Json;
use flowhost_components_sdk::template::{try_render, Names, Syntax};

mod stringify;

struct Parser;

impl Component for Parser {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("ParserComponent", "Parser")
            .alias("parser")
            .description(
                "Format a DataFrame or Data object into text using a template. \
                 Enable 'Stringify' to convert input into a readable string instead.",
            )
            .icon("braces")
            .category("processing")
            .version(env!("CARGO_PKG_VERSION"))
            .input(
                Input::handle("input_data", "Data or DataFrame", &["DataFrame", "Data"])
                    .info("Accepts either a DataFrame or a Data object.")
                    .required(),
            )
            .input(
                Input::tab("mode", "Mode", &["Parser", "Stringify"])
                    .info("Convert into raw string instead of using a template.")
                    .default_value("Parser"),
            )
            .input(
                Input::multiline("pattern", "Template")
                    .info(
                        "Use variables within curly brackets to extract column values for DataFrames or key values \
                         for Data.For example: `Name: {Name}, Age: {Age}, Country: {Country}`",
                    )
                    .input_types(&["Message"])
                    .required()
                    .default_value("Text: {text}"),
            )
            .input(
                Input::text("sep", "Separator")
                    .info("String used to separate rows/items.")
                    .input_types(&["Message"])
                    .advanced()
                    .default_value("\n"),
            )
            .input(
                Input::boolean("clean_data", "Clean Data")
                    .info(
                        "Enable to clean the data by removing empty rows and lines in each cell of the \
                         DataFrame/ Data object.",
                    )
                    .advanced()
                    .default_value(true),
            )
            .output(Output::new("parsed_text", "Parsed Text", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        let input = inputs.payload("input_data")?;
        if input.is_null() {
            return Err(ComponentError::invalid_input(
                "`input_data` is required: connect a Data or DataFrame",
            ));
        }
        let text = if inputs.text("mode") == "Stringify" {
            stringify::text(&input, inputs.bool_or("clean_data", true))
        } else {
            parse(
                &input,
                &inputs.require_text("pattern")?,
                &inputs.text("sep"),
            )?
        };
        Ok(Outputs::new().message("parsed_text", Message::machine(ctx, text)))
    }
}

/// Parser mode: `pattern` once per record, records joined by `sep`.
fn parse(input: &Payload, pattern: &str, sep: &str) -> Result<String, ComponentError> {
    let table = match input {
        Payload::DataFrame(df) => df.clone(),
        Payload::List(items) => DataFrame::from_data(items.iter().map(record)),
        Payload::Json(Json::Array(items)) => {
            DataFrame::from_data(items.iter().cloned().map(|i| record(&Payload::Json(i))))
        }
        one => DataFrame::from_data([record(one)]),
    };
    let columns = table.columns();
    let lines = table.rows.iter().map(|row| {
        // Like pandas, a column some rows lack is empty in those rows.
        try_render(pattern, Syntax::Single, Names::Keys, |key| {
            match row.get(key) {
                Some(value) => Ok(json::text_of(value)),
                None if columns.contains(&key) => Ok(String::new()),
                None => Err(missing(key, &columns)),
            }
        })
    });
    Ok(lines.collect::<Result<Vec<_>, _>>()?.join(sep))
}

/// One record's fields: a Message behaves as Data with its fields.
fn record(item: &Payload) -> Data {
    match item {
        Payload::Data(d) => d.clone(),
        Payload::Message(m) => m.to_data(),
        Payload::Json(Json::Object(map)) => Data::new(map.clone()),
        other => Data::from_text(other.to_text()),
    }
}

fn missing(key: &str, columns: &[&str]) -> ComponentError {
    ComponentError::invalid_input(format!(
        "the pattern uses {{{key}}}, but the input has no field `{key}` (fields: {})",
        columns.join(", ")
    ))
}

export_component!(Parser);

#[cfg(test)]
mod tests;
