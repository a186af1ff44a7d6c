//! Leaves compiled while parsing, so that nothing is left to fail at run
//! time: `${NAME}` templates, queries, regular expressions, and expected
//! values (TOML turned into JSON).

use serde_json::Value as J;
use toml::de::{DeFloat, DeInteger, DeValue};

use super::{Parser, Val, all};
use crate::action::words::{self, Line};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Expected, Node, Pattern, Span};
use crate::format::template::{self, JsonTemplate, Template};
use crate::query::{Lang, Query};

impl Parser<'_> {
    pub(super) fn template(&mut self, key: &str, what: &str, v: &Val) -> Option<Template> {
        let s = self.string(key, what, v)?;
        self.template_of(&s.value, v.span(), &format!("`{key}` in {what}"))
    }

    fn template_of(&mut self, s: &str, span: Span, what: &str) -> Option<Template> {
        match template::parse(s, span, self.src) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(
                    Diagnostic::new(format!("{} in {what}", e.message), e.span)
                        .label("invalid reference")
                        .hint(e.hint),
                );
                None
            }
        }
    }

    /// A command line's words, split once, the way the shell splits them.
    pub(super) fn line(&mut self, key: &str, what: &str, v: &Val) -> Option<Line> {
        let s = self.string(key, what, v)?;
        match words::split(&s.value, v.span(), self.src) {
            Ok(line) => Some(line),
            Err(e) => {
                let (label, hint) = if e.needs_shell {
                    ("needs a shell", run_step_hint(key, &s.value))
                } else {
                    ("cannot be split into words", e.hint)
                };
                self.error(
                    Diagnostic::new(format!("{} in `{key}` of {what}", e.message), e.span)
                        .label(label)
                        .hint(hint),
                );
                None
            }
        }
    }

    /// The input of an AWS operation: a table, kept as an expected value.
    pub(super) fn input(&mut self, key: &str, what: &str, v: &Val) -> Option<Expected> {
        if !matches!(v.get_ref(), DeValue::Table(_)) {
            self.wrong_type(key, what, v, &crate::format::keys::Type::Input);
            return None;
        }
        self.expected(key, what, v)
    }

    pub(super) fn query(&mut self, key: &str, what: &str, v: &Val, lang: Lang) -> Option<Node<Query>> {
        let s = self.string(key, what, v)?;
        if let Some((at, name)) = reference_in(&s.value) {
            // Queries are compiled once, before any value is known; a value
            // pasted into one could change what it means. The check's
            // expected value is where a variable belongs.
            let span = point_in_string(&s.value, v.span(), self.src, Some(at));
            self.error(
                Diagnostic::new(format!("`${{{name}}}` in `{key}` of {what}: a query cannot use variables"), span)
                    .label("a variable in a query")
                    .hint(format!(
                        "compare in the check instead, e.g. {{ query = \"items[].metadata.name\", contains = \"${{{name}}}\" }}, \
                         or filter with `when`"
                    )),
            );
            return None;
        }
        match Query::compile(lang, &s.value) {
            Ok(q) => Some(Node::new(q, v.span())),
            Err(e) => {
                let span = v.span();
                let at = point_in_string(&s.value, span, self.src, e.offset);
                let (name, hint) = match lang {
                    Lang::JmesPath => (
                        "JMESPath expression",
                        "JMESPath is the language of `aws --query`: https://jmespath.org/specification.html",
                    ),
                    Lang::Jq => ("jq program", "see the jq manual: https://jqlang.org/manual/"),
                    Lang::Stdout => ("stdout", "write `stdout = true`"),
                };
                self.error(
                    Diagnostic::new(format!("invalid {name} in `{key}` of {what}"), at)
                        .label(e.message)
                        .hint(hint),
                );
                None
            }
        }
    }

    pub(super) fn regex(&mut self, key: &str, what: &str, v: &Val) -> Option<Pattern> {
        let s = self.string(key, what, v)?;
        match regex::Regex::new(&s.value) {
            Ok(regex) => Some(Pattern {
                source: s.value,
                regex,
            }),
            Err(e) => {
                let text = e.to_string();
                let reason = text
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or("invalid")
                    .trim()
                    .trim_start_matches("error: ")
                    .to_string();
                self.error(
                    Diagnostic::new(
                        format!("invalid regular expression in `{key}` of {what}"),
                        v.span(),
                    )
                    .label(reason)
                    .hint("write a regex of the `regex` crate; in a literal string ('...') backslashes need no escaping"),
                );
                None
            }
        }
    }

    /// An expected value: TOML to JSON, collecting the `${NAME}` of its strings.
    pub(super) fn expected(&mut self, key: &str, what: &str, v: &Val) -> Option<Expected> {
        let mut vars = Vec::new();
        let value = self.json(key, what, v, &mut vars)?;
        // Every string parsed above: this cannot fail, and is reported if it does.
        match JsonTemplate::parse(&value) {
            Ok(template) => Some(Expected {
                value,
                vars,
                template,
            }),
            Err(e) => {
                self.bug(format!("`{key}` in {what}: {}", e.message));
                None
            }
        }
    }

    fn json(&mut self, key: &str, what: &str, v: &Val, vars: &mut Vec<Node<String>>) -> Option<J> {
        match v.get_ref() {
            DeValue::String(s) => {
                let t = self.template_of(s, v.span(), &format!("`{key}` of {what}"))?;
                vars.extend(t.vars().cloned());
                Some(J::String(s.to_string()))
            }
            DeValue::Integer(i) => json_integer(i).or_else(|| {
                self.reject(
                    Diagnostic::new(format!("integer too large in `{key}` of {what}"), v.span())
                        .label("too large")
                        .hint("integers must fit in 64 bits; write large numbers as strings"),
                )
            }),
            DeValue::Float(f) => json_float(f).or_else(|| {
                self.reject(
                    Diagnostic::new(format!("`{key}` of {what} is not a JSON number"), v.span())
                        .label("nan or infinite")
                        .hint("JSON has no NaN or infinity; compare with a finite number"),
                )
            }),
            DeValue::Boolean(b) => Some(J::Bool(*b)),
            DeValue::Datetime(d) => Some(J::String(d.to_string())),
            DeValue::Array(items) => {
                all(items.iter().map(|item| self.json(key, what, item, vars))).map(J::Array)
            }
            DeValue::Table(t) => {
                let entries = t.iter().map(|(k, item)| {
                    let value = self.json(key, what, item, vars)?;
                    Some((k.get_ref().to_string(), value))
                });
                all(entries).map(|entries| J::Object(entries.into_iter().collect()))
            }
        }
    }
}

/// A TOML integer as JSON: an `i64`, or a `u64` above it.
fn json_integer(i: &DeInteger) -> Option<J> {
    i64::from_str_radix(i.as_str(), i.radix())
        .ok()
        .map(J::from)
        .or_else(|| u64::from_str_radix(i.as_str(), i.radix()).ok().map(J::from))
}

/// A TOML float as JSON, unless it is NaN or infinite.
fn json_float(f: &DeFloat) -> Option<J> {
    f.as_str()
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(J::Number)
}

/// The span of the character at byte `offset` of `text`, the decoded value
/// of the TOML string written at `span`: exact when the string was written
/// verbatim, else the whole string.
pub fn point_in_string(text: &str, span: Span, source: &str, offset: Option<usize>) -> Span {
    match (offset, template::content_offset(text, &span, source)) {
        (Some(off), Some(base)) if off <= text.len() => {
            let len = text
                .get(off..)
                .and_then(|r| r.chars().next())
                .map_or(0, char::len_utf8);
            base + off..base + off + len
        }
        _ => span,
    }
}

/// The first `${NAME}` written in a query's text.
fn reference_in(text: &str) -> Option<(usize, &str)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("${").map(|i| i + from) {
        let rest = &text[i + 2..];
        if let Some(end) = rest.find('}')
            && template::is_name(&rest[..end])
        {
            return Some((i, &rest[..end]));
        }
        from = i + 2;
    }
    None
}

/// The `run` step that runs a line with shell syntax: the script is the
/// line, the workflow's variables reach it through its environment.
fn run_step_hint(key: &str, line: &str) -> String {
    // A JSON string is a TOML basic string.
    let script = serde_json::Value::String(format!("{key} {line}")).to_string();
    format!(
        "pipes, redirections, `;`, `&&` and `$(…)` need a shell: write the step as \
         run = {script} (its variables reach the shell through its environment), \
         or quote the character if it belongs to a value"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_errors_point_into_verbatim_strings() {
        let src = r#"q = "a.b[""#;
        let span = 4..src.len();
        assert_eq!(point_in_string("a.b[", span.clone(), src, Some(3)), 8..9);
        assert_eq!(point_in_string("a.b[", span.clone(), src, Some(4)), 9..9);
        assert_eq!(point_in_string("a.b[", span.clone(), src, None), span);
        assert_eq!(point_in_string("a.b[", span.clone(), src, Some(99)), span);
        // With an escape, positions inside the string are unknown.
        let src = r#"q = "a\tb[""#;
        let span = 4..src.len();
        assert_eq!(point_in_string("a\tb[", span.clone(), src, Some(3)), span);
    }
}
