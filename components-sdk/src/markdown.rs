//! DataFrame → Markdown pipe table, close to pandas/tabulate's `pipe` format:
//! cells padded to the column width, numeric columns right-aligned.

use serde_json::Value as Json;

use crate::json::text_of;
use crate::DataFrame;

pub(crate) fn table(df: &DataFrame) -> String {
    let columns = df.columns();
    let cells: Vec<Vec<String>> = df
        .rows
        .iter()
        .map(|row| {
            columns
                .iter()
                .map(|c| row.get(*c).map(text_of).unwrap_or_default())
                .collect()
        })
        .collect();
    let numeric: Vec<bool> = (0..columns.len())
        .map(|i| {
            !df.rows.is_empty()
                && df
                    .rows
                    .iter()
                    .all(|r| r.get(columns[i]).is_none_or(is_numeric))
        })
        .collect();
    // tabulate pads every header by two characters at least.
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            cells
                .iter()
                .map(|r| width(&r[i]))
                .chain([width(columns[i]) + 2])
                .max()
                .unwrap_or(0)
        })
        .collect();

    let mut lines = vec![line(
        columns.iter().map(|c| c.to_string()),
        &widths,
        &numeric,
    )];
    lines.push(rule(&widths, &numeric));
    lines.extend(
        cells
            .into_iter()
            .map(|row| line(row.into_iter(), &widths, &numeric)),
    );
    lines.join("\n")
}

/// tabulate right-aligns numbers, and strings that parse as numbers.
fn is_numeric(value: &Json) -> bool {
    match value {
        Json::Number(_) | Json::Null => true,
        Json::String(s) => s.trim().parse::<f64>().is_ok(),
        _ => false,
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn line(cells: impl Iterator<Item = String>, widths: &[usize], right: &[bool]) -> String {
    let padded: Vec<String> = cells
        .enumerate()
        .map(|(i, cell)| {
            // Newlines would break the table; tabulate keeps them, readers do not.
            let cell = cell.replace('\n', " ");
            if right[i] {
                format!("{cell:>w$}", w = widths[i])
            } else {
                format!("{cell:<w$}", w = widths[i])
            }
        })
        .collect();
    format!("| {} |", padded.join(" | "))
}

fn rule(widths: &[usize], right: &[bool]) -> String {
    let parts: Vec<String> = widths
        .iter()
        .zip(right)
        .map(|(w, r)| {
            if *r {
                format!("{}:", "-".repeat(w + 1))
            } else {
                format!(":{}", "-".repeat(w + 1))
            }
        })
        .collect();
    format!("|{}|", parts.join("|"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::DataFrame;

    #[test]
    fn pipe_table() {
        let df: DataFrame =
            serde_json::from_value(json!([{"name": "Ann", "age": 31}, {"name": "Bo", "age": 4}]))
                .unwrap();
        assert_eq!(
            df.to_markdown(),
            "| name   |   age |\n|:-------|------:|\n| Ann    |    31 |\n| Bo     |     4 |"
        );
    }
}
