//! The values an expression works on: parts of the input, borrowed as they
//! are (a filter over 5,000 pods copies none of them), and what the
//! expression builds (multi-selects, function results). Numbers keep
//! Python's two kinds, integers and floats, and compare as Python does.

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::{Map, Number, Value};

use super::ast::Expr;
use super::interpreter::RuntimeError;

#[derive(Clone, Debug)]
pub enum Val<'a> {
    /// A part of the input, or a literal of the expression.
    Json(&'a Value),
    Null,
    Bool(bool),
    Number(Num),
    String(String),
    Array(Vec<Val<'a>>),
    /// Members in order, each key once.
    Object(Vec<(Cow<'a, str>, Val<'a>)>),
    /// `&expr`, an argument for `sort_by`, `map`...
    Expref(&'a Expr),
}

/// A number as Python holds it: an integer (exact, here up to 128 bits)
/// or a float.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    Int(i128),
    Float(f64),
}

/// The types of the specification, as functions check and `type()` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
    Expref,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::Null => "null",
            Type::Boolean => "boolean",
            Type::Number => "number",
            Type::String => "string",
            Type::Array => "array",
            Type::Object => "object",
            Type::Expref => "expref",
        }
    }
}

impl<'a> Val<'a> {
    pub fn ty(&self) -> Type {
        match self {
            Val::Json(v) => match v {
                Value::Null => Type::Null,
                Value::Bool(_) => Type::Boolean,
                Value::Number(_) => Type::Number,
                Value::String(_) => Type::String,
                Value::Array(_) => Type::Array,
                Value::Object(_) => Type::Object,
            },
            Val::Null => Type::Null,
            Val::Bool(_) => Type::Boolean,
            Val::Number(_) => Type::Number,
            Val::String(_) => Type::String,
            Val::Array(_) => Type::Array,
            Val::Object(_) => Type::Object,
            Val::Expref(_) => Type::Expref,
        }
    }

    pub fn is_null(&self) -> bool {
        self.ty() == Type::Null
    }

    /// False for null, false, and empty strings, arrays and objects; true
    /// for everything else, every number included.
    pub fn is_truthy(&self) -> bool {
        match self {
            Val::Json(v) => match v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(_) => true,
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) => !o.is_empty(),
            },
            Val::Null => false,
            Val::Bool(b) => *b,
            Val::Number(_) | Val::Expref(_) => true,
            Val::String(s) => !s.is_empty(),
            Val::Array(a) => !a.is_empty(),
            Val::Object(o) => !o.is_empty(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Json(Value::String(s)) => Some(s),
            Val::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_num(&self) -> Option<Num> {
        match self {
            Val::Json(Value::Number(n)) => Some(Num::of(n)),
            Val::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Json(Value::Bool(b)) | Val::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number of elements of an array or members of an object.
    pub fn len(&self) -> Option<usize> {
        match self {
            Val::Json(Value::Array(a)) => Some(a.len()),
            Val::Json(Value::Object(o)) => Some(o.len()),
            Val::Array(a) => Some(a.len()),
            Val::Object(o) => Some(o.len()),
            _ => None,
        }
    }

    /// An object's member, null when absent or when this is no object.
    pub fn field(&self, name: &str) -> Val<'a> {
        self.member(name).unwrap_or(Val::Null)
    }

    fn member(&self, name: &str) -> Option<Val<'a>> {
        match self {
            // A scan of a few members is faster than hashing the name.
            Val::Json(Value::Object(map)) if map.len() <= 8 => map
                .iter()
                .find(|(k, _)| k.as_str() == name)
                .map(|(_, v)| Val::Json(v)),
            Val::Json(Value::Object(map)) => map.get(name).map(Val::Json),
            Val::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()),
            _ => None,
        }
    }

    /// The elements of an array, None when this is no array.
    pub fn items(&self) -> Option<Items<'_, 'a>> {
        match self {
            Val::Json(Value::Array(a)) => Some(Items::Json(a.iter())),
            Val::Array(a) => Some(Items::Built(a.iter())),
            _ => None,
        }
    }

    /// The elements of an array, taken.
    pub fn into_items(self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::Json(Value::Array(a)) => Some(a.iter().map(Val::Json).collect()),
            Val::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members of an object in order, None when this is no object.
    pub fn into_members(self) -> Option<Vec<(Cow<'a, str>, Val<'a>)>> {
        match self {
            Val::Json(Value::Object(map)) => Some(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Val::Json(v)))
                    .collect(),
            ),
            Val::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The value as JSON. An `&expr` has none.
    pub fn into_value(self) -> Result<Value, RuntimeError> {
        Ok(match self {
            Val::Json(v) => v.clone(),
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(b),
            Val::Number(n) => n.to_value(),
            Val::String(s) => Value::String(s),
            Val::Array(items) => {
                Value::Array(items.into_iter().map(Val::into_value).collect::<Result<_, _>>()?)
            }
            Val::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members {
                    map.insert(k.into_owned(), v.into_value()?);
                }
                Value::Object(map)
            }
            Val::Expref(_) => return Err(RuntimeError::ExprefHasNoValue),
        })
    }
}

/// Builds an object the way a Python dict is filled: a key set again keeps
/// its place and takes the new value.
pub fn insert<'a>(members: &mut Vec<(Cow<'a, str>, Val<'a>)>, key: Cow<'a, str>, value: Val<'a>) {
    match members.iter_mut().find(|(k, _)| *k == key) {
        Some((_, slot)) => *slot = value,
        None => members.push((key, value)),
    }
}

/// The elements of an array, each as a `Val`, borrowed where it can be.
pub enum Items<'v, 'a> {
    Json(std::slice::Iter<'a, Value>),
    Built(std::slice::Iter<'v, Val<'a>>),
}

impl<'v, 'a> Iterator for Items<'v, 'a> {
    type Item = Cow<'v, Val<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Items::Json(it) => it.next().map(|v| Cow::Owned(Val::Json(v))),
            Items::Built(it) => it.next().map(Cow::Borrowed),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Items::Json(it) => it.size_hint(),
            Items::Built(it) => it.size_hint(),
        }
    }

    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        match self {
            Items::Json(it) => it.nth(n).map(|v| Cow::Owned(Val::Json(v))),
            Items::Built(it) => it.nth(n).map(Cow::Borrowed),
        }
    }
}

impl ExactSizeIterator for Items<'_, '_> {}

impl Num {
    pub fn of(n: &Number) -> Num {
        match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Num::Int(i.into()),
            (None, Some(u)) => Num::Int(u.into()),
            _ => Num::Float(n.as_f64().unwrap_or(f64::NAN)),
        }
    }

    /// As JSON: an integer beyond 64 bits becomes the nearest float (Python
    /// would print every digit).
    pub fn to_value(self) -> Value {
        match self {
            Num::Int(i) => match (i64::try_from(i), u64::try_from(i)) {
                (Ok(i), _) => Value::from(i),
                (_, Ok(u)) => Value::from(u),
                _ => Num::Float(i as f64).to_value(),
            },
            Num::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        }
    }

    pub fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// Python's `+`: integers stay exact, a float makes a float.
    pub fn add(self, other: Num) -> Num {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => a.checked_add(b).map_or(Num::Float(a as f64 + b as f64), Num::Int),
            (a, b) => Num::Float(a.as_f64() + b.as_f64()),
        }
    }

    /// Exact comparison, as Python compares an int with a float (no
    /// rounding of the integer to a float first).
    pub fn compare(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
            (Num::Int(a), Num::Float(b)) => int_cmp_float(a, b),
            (Num::Float(a), Num::Int(b)) => int_cmp_float(b, a).map(Ordering::reverse),
        }
    }
}

fn int_cmp_float(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // Beyond ±2^127 no i128 reaches the float.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if f >= LIMIT {
        return Some(Ordering::Less);
    }
    if f < -LIMIT {
        return Some(Ordering::Greater);
    }
    let whole = f.floor();
    match i.cmp(&(whole as i128)) {
        Ordering::Equal if f > whole => Some(Ordering::Less),
        other => Some(other),
    }
}

/// `==` of JMESPath as Python's `jmespath` runs it: Python's `==`, except
/// that a number never equals a boolean at the top (in Python `1 == True`).
pub fn equals(a: &Val, b: &Val) -> bool {
    match (a.ty(), b.ty()) {
        (Type::Number, Type::Boolean) | (Type::Boolean, Type::Number) => false,
        _ => python_eq(a, b),
    }
}

/// Python's `==` on the values: numbers by value whatever their kind,
/// booleans as the integers 0 and 1 (inside arrays and objects, `1` equals
/// `true`), objects whatever their order.
pub fn python_eq(a: &Val, b: &Val) -> bool {
    match (a.ty(), b.ty()) {
        (Type::Null, Type::Null) => true,
        (Type::String, Type::String) => a.as_str() == b.as_str(),
        (Type::Number | Type::Boolean, Type::Number | Type::Boolean) => {
            numeric(a).compare(numeric(b)) == Some(Ordering::Equal)
        }
        (Type::Array, Type::Array) => {
            a.len() == b.len()
                && match (a.items(), b.items()) {
                    (Some(x), Some(y)) => x.zip(y).all(|(x, y)| python_eq(&x, &y)),
                    _ => false,
                }
        }
        (Type::Object, Type::Object) => {
            a.len() == b.len()
                && a.clone()
                    .into_members()
                    .unwrap_or_default()
                    .iter()
                    .all(|(k, v)| b.member(k).is_some_and(|w| python_eq(v, &w)))
        }
        // Python compares two `&expr`s by identity: two evaluations differ.
        _ => false,
    }
}

/// A number, or a boolean as Python's 0 or 1.
fn numeric(v: &Val) -> Num {
    v.as_num()
        .unwrap_or_else(|| Num::Int(v.as_bool().map_or(0, i128::from)))
}

/// Python's `<`, `<=`, `>`, `>=` on two numbers or two strings (by code
/// point). A number against a string is an error in Python too.
pub fn order(a: &Val, b: &Val) -> Result<Ordering, RuntimeError> {
    match (a.as_num(), b.as_num(), a.as_str(), b.as_str()) {
        (Some(x), Some(y), _, _) => x
            .compare(y)
            .ok_or(RuntimeError::NotComparable(Type::Number, Type::Number)),
        (_, _, Some(x), Some(y)) => Ok(x.cmp(y)),
        _ => Err(RuntimeError::NotComparable(a.ty(), b.ty())),
    }
}

/// Whether `<` and the like apply (they give null otherwise): numbers and
/// strings, as in Python's `jmespath` (the specification has only numbers).
pub fn is_ordered(v: &Val) -> bool {
    matches!(v.ty(), Type::Number | Type::String)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_exactly_across_kinds() {
        let big = Num::Int(9_007_199_254_740_993); // 2^53 + 1
        assert_eq!(
            big.compare(Num::Float(9_007_199_254_740_992.0)),
            Some(Ordering::Greater)
        );
        assert_eq!(Num::Int(2).compare(Num::Float(2.0)), Some(Ordering::Equal));
        assert_eq!(Num::Int(2).compare(Num::Float(2.5)), Some(Ordering::Less));
        assert_eq!(Num::Int(-3).compare(Num::Float(-2.5)), Some(Ordering::Less));
        assert_eq!(
            Num::Float(1e40).compare(Num::Int(i128::MAX)),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn addition_keeps_integers_exact() {
        assert_eq!(Num::Int(2).add(Num::Int(3)), Num::Int(5));
        assert_eq!(Num::Int(2).add(Num::Float(0.5)), Num::Float(2.5));
        assert_eq!(
            Num::Int(u64::MAX.into()).add(Num::Int(1)).to_value(),
            json!(18446744073709551616.0)
        );
    }

    #[test]
    fn equality_is_pythons() {
        let one = json!(1);
        let one_f = json!(1.0);
        let yes = json!(true);
        assert!(equals(&Val::Json(&one), &Val::Json(&one_f)));
        assert!(!equals(&Val::Json(&one), &Val::Json(&yes)));
        let (a, b) = (json!([1, {"x": 1}]), json!([true, {"x": 1.0}]));
        assert!(equals(&Val::Json(&a), &Val::Json(&b)));
        let (a, b) = (json!({"x": 1, "y": 2}), json!({"y": 2, "x": 1}));
        assert!(equals(&Val::Json(&a), &Val::Json(&b)));
    }

    #[test]
    fn ordering_takes_numbers_and_strings() {
        let (a, b) = (json!("apple"), json!("banana"));
        assert_eq!(order(&Val::Json(&a), &Val::Json(&b)).unwrap(), Ordering::Less);
        let n = json!(1);
        assert!(order(&Val::Json(&a), &Val::Json(&n)).is_err());
        assert!(!is_ordered(&Val::Bool(true)));
    }

    #[test]
    fn truthiness() {
        for falsy in [json!(null), json!(false), json!(""), json!([]), json!({})] {
            assert!(!Val::Json(&falsy).is_truthy(), "{falsy}");
        }
        for truthy in [
            json!(0),
            json!(0.0),
            json!(" "),
            json!([null]),
            json!({"a": null}),
        ] {
            assert!(Val::Json(&truthy).is_truthy(), "{truthy}");
        }
    }
}
