//! Substitutes variables into templates and expected values.

use serde_json::Value;

use crate::engine::vars::Vars;
use crate::format::template::{self, Part, Template};

/// Renders a template. A missing variable is an error naming it (validation
/// catches most; `--only` and skipped steps can still leave one unset).
pub fn render(template: &Template, vars: &Vars) -> Result<String, String> {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            Part::Lit(s) => out.push_str(s),
            Part::Var(name) => match vars.get(&name.value) {
                Some(v) => out.push_str(v),
                None => return Err(missing(&name.value)),
            },
        }
    }
    Ok(out)
}

/// Renders every `${NAME}` inside the strings of an expected value.
pub fn render_value(value: &Value, vars: &Vars) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(render_str(s, vars)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| render_value(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), render_value(v, vars)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// Renders a string of an expected value. It parsed when the workflow was
/// loaded, so only a missing variable can fail here.
fn render_str(s: &str, vars: &Vars) -> Result<String, String> {
    if !s.contains('$') {
        return Ok(s.to_string());
    }
    let t = template::parse(s, 0..0, "").map_err(|e| e.message)?;
    render(&t, vars)
}

fn missing(name: &str) -> String {
    format!("variable `{name}` is not set (was the step that captures it skipped?)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_expected_values() {
        let mut vars = Vars::new();
        vars.set("C", "eks-workshop");
        let v = serde_json::json!({"a": ["${C}-carts", 1], "b": "$${C}"});
        let out = render_value(&v, &vars).unwrap();
        assert_eq!(
            out,
            serde_json::json!({"a": ["eks-workshop-carts", 1], "b": "${C}"})
        );
    }

    #[test]
    fn a_missing_variable_is_named() {
        let err = render_value(&serde_json::json!("${NOPE}"), &Vars::new()).unwrap_err();
        assert!(err.contains("`NOPE`"), "{err}");
    }
}
