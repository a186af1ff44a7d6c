//! JSON in a canonical form. serde_json keeps every object's members in the
//! order they were read or inserted (the order a service sent them in,
//! which `aws --query` shows), so text meant to compare equal whatever that
//! order sorts the keys itself.

use serde_json::Value;

/// Compact JSON with every object's keys sorted by their bytes (as Go's
/// `encoding/json`, hence kubectl, writes them).
pub fn sorted_compact(value: &Value) -> String {
    let mut out = String::new();
    write_sorted(&mut out, value);
    out
}

fn write_sorted(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_sorted(out, v);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sorted(out, item);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// A copy with every object's keys sorted, to print two values so that a
/// line diff of them shows what differs rather than the order.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(members.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_sorted_at_every_level_and_arrays_keep_their_order() {
        let v: Value =
            serde_json::from_str(r#"{"b": {"z": 1, "a": [3, {"y": "\"", "x": null}]}, "a": true}"#).unwrap();
        assert_eq!(
            sorted_compact(&v),
            r#"{"a":true,"b":{"a":[3,{"x":null,"y":"\""}],"z":1}}"#
        );
        assert_eq!(sorted_compact(&sorted(&v)), sorted_compact(&v));
        assert_eq!(serde_json::to_string(&sorted(&v)).unwrap(), sorted_compact(&v));
    }

    #[test]
    fn keys_sort_by_bytes() {
        let v: Value = serde_json::from_str(r#"{"b": 1, "B": 2, "é": 3, "a": 4}"#).unwrap();
        assert_eq!(sorted_compact(&v), r#"{"B":2,"a":4,"b":1,"é":3}"#);
    }
}
