//! Step results: what a step's attempts gave, held in a recording instead
//! of the traffic that gave it. Reference data written by hand from a
//! tutorial's sample output is a few lines per step this way, where the
//! HTTP exchanges behind the same output are dozens.
//!
//! ```yaml
//! steps:
//!   addon-active:              # a wait: one result per poll, the last repeats
//!   - output: {addon: {addonName: eks-pod-identity-agent, status: CREATING}}
//!     duration_ms: 95
//!   - output: {addon: {addonName: eks-pod-identity-agent, status: ACTIVE}}
//!   table-name:                # a process: stdout, stderr, exit_code
//!   - stdout: "eks-workshop-carts\n"
//!   addon-deleted:             # a failure: its message, kind and output
//!   - error:
//!       message: 'An error occurred (ResourceNotFoundException) ...'
//!       output: {error: {code: ResourceNotFoundException}}
//! ```
//!
//! YAML's merge keys (`<<: *anchor`) are applied in outputs, so that a
//! poll that differs from the one before says only what differs. A replay
//! answers each attempt of a step that has results from them, in order,
//! without running its backend; see [`ReplayAttempts`].

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::matcher::Player;
use crate::action::process::{exit_result, process_output};
use crate::ground::clock::Clock;
use crate::ground::port::{ActionError, ActionResult, ErrorKind, Output};
use crate::transport::AttemptTransport;

/// How long a result takes on the replay's clock when it says nothing.
pub const DEFAULT_DURATION: Duration = Duration::from_millis(100);

/// One attempt of a step: its output (`output`, or a process's `stdout`,
/// `stderr` and `exit_code`), or its failure (`error`).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepResult {
    /// The output as checks see it (`null` is an output too).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stderr: Option<String>,
    /// 0 when absent; another code fails the attempt as the shell would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ResultError>,
    /// The attempt's time on the replay's clock ([`DEFAULT_DURATION`] when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

/// A failed attempt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultError {
    pub message: String,
    #[serde(default)]
    pub kind: ResultErrorKind,
    /// What the action gave before failing (an AWS error's `{error: {code}}`,
    /// a command's streams).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub output: Option<Value>,
}

/// The kinds of failure a result may hold: a timeout is the engine's to
/// decide, from the step's deadline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResultErrorKind {
    /// The action ran and failed (an API error, a command's non-zero exit).
    #[default]
    Failed,
    /// The action could not be carried out.
    Runtime,
}

/// A member that is there, even as `null`: `Some(Value::Null)`, unlike
/// serde's `Option`, which reads `null` as absent. Its merge keys are
/// applied.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    let mut value = Value::deserialize(d)?;
    apply_merges(&mut value).map_err(serde::de::Error::custom)?;
    Ok(Some(value))
}

/// YAML's merge keys (`<<: *base`, or a list of bases, the first winning),
/// applied: a mapping gets each member of its bases that it does not set
/// itself. Written by hand, a poll then says only what changed since the
/// one before. Inner mappings are merged first, so a base may itself
/// merge another.
fn apply_merges(value: &mut Value) -> Result<(), String> {
    match value {
        Value::Array(items) => items.iter_mut().try_for_each(apply_merges),
        Value::Object(members) => {
            members.values_mut().try_for_each(apply_merges)?;
            let Some(merged) = members.shift_remove("<<") else {
                return Ok(());
            };
            let base = bases(merged)?;
            *members = merge_over(base, std::mem::take(members));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The mappings a merge key names, as one: an earlier base's member wins
/// over a later one's.
fn bases(merged: Value) -> Result<Map<String, Value>, String> {
    let list = match merged {
        Value::Array(list) => list,
        base => vec![base],
    };
    let mut all = Map::new();
    for base in list {
        let Value::Object(base) = base else {
            return Err("`<<` (a merge key) takes a mapping, or a list of mappings".into());
        };
        for (key, member) in base {
            all.entry(key).or_insert(member);
        }
    }
    Ok(all)
}

/// A mapping's own members over its base's: the base's members in their
/// order, each replaced where the mapping sets it, then the mapping's
/// other members. Outputs keep their members' order, so a poll written as
/// "the one before, but" lists them as that one does.
fn merge_over(base: Map<String, Value>, mut own: Map<String, Value>) -> Map<String, Value> {
    let mut merged = Map::new();
    for (key, member) in base {
        let member = own.shift_remove(&key).unwrap_or(member);
        merged.insert(key, member);
    }
    merged.extend(own);
    merged
}

/// The `steps` map, refusing a step given twice: YAML would keep its
/// last list and silently drop the first.
pub(super) fn unique_steps<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Vec<StepResult>>, D::Error> {
    struct Steps;
    impl<'de> Visitor<'de> for Steps {
        type Value = BTreeMap<String, Vec<StepResult>>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of step ids to lists of results")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut steps = BTreeMap::new();
            while let Some((step, results)) = map.next_entry::<String, Vec<StepResult>>()? {
                if steps.contains_key(&step) {
                    return Err(serde::de::Error::custom(format!(
                        "step `{step}` is given twice in `steps`: give all its results in one list"
                    )));
                }
                steps.insert(step, results);
            }
            Ok(steps)
        }
    }
    d.deserialize_map(Steps)
}

impl StepResult {
    fn is_process(&self) -> bool {
        self.stdout.is_some() || self.stderr.is_some() || self.exit_code.is_some()
    }

    /// What is wrong with the result's shape, if anything: it must say
    /// what the attempt gave in exactly one way.
    pub fn problem(&self) -> Option<&'static str> {
        let error_output = self.error.as_ref().is_some_and(|e| e.output.is_some());
        // `output` with `stdout` is a native step's JSON and what it printed
        // (`--output text`, `-o jsonpath=…`); only a process has the rest.
        if self.output.is_some() && (self.stderr.is_some() || self.exit_code.is_some()) {
            Some(
                "a result has either `output` (and what it printed, `stdout`) or a process's `stdout`, `stderr` and `exit_code`, not both",
            )
        } else if self.output.is_some() && self.error.is_some() {
            Some("a failed attempt's output goes in `error.output`, not in `output`")
        } else if error_output && self.is_process() {
            Some(
                "a failed attempt's output is either `error.output` or a process's `stdout`, `stderr` and `exit_code`, not both",
            )
        } else if self.output.is_none() && !self.is_process() && self.error.is_none() {
            Some("a result needs `output`, a process's `stdout`, `stderr` and `exit_code`, or `error`")
        } else {
            None
        }
    }

    /// The attempt's result, as its backend would have returned it.
    pub fn result(&self) -> ActionResult {
        let stdout = self.stdout.as_deref().unwrap_or("").as_bytes();
        let stderr = self.stderr.as_deref().unwrap_or("").as_bytes();
        let exit_code = Some(self.exit_code.unwrap_or(0));
        let Some(error) = &self.error else {
            return match &self.output {
                Some(output) => Ok(Output {
                    json: output.clone(),
                    stdout: self.stdout.clone(),
                }),
                None => exit_result(stdout, stderr, exit_code, None),
            };
        };
        let output = match &error.output {
            Some(output) => Some(output.clone()),
            None => self
                .is_process()
                .then(|| process_output(stdout, stderr, exit_code, None)),
        };
        Err(ActionError {
            kind: match error.kind {
                ResultErrorKind::Failed => ErrorKind::Failed,
                ResultErrorKind::Runtime => ErrorKind::Runtime,
            },
            message: error.message.clone(),
            output,
        })
    }

    pub fn duration(&self) -> Duration {
        self.duration_ms.map_or(DEFAULT_DURATION, Duration::from_millis)
    }
}

/// Answers each attempt of a step that has results in the recording, and
/// moves the clock on by the result's time; nothing runs.
pub struct ReplayAttempts {
    pub player: Player,
    pub clock: Clock,
}

impl AttemptTransport for ReplayAttempts {
    fn answer(&self, step: &str) -> Option<ActionResult> {
        let (result, took) = self.player.step_result(step)?;
        self.clock.advance(took);
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(yaml: &str) -> StepResult {
        serde_yaml_ng::from_str(yaml).unwrap()
    }

    #[test]
    fn an_output_is_the_attempt_s_output_even_null() {
        assert_eq!(read("output: {a: 1}").result(), Ok(json!({"a": 1}).into()));
        assert_eq!(read("output: null").result(), Ok(Value::Null.into()));
        assert_eq!(read("output: null").problem(), None);
    }

    #[test]
    fn an_output_may_say_what_the_step_printed_but_not_how_a_process_ended() {
        let printed = read("{output: {spec: {replicas: 2}}, stdout: \"2\"}");
        assert_eq!(printed.problem(), None);
        assert_eq!(
            printed.result(),
            Ok(Output::printed(json!({"spec": {"replicas": 2}}), "2"))
        );
        for yaml in ["{output: {}, exit_code: 0}", "{output: {}, stderr: x}"] {
            assert!(read(yaml).problem().unwrap().contains("not both"), "{yaml}");
        }
    }

    #[test]
    fn merge_keys_fill_in_what_a_mapping_does_not_set() {
        let yaml = "output:\n  a: &a {x: 1, y: {p: 1, q: 2}}\n  b: &b {<<: *a, x: 2}\n  c: {<<: [*b, {z: 3}], y: {<<: *a, q: 3}}\n";
        let output = read(yaml).result().unwrap().json;
        assert_eq!(output["b"], json!({"x": 2, "y": {"p": 1, "q": 2}}));
        assert_eq!(output["c"]["x"], 2, "the base that merges another is whole");
        assert_eq!(output["c"]["z"], 3);
        assert_eq!(output["c"]["y"]["q"], 3);
        // The base's order, what the mapping sets in its place, then the rest.
        let output = read("output: {a: &a {x: 1, y: 1, z: 1}, b: {w: 2, <<: *a, y: 2}}")
            .result()
            .unwrap()
            .json;
        let keys: Vec<&String> = output["b"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["x", "y", "z", "w"]);
        assert_eq!(output["b"], json!({"x": 1, "y": 2, "z": 1, "w": 2}));
        let err = serde_yaml_ng::from_str::<StepResult>("output: {<<: 1}").unwrap_err();
        assert!(
            err.to_string().contains("`<<` (a merge key) takes a mapping"),
            "{err}"
        );
    }

    #[test]
    fn a_process_fails_on_a_non_zero_exit_as_the_shell_does() {
        assert_eq!(
            read("stdout: \"x\\n\"").result(),
            Ok(Output::printed(
                json!({"stdout": "x\n", "stderr": "", "exit_code": 0}),
                "x\n"
            ))
        );
        let e = read("{stderr: \"no such table\\n\", exit_code: 2}")
            .result()
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Failed);
        assert_eq!(e.message, "command exited with code 2: no such table");
        assert_eq!(e.output.unwrap()["exit_code"], 2);
    }

    #[test]
    fn an_error_carries_its_kind_message_and_output() {
        let e = read("error: {message: gone, output: {error: {code: NotFound}}}")
            .result()
            .unwrap_err();
        assert_eq!(
            e,
            ActionError::failed("gone", Some(json!({"error": {"code": "NotFound"}})))
        );
        let e = read("error: {message: no shell, kind: runtime}")
            .result()
            .unwrap_err();
        assert_eq!(e, ActionError::runtime("no shell"));
        // A process's streams are the failure's output.
        let e = read("{stdout: partial, exit_code: 0, error: {message: stopped}}")
            .result()
            .unwrap_err();
        assert_eq!(e.output.unwrap()["stdout"], "partial");
    }

    #[test]
    fn a_result_says_what_it_gave_in_exactly_one_way() {
        for yaml in [
            "{output: 1, exit_code: 0}",
            "{output: 1, error: {message: m}}",
            "{stdout: x, error: {message: m, output: 1}}",
            "duration_ms: 5",
        ] {
            assert!(read(yaml).problem().is_some(), "{yaml}");
        }
        assert_eq!(
            read("duration_ms: 5\noutput: 1").duration(),
            Duration::from_millis(5)
        );
        assert_eq!(read("output: 1").duration(), DEFAULT_DURATION);
    }
}
