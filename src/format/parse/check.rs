//! Checks and their predicates, captures, and the `wait` and `retry` tables.

use toml::de::DeValue;

use super::table::{Fields, leaf_in, table_in};
use super::{Parser, Val, all, extent, ordinal, type_name};
use crate::diagnostic::Diagnostic;
use crate::format::ast::{Capture, Check, JsonType, Node, Predicate, Retry, Wait};
use crate::format::keys::{Map, Table};
use crate::query::Query;

one_of_keys!(
    /// The operators of a check: the "operator" group of `keys::CHECK`.
    Operator {
        Equals = "equals",
        NotEquals = "not-equals",
        Contains = "contains",
        NotContains = "not-contains",
        Matches = "matches",
        Exists = "exists",
        Absent = "absent",
        Length = "length",
        Greater = "greater",
        GreaterOrEqual = "greater-or-equal",
        Less = "less",
        LessOrEqual = "less-or-equal",
        OneOf = "one-of",
        Type = "type",
    }
);

impl Parser<'_> {
    /// `key` of `f`, an array of checks (`expect`, `until`, `fail-if`).
    pub(super) fn checks(&mut self, f: &Fields, key: &str, v: &Val) -> Option<Vec<Check>> {
        let example = format!("`{key} = [ {{ query = \"...\", equals = \"...\" }} ]`");
        let (def, items) = self.tables_of(f, key, v, &example)?;
        all(items.into_iter().enumerate().map(|(i, item)| {
            let named = format!("check {} of `{key}` in {}", ordinal(i), f.what);
            self.check(def, item, named)
        }))
    }

    fn check(&mut self, def: &'static Table, v: &Val, what: String) -> Option<Check> {
        let DeValue::Table(t) = v.get_ref() else {
            let found = type_name(v.get_ref());
            self.error(
                Diagnostic::new(format!("{what} must be a table, not {found}"), v.span())
                    .label(format!("{found} here"))
                    .hint("write a check like { query = \"status\", equals = \"ACTIVE\" }"),
            );
            return None;
        };
        let f = self.open(t, def, what, v.span());
        let query = self.query_of(&f);
        let predicate = self.predicate(&f);
        Some(Check {
            query: query?,
            predicate: predicate?,
            span: v.span(),
        })
    }

    /// The query of a check or capture table: its key of the "query" group
    /// (`query` or `jq`), read in the language its type declares.
    fn query_of(&mut self, f: &Fields) -> Option<Node<Query>> {
        let Some(queries) = f.group("query") else {
            return self.not_declared_as(f, "query", "a one-of group");
        };
        let (key, _, v) = f.first(|k| queries.iter().find(|q| **q == k).copied())?;
        self.read(f, key, v)
    }

    fn predicate(&mut self, f: &Fields) -> Option<Node<Predicate>> {
        // The first operator; `open` reported a missing or a second one.
        let (operator, key_span, v) = f.first(Operator::named)?;
        let k = operator.key();
        let p = match operator {
            Operator::Equals => Predicate::Equals(self.read(f, k, v)?),
            Operator::NotEquals => Predicate::NotEquals(self.read(f, k, v)?),
            Operator::Contains => Predicate::Contains(self.read(f, k, v)?),
            Operator::NotContains => Predicate::NotContains(self.read(f, k, v)?),
            Operator::Matches => Predicate::Matches(self.read(f, k, v)?),
            Operator::Exists => {
                self.read::<Node<bool>>(f, k, v)?;
                Predicate::Exists
            }
            Operator::Absent => {
                self.read::<Node<bool>>(f, k, v)?;
                Predicate::Absent
            }
            Operator::Length => {
                Predicate::Length(u64::try_from(self.read::<Node<i64>>(f, k, v)?.value).ok()?)
            }
            Operator::Greater => Predicate::Greater(self.read(f, k, v)?),
            Operator::GreaterOrEqual => Predicate::GreaterOrEqual(self.read(f, k, v)?),
            Operator::Less => Predicate::Less(self.read(f, k, v)?),
            Operator::LessOrEqual => Predicate::LessOrEqual(self.read(f, k, v)?),
            Operator::OneOf => Predicate::OneOf(self.read(f, k, v)?),
            Operator::Type => Predicate::Type(self.json_type(f, k, v)?),
        };
        Some(Node::new(p, key_span.start..v.span().end))
    }

    /// The JSON type named by `type = "..."`, one of the names `keys.rs`
    /// lists for it (a test keeps them those of `JsonType`).
    fn json_type(&mut self, f: &Fields, key: &str, v: &Val) -> Option<JsonType> {
        let s: Node<String> = self.read(f, key, v)?;
        let found = JsonType::ALL.into_iter().find(|t| t.name() == s.value);
        if found.is_none() {
            self.bug(format!("`{key} = \"{}\"` is no JSON type", s.value));
        }
        found
    }

    /// A step's `capture`: variables set from queries over its output.
    pub(super) fn captures(&mut self, step: &Fields, v: &Val) -> Option<Vec<Capture>> {
        let map = self.declared_map(step, "capture")?;
        let (entries, ok) = self.map_entries(map, &step.what, v)?;
        let captures = all(entries.into_iter().map(|(name, val)| {
            let query = self.capture(map, &step.what, &name, val)?;
            Some(Capture { name, query })
        }));
        captures.filter(|_| ok)
    }

    /// `NAME = "query"`, or `NAME = { jq = "..." }`.
    fn capture(
        &mut self,
        map: &'static Map,
        what: &str,
        name: &Node<String>,
        val: &Val,
    ) -> Option<Node<Query>> {
        let named = format!("capture `{}` in {what}", name.value);
        match (val.get_ref(), leaf_in(map.values), table_in(map.values)) {
            (DeValue::String(_), Some(ty), _) => self.read_as(ty, &name.value, what, val),
            (DeValue::Table(t), _, Some(def)) => {
                let f = self.open(t, def, named, val.span());
                self.query_of(&f)
            }
            (other, ..) => {
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
        }
    }

    pub(super) fn wait(&mut self, step: &Fields, v: &Val) -> Option<Wait> {
        let f = self.sub_table(step, "wait", v)?;
        let until = f.get("until").and_then(|v| self.checks(&f, "until", v));
        let fail_if = match f.get("fail-if") {
            Some(v) => self.checks(&f, "fail-if", v),
            None => Some(Vec::new()),
        };
        let interval = self.optional(&f, "interval");
        let max_interval = self.optional(&f, "max-interval");
        let backoff = self.optional(&f, "backoff");
        Some(Wait {
            until: until?,
            fail_if: fail_if?,
            waiter: None,
            interval: interval?,
            max_interval: max_interval?,
            backoff: backoff?,
            span: extent(v),
        })
    }

    pub(super) fn retry(&mut self, step: &Fields, v: &Val) -> Option<Retry> {
        let f = self.sub_table(step, "retry", v)?;
        let attempts =
            self.required::<Node<i64>>(&f, "attempts")
                .and_then(|n| match u32::try_from(n.value) {
                    Ok(a) => Some(Node::new(a, n.span)),
                    Err(_) => {
                        self.error(
                            Diagnostic::new(format!("`attempts` in {} is too large", f.what), n.span)
                                .label("too large")
                                .hint("a few attempts are enough; use `wait` to poll for long"),
                        );
                        None
                    }
                });
        let delay = self.optional(&f, "delay");
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
    use super::Operator;
    use crate::format::ast::JsonType;
    use crate::format::keys;

    #[test]
    fn operators_are_the_operator_group_of_checks() {
        assert_one_of_keys(
            &keys::CHECK,
            "operator",
            Operator::ALL,
            Operator::key,
            Operator::named,
        );
    }

    #[test]
    fn json_types_are_the_values_of_type() {
        let names: Vec<_> = JsonType::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(names, keys::JSON_TYPES);
    }

    #[test]
    fn unknown_types_suggest_the_closest() {
        let src = format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nexpect = [ {{ query = \"a\", type = \"strin\" }} ]\n"
        );
        let d = errs(&src);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            d[0].message,
            "unknown type \"strin\" in check #1 of `expect` in step `a`"
        );
        assert_eq!(d[0].label.as_deref(), Some("unknown type"));
        assert_eq!(d[0].hint.as_deref(), Some("did you mean \"string\"?"));
        assert_eq!(&src[d[0].span.clone().unwrap()], "\"strin\"");
    }

    #[test]
    fn exists_false_suggests_absent() {
        let d = errs(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nexpect = [ {{ query = \"a\", exists = false }} ]\n"
        ));
        assert_eq!(d[0].hint.as_deref(), Some("write `absent = true` instead"));
    }

    #[test]
    fn a_variable_in_a_query_is_refused_with_a_hint() {
        for key in ["query", "jq"] {
            let src = format!(
                "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nexpect = [ {{ {key} = \"items[?name == '${{POD}}']\", exists = true }} ]\n"
            );
            let d = errs(&src);
            assert_eq!(d.len(), 1, "{d:#?}");
            assert!(
                d[0].message.contains("a query cannot use variables"),
                "{}",
                d[0].message
            );
            assert_eq!(&src[d[0].span.clone().unwrap()], "$");
            assert!(d[0].hint.as_deref().unwrap().contains("contains = \"${POD}\""));
        }
        // Captures read queries too.
        let src = format!("{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\ncapture = {{ C = \"a.${{B}}\" }}\n");
        assert_eq!(errs(&src).len(), 1);
    }
}
