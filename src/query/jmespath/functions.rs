//! The 26 built-in functions, each with its signature, checked before it
//! runs as Python's `jmespath` checks it: the arity, then each argument's
//! type (for an array of numbers or of strings, every element's too).
//!
//! Results keep Python's number kinds: `abs`, `sum`, `max` and `min` of
//! integers are integers, `ceil` and `floor` give integers, `avg` a float.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::ast::Expr;
use super::interpreter::{RuntimeError, article, eval};
use super::json_text;
use super::value::{self, Num, Type, Val};

/// What one argument may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Any,
    Number,
    String,
    Array,
    Object,
    Expref,
    ArrayOfNumbers,
    ArrayOfStrings,
}

type Run = for<'a> fn(Vec<Val<'a>>) -> Result<Val<'a>, RuntimeError>;

struct Function {
    name: &'static str,
    /// Each parameter's accepted kinds (any one of them).
    params: &'static [&'static [Kind]],
    /// The last parameter repeats (and may not be left out).
    variadic: bool,
    run: Run,
}

use Kind::{Any, Array, ArrayOfNumbers, ArrayOfStrings, Expref, Number, Object};

const FUNCTIONS: &[Function] = &[
    f("abs", &[&[Number]], false, abs),
    f("avg", &[&[ArrayOfNumbers]], false, avg),
    f("ceil", &[&[Number]], false, ceil),
    f("contains", &[&[Array, Kind::String], &[Any]], false, contains),
    f("ends_with", &[&[Kind::String], &[Kind::String]], false, ends_with),
    f("floor", &[&[Number]], false, floor),
    f("join", &[&[Kind::String], &[ArrayOfStrings]], false, join),
    f("keys", &[&[Object]], false, keys),
    f("length", &[&[Kind::String, Array, Object]], false, length),
    f("map", &[&[Expref], &[Array]], false, map),
    f("max", &[&[ArrayOfNumbers, ArrayOfStrings]], false, max),
    f("max_by", &[&[Array], &[Expref]], false, max_by),
    f("merge", &[&[Object]], true, merge),
    f("min", &[&[ArrayOfNumbers, ArrayOfStrings]], false, min),
    f("min_by", &[&[Array], &[Expref]], false, min_by),
    f("not_null", &[&[Any]], true, not_null),
    f("reverse", &[&[Array, Kind::String]], false, reverse),
    f("sort", &[&[ArrayOfStrings, ArrayOfNumbers]], false, sort),
    f("sort_by", &[&[Array], &[Expref]], false, sort_by),
    f(
        "starts_with",
        &[&[Kind::String], &[Kind::String]],
        false,
        starts_with,
    ),
    f("sum", &[&[ArrayOfNumbers]], false, sum),
    f("to_array", &[&[Any]], false, to_array),
    f("to_number", &[&[Any]], false, to_number),
    f("to_string", &[&[Any]], false, to_string),
    f("type", &[&[Any]], false, type_of),
    f("values", &[&[Object]], false, values),
];

const fn f(name: &'static str, params: &'static [&'static [Kind]], variadic: bool, run: Run) -> Function {
    Function {
        name,
        params,
        variadic,
        run,
    }
}

fn find(name: &str) -> Result<&'static Function, RuntimeError> {
    FUNCTIONS
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| RuntimeError::UnknownFunction(name.to_string()))
}

/// Whether `name` is a function that takes `args` arguments. The parser
/// asks, so that a misspelt name or a missing argument is found when the
/// workflow is validated (Python's `jmespath` finds them when the call is
/// evaluated).
pub fn check_call(name: &str, args: usize) -> Result<(), RuntimeError> {
    check_arity(find(name)?, args)
}

/// The function whose name is closest to `name`, if one is close enough to
/// be a likely typo.
pub fn closest(name: &str) -> Option<&'static str> {
    let mut best: Option<(f64, &'static str)> = None;
    for function in FUNCTIONS {
        let score = strsim::jaro_winkler(&name.to_lowercase(), function.name);
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, function.name));
        }
    }
    best.map(|(_, name)| name)
}

/// Runs the function `name` on its evaluated arguments.
pub fn call<'a>(name: &str, args: Vec<Val<'a>>) -> Result<Val<'a>, RuntimeError> {
    let function = find(name)?;
    check_arity(function, args.len())?;
    for (i, arg) in args.iter().enumerate() {
        // A variadic function's extra arguments take its last parameter.
        let kinds = function.params[i.min(function.params.len() - 1)];
        check_type(function.name, kinds, arg)?;
    }
    (function.run)(args)
}

fn check_arity(function: &Function, got: usize) -> Result<(), RuntimeError> {
    let expected = function.params.len();
    let fits = if function.variadic {
        got >= expected
    } else {
        got == expected
    };
    if fits {
        return Ok(());
    }
    Err(RuntimeError::InvalidArity {
        function: function.name,
        expected,
        variadic: function.variadic,
        got,
    })
}

fn check_type(function: &'static str, kinds: &[Kind], arg: &Val) -> Result<(), RuntimeError> {
    if kinds.contains(&Any) {
        return Ok(());
    }
    let invalid = |got| RuntimeError::InvalidType {
        function,
        expected: describe(kinds),
        got,
    };
    let ty = arg.ty();
    if !kinds.iter().any(|k| outer(*k) == ty) {
        return Err(invalid(ty));
    }
    // Arrays of one kind: the first element picks which, when there is a
    // choice (`max` takes numbers or strings, not both).
    let element_kinds: Vec<Type> = kinds.iter().filter_map(|k| element(*k)).collect();
    let Some(mut items) = arg.items().filter(|_| !element_kinds.is_empty()) else {
        return Ok(());
    };
    let Some(first) = items.next() else {
        return Ok(());
    };
    let wanted = first.ty();
    if !element_kinds.contains(&wanted) {
        return Err(invalid(wanted));
    }
    match items.map(|item| item.ty()).find(|t| *t != wanted) {
        Some(other) => Err(invalid(other)),
        None => Ok(()),
    }
}

fn outer(kind: Kind) -> Type {
    match kind {
        Number => Type::Number,
        Kind::String => Type::String,
        Array | ArrayOfNumbers | ArrayOfStrings => Type::Array,
        Object => Type::Object,
        Expref => Type::Expref,
        // Never asked: `Any` passes before.
        Any => Type::Null,
    }
}

fn element(kind: Kind) -> Option<Type> {
    match kind {
        ArrayOfNumbers => Some(Type::Number),
        ArrayOfStrings => Some(Type::String),
        _ => None,
    }
}

/// "a string or an array", for error messages.
fn describe(kinds: &[Kind]) -> String {
    let names: Vec<String> = kinds
        .iter()
        .map(|k| match k {
            ArrayOfNumbers => "an array of numbers".to_string(),
            ArrayOfStrings => "an array of strings".to_string(),
            Expref => "an expression reference (&...)".to_string(),
            other => {
                let name = outer(*other).name();
                format!("{} {name}", article(name))
            }
        })
        .collect();
    names.join(" or ")
}

/// The arguments as an array, their number already checked.
fn take<'a, const N: usize>(args: Vec<Val<'a>>) -> [Val<'a>; N] {
    args.try_into()
        .unwrap_or_else(|_| unreachable!("the arity is checked before a function runs"))
}

fn num(v: &Val) -> Num {
    v.as_num()
        .unwrap_or_else(|| unreachable!("the argument's type is checked before a function runs"))
}

fn text<'v>(v: &'v Val) -> &'v str {
    v.as_str()
        .unwrap_or_else(|| unreachable!("the argument's type is checked before a function runs"))
}

fn expref<'a>(v: &Val<'a>) -> &'a Expr {
    match v {
        Val::Expref(e) => e,
        _ => unreachable!("the argument's type is checked before a function runs"),
    }
}

fn abs(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [n] = take(args);
    Ok(Val::Number(match num(&n) {
        Num::Int(i) => Num::Int(i.abs()),
        Num::Float(f) => Num::Float(f.abs()),
    }))
}

/// Python's `sum`: from the integer 0, adding left to right.
fn total(items: &[Val]) -> Num {
    items.iter().fold(Num::Int(0), |acc, v| acc.add(num(v)))
}

fn avg(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [array] = take(args);
    let items = array.into_items().unwrap_or_default();
    if items.is_empty() {
        return Ok(Val::Null);
    }
    Ok(Val::Number(Num::Float(
        total(&items).as_f64() / items.len() as f64,
    )))
}

fn sum(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [array] = take(args);
    Ok(Val::Number(total(&array.into_items().unwrap_or_default())))
}

/// Python's `math.ceil` and `math.floor` give integers.
fn round(n: Num, f: fn(f64) -> f64) -> Val<'static> {
    Val::Number(match n {
        Num::Int(i) => Num::Int(i),
        Num::Float(x) => Num::Int(f(x) as i128),
    })
}

fn ceil(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [n] = take(args);
    Ok(round(num(&n), f64::ceil))
}

fn floor(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [n] = take(args);
    Ok(round(num(&n), f64::floor))
}

fn contains<'a>(args: Vec<Val<'a>>) -> Result<Val<'a>, RuntimeError> {
    let [subject, search] = take(args);
    if let Some(haystack) = subject.as_str() {
        // Python's `in` on a string takes only a string.
        let needle = search.as_str().ok_or(RuntimeError::InvalidType {
            function: "contains",
            expected: "a string to look for in a string".to_string(),
            got: search.ty(),
        })?;
        return Ok(Val::Bool(haystack.contains(needle)));
    }
    let found = subject
        .items()
        .is_some_and(|mut items| items.any(|item| value::python_eq(&item, &search)));
    Ok(Val::Bool(found))
}

fn ends_with(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject, suffix] = take(args);
    Ok(Val::Bool(text(&subject).ends_with(text(&suffix))))
}

fn starts_with(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject, prefix] = take(args);
    Ok(Val::Bool(text(&subject).starts_with(text(&prefix))))
}

fn join(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [separator, array] = take(args);
    let items = array.into_items().unwrap_or_default();
    let texts: Vec<&str> = items.iter().map(text).collect();
    Ok(Val::String(texts.join(text(&separator))))
}

fn keys(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [object] = take(args);
    let members = object.into_members().unwrap_or_default();
    Ok(Val::Array(
        members
            .into_iter()
            .map(|(k, _)| Val::String(k.into_owned()))
            .collect(),
    ))
}

fn values(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [object] = take(args);
    let members = object.into_members().unwrap_or_default();
    Ok(Val::Array(members.into_iter().map(|(_, v)| v).collect()))
}

fn length(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject] = take(args);
    let n = match subject.as_str() {
        // Python counts code points.
        Some(s) => s.chars().count(),
        None => subject.len().unwrap_or(0),
    };
    Ok(Val::Number(Num::Int(n as i128)))
}

fn map(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [body, array] = take(args);
    let body = expref(&body);
    let items = array.into_items().unwrap_or_default();
    items
        .iter()
        .map(|item| eval(body, item))
        .collect::<Result<_, _>>()
        .map(Val::Array)
}

/// The first element that no later one beats (Python's `max` and `min`).
fn best<'a>(items: Vec<Val<'a>>, beats: Ordering) -> Result<Val<'a>, RuntimeError> {
    let mut items = items.into_iter();
    let Some(mut best) = items.next() else {
        return Ok(Val::Null);
    };
    for item in items {
        if value::order(&item, &best)? == beats {
            best = item;
        }
    }
    Ok(best)
}

fn max(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [array] = take(args);
    best(array.into_items().unwrap_or_default(), Ordering::Greater)
}

fn min(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [array] = take(args);
    best(array.into_items().unwrap_or_default(), Ordering::Less)
}

/// `&expr` over an element, which must give one of `allowed`.
fn key_of<'a>(
    function: &'static str,
    body: &'a Expr,
    item: &Val<'a>,
    allowed: &'static [Kind],
) -> Result<Val<'a>, RuntimeError> {
    let key = eval(body, item)?;
    if !allowed.iter().any(|k| outer(*k) == key.ty()) {
        return Err(RuntimeError::InvalidType {
            function,
            expected: describe(allowed),
            got: key.ty(),
        });
    }
    Ok(key)
}

/// The element whose key no later one beats (Python's `max(key=...)`).
fn best_by<'a>(function: &'static str, args: Vec<Val<'a>>, beats: Ordering) -> Result<Val<'a>, RuntimeError> {
    let [array, body] = take(args);
    let body = expref(&body);
    let mut items = array.into_items().unwrap_or_default().into_iter();
    let Some(mut best) = items.next() else {
        return Ok(Val::Null);
    };
    let mut best_key = key_of(function, body, &best, &[Number, Kind::String])?;
    for item in items {
        let key = key_of(function, body, &item, &[Number, Kind::String])?;
        if value::order(&key, &best_key)? == beats {
            best = item;
            best_key = key;
        }
    }
    Ok(best)
}

fn max_by(args: Vec<Val>) -> Result<Val, RuntimeError> {
    best_by("max_by", args, Ordering::Greater)
}

fn min_by(args: Vec<Val>) -> Result<Val, RuntimeError> {
    best_by("min_by", args, Ordering::Less)
}

fn merge(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let mut members: Vec<(Cow<str>, Val)> = Vec::new();
    for object in args {
        for (k, v) in object.into_members().unwrap_or_default() {
            value::insert(&mut members, k, v);
        }
    }
    Ok(Val::Object(members))
}

fn not_null(args: Vec<Val>) -> Result<Val, RuntimeError> {
    Ok(args.into_iter().find(|a| !a.is_null()).unwrap_or(Val::Null))
}

fn reverse(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject] = take(args);
    if let Some(s) = subject.as_str() {
        return Ok(Val::String(s.chars().rev().collect()));
    }
    let mut items = subject.into_items().unwrap_or_default();
    items.reverse();
    Ok(Val::Array(items))
}

/// Numbers or strings of one kind (checked), in a stable order.
fn by_order(a: &Val, b: &Val) -> Ordering {
    value::order(a, b).unwrap_or(Ordering::Equal)
}

fn sort(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [array] = take(args);
    let mut items = array.into_items().unwrap_or_default();
    items.sort_by(by_order);
    Ok(Val::Array(items))
}

fn sort_by(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [array, body] = take(args);
    let body = expref(&body);
    let items = array.into_items().unwrap_or_default();
    let Some(first) = items.first() else {
        return Ok(Val::Array(items));
    };
    // The first element's key says whether all are numbers or strings.
    let kind: &'static [Kind] = match key_of("sort_by", body, first, &[Number, Kind::String])?.ty() {
        Type::Number => &[Number],
        _ => &[Kind::String],
    };
    let keys = items
        .iter()
        .map(|item| key_of("sort_by", body, item, kind))
        .collect::<Result<Vec<_>, _>>()?;
    // Each element with its key as a plain number or string, sorted stably.
    let sorted = if kind == [Number] {
        let mut pairs: Vec<(Num, Val)> = keys.iter().map(num).zip(items).collect();
        pairs.sort_by(|a, b| a.0.compare(b.0).unwrap_or(Ordering::Equal));
        pairs.into_iter().map(|(_, item)| item).collect()
    } else {
        let mut pairs: Vec<(&str, Val)> = keys.iter().map(text).zip(items).collect();
        pairs.sort_by(|a, b| a.0.cmp(b.0));
        pairs.into_iter().map(|(_, item)| item).collect()
    };
    Ok(Val::Array(sorted))
}

fn to_array(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject] = take(args);
    Ok(match subject.ty() {
        Type::Array => subject,
        _ => Val::Array(vec![subject]),
    })
}

fn to_string(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject] = take(args);
    if let Some(s) = subject.as_str() {
        return Ok(Val::String(s.to_string()));
    }
    Ok(Val::String(json_text::compact(&subject.into_value()?)))
}

fn to_number(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject] = take(args);
    if let Some(n) = subject.as_num() {
        return Ok(Val::Number(n));
    }
    Ok(subject
        .as_str()
        .and_then(python_number)
        .map_or(Val::Null, Val::Number))
}

/// A string read as Python's `int()`, else as its `float()` (null when
/// neither reads it): surrounding whitespace, a sign, and `_` between
/// digits are allowed. A float that is not finite has no JSON form: null.
fn python_number(s: &str) -> Option<Num> {
    let s = s.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c));
    let plain = without_digit_separators(s)?;
    let unsigned = plain.strip_prefix(['+', '-']).unwrap_or(&plain);
    if !unsigned.is_empty()
        && unsigned.bytes().all(|b| b.is_ascii_digit())
        && let Ok(i) = plain.parse::<i128>()
    {
        return Some(Num::Int(i));
    }
    plain
        .parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Num::Float)
}

/// `1_000` as `1000`; None when an `_` is not between two digits.
fn without_digit_separators(s: &str) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'_' {
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 1).copied();
            if !before.is_some_and(|c| c.is_ascii_digit()) || !after.is_some_and(|c| c.is_ascii_digit()) {
                return None;
            }
        }
    }
    Some(s.replace('_', ""))
}

fn type_of(args: Vec<Val>) -> Result<Val, RuntimeError> {
    let [subject] = take(args);
    Ok(match subject.ty() {
        // Python's `type()` has no answer for an `&expr`.
        Type::Expref => Val::Null,
        t => Val::String(t.name().to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::jmespath::interpreter::search;
    use crate::query::jmespath::parser::parse;
    use serde_json::{Value, json};

    fn run(source: &str, input: Value) -> Result<Value, RuntimeError> {
        search(&parse(source).unwrap(), &input)
    }

    fn text_of(source: &str, input: Value) -> String {
        json_text::compact(&run(source, input).unwrap())
    }

    #[test]
    fn there_are_26() {
        assert_eq!(FUNCTIONS.len(), 26);
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 26);
    }

    #[test]
    fn integers_stay_integers() {
        let doc = json!({"i": [1, 2, 3], "f": [1.5, 2.5], "m": [1, 2.5]});
        assert_eq!(text_of("sum(i)", doc.clone()), "6");
        assert_eq!(text_of("sum(f)", doc.clone()), "4.0");
        assert_eq!(text_of("sum(m)", doc.clone()), "3.5");
        assert_eq!(text_of("sum(`[]`)", doc.clone()), "0");
        assert_eq!(text_of("avg(i)", doc.clone()), "2.0");
        assert_eq!(text_of("abs(`-3`)", doc.clone()), "3");
        assert_eq!(text_of("abs(`-3.0`)", doc.clone()), "3.0");
        assert_eq!(text_of("ceil(`1.2`)", doc.clone()), "2");
        assert_eq!(text_of("floor(`-1.2`)", doc.clone()), "-2");
        assert_eq!(text_of("max(i)", doc.clone()), "3");
        assert_eq!(text_of("min(`[2, 1.0, 1]`)", doc.clone()), "1.0");
        assert_eq!(text_of("length('héllo')", doc), "5");
    }

    #[test]
    fn to_number_reads_as_python() {
        for (input, expected) in [
            ("'3'", "3"),
            ("'3.5'", "3.5"),
            ("' -12 '", "-12"),
            ("'1_000'", "1000"),
            ("'1e3'", "1000.0"),
            ("'.5'", "0.5"),
            ("'abc'", "null"),
            ("'1__0'", "null"),
            ("'inf'", "null"),
            ("''", "null"),
            ("`true`", "null"),
            ("`[1]`", "null"),
            ("`2.5`", "2.5"),
        ] {
            assert_eq!(
                text_of(&format!("to_number({input})"), json!({})),
                expected,
                "{input}"
            );
        }
    }

    #[test]
    fn to_string_is_compact_python_json() {
        let doc = json!({"b": [1, 2.0, "é"], "a": null});
        assert_eq!(
            run("to_string(@)", doc).unwrap(),
            json!(r#"{"b":[1,2.0,"\u00e9"],"a":null}"#)
        );
        assert_eq!(run("to_string('x')", json!({})).unwrap(), json!("x"));
    }

    #[test]
    fn object_functions_keep_order() {
        let doc = json!({"z": 1, "a": 2, "m": 3});
        assert_eq!(text_of("keys(@)", doc.clone()), r#"["z","a","m"]"#);
        assert_eq!(text_of("values(@)", doc.clone()), "[1,2,3]");
        assert_eq!(
            text_of("merge(@, `{\"a\": 9, \"b\": 0}`)", doc),
            r#"{"z":1,"a":9,"m":3,"b":0}"#
        );
    }

    #[test]
    fn sorting_is_stable_and_typed() {
        let doc = json!([{"n": "b", "k": 2}, {"n": "a", "k": 1}, {"n": "c", "k": 2}, {"n": "d", "k": 1.0}]);
        assert_eq!(
            text_of("sort_by(@, &k)[*].n", doc.clone()),
            r#"["a","d","b","c"]"#
        );
        assert_eq!(text_of("max_by(@, &k).n", doc.clone()), r#""b""#);
        assert_eq!(text_of("min_by(@, &k).n", doc.clone()), r#""a""#);
        assert_eq!(text_of("sort(`[3, 1.5, 2]`)", json!({})), "[1.5,2,3]");
        assert!(matches!(
            run("sort_by(@, &n || k)", json!([{"n": "a"}, {"k": 1}])),
            Err(RuntimeError::InvalidType { .. })
        ));
        assert!(matches!(
            run("sort(`[1, \"a\"]`)", json!({})),
            Err(RuntimeError::InvalidType { .. })
        ));
    }

    #[test]
    fn strings_and_arrays() {
        let doc = json!({"s": "abc", "a": ["x", "y"]});
        assert_eq!(text_of("reverse(s)", doc.clone()), r#""cba""#);
        assert_eq!(text_of("reverse(a)", doc.clone()), r#"["y","x"]"#);
        assert_eq!(text_of("join(', ', a)", doc.clone()), r#""x, y""#);
        assert_eq!(text_of("contains(s, 'b')", doc.clone()), "true");
        assert_eq!(text_of("contains(a, 'z')", doc.clone()), "false");
        assert_eq!(text_of("starts_with(s, 'ab')", doc.clone()), "true");
        assert_eq!(text_of("ends_with(s, 'ab')", doc.clone()), "false");
        assert_eq!(text_of("to_array(s)", doc.clone()), r#"["abc"]"#);
        assert_eq!(text_of("not_null(n, s)", doc.clone()), r#""abc""#);
        assert_eq!(text_of("map(&length(@), a)", doc.clone()), "[1,1]");
        assert_eq!(text_of("type(a)", doc), r#""array""#);
    }

    #[test]
    fn errors_name_their_kind() {
        let message = |source: &str| run(source, json!({"a": 5})).unwrap_err().to_string();
        assert_eq!(
            message("length(a)"),
            "invalid type in length(): expected a string or an array or an object, got a number"
        );
        // The parser asks `check_call`; so does `call`.
        assert_eq!(
            check_call("length", 2).unwrap_err().to_string(),
            "invalid arity: length() takes 1 argument, got 2"
        );
        assert_eq!(
            call("merge", vec![]).unwrap_err().to_string(),
            "invalid arity: merge() takes at least 1 argument, got 0"
        );
        assert_eq!(
            check_call("nope", 1).unwrap_err().to_string(),
            "unknown function: nope()"
        );
        assert!(check_call("not_null", 3).is_ok());
        assert_eq!(closest("sortby"), Some("sort_by"));
        assert_eq!(closest("Length"), Some("length"));
        assert_eq!(closest("frobnicate"), None);
        assert!(message("sum(`[1, \"2\"]`)").starts_with("invalid type in sum()"));
        assert!(message("contains('abc', `1`)").starts_with("invalid type in contains()"));
    }
}
