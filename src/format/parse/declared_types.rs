//! Every key of every table of `keys.rs` is read by the type declared for
//! it there: for each key, values are written into an otherwise minimal
//! workflow, and the parser must accept the values of the type, reject
//! those that break its constraints, and name the type when the value has
//! the wrong TOML type.

use crate::diagnostic::Diagnostic;
use crate::format::keys::{self, Key, Table, Type};
use crate::format::template::Dollar;
use crate::query::Lang;

use super::table::{leaf_in, table_in};
use super::testing::file;

/// Where the value under test is written, before it is known.
const HOLE: &str = "@@";

/// What the parser must make of a value.
enum Expect {
    /// It parses.
    Accepted,
    /// An error points inside the value.
    Rejected,
    /// An error at the value says it must be this, not what it is.
    WrongType(String),
}
use Expect::{Accepted, Rejected, WrongType};

/// A valid value of `ty`, as TOML.
fn sample(ty: &Type) -> String {
    match ty {
        Type::String | Type::Script | Type::NonEmptyString | Type::Template(_) => "\"x\"".into(),
        Type::Pattern(_) | Type::Regex | Type::Query(Lang::JmesPath) => "\"a\"".into(),
        Type::Query(Lang::Jq) => "\".a\"".into(),
        Type::Enum(values) => format!("\"{}\"", values[0]),
        Type::Bool | Type::True => "true".into(),
        Type::Integer { min } => min.to_string(),
        Type::Number { min } => format!("{min:?}"),
        Type::Duration { .. } => "\"1s\"".into(),
        Type::Strings { .. } => "[\"a\"]".into(),
        Type::Any => "{ a = \"x\" }".into(),
        Type::NumberOrString => "1".into(),
        Type::NonEmptyArray => "[1]".into(),
        Type::Table(t) => inline(&lines(t, None)),
        Type::Tables { min: 0, .. } => "[]".into(),
        Type::Tables { table, .. } => format!("[ {} ]", inline(&lines(table, None))),
        Type::Map(_) => "{}".into(),
        Type::Either(types) => sample(&types[0]),
    }
}

/// The values to try for a key of type `ty`, and what must become of them.
fn probes(ty: &Type) -> Vec<(String, Expect)> {
    let says = |d: String| WrongType(d);
    let v = |s: &str, e: Expect| (s.to_string(), e);
    match ty {
        Type::String | Type::Script => vec![
            v("\"\"", Accepted),
            v("\"${(\"", Accepted),
            v("true", says(Type::String.describe())),
        ],
        Type::NonEmptyString => vec![
            v("\"x\"", Accepted),
            v("\" \"", Rejected),
            v("1", says(Type::String.describe())),
        ],
        Type::Pattern(_) => vec![
            v("\"a\"", Accepted),
            v("\"-a\"", Rejected),
            v("1", says(Type::String.describe())),
        ],
        Type::Enum(values) => values
            .iter()
            .map(|value| v(&format!("\"{value}\""), Accepted))
            .chain([
                v("\"none-of-these\"", Rejected),
                v("1", says(Type::String.describe())),
            ])
            .collect(),
        Type::Bool => vec![
            v("true", Accepted),
            v("false", Accepted),
            v("\"true\"", says(Type::Bool.describe())),
        ],
        Type::True => vec![
            v("true", Accepted),
            v("false", Rejected),
            v("\"true\"", says(Type::Bool.describe())),
        ],
        Type::Integer { min } => [
            Some(v(&min.to_string(), Accepted)),
            min.checked_sub(1).map(|below| v(&below.to_string(), Rejected)),
            Some(v("1.5", says(ty.describe()))),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Type::Number { min } => vec![
            v(&format!("{min:?}"), Accepted),
            v(&format!("{}", min.ceil() as i64 + 1), Accepted),
            v(&format!("{:?}", min - 0.5), Rejected),
            v("\"1\"", says(ty.describe())),
        ],
        Type::Duration { zero } => vec![
            v("\"1h 30m\"", Accepted),
            v("\"0s\"", if *zero { Accepted } else { Rejected }),
            v("\"five\"", Rejected),
            v("30", says(ty.describe())),
        ],
        Type::Strings { non_empty } => vec![
            v("[\"a\", \"b\"]", Accepted),
            v("[]", if *non_empty { Rejected } else { Accepted }),
            v("[\"a\", 1]", Rejected),
            v("\"a\"", says(ty.describe())),
        ],
        Type::Template(_) => vec![
            v("\"x ${A} $$\"", Accepted),
            v("\"${\"", Rejected),
            v("\"${1}\"", Rejected),
            v("true", says(Type::String.describe())),
        ],
        Type::Query(Lang::JmesPath) => vec![
            v("\"a.b[0]\"", Accepted),
            v("\"a[\"", Rejected),
            v("\".a\"", Rejected),
            v("1", says(Type::String.describe())),
        ],
        Type::Query(Lang::Jq) => vec![
            v("\".a.b[0]\"", Accepted),
            v("\".a[\"", Rejected),
            v("\"a.b[0]\"", Rejected),
            v("1", says(Type::String.describe())),
        ],
        Type::Regex => vec![
            v("\"^a+\\\\d$\"", Accepted),
            v("\"(\"", Rejected),
            v("1", says(Type::String.describe())),
        ],
        Type::Any => vec![
            v("{ a = [1, 2.5, true, \"x ${A}\", { b = [] }] }", Accepted),
            v("{ a = \"${\" }", Rejected),
        ],
        Type::NumberOrString => vec![
            v("1", Accepted),
            v("2.5", Accepted),
            v("\"x\"", Accepted),
            v("true", says(ty.describe())),
        ],
        Type::NonEmptyArray => vec![
            v("[1, \"x\"]", Accepted),
            v("[]", Rejected),
            v("1", says(ty.describe())),
        ],
        Type::Table(_) => vec![v(&sample(ty), Accepted), v("1", says("a table".into()))],
        Type::Tables { min, .. } => vec![
            v(&sample(ty), Accepted),
            v("[]", if *min == 0 { Accepted } else { Rejected }),
            v("1", says("an array of tables".into())),
        ],
        Type::Map(_) => vec![v("{}", Accepted), v("1", says("a table".into()))],
        Type::Either(types) => {
            let mut out = leaf_in(types).map(probes).unwrap_or_default();
            if let Some(t) = table_in(types) {
                out.push(v(&inline(&lines(t, None)), Accepted));
            }
            out
        }
    }
}

/// The lines of a minimal `t`: its required keys, one key of each of its
/// groups, and `over`, a key set to a value (a group it is in gets no other).
fn lines(t: &Table, over: Option<(&str, &str)>) -> Vec<String> {
    let mut chosen: Vec<&str> = t.keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    for g in t.one_of {
        if !over.is_some_and(|(k, _)| g.keys.contains(&k)) {
            chosen.push(g.keys[0]);
        }
    }
    let mut out = Vec::new();
    for k in t.keys {
        match over {
            Some((name, value)) if name == k.name => out.push(format!("{name} = {value}")),
            _ if chosen.contains(&k.name) => out.push(format!("{} = {}", k.name, sample(&k.ty))),
            _ => {}
        }
    }
    out
}

fn inline(lines: &[String]) -> String {
    format!("{{ {} }}", lines.join(", "))
}

/// The lines of a minimal `t` in which the table `target` is written as
/// `written`, found by walking down the keys of the reference.
fn around(t: &'static Table, target: &'static Table, written: &str) -> Option<Vec<String>> {
    if std::ptr::eq(t, target) {
        return Some(vec![written.to_string()]);
    }
    t.keys.iter().find_map(|k| {
        let value = match k.ty {
            Type::Table(inner) => inline(&around(inner, target, written)?),
            Type::Tables { table, .. } => format!("[ {} ]", inline(&around(table, target, written)?)),
            Type::Either(types) => inline(&around(table_in(types)?, target, written)?),
            Type::Map(map) => format!(
                "{{ X = {} }}",
                inline(&around(table_in(map.values)?, target, written)?)
            ),
            _ => return None,
        };
        Some(lines(t, Some((k.name, &value))))
    })
}

/// A whole workflow in which `key` of `t` is `value`, and where `value` is.
fn workflow(t: &'static Table, key: &Key, value: &str) -> (String, std::ops::Range<usize>) {
    let written = lines(t, Some((key.name, HOLE)));
    let text = if std::ptr::eq(t, &keys::ROOT) {
        written.join("\n")
    } else {
        let root = around(&keys::ROOT, t, &written.join(", "));
        root.unwrap_or_else(|| panic!("{} is not reachable from the root", t.name))
            .join("\n")
    };
    let at = text
        .find(HOLE)
        .unwrap_or_else(|| panic!("{} of {}", key.name, t.name));
    (text.replacen(HOLE, value, 1), at..at + value.len())
}

/// What is wrong, if anything, with how the parser took `value` for `key`
/// of `t`.
fn failure(t: &'static Table, key: &Key, value: &str, expect: &Expect) -> Option<String> {
    let (text, at) = workflow(t, key, value);
    misread(&text, at, expect).map(|got| format!("`{}` of {} = {value}: {got}", key.name, t.name))
}

/// What is wrong, if anything, with how the parser took the value at `at`
/// of `text`.
fn misread(text: &str, at: std::ops::Range<usize>, expect: &Expect) -> Option<String> {
    let result = super::parse(&file(text));
    let inside = |d: &Diagnostic| {
        d.span
            .as_ref()
            .is_some_and(|s| at.start <= s.start && s.end <= at.end)
    };
    let ok = match (&result, expect) {
        (Ok(_), Accepted) => true,
        (Err(diags), Rejected) => diags.iter().any(inside),
        (Err(diags), WrongType(ty)) => diags
            .iter()
            .any(|d| d.span == Some(at.clone()) && d.message.contains(&format!(" must be {ty}, not "))),
        _ => false,
    };
    let expected = match expect {
        Accepted => "accepted".to_string(),
        Rejected => "an error inside the value".to_string(),
        WrongType(ty) => format!("\"must be {ty}, not ...\" at the value"),
    };
    let got = match result {
        Ok(_) => "accepted".to_string(),
        Err(diags) => format!("{diags:#?}"),
    };
    (!ok).then(|| format!("expected {expected}, got {got}\nin:\n{text}"))
}

#[test]
fn every_key_is_read_by_its_declared_type() {
    let mut failures = Vec::new();
    for t in keys::tables() {
        for key in t.keys {
            let probes = probes(&key.ty);
            assert!(!probes.is_empty(), "`{}` of {}", key.name, t.name);
            for (value, expect) in probes {
                failures.extend(failure(t, key, &value, &expect));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A map whose values have one declared type (`env`, `headers`) reads each
/// value by that type.
#[test]
fn map_values_are_read_by_their_declared_type() {
    let mut failures = Vec::new();
    for t in keys::tables() {
        for key in t.keys {
            let Type::Map(map) = key.ty else { continue };
            let [ty] = map.values else { continue };
            for (value, expect) in probes(ty) {
                let (text, at) = workflow(t, key, &format!("{{ X = {value} }}"));
                let start = at.start + "{ X = ".len();
                let got = misread(&text, start..start + value.len(), &expect);
                failures.extend(got.map(|got| format!("`{}.X` of {} = {value}: {got}", key.name, t.name)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `$NAME` is a reference in the templates declared `Dollar::Shell`, and
/// literal text in those declared `Dollar::Braced`.
#[test]
fn templates_read_dollars_as_declared() {
    let mut failures = Vec::new();
    for t in keys::tables() {
        for key in t.keys {
            let dollar = match &key.ty {
                Type::Template(d) => *d,
                Type::Either(types) => match leaf_in(types) {
                    Some(Type::Template(d)) => *d,
                    _ => continue,
                },
                _ => continue,
            };
            let (text, _) = workflow(t, key, "\"$UNDEFINED_X\"");
            let diags = match crate::validate::check_file(&file(&text)) {
                Ok(_) => Vec::new(),
                Err(d) => d,
            };
            let referenced = diags
                .iter()
                .any(|d| d.message.starts_with("variable `UNDEFINED_X` used in"));
            if referenced != (dollar == Dollar::Shell) {
                failures.push(format!(
                    "`{}` of {}: {dollar:?}, got {diags:#?}",
                    key.name, t.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
