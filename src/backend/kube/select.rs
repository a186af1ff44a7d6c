//! Label selectors and dotted field paths evaluated on the client.
//!
//! The API server filters lists and watches by label and field selector;
//! the results are filtered here again, which changes nothing against a
//! real server and keeps the verbs right against servers that ignore
//! selectors (a scripted test server may).

use serde_json::Value;

/// One requirement of a label selector.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Req {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed label selector (`app=carts,tier!=db,env in (a,b),!legacy`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelSelector(Vec<Req>);

impl LabelSelector {
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut reqs = Vec::new();
        for part in split_top(s) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let req = if let Some(k) = part.strip_prefix('!') {
                Req::NotExists(k.trim().to_string())
            } else if let Some((k, v)) = part.split_once("!=") {
                Req::NotEq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==") {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once('=') {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, vs)) = set_op(part, " notin ") {
                Req::NotIn(k, vs)
            } else if let Some((k, vs)) = set_op(part, " in ") {
                Req::In(k, vs)
            } else if part.chars().all(|c| c.is_alphanumeric() || "-_./".contains(c)) {
                Req::Exists(part.to_string())
            } else {
                return Err(format!("unable to parse requirement: {part:?}"));
            };
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    /// From a workload's `spec.selector` (`matchLabels`, `matchExpressions`)
    /// or a Service's plain map.
    pub fn from_spec(selector: &Value) -> LabelSelector {
        let mut reqs = Vec::new();
        let labels = selector
            .get("matchLabels")
            .or_else(|| (selector.get("matchExpressions").is_none()).then_some(selector));
        if let Some(Value::Object(m)) = labels {
            for (k, v) in m {
                reqs.push(Req::Eq(k.clone(), v.as_str().unwrap_or_default().to_string()));
            }
        }
        for e in selector
            .get("matchExpressions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = e
                .get("key")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let values: Vec<String> = e
                .get("values")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            match e.get("operator").and_then(Value::as_str) {
                Some("In") => reqs.push(Req::In(key, values)),
                Some("NotIn") => reqs.push(Req::NotIn(key, values)),
                Some("Exists") => reqs.push(Req::Exists(key)),
                Some("DoesNotExist") => reqs.push(Req::NotExists(key)),
                _ => {}
            }
        }
        LabelSelector(reqs)
    }

    /// The selector as a query string for the API server.
    pub fn to_query(&self) -> String {
        self.0
            .iter()
            .map(|r| match r {
                Req::Eq(k, v) => format!("{k}={v}"),
                Req::NotEq(k, v) => format!("{k}!={v}"),
                Req::In(k, vs) => format!("{k} in ({})", vs.join(",")),
                Req::NotIn(k, vs) => format!("{k} notin ({})", vs.join(",")),
                Req::Exists(k) => k.clone(),
                Req::NotExists(k) => format!("!{k}"),
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn matches(&self, obj: &Value) -> bool {
        let labels = obj.pointer("/metadata/labels");
        let get = |k: &str| labels.and_then(|l| l.get(k)).and_then(Value::as_str);
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => get(k) == Some(v.as_str()),
            Req::NotEq(k, v) => get(k) != Some(v.as_str()),
            Req::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Req::NotIn(k, vs) => get(k).is_none_or(|x| vs.iter().all(|v| v != x)),
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
        })
    }
}

/// Splits at commas outside parentheses.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn set_op(part: &str, op: &str) -> Option<(String, Vec<String>)> {
    let (k, rest) = part.split_once(op)?;
    let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
    Some((
        k.trim().to_string(),
        inner
            .split(',')
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect(),
    ))
}

/// A value at a kubectl-style dotted path: `.status.phase`,
/// `{.metadata.name}`, `.status.conditions[0].type`.
pub fn at_path<'a>(obj: &'a Value, path: &str) -> Option<&'a Value> {
    let path = path.trim().trim_start_matches('{').trim_end_matches('}');
    let mut cur = obj;
    for seg in path.trim_start_matches('.').split('.').filter(|s| !s.is_empty()) {
        let (field, indexes) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !field.is_empty() {
            cur = cur.get(field)?;
        }
        for idx in indexes.split('[').filter(|s| !s.is_empty()) {
            let n: usize = idx.trim_end_matches(']').parse().ok()?;
            cur = cur.get(n)?;
        }
    }
    Some(cur)
}

/// A value as kubectl's JSONPath prints it (strings bare).
pub fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn selectors() {
        let pod = json!({"metadata": {"labels": {"app": "carts", "tier": "web"}}});
        for (s, want) in [
            ("app=carts", true),
            ("app==carts,tier=web", true),
            ("app=ui", false),
            ("app!=ui", true),
            ("tier in (web, db)", true),
            ("tier notin (web)", false),
            ("legacy", false),
            ("!legacy,app", true),
            ("", true),
        ] {
            assert_eq!(LabelSelector::parse(s).unwrap().matches(&pod), want, "{s}");
        }
        let spec = json!({"matchLabels": {"app": "carts"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web"]}]});
        let sel = LabelSelector::from_spec(&spec);
        assert!(sel.matches(&pod));
        assert_eq!(sel.to_query(), "app=carts,tier in (web)");
        assert_eq!(
            LabelSelector::from_spec(&json!({"app": "carts"})).to_query(),
            "app=carts"
        );
    }

    #[test]
    fn paths() {
        let o = json!({"status": {"phase": "Running", "conditions": [{"type": "Ready"}]}});
        assert_eq!(at_path(&o, "{.status.phase}"), Some(&json!("Running")));
        assert_eq!(at_path(&o, ".status.conditions[0].type"), Some(&json!("Ready")));
        assert_eq!(at_path(&o, ".status.nope"), None);
        assert_eq!(display(&json!(3)), "3");
    }
}
