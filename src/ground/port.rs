//! The action port: how the engine hands one attempt of a step to a
//! backend, and what comes back.
//!
//! The port is generic in the action it carries, so that this floor knows
//! nothing of AWS, Kubernetes or shells: the engine and the backends agree
//! on `crate::action::Action`. Cancellation is by drop: a backend must clean
//! up (kill its processes) when its future is dropped at a deadline or on a
//! signal.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a run talks to the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// The real shell, AWS and cluster.
    Live,
    /// Live, and every exchange written to the workflow's recording.
    Record,
    /// The recording only: no network, no credentials, no real time.
    Replay,
}

impl Mode {
    /// "live", "record" or "replay": what workflows see as `REHEARSE_MODE`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Record => "record",
            Mode::Replay => "replay",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

tokio::task_local! {
    /// The id of the step whose action is running: transports that record
    /// traffic tag each exchange with it, and replay uses it to explain a
    /// request that is not in the recording.
    pub static CURRENT_STEP: String;
}

/// The running step's id, or "" outside a step.
pub fn current_step() -> String {
    CURRENT_STEP.try_with(|s| s.clone()).unwrap_or_default()
}

/// An error and its causes on one line, `: `-separated, each cause once
/// ("client error (Connect): dns error: ..."), for messages a person reads
/// instead of a Debug dump.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// Everything a backend needs to run one attempt of one step.
#[derive(Clone, Debug)]
pub struct Request<A> {
    pub step_id: String,
    /// What to do, every variable filled in.
    pub action: A,
    /// The workflow's variables and the step's `env`, in that order.
    pub env: Vec<(String, String)>,
    /// The workflow's folder (or the step's `dir` in it): processes start
    /// here, and relative file paths in commands resolve against it.
    pub dir: PathBuf,
    /// argv prefix for `run` scripts.
    pub shell: Vec<String>,
    /// Bytes of output (stdout and stderr together) the action's process
    /// may print before it is stopped and the step fails.
    pub max_output: u64,
    /// Standard input of the action (the step's `stdin`).
    pub stdin: Option<String>,
    /// The step's deadline. The engine also enforces it by dropping the
    /// future; backends with their own timeouts (kubectl's `--timeout`) use
    /// it to never wait past it.
    pub deadline: tokio::time::Instant,
}

/// Carries out actions of type `A`.
pub trait Backend<A>: Send + Sync {
    /// Exposed to workflows as `REHEARSE_MODE`; a replay skips `live-only` steps.
    fn mode(&self) -> Mode;

    fn execute(&self, request: Request<A>) -> BoxFuture<'_, ActionResult>;
}

/// How an action failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The action ran and failed: a command exited non-zero, an API answered
    /// with an error. The lab is broken, or the step is expected to fail.
    Failed,
    /// The action could not be carried out: no shell, no credentials, a
    /// request missing from a recording. The environment is broken.
    Runtime,
    /// The step's deadline passed while the action ran.
    Timeout,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActionError {
    pub kind: ErrorKind,
    pub message: String,
    /// What the action produced before failing (a `run` step's streams).
    pub output: Option<Value>,
}

impl ActionError {
    pub fn failed(message: impl Into<String>, output: Option<Value>) -> Self {
        ActionError {
            kind: ErrorKind::Failed,
            message: message.into(),
            output,
        }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        ActionError {
            kind: ErrorKind::Runtime,
            message: message.into(),
            output: None,
        }
    }

    /// The output that checks see when the action failed: the action's own
    /// output with an `error` member holding `kind` and `message`, merged
    /// into the backend's own `error` object when it has one (AWS errors
    /// carry their `code` there).
    pub fn as_output(&self) -> Value {
        let mut out = match &self.output {
            Some(Value::Object(map)) => map.clone(),
            Some(other) => {
                let mut m = serde_json::Map::new();
                m.insert("output".into(), other.clone());
                m
            }
            None => serde_json::Map::new(),
        };
        let mut error = match out.shift_remove("error") {
            Some(Value::Object(e)) => e,
            _ => serde_json::Map::new(),
        };
        error.insert("kind".into(), serde_json::json!(self.kind));
        error.insert("message".into(), Value::String(self.message.clone()));
        out.insert("error".into(), Value::Object(error));
        Value::Object(out)
    }
}

/// What an action gave: the JSON that checks query, and the text the
/// command would have printed. A native `aws` or `kubectl` step prints as
/// the CLI would for the line's output options (`--output text`, `-o
/// jsonpath=…`), a `run` step prints its stdout; an `http` step prints
/// nothing of its own (`None`).
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub json: Value,
    pub stdout: Option<String>,
}

impl Output {
    /// An output that printed `stdout` as well.
    pub fn printed(json: Value, stdout: impl Into<String>) -> Output {
        Output {
            json,
            stdout: Some(stdout.into()),
        }
    }
}

/// An output reads as its JSON, which is what checks, captures and most
/// callers want; what it printed is asked for by name.
impl std::ops::Deref for Output {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.json
    }
}

/// An output with nothing printed besides its JSON.
impl From<Value> for Output {
    fn from(json: Value) -> Output {
        Output { json, stdout: None }
    }
}

pub type ActionResult = Result<Output, ActionError>;

/// A request (or command) a transport has no answer for: a replay's
/// recording lacks it. Its message names the request and the closest
/// recorded ones; backends report it as it is, whatever client carried it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoMatch {
    pub message: String,
    /// The request is a watch that the recording has, but whose recorded
    /// streams are all used: the recorded run watched no further, because
    /// its wait ended (at its deadline, as nothing else ends a wait that
    /// did not get what it waited for).
    pub watch_exhausted: bool,
}

impl fmt::Display for NoMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoMatch {}

impl From<NoMatch> for ActionError {
    fn from(e: NoMatch) -> ActionError {
        ActionError::runtime(e.message)
    }
}

impl NoMatch {
    /// The `NoMatch` behind an SDK or kube error, if a transport refused
    /// the request: backends report its message instead of the client's
    /// generic "dispatch failure" / "service error".
    pub fn find<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a NoMatch> {
        let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
        while let Some(e) = current {
            if let Some(m) = e.downcast_ref::<NoMatch>() {
                return Some(m);
            }
            // An `io::Error`'s `source` skips the error it wraps (a body's
            // error, read as a stream).
            if let Some(inner) = e
                .downcast_ref::<std::io::Error>()
                .and_then(std::io::Error::get_ref)
                && let Some(m) = inner.downcast_ref::<NoMatch>()
            {
                return Some(m);
            }
            current = e.source();
        }
        None
    }
}
