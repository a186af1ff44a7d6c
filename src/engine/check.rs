//! Runs one check: a query over a step's output and its predicate.

use crate::engine::outcome::{CheckOutcome, CheckRole};
use crate::engine::predicate;
use crate::engine::vars::Vars;
use crate::format::ast::Check;
use crate::query::Input;

/// Evaluates the check's query over `output` and applies its predicate.
/// A query that fails to evaluate is a failed check with no actual value.
pub fn run_check(check: &Check, role: CheckRole, output: &Input<'_>, vars: &Vars) -> CheckOutcome {
    let query = &check.query.value;
    let predicate = &check.predicate.value;
    let (actual, result) = match query.eval_on(output) {
        Ok(actual) => {
            let result = predicate::evaluate(predicate, vars, &actual);
            (Some(actual), result)
        }
        Err(e) => (None, Err(format!("query failed: {e}"))),
    };
    CheckOutcome {
        role,
        lang: query.lang(),
        query: query.source().to_string(),
        predicate: predicate::describe(predicate),
        actual,
        passed: result.is_ok(),
        message: result.err(),
    }
}

/// True when every check passed (also when there are none).
pub fn all_passed(outcomes: &[CheckOutcome]) -> bool {
    outcomes.iter().all(|o| o.passed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::ast::{Expected, Node, Predicate};
    use crate::query::{Lang, Query};
    use serde_json::{Value, json};

    fn check(lang: Lang, query: &str, predicate: Predicate) -> Check {
        Check {
            query: Node::new(Query::compile(lang, query).unwrap(), 0..0),
            predicate: Node::new(predicate, 0..0),
            span: 0..0,
        }
    }

    fn equals(value: Value) -> Predicate {
        Predicate::Equals(Expected::parse(value).expect("a valid template"))
    }

    fn cluster() -> Value {
        json!({"cluster": {"name": "eks-workshop", "status": "CREATING", "version": "1.31"}})
    }

    #[test]
    fn a_passing_check() {
        let c = check(Lang::JmesPath, "cluster.name", equals(json!("eks-workshop")));
        let o = run_check(&c, CheckRole::Expect, &Input::new(&cluster()), &Vars::new());
        assert!(o.passed);
        assert_eq!(o.role, CheckRole::Expect);
        assert_eq!(o.lang, Lang::JmesPath);
        assert_eq!(o.query, "cluster.name");
        assert_eq!(o.predicate, "equals \"eks-workshop\"");
        assert_eq!(o.actual, Some(json!("eks-workshop")));
        assert_eq!(o.message, None);
    }

    #[test]
    fn a_failing_check_explains_itself() {
        let c = check(Lang::JmesPath, "cluster.status", equals(json!("ACTIVE")));
        let o = run_check(&c, CheckRole::Until, &Input::new(&cluster()), &Vars::new());
        assert!(!o.passed);
        assert_eq!(o.actual, Some(json!("CREATING")));
        assert_eq!(
            o.message.as_deref(),
            Some("expected: \"ACTIVE\"\n  actual: \"CREATING\"")
        );
    }

    #[test]
    fn expected_values_are_rendered() {
        let c = check(Lang::Jq, ".cluster.name", equals(json!("${PREFIX}-workshop")));
        let mut vars = Vars::new();
        vars.set("PREFIX", "eks");
        let o = run_check(&c, CheckRole::Expect, &Input::new(&cluster()), &vars);
        assert!(o.passed, "{:?}", o.message);
        assert_eq!(o.lang, Lang::Jq);

        vars.set("PREFIX", "gke");
        let o = run_check(&c, CheckRole::Expect, &Input::new(&cluster()), &vars);
        assert!(!o.passed);
        let m = o.message.unwrap();
        assert!(m.contains("expected: \"gke-workshop\""), "{m}");
    }

    #[test]
    fn a_query_that_fails_is_a_failed_check_without_actual() {
        let c = check(Lang::Jq, ".cluster.name.first", Predicate::Exists);
        let o = run_check(&c, CheckRole::FailIf, &Input::new(&cluster()), &Vars::new());
        assert!(!o.passed);
        assert_eq!(o.actual, None);
        let m = o.message.unwrap();
        assert!(m.starts_with("query failed: "), "{m}");
        assert!(m.contains("cannot index"), "{m}");

        let c = check(Lang::JmesPath, "length(cluster.version.x)", Predicate::Exists);
        let o = run_check(&c, CheckRole::Expect, &Input::new(&cluster()), &Vars::new());
        assert!(!o.passed);
        assert!(o.message.unwrap().starts_with("query failed: "));
    }

    #[test]
    fn all_passed_needs_every_check() {
        let ok = check(Lang::JmesPath, "cluster.name", Predicate::Exists);
        let ko = check(Lang::JmesPath, "cluster.nope", Predicate::Exists);
        let run = |c: &Check| run_check(c, CheckRole::Expect, &Input::new(&cluster()), &Vars::new());
        assert!(all_passed(&[]));
        assert!(all_passed(&[run(&ok), run(&ok)]));
        assert!(!all_passed(&[run(&ok), run(&ko)]));
    }
}
