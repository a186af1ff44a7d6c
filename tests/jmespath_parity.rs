//! Our JMESPath against Python's `jmespath`, the package `aws --query`
//! runs: every case of `tests/fixtures/jmespath/*.json` (see
//! `jmespath_cases`) is evaluated by both, on the same document.
//!
//! - Results must be the same JSON text, as Python's
//!   `json.dumps(separators=(',', ':'))` writes it: member order, integers
//!   against floats (`3`, not `3.0`), float digits and escapes all count.
//!   Our side is written by our own `to_string()`, which writes JSON that
//!   way.
//! - Errors must be of the same kind. Python raises an unknown function or
//!   a wrong number of arguments when the call is evaluated; rehearse
//!   refuses them when the expression is compiled, which is compared as
//!   the same kind.
//! - The cases' expected answers must be Python's too, so that the
//!   compliance cases say what the AWS CLI does.
//!
//! Python is `python3` with the AWS CLI's `jmespath` installed, as
//! `scripts/peers.sh` (the test suite's peer install) installs it.

mod common;
mod jmespath_cases;

use jmespath_cases::{Outcome, cases, ours};
use rehearse::query::{Lang, Query};
use serde_json::{Value, json};

/// Reads the cases on stdin and answers, per case, the result's text (a
/// one-element array, so that any result is valid JSON) or the kind of the
/// error raised. The first line is the package's version.
const PYTHON: &str = r#"
import json, sys, warnings
import jmespath
from jmespath import exceptions as ex
warnings.simplefilter("ignore")

def kind(e):
    if isinstance(e, ex.ArityError):
        return "invalid-arity"
    if isinstance(e, ex.UnknownFunctionError):
        return "unknown-function"
    if isinstance(e, (ex.ParseError, ex.EmptyExpressionError)):
        return "syntax"
    if isinstance(e, (ex.JMESPathTypeError, TypeError)):
        return "invalid-type"
    if type(e) is ValueError:
        return "invalid-value"
    return "unexpected " + type(e).__name__ + ": " + str(e)

print(jmespath.__version__)
answers = []
for case in json.load(sys.stdin):
    try:
        result = jmespath.search(case["expression"], case["given"])
        answers.append({"text": json.dumps([result], separators=(",", ":"))})
    except Exception as e:
        answers.append({"error": kind(e)})
print(json.dumps(answers))
"#;

const INSTALL: &str = "run scripts/peers.sh: it installs the AWS CLI and its jmespath for python3";

/// Python's answers, in the order of `cases`, and the package's version.
fn python(cases: &[Value]) -> (String, Vec<Outcome>) {
    let input = serde_json::to_vec(cases).expect("cases serialise");
    let stdout = String::from_utf8(common::python3(PYTHON, &input, INSTALL)).expect("UTF-8");
    let (version, answers) = stdout.split_once('\n').expect("a version, then the answers");
    let answers: Vec<Value> = serde_json::from_str(answers).expect("python3 prints JSON");
    let outcomes = answers
        .iter()
        .map(|a| match (a.get("text"), a.get("error")) {
            (Some(Value::String(text)), _) => Outcome::Result(text.clone()),
            (_, Some(Value::String(kind))) => Outcome::Error(kind.clone()),
            _ => panic!("python3 answered {a}"),
        })
        .collect();
    (version.trim().to_string(), outcomes)
}

/// An outcome with its result written as Python writes it: our
/// `to_string()` of a one-element array.
fn as_python_writes(outcome: Outcome) -> Outcome {
    let Outcome::Result(text) = outcome else {
        return outcome;
    };
    let value: Value = serde_json::from_str(&text).expect("our own JSON");
    let to_string = Query::compile(Lang::JmesPath, "to_string(@)").expect("compiles");
    match to_string.eval(&Value::Array(vec![value])) {
        Ok(Value::String(text)) => Outcome::Result(text),
        other => panic!("to_string gave {other:?}"),
    }
}

#[test]
fn every_case_answers_as_pythons_jmespath() {
    let cases = cases();
    let input: Vec<Value> = cases
        .iter()
        .map(|c| json!({"expression": c.expression, "given": c.given}))
        .collect();
    let (version, theirs) = python(&input);
    assert_eq!(theirs.len(), cases.len());

    let (mut differ, mut unexpected) = (Vec::new(), Vec::new());
    for (case, theirs) in cases.iter().zip(theirs) {
        let ours = as_python_writes(ours(&case.expression, &case.given));
        if ours != theirs {
            differ.push(format!(
                "{} | `{}`: ours {ours:?}, Python's {theirs:?}",
                case.group, case.expression
            ));
        }
        let expected = as_python_writes(case.expected.clone());
        if expected != theirs {
            unexpected.push(format!(
                "{} | `{}`: the case expects {expected:?}, Python gives {theirs:?}",
                case.group, case.expression
            ));
        }
    }
    println!("{} cases compared with Python's jmespath {version}", cases.len());
    assert!(
        differ.is_empty() && unexpected.is_empty(),
        "{} of {} cases differ from Python's jmespath {version}:\n{}\n\n{} cases expect what Python does not give:\n{}",
        differ.len(),
        cases.len(),
        differ.join("\n"),
        unexpected.len(),
        unexpected.join("\n")
    );
}

/// The three things `aws --query` shows and the old crate lost, each checked
/// on its own so that a failure names it.
#[test]
fn integers_member_order_and_legacy_literals_are_the_clis() {
    let given = json!({"Roles": [{"RoleName": "b", "MaxSessionDuration": 3600}, {"RoleName": "a", "MaxSessionDuration": 7200}]});
    let cases: Vec<(&str, Value)> = vec![
        ("length(Roles)", given.clone()),
        ("sum(Roles[*].MaxSessionDuration)", given.clone()),
        ("max(Roles[*].MaxSessionDuration)", given.clone()),
        ("sort_by(Roles, &MaxSessionDuration)[-1]", given.clone()),
        ("Roles[0]", given.clone()),
        ("Roles[*].{Z: RoleName, A: MaxSessionDuration}", given.clone()),
        ("Roles[?RoleName == `a`].RoleName", given.clone()),
        ("`RoleName`", given),
    ];
    let input: Vec<Value> = cases
        .iter()
        .map(|(e, g)| json!({"expression": e, "given": g}))
        .collect();
    let (version, theirs) = python(&input);
    let ours: Vec<Outcome> = cases.iter().map(|(e, g)| as_python_writes(ours(e, g))).collect();
    let text = |s: &str| Outcome::Result(s.to_string());
    let expected = [
        text("[2]"),
        text("[10800]"),
        text("[7200]"),
        text(r#"[{"RoleName":"a","MaxSessionDuration":7200}]"#),
        text(r#"[{"RoleName":"b","MaxSessionDuration":3600}]"#),
        text(r#"[[{"Z":"b","A":3600},{"Z":"a","A":7200}]]"#),
        text(r#"[["a"]]"#),
        text(r#"["RoleName"]"#),
    ];
    assert_eq!(theirs, expected, "Python's jmespath {version}");
    assert_eq!(ours, expected);
}
