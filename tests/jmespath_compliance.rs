//! JMESPath as the AWS CLI runs it: every case of
//! `tests/fixtures/jmespath/*.json` (see `jmespath_cases`) gives its
//! expected result, as JSON text (member order and number kinds count), or
//! fails with its expected kind of error. The cases cover the whole
//! specification (fields, indexes, slices, the four projections, pipes,
//! multi-selects, comparators, logic, literals and every built-in function
//! with its type errors), Python's quirks that `aws --query` shows, and the
//! three things rehearse keeps as the CLI does: integers, member order and
//! legacy backtick literals. `jmespath_parity` checks the same cases against
//! Python's `jmespath`.

mod jmespath_cases;

use jmespath_cases::{Outcome, cases, ours};

#[test]
fn every_case_gives_its_expected_result_or_error() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let got = ours(&case.expression, &case.given);
        if got != case.expected {
            failures.push(format!(
                "{} | `{}`: expected {:?}, got {got:?}",
                case.group, case.expression, case.expected
            ));
        }
    }
    println!("{} JMESPath cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The cases stay a full tour: each built-in function, each kind of error
/// and each kind of expression appears in at least one case.
#[test]
fn the_cases_cover_every_function_error_and_construct() {
    let cases = cases();
    assert!(cases.len() >= 600, "only {} cases", cases.len());
    let functions = [
        "abs",
        "avg",
        "ceil",
        "contains",
        "ends_with",
        "floor",
        "join",
        "keys",
        "length",
        "map",
        "max",
        "max_by",
        "merge",
        "min",
        "min_by",
        "not_null",
        "reverse",
        "sort",
        "sort_by",
        "starts_with",
        "sum",
        "to_array",
        "to_number",
        "to_string",
        "type",
        "values",
    ];
    for name in functions {
        let call = format!("{name}(");
        let calls: Vec<_> = cases.iter().filter(|c| c.expression.contains(&call)).collect();
        assert!(
            calls.iter().any(|c| matches!(c.expected, Outcome::Result(_))),
            "no case calls {name}() with a result"
        );
        // Every function but those taking anything can be given a wrong type.
        if !["not_null", "to_array", "to_number", "to_string", "type"].contains(&name) {
            assert!(
                calls
                    .iter()
                    .any(|c| c.expected == Outcome::Error("invalid-type".into())),
                "no case gives {name}() a wrong type"
            );
        }
    }
    for kind in jmespath_cases::ERROR_KINDS {
        assert!(
            cases.iter().any(|c| c.expected == Outcome::Error(kind.into())),
            "no case expects a {kind} error"
        );
    }
    let constructs = [
        ("a sub-expression", "."),
        ("a quoted identifier", "\""),
        ("an index", "[0]"),
        ("a negative index", "[-1]"),
        ("a slice", ":"),
        ("a list projection", "[*]"),
        ("an object projection", ".*"),
        ("a flatten", "[]"),
        ("a filter", "[?"),
        ("a pipe", " | "),
        ("a multi-select list", ".["),
        ("a multi-select hash", "{"),
        ("an or", "||"),
        ("an and", "&&"),
        ("a not", "!"),
        ("an expression reference", "&"),
        ("a raw string", "'"),
        ("a JSON literal", "`"),
        ("the current node", "@"),
        ("a comparison", "=="),
        ("an ordering", "<="),
        ("parentheses", "("),
    ];
    for (what, text) in constructs {
        assert!(
            cases
                .iter()
                .any(|c| c.expression.contains(text) && matches!(c.expected, Outcome::Result(_))),
            "no case with {what} (`{text}`) gives a result"
        );
    }
}
