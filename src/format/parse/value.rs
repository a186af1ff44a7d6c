//! Scalar leaves: strings, patterns, booleans, durations, integers, numbers
//! and arrays of strings, with the errors of a value of the wrong type.

use std::time::Duration;

use toml::de::DeValue;

use super::{Parser, Val, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::Node;
use crate::format::keys::{self, Type};

impl Parser<'_> {
    pub(super) fn wrong_type(&mut self, key: &str, what: &str, v: &Val, ty: &Type) {
        let found = type_name(v.get_ref());
        let hint = match ty {
            Type::Duration { .. } => "write it as a string, e.g. \"30s\"".to_string(),
            Type::Strings { .. } => "write it like [\"bash\", \"-c\"]".to_string(),
            Type::Any
            | Type::NumberOrString
            | Type::Table(_)
            | Type::Tables { .. }
            | Type::Map(_)
            | Type::NonEmptyArray => format!("`{key}` takes {}", ty.describe()),
            _ if matches!(
                v.get_ref(),
                DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_)
            ) =>
            {
                "put the value in double quotes".to_string()
            }
            _ => format!("`{key}` takes {}", ty.describe()),
        };
        self.error(
            Diagnostic::new(
                format!("`{key}` in {what} must be {}, not {found}", ty.describe()),
                v.span(),
            )
            .label(format!("{found} here"))
            .hint(hint),
        );
    }

    pub(super) fn string(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<String>> {
        match v.get_ref() {
            DeValue::String(s) => Some(Node::new(s.to_string(), v.span())),
            _ => {
                self.wrong_type(key, what, v, &Type::String);
                None
            }
        }
    }

    pub(super) fn non_empty_string(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<String>> {
        let s = self.string(key, what, v)?;
        if s.value.trim().is_empty() {
            self.error(
                Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                    .label("empty string")
                    .hint(format!("`{key}` takes a non-empty string")),
            );
            return None;
        }
        Some(s)
    }

    pub(super) fn pattern_string(
        &mut self,
        key: &str,
        what: &str,
        v: &Val,
        pattern: &'static keys::Pattern,
    ) -> Option<Node<String>> {
        let s = self.string(key, what, v)?;
        if !self.matches(pattern, &s.value) {
            self.error(
                Diagnostic::new(
                    format!("`{}` is not a valid `{key}` in {what}", s.value),
                    v.span(),
                )
                .label("invalid")
                .hint(format!("use {}", pattern.describe)),
            );
            return None;
        }
        Some(s)
    }

    pub(super) fn bool(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Node::new(*b, v.span())),
            _ => {
                self.wrong_type(key, what, v, &Type::Bool);
                None
            }
        }
    }

    pub(super) fn duration(&mut self, key: &str, what: &str, v: &Val, zero: bool) -> Option<Node<Duration>> {
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(key, what, v, &Type::Duration { zero });
            return None;
        };
        match humantime::parse_duration(s) {
            Ok(d) if d.is_zero() && !zero => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} must be longer than zero"), v.span())
                        .label("zero")
                        .hint("write a positive duration, e.g. \"30s\""),
                );
                None
            }
            Ok(d) => Some(Node::new(d, v.span())),
            Err(e) => {
                self.error(
                    Diagnostic::new(
                        format!("`{key}` in {what} is not a valid duration: \"{s}\""),
                        v.span(),
                    )
                    .label(e.to_string())
                    .hint("write a number and a unit, e.g. \"500ms\", \"30s\", \"5m\" or \"1h 30m\""),
                );
                None
            }
        }
    }

    pub(super) fn integer(&mut self, key: &str, what: &str, v: &Val, min: i64) -> Option<Node<i64>> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(key, what, v, &Type::Integer { min });
            return None;
        };
        let n = i64::from_str_radix(i.as_str(), i.radix()).ok();
        match n {
            Some(n) if n >= min => Some(Node::new(n, v.span())),
            _ => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} must be an integer >= {min}"), v.span())
                        .label("out of range")
                        .hint(format!("write an integer >= {min}")),
                );
                None
            }
        }
    }

    pub(super) fn number(&mut self, key: &str, what: &str, v: &Val, min: f64) -> Option<Node<f64>> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => {
                self.wrong_type(key, what, v, &Type::Number { min });
                return None;
            }
        };
        match n {
            Some(n) if n.is_finite() && n >= min => Some(Node::new(n, v.span())),
            _ => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} must be a number >= {min:?}"), v.span())
                        .label("out of range")
                        .hint(format!("write a number >= {min:?}, e.g. 1.5")),
                );
                None
            }
        }
    }

    pub(super) fn strings(
        &mut self,
        key: &str,
        what: &str,
        v: &Val,
        non_empty: bool,
    ) -> Option<Node<Vec<String>>> {
        let ty = Type::Strings { non_empty };
        let DeValue::Array(items) = v.get_ref() else {
            self.wrong_type(key, what, v, &ty);
            return None;
        };
        if non_empty && items.is_empty() {
            self.error(
                Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                    .label("empty array")
                    .hint("write it like [\"bash\", \"-e\", \"-c\"]"),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                other => {
                    ok = false;
                    self.error(
                        Diagnostic::new(
                            format!(
                                "`{key}` in {what} must hold only strings, not {}",
                                type_name(other)
                            ),
                            item.span(),
                        )
                        .label(format!("{} here", type_name(other)))
                        .hint("put the value in double quotes"),
                    );
                }
            }
        }
        ok.then(|| Node::new(out, v.span()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn a_duration_that_is_not_a_string_gets_a_hint() {
        let d = errs(&format!(
            "{HEAD}[defaults]\ntimeout = 30\n[[steps]]\nid = \"a\"\nrun = \"x\"\n"
        ));
        assert_eq!(d[0].hint.as_deref(), Some("write it as a string, e.g. \"30s\""));
    }
}
