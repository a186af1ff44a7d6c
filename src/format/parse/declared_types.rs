//! Every key of every table of `keys.rs` is read by the type declared for
//! it there: for each key, values are written into an otherwise minimal
//! workflow, and the parser must accept the values of the type, reject
//! those that break its constraints, and name the type when the value has
//! the wrong TOML type.

use crate::diagnostic::Diagnostic;
use crate::format::keys::{self, Key, Table, Tool, Type};
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
        Type::String | Type::Script | Type::NonEmptyString | Type::Template => "\"x\"".into(),
        Type::Command(tool) => format!("\"{}\"", command(*tool, "x")),
        Type::Input => "{}".into(),
        Type::Pattern(_) | Type::Regex | Type::Query(Lang::JmesPath) => "\"a\"".into(),
        Type::Query(Lang::Jq) => "\".a\"".into(),
        Type::Enum(values) => format!("\"{}\"", values[0]),
        Type::Bool | Type::True | Type::Query(Lang::Stdout) => "true".into(),
        Type::Integer { min } => min.to_string(),
        Type::Number { min } => format!("{min:?}"),
        Type::Duration { .. } => "\"1s\"".into(),
        Type::Size => "\"1MiB\"".into(),
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

/// A command of the tool whose last argument is `arg`, as TOML string content.
fn command(tool: Tool, arg: &str) -> String {
    match tool {
        Tool::Aws => format!("eks describe-cluster --name {arg}"),
        Tool::Kubectl => format!("get pods {arg}"),
    }
}

/// A value to try, and what must become of it.
fn probe(value: &str, expect: Expect) -> (String, Expect) {
    (value.to_string(), expect)
}

/// An error that says a value must be `ty`.
fn says(ty: &Type) -> Expect {
    WrongType(ty.describe())
}

/// The values to try for a key of type `ty`, and what must become of them.
fn probes(ty: &Type) -> Vec<(String, Expect)> {
    match ty {
        Type::String
        | Type::Script
        | Type::NonEmptyString
        | Type::Pattern(_)
        | Type::Enum(_)
        | Type::Bool
        | Type::True => text_probes(ty),
        Type::Integer { .. }
        | Type::Number { .. }
        | Type::Duration { .. }
        | Type::Size
        | Type::Strings { .. } => measure_probes(ty),
        Type::Template | Type::Command(_) | Type::Query(_) | Type::Regex => compiled_probes(ty),
        Type::Input => vec![probe("{}", Accepted), probe("1", says(ty))],
        Type::Any | Type::NumberOrString | Type::NonEmptyArray => expected_probes(ty),
        Type::Table(_) | Type::Tables { .. } | Type::Map(_) | Type::Either(_) => composite_probes(ty),
    }
}

/// Strings and booleans.
fn text_probes(ty: &Type) -> Vec<(String, Expect)> {
    let string = || says(&Type::String);
    match ty {
        Type::Pattern(_) => vec![
            probe("\"a\"", Accepted),
            probe("\"-a\"", Rejected),
            probe("1", string()),
        ],
        Type::NonEmptyString => vec![
            probe("\"x\"", Accepted),
            probe("\" \"", Rejected),
            probe("1", string()),
        ],
        Type::Enum(values) => values
            .iter()
            .map(|value| probe(&format!("\"{value}\""), Accepted))
            .chain([probe("\"none-of-these\"", Rejected), probe("1", string())])
            .collect(),
        Type::Bool => vec![
            probe("true", Accepted),
            probe("false", Accepted),
            probe("\"true\"", says(&Type::Bool)),
        ],
        Type::True => vec![
            probe("true", Accepted),
            probe("false", Rejected),
            probe("\"true\"", says(&Type::Bool)),
        ],
        _ => vec![
            probe("\"\"", Accepted),
            probe("\"${(\"", Accepted),
            probe("true", string()),
        ],
    }
}

/// Numbers, durations and arrays of strings, with their bounds.
fn measure_probes(ty: &Type) -> Vec<(String, Expect)> {
    let allowed = |yes: bool| if yes { Accepted } else { Rejected };
    match ty {
        Type::Integer { min } => [
            Some(probe(&min.to_string(), Accepted)),
            min.checked_sub(1)
                .map(|below| probe(&below.to_string(), Rejected)),
            Some(probe("1.5", says(ty))),
        ]
        .into_iter()
        .flatten()
        .collect(),
        Type::Number { min } => vec![
            probe(&format!("{min:?}"), Accepted),
            probe(&format!("{}", min.ceil() as i64 + 1), Accepted),
            probe(&format!("{:?}", min - 0.5), Rejected),
            probe("\"1\"", says(ty)),
        ],
        Type::Duration { zero } => vec![
            probe("\"1h 30m\"", Accepted),
            probe("\"0s\"", allowed(*zero)),
            probe("\"five\"", Rejected),
            probe("30", says(ty)),
        ],
        Type::Size => vec![
            probe("\"16MiB\"", Accepted),
            probe("\"1000\"", Accepted),
            probe("\"0B\"", Rejected),
            probe("\"16MB\"", Rejected),
            probe("30", says(ty)),
        ],
        _ => vec![
            probe("[\"a\", \"b\"]", Accepted),
            probe("[]", allowed(!matches!(ty, Type::Strings { non_empty: true }))),
            probe("[\"a\", 1]", Rejected),
            probe("\"a\"", says(ty)),
        ],
    }
}

/// Templates, queries and regular expressions: compiled while parsing.
fn compiled_probes(ty: &Type) -> Vec<(String, Expect)> {
    let string = || says(&Type::String);
    match ty {
        Type::Command(tool) => vec![
            probe(&format!("\"{}\"", command(*tool, "$A-${B}")), Accepted),
            probe(&format!("\"{}\"", command(*tool, "'a")), Rejected),
            probe(&format!("\"{}\"", command(*tool, "x | y")), Rejected),
            // A verb or service from a variable is wrong whatever runs it
            // (one rehearse does not know runs through the CLI: see validate).
            probe("\"${A} x\"", Rejected),
            probe("true", string()),
        ],
        Type::Template => vec![
            probe("\"x ${A} $$\"", Accepted),
            probe("\"${\"", Rejected),
            probe("\"${1}\"", Rejected),
            probe("true", string()),
        ],
        Type::Query(Lang::JmesPath) => vec![
            probe("\"a.b[0]\"", Accepted),
            probe("\"a[\"", Rejected),
            probe("\".a\"", Rejected),
            probe("1", string()),
        ],
        Type::Query(Lang::Stdout) => vec![
            probe("true", Accepted),
            probe("false", Rejected),
            probe("\"true\"", says(&Type::Bool)),
        ],
        Type::Query(Lang::Jq) => vec![
            probe("\".a.b[0]\"", Accepted),
            probe("\".a[\"", Rejected),
            probe("\"a.b[0]\"", Rejected),
            probe("1", string()),
        ],
        _ => vec![
            probe("\"^a+\\\\d$\"", Accepted),
            probe("\"(\"", Rejected),
            probe("1", string()),
        ],
    }
}

/// Expected values of checks and inputs: TOML turned into JSON.
fn expected_probes(ty: &Type) -> Vec<(String, Expect)> {
    match ty {
        Type::NumberOrString => vec![
            probe("1", Accepted),
            probe("2.5", Accepted),
            probe("\"x\"", Accepted),
            probe("true", says(ty)),
        ],
        Type::NonEmptyArray => vec![
            probe("[1, \"x\"]", Accepted),
            probe("[]", Rejected),
            probe("1", says(ty)),
        ],
        _ => vec![
            probe("{ a = [1, 2.5, true, \"x ${A}\", { b = [] }] }", Accepted),
            probe("{ a = \"${\" }", Rejected),
        ],
    }
}

/// Tables, arrays of tables, maps, and leaves that may be tables.
fn composite_probes(ty: &Type) -> Vec<(String, Expect)> {
    let table = || WrongType("a table".into());
    match ty {
        Type::Tables { min, .. } => vec![
            probe(&sample(ty), Accepted),
            probe("[]", if *min == 0 { Accepted } else { Rejected }),
            probe("1", WrongType("an array of tables".into())),
        ],
        Type::Either(types) => {
            let mut out = leaf_in(types).map(probes).unwrap_or_default();
            out.extend(table_in(types).map(|t| probe(&inline(&lines(t, None)), Accepted)));
            out
        }
        _ => vec![probe(&sample(ty), Accepted), probe("1", table())],
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

/// Every key of every table of the reference.
fn every_key() -> impl Iterator<Item = (&'static Table, &'static Key)> {
    keys::tables()
        .into_iter()
        .flat_map(|t| t.keys.iter().map(move |k| (t, k)))
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
    for (t, key) in every_key() {
        let probes = probes(&key.ty);
        assert!(!probes.is_empty(), "`{}` of {}", key.name, t.name);
        for (value, expect) in probes {
            failures.extend(failure(t, key, &value, &expect));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A map whose values have one declared type (`env`, `headers`) reads each
/// value by that type.
#[test]
fn map_values_are_read_by_their_declared_type() {
    let mut failures = Vec::new();
    for (t, key) in every_key() {
        let Type::Map(map) = key.ty else { continue };
        let [ty] = map.values else { continue };
        for (value, expect) in probes(ty) {
            let (text, at) = workflow(t, key, &format!("{{ X = {value} }}"));
            let start = at.start + "{ X = ".len();
            let got = misread(&text, start..start + value.len(), &expect);
            failures.extend(got.map(|got| format!("`{}.X` of {} = {value}: {got}", key.name, t.name)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `$NAME` is a reference in command lines (as in the shell they were
/// pasted from), and literal text in templates (keys, and values of maps).
#[test]
fn templates_and_commands_read_dollars_as_declared() {
    let mut failures = Vec::new();
    for (t, key) in every_key() {
        let leaf = match &key.ty {
            Type::Either(types) => leaf_in(types).copied(),
            Type::Map(map) => match map.values {
                [ty] => Some(*ty),
                _ => None,
            },
            ty => Some(*ty),
        };
        let (shell, value) = match leaf {
            Some(Type::Template) => (false, "\"$UNDEFINED_X\"".to_string()),
            Some(Type::Command(tool)) => (true, format!("\"{}\"", command(tool, "$UNDEFINED_X"))),
            _ => continue,
        };
        let value = match key.ty {
            Type::Map(_) => format!("{{ X = {value} }}"),
            _ => value,
        };
        let (text, _) = workflow(t, key, &value);
        // The parsed value holds a placeholder (a `Var` part of a template
        // or of a command's word) exactly when `$NAME` is a reference.
        let parsed = format!("{:?}", super::parse(&file(&text)));
        let referenced = parsed.contains("Var(Node { value: \"UNDEFINED_X\"");
        if referenced != shell {
            failures.push(format!("`{}` of {}: got {parsed}", key.name, t.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
