//! Checks and their predicates, captures, and the `wait` and `retry` tables.

use toml::de::DeValue;

use super::table::Fields;
use super::{Parser, Val, extent, list, opt, ordinal, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Capture, Check, JsonType, Node, Predicate, Retry, Wait};
use crate::format::keys::{self, Type};
use crate::query::{Lang, Query};

impl Parser<'_> {
    pub(super) fn checks(&mut self, key: &str, what: &str, v: &Val, min: usize) -> Option<Vec<Check>> {
        let example = format!("`{key} = [ {{ query = \"...\", equals = \"...\" }} ]`");
        let is_array = matches!(v.get_ref(), DeValue::Array(_));
        let items = self.tables(key, what, v, min, &example);
        let mut out = Vec::new();
        let mut ok = is_array && items.len() >= min;
        for (i, item) in items.into_iter().enumerate() {
            let named = format!("check {} of `{key}` in {what}", ordinal(i));
            match self.check(item, named) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn check(&mut self, v: &Val, what: String) -> Option<Check> {
        let DeValue::Table(t) = v.get_ref() else {
            let found = type_name(v.get_ref());
            self.error(
                Diagnostic::new(format!("{what} must be a table, not {found}"), v.span())
                    .label(format!("{found} here"))
                    .hint("write a check like { query = \"status\", equals = \"ACTIVE\" }"),
            );
            return None;
        };
        let f = self.open(t, &keys::CHECK, what, v.span());
        let w = f.what.clone();
        let query = self.query_of(&f);
        let predicate = self.predicate(&f, &w);
        Some(Check {
            query: query?,
            predicate: predicate?,
            span: v.span(),
        })
    }

    /// The query of a check or capture table: its `query` or `jq` key.
    pub(super) fn query_of(&mut self, f: &Fields) -> Option<Node<Query>> {
        let (key, v) = f
            .table
            .iter()
            .find(|(k, _)| matches!(&**k.get_ref(), "query" | "jq"))?;
        let lang = if &**key.get_ref() == "jq" {
            Lang::Jq
        } else {
            Lang::JmesPath
        };
        self.query(lang.key(), &f.what, v, lang)
    }

    pub(super) fn predicate(&mut self, f: &Fields, w: &str) -> Option<Node<Predicate>> {
        let operators = keys::CHECK.one_of.get(1).map_or(&[][..], |g| g.keys);
        let (key, v) = f
            .table
            .iter()
            .find(|(k, _)| operators.contains(&&**k.get_ref()))?;
        let k: &str = key.get_ref();
        let span = key.span().start..v.span().end;
        let p = match k {
            "equals" => Predicate::Equals(self.expected(k, w, v)?),
            "not-equals" => Predicate::NotEquals(self.expected(k, w, v)?),
            "contains" => Predicate::Contains(self.expected(k, w, v)?),
            "not-contains" => Predicate::NotContains(self.expected(k, w, v)?),
            "matches" => Predicate::Matches(self.regex(k, w, v)?),
            "exists" | "absent" => {
                let b = self.bool(k, w, v)?;
                if !b.value {
                    let other = if k == "exists" { "absent" } else { "exists" };
                    self.error(
                        Diagnostic::new(format!("`{k} = false` in {w} is not allowed"), v.span())
                            .label("only `true` is allowed")
                            .hint(format!("write `{other} = true` instead")),
                    );
                    return None;
                }
                if k == "exists" {
                    Predicate::Exists
                } else {
                    Predicate::Absent
                }
            }
            "length" => Predicate::Length(u64::try_from(self.integer(k, w, v, 0)?.value).ok()?),
            "greater" | "greater-or-equal" | "less" | "less-or-equal" => {
                if !matches!(
                    v.get_ref(),
                    DeValue::Integer(_) | DeValue::Float(_) | DeValue::String(_)
                ) {
                    self.wrong_type(k, w, v, &Type::NumberOrString);
                    return None;
                }
                let e = self.expected(k, w, v)?;
                match k {
                    "greater" => Predicate::Greater(e),
                    "greater-or-equal" => Predicate::GreaterOrEqual(e),
                    "less" => Predicate::Less(e),
                    _ => Predicate::LessOrEqual(e),
                }
            }
            "one-of" => {
                match v.get_ref() {
                    DeValue::Array(a) if !a.is_empty() => {}
                    DeValue::Array(_) => {
                        self.error(
                            Diagnostic::new(format!("`one-of` in {w} is empty"), v.span())
                                .label("empty array")
                                .hint("list the accepted values, e.g. [\"ACTIVE\", \"UPDATING\"]"),
                        );
                        return None;
                    }
                    _ => {
                        self.wrong_type(k, w, v, &Type::NonEmptyArray);
                        return None;
                    }
                }
                Predicate::OneOf(self.expected(k, w, v)?)
            }
            _ => {
                let s = self.string(k, w, v)?;
                match JsonType::ALL.iter().find(|t| t.name() == s.value) {
                    Some(t) => Predicate::Type(*t),
                    None => {
                        let hint = match keys::closest(&s.value, keys::JSON_TYPES.iter().copied()) {
                            Some(c) => format!("did you mean \"{c}\"?"),
                            None => {
                                format!("use one of {}", list(keys::JSON_TYPES.iter().copied()))
                            }
                        };
                        self.error(
                            Diagnostic::new(format!("unknown type \"{}\" in {w}", s.value), v.span())
                                .label("unknown type")
                                .hint(hint),
                        );
                        return None;
                    }
                }
            }
        };
        Some(Node::new(p, span))
    }

    pub(super) fn captures(&mut self, what: &str, v: &Val) -> Option<Vec<Capture>> {
        let (entries, mut ok) = self.map_entries(&keys::CAPTURE, what, v)?;
        let mut out = Vec::new();
        for (name, val) in entries {
            let named = format!("capture `{}` in {what}", name.value);
            let query = match val.get_ref() {
                DeValue::String(_) => self.query(&name.value, what, val, Lang::JmesPath),
                DeValue::Table(t) => {
                    let f = self.open(t, &keys::CAPTURE_QUERY, named, val.span());
                    self.query_of(&f)
                }
                other => {
                    let found = type_name(other);
                    self.error(
                        Diagnostic::new(
                            format!("{named} must be a JMESPath string or {{ jq = \"...\" }}, not {found}"),
                            val.span(),
                        )
                        .label(format!("{found} here"))
                        .hint(format!(
                            "write `{0} = \"path.to.value\"` or `{0} = {{ jq = \".path\" }}`",
                            name.value
                        )),
                    );
                    None
                }
            };
            match query {
                Some(query) => out.push(Capture { name, query }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn wait(&mut self, what: &str, v: &Val) -> Option<Wait> {
        let t = self.table("wait", what, v, &keys::WAIT)?;
        let f = self.open(t, &keys::WAIT, format!("`wait` of {what}"), v.span());
        let w = f.what.clone();
        let until = f.get("until").and_then(|v| self.checks("until", &w, v, 1));
        let fail_if = match f.get("fail-if") {
            Some(v) => self.checks("fail-if", &w, v, 0),
            None => Some(Vec::new()),
        };
        let interval = opt(f.get("interval").map(|v| self.duration("interval", &w, v, false)));
        let max_interval = opt(f
            .get("max-interval")
            .map(|v| self.duration("max-interval", &w, v, false)));
        let backoff = opt(f.get("backoff").map(|v| self.number("backoff", &w, v, 1.0)));
        Some(Wait {
            until: until?,
            fail_if: fail_if?,
            interval: interval?,
            max_interval: max_interval?,
            backoff: backoff?,
            span: extent(v),
        })
    }

    pub(super) fn retry(&mut self, what: &str, v: &Val) -> Option<Retry> {
        let t = self.table("retry", what, v, &keys::RETRY)?;
        let f = self.open(t, &keys::RETRY, format!("`retry` of {what}"), v.span());
        let w = f.what.clone();
        let attempts = f.get("attempts").and_then(|v| {
            let n = self.integer("attempts", &w, v, 1)?;
            match u32::try_from(n.value) {
                Ok(a) => Some(Node::new(a, n.span)),
                Err(_) => {
                    self.error(
                        Diagnostic::new(format!("`attempts` in {w} is too large"), n.span)
                            .label("too large")
                            .hint("a few attempts are enough; use `wait` to poll for long"),
                    );
                    None
                }
            }
        });
        let delay = opt(f.get("delay").map(|v| self.duration("delay", &w, v, true)));
        Some(Retry {
            attempts: attempts?,
            delay: delay?,
            span: extent(v),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn exists_false_suggests_absent() {
        let d = errs(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nexpect = [ {{ query = \"a\", exists = false }} ]\n"
        ));
        assert_eq!(d[0].hint.as_deref(), Some("write `absent = true` instead"));
    }
}
