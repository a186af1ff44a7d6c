//! The workflow as written: every value keeps the byte span it came from, so
//! that validation and run-time errors can point at the file, line and column.
//!
//! Leaves are already compiled by the parser (queries, regexes, templates,
//! durations): a workflow that parsed has no syntax left to fail at run time.

use std::time::Duration;

use crate::action::words::Line;
use crate::action::{aws, kubectl};
use crate::format::template::{JsonTemplate, Template};
use crate::query::Query;

pub use crate::ground::span::{Node, Span};

#[derive(Clone, Debug)]
pub struct Workflow {
    pub meta: Meta,
    pub defaults: Defaults,
    /// In source order.
    pub vars: Vec<VarDef>,
    pub steps: Vec<Step>,
    /// Steps that always run after `steps`, also after a failure or Ctrl-C.
    pub finally: Vec<Step>,
    pub kubernetes: Kubernetes,
}

/// `[kubernetes]`: which cluster `kubectl` steps talk to, over kubeconfig's choice.
#[derive(Clone, Debug, Default)]
pub struct Kubernetes {
    pub context: Option<Node<String>>,
    pub namespace: Option<Node<String>>,
}

#[derive(Clone, Debug)]
pub struct Meta {
    pub name: Node<String>,
    pub title: Option<Node<String>>,
    /// Where the tutorial lives (a URL, usually).
    pub source: Option<Node<String>>,
    pub description: Option<Node<String>>,
    /// The AWS account a live run must be in (a guard rail).
    pub account: Option<Template>,
}

/// `[defaults]`: values every step inherits unless it sets its own.
#[derive(Clone, Debug, Default)]
pub struct Defaults {
    pub timeout: Option<Node<Duration>>,
    /// Bytes of output a step's process may print.
    pub max_output: Option<Node<u64>>,
    /// argv prefix for `run` steps; the script is appended as the last argument.
    pub shell: Option<Node<Vec<String>>>,
    pub interval: Option<Node<Duration>>,
    pub max_interval: Option<Node<Duration>>,
    pub backoff: Option<Node<f64>>,
}

#[derive(Clone, Debug)]
pub struct VarDef {
    pub name: Node<String>,
    pub source: VarSource,
    /// The whole definition, for errors about it.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum VarSource {
    /// `NAME = "value"`
    Literal(Node<String>),
    /// `NAME = { env = "X" }` (required) or `{ env = "X", default = "y" }`,
    /// with `secret = true` when its value must never be shown.
    Env {
        env: Node<String>,
        default: Option<Node<String>>,
        secret: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Step {
    pub id: Node<String>,
    pub title: Option<Node<String>>,
    pub action: Node<Action>,
    /// Bounds the whole step: every attempt, poll and delay.
    pub timeout: Option<Node<Duration>>,
    /// Bytes of output its process may print.
    pub max_output: Option<Node<u64>>,
    pub expect: Vec<Check>,
    pub capture: Vec<Capture>,
    pub wait: Option<Wait>,
    pub retry: Option<Retry>,
    /// The action must fail; `expect` then checks the failure's output.
    pub must_fail: Option<Node<bool>>,
    /// A JMESPath expression over the variables; the step runs when it is truthy.
    pub when: Option<Node<Query>>,
    /// Never run this step, and say why.
    pub skip: Option<Node<String>>,
    /// Run this step only against the real world (live and record), and
    /// say why: replays show it skipped with this reason.
    pub live_only: Option<Node<String>>,
    /// Extra environment for `run` steps.
    pub env: Vec<(Node<String>, Template)>,
    /// Working directory for `run` steps, relative to the workflow's folder.
    pub dir: Option<Node<String>>,
    /// Standard input of the action (`kubectl apply -f -`, a `run` script).
    pub stdin: Option<Template>,
    /// The tutorial command the step was imported from.
    pub source: Option<Source>,
    /// The whole `[[steps]]` table.
    pub span: Span,
}

/// `source = { page, line, fingerprint }`: where an imported step's
/// command was written, and a hash of it as imported.
#[derive(Clone, Debug)]
pub struct Source {
    /// The page, relative to the workflow file's folder.
    pub page: Node<String>,
    /// The line where the command starts, from 1.
    pub line: Node<u64>,
    pub fingerprint: Node<String>,
    /// The whole `source` table.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Action {
    /// A shell script. Not interpolated by rehearse: variables reach it
    /// through its environment, so the shell quotes them correctly.
    Run(String),
    /// `aws <service> <operation> ...` as pasted from a tutorial, or its
    /// table form (boxed: its call holds every CLI option).
    Aws(Box<AwsStep>),
    /// `kubectl <verb> ...` as pasted from a tutorial.
    Kubectl(KubectlStep),
    /// An HTTP request, answered with its status, headers and body.
    Http(HttpCall),
    /// An `aws` or `kubectl` line rehearse does not run natively: the real
    /// CLI runs it.
    Cli(CliStep),
}

#[derive(Clone, Debug)]
pub struct HttpCall {
    pub method: Node<String>,
    pub url: Template,
    pub headers: Vec<(Node<String>, Template)>,
    pub body: Option<Template>,
    pub follow_redirects: bool,
}

impl Action {
    /// The key that selects this action in a step, also used as its kind in reports.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Run(_) => "run",
            Action::Aws(_) => "aws",
            Action::Kubectl(_) => "kubectl",
            Action::Http(_) => "http",
            Action::Cli(c) => c.fallback.tool.kind(),
        }
    }

    /// The command as the workflow writes it: the script, `aws …` and
    /// `kubectl …` as on the tutorial's page, `METHOD url`; placeholders
    /// as written.
    pub fn written(&self) -> String {
        match self {
            Action::Run(script) => script.clone(),
            Action::Aws(a) => format!("aws {}", a.line.text),
            Action::Kubectl(k) => format!("kubectl {}", k.line.text),
            Action::Http(h) => format!("{} {}", h.method.value, h.url.source()),
            Action::Cli(c) => format!("{} {}", c.fallback.tool.name(), c.line.text),
        }
    }
}

/// An `aws` or `kubectl` line run through the CLI: the line as written and
/// its words.
#[derive(Clone, Debug)]
pub struct CliStep {
    pub line: Line,
    pub fallback: crate::action::cli::Fallback,
}

/// An `aws` step: the line as written and the call it was parsed into.
#[derive(Clone, Debug)]
pub struct AwsStep {
    /// The line, or the table form's `command`.
    pub line: Line,
    /// The table form's `input`, as written: the input with the API's
    /// member names (strings may hold `${NAME}`).
    pub input: Option<Expected>,
    pub call: aws::Call,
}

/// A `kubectl` step: the line as written and the command it was parsed into.
#[derive(Clone, Debug)]
pub struct KubectlStep {
    pub line: Line,
    /// Boxed: the largest of the actions by far.
    pub command: Box<kubectl::ParsedCommand>,
}

/// One check: a query over the step's output and what its result must satisfy.
#[derive(Clone, Debug)]
pub struct Check {
    pub query: Node<Query>,
    pub predicate: Node<Predicate>,
    pub span: Span,
}

/// An expected value as written. Strings may hold `${NAME}` references,
/// which are substituted when the check runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Expected {
    /// As written, for messages and reports.
    pub value: serde_json::Value,
    /// Every `${NAME}` inside `value`'s strings, for validation.
    pub vars: Vec<Node<String>>,
    /// The value with its references parsed, filled in when the check runs.
    pub template: JsonTemplate,
}

impl Expected {
    /// A value whose strings may hold `${NAME}` (their positions are not
    /// known: the parser records those; this is for values built in code).
    pub fn parse(value: serde_json::Value) -> Result<Expected, crate::template::TemplateError> {
        Ok(Expected {
            template: JsonTemplate::parse(&value)?,
            value,
            vars: Vec::new(),
        })
    }

    /// A value with no references (a waiter's states, a test's value).
    pub fn literal(value: serde_json::Value) -> Expected {
        Expected {
            template: JsonTemplate::Plain(value.clone()),
            value,
            vars: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Predicate {
    Equals(Expected),
    NotEquals(Expected),
    /// Substring of a string, element of an array, or key of an object.
    Contains(Expected),
    NotContains(Expected),
    Matches(Pattern),
    Exists,
    Absent,
    Length(u64),
    Greater(Expected),
    GreaterOrEqual(Expected),
    Less(Expected),
    LessOrEqual(Expected),
    OneOf(Expected),
    Type(JsonType),
}

impl Predicate {
    /// The expected value the operator compares with, if it takes one.
    pub fn expected(&self) -> Option<&Expected> {
        match self {
            Predicate::Equals(e)
            | Predicate::NotEquals(e)
            | Predicate::Contains(e)
            | Predicate::NotContains(e)
            | Predicate::Greater(e)
            | Predicate::GreaterOrEqual(e)
            | Predicate::Less(e)
            | Predicate::LessOrEqual(e)
            | Predicate::OneOf(e) => Some(e),
            Predicate::Matches(_)
            | Predicate::Exists
            | Predicate::Absent
            | Predicate::Length(_)
            | Predicate::Type(_) => None,
        }
    }
}

/// A compiled regular expression and its source.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub source: String,
    pub regex: regex::Regex,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonType {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub const ALL: [JsonType; 6] = [
        JsonType::Null,
        JsonType::Boolean,
        JsonType::Number,
        JsonType::String,
        JsonType::Array,
        JsonType::Object,
    ];

    /// The names JMESPath's `type()` returns.
    pub fn name(self) -> &'static str {
        match self {
            JsonType::Null => "null",
            JsonType::Boolean => "boolean",
            JsonType::Number => "number",
            JsonType::String => "string",
            JsonType::Array => "array",
            JsonType::Object => "object",
        }
    }

    pub fn of(value: &serde_json::Value) -> JsonType {
        use serde_json::Value as V;
        match value {
            V::Null => JsonType::Null,
            V::Bool(_) => JsonType::Boolean,
            V::Number(_) => JsonType::Number,
            V::String(_) => JsonType::String,
            V::Array(_) => JsonType::Array,
            V::Object(_) => JsonType::Object,
        }
    }
}

/// `NAME = "query"` or `NAME = { jq = "..." }`: binds a query's result to a variable.
#[derive(Clone, Debug)]
pub struct Capture {
    pub name: Node<String>,
    pub query: Node<Query>,
    /// `secret = true`: the value is hidden from everything that leaves
    /// the process once it is captured.
    pub secret: bool,
}

/// Re-run the step until every `until` check holds; stop at once if a
/// `fail-if` check holds. The step's `timeout` is the deadline.
#[derive(Clone, Debug)]
pub struct Wait {
    pub until: Vec<Check>,
    pub fail_if: Vec<Check>,
    /// The AWS CLI waiter this wait was lowered from (`AddonActive`): its
    /// failures are then worded as the CLI words them.
    pub waiter: Option<&'static str>,
    pub interval: Option<Node<Duration>>,
    pub max_interval: Option<Node<Duration>>,
    pub backoff: Option<Node<f64>>,
    pub span: Span,
}

/// Re-run the action when it fails (not when a check fails: that is `wait`).
#[derive(Clone, Debug)]
pub struct Retry {
    /// Total attempts, the first included.
    pub attempts: Node<u32>,
    pub delay: Option<Node<Duration>>,
    pub span: Span,
}
