//! Running a template's nodes on a value, as client-go's JSONPath does.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

use super::{Filter, Node, Op, Slice, Step};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError(pub String);

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, EvalError>;

fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(EvalError(message.into()))
}

/// The results of each printing node in turn (texts, paths, and paths
/// inside ranges once per element).
pub fn groups<'a>(nodes: &'a [Node], input: &'a Value, allow_missing: bool) -> Result<Vec<Vec<&'a Value>>> {
    let mut out = Vec::new();
    for node in nodes {
        match node {
            Node::Text(t) => out.push(vec![t]),
            Node::Path(steps) => out.push(path(steps, vec![input], allow_missing)?),
            Node::Range(steps, body) => {
                for v in path(steps, vec![input], allow_missing)? {
                    out.extend(groups(body, v, allow_missing)?);
                }
            }
        }
    }
    Ok(out)
}

fn path<'a>(steps: &'a [Step], mut cur: Vec<&'a Value>, allow_missing: bool) -> Result<Vec<&'a Value>> {
    for step in steps {
        cur = apply(step, cur, allow_missing)?;
    }
    Ok(cur)
}

fn apply<'a>(step: &'a Step, input: Vec<&'a Value>, allow_missing: bool) -> Result<Vec<&'a Value>> {
    match step {
        Step::Field(name) if name.is_empty() => Ok(input),
        Step::Field(name) => {
            if input.is_empty() {
                return Ok(input);
            }
            let found: Vec<&Value> = input.iter().filter_map(|v| v.get(name.as_str())).collect();
            if found.is_empty() && !allow_missing {
                return fail(format!("{name} is not found"));
            }
            Ok(found)
        }
        Step::Wildcard => Ok(input.into_iter().flat_map(children).collect()),
        Step::Recursive => {
            let mut out = Vec::new();
            for v in input {
                descend(v, &mut out);
            }
            Ok(out)
        }
        Step::Slice(s) => {
            let mut out = Vec::new();
            for v in input {
                if v.is_null() {
                    continue;
                }
                let Some(list) = v.as_array() else {
                    return fail(format!("{} is not array or slice", type_name(v)));
                };
                match slice(s, list)? {
                    Some(items) => out.extend(items),
                    // Zero elements asked for: kubectl stops there.
                    None => return Ok(out),
                }
            }
            Ok(out)
        }
        Step::Union(paths) => {
            let mut out = Vec::new();
            for p in paths {
                out.extend(path(p, input.clone(), allow_missing)?);
            }
            Ok(out)
        }
        Step::Filter(f) => {
            let mut out = Vec::new();
            for v in input {
                let Some(list) = v.as_array() else {
                    return fail(format!(
                        "{} is not array or slice and cannot be filtered",
                        super::go_json(v)
                    ));
                };
                for item in list {
                    if passes(f, item, allow_missing)? {
                        out.push(item);
                    }
                }
            }
            Ok(out)
        }
        Step::Literal(v) => Ok(vec![v]),
    }
}

fn children(v: &Value) -> Vec<&Value> {
    match v {
        Value::Object(m) => m.values().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => Vec::new(),
    }
}

/// The value, when it has members or elements, then each of those in turn.
fn descend<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    let kids = children(v);
    if kids.is_empty() {
        return;
    }
    out.push(v);
    for k in kids {
        descend(k, out);
    }
}

fn slice<'a>(s: &Slice, list: &'a [Value]) -> Result<Option<Vec<&'a Value>>> {
    let len = list.len() as i64;
    let mut start = s.start.unwrap_or(0);
    if start < 0 {
        start += len;
    }
    let mut end = s.end.unwrap_or(len);
    if end < 0 || (end == 0 && s.derived) {
        end += len;
    }
    if start == end {
        return Ok(None);
    }
    if start >= len || start < 0 {
        return fail(format!("array index out of bounds: index {start}, length {len}"));
    }
    if end > len || end < 0 {
        return fail(format!(
            "array index out of bounds: index {}, length {len}",
            end - 1
        ));
    }
    if start > end {
        return fail(format!(
            "starting index {start} is greater than ending index {end}"
        ));
    }
    let step = match s.step {
        Some(n) if n <= 0 => return fail("step must be > 0"),
        Some(n) => n as usize,
        None => 1,
    };
    Ok(Some(
        list[start as usize..end as usize].iter().step_by(step).collect(),
    ))
}

fn passes(f: &Filter, item: &Value, allow_missing: bool) -> Result<bool> {
    let lefts = path(&f.left, vec![item], allow_missing)?;
    let Some((op, right)) = &f.op else {
        return Ok(!lefts.is_empty());
    };
    let left = match lefts.as_slice() {
        [] => return Ok(false),
        [one] => *one,
        _ => return fail("can only compare one element at a time"),
    };
    let rights = path(right, vec![item], allow_missing)?;
    let right = match rights.as_slice() {
        [] => return Ok(false),
        [one] => *one,
        _ => return fail("can only compare one element at a time"),
    };
    let ord = compare(left, right);
    Ok(match op {
        Op::Eq => ord == Some(Ordering::Equal),
        Op::Ne => ord != Some(Ordering::Equal),
        Op::Lt => ord == Some(Ordering::Less),
        Op::Gt => ord == Some(Ordering::Greater),
        Op::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        Op::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
    })
}

/// Values of the same kind compare; others do not.
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        _ => None,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Array(_) => "[]interface {}",
        Value::Null => "interface {}",
    }
}

/// A result as kubectl prints it: strings raw, objects and lists as
/// compact JSON, numbers and booleans as Go's `fmt` prints them.
pub fn to_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => super::go_json(v),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => go_float(n.as_f64().unwrap_or_default()),
        },
        Value::Bool(b) => b.to_string(),
        Value::Null => "<nil>".to_string(),
    }
}

/// Go's `%v` of a float64 (`strconv`'s shortest `%g`): the shortest
/// digits, with an exponent below 1e-4 and from 1e6 on (`1e+06`).
pub fn go_float(f: f64) -> String {
    if f == 0.0 || !f.is_finite() {
        return format!("{f}");
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.abs())
    } else {
        format!("{f}")
    }
}
