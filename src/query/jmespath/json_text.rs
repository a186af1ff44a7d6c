//! JSON text as Python writes it with `json.dumps(value, separators=(',',
//! ':'))`: what `to_string()` gives under `aws --query`. It differs from
//! serde_json's in two ways: every character outside printable ASCII is
//! escaped (`"é"` is `"\u00e9"`), and floats are written as Python's
//! `repr` writes them (`1e+16`, `1e-05`, `100.0`).

use std::fmt::Write;

use serde_json::Value;

pub fn compact(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64().filter(|_| !n.is_i64() && !n.is_u64()) {
            Some(f) => out.push_str(&python_float(f)),
            None => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, k);
                out.push(':');
                write_value(out, v);
            }
            out.push('}');
        }
    }
}

/// A string with `ensure_ascii`: printable ASCII as is, the rest escaped
/// (characters beyond the BMP as a surrogate pair, as Python does).
pub(in crate::query) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr` of a finite float: the shortest digits that read back
/// to the same float, in positional notation when the exponent is between
/// -5 and 15, else in scientific notation with a signed two-digit exponent.
fn python_float(f: f64) -> String {
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_string();
    }
    // Rust's `{:e}` also gives the shortest round-trip digits: `1.2345e-5`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let sign = if f < 0.0 { "-" } else { "" };
    // Where the decimal point goes, counted from the first digit.
    let point = exponent + 1;
    let body = if !(-3..=16).contains(&point) {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{first}{fraction}e{exp_sign}{:02}", exponent.abs())
    } else if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if (point as usize) < digits.len() {
        let (whole, fraction) = digits.split_at(point as usize);
        format!("{whole}.{fraction}")
    } else {
        format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn floats_as_python_writes_them() {
        for (f, expected) in [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1.5e-4, "0.00015"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (1.25e-7, "1.25e-07"),
            (123456.789, "123456.789"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e100, "1e+100"),
            (-2.5e-300, "-2.5e-300"),
            (7201.0, "7201.0"),
            (1.0 / 3.0, "0.3333333333333333"),
        ] {
            assert_eq!(python_float(f), expected, "{f}");
        }
    }

    #[test]
    fn strings_are_escaped_to_ascii() {
        let v = json!(["a\"b\\c", "tab\t nl\n", "\u{1}\u{7f}", "é€", "😀"]);
        assert_eq!(
            compact(&v),
            r#"["a\"b\\c","tab\t nl\n","\u0001\u007f","\u00e9\u20ac","\ud83d\ude00"]"#
        );
    }

    #[test]
    fn objects_keep_their_order_and_integers_their_kind() {
        let v: Value =
            serde_json::from_str(r#"{"z": 1, "a": [2.0, -3, 18446744073709551615], "m": {}}"#).unwrap();
        assert_eq!(compact(&v), r#"{"z":1,"a":[2.0,-3,18446744073709551615],"m":{}}"#);
    }
}
