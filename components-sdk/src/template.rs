//! Langflow's template syntaxes, shared by Prompt, Parser and ChatOutput.
//!
//! * [`Syntax::Single`] (Python `str.format`, Langflow's "f-string"): `{name}`
//!   is a variable, `{{` and `}}` are a literal `{` and `}`.
//! * [`Syntax::Double`] (Langflow's "mustache"): `{{name}}` or `{{ name }}` is a
//!   variable; single braces are plain text.
//!
//! Unlike Python, a brace that does not open a valid variable stays literal
//! text instead of failing, so JSON examples inside a prompt survive.

/// Which brace style marks a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Single,
    Double,
}

impl Syntax {
    /// Reads a Prompt `mode` value: `{{variable}}` / `mustache` are double,
    /// anything else (`{variable}`, `f-string`, empty) is single.
    pub fn from_mode(mode: &str) -> Self {
        match mode.trim() {
            "{{variable}}" | "mustache" | "double" => Self::Double,
            _ => Self::Single,
        }
    }
}

/// What may stand between the braces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Names {
    /// Identifiers: letters, digits and `_`, not starting with a digit (prompt variables).
    Identifiers,
    /// Any text without braces, quotes or line breaks, e.g. a column named
    /// `First Name`. (Quotes are excluded so `{"a": 1}` stays text.)
    Keys,
}

/// A piece of a parsed template. Both cases borrow from the template text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'t> {
    Text(&'t str),
    Var(&'t str),
}

/// Splits `template` into literal text and variables.
pub fn parse(template: &str, syntax: Syntax, names: Names) -> Vec<Segment<'_>> {
    let mut parser = Parser {
        t: template,
        out: Vec::new(),
        lit: 0,
        i: 0,
    };
    match syntax {
        Syntax::Single => parser.single(names),
        Syntax::Double => parser.double(names),
    }
    parser.flush(template.len());
    parser.out
}

/// The variables of `template` (identifiers), each once, in order of appearance.
pub fn variables(template: &str, syntax: Syntax) -> Vec<&str> {
    let mut vars: Vec<&str> = Vec::new();
    for segment in parse(template, syntax, Names::Identifiers) {
        if let Segment::Var(name) = segment {
            if !vars.contains(&name) {
                vars.push(name);
            }
        }
    }
    vars
}

/// Fills the variables of `template` from `value`; a variable with no value becomes "".
pub fn render(
    template: &str,
    syntax: Syntax,
    mut value: impl FnMut(&str) -> Option<String>,
) -> String {
    let filled: Result<String, core::convert::Infallible> =
        try_render(template, syntax, Names::Identifiers, |name| {
            Ok(value(name).unwrap_or_default())
        });
    filled.unwrap_or_else(|never| match never {})
}

/// Fills the variables of `template`, stopping at the first error `value` returns.
pub fn try_render<E>(
    template: &str,
    syntax: Syntax,
    names: Names,
    mut value: impl FnMut(&str) -> Result<String, E>,
) -> Result<String, E> {
    let mut out = String::with_capacity(template.len());
    for segment in parse(template, syntax, names) {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Var(name) => out.push_str(&value(name)?),
        }
    }
    Ok(out)
}

struct Parser<'t> {
    t: &'t str,
    out: Vec<Segment<'t>>,
    /// Start of the pending literal run.
    lit: usize,
    i: usize,
}

impl<'t> Parser<'t> {
    fn at(&self, offset: usize) -> Option<u8> {
        self.t.as_bytes().get(self.i + offset).copied()
    }

    /// Ends the pending literal at `end`.
    fn flush(&mut self, end: usize) {
        if end > self.lit {
            self.out.push(Segment::Text(&self.t[self.lit..end]));
        }
    }

    /// Emits `segment` in place of `len` bytes at the cursor.
    fn emit(&mut self, segment: Segment<'t>, len: usize) {
        self.flush(self.i);
        self.out.push(segment);
        self.i += len;
        self.lit = self.i;
    }

    fn single(&mut self, names: Names) {
        while let Some(b) = self.at(0) {
            match (b, self.at(1)) {
                // Braces are ASCII, so these one-byte slices are valid UTF-8.
                (b'{', Some(b'{')) | (b'}', Some(b'}')) => {
                    self.emit(Segment::Text(&self.t[self.i..self.i + 1]), 2)
                }
                (b'{', _) => match self.name_until(self.i + 1, "}", names, false) {
                    Some((name, end)) => self.emit(Segment::Var(name), end + 1 - self.i),
                    None => self.i += 1,
                },
                _ => self.i += 1,
            }
        }
    }

    fn double(&mut self, names: Names) {
        while let Some(b) = self.at(0) {
            if b == b'{' && self.at(1) == Some(b'{') {
                if let Some((name, end)) = self.name_until(self.i + 2, "}}", names, true) {
                    self.emit(Segment::Var(name), end + 2 - self.i);
                    continue;
                }
            }
            self.i += 1;
        }
    }

    /// A valid name starting at `start` and closed by `close`: the name and the
    /// index of `close`. With `trim`, blanks around the name are allowed.
    fn name_until(
        &self,
        start: usize,
        close: &str,
        names: Names,
        trim: bool,
    ) -> Option<(&'t str, usize)> {
        let rest = &self.t[start..];
        let len = rest.find(['{', '}', '\n'])?;
        if !rest[len..].starts_with(close) {
            return None;
        }
        let raw = &rest[..len];
        let name = if trim { raw.trim() } else { raw };
        valid(name, names).then_some((name, start + len))
    }
}

fn valid(name: &str, names: Names) -> bool {
    let mut chars = name.chars();
    match names {
        Names::Keys => !name.trim().is_empty() && !name.contains('"'),
        Names::Identifiers => {
            chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                && chars.all(|c| c.is_alphanumeric() || c == '_')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(template: &str, syntax: Syntax) -> String {
        render(template, syntax, |name| match name {
            "name" => Some("Ada".into()),
            "topic" => Some("engines".into()),
            _ => None,
        })
    }

    #[test]
    fn single_replaces_identifiers() {
        assert_eq!(
            fill("Hi {name}, about {topic}.", Syntax::Single),
            "Hi Ada, about engines."
        );
    }

    #[test]
    fn single_doubled_braces_are_escapes() {
        assert_eq!(fill("{{name}} is {name}", Syntax::Single), "{name} is Ada");
        assert_eq!(fill("a {{ b }} c", Syntax::Single), "a { b } c");
    }

    #[test]
    fn single_unknown_variable_is_empty() {
        assert_eq!(fill("[{missing}]", Syntax::Single), "[]");
    }

    #[test]
    fn single_invalid_braces_stay_literal() {
        assert_eq!(
            fill(r#"JSON: {"a": 1} and {name}"#, Syntax::Single),
            r#"JSON: {"a": 1} and Ada"#
        );
        assert_eq!(
            fill("{ name } {1x} {} { ", Syntax::Single),
            "{ name } {1x} {} { "
        );
        assert_eq!(fill("close } only", Syntax::Single), "close } only");
        assert_eq!(fill("{na\nme}", Syntax::Single), "{na\nme}");
    }

    #[test]
    fn single_keeps_unicode_text() {
        assert_eq!(fill("héllo {name} ✓ {ünï}", Syntax::Single), "héllo Ada ✓ ");
    }

    #[test]
    fn double_replaces_with_optional_blanks() {
        assert_eq!(
            fill("{{name}} / {{ topic }}", Syntax::Double),
            "Ada / engines"
        );
    }

    #[test]
    fn double_leaves_single_braces() {
        assert_eq!(
            fill(r#"{name} {"a": {"b": 1}} {{name}}"#, Syntax::Double),
            r#"{name} {"a": {"b": 1}} Ada"#
        );
        assert_eq!(
            fill("{{ not valid }} {{}} {{name}", Syntax::Double),
            "{{ not valid }} {{}} {{name}"
        );
    }

    #[test]
    fn double_triple_braces_keep_the_outer_one() {
        assert_eq!(fill("{{{name}}}", Syntax::Double), "{Ada}");
    }

    #[test]
    fn variables_are_unique_and_ordered() {
        assert_eq!(variables("{b} {a} {b} {{c}}", Syntax::Single), ["b", "a"]);
        assert_eq!(variables("{{ b }} {a} {{c}}", Syntax::Double), ["b", "c"]);
    }

    #[test]
    fn keys_allow_spaces_and_report_missing() {
        let row = |k: &str| {
            if k == "First Name" {
                Ok("Ada".to_owned())
            } else {
                Err(k.to_owned())
            }
        };
        assert_eq!(
            try_render("Name: {First Name}", Syntax::Single, Names::Keys, row),
            Ok("Name: Ada".into())
        );
        assert_eq!(
            try_render("{x}", Syntax::Single, Names::Keys, row),
            Err("x".into())
        );
        assert_eq!(
            try_render(r#"{"a": 1}"#, Syntax::Single, Names::Keys, row),
            Ok(r#"{"a": 1}"#.into())
        );
    }

    #[test]
    fn mode_names() {
        assert_eq!(Syntax::from_mode("f-string"), Syntax::Single);
        assert_eq!(Syntax::from_mode("{variable}"), Syntax::Single);
        assert_eq!(Syntax::from_mode("mustache"), Syntax::Double);
        assert_eq!(Syntax::from_mode("{{variable}}"), Syntax::Double);
    }
}
