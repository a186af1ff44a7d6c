//! The recording file: one YAML file per workflow, next to it, named
//! `<workflow stem>.recording.yaml`.
//!
//! ```yaml
//! format: 1
//! tool_version: 0.1.0
//! recorded_at: 2025-01-12T22:41:01Z
//! capture: live
//! region: us-west-2
//! variables:
//!   CLUSTER: eks-workshop
//! exchanges:
//! - step: create-addon
//!   service: eks
//!   request:
//!     method: POST
//!     path: /clusters/eks-workshop/addons
//!     body:
//!       addonName: aws-ebs-csi-driver
//!   response:
//!     status: 201
//!     content_type: application/json
//!     body:
//!       addon:
//!         addonName: aws-ebs-csi-driver
//!   duration_ms: 412
//! - step: list-files
//!   command: ls
//!   stdout: |
//!     a.txt
//!   stderr: ''
//!   exit_code: 0
//!   duration_ms: 3
//! ```
//!
//! A recording may also hold a step's results instead of its exchanges
//! (`steps:`, see [`super::results`]).
//!
//! Bodies: a body that is JSON is stored as a YAML structure (replay
//! re-serialises it, which clients parse the same way); any other body
//! (IAM's XML, a form-encoded request, a JSON string scalar) is stored as
//! text, byte for byte. So in the file a string `body` is always raw text
//! and anything else is JSON.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::results::StepResult;
use crate::ground::atomic_file::write_atomic;
use crate::ground::names::closest_first;
use crate::ground::regular_file;

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// The services whose HTTP traffic a recording may hold.
pub const SERVICES: &[&str] = &["eks", "iam", "sts", "kubernetes", "http"];

/// `deploy.toml` → `deploy.recording.yaml`, in the same directory.
pub fn path_for(workflow: &Path) -> PathBuf {
    let stem = workflow
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "workflow".to_string());
    workflow.with_file_name(format!("{stem}.recording.yaml"))
}

/// How the exchanges were obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capture {
    /// Recorded from a real run.
    Live,
    /// Written by a person, e.g. from a tutorial's sample output.
    HandWritten,
    /// Written from an API reference's examples.
    Reference,
}

/// What a recording says about itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    pub format: u32,
    pub tool_version: String,
    /// RFC 3339.
    pub recorded_at: String,
    pub capture: Capture,
    /// Where the exchanges came from; required unless `capture` is `live`.
    pub source: Option<String>,
    pub region: Option<String>,
    /// The default namespace of `kubectl` steps when recorded (from the
    /// kubeconfig context): a replay sends the same paths.
    pub namespace: Option<String>,
    /// The default namespace of each kubeconfig context that a line named
    /// with `--context`, when recorded.
    pub context_namespaces: BTreeMap<String, String>,
    /// The API server's URL of `kubectl` steps when recorded (what
    /// `cluster-info` prints), and of each context a line named.
    pub server: Option<String>,
    pub context_servers: BTreeMap<String, String>,
    pub variables: BTreeMap<String, String>,
}

impl Header {
    /// A header for a live capture made now by this build.
    pub fn live(region: Option<String>, variables: BTreeMap<String, String>) -> Header {
        Header {
            format: FORMAT_VERSION,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            recorded_at: humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string(),
            capture: Capture::Live,
            source: None,
            region,
            namespace: None,
            context_namespaces: BTreeMap::new(),
            server: None,
            context_servers: BTreeMap::new(),
            variables,
        }
    }

    /// The variables a replay plans with: the recorded values of those the
    /// workflow declares (so that its requests are the recorded ones), then
    /// the overrides (`--var`), which win.
    pub fn replay_vars(&self, declared: &[&str], overrides: &[(String, String)]) -> Vec<(String, String)> {
        let recorded = self
            .variables
            .iter()
            .filter(|(k, _)| declared.contains(&k.as_str()) && !overrides.iter().any(|(n, _)| n == *k))
            .map(|(k, v)| (k.clone(), v.clone()));
        recorded.chain(overrides.iter().cloned()).collect()
    }
}

/// A whole recording: the header, the results of the steps that have
/// them, then the exchanges in the order they happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "RecordingFile", into = "RecordingFile")]
pub struct Recording {
    pub header: Header,
    /// By step id: the result of each attempt, in order.
    pub steps: BTreeMap<String, Vec<StepResult>>,
    pub exchanges: Vec<Exchange>,
}

/// The file's layout: the header's fields at the top level, then `steps`
/// and `exchanges`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordingFile {
    format: u32,
    tool_version: String,
    recorded_at: String,
    capture: Capture,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    namespace: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    context_namespaces: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    server: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    context_servers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, String>,
    #[serde(
        default,
        deserialize_with = "super::results::unique_steps",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    steps: BTreeMap<String, Vec<StepResult>>,
    #[serde(default)]
    exchanges: Vec<Exchange>,
}

impl From<RecordingFile> for Recording {
    fn from(f: RecordingFile) -> Recording {
        Recording {
            header: Header {
                format: f.format,
                tool_version: f.tool_version,
                recorded_at: f.recorded_at,
                capture: f.capture,
                source: f.source,
                region: f.region,
                namespace: f.namespace,
                context_namespaces: f.context_namespaces,
                server: f.server,
                context_servers: f.context_servers,
                variables: f.variables,
            },
            steps: f.steps,
            exchanges: f.exchanges,
        }
    }
}

impl From<Recording> for RecordingFile {
    fn from(r: Recording) -> RecordingFile {
        let h = r.header;
        RecordingFile {
            format: h.format,
            tool_version: h.tool_version,
            recorded_at: h.recorded_at,
            capture: h.capture,
            source: h.source,
            region: h.region,
            namespace: h.namespace,
            context_namespaces: h.context_namespaces,
            server: h.server,
            context_servers: h.context_servers,
            variables: h.variables,
            steps: r.steps,
            exchanges: r.exchanges,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Exchange {
    /// Boxed: with its bodies, ten times the size of a process exchange.
    Http(Box<HttpExchange>),
    Process(ProcessExchange),
}

impl Exchange {
    /// Whether a replay may answer `step` with this exchange: its own
    /// step's, or one it names in `also-answers`.
    pub fn answers(&self, step: &str) -> bool {
        match self {
            Exchange::Http(h) => h.step == step || h.also_answers.iter().any(|s| s == step),
            Exchange::Process(p) => p.step == step,
        }
    }

    pub fn step(&self) -> &str {
        match self {
            Exchange::Http(h) => &h.step,
            Exchange::Process(p) => &p.step,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpExchange {
    pub step: String,
    /// Other steps this exchange may answer in a replay (rare, and on
    /// purpose: by default a step is answered only by its own exchanges).
    #[serde(default, rename = "also-answers", skip_serializing_if = "Vec::is_empty")]
    pub also_answers: Vec<String>,
    /// "eks", "iam", "sts" or "kubernetes".
    pub service: String,
    pub request: RecordedRequest,
    pub response: RecordedResponse,
    pub duration_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedRequest {
    pub method: String,
    /// The path only: no scheme, host or query.
    pub path: String,
    /// Decoded `key=value` pairs, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<String>,
    /// JSON as a structure, anything else as text; absent when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// The region an AWS call named with `--region`; absent for a call in
    /// the recording's own region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedResponse {
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Response headers that replay needs: all of an `http` step's but
    /// cookies and credentials; of an AWS call, only its error type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    /// JSON as a structure, anything else as text; absent when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// A streamed (watch) response: its lines in order, each JSON as a
    /// structure or text. Present instead of `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunks: Option<Vec<Value>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessExchange {
    pub step: String,
    pub command: String,
    #[serde(default)]
    pub stdout: String,
    #[serde(default)]
    pub stderr: String,
    /// None when killed by a signal or never started.
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    /// The failure message when the command failed; absent on success.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// `runtime` when the command could not be run at all; absent for an
    /// ordinary failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<String>,
    /// The step's output when it is its own rather than made from stdout,
    /// stderr and the exit code (a local action kept whole, such as
    /// `eks update-kubeconfig`, whose stdout is the text it printed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Box<Value>>,
    pub duration_ms: u64,
}

/// Why a recording could not be read or written. Displays as
/// `path:line:column: what is wrong`.
#[derive(Debug)]
pub enum RecordingError {
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    Invalid {
        path: PathBuf,
        /// 1-based line and column, when known.
        location: Option<(usize, usize)>,
        message: String,
    },
}

impl fmt::Display for RecordingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordingError::Io { path, action, source } => {
                write!(f, "cannot {action} recording {}: {source}", path.display())
            }
            RecordingError::Invalid {
                path,
                location: Some((line, col)),
                message,
            } => write!(f, "{}:{line}:{col}: {message}", path.display()),
            RecordingError::Invalid {
                path,
                location: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for RecordingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecordingError::Io { source, .. } => Some(source),
            RecordingError::Invalid { .. } => None,
        }
    }
}

impl Recording {
    /// The time the recorded run spent in its exchanges and step results:
    /// the weight of its workflow when shards are balanced.
    pub fn duration(&self) -> std::time::Duration {
        let ms: u64 = self
            .exchanges
            .iter()
            .map(|e| match e {
                Exchange::Http(h) => h.duration_ms,
                Exchange::Process(p) => p.duration_ms,
            })
            .sum();
        let results: std::time::Duration = self.steps.values().flatten().map(StepResult::duration).sum();
        std::time::Duration::from_millis(ms) + results
    }

    pub fn load(path: &Path) -> Result<Recording, RecordingError> {
        Recording::parse(&read_text(path)?, path)
    }

    /// Parses and checks a recording's text; `path` only names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Recording, RecordingError> {
        let invalid = |location, message: String| RecordingError::Invalid {
            path: path.to_path_buf(),
            location,
            message,
        };
        // A file of another format says so, instead of failing on a field
        // this build does not know (or passing with a meaning it lost).
        let unsupported = |v: &serde_yaml_ng::Value| {
            invalid(
                key_location(text, "format"),
                format!(
                    "unsupported recording format {} (this build of rehearse reads format {FORMAT_VERSION}); record it again",
                    yaml_scalar(v)
                ),
            )
        };
        if let Some((location, count)) = too_many_aliases(text) {
            return Err(invalid(
                Some(location),
                format!(
                    "{count} YAML aliases (`*name`): a recording may use at most {MAX_ALIASES}, as each one copies its anchor's value and a few can expand to gigabytes"
                ),
            ));
        }
        let recording: Recording = serde_yaml_ng::from_str(text).map_err(|e| {
            // Only a file that does not parse is read a second time, for
            // its format alone: parsing is most of a replay's start-up.
            if let Ok(serde_yaml_ng::Value::Mapping(m)) =
                serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
                && let Some(v) = m.get("format")
                && v.as_u64() != Some(FORMAT_VERSION as u64)
            {
                return unsupported(v);
            }
            let mut location = e.location().map(|l| (l.line(), l.column()));
            let (exchange, message) = explain_yaml_error(text, &e.to_string());
            if let Some(i) = exchange {
                location = exchange_location(text, i).or(location);
            }
            location = repeated_step_location(text, &message).or(location);
            invalid(location, message)
        })?;
        if recording.header.format != FORMAT_VERSION {
            return Err(unsupported(&serde_yaml_ng::Value::from(recording.header.format)));
        }
        recording
            .check()
            .map_err(|(at, message)| invalid(at.location(text), message))?;
        Ok(recording)
    }

    /// [`Recording::load`], for a replay of the workflow whose steps are
    /// `steps`: results for a step it does not have are an error (a typo,
    /// or a step renamed since) that names its closest steps.
    pub fn load_for(path: &Path, steps: &[&str]) -> Result<Recording, RecordingError> {
        let text = read_text(path)?;
        let recording = Recording::parse(&text, path)?;
        recording
            .check_step_ids(steps)
            .map_err(|(at, message)| RecordingError::Invalid {
                path: path.to_path_buf(),
                location: at.location(&text),
                message,
            })?;
        Ok(recording)
    }

    fn check_step_ids(&self, steps: &[&str]) -> Result<(), (At, String)> {
        let Some(unknown) = self.steps.keys().find(|id| !steps.contains(&id.as_str())) else {
            return Ok(());
        };
        let closest: Vec<String> = closest_first(unknown, steps.iter().copied())
            .into_iter()
            .take(3)
            .map(|id| format!("`{id}`"))
            .collect();
        Err((
            At::Step(unknown.clone()),
            format!(
                "`steps` holds results for `{unknown}`, which is not a step of the workflow; the closest steps: {}",
                closest.join(", ")
            ),
        ))
    }

    /// Semantic checks: returns where to point, and the message.
    fn check(&self) -> Result<(), (At, String)> {
        let h = &self.header;
        if h.capture != Capture::Live && h.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            let capture = match h.capture {
                Capture::HandWritten => "hand-written",
                _ => "reference",
            };
            return Err((
                At::Key("capture"),
                format!(
                    "a `{capture}` recording needs a `source` saying where its exchanges come from \
                     (e.g. `source: EKS Workshop, Autoscaling lab, sample output`)"
                ),
            ));
        }
        self.check_results()?;
        for (i, ex) in self.exchanges.iter().enumerate() {
            let n = i + 1;
            if let Exchange::Http(h) = ex {
                if !SERVICES.contains(&h.service.as_str()) {
                    return Err((
                        At::Exchange(i),
                        format!(
                            "exchange {n} (step `{}`): unknown service `{}`; expected one of {}",
                            h.step,
                            h.service,
                            SERVICES.join(", ")
                        ),
                    ));
                }
                if h.response.body.is_some() && h.response.chunks.is_some() {
                    return Err((
                        At::Exchange(i),
                        format!(
                            "exchange {n} (step `{}`): a response has either `body` or `chunks`, not both",
                            h.step
                        ),
                    ));
                }
                if http::Method::from_bytes(h.request.method.as_bytes()).is_err() {
                    return Err((
                        At::Exchange(i),
                        format!(
                            "exchange {n} (step `{}`): `{}` is not an HTTP method",
                            h.step, h.request.method
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// Each step's results say what each attempt gave, and a step is
    /// answered by its results or by its exchanges, never both (its
    /// exchanges would never be used).
    fn check_results(&self) -> Result<(), (At, String)> {
        for (step, results) in &self.steps {
            if results.is_empty() {
                return Err((
                    At::Step(step.clone()),
                    format!("step `{step}` has no results: give one per attempt (`- output: ...`)"),
                ));
            }
            for (i, result) in results.iter().enumerate() {
                if let Some(problem) = result.problem() {
                    return Err((
                        At::Result(step.clone(), i),
                        format!("step `{step}`, result {}: {problem}", i + 1),
                    ));
                }
            }
            if self.exchanges.iter().any(|e| e.step() == step) {
                return Err((
                    At::Step(step.clone()),
                    format!(
                        "step `{step}` has both results (in `steps`) and exchanges: a replay answers a step \
                         with one or the other; remove one"
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn to_yaml(&self) -> String {
        serde_yaml_ng::to_string(self).expect("a recording always serialises")
    }

    /// Writes the file atomically: if anything fails, the previous file is left as it was.
    pub fn save(&self, path: &Path) -> Result<(), RecordingError> {
        write_atomic(path, self.to_yaml().as_bytes()).map_err(|source| RecordingError::Io {
            path: path.to_path_buf(),
            action: "write",
            source,
        })
    }
}

/// A recording's text, read as input files are (a regular file, within
/// the size limit).
fn read_text(path: &Path) -> Result<String, RecordingError> {
    regular_file::read_to_string(path, regular_file::DATA_LIMIT).map_err(|e| RecordingError::Io {
        path: path.to_path_buf(),
        action: "read",
        source: std::io::Error::other(e),
    })
}

/// Where a semantic error points.
enum At {
    Key(&'static str),
    /// The 0-based index of an exchange.
    Exchange(usize),
    /// A step's key in `steps`.
    Step(String),
    /// The 0-based index of one of a step's results.
    Result(String, usize),
}

impl At {
    /// The 1-based line and column in the recording's text, when found.
    fn location(&self, text: &str) -> Option<(usize, usize)> {
        match self {
            At::Key(k) => key_location(text, k),
            At::Exchange(i) => exchange_location(text, *i),
            At::Step(step) => step_location(text, step).map(|(line, indent)| (line + 1, indent + 1)),
            At::Result(step, i) => result_location(text, step, *i),
        }
    }
}

/// The message of a YAML error without serde_yaml's own " at line N column M"
/// (the location is printed first). serde's message for an untagged enum
/// says nothing useful: find the exchange that is wrong (its 0-based index
/// is returned) and say what is wrong with it.
fn explain_yaml_error(text: &str, message: &str) -> (Option<usize>, String) {
    let message = strip_location(message);
    if !message.contains("did not match any variant of untagged enum Exchange") {
        return (None, message);
    }
    let shape = "an exchange is either an HTTP exchange (`step`, `service`, `request`, `response`, \
                 `duration_ms`) or a process exchange (`step`, `command`, `stdout`, `stderr`, \
                 `exit_code`, `duration_ms`)";
    let Ok(serde_yaml_ng::Value::Mapping(top)) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
        return (None, shape.to_string());
    };
    let Some(serde_yaml_ng::Value::Sequence(exchanges)) = top.get("exchanges") else {
        return (None, shape.to_string());
    };
    for (i, ex) in exchanges.iter().enumerate() {
        let is_process = matches!(ex, serde_yaml_ng::Value::Mapping(m) if m.contains_key("command"));
        let err = if is_process {
            serde_yaml_ng::from_value::<ProcessExchange>(ex.clone()).err()
        } else {
            serde_yaml_ng::from_value::<HttpExchange>(ex.clone()).err()
        };
        if let Some(err) = err {
            let kind = if is_process { "a process" } else { "an HTTP" };
            let step = match ex.get("step").and_then(|s| s.as_str()) {
                Some(s) => format!(" (step `{s}`)"),
                None => String::new(),
            };
            let err = strip_location(&err.to_string());
            return (
                Some(i),
                format!(
                    "exchange {}{step}, read as {kind} exchange: {err}; {shape}",
                    i + 1
                ),
            );
        }
    }
    (None, shape.to_string())
}

fn strip_location(message: &str) -> String {
    static AT: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r" at line \d+ column \d+$").expect("valid regex"));
    AT.replace(message, "").into_owned()
}

/// The 1-based line and column of the `i`th (0-based) item of the
/// top-level `exchanges` list.
fn exchange_location(text: &str, i: usize) -> Option<(usize, usize)> {
    let start = text.lines().position(|l| l.starts_with("exchanges:"))?;
    list_item_location(text, start, 0, i)
}

/// The keys of the top-level `steps` map (its first level, however
/// indented), in order: 0-based line, indent, key.
fn step_keys(text: &str) -> Vec<(usize, usize, &str)> {
    let Some(start) = text.lines().position(|l| l.starts_with("steps:")) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    let mut key_indent = None;
    for (number, line) in text.lines().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if indent == 0 {
            break;
        }
        if *key_indent.get_or_insert(indent) == indent && !trimmed.starts_with('-') {
            let key = trimmed.split(':').next().unwrap_or("").trim_matches(['\'', '"']);
            keys.push((number, indent, key));
        }
    }
    keys
}

/// The 0-based line and indent of `step`'s key in `steps`.
fn step_location(text: &str, step: &str) -> Option<(usize, usize)> {
    step_keys(text)
        .into_iter()
        .find(|(_, _, key)| *key == step)
        .map(|(line, indent, _)| (line, indent))
}

/// Where a step given twice in `steps` is given again, if `message` says
/// one is (serde points at the start of the map).
fn repeated_step_location(text: &str, message: &str) -> Option<(usize, usize)> {
    let (_, rest) = message.split_once("step `")?;
    let (step, _) = rest.split_once("` is given twice")?;
    step_keys(text)
        .into_iter()
        .filter(|(_, _, key)| *key == step)
        .nth(1)
        .map(|(line, indent, _)| (line + 1, indent + 1))
}

/// The 1-based line and column of `step`'s `i`th (0-based) result: an
/// item of the list under its key, else (a flow list) the key itself.
fn result_location(text: &str, step: &str, i: usize) -> Option<(usize, usize)> {
    let (line, indent) = step_location(text, step)?;
    list_item_location(text, line, indent, i).or(Some((line + 1, indent + 1)))
}

/// The 1-based line and column of the `i`th (0-based) item of the block
/// list under the key on 0-based line `key_line` indented by `key_indent`
/// (YAML lets the items stand at the key's own indent).
fn list_item_location(text: &str, key_line: usize, key_indent: usize, i: usize) -> Option<(usize, usize)> {
    let mut indent = None;
    let mut n = 0;
    for (number, line) in text.lines().enumerate().skip(key_line + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this_indent = line.len() - trimmed.len();
        let item = trimmed.starts_with("- ") || trimmed == "-";
        if this_indent < key_indent || (this_indent == key_indent && !item) {
            return None;
        }
        if item && *indent.get_or_insert(this_indent) == this_indent {
            if n == i {
                return Some((number + 1, this_indent + 1));
            }
            n += 1;
        }
    }
    None
}

fn yaml_scalar(v: &serde_yaml_ng::Value) -> String {
    serde_yaml_ng::to_string(v)
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "?".into())
}

/// The 1-based line and column of a top-level `key:` in the text.
/// How many YAML aliases a recording may use. rehearse writes none; a
/// hand-written reference recording may share a few values.
const MAX_ALIASES: usize = 64;

static ALIAS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    // An alias stands where a value or a sequence item does.
    regex::Regex::new(r"(?m)(?:^|[:\-\[,{]\s*|^\s+)\*[A-Za-z0-9_.\-]+").expect("valid regex")
});

/// The line and column of the first alias past [`MAX_ALIASES`] and how
/// many there are, when there are too many: an alias bomb (aliases of
/// aliases, each doubling) would fill memory before the parser refused it.
fn too_many_aliases(text: &str) -> Option<((usize, usize), usize)> {
    if !text.contains('*') {
        return None;
    }
    let aliases: Vec<usize> = ALIAS.find_iter(text).map(|m| m.start()).collect();
    let first_over = *aliases.get(MAX_ALIASES)?;
    let line = text[..first_over].matches('\n').count() + 1;
    let col = first_over - text[..first_over].rfind('\n').map_or(0, |i| i + 1) + 1;
    Some(((line, col), aliases.len()))
}

fn key_location(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some((i + 1, 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_next_to_the_workflow() {
        assert_eq!(
            path_for(Path::new("labs/autoscaling.toml")),
            PathBuf::from("labs/autoscaling.recording.yaml")
        );
    }

    #[test]
    fn exchange_location_finds_list_items() {
        let text = "format: 1\nexchanges:\n- step: a\n  x: [1,\n  - 2]\n- step: b\nregion: x\n";
        assert_eq!(exchange_location(text, 0), Some((3, 1)));
        assert_eq!(exchange_location(text, 1), Some((6, 1)));
        assert_eq!(exchange_location(text, 2), None);
    }

    #[test]
    fn results_are_found_under_their_step_block_or_flow() {
        let text = "format: 1\nsteps:\n  # a comment\n  a:\n  - output: 1\n  -\n    output: 2\n  'b': [{output: 3}]\n  c:\n    - output: 4\nexchanges: []\n";
        assert_eq!(step_location(text, "a"), Some((3, 2)));
        assert_eq!(result_location(text, "a", 0), Some((5, 3)));
        assert_eq!(result_location(text, "a", 1), Some((6, 3)));
        assert_eq!(result_location(text, "b", 0), Some((8, 3)));
        assert_eq!(result_location(text, "c", 0), Some((10, 5)));
        assert_eq!(step_location(text, "d"), None);
    }

    #[test]
    fn key_location_finds_top_level_keys() {
        let text = "format: 1\ncapture: hand-written\n";
        assert_eq!(key_location(text, "capture"), Some((2, 1)));
        assert_eq!(key_location(text, "source"), None);
    }
}
