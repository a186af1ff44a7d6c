//! kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath), as `-o
//! jsonpath=…`, `jsonpath-as-json=…` and `custom-columns=…` read it: text
//! with `{…}` actions, `.field`, `..field`, `[N]`, `[a:b:c]`, `[*]`, `.*`,
//! `['key']`, unions `[a,b]`, filters `[?(@.x=="y")]`, `{range …}…{end}`
//! and string literals such as `{"\n"}`.
//!
//! A template is parsed once (`Template::parse`, at validation) and run on
//! many objects. Our own code, written from the dialect's documented
//! behaviour and compared with kubectl on a real API server.

mod eval;
mod parse;

pub use eval::{EvalError, to_text};
pub use parse::ParseError;

/// A parsed template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    source: String,
    nodes: Vec<Node>,
}

/// One part of a template.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// Text outside actions, printed as it is (a JSON string, so that it
    /// is printed as results are).
    Text(serde_json::Value),
    /// `{…}`: a path whose results are printed, separated by spaces.
    Path(Vec<Step>),
    /// `{range PATH}BODY{end}`: the body once per result of the path.
    Range(Vec<Step>, Vec<Node>),
}

/// One step of a path, applied to every value the previous one gave.
#[derive(Clone, Debug, PartialEq)]
enum Step {
    /// `.name`, `['name']`; an empty name is the value itself.
    Field(String),
    /// `.*`: every member or element.
    Wildcard,
    /// `..`: the value and everything under it.
    Recursive,
    /// `[start:end:step]`, `[N]` (end derived from start), `[*]`.
    Slice(Slice),
    /// `[a,b]`: each path on the same input, results in turn.
    Union(Vec<Vec<Step>>),
    /// `[?(@.x == "y")]`, `[?(@.x)]`.
    Filter(Box<Filter>),
    /// A literal: `"text"`, a number, `true`.
    Literal(serde_json::Value),
}

#[derive(Clone, Debug, PartialEq)]
struct Slice {
    start: Option<i64>,
    end: Option<i64>,
    /// `[N]`: the end is N + 1, and `[-1]` means the last element.
    derived: bool,
    step: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
struct Filter {
    left: Vec<Step>,
    /// None: the left side merely exists.
    op: Option<(Op, Vec<Step>)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

impl Template {
    /// Parses a template; an error says at which character.
    pub fn parse(source: &str) -> Result<Template, ParseError> {
        Ok(Template {
            source: source.to_string(),
            nodes: parse::template(source)?,
        })
    }

    /// kubectl's relaxed form, as `custom-columns` and `--sort-by` take
    /// it: `.a.b`, `a.b` or `{.a.b}`.
    pub fn parse_relaxed(source: &str) -> Result<Template, ParseError> {
        let trimmed = source.trim();
        let inner = trimmed
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(trimmed);
        let inner = if inner.starts_with('.') || inner.is_empty() {
            inner.to_string()
        } else {
            format!(".{inner}")
        };
        let t = parse::template(&format!("{{{inner}}}"))?;
        Ok(Template {
            source: source.to_string(),
            nodes: t,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The text kubectl prints: strings raw, numbers and booleans as Go
    /// prints them, objects and lists as compact JSON; the results of one
    /// action separated by spaces. `allow_missing` is
    /// `--allow-missing-template-keys` (kubectl's default: true).
    pub fn text(&self, input: &serde_json::Value, allow_missing: bool) -> Result<String, EvalError> {
        let mut out = String::new();
        for group in eval::groups(&self.nodes, input, allow_missing)? {
            for (i, v) in group.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(&eval::to_text(v));
            }
        }
        Ok(out)
    }

    /// `jsonpath-as-json`: each action's results as an indented JSON list.
    pub fn json(&self, input: &serde_json::Value, allow_missing: bool) -> Result<String, EvalError> {
        let mut out = String::new();
        for group in eval::groups(&self.nodes, input, allow_missing)? {
            let list = serde_json::Value::Array(group.into_iter().cloned().collect());
            out.push_str(&crate::query::jsonpath::go_json_indent(&list));
            out.push('\n');
        }
        Ok(out)
    }

    /// The values of a relaxed path (one action), for custom columns.
    pub fn values<'a>(
        &'a self,
        input: &'a serde_json::Value,
        allow_missing: bool,
    ) -> Result<Vec<&'a serde_json::Value>, EvalError> {
        Ok(eval::groups(&self.nodes, input, allow_missing)?
            .into_iter()
            .flatten()
            .collect())
    }
}

/// JSON as Go's `json.Marshal` writes it: compact, `<`, `>` and `&`
/// escaped (keys in the value's order, which callers sort).
pub fn go_json(v: &serde_json::Value) -> String {
    go_escape(serde_json::to_string(v).unwrap_or_default())
}

/// JSON as Go's `json.MarshalIndent(v, "", "    ")` writes it, as `kubectl
/// -o json` prints.
pub fn go_json_indent(v: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).expect("JSON to memory");
    go_escape(String::from_utf8(buf).expect("serde_json writes UTF-8"))
}

/// Go escapes these characters in strings (and they cannot occur outside
/// strings in JSON text).
fn go_escape(s: String) -> String {
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests;
