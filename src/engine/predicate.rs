//! Predicates: what a query's result must satisfy, and why it did not.
//!
//! Failure messages are several lines, meant for a person: the expected and
//! the actual value as JSON, what kind of value each is when the kinds differ,
//! and a line diff when both are arrays or objects.

use std::cmp::Ordering;

use serde_json::Value;

use crate::engine::vars::Vars;
use crate::format::ast::{Expected, JsonType, Predicate};
use crate::ground::json;

/// The predicate as it reads in reports, e.g. `equals "ACTIVE"`.
pub fn describe(p: &Predicate) -> String {
    let with = |name: &str, e: &Expected| format!("{name} {}", compact(&e.value));
    match p {
        Predicate::Equals(e) => with("equals", e),
        Predicate::NotEquals(e) => with("not-equals", e),
        Predicate::Contains(e) => with("contains", e),
        Predicate::NotContains(e) => with("not-contains", e),
        Predicate::Matches(pat) => format!("matches /{}/", pat.source),
        Predicate::Exists => "exists".to_string(),
        Predicate::Absent => "absent".to_string(),
        Predicate::Length(n) => format!("length {n}"),
        Predicate::Greater(e) => with("greater", e),
        Predicate::GreaterOrEqual(e) => with("greater-or-equal", e),
        Predicate::Less(e) => with("less", e),
        Predicate::LessOrEqual(e) => with("less-or-equal", e),
        Predicate::OneOf(e) => with("one-of", e),
        Predicate::Type(t) => format!("type {}", t.name()),
    }
}

/// Checks `actual` against the predicate, with `${NAME}` in the expected
/// value substituted from `vars`. `Err` holds why it does not hold.
pub fn evaluate(p: &Predicate, vars: &Vars, actual: &Value) -> Result<(), String> {
    let value = |name: &str| vars.value(name);
    let render = |e: &Expected| {
        e.template
            .fill(&value)
            .map_err(|err| format!("cannot render the expected value: {err}"))
    };
    match p {
        Predicate::Equals(e) => {
            let expected = render(e)?;
            if json_eq(&expected, actual) {
                Ok(())
            } else {
                Err(mismatch(&expected, actual))
            }
        }
        Predicate::NotEquals(e) => {
            let expected = render(e)?;
            if json_eq(&expected, actual) {
                Err(lines(format!("not {}", show(&expected)), show(actual)))
            } else {
                Ok(())
            }
        }
        Predicate::Contains(e) => {
            let expected = render(e)?;
            if contains(actual, &expected)? {
                Ok(())
            } else {
                Err(lines(
                    container_wanted(actual, &expected, true),
                    shown_container(actual),
                ))
            }
        }
        Predicate::NotContains(e) => {
            let expected = render(e)?;
            if contains(actual, &expected)? {
                Err(lines(
                    container_wanted(actual, &expected, false),
                    shown_container(actual),
                ))
            } else {
                Ok(())
            }
        }
        Predicate::Matches(pat) => match actual {
            Value::String(s) if pat.regex.is_match(s) => Ok(()),
            Value::String(_) => Err(lines(format!("a string matching /{}/", pat.source), show(actual))),
            other => Err(format!(
                "expected a string to match /{}/, got {}\n{}",
                pat.source,
                described(other),
                lines(format!("a string matching /{}/", pat.source), show(other)),
            )),
        },
        Predicate::Exists => match actual {
            Value::Null => Err(lines(
                "a value (not null)".to_string(),
                "null (the query found nothing)".to_string(),
            )),
            _ => Ok(()),
        },
        Predicate::Absent => match actual {
            Value::Null => Ok(()),
            other => Err(lines("null (absent)".to_string(), show(other))),
        },
        Predicate::Length(n) => {
            let len = match actual {
                Value::String(s) => s.chars().count(),
                Value::Array(items) => items.len(),
                Value::Object(map) => map.len(),
                other => {
                    return Err(format!(
                        "expected a string, an array or an object to measure, got {}\n{}",
                        described(other),
                        lines(format!("length {n}"), show(other)),
                    ));
                }
            };
            if len as u64 == *n {
                Ok(())
            } else {
                Err(lines(
                    format!("length {n}"),
                    format!("length {len}: {}", show(actual)),
                ))
            }
        }
        Predicate::Greater(e) => ordered(actual, &render(e)?, ">", Ordering::is_gt),
        Predicate::GreaterOrEqual(e) => ordered(actual, &render(e)?, ">=", Ordering::is_ge),
        Predicate::Less(e) => ordered(actual, &render(e)?, "<", Ordering::is_lt),
        Predicate::LessOrEqual(e) => ordered(actual, &render(e)?, "<=", Ordering::is_le),
        Predicate::OneOf(e) => {
            let expected = render(e)?;
            let Value::Array(choices) = &expected else {
                return Err(format!(
                    "one-of needs an array of choices, got {}",
                    described(&expected)
                ));
            };
            if choices.iter().any(|c| json_eq(c, actual)) {
                Ok(())
            } else {
                Err(lines(format!("one of {}", compact(&expected)), show(actual)))
            }
        }
        Predicate::Type(t) => {
            let got = JsonType::of(actual);
            if got == *t {
                Ok(())
            } else {
                Err(lines(
                    format!("type {}", t.name()),
                    format!("type {}: {}", got.name(), show(actual)),
                ))
            }
        }
    }
}

/// JSON equality where numbers compare by value (`1 == 1.0`).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => num_cmp(a, b) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Compares two JSON numbers exactly when both are integers, else as f64.
fn num_cmp(a: &Value, b: &Value) -> Option<Ordering> {
    let (Value::Number(x), Value::Number(y)) = (a, b) else {
        return None;
    };
    let int = |n: &serde_json::Number| n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    match (int(x), int(y)) {
        (Some(x), Some(y)) => Some(x.cmp(&y)),
        _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
    }
}

/// Substring, element or key. `Err` when the question makes no sense.
fn contains(actual: &Value, expected: &Value) -> Result<bool, String> {
    match (actual, expected) {
        (Value::String(s), Value::String(needle)) => Ok(s.contains(needle.as_str())),
        (Value::String(_), other) => Err(format!(
            "expected a string to look for inside the string {}, got {}",
            show(actual),
            described(other)
        )),
        (Value::Array(items), _) => Ok(items.iter().any(|v| json_eq(v, expected))),
        (Value::Object(map), Value::String(key)) => Ok(map.contains_key(key)),
        (Value::Object(_), other) => Err(format!(
            "expected a key (a string) to look for in the object, got {}",
            described(other)
        )),
        (other, _) => Err(format!(
            "expected a string, an array or an object to look in, got {}\n  actual: {}",
            described(other),
            show(other)
        )),
    }
}

/// The `expected:` line of a failed (not-)contains; `actual` is a string,
/// an array or an object (anything else failed earlier).
fn container_wanted(actual: &Value, expected: &Value, present: bool) -> String {
    let not = if present { "" } else { "not " };
    match actual {
        Value::Object(_) => {
            let with = if present { "with" } else { "without" };
            format!("an object {with} the key {}", show(expected))
        }
        Value::String(_) => format!("a string {not}containing {}", show(expected)),
        _ => format!("an array {not}containing {}", show(expected)),
    }
}

/// Objects are shown by their keys, which is what `contains` looks at.
fn shown_container(actual: &Value) -> String {
    match actual {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            format!("an object with the keys {}", compact(&serde_json::json!(keys)))
        }
        other => show(other),
    }
}

fn ordered(actual: &Value, expected: &Value, op: &str, holds: fn(Ordering) -> bool) -> Result<(), String> {
    let ord = match (actual, expected) {
        (Value::Number(_), Value::Number(_)) => num_cmp(actual, expected),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (_, Value::Number(_) | Value::String(_)) => {
            return Err(format!(
                "expected {} to compare with {}, got {}\n{}",
                article(JsonType::of(expected)),
                show(expected),
                described(actual),
                lines(format!("{op} {}", show(expected)), show(actual)),
            ));
        }
        _ => {
            return Err(format!(
                "`{op}` compares numbers or strings, but the expected value is {}",
                described(expected)
            ));
        }
    };
    match ord {
        Some(o) if holds(o) => Ok(()),
        _ => Err(lines(format!("{op} {}", show(expected)), show(actual))),
    }
}

/// The message of a failed `equals`.
fn mismatch(expected: &Value, actual: &Value) -> String {
    let (te, ta) = (JsonType::of(expected), JsonType::of(actual));
    let mut out = String::new();
    if te != ta {
        out.push_str(&format!("expected {}, got {}\n", article(te), described(actual)));
    }
    out.push_str(&lines(show(expected), show(actual)));
    let structured = |t| matches!(t, JsonType::Array | JsonType::Object);
    if structured(te) && structured(ta) {
        out.push('\n');
        out.push_str(&diff(expected, actual));
    }
    out
}

/// A unified line diff of the two values pretty-printed, keys sorted: the
/// values are equal whatever their members' order, so the diff shows what
/// differs, not the order.
fn diff(expected: &Value, actual: &Value) -> String {
    let pretty = |v: &Value| serde_json::to_string_pretty(&json::sorted(v)).unwrap_or_default() + "\n";
    let (e, a) = (pretty(expected), pretty(actual));
    similar::TextDiff::from_lines(&e, &a)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
        .trim_end()
        .to_string()
}

/// The two aligned lines every failure has.
fn lines(expected: String, actual: String) -> String {
    format!("expected: {expected}\n  actual: {actual}")
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Compact JSON, long arrays and objects cut short (the diff has the rest).
fn show(v: &Value) -> String {
    const MAX: usize = 400;
    let s = compact(v);
    if matches!(v, Value::Array(_) | Value::Object(_)) && s.len() > MAX {
        let mut end = MAX;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}… ({} more bytes)", &s[..end], s.len() - end)
    } else {
        s
    }
}

fn article(t: JsonType) -> &'static str {
    match t {
        JsonType::Null => "null",
        JsonType::Boolean => "a boolean",
        JsonType::Number => "a number",
        JsonType::String => "a string",
        JsonType::Array => "an array",
        JsonType::Object => "an object",
    }
}

/// `the string "3"`, `the number 3`, `an array of 2 elements`...
fn described(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => format!("the string {}", compact(v)),
        Value::Array(items) => format!("an array of {}", plural(items.len(), "element")),
        Value::Object(map) => format!("an object with {}", plural(map.len(), "member")),
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::ast::Pattern;
    use serde_json::json;

    fn ex(value: Value) -> Expected {
        Expected::parse(value).expect("a valid template")
    }

    fn pat(source: &str) -> Predicate {
        Predicate::Matches(Pattern {
            source: source.to_string(),
            regex: regex::Regex::new(source).unwrap(),
        })
    }

    fn check(p: &Predicate, actual: Value) -> Result<(), String> {
        let mut vars = Vars::new();
        vars.set("CLUSTER", "eks-workshop");
        evaluate(p, &vars, &actual)
    }

    fn fails(p: &Predicate, actual: Value) -> String {
        match check(p, actual) {
            Ok(()) => panic!("{} should have failed", describe(p)),
            Err(m) => m,
        }
    }

    #[test]
    fn describes_predicates_as_written() {
        assert_eq!(
            describe(&Predicate::Equals(ex(json!("ACTIVE")))),
            "equals \"ACTIVE\""
        );
        assert_eq!(describe(&Predicate::Length(2)), "length 2");
        assert_eq!(describe(&Predicate::Exists), "exists");
        assert_eq!(describe(&Predicate::Absent), "absent");
        assert_eq!(describe(&pat("^a.*$")), "matches /^a.*$/");
        assert_eq!(
            describe(&Predicate::OneOf(ex(json!(["A", "B"])))),
            "one-of [\"A\",\"B\"]"
        );
        assert_eq!(describe(&Predicate::Type(JsonType::String)), "type string");
        assert_eq!(
            describe(&Predicate::GreaterOrEqual(ex(json!(3)))),
            "greater-or-equal 3"
        );
        assert_eq!(
            describe(&Predicate::NotContains(ex(json!("x")))),
            "not-contains \"x\""
        );
    }

    #[test]
    fn equals() {
        let p = Predicate::Equals(ex(json!("ACTIVE")));
        assert_eq!(check(&p, json!("ACTIVE")), Ok(()));
        let m = fails(&p, json!("CREATING"));
        assert_eq!(m, "expected: \"ACTIVE\"\n  actual: \"CREATING\"");
    }

    #[test]
    fn equals_compares_numbers_by_value() {
        assert_eq!(check(&Predicate::Equals(ex(json!(1))), json!(1.0)), Ok(()));
        assert_eq!(
            check(
                &Predicate::Equals(ex(json!([1, {"a": 2.0}]))),
                json!([1.0, {"a": 2}])
            ),
            Ok(())
        );
        let m = fails(&Predicate::Equals(ex(json!(3))), json!(4));
        assert!(m.contains("expected: 3\n  actual: 4"), "{m}");
    }

    #[test]
    fn equals_names_differing_types() {
        let m = fails(&Predicate::Equals(ex(json!(3))), json!("3"));
        assert!(m.starts_with("expected a number, got the string \"3\"\n"), "{m}");
        assert!(m.contains("expected: 3\n  actual: \"3\""), "{m}");
    }

    #[test]
    fn equals_diffs_objects() {
        let p = Predicate::Equals(ex(json!({"Effect": "Allow", "Action": ["s3:GetObject"]})));
        let m = fails(&p, json!({"Effect": "Deny", "Action": ["s3:GetObject"]}));
        // The values as written (the members in their order)...
        assert!(m.contains("expected: {\"Effect\":\"Allow\",\"Action\""), "{m}");
        // ... and a diff of them with sorted keys.
        assert!(m.contains("--- expected\n+++ actual\n"), "{m}");
        assert!(m.contains("\n-  \"Effect\": \"Allow\""), "{m}");
        assert!(m.contains("\n+  \"Effect\": \"Deny\""), "{m}");
        assert!(m.contains("\n   \"Action\": ["), "{m}");
    }

    #[test]
    fn the_diff_shows_what_differs_not_the_members_order() {
        let p = Predicate::Equals(ex(json!({"a": 1, "b": 2, "c": 3})));
        let m = fails(&p, json!({"c": 3, "b": 20, "a": 1}));
        let diff = &m[m.find("--- expected").expect("a diff")..];
        let changed: Vec<&str> = diff
            .lines()
            .filter(|l| {
                (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("--- ") && !l.starts_with("+++ ")
            })
            .collect();
        assert_eq!(changed, ["-  \"b\": 2,", "+  \"b\": 20,"], "{m}");
    }

    #[test]
    fn equals_renders_variables() {
        let p = Predicate::Equals(ex(json!("${CLUSTER}-carts")));
        assert_eq!(check(&p, json!("eks-workshop-carts")), Ok(()));
        let m = fails(&p, json!("other"));
        assert!(m.contains("expected: \"eks-workshop-carts\""), "{m}");
        let m = fails(&Predicate::Equals(ex(json!("${NOPE}"))), json!("x"));
        assert!(m.contains("`NOPE`"), "{m}");
    }

    #[test]
    fn not_equals() {
        let p = Predicate::NotEquals(ex(json!("FAILED")));
        assert_eq!(check(&p, json!("ACTIVE")), Ok(()));
        let m = fails(&p, json!("FAILED"));
        assert_eq!(m, "expected: not \"FAILED\"\n  actual: \"FAILED\"");
        assert!(check(&Predicate::NotEquals(ex(json!(2))), json!(2.0)).is_err());
    }

    #[test]
    fn contains_substring_element_and_key() {
        let p = Predicate::Contains(ex(json!("eks")));
        assert_eq!(check(&p, json!("arn:aws:eks:us-west-2")), Ok(()));
        let m = fails(&p, json!("arn:aws:s3"));
        assert_eq!(
            m,
            "expected: a string containing \"eks\"\n  actual: \"arn:aws:s3\""
        );

        let p = Predicate::Contains(ex(json!("s3:PutObject")));
        assert_eq!(check(&p, json!(["s3:GetObject", "s3:PutObject"])), Ok(()));
        let m = fails(&p, json!(["s3:GetObject"]));
        assert!(
            m.contains("expected: an array containing \"s3:PutObject\""),
            "{m}"
        );
        assert!(m.contains("  actual: [\"s3:GetObject\"]"), "{m}");
        assert_eq!(
            check(&Predicate::Contains(ex(json!(2))), json!([1.0, 2.0])),
            Ok(())
        );

        let p = Predicate::Contains(ex(json!("app")));
        assert_eq!(check(&p, json!({"app": "carts"})), Ok(()));
        let m = fails(&p, json!({"tier": "web"}));
        assert!(m.contains("expected: an object with the key \"app\""), "{m}");
        assert!(m.contains("actual: an object with the keys [\"tier\"]"), "{m}");
    }

    #[test]
    fn contains_rejects_nonsense() {
        let m = fails(&Predicate::Contains(ex(json!(3))), json!("a3"));
        assert!(m.contains("got the number 3"), "{m}");
        let m = fails(&Predicate::Contains(ex(json!("a"))), json!(5));
        assert!(m.contains("got the number 5"), "{m}");
    }

    #[test]
    fn not_contains() {
        let p = Predicate::NotContains(ex(json!("Error")));
        assert_eq!(check(&p, json!("all good")), Ok(()));
        let m = fails(&p, json!("Error: boom"));
        assert_eq!(
            m,
            "expected: a string not containing \"Error\"\n  actual: \"Error: boom\""
        );
        let m = fails(&Predicate::NotContains(ex(json!("k"))), json!({"k": 1}));
        assert!(m.contains("expected: an object without the key \"k\""), "{m}");
        let m = fails(&Predicate::NotContains(ex(json!(1))), json!([1]));
        assert!(m.contains("expected: an array not containing 1"), "{m}");
    }

    #[test]
    fn matches() {
        let p = pat("^eks-.*$");
        assert_eq!(check(&p, json!("eks-workshop")), Ok(()));
        let m = fails(&p, json!("gke-lab"));
        assert_eq!(m, "expected: a string matching /^eks-.*$/\n  actual: \"gke-lab\"");
        let m = fails(&p, json!(42));
        assert!(
            m.starts_with("expected a string to match /^eks-.*$/, got the number 42"),
            "{m}"
        );
    }

    #[test]
    fn exists_and_absent() {
        assert_eq!(check(&Predicate::Exists, json!(0)), Ok(()));
        assert_eq!(check(&Predicate::Exists, json!(false)), Ok(()));
        let m = fails(&Predicate::Exists, Value::Null);
        assert!(m.contains("expected: a value (not null)\n  actual: null"), "{m}");

        assert_eq!(check(&Predicate::Absent, Value::Null), Ok(()));
        let m = fails(&Predicate::Absent, json!({"a": 1}));
        assert_eq!(m, "expected: null (absent)\n  actual: {\"a\":1}");
    }

    #[test]
    fn length() {
        let p = Predicate::Length(2);
        assert_eq!(check(&p, json!(["a", "b"])), Ok(()));
        assert_eq!(check(&p, json!("é!")), Ok(()));
        assert_eq!(check(&p, json!({"a": 1, "b": 2})), Ok(()));
        let m = fails(&p, json!(["a", "b", "c"]));
        assert_eq!(m, "expected: length 2\n  actual: length 3: [\"a\",\"b\",\"c\"]");
        let m = fails(&p, json!(2));
        assert!(m.contains("to measure, got the number 2"), "{m}");
        assert!(fails(&p, Value::Null).contains("got null"));
    }

    #[test]
    fn orderings() {
        let gt = Predicate::Greater(ex(json!(2)));
        assert_eq!(check(&gt, json!(3)), Ok(()));
        assert_eq!(check(&gt, json!(2.5)), Ok(()));
        assert_eq!(fails(&gt, json!(2)), "expected: > 2\n  actual: 2");

        let ge = Predicate::GreaterOrEqual(ex(json!(2)));
        assert_eq!(check(&ge, json!(2.0)), Ok(()));
        assert_eq!(fails(&ge, json!(1)), "expected: >= 2\n  actual: 1");

        let lt = Predicate::Less(ex(json!("b")));
        assert_eq!(check(&lt, json!("a")), Ok(()));
        assert_eq!(fails(&lt, json!("c")), "expected: < \"b\"\n  actual: \"c\"");

        let le = Predicate::LessOrEqual(ex(json!(10)));
        assert_eq!(check(&le, json!(10)), Ok(()));
        assert_eq!(fails(&le, json!(11)), "expected: <= 10\n  actual: 11");
    }

    #[test]
    fn orderings_reject_mismatched_types() {
        let m = fails(&Predicate::Greater(ex(json!(2))), json!("3"));
        assert!(
            m.starts_with("expected a number to compare with 2, got the string \"3\""),
            "{m}"
        );
        let m = fails(&Predicate::Less(ex(json!(true))), json!(1));
        assert!(m.contains("the boolean true"), "{m}");
        let m = fails(&Predicate::GreaterOrEqual(ex(json!("${CLUSTER}"))), Value::Null);
        assert!(
            m.contains("expected a string to compare with \"eks-workshop\", got null"),
            "{m}"
        );
    }

    #[test]
    fn one_of() {
        let p = Predicate::OneOf(ex(json!(["ACTIVE", "UPDATING"])));
        assert_eq!(check(&p, json!("UPDATING")), Ok(()));
        let m = fails(&p, json!("FAILED"));
        assert_eq!(
            m,
            "expected: one of [\"ACTIVE\",\"UPDATING\"]\n  actual: \"FAILED\""
        );
        let m = fails(&Predicate::OneOf(ex(json!("A"))), json!("A"));
        assert!(m.contains("needs an array"), "{m}");
    }

    #[test]
    fn type_of() {
        let p = Predicate::Type(JsonType::String);
        assert_eq!(check(&p, json!("x")), Ok(()));
        assert_eq!(
            fails(&p, json!(3)),
            "expected: type string\n  actual: type number: 3"
        );
        assert_eq!(check(&Predicate::Type(JsonType::Null), Value::Null), Ok(()));
    }

    #[test]
    fn long_values_are_cut_short_but_diffed() {
        let big: Vec<u32> = (0..500).collect();
        let mut other = big.clone();
        other[250] = 9999;
        let m = fails(&Predicate::Equals(ex(json!(big))), json!(other));
        assert!(m.contains("more bytes)"), "{m}");
        assert!(m.contains("\n-  250,\n+  9999,\n"), "{m}");
    }
}
