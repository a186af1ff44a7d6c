//! Walks the tree over the input. Each node reads the value it is given
//! and gives one back; parts of the input are borrowed, never copied, until
//! the final result is turned into JSON.
//!
//! What a node does with a value of the wrong type follows Python's
//! `jmespath`: it gives null (a field of an array, an index into an object,
//! a projection over a string), and only functions raise type errors.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use super::ast::{Comparator, Expr, Node, Slice};
use super::functions;
use super::value::{self, Items, Type, Val};

/// The specification's runtime errors, and the two Python adds (comparing
/// a number with a string; a slice step of 0).
#[derive(Clone, Debug, PartialEq)]
pub enum RuntimeError {
    UnknownFunction(String),
    InvalidArity {
        function: &'static str,
        expected: usize,
        variadic: bool,
        got: usize,
    },
    InvalidType {
        function: &'static str,
        expected: String,
        got: Type,
    },
    /// `[::0]`.
    ZeroStep,
    NotComparable(Type, Type),
    /// An `&expr` where a JSON value is needed (the result, `to_string`).
    ExprefHasNoValue,
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuntimeError::UnknownFunction(name) => write!(f, "unknown function: {name}()"),
            RuntimeError::InvalidArity {
                function,
                expected,
                variadic,
                got,
            } => {
                let at_least = if *variadic { "at least " } else { "" };
                let s = if *expected == 1 { "" } else { "s" };
                write!(
                    f,
                    "invalid arity: {function}() takes {at_least}{expected} argument{s}, got {got}"
                )
            }
            RuntimeError::InvalidType {
                function,
                expected,
                got,
            } => write!(
                f,
                "invalid type in {function}(): expected {expected}, got {} {}",
                article(got.name()),
                got.name()
            ),
            RuntimeError::ZeroStep => write!(f, "invalid value: a slice step cannot be 0"),
            RuntimeError::NotComparable(a, b) => write!(
                f,
                "invalid type: cannot order {} {} and {} {}",
                article(a.name()),
                a.name(),
                article(b.name()),
                b.name()
            ),
            RuntimeError::ExprefHasNoValue => {
                write!(
                    f,
                    "invalid type: an expression reference (&...) has no JSON value"
                )
            }
        }
    }
}

pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// Evaluates `expr` over the whole input.
pub fn search(expr: &Expr, input: &Value) -> Result<Value, RuntimeError> {
    eval(expr, &Val::Json(input))?.into_value()
}

/// Evaluates `expr` over `input`. The result borrows from both: from the
/// input's parts, and from the expression's literals.
pub fn eval<'a>(expr: &'a Expr, input: &Val<'a>) -> Result<Val<'a>, RuntimeError> {
    super::with_stack(|| eval_node(expr, input))
}

fn eval_node<'a>(expr: &'a Expr, input: &Val<'a>) -> Result<Val<'a>, RuntimeError> {
    match &expr.node {
        Node::Identity => Ok(input.clone()),
        Node::Field(name) => Ok(input.field(name)),
        Node::Literal(value) => Ok(Val::Json(value)),
        Node::Subexpr(lhs, rhs) | Node::Pipe(lhs, rhs) | Node::IndexExpr(lhs, rhs) => {
            let left = eval(lhs, input)?;
            eval(rhs, &left)
        }
        Node::Index(i) => Ok(index(input, *i)),
        Node::Slice(s) => slice(input, s),
        Node::Projection(lhs, rhs) => {
            let base = eval(lhs, input)?;
            match base.items() {
                Some(items) => project(items, rhs),
                None => Ok(Val::Null),
            }
        }
        Node::ValueProjection(lhs, rhs) => {
            let base = eval(lhs, input)?;
            match base.into_members() {
                Some(members) => project_values(members, rhs),
                None => Ok(Val::Null),
            }
        }
        Node::FilterProjection { lhs, cond, rhs } => filter(eval(lhs, input)?, cond, rhs),
        Node::Flatten(inner) => Ok(flatten(eval(inner, input)?)),
        Node::Compare(op, lhs, rhs) => compare(*op, &eval(lhs, input)?, &eval(rhs, input)?),
        Node::And(lhs, rhs) => {
            let left = eval(lhs, input)?;
            if left.is_truthy() {
                eval(rhs, input)
            } else {
                Ok(left)
            }
        }
        Node::Or(lhs, rhs) => {
            let left = eval(lhs, input)?;
            if left.is_truthy() {
                Ok(left)
            } else {
                eval(rhs, input)
            }
        }
        Node::Not(inner) => Ok(Val::Bool(!eval(inner, input)?.is_truthy())),
        Node::MultiList(items) => multi_list(items, input),
        Node::MultiHash(pairs) => multi_hash(pairs, input),
        Node::Function(name, args) => {
            let args = args
                .iter()
                .map(|a| eval(a, input))
                .collect::<Result<Vec<_>, _>>()?;
            functions::call(name, args)
        }
        Node::Expref(body) => Ok(Val::Expref(body)),
    }
}

/// `rhs` over each element, nulls dropped.
fn project<'a>(items: Items<'_, 'a>, rhs: &'a Expr) -> Result<Val<'a>, RuntimeError> {
    let mut out = Vec::new();
    for item in items {
        let v = eval(rhs, &item)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(Val::Array(out))
}

fn project_values<'a>(members: Vec<(Cow<'a, str>, Val<'a>)>, rhs: &'a Expr) -> Result<Val<'a>, RuntimeError> {
    let mut out = Vec::new();
    for (_, member) in members {
        let v = eval(rhs, &member)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(Val::Array(out))
}

fn filter<'a>(base: Val<'a>, cond: &'a Expr, rhs: &'a Expr) -> Result<Val<'a>, RuntimeError> {
    let Some(items) = base.items() else {
        return Ok(Val::Null);
    };
    let mut out = Vec::new();
    for item in items {
        if !eval(cond, &item)?.is_truthy() {
            continue;
        }
        let v = eval(rhs, &item)?;
        if !v.is_null() {
            out.push(v);
        }
    }
    Ok(Val::Array(out))
}

/// Arrays inside the array spread into it, one level; null for a non-array.
fn flatten(base: Val<'_>) -> Val<'_> {
    let Some(items) = base.into_items() else {
        return Val::Null;
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if item.ty() == Type::Array {
            out.extend(item.into_items().unwrap_or_default());
        } else {
            out.push(item);
        }
    }
    Val::Array(out)
}

/// Python's indexing: negative from the end, null when out of range.
fn index<'a>(input: &Val<'a>, i: i64) -> Val<'a> {
    let Some(mut items) = input.items() else {
        return Val::Null;
    };
    let len = items.len();
    let at = if i < 0 {
        i128::from(i) + len as i128
    } else {
        i128::from(i)
    };
    usize::try_from(at)
        .ok()
        .and_then(|at| items.nth(at))
        .map_or(Val::Null, Cow::into_owned)
}

/// Python's `list[start:stop:step]`, bounds clamped to the array.
fn slice<'a>(input: &Val<'a>, s: &Slice) -> Result<Val<'a>, RuntimeError> {
    let Some(items) = input.items() else {
        return Ok(Val::Null);
    };
    let step = i128::from(s.step.unwrap_or(1));
    if step == 0 {
        return Err(RuntimeError::ZeroStep);
    }
    let items: Vec<Cow<'_, Val<'a>>> = items.collect();
    let len = items.len() as i128;
    // The first and last positions a walk in this direction may reach.
    let (lower, upper) = if step > 0 { (0, len) } else { (-1, len - 1) };
    let clamp = |bound: Option<i64>, default: i128| match bound.map(i128::from) {
        None => default,
        Some(b) if b < 0 => (b + len).max(lower),
        Some(b) => b.min(upper),
    };
    let start = clamp(s.start, if step > 0 { lower } else { upper });
    let stop = clamp(s.stop, if step > 0 { upper } else { lower });
    let mut out = Vec::new();
    let mut at = start;
    while (step > 0 && at < stop) || (step < 0 && at > stop) {
        out.push(items[at as usize].clone().into_owned());
        at += step;
    }
    Ok(Val::Array(out))
}

fn compare<'a>(op: Comparator, left: &Val<'a>, right: &Val<'a>) -> Result<Val<'a>, RuntimeError> {
    let result = match op {
        Comparator::Eq => value::equals(left, right),
        Comparator::Ne => !value::equals(left, right),
        _ if !value::is_ordered(left) || !value::is_ordered(right) => return Ok(Val::Null),
        Comparator::Lt => value::order(left, right)?.is_lt(),
        Comparator::Lte => value::order(left, right)?.is_le(),
        Comparator::Gt => value::order(left, right)?.is_gt(),
        Comparator::Gte => value::order(left, right)?.is_ge(),
    };
    Ok(Val::Bool(result))
}

/// `[a, b]`: null over null, as in Python.
fn multi_list<'a>(items: &'a [Expr], input: &Val<'a>) -> Result<Val<'a>, RuntimeError> {
    if input.is_null() {
        return Ok(Val::Null);
    }
    items
        .iter()
        .map(|e| eval(e, input))
        .collect::<Result<_, _>>()
        .map(Val::Array)
}

/// `{k: a}`: the keys in the order written (a repeated key keeps its first
/// place and its last value, as a Python dict does).
fn multi_hash<'a>(pairs: &'a [(String, Expr)], input: &Val<'a>) -> Result<Val<'a>, RuntimeError> {
    if input.is_null() {
        return Ok(Val::Null);
    }
    let mut members = Vec::with_capacity(pairs.len());
    for (key, e) in pairs {
        value::insert(&mut members, Cow::Borrowed(key.as_str()), eval(e, input)?);
    }
    Ok(Val::Object(members))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::jmespath::parser::parse;
    use serde_json::json;

    fn run(source: &str, input: Value) -> Result<Value, RuntimeError> {
        search(&parse(source).unwrap(), &input)
    }

    fn ok(source: &str, input: Value) -> Value {
        run(source, input).unwrap()
    }

    #[test]
    fn fields_indexes_and_wrong_types_give_null() {
        let doc = json!({"a": {"b": [10, 20, 30]}, "s": "text"});
        assert_eq!(ok("a.b[1]", doc.clone()), json!(20));
        assert_eq!(ok("a.b[-1]", doc.clone()), json!(30));
        assert_eq!(ok("a.b[3]", doc.clone()), json!(null));
        assert_eq!(ok("a.b[-4]", doc.clone()), json!(null));
        assert_eq!(ok("a.b.c", doc.clone()), json!(null));
        assert_eq!(ok("s[0]", doc.clone()), json!(null));
        assert_eq!(ok("s[*]", doc.clone()), json!(null));
        assert_eq!(ok("s.*", doc), json!(null));
    }

    #[test]
    fn slices_follow_python() {
        let doc = json!([0, 1, 2, 3, 4, 5]);
        for (source, expected) in [
            ("[1:3]", json!([1, 2])),
            ("[::-1]", json!([5, 4, 3, 2, 1, 0])),
            ("[::2]", json!([0, 2, 4])),
            ("[-2:]", json!([4, 5])),
            ("[:-4:-1]", json!([5, 4, 3])),
            ("[10:]", json!([])),
            ("[-10:2]", json!([0, 1])),
            ("[4:1:-2]", json!([4, 2])),
            // A slice projects: `[1]` of each element (a number) is null.
            ("[1:4][1]", json!([])),
            ("[1:4] | [1]", json!(2)),
        ] {
            assert_eq!(ok(source, doc.clone()), expected, "{source}");
        }
        assert_eq!(run("[::0]", doc), Err(RuntimeError::ZeroStep));
        assert_eq!(ok("[1:]", json!("text")), json!(null));
    }

    #[test]
    fn projections_drop_nulls_and_keep_order() {
        let doc = json!({"a": [{"b": 1}, {"c": 2}, {"b": 3}], "o": {"z": {"b": 1}, "a": {"b": 2}}});
        assert_eq!(ok("a[*].b", doc.clone()), json!([1, 3]));
        assert_eq!(ok("o.*.b", doc.clone()), json!([1, 2]));
        assert_eq!(ok("a[?b > `1`].b", doc.clone()), json!([3]));
        assert_eq!(ok("a[*].b | [0]", doc), json!(1));
    }

    #[test]
    fn flatten_merges_one_level() {
        // The flatten projects what follows it, which drops the nulls.
        let doc = json!([[1, 2], 3, [[4]], null]);
        assert_eq!(ok("[]", doc.clone()), json!([1, 2, 3, [4]]));
        assert_eq!(ok("[][]", doc), json!([1, 2, 3, 4]));
    }

    #[test]
    fn multi_select_hashes_keep_the_written_order() {
        let out = ok("{z: a, a: b, m: a}", json!({"a": 1, "b": 2}));
        assert_eq!(out.to_string(), r#"{"z":1,"a":2,"m":1}"#);
        assert_eq!(ok("{k: a, k: b}", json!({"a": 1, "b": 2})), json!({"k": 2}));
        assert_eq!(ok("{a: a}", json!(null)), json!(null));
        assert_eq!(ok("[a]", json!(null)), json!(null));
    }

    #[test]
    fn comparisons_order_numbers_and_strings_only() {
        let doc = json!({"i": 1, "f": 1.0, "s": "a", "t": true});
        assert_eq!(ok("i == f", doc.clone()), json!(true));
        assert_eq!(ok("i == `true`", doc.clone()), json!(false));
        assert_eq!(ok("s < 'b'", doc.clone()), json!(true));
        assert_eq!(ok("t < `1`", doc.clone()), json!(null));
        assert_eq!(ok("`[1]` == `[true]`", doc.clone()), json!(true));
        assert!(matches!(run("s < i", doc), Err(RuntimeError::NotComparable(..))));
    }

    #[test]
    fn logic_returns_operands() {
        let doc = json!({"a": "", "b": "x", "n": 0});
        assert_eq!(ok("a || b", doc.clone()), json!("x"));
        assert_eq!(ok("a && b", doc.clone()), json!(""));
        assert_eq!(ok("!a", doc.clone()), json!(true));
        assert_eq!(ok("!n", doc.clone()), json!(false));
        assert_eq!(ok("!(a || b)", doc), json!(false));
    }

    #[test]
    fn the_deepest_expressions_the_parser_accepts_evaluate_on_a_small_stack() {
        use crate::query::jmespath::parser::MAX_DEPTH;
        let depth = MAX_DEPTH as usize;
        let mut nested = json!("leaf");
        for _ in 0..100 {
            nested = json!({"a": nested});
        }
        let sources = [
            "!".repeat(depth - 1) + "a",
            vec!["a"; depth].join("."),
            "(".repeat(depth - 1) + "a" + &")".repeat(depth - 1),
            "[".repeat(depth - 1) + "a" + &"]".repeat(depth - 1),
            "length(".repeat(depth - 1) + "a" + &")".repeat(depth - 1),
            "a".to_string() + &"[*]".repeat(depth - 1),
            vec!["a"; depth / 2].join(" || "),
            "map(&".repeat(depth / 3) + "a" + &", @)".repeat(depth / 3),
        ];
        // The stack of a tokio worker thread.
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                for source in sources {
                    let expr = parse(&source).unwrap_or_else(|e| panic!("{}: {e:?}", &source[..20]));
                    // Errors (`length` of an object) are fine: only the stack matters.
                    let _ = search(&expr, &nested);
                }
            })
            .unwrap();
        handle.join().expect("no stack overflow");
    }

    #[test]
    fn a_bare_expref_has_no_json_value() {
        assert_eq!(run("&a", json!({})), Err(RuntimeError::ExprefHasNoValue));
    }
}
