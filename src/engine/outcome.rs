//! What a run produced: per workflow, per step, per attempt, per check.
//! The reports (JSON, JUnit, the summary) are views of these types.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ground::port::{ErrorKind, Mode};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed,
    Skipped,
}

/// Why a step failed; decides the process exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// A check, a wait condition or an expected failure did not hold,
    /// or the action failed (the lab is broken).
    Check,
    /// The step's deadline passed.
    Timeout,
    /// The backend could not carry out the action (the environment is broken).
    Runtime,
    /// Ctrl-C.
    Interrupted,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Failure {
    pub kind: FailureKind,
    /// One line a person can act on.
    pub message: String,
    /// More lines: the last observed values of a wait, a JSON diff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkflowOutcome {
    pub name: String,
    pub title: Option<String>,
    pub file: PathBuf,
    pub mode: Mode,
    /// Where a replay's answers came from (the recording and how it was
    /// made), or where a recorded run was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording: Option<String>,
    pub status: Status,
    /// RFC 3339, UTC.
    pub started_at: String,
    #[serde(
        rename = "duration_ms",
        serialize_with = "millis",
        deserialize_with = "from_millis"
    )]
    pub duration: Duration,
    pub steps: Vec<StepOutcome>,
    pub finally: Vec<StepOutcome>,
}

impl WorkflowOutcome {
    /// Steps and finally steps, in the order they ran.
    pub fn all_steps(&self) -> impl Iterator<Item = &StepOutcome> {
        self.steps.iter().chain(self.finally.iter())
    }

    /// The first failure, which decides the exit code.
    pub fn first_failure(&self) -> Option<&Failure> {
        self.all_steps().find_map(|s| s.failure.as_ref())
    }

    pub fn count(&self, status: Status) -> usize {
        self.all_steps().filter(|s| s.status == status).count()
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StepOutcome {
    pub id: String,
    pub title: Option<String>,
    /// "run", "aws", "kubectl", "http", "aws (cli)", "kubectl (cli)".
    pub kind: String,
    /// Why an `aws` or `kubectl` step runs through the real CLI, when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cli: Option<String>,
    /// The command with its variables substituted (None when skipped early).
    pub command: Option<String>,
    pub finally: bool,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    #[serde(
        rename = "duration_ms",
        serialize_with = "millis",
        deserialize_with = "from_millis"
    )]
    pub duration: Duration,
    pub attempts: Vec<Attempt>,
    /// Variables this step bound, in order.
    pub captures: Vec<(String, String)>,
}

impl StepOutcome {
    /// The output of the last attempt, the one the step's result rests on.
    pub fn last_output(&self) -> Option<&Value> {
        self.attempts.last().and_then(|a| a.output.as_ref())
    }
}

/// One execution of the action: the first try, a retry or a poll of a wait.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Attempt {
    /// 1-based.
    pub number: u32,
    /// Since the step started.
    #[serde(
        rename = "offset_ms",
        serialize_with = "millis",
        deserialize_with = "from_millis"
    )]
    pub offset: Duration,
    #[serde(
        rename = "duration_ms",
        serialize_with = "millis",
        deserialize_with = "from_millis"
    )]
    pub duration: Duration,
    /// The action's output (for a failed action: its output with `error`).
    pub output: Option<Value>,
    /// What the action printed, when the output does not already hold it
    /// as its `stdout` (as a `run` step's does): `kubectl -o jsonpath=…`,
    /// `aws --output text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdout: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AttemptError>,
    pub checks: Vec<CheckOutcome>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AttemptError {
    pub kind: ErrorKind,
    pub message: String,
}

/// Which list a check came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckRole {
    Expect,
    Until,
    FailIf,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckOutcome {
    pub role: CheckRole,
    /// "jmespath" or "jq".
    pub lang: crate::query::Lang,
    pub query: String,
    /// The predicate as written, e.g. `equals "ACTIVE"`.
    pub predicate: String,
    /// The query's result; None when the query itself failed.
    pub actual: Option<Value>,
    pub passed: bool,
    /// Why it did not pass: the expected and actual values, a diff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn from_millis<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    u64::deserialize(d).map(Duration::from_millis)
}

fn millis<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_millis().min(u64::MAX as u128) as u64)
}
