//! JMESPath, the dialect of `aws --query`, on top of the `jmespath` crate.
//!
//! Values cross between `serde_json::Value` and the crate's `Variable` with
//! a direct conversion (no serde round trip); both keep `serde_json::Number`,
//! so integers stay integers.

use std::collections::BTreeMap;

use ::jmespath::ast::{Ast, KeyValuePair};
use ::jmespath::{Context, ErrorReason, Expression, JmespathError, Rcvar, Variable};
use serde_json::Value;

use super::{CompileError, EvalError};

/// A parsed expression. The crate's `sync` feature makes its values `Arc`s,
/// so this is `Send + Sync` (asserted below).
#[derive(Debug)]
pub struct Compiled {
    expr: Expression<'static>,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Compiled>();
};

pub fn compile(source: &str) -> Result<Compiled, CompileError> {
    ::jmespath::compile(source)
        .map(|expr| Compiled { expr })
        .map_err(|e| compile_error(source, &e))
}

/// An output converted for JMESPath, ready for any number of expressions.
pub type Data = Rcvar;

pub fn prepare(input: &Value) -> Data {
    Rcvar::new(to_variable(input))
}

pub fn eval(c: &Compiled, data: &Data) -> Result<Value, EvalError> {
    let mut ctx = Context::new(c.expr.as_str(), &::jmespath::DEFAULT_RUNTIME);
    ::jmespath::interpret(data, c.expr.as_ast(), &mut ctx)
        .map(|v| to_value(&v))
        .map_err(|e| EvalError(reason_text(&e.reason)))
}

/// The distinct top-level fields the expression reads from its root input,
/// in the order they appear.
pub fn fields(c: &Compiled) -> Vec<String> {
    let mut out = Vec::new();
    walk(c.expr.as_ast(), true, &mut out);
    out
}

/// Collects the `Field`s evaluated against the root. `at_root` says whether
/// `ast` is evaluated against the root input (as opposed to a value derived
/// from it: the right side of a sub-expression, pipe or projection, or the
/// body of an `&expression` reference).
fn walk(ast: &Ast, at_root: bool, out: &mut Vec<String>) {
    match ast {
        Ast::Field { name, .. } => {
            if at_root && !out.iter().any(|f| f == name) {
                out.push(name.clone());
            }
        }
        // `a.b`, `a | b`: `b` reads what `a` produced, unless `a` is `@`.
        Ast::Subexpr { lhs, rhs, .. } => {
            walk(lhs, at_root, out);
            let rhs_at_root = at_root && matches!(**lhs, Ast::Identity { .. });
            walk(rhs, rhs_at_root, out);
        }
        // `a[*].b`, `a[?x]`: the right side runs once per element.
        Ast::Projection { lhs, rhs, .. } => {
            walk(lhs, at_root, out);
            walk(rhs, false, out);
        }
        Ast::Comparison { lhs, rhs, .. } | Ast::And { lhs, rhs, .. } | Ast::Or { lhs, rhs, .. } => {
            walk(lhs, at_root, out);
            walk(rhs, at_root, out);
        }
        Ast::Condition { predicate, then, .. } => {
            walk(predicate, at_root, out);
            walk(then, at_root, out);
        }
        Ast::Not { node, .. } | Ast::Flatten { node, .. } | Ast::ObjectValues { node, .. } => {
            walk(node, at_root, out)
        }
        Ast::Function { args, .. } => {
            for arg in args {
                walk(arg, at_root, out);
            }
        }
        // `sort_by(items, &name)`: evaluated against each element.
        Ast::Expref { ast, .. } => walk(ast, false, out),
        Ast::MultiList { elements, .. } => {
            for e in elements {
                walk(e, at_root, out);
            }
        }
        Ast::MultiHash { elements, .. } => {
            for KeyValuePair { value, .. } in elements {
                walk(value, at_root, out);
            }
        }
        Ast::Identity { .. } | Ast::Index { .. } | Ast::Slice { .. } | Ast::Literal { .. } => {}
    }
}

fn compile_error(source: &str, e: &JmespathError) -> CompileError {
    // The crate reports the byte offset of the offending token (or the end).
    let mut offset = e.offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let message = match &e.reason {
        // The parser appends " -- found <token's Debug form>" (`Rbracket`,
        // `Eof`): show what is written at the offset instead.
        ErrorReason::Parse(msg) => match msg.split_once(" -- found ") {
            Some((what, _)) => {
                let what = what.replace("Unexpected nud token", "Unexpected token");
                format!("{what}, found {}", found_at(source, offset))
            }
            None => msg.clone(),
        },
        ErrorReason::Runtime(r) => r.to_string(),
    };
    CompileError {
        message,
        offset: Some(offset),
    }
}

/// What a person sees at `offset`: an identifier or number, one character,
/// or the end.
fn found_at(source: &str, offset: usize) -> String {
    let rest = &source[offset..];
    let word = |c: char| c.is_alphanumeric() || c == '_';
    match rest.chars().next() {
        None => "the end of the expression".to_string(),
        Some(c) if word(c) => {
            let end = rest.find(|c| !word(c)).unwrap_or(rest.len());
            format!("`{}`", &rest[..end])
        }
        Some(c) => format!("`{c}`"),
    }
}

fn reason_text(reason: &ErrorReason) -> String {
    match reason {
        ErrorReason::Parse(msg) => msg.clone(),
        ErrorReason::Runtime(e) => e.to_string(),
    }
}

fn to_variable(value: &Value) -> Variable {
    match value {
        Value::Null => Variable::Null,
        Value::Bool(b) => Variable::Bool(*b),
        Value::Number(n) => Variable::Number(n.clone()),
        Value::String(s) => Variable::String(s.clone()),
        Value::Array(items) => Variable::Array(items.iter().map(|v| Rcvar::new(to_variable(v))).collect()),
        Value::Object(map) => Variable::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), Rcvar::new(to_variable(v))))
                .collect::<BTreeMap<_, _>>(),
        ),
    }
}

fn to_value(var: &Variable) -> Value {
    match var {
        Variable::Null => Value::Null,
        Variable::Bool(b) => Value::Bool(*b),
        Variable::Number(n) => Value::Number(n.clone()),
        Variable::String(s) => Value::String(s.clone()),
        Variable::Array(items) => Value::Array(items.iter().map(|v| to_value(v)).collect()),
        Variable::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
        // An `&expr` reference only exists as a function argument; a bare
        // one as the final result has no JSON form.
        Variable::Expref(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, input: Value) -> Value {
        eval(&compile(expr).unwrap(), &prepare(&input)).unwrap()
    }

    fn fields_of(expr: &str) -> Vec<String> {
        fields(&compile(expr).unwrap())
    }

    #[test]
    fn aws_cli_style_queries() {
        let addon = json!({"addon": {"addonName": "vpc-cni", "status": "ACTIVE"}});
        assert_eq!(run("addon.status", addon), json!("ACTIVE"));

        let policy = json!({"PolicyVersion": {"Document": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                           "Resource": "*"}]}}});
        assert_eq!(
            run("PolicyVersion.Document.Statement[0].Action", policy),
            json!(["s3:GetObject", "s3:PutObject"])
        );

        let role = json!({"Role": {"RoleName": "r", "AssumeRolePolicyDocument": {
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]}}});
        assert_eq!(
            run(
                "Role.AssumeRolePolicyDocument.Statement[0].Principal.Service",
                role
            ),
            json!("eks.amazonaws.com")
        );
    }

    #[test]
    fn filter_projections_and_length() {
        let pods = json!({"items": [
            {"metadata": {"name": "a"}, "status": {"phase": "Running"}},
            {"metadata": {"name": "b"}, "status": {"phase": "Pending"}},
            {"metadata": {"name": "c"}, "status": {"phase": "Running"}},
        ]});
        let n = run("items[?status.phase=='Running'] | length(@)", pods.clone());
        assert_eq!(n, json!(2));
        assert!(n.is_u64() || n.is_i64(), "an integer, got {n}");
        assert_eq!(
            run("items[?status.phase=='Running'].metadata.name", pods),
            json!(["a", "c"])
        );
    }

    #[test]
    fn comparisons() {
        let v = json!({"count": 3, "MODE": "live", "ENABLED": "true"});
        assert_eq!(run("count > `2`", v.clone()), json!(true));
        assert_eq!(run("count <= `2`", v.clone()), json!(false));
        assert_eq!(run("MODE == 'live' && ENABLED", v.clone()), json!("true"));
        assert_eq!(run("MODE != 'live'", v), json!(false));
    }

    #[test]
    fn missing_members_are_null_and_numbers_round_trip() {
        assert_eq!(run("nope.deeper", json!({"a": 1})), Value::Null);
        assert_eq!(run("a", json!({"a": 1.5})), json!(1.5));
        assert_eq!(run("a", json!({"a": 7})).to_string(), "7");
    }

    #[test]
    fn runtime_errors_are_eval_errors() {
        let err = eval(&compile("length(a)").unwrap(), &prepare(&json!({"a": 5}))).unwrap_err();
        assert!(err.0.contains("expects type"), "{err}");
        let err = eval(&compile("nosuchfn(a)").unwrap(), &prepare(&json!({}))).unwrap_err();
        assert!(err.0.contains("nosuchfn"), "{err}");
    }

    #[test]
    fn compile_errors_have_offsets() {
        let err = compile("a == = b").unwrap_err();
        assert_eq!(err.offset, Some(5), "{err:?}");
        assert!(err.message.contains("=="), "{err:?}");

        let err = compile("items[?x == 'y'").unwrap_err();
        assert_eq!(err.offset, Some(15), "{err:?}");
        assert_eq!(err.message, "Expected ']', found the end of the expression");

        let err = compile("foo.]").unwrap_err();
        assert_eq!(err.offset, Some(4), "{err:?}");
        assert!(err.message.ends_with("found `]`"), "{err:?}");

        let err = compile("a b").unwrap_err();
        assert_eq!(err.offset, Some(2), "{err:?}");
        assert!(err.message.ends_with("found `b`"), "{err:?}");
    }

    #[test]
    fn fields_read_from_the_root() {
        assert_eq!(fields_of("MODE == 'live' && ENABLED"), ["MODE", "ENABLED"]);
        assert_eq!(fields_of("a.b"), ["a"]);
        assert_eq!(fields_of("items[?x == 'y']"), ["items"]);
        assert_eq!(fields_of("length(A)"), ["A"]);
        assert_eq!(fields_of("A || B || A"), ["A", "B"]);
        assert_eq!(fields_of("!DRY_RUN"), ["DRY_RUN"]);
        assert_eq!(fields_of("a[*].b | c"), ["a"]);
        assert_eq!(fields_of("sort_by(xs, &name)"), ["xs"]);
        assert_eq!(fields_of("{k: K, l: [L, `1`]}"), ["K", "L"]);
        assert_eq!(fields_of("@.X"), ["X"]);
        assert_eq!(fields_of("`true`"), Vec::<String>::new());
    }
}
