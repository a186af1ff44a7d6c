//! SDK outputs → the JSON the AWS CLI v2 prints.
//!
//! The SDK's types do not implement `Serialize`, and the CLI's shape differs
//! from a derived one anyway: wire member names (`addonName` for EKS,
//! `RoleName` for IAM), absent members left out, timestamps in Python's
//! `isoformat`, IAM policy documents decoded into objects. Each structure
//! lists its members in the API's order with the field that holds each.

use std::collections::HashMap;

use aws_smithy_types::DateTime;
use aws_smithy_types::date_time::Format;
use serde_json::{Map, Value};

/// A value as the CLI prints it; `None` for an absent member.
pub trait ToCli {
    fn to_cli(&self) -> Option<Value>;
}

impl ToCli for String {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::String(self.clone()))
    }
}

impl ToCli for bool {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::Bool(*self))
    }
}

impl ToCli for i32 {
    fn to_cli(&self) -> Option<Value> {
        Some((*self).into())
    }
}

impl ToCli for i64 {
    fn to_cli(&self) -> Option<Value> {
        Some((*self).into())
    }
}

impl ToCli for f64 {
    fn to_cli(&self) -> Option<Value> {
        serde_json::Number::from_f64(*self).map(Value::Number)
    }
}

impl ToCli for DateTime {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::String(isoformat(self)))
    }
}

impl<T: ToCli> ToCli for Option<T> {
    fn to_cli(&self) -> Option<Value> {
        self.as_ref().and_then(ToCli::to_cli)
    }
}

impl<T: ToCli> ToCli for Vec<T> {
    fn to_cli(&self) -> Option<Value> {
        Some(Value::Array(self.iter().filter_map(ToCli::to_cli).collect()))
    }
}

impl<T: ToCli> ToCli for HashMap<String, T> {
    fn to_cli(&self) -> Option<Value> {
        let map: Map<String, Value> = self
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.to_cli()?)))
            .collect();
        Some(Value::Object(map))
    }
}

/// A timestamp as the CLI v2 prints it: Python's `datetime.isoformat()` in
/// UTC, microseconds only when there are some:
/// `2024-01-12T22:41:01.414000+00:00`, `2024-01-12T22:41:01+00:00`.
pub fn isoformat(t: &DateTime) -> String {
    // Round to microseconds, half to even, as Python does.
    let nanos = t.subsec_nanos();
    let mut micros = nanos / 1000;
    let rest = nanos % 1000;
    if rest > 500 || (rest == 500 && micros % 2 == 1) {
        micros += 1;
    }
    let mut secs = t.secs();
    if micros == 1_000_000 {
        micros = 0;
        secs += 1;
    }
    let whole = DateTime::from_secs(secs)
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| secs.to_string());
    let whole = whole.trim_end_matches('Z');
    if micros == 0 {
        format!("{whole}+00:00")
    } else {
        format!("{whole}.{micros:06}+00:00")
    }
}

/// An IAM policy document: URL-encoded JSON on the wire, an object in the
/// CLI's output (left as it is when it does not decode).
pub fn policy_document(doc: &Option<String>) -> Option<Value> {
    let doc = doc.as_ref()?;
    let decoded = percent_encoding::percent_decode_str(doc).decode_utf8_lossy();
    Some(serde_json::from_str(&decoded).unwrap_or_else(|_| Value::String(doc.clone())))
}

/// `ToCli` for a structure: `"memberName" => field`, or
/// `"memberName" => field | converter` for a member printed specially.
macro_rules! cli_struct {
    ($($ty:ty { $($name:literal => $field:ident $(| $conv:path)?),* $(,)? })*) => {
        $(impl $crate::action::aws::convert::ToCli for $ty {
            #[allow(deprecated)] // members the API keeps but deprecates
            fn to_cli(&self) -> Option<serde_json::Value> {
                #[allow(unused_mut)]
                let mut map = serde_json::Map::new();
                $(
                    if let Some(v) = cli_struct!(@get self.$field $(, $conv)?) {
                        map.insert($name.to_string(), v);
                    }
                )*
                Some(serde_json::Value::Object(map))
            }
        })*
    };
    (@get $e:expr) => { $crate::action::aws::convert::ToCli::to_cli(&$e) };
    (@get $e:expr, $conv:path) => { $conv(&$e) };
}

/// `ToCli` for SDK enums: their wire string.
macro_rules! cli_enum {
    ($($ty:ty),* $(,)?) => {
        $(impl $crate::action::aws::convert::ToCli for $ty {
            fn to_cli(&self) -> Option<serde_json::Value> {
                Some(serde_json::Value::String(self.as_str().to_string()))
            }
        })*
    };
}

pub(crate) use {cli_enum, cli_struct};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_like_python_isoformat() {
        let t = DateTime::from_secs_and_nanos(1705099261, 414_000_000);
        assert_eq!(isoformat(&t), "2024-01-12T22:41:01.414000+00:00");
        let t = DateTime::from_secs(1705099261);
        assert_eq!(isoformat(&t), "2024-01-12T22:41:01+00:00");
        let t = DateTime::from_secs_and_nanos(1705099261, 777_899_000);
        assert_eq!(isoformat(&t), "2024-01-12T22:41:01.777899+00:00");
        let t = DateTime::from_secs_and_nanos(1705099261, 999_999_600);
        assert_eq!(isoformat(&t), "2024-01-12T22:41:02+00:00");
        let t = DateTime::from_secs_and_nanos(1705099261, 119_999_999);
        assert_eq!(isoformat(&t), "2024-01-12T22:41:01.120000+00:00");
    }

    #[test]
    fn policy_documents_are_decoded() {
        let doc = Some("%7B%22Version%22%3A%20%222012-10-17%22%7D".to_string());
        assert_eq!(
            policy_document(&doc),
            Some(serde_json::json!({"Version": "2012-10-17"}))
        );
        let plain = Some("{\"a\": [1]}".to_string());
        assert_eq!(policy_document(&plain), Some(serde_json::json!({"a": [1]})));
        let bad = Some("not%20json".to_string());
        assert_eq!(policy_document(&bad), Some(serde_json::json!("not%20json")));
        assert_eq!(policy_document(&None), None);
    }

    struct Inner {
        a: Option<String>,
        b: Vec<i32>,
    }
    struct Outer {
        inner: Option<Inner>,
        when: Option<DateTime>,
        flag: bool,
        tags: Option<HashMap<String, String>>,
    }
    cli_struct! {
        Inner { "a" => a, "b" => b }
        Outer { "inner" => inner, "when" => when, "flag" => flag, "tags" => tags }
    }

    #[test]
    fn structures_leave_absent_members_out() {
        let o = Outer {
            inner: Some(Inner { a: None, b: vec![] }),
            when: None,
            flag: false,
            tags: Some(HashMap::new()),
        };
        assert_eq!(
            o.to_cli(),
            Some(serde_json::json!({"inner": {"b": []}, "flag": false, "tags": {}}))
        );
    }
}
