//! Stringify mode: any input as readable text, as Langflow's `_safe_convert`.

use flowhost_components_sdk::prelude::*;
use flowhost_components_sdk::serde_json::Value as Json;

/// Message → its text; Data → its fields as JSON; DataFrame → a Markdown table;
/// a list → each item on its own line.
pub fn text(input: &Payload, clean: bool) -> String {
    match input {
        Payload::Data(d) => json::to_python_string(&Json::Object(d.data.clone())),
        Payload::DataFrame(df) if clean => cleaned(df).to_markdown(),
        Payload::DataFrame(df) => df.to_markdown(),
        Payload::List(items) => items
            .iter()
            .map(|i| text(i, clean))
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_text(),
    }
}

/// Drops rows with no values, blanks whitespace-only cells and squeezes
/// runs of newlines (pandas `dropna(how="all")` and the two `replace` calls).
fn cleaned(df: &DataFrame) -> DataFrame {
    let rows = df
        .rows
        .iter()
        .filter(|row| !row.values().all(Json::is_null))
        .cloned()
        .map(|mut row| {
            for value in row.values_mut() {
                if let Json::String(s) = value {
                    *s = if s.trim().is_empty() {
                        String::new()
                    } else {
                        squeeze_newlines(s)
                    };
                }
            }
            row
        });
    DataFrame::new(rows.collect())
}

fn squeeze_newlines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == '\n' && out.ends_with('\n')) {
            out.push(c);
        }
    }
    out
}
