//! kubectl's generic describer, for kinds without a describer of their own
//! (custom resources): name, namespace, labels, annotations, then every
//! other field of the object, nested maps indented, field names made
//! labels (`apiVersion` → `API Version`), then the events.

use serde_json::{Map, Value};

use super::events::describe_events;
use super::text::{Text, annotations, labels, str_at};

/// The fields kubectl leaves out (printed above, or hidden).
const SKIPPED: &[&str] = &[
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
];

pub fn generic(obj: &Value, events: Option<&[Value]>, now: i64) -> String {
    let mut t = Text::default();
    t.write(0, &format!("Name:\t{}\n", str_at(obj, "/metadata/name")));
    t.write(
        0,
        &format!("Namespace:\t{}\n", str_at(obj, "/metadata/namespace")),
    );
    labels(&mut t, "Labels", obj);
    annotations(&mut t, "Annotations", obj);
    if let Some(content) = obj.as_object() {
        content_lines(&mut t, 0, content, "");
    }
    if let Some(events) = events {
        describe_events(&mut t, events, now);
    }
    t.finish()
}

fn content_lines(t: &mut Text, level: usize, content: &Map<String, Value>, prefix: &str) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if SKIPPED.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            Value::Object(m) => {
                t.write(level, &format!("{}:\n", smart_label(field)));
                content_lines(t, level + 1, m, &path);
            }
            Value::Array(items) => {
                t.write(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(m) => content_lines(t, level + 1, m, &path),
                        other => t.write(level + 1, &format!("{}\n", go_value(other))),
                    }
                }
            }
            other => t.write(level, &format!("{}:\t{}\n", smart_label(field), go_value(other))),
        }
    }
}

/// A value as Go's `%v` prints what JSON decoded into: `<nil>`, `[a b]`,
/// `map[k:v]`.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!("[{}]", items.iter().map(go_value).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut pairs: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{}", go_value(v))).collect();
            pairs.sort();
            format!("map[{}]", pairs.join(" "))
        }
        other => other.to_string(),
    }
}

/// A field name as a label, as kubectl makes it: split where the kind of
/// character changes (`parentRefs` → `parent`, `Refs`; `HTTPRoute` →
/// `HTTP`, `Route`), each part capitalised, common acronyms in capitals;
/// a name with characters other than letters and `-` stays as it is.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camel_parts(field)
        .iter()
        .filter(|p| p.as_str() != "_")
        .map(|p| {
            let upper = p.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                title(p)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Go's `strings.Title`: the first letter of each word in capitals.
fn title(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric() && c != '_' && c != '\'';
    }
    out
}

/// fatih/camelcase's split: runs of lower case, upper case, digits and
/// other characters; an upper-case run followed by lower case gives its
/// last letter to the lower-case word.
fn camel_parts(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            0
        } else if c.is_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            3
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = None;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if last == Some(k) => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = Some(k);
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[i].first().is_some_and(|c| c.is_uppercase())
            && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower && let Some(c) = runs[i].pop() {
            runs[i + 1].insert(0, c);
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn field_names_become_labels_as_kubectl_makes_them() {
        for (field, label) in [
            ("apiVersion", "API Version"),
            ("creationTimestamp", "Creation Timestamp"),
            ("uid", "UID"),
            ("parentRefs", "Parent Refs"),
            ("HTTPRoute", "HTTP Route"),
            ("gatewayClassName", "Gateway Class Name"),
            ("v1beta1", "v1beta1"),
            ("a.b", "a.b"),
        ] {
            assert_eq!(smart_label(field), label, "{field}");
        }
        assert_eq!(go_value(&json!([1, "a", null])), "[1 a <nil>]");
    }
}
