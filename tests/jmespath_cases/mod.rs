//! The JMESPath cases of `tests/fixtures/jmespath/*.json`, written for this
//! project in the style of the specification's compliance tests: groups of
//! cases, each group with a `given` document, each case an `expression`
//! with either its `result` or the kind of `error` it raises (`syntax`,
//! `unknown-function`, `invalid-arity`, `invalid-type`, `invalid-value`).
//! Read by `jmespath_compliance` (our answers against the expected ones) and
//! `jmespath_parity` (our answers and the expected ones against Python's
//! `jmespath`, the AWS CLI's).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use rehearse::query::{Lang, Query};
use serde_json::Value;

/// The kinds of error a case may expect.
pub const ERROR_KINDS: [&str; 5] = [
    "syntax",
    "unknown-function",
    "invalid-arity",
    "invalid-type",
    "invalid-value",
];

pub struct Case {
    /// `file.json: the group's comment`.
    pub group: String,
    pub given: Value,
    pub expression: String,
    pub expected: Outcome,
}

/// What evaluating an expression gives.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The result as compact JSON text: member order and number kinds
    /// (`3` or `3.0`) count.
    Result(String),
    /// One of `ERROR_KINDS`.
    Error(String),
}

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jmespath")
}

/// Every case of every file, files in name order, cases as written.
pub fn cases() -> Vec<Case> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder())
        .expect("tests/fixtures/jmespath")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).expect("readable");
        let groups: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for group in groups {
            let comment = group["comment"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: a group has no comment"));
            let list = group["cases"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: {comment}: no cases"));
            for case in list {
                let expression = case["expression"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: {comment}: a case has no expression"))
                    .to_string();
                let expected = match (case.get("result"), case.get("error")) {
                    (Some(result), None) => Outcome::Result(text_of(result)),
                    (None, Some(Value::String(kind))) if ERROR_KINDS.contains(&kind.as_str()) => {
                        Outcome::Error(kind.clone())
                    }
                    _ => panic!("{name}: `{expression}`: give a result or an error of {ERROR_KINDS:?}"),
                };
                out.push(Case {
                    group: format!("{name}: {comment}"),
                    given: group["given"].clone(),
                    expression,
                    expected,
                });
            }
        }
    }
    out
}

/// Compact JSON, members in their order.
pub fn text_of(value: &Value) -> String {
    serde_json::to_string(value).expect("JSON values serialise")
}

/// What rehearse gives for `expression` over `given`. An error's kind is
/// read from its message, which names it.
pub fn ours(expression: &str, given: &Value) -> Outcome {
    let query = match Query::compile(Lang::JmesPath, expression) {
        Ok(query) => query,
        Err(e) if e.message.starts_with("unknown function") => {
            return Outcome::Error("unknown-function".into());
        }
        Err(e) if e.message.starts_with("invalid arity") => return Outcome::Error("invalid-arity".into()),
        Err(_) => return Outcome::Error("syntax".into()),
    };
    match query.eval(given) {
        Ok(result) => Outcome::Result(text_of(&result)),
        Err(e) if e.0.starts_with("invalid type") => Outcome::Error("invalid-type".into()),
        Err(e) if e.0.starts_with("invalid value") => Outcome::Error("invalid-value".into()),
        Err(e) => Outcome::Error(format!("unexpected error: {e}")),
    }
}
