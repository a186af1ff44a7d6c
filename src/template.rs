//! `${NAME}` references inside strings, parsed once with their positions.

use crate::ground::span::{Node, Span};

/// A string with variable references. Spans are absolute offsets in the
/// workflow file when the string was written without escapes, else the
/// span of the whole string.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub parts: Vec<Part>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Lit(String),
    Var(Node<String>),
}

impl Template {
    /// A template with no references.
    pub fn literal(text: &str, span: Span) -> Template {
        Template {
            parts: vec![Part::Lit(text.to_string())],
            span,
        }
    }

    /// Every referenced variable, in order.
    pub fn vars(&self) -> impl Iterator<Item = &Node<String>> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v),
            Part::Lit(_) => None,
        })
    }

    /// The text as written, with references shown as `${NAME}`.
    pub fn source(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.replace('$', "$$"),
                Part::Var(v) => format!("${{{}}}", v.value),
            })
            .collect()
    }
}

/// Why a template could not be parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateError {
    pub message: String,
    pub hint: String,
    pub span: Span,
}

/// Parses `text`, the decoded value of the TOML string written at `span` in `source`.
/// Only `${NAME}` is a reference; `$$` is a literal `$`; any other `$` is
/// literal. (Command lines read `$NAME` too: see `action::words`.)
pub fn parse(text: &str, span: Span, source: &str) -> Result<Template, TemplateError> {
    let base = content_offset(text, &span, source);
    let at = |from: usize, to: usize| match base {
        Some(b) => b + from..b + to,
        None => span.clone(),
    };
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            let ch = text[i..].chars().next().unwrap_or_default();
            lit.push(ch);
            i += ch.len_utf8().max(1);
            continue;
        }
        match bytes.get(i + 1) {
            Some(b'$') => {
                lit.push('$');
                i += 2;
            }
            Some(b'{') => {
                let Some(close) = text[i + 2..].find('}') else {
                    return Err(TemplateError {
                        message: "unclosed variable reference".into(),
                        hint: "write `${NAME}`, or `$$` for a literal `$`".into(),
                        span: at(i, text.len()),
                    });
                };
                let name = &text[i + 2..i + 2 + close];
                if !is_name(name) {
                    return Err(TemplateError {
                        message: format!("`{name}` is not a variable name"),
                        hint: "names are letters, digits and `_`, not starting with a digit; write `$$` for a literal `$`".into(),
                        span: at(i, i + 3 + close),
                    });
                }
                flush(&mut lit, &mut parts);
                parts.push(Part::Var(Node::new(name.to_string(), at(i, i + 3 + close))));
                i += 3 + close;
            }
            _ => {
                lit.push('$');
                i += 1;
            }
        }
    }
    flush(&mut lit, &mut parts);
    Ok(Template { parts, span })
}

fn flush(lit: &mut String, parts: &mut Vec<Part>) {
    if !lit.is_empty() {
        parts.push(Part::Lit(std::mem::take(lit)));
    }
}

/// Whether `s` is a valid variable name.
pub fn is_name(s: &str) -> bool {
    !s.is_empty() && name_len(s) == s.len()
}

/// Length of the variable name at the start of `s` (0 if none).
fn name_len(s: &str) -> usize {
    let mut len = 0;
    for (i, c) in s.char_indices() {
        let ok = c == '_' || c.is_ascii_alphabetic() || (i > 0 && c.is_ascii_digit());
        if !ok {
            break;
        }
        len = i + c.len_utf8();
    }
    len
}

/// Where `text` starts in `source`, when the string was written verbatim
/// (no escapes), so that positions inside it can be exact.
pub fn content_offset(text: &str, span: &Span, source: &str) -> Option<usize> {
    let raw = source.get(span.clone())?;
    let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let inner = raw.get(quote..raw.len().checked_sub(quote)?)?;
    if inner == text {
        return Some(span.start + quote);
    }
    // A multi-line string drops the newline right after its opening quotes.
    let trimmed = inner.strip_prefix("\r\n").or_else(|| inner.strip_prefix('\n'))?;
    (quote == 3 && trimmed == text).then(|| span.start + quote + (inner.len() - trimmed.len()))
}

/// A JSON value whose strings may hold `${NAME}` references (the input
/// of an `aws` step's table form), parsed once.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonTemplate {
    /// A value with no reference in it.
    Plain(serde_json::Value),
    String(Template),
    Array(Vec<JsonTemplate>),
    Object(Vec<(String, JsonTemplate)>),
}

impl JsonTemplate {
    /// Reads the references of every string of `value`.
    pub fn parse(value: &serde_json::Value) -> Result<JsonTemplate, TemplateError> {
        use serde_json::Value;
        let parsed = match value {
            Value::String(s) if s.contains('$') => {
                let t = parse(s, 0..0, "")?;
                match t.fill(&|_| None) {
                    // No reference: `$$` read as `$`, and nothing else to fill.
                    Ok(text) => JsonTemplate::Plain(Value::String(text)),
                    Err(_) => JsonTemplate::String(t),
                }
            }
            Value::Array(items) => {
                JsonTemplate::Array(items.iter().map(JsonTemplate::parse).collect::<Result<_, _>>()?)
            }
            Value::Object(map) => JsonTemplate::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), JsonTemplate::parse(v)?)))
                    .collect::<Result<_, TemplateError>>()?,
            ),
            other => JsonTemplate::Plain(other.clone()),
        };
        // A value without references is plain as a whole.
        Ok(match parsed {
            JsonTemplate::Array(_) | JsonTemplate::Object(_) if parsed.is_plain() => {
                JsonTemplate::Plain(parsed.fill(&|_| None).map_err(|message| TemplateError {
                    message,
                    hint: String::new(),
                    span: 0..0,
                })?)
            }
            other => other,
        })
    }

    fn is_plain(&self) -> bool {
        match self {
            JsonTemplate::Plain(_) => true,
            JsonTemplate::String(_) => false,
            JsonTemplate::Array(items) => items.iter().all(JsonTemplate::is_plain),
            JsonTemplate::Object(members) => members.iter().all(|(_, v)| v.is_plain()),
        }
    }

    /// The value with every reference filled in by `value`.
    pub fn fill(&self, value: &dyn Fn(&str) -> Option<String>) -> Result<serde_json::Value, String> {
        use serde_json::Value;
        Ok(match self {
            JsonTemplate::Plain(v) => v.clone(),
            JsonTemplate::String(t) => Value::String(t.fill(value)?),
            JsonTemplate::Array(items) => {
                Value::Array(items.iter().map(|i| i.fill(value)).collect::<Result<_, _>>()?)
            }
            JsonTemplate::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.fill(value)?)))
                    .collect::<Result<_, String>>()?,
            ),
        })
    }
}

impl Template {
    /// The text with every reference filled in by `value`; a missing value
    /// is an error naming it.
    pub fn fill(&self, value: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(name) => match value(&name.value) {
                    Some(v) => out.push_str(&v),
                    None => return Err(missing(&name.value)),
                },
            }
        }
        Ok(out)
    }
}

/// The error of a reference that has no value.
pub fn missing(name: &str) -> String {
    format!("variable `{name}` is not set (was the step that captures it skipped?)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(src: &str) -> Template {
        let text = &src[1..src.len() - 1];
        parse(text, 0..src.len(), src).unwrap()
    }

    #[test]
    fn braced_reference_has_its_exact_span() {
        let src = r#""eks ${CLUSTER} x""#;
        let t = parsed(src);
        let v = t.vars().next().unwrap();
        assert_eq!(v.value, "CLUSTER");
        assert_eq!(&src[v.span.clone()], "${CLUSTER}");
    }

    #[test]
    fn a_bare_dollar_is_literal() {
        let src = r#""--cluster-name $EKS_CLUSTER_NAME --x""#;
        assert_eq!(parsed(src).vars().count(), 0);
    }

    #[test]
    fn double_dollar_is_literal() {
        let t = parsed(r#""a$${B}""#);
        assert_eq!(t.parts, vec![Part::Lit("a${B}".into())]);
        assert_eq!(t.source(), "a$${B}");
    }

    #[test]
    fn unclosed_and_invalid_references_are_errors() {
        let src = r#""x ${A""#;
        assert!(parse(&src[1..src.len() - 1], 0..src.len(), src).is_err());
        let src = r#""${1A}""#;
        let err = parse(&src[1..src.len() - 1], 0..src.len(), src).unwrap_err();
        assert!(err.message.contains("not a variable name"), "{err:?}");
    }

    #[test]
    fn escaped_strings_fall_back_to_the_whole_span() {
        let src = r#""a\t${B}""#;
        let t = parse("a\t${B}", 0..src.len(), src).unwrap();
        assert_eq!(t.vars().next().unwrap().span, 0..src.len());
    }

    #[test]
    fn json_templates_fill_nested_values() {
        let v = serde_json::json!({"a": ["${C}-carts", 1], "b": "$${C}"});
        let t = JsonTemplate::parse(&v).unwrap();
        let value = |n: &str| (n == "C").then(|| "eks-workshop".to_string());
        assert_eq!(
            t.fill(&value).unwrap(),
            serde_json::json!({"a": ["eks-workshop-carts", 1], "b": "${C}"})
        );
        // Without references, a value is plain, `$$` read once.
        assert_eq!(
            JsonTemplate::parse(&serde_json::json!(["$$x", 2])).unwrap(),
            JsonTemplate::Plain(serde_json::json!(["$x", 2]))
        );
    }

    #[test]
    fn a_missing_variable_is_named() {
        let t = JsonTemplate::parse(&serde_json::json!("${NOPE}")).unwrap();
        let err = t.fill(&|_| None).unwrap_err();
        assert!(err.contains("`NOPE`"), "{err}");
    }
}
