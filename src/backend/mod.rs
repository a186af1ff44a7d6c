//! Backends carry out a step's action and return its output as JSON.
//!
//! The engine knows nothing of shells, AWS or Kubernetes: it hands a
//! resolved action (variables substituted) to a `Backend` and checks what
//! comes back. Cancellation is by drop: a backend must clean up (kill its
//! processes) when its future is dropped at a deadline or on Ctrl-C.

pub mod aws;
pub mod dispatch;
pub mod http;
pub mod kube;
pub mod shell;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use serde_json::Value;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

tokio::task_local! {
    /// The id of the step whose action is running: transports that record
    /// traffic tag each exchange with it, and replay uses it to explain a
    /// request that is not in the recording.
    pub static CURRENT_STEP: String;
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

/// The running step's id, or "" outside a step.
pub fn current_step() -> String {
    CURRENT_STEP.try_with(|s| s.clone()).unwrap_or_default()
}

/// An action with its variables substituted.
#[derive(Clone, Debug, PartialEq)]
pub enum ResolvedAction {
    Run { script: String },
    Aws { command: String },
    Kubectl { command: String },
    Http(HttpRequest),
}

/// An HTTP request of an `http` step, variables substituted.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// `GET https://...`, for reports.
    pub line: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub follow_redirects: bool,
}

impl ResolvedAction {
    pub fn kind(&self) -> &'static str {
        match self {
            ResolvedAction::Run { .. } => "run",
            ResolvedAction::Aws { .. } => "aws",
            ResolvedAction::Kubectl { .. } => "kubectl",
            ResolvedAction::Http(_) => "http",
        }
    }

    /// The command as a person would read it in a report.
    pub fn command(&self) -> &str {
        match self {
            ResolvedAction::Run { script } => script,
            ResolvedAction::Aws { command } | ResolvedAction::Kubectl { command } => command,
            ResolvedAction::Http(h) => &h.line,
        }
    }
}

/// Everything a backend needs to run one attempt of one step.
#[derive(Clone, Debug)]
pub struct ActionRequest {
    pub step_id: String,
    pub action: ResolvedAction,
    /// The workflow's variables and the step's `env`, in that order.
    pub env: Vec<(String, String)>,
    /// Working directory for processes.
    pub dir: PathBuf,
    /// argv prefix for `run` scripts.
    pub shell: Vec<String>,
    /// Standard input of the action (the step's `stdin`).
    pub stdin: Option<String>,
    /// The step's deadline. The engine also enforces it by dropping the
    /// future; backends with their own timeouts (kubectl's `--timeout`) use
    /// it to never wait past it.
    pub deadline: tokio::time::Instant,
}

/// How an action failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
        let mut error = match out.remove("error") {
            Some(Value::Object(e)) => e,
            _ => serde_json::Map::new(),
        };
        error.insert("kind".into(), serde_json::json!(self.kind));
        error.insert("message".into(), Value::String(self.message.clone()));
        out.insert("error".into(), Value::Object(error));
        Value::Object(out)
    }
}

pub type ActionResult = Result<Value, ActionError>;

pub trait Backend: Send + Sync {
    /// "live", "record" or "replay": exposed to workflows as `REHEARSE_MODE`.
    fn mode(&self) -> &'static str;

    fn execute(&self, request: ActionRequest) -> BoxFuture<'_, ActionResult>;
}
