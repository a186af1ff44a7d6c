//! JMESPath, the dialect of `aws --query`, as the AWS CLI runs it: our own
//! implementation over `serde_json::Value`, following Python's `jmespath`
//! package (what the CLI uses) where it differs from the specification.
//!
//! - Objects keep their members' order: the service's order for its
//!   output, the written order for a multi-select hash (serde_json's
//!   `preserve_order`).
//! - Numbers keep Python's two kinds: `length`, `sum`, `max`, `abs`,
//!   `ceil`... of integers give integers (`3`, not `3.0`).
//! - A backtick literal that is not JSON is a string (`` `ACTIVE` ``), the
//!   deprecated form the AWS documentation still uses.
//!
//! The parts: `lexer` (text into tokens), `parser` (tokens into an `ast`),
//! `interpreter` (the tree over the input, with `value`s borrowed from it),
//! `functions` (the built-ins) and `json_text` (JSON as Python writes it,
//! for `to_string`).

mod ast;
mod functions;
mod interpreter;
pub(super) mod json_text;
mod lexer;
mod parser;
mod value;

use serde_json::Value;

use super::{CompileError, EvalError};

/// An expression that does not parse, and the byte offset of the token
/// (or character) at fault.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub offset: usize,
}

impl SyntaxError {
    fn new(message: impl Into<String>, offset: usize) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            offset,
        }
    }
}

/// Runs `f` (a step of the recursive parser or interpreter) with enough
/// stack: when less than 64 KiB are left, on a new 1 MiB segment. An
/// expression nested `parser::MAX_DEPTH` deep then parses and evaluates on
/// any thread, a debug build's included, whose frames are large.
fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, f)
}

/// A parsed expression: a tree, shared by every evaluation.
#[derive(Debug)]
pub struct Compiled {
    expr: ast::Expr,
}

const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Compiled>();
};

pub fn compile(source: &str) -> Result<Compiled, CompileError> {
    parser::parse(source)
        .map(|expr| Compiled { expr })
        .map_err(|e| CompileError {
            message: e.message,
            offset: Some(e.offset),
        })
}

/// Evaluates over the output as it is: nothing is converted or copied
/// until the result is built.
pub fn eval(c: &Compiled, input: &Value) -> Result<Value, EvalError> {
    interpreter::search(&c.expr, input).map_err(|e| EvalError(e.to_string()))
}

/// The distinct top-level fields the expression reads from its root input,
/// in the order they appear.
pub fn fields(c: &Compiled) -> Vec<String> {
    ast::root_fields(&c.expr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, input: Value) -> Value {
        eval(&compile(expr).unwrap(), &input).unwrap()
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
        assert_eq!(n.to_string(), "2");
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
        assert_eq!(run("a", json!({"a": 7.0})).to_string(), "7.0");
    }

    #[test]
    fn the_services_member_order_is_kept() {
        let output: Value = serde_json::from_str(r#"{"z": 1, "a": {"y": 2, "b": 3}}"#).unwrap();
        assert_eq!(
            run("@", output.clone()).to_string(),
            r#"{"z":1,"a":{"y":2,"b":3}}"#
        );
        assert_eq!(run("a", output.clone()).to_string(), r#"{"y":2,"b":3}"#);
        assert_eq!(run("keys(@)", output).to_string(), r#"["z","a"]"#);
    }

    #[test]
    fn runtime_errors_are_eval_errors() {
        let err = eval(&compile("length(a)").unwrap(), &json!({"a": 5})).unwrap_err();
        assert!(err.0.contains("invalid type"), "{err}");
        let err = eval(&compile("sort(a)").unwrap(), &json!({"a": [1, "b"]})).unwrap_err();
        assert!(err.0.starts_with("invalid type in sort()"), "{err}");
        // A call that can only fail is refused before anything runs.
        let err = compile("items | nosuchfn(a)").unwrap_err();
        assert_eq!(
            (err.message.as_str(), err.offset),
            ("unknown function: nosuchfn()", Some(8))
        );
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
