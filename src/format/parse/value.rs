//! Leaves read by the type `keys.rs` declares for their key: one dispatcher
//! from `keys::Type` to a reader, the typed value it returns for the AST,
//! and the scalar readers (strings, patterns, booleans, durations,
//! integers, numbers, arrays of strings) with the errors of a value of the
//! wrong type.

use std::time::Duration;

use toml::de::DeValue;

use super::table::Fields;
use super::{Parser, Val, list, type_name};
use crate::action::words::Line;
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Expected, Node, Pattern};
use crate::format::keys::{self, Type};
use crate::format::template::Template;
use crate::query::{Lang, Query};

/// A leaf read by its declared type, to be moved into the AST.
pub(super) enum Value {
    /// `String`, `Script`, `NonEmptyString`, `Pattern`, `Enum`.
    Text(Node<String>),
    /// `Bool`, `True`.
    Bool(Node<bool>),
    Integer(Node<i64>),
    Number(Node<f64>),
    Duration(Node<Duration>),
    Size(Node<u64>),
    Strings(Node<Vec<String>>),
    Template(Template),
    /// `Command`: the line split into words.
    Line(Line),
    Query(Node<Query>),
    Regex(Pattern),
    /// `Any`, `NumberOrString`, `NonEmptyArray`.
    Json(Expected),
}

/// What a [`Value`] becomes in the AST: the field's type picks it.
pub(super) trait FromValue: Sized {
    fn from_value(value: Value) -> Option<Self>;
}

macro_rules! from_value {
    ($($variant:ident => $ty:ty),* $(,)?) => {$(
        impl FromValue for $ty {
            fn from_value(value: Value) -> Option<Self> {
                match value {
                    Value::$variant(v) => Some(v),
                    _ => None,
                }
            }
        }
    )*};
}

from_value!(
    Text => Node<String>,
    Bool => Node<bool>,
    Integer => Node<i64>,
    Number => Node<f64>,
    Duration => Node<Duration>,
    Size => Node<u64>,
    Strings => Node<Vec<String>>,
    Template => Template,
    Line => Line,
    Query => Node<Query>,
    Regex => Pattern,
    Json => Expected,
);

impl Parser<'_> {
    /// A key of `f` that may be absent, read by its declared type:
    /// `Some(None)` when absent, `None` when invalid (reported).
    pub(super) fn optional<T: FromValue>(&mut self, f: &Fields, key: &str) -> Option<Option<T>> {
        match f.get(key) {
            Some(v) => self.read(f, key, v).map(Some),
            None => Some(None),
        }
    }

    /// A required key of `f`, read by its declared type; `None` when it is
    /// invalid or absent (which `open` reported).
    pub(super) fn required<T: FromValue>(&mut self, f: &Fields, key: &str) -> Option<T> {
        let v = f.get(key)?;
        self.read(f, key, v)
    }

    /// `v`, the value of `key` in `f`, read by the type `keys.rs` declares.
    pub(super) fn read<T: FromValue>(&mut self, f: &Fields, key: &str, v: &Val) -> Option<T> {
        let declared = self.declared(f, key)?;
        self.read_as(&declared.ty, key, &f.what, v)
    }

    /// `v` read as `ty` and moved into the AST's type `T`. A `T` that does
    /// not hold what `ty` reads is a bug, reported, not a panic.
    pub(super) fn read_as<T: FromValue>(&mut self, ty: &Type, key: &str, what: &str, v: &Val) -> Option<T> {
        let value = self.leaf(ty, key, what, v)?;
        let t = T::from_value(value);
        if t.is_none() {
            self.bug(format!(
                "`{key}` in {what} is read as {}, which does not make a {}",
                ty.describe(),
                std::any::type_name::<T>()
            ));
        }
        t
    }

    /// Reads a leaf by its declared type: the one place where a
    /// `keys::Type` chooses its reader.
    fn leaf(&mut self, ty: &Type, key: &str, what: &str, v: &Val) -> Option<Value> {
        Some(match ty {
            Type::String | Type::Script => Value::Text(self.string(key, what, v)?),
            Type::NonEmptyString => Value::Text(self.non_empty_string(key, what, v)?),
            Type::Pattern(pattern) => Value::Text(self.pattern_string(key, what, v, pattern)?),
            Type::Enum(values) => Value::Text(self.enum_string(key, what, v, values)?),
            Type::Bool => Value::Bool(self.bool(key, what, v)?),
            Type::True => Value::Bool(self.only_true(key, what, v)?),
            Type::Integer { min } => Value::Integer(self.integer(key, what, v, *min)?),
            Type::Number { min } => Value::Number(self.number(key, what, v, *min)?),
            Type::Duration { zero } => Value::Duration(self.duration(key, what, v, *zero)?),
            Type::Size => Value::Size(self.size(key, what, v)?),
            Type::Strings { non_empty } => Value::Strings(self.strings(key, what, v, *non_empty)?),
            Type::Template => Value::Template(self.template(key, what, v)?),
            Type::Command(_) => Value::Line(self.line(key, what, v)?),
            Type::Input => Value::Json(self.input(key, what, v)?),
            Type::Query(Lang::Stdout) => {
                let yes = self.only_true(key, what, v)?;
                let stdout = Query::compile(Lang::Stdout, "").ok()?;
                Value::Query(Node::new(stdout, yes.span))
            }
            Type::Query(lang) => Value::Query(self.query(key, what, v, *lang)?),
            Type::Regex => Value::Regex(self.regex(key, what, v)?),
            Type::Any => Value::Json(self.expected(key, what, v)?),
            Type::NumberOrString => Value::Json(self.number_or_string(key, what, v)?),
            Type::NonEmptyArray => Value::Json(self.non_empty_array(key, what, v)?),
            Type::Table(_) | Type::Tables { .. } | Type::Map(_) | Type::Either(_) => {
                self.bug(format!("`{key}` in {what} is {}, not a leaf", ty.describe()));
                return None;
            }
        })
    }

    /// A value of the wrong TOML type for `ty`. The types written as strings
    /// (templates, queries, patterns...) pass `Type::String`, those written
    /// as booleans `Type::Bool`: the message says what to write.
    pub(super) fn wrong_type(&mut self, key: &str, what: &str, v: &Val, ty: &Type) {
        let found = type_name(v.get_ref());
        let hint = match ty {
            Type::Duration { .. } => "write it as a string, e.g. \"30s\"".to_string(),
            Type::Size => "write it as a string, e.g. \"16MiB\"".to_string(),
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

    fn non_empty_string(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<String>> {
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

    fn pattern_string(
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

    /// One of the strings `keys.rs` lists for the key.
    fn enum_string(
        &mut self,
        key: &str,
        what: &str,
        v: &Val,
        values: &'static [&'static str],
    ) -> Option<Node<String>> {
        let s = self.string(key, what, v)?;
        if values.contains(&s.value.as_str()) {
            return Some(s);
        }
        let hint = match keys::closest(&s.value, values.iter().copied()) {
            Some(c) => format!("did you mean \"{c}\"?"),
            None => format!("use one of {}", list(values.iter().copied())),
        };
        self.error(
            Diagnostic::new(format!("unknown {key} \"{}\" in {what}", s.value), v.span())
                .label(format!("unknown {key}"))
                .hint(hint),
        );
        None
    }

    fn bool(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<bool>> {
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Node::new(*b, v.span())),
            _ => {
                self.wrong_type(key, what, v, &Type::Bool);
                None
            }
        }
    }

    /// `true`, the only value of `exists` and `absent`.
    fn only_true(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<bool>> {
        let b = self.bool(key, what, v)?;
        if !b.value {
            let hint = match opposite(key) {
                Some(other) => format!("write `{other} = true` instead"),
                None => format!("remove `{key}`"),
            };
            self.error(
                Diagnostic::new(format!("`{key} = false` in {what} is not allowed"), v.span())
                    .label("only `true` is allowed")
                    .hint(hint),
            );
            return None;
        }
        Some(b)
    }

    /// A number or a string, kept as an expected value.
    fn number_or_string(&mut self, key: &str, what: &str, v: &Val) -> Option<Expected> {
        if !matches!(
            v.get_ref(),
            DeValue::Integer(_) | DeValue::Float(_) | DeValue::String(_)
        ) {
            self.wrong_type(key, what, v, &Type::NumberOrString);
            return None;
        }
        self.expected(key, what, v)
    }

    /// An array of at least one value, kept as an expected value.
    fn non_empty_array(&mut self, key: &str, what: &str, v: &Val) -> Option<Expected> {
        match v.get_ref() {
            DeValue::Array(a) if !a.is_empty() => self.expected(key, what, v),
            DeValue::Array(_) => {
                self.error(
                    Diagnostic::new(format!("`{key}` in {what} is empty"), v.span())
                        .label("empty array")
                        .hint("list the accepted values, e.g. [\"ACTIVE\", \"UPDATING\"]"),
                );
                None
            }
            _ => {
                self.wrong_type(key, what, v, &Type::NonEmptyArray);
                None
            }
        }
    }

    fn size(&mut self, key: &str, what: &str, v: &Val) -> Option<Node<u64>> {
        let DeValue::String(s) = v.get_ref() else {
            self.wrong_type(key, what, v, &Type::Size);
            return None;
        };
        match keys::parse_size(s) {
            Some(bytes) if bytes > 0 => Some(Node::new(bytes, v.span())),
            found => {
                let why = if found.is_some() { "zero" } else { "not a size" };
                self.error(
                    Diagnostic::new(
                        format!("`{key}` in {what} is not a valid size: \"{s}\""),
                        v.span(),
                    )
                    .label(why)
                    .hint("write a number of bytes with a unit: \"512KiB\", \"16MiB\", \"1GiB\""),
                );
                None
            }
        }
    }

    fn duration(&mut self, key: &str, what: &str, v: &Val, zero: bool) -> Option<Node<Duration>> {
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

    fn integer(&mut self, key: &str, what: &str, v: &Val, min: i64) -> Option<Node<i64>> {
        let DeValue::Integer(i) = v.get_ref() else {
            self.wrong_type(key, what, v, &Type::Integer { min });
            return None;
        };
        match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if n >= min => Some(Node::new(n, v.span())),
            _ => self.out_of_range(key, what, v, &Type::Integer { min }, ""),
        }
    }

    fn number(&mut self, key: &str, what: &str, v: &Val, min: f64) -> Option<Node<f64>> {
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
            _ => self.out_of_range(key, what, v, &Type::Number { min }, ", e.g. 1.5"),
        }
    }

    /// A number below the minimum of its type (`describe` says which).
    fn out_of_range<T>(&mut self, key: &str, what: &str, v: &Val, ty: &Type, example: &str) -> Option<T> {
        let expected = ty.describe();
        self.reject(
            Diagnostic::new(format!("`{key}` in {what} must be {expected}"), v.span())
                .label("out of range")
                .hint(format!("write {expected}{example}")),
        )
    }

    fn strings(&mut self, key: &str, what: &str, v: &Val, non_empty: bool) -> Option<Node<Vec<String>>> {
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

/// The other `true`-only key of the table that declares `key` as one:
/// `absent` for `exists`, and back.
fn opposite(key: &str) -> Option<&'static str> {
    let is_true = |k: &keys::Key| matches!(k.ty, Type::True);
    keys::tables()
        .into_iter()
        .filter(|t| t.key(key).is_some_and(is_true))
        .flat_map(|t| t.keys)
        .find(|k| is_true(k) && k.name != key)
        .map(|k| k.name)
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
