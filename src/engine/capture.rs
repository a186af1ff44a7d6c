//! Captures: bind a query's result over a step's output to a variable.

use serde_json::Value;

use crate::engine::vars::to_var_string;
use crate::format::ast::Capture;
use crate::query::Input;

/// Evaluates the capture's query; returns the variable's name and value
/// (strings as they are, anything else as compact JSON). Finding nothing
/// (`null`) is an error: a later `${NAME}` would otherwise read `null`.
pub fn capture(c: &Capture, output: &Input<'_>) -> Result<(String, String), String> {
    let name = &c.name.value;
    let query = &c.query.value;
    match query.eval_on(output) {
        Ok(Value::Null) => Err(format!(
            "capture `{name}`: query `{}` found nothing (null)",
            query.source()
        )),
        Ok(value) => Ok((name.clone(), to_var_string(&value))),
        Err(e) => Err(format!(
            "capture `{name}`: query `{}` failed: {e}",
            query.source()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::ast::Node;
    use crate::query::{Lang, Query};
    use serde_json::json;

    fn cap(name: &str, lang: Lang, query: &str) -> Capture {
        Capture {
            name: Node::new(name.to_string(), 0..0),
            query: Node::new(Query::compile(lang, query).unwrap(), 0..0),
            secret: false,
        }
    }

    fn output() -> Value {
        json!({"Role": {"Arn": "arn:aws:iam::123:role/r", "MaxSessionDuration": 3600,
                        "Tags": [{"Key": "team", "Value": "a"}]}})
    }

    #[test]
    fn captures_a_string_as_is() {
        let c = cap("ROLE_ARN", Lang::JmesPath, "Role.Arn");
        assert_eq!(
            capture(&c, &Input::new(&output())),
            Ok(("ROLE_ARN".to_string(), "arn:aws:iam::123:role/r".to_string()))
        );
    }

    #[test]
    fn captures_numbers_and_structures_as_json() {
        let c = cap("MAX", Lang::Jq, ".Role.MaxSessionDuration");
        assert_eq!(
            capture(&c, &Input::new(&output())),
            Ok(("MAX".into(), "3600".into()))
        );
        let c = cap("TAGS", Lang::JmesPath, "Role.Tags[].Key");
        assert_eq!(
            capture(&c, &Input::new(&output())),
            Ok(("TAGS".into(), "[\"team\"]".into()))
        );
    }

    #[test]
    fn null_is_an_error_naming_the_query() {
        let c = cap("ID", Lang::JmesPath, "Role.RoleId");
        assert_eq!(
            capture(&c, &Input::new(&output())),
            Err("capture `ID`: query `Role.RoleId` found nothing (null)".to_string())
        );
        let c = cap("ID", Lang::Jq, ".Role.Tags[] | select(.Key == \"x\")");
        let err = capture(&c, &Input::new(&output())).unwrap_err();
        assert!(err.contains("found nothing (null)"), "{err}");
    }

    #[test]
    fn a_failing_query_is_an_error() {
        let c = cap("X", Lang::Jq, "error(\"nope\")");
        let err = capture(&c, &Input::new(&output())).unwrap_err();
        assert_eq!(err, "capture `X`: query `error(\"nope\")` failed: nope");
    }
}
