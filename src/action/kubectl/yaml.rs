//! `-o yaml` as kubectl prints it: its JSON turned into YAML by
//! sigs.k8s.io/yaml, that is go-yaml v2's emitter: keys in go-yaml's
//! order (digit runs compared as numbers), lists not indented under their
//! key, strings plain when they read back as strings, double-quoted when
//! they would read as something else (`"true"`, `"2024-01-12T22:41:01Z"`),
//! single-quoted when a plain scalar cannot hold them (`'*'`), literal
//! blocks (`|`) for text with line breaks, and long lines folded at
//! spaces after column 80.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// go-yaml's best width: plain and quoted scalars break at a space past it.
const WIDTH: usize = 80;

pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => mapping(m, 0, &mut out),
        Value::Array(a) if !a.is_empty() => sequence(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other, 0, 0));
            out.push('\n');
        }
    }
    out
}

/// go-yaml v2's key order.
fn key_order(a: &str, b: &str) -> Ordering {
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.saturating_mul(10).saturating_add(ar[ai] as i64 - '0' as i64);
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.saturating_mul(10).saturating_add(br[bi] as i64 - '0' as i64);
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

fn indent(n: usize, out: &mut String) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(m: &Map<String, Value>, at: usize, out: &mut String) {
    let mut keys: Vec<&String> = m.keys().collect();
    keys.sort_by(|a, b| key_order(a, b));
    for (i, k) in keys.into_iter().enumerate() {
        // The first key of a mapping inside a list sits after its `- `.
        if i > 0 || !out.ends_with("- ") {
            indent(at, out);
        }
        let key = scalar(&Value::String(k.clone()), at, usize::MAX);
        out.push_str(&key);
        out.push(':');
        value(&m[k], at, at + key.chars().count() + 2, out);
    }
}

fn sequence(a: &[Value], at: usize, out: &mut String) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            indent(at, out);
        }
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => mapping(m, at + 2, out),
            Value::Array(inner) if !inner.is_empty() => sequence(inner, at + 2, out),
            other => {
                out.push_str(&scalar(other, at + 2, at + 2));
                out.push('\n');
            }
        }
    }
}

/// A mapping's value after `key:`; `column` is where it would start.
fn value(v: &Value, at: usize, column: usize, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            mapping(m, at + 2, out);
        }
        // go-yaml writes a mapping's list at the key's own indentation.
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            sequence(a, at, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other, at + 2, column));
            out.push('\n');
        }
    }
}

/// A scalar; `at` is the indentation of its continuation lines, `column`
/// where it starts (`usize::MAX`: a key, never folded).
fn scalar(v: &Value, at: usize, column: usize) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => go_float(n.as_f64().unwrap_or_default()),
        },
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(s) => string(s, at, column),
    }
}

/// strconv's `FormatFloat(f, 'g', -1, 64)`, as go-yaml writes floats.
fn go_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+.inf".into() } else { "-.inf".into() };
    }
    crate::query::jsonpath::to_text(&Value::from(f))
}

fn string(s: &str, at: usize, column: usize) -> String {
    let fold = column != usize::MAX;
    if s.contains('\n') && fold && literal_allowed(s) {
        return literal(s, at);
    }
    if !reads_as_string(s) || s.contains('\n') {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        return if fold {
            folded(s, at, column)
        } else {
            s.to_string()
        };
    }
    let quoted = format!("'{}'", s.replace('\'', "''"));
    if fold { folded(&quoted, at, column) } else { quoted }
}

/// Whether go-yaml would read the text back as a string (else it quotes it).
fn reads_as_string(s: &str) -> bool {
    const OTHER: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
        "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", "<<",
    ];
    if OTHER.contains(&s) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return true;
    }
    let plain = s.replace('_', "");
    let number = |t: &str| {
        let t = t.strip_prefix(['+', '-']).unwrap_or(t);
        !t.is_empty()
            && (t.parse::<f64>().is_ok() && !t.contains(['i', 'I', 'n', 'N'])
                || t.strip_prefix("0x")
                    .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
                || t.strip_prefix("0b")
                    .is_some_and(|b| !b.is_empty() && b.chars().all(|c| c == '0' || c == '1')))
    };
    if number(&plain) || is_base60(&plain) {
        return false;
    }
    !is_timestamp(s)
}

/// `1:20`, `190:20:30.15`: YAML 1.1's sexagesimal numbers.
fn is_base60(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let mut parts = t.split(':');
    let Some(first) = parts.next() else { return false };
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && !first.is_empty()
        && first.chars().all(|c| c.is_ascii_digit())
        && rest.iter().enumerate().all(|(i, p)| {
            let (whole, frac) = p.split_once('.').unwrap_or((p, ""));
            (i + 1 == rest.len() || frac.is_empty())
                && (1..=2).contains(&whole.len())
                && whole.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        })
}

/// `2006-01-02`, `2006-01-02T15:04:05Z`, and the other forms go-yaml reads as times.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    if !(b.len() >= 10 && digits(0..4) && b[4] == b'-') {
        return false;
    }
    // go-yaml tries these layouts with time.Parse.
    let re = regex::Regex::new(
        r"^\d{4}-\d{1,2}-\d{1,2}(([Tt]|\s+)\d{1,2}:\d{2}:\d{2}(\.\d+)?(\s*(Z|[-+]\d{1,2}(:\d{2})?))?)?$",
    )
    .expect("a regex");
    re.is_match(s)
}

fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-x`, `?x`, `:x` may start a plain scalar when not followed by a space.
        let second = s.chars().nth(1);
        if !(matches!(first, '-' | '?' | ':') && second.is_some_and(|c| c != ' ')) {
            return false;
        }
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.ends_with(':') || s.contains(": ") || s.contains(" #") || s.contains(['\t', '\r']) {
        return false;
    }
    s.chars().all(|c| !c.is_control() && c != '\u{feff}')
}

/// A literal block needs no spaces around its line breaks and printable text.
fn literal_allowed(s: &str) -> bool {
    !s.contains(" \n")
        && !s.contains("\n ")
        && !s.starts_with(' ')
        && !s.contains(['\t', '\r'])
        && s.chars().all(|c| c == '\n' || !c.is_control())
}

fn literal(s: &str, at: usize) -> String {
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let mut out = format!("|{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        out.push('\n');
        if !line.is_empty() {
            indent(at, &mut out);
            out.push_str(line);
        }
    }
    out
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Breaks at a single space once past the best width, as go-yaml's
/// emitter does for plain and single-quoted scalars.
fn folded(s: &str, at: usize, column: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut col = column;
    let mut spaces = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next_space = chars.get(i + 1) == Some(&' ');
            if !spaces && col > WIDTH && !next_space && i != 0 && i + 1 != chars.len() {
                out.push('\n');
                indent(at, &mut out);
                col = at;
            } else {
                out.push(c);
                col += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            col += 1;
            spaces = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn as_go_yaml_writes_it() {
        let v = json!({
            "b": [{"x": 1, "y": "true"}, "2024-01-12T22:41:01Z"],
            "a": {"empty": {}, "none": [], "n": null, "s": "*", "t": "line\n"},
            "a10": 1, "a9": 2
        });
        assert_eq!(
            to_string(&v),
            "a:\n  empty: {}\n  \"n\": null\n  none: []\n  s: '*'\n  t: |\n    line\na9: 2\na10: 1\nb:\n- x: 1\n  \"y\": \"true\"\n- \"2024-01-12T22:41:01Z\"\n"
        );
    }

    #[test]
    fn long_text_folds_past_column_80() {
        let long = "word ".repeat(30);
        let v = json!({"message": long.trim_end()});
        let text = to_string(&v);
        let first = text.lines().next().unwrap();
        assert!(first.len() > 80 && first.len() < 90, "{text}");
        assert!(text.lines().nth(1).unwrap().starts_with("  word"), "{text}");
    }
}
