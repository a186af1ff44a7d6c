//! `wait --for=…`: conditions, deletion, creation and JSONPath values,
//! followed with watches until they hold or the timeout passes.

use serde_json::{Value, json};

use super::watch::{self, Filter};
use super::{Ctx, api_error, failed_with, lines, one_or_list, select};
use crate::action::kubectl::{Wait, WaitFor};
use crate::ground::port::ActionError;

/// What `wait` gives: `{"stdout": "… condition met"}`; with `-o`, the
/// objects as they were when their condition held, and the lines (which
/// `-o name` prints).
type Waited = Result<(Value, Option<Vec<String>>), ActionError>;

impl Ctx<'_> {
    pub(super) async fn wait(&self, v: &Wait, objects_out: bool) -> Waited {
        let condition = &v.condition;
        let deadline = self.wait_deadline(Some(v.timeout));
        let objs = self
            .objects(&v.targets.list, v.selector.as_deref(), v.all_namespaces)
            .await?;
        if objs.is_empty() {
            return Err(ActionError::failed("error: no matching resources found", None));
        }
        let mut stdout = Vec::new();
        let mut met_objects = Vec::new();
        for o in &objs {
            // Named objects must exist, except when waiting for their deletion or creation.
            if !matches!(condition, WaitFor::Delete | WaitFor::Create)
                && let Err(e) = self.get_one(&o.r, o.namespace.as_deref(), &o.name).await
            {
                return Err(api_error(e));
            }
            let names = [o.name.clone()];
            let filter = Filter {
                namespace: o.namespace.as_deref(),
                names: &names,
                selector: None,
            };
            let met = watch::until(
                self.client(),
                &self.b.timer,
                &o.r,
                &filter,
                deadline,
                |objects, _| {
                    let obj = objects.get(&o.name);
                    let holds = match condition {
                        WaitFor::Delete => obj.is_none(),
                        WaitFor::Create => obj.is_some(),
                        WaitFor::Condition { name, value } => {
                            obj.is_some_and(|obj| condition_met(obj, name, value))
                        }
                        WaitFor::JsonPath { path, value } => {
                            obj.is_some_and(|obj| match (select::at_path(obj, path), value) {
                                (Some(found), Some(want)) => select::display(found) == *want,
                                (Some(found), None) => !found.is_null(),
                                (None, _) => false,
                            })
                        }
                    };
                    Ok(holds.then(|| obj.cloned()))
                },
            )
            .await?;
            let Some(met) = met else {
                return Err(failed_with(
                    &stdout,
                    format!(
                        "error: timed out waiting for the condition on {}/{}",
                        o.r.ar.plural, o.name
                    ),
                ));
            };
            met_objects.extend(met);
            stdout.push(format!("{}/{} condition met", o.r.type_name(), o.name));
        }
        if objects_out {
            return Ok((one_or_list(met_objects), Some(stdout)));
        }
        Ok((json!({"stdout": lines(&stdout)}), None))
    }
}

/// `--for=condition=NAME=VALUE` as kubectl checks it: case-insensitive,
/// and a condition observed for an older generation does not count.
fn condition_met(obj: &Value, name: &str, value: &str) -> bool {
    let generation = obj.pointer("/metadata/generation").and_then(Value::as_i64);
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|c| {
            let ty = c.get("type").and_then(Value::as_str).unwrap_or_default();
            let status = c.get("status").and_then(Value::as_str).unwrap_or_default();
            let observed = c.get("observedGeneration").and_then(Value::as_i64);
            ty.eq_ignore_ascii_case(name)
                && status.eq_ignore_ascii_case(value)
                && match (observed, generation) {
                    (Some(o), Some(g)) => o >= g,
                    _ => true,
                }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions() {
        let obj = json!({"metadata": {"generation": 2}, "status": {"conditions": [
            {"type": "Available", "status": "True"},
            {"type": "Ready", "status": "True", "observedGeneration": 1}]}});
        assert!(condition_met(&obj, "available", "true"));
        assert!(!condition_met(&obj, "Available", "False"));
        assert!(!condition_met(&obj, "Ready", "true"));
    }
}
