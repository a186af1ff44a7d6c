//! `kubectl` lines as typed commands: one struct per verb, parsed once at
//! validation from the line's words (see [`parse`]), filled in by the engine
//! (see [`fill`]), and run natively by the Kubernetes backend.
//!
//! Every struct is generic in its [`Stage`]: `Command<Parsed>` holds
//! values that may wait for their placeholders, `Command<Filled>` only
//! known values.

mod fill;
mod flags;
pub mod kinds;
mod parse;
pub mod print;
pub mod values;
pub mod yaml;

use std::time::Duration;

pub use parse::{VERBS, parse};
pub use values::{Change, MetaField, PatchBody, PatchType, Target, Targets, WaitFor, parse_duration};

use crate::action::arg::{Filled, Parsed, Stage};

/// One `kubectl` command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Command<S: Stage = Filled> {
    /// `-n/--namespace`; the workflow's namespace when absent.
    pub namespace: Option<S::Val<String>>,
    /// `--context`: the kubeconfig context this line talks to (its
    /// cluster, user and default namespace); the workflow's when absent.
    pub context: Option<S::Val<String>>,
    /// `-o/--output`: how the command prints (the step's output is the
    /// JSON object either way); None is kubectl's default, a table for
    /// `get`, a line per object for the verbs that change objects.
    pub output: Option<S::Val<print::Format>>,
    /// Whether the step reads what the command prints (`stdout = true`):
    /// only then does `get` without `-o` (or with `-o wide`) ask the API
    /// server for the table kubectl prints.
    pub reads_stdout: bool,
    pub verb: Verb<S>,
}

/// A command as validated, values possibly waiting for placeholders.
pub type ParsedCommand = Command<Parsed>;

#[derive(Clone, Debug, PartialEq)]
pub enum Verb<S: Stage = Filled> {
    Get(Get<S>),
    Apply(Apply<S>),
    Delete(Delete<S>),
    Patch(Patch<S>),
    /// `annotate` and `label`.
    Metadata(Metadata<S>),
    Scale(Scale<S>),
    RolloutRestart(RolloutRestart<S>),
    RolloutStatus(RolloutStatus<S>),
    RolloutUndo(RolloutUndo<S>),
    RolloutHistory(RolloutHistory<S>),
    SetImage(SetImage<S>),
    /// Boxed: its many values would make every command as large.
    SetEnv(Box<SetEnv<S>>),
    Wait(Wait<S>),
    Logs(Logs<S>),
    Exec(Exec<S>),
    Create(Create<S>),
    Describe(Describe<S>),
    /// `run NAME --image=…`: a pod, as kubectl makes it.
    Run(Run<S>),
    /// `version`: the API server's version only (rehearse is not kubectl,
    /// so it has no client or Kustomize version to give).
    Version,
    /// `cluster-info`: where the control plane and the cluster services are.
    ClusterInfo,
}

impl<S: Stage> Verb<S> {
    /// The verb as kubectl spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Verb::Get(_) => "get",
            Verb::Apply(_) => "apply",
            Verb::Delete(_) => "delete",
            Verb::Patch(_) => "patch",
            Verb::Metadata(m) => m.field.verb(),
            Verb::Scale(_) => "scale",
            Verb::RolloutRestart(_) => "rollout restart",
            Verb::RolloutStatus(_) => "rollout status",
            Verb::RolloutUndo(_) => "rollout undo",
            Verb::RolloutHistory(_) => "rollout history",
            Verb::SetImage(_) => "set image",
            Verb::SetEnv(_) => "set env",
            Verb::Wait(_) => "wait",
            Verb::Logs(_) => "logs",
            Verb::Exec(_) => "exec",
            Verb::Create(_) => "create",
            Verb::Describe(_) => "describe",
            Verb::Run(_) => "run",
            Verb::Version => "version",
            Verb::ClusterInfo => "cluster-info",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Get<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
    pub all_namespaces: bool,
    pub selector: Option<S::Val<String>>,
    pub field_selector: Option<S::Val<String>>,
    pub sort_by: Option<S::Val<String>>,
    pub ignore_not_found: bool,
    /// `--show-managed-fields`: keep `metadata.managedFields`, which
    /// kubectl hides.
    pub show_managed_fields: bool,
    /// `--show-labels`: the table's last column lists each object's labels.
    pub show_labels: bool,
    /// `--no-headers`: the table without its header line.
    pub no_headers: bool,
    /// `-L/--label-columns` (each may list several keys, comma-separated):
    /// a column per label key.
    pub label_columns: Vec<S::Val<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Apply<S: Stage = Filled> {
    /// `-f` paths (relative to the workflow's folder), or `-` for the step's `stdin`.
    pub files: Vec<S::Val<String>>,
    /// `--server-side`: a server-side apply; else kubectl's default,
    /// client-side apply.
    pub server_side: bool,
    /// `--force-conflicts` (server-side only): take over fields that other
    /// managers own.
    pub force_conflicts: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Delete<S: Stage = Filled> {
    /// None with `-f`.
    pub targets: Option<S::Val<Targets>>,
    pub files: Vec<S::Val<String>>,
    pub selector: Option<S::Val<String>>,
    pub all_namespaces: bool,
    pub ignore_not_found: bool,
    pub wait: bool,
    pub timeout: Option<S::Val<Duration>>,
    /// `--all`: every object of the types given.
    pub all: bool,
    /// `--grace-period=N` (negative: the object's own), `--now` (1).
    pub grace_period: Option<S::Val<i64>>,
    /// `--force`: with no grace period given, deleted at once (0).
    pub force: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Patch<S: Stage = Filled> {
    pub target: S::Val<Target>,
    /// The patch and its type, read together (a JSON patch is a list).
    pub body: S::Val<PatchBody>,
    pub subresource: Option<S::Val<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Metadata<S: Stage = Filled> {
    pub field: MetaField,
    pub targets: S::Val<Targets>,
    pub selector: Option<S::Val<String>>,
    /// `key=value` sets, `key-` removes.
    pub changes: S::Val<Vec<Change>>,
    pub overwrite: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scale<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
    pub replicas: S::Val<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RolloutRestart<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RolloutStatus<S: Stage = Filled> {
    pub target: S::Val<Target>,
    /// None (or `0`): until the step's deadline.
    pub timeout: Option<S::Val<Duration>>,
    pub watch: bool,
}

/// `rollout undo`: each object back to its previous revision, or to
/// `--to-revision`.
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutUndo<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
    /// None (or 0): the revision before the current one.
    pub to_revision: Option<S::Val<i64>>,
}

/// `rollout history`: the revisions of each object and their change causes.
#[derive(Clone, Debug, PartialEq)]
pub struct RolloutHistory<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
}

/// `set image TYPE/NAME CONTAINER=IMAGE…` (`*` for every container).
#[derive(Clone, Debug, PartialEq)]
pub struct SetImage<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
    pub selector: Option<S::Val<String>>,
    /// Container name (or `*`) and image, in the order written.
    pub images: S::Val<Vec<Change>>,
}

/// `set env TYPE/NAME KEY=VALUE… KEY-…`.
#[derive(Clone, Debug, PartialEq)]
pub struct SetEnv<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
    pub selector: Option<S::Val<String>>,
    /// `-c`: the containers to change, `*` wildcards allowed; all when absent.
    pub containers: Option<S::Val<String>>,
    /// `KEY=VALUE` sets, `KEY-` removes.
    pub changes: S::Val<Vec<Change>>,
    /// `--overwrite=false` refuses to change a variable that has another value.
    pub overwrite: bool,
    /// `--from=configmap/NAME|secret/NAME`: a variable for each of its keys,
    /// referring to it.
    pub from: Option<S::Val<Target>>,
    /// `--keys`: only these keys of `--from` (comma-separated lists).
    pub keys: Vec<S::Val<String>>,
    /// `--prefix`: put before every variable's name.
    pub prefix: Option<S::Val<String>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Wait<S: Stage = Filled> {
    pub targets: S::Val<Targets>,
    pub selector: Option<S::Val<String>>,
    pub all_namespaces: bool,
    /// `--all`: every object of the types given.
    pub all: bool,
    pub condition: S::Val<WaitFor>,
    /// kubectl's default is 30 s.
    pub timeout: S::Val<Duration>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Logs<S: Stage = Filled> {
    /// A pod, or a workload one of whose pods is found through its
    /// selector; None with `-l`.
    pub target: Option<S::Val<Target>>,
    /// `-l`: the logs of every pod it selects (the last `-l` counts, as in
    /// kubectl).
    pub selector: Option<S::Val<String>>,
    pub container: Option<S::Val<String>>,
    /// `--all-containers`: init, regular and ephemeral containers, in turn.
    pub all_containers: bool,
    /// `--prefix`: each line starts with `[pod/NAME/CONTAINER] `.
    pub prefix: bool,
    pub previous: bool,
    /// Negative means all, as in kubectl; with `-l` and no `--tail`, 10.
    pub tail: Option<S::Val<i64>>,
    pub since: Option<S::Val<Duration>>,
    pub timestamps: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exec<S: Stage = Filled> {
    pub target: S::Val<Target>,
    pub container: Option<S::Val<String>>,
    /// The words after `--`, each its own argument.
    pub command: Vec<S::Val<String>>,
}

/// What `create` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CreateKind {
    Namespace,
    ConfigMap,
    /// `create secret generic`.
    Secret,
    /// `create deployment NAME --image=…`.
    Deployment,
    /// `create job NAME --image=…` or `--from=cronjob/NAME`.
    Job,
}

/// `--dry-run`, kubectl's strategies.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DryRun {
    /// Created for real.
    #[default]
    None,
    /// The object is printed, not sent.
    Client,
    /// Sent with `dryRun=All`: the API server checks and defaults it,
    /// and keeps nothing.
    Server,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Create<S: Stage = Filled> {
    pub kind: CreateKind,
    pub name: S::Val<String>,
    /// `--from-literal=KEY=VALUE`, in order.
    pub literals: Vec<S::Val<(String, String)>>,
    pub dry_run: DryRun,
    /// `--image` (a deployment's containers, a job's one), each value
    /// split at its commas as kubectl splits it.
    pub images: Vec<S::Val<Vec<Image>>>,
    /// `-r/--replicas` of a deployment (kubectl's default is 1).
    pub replicas: Option<S::Val<u32>>,
    /// `--port`: the first container's port.
    pub port: Option<S::Val<i32>>,
    /// The words after `--`: the container's command.
    pub command: Vec<S::Val<String>>,
    /// `create job --from=cronjob/NAME`: the CronJob's name.
    pub from: Option<S::Val<String>>,
}

/// The restart policy of the pod `run` makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Restart {
    #[default]
    Always,
    OnFailure,
    Never,
}

impl Restart {
    pub fn as_str(self) -> &'static str {
        match self {
            Restart::Always => "Always",
            Restart::OnFailure => "OnFailure",
            Restart::Never => "Never",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Run<S: Stage = Filled> {
    pub name: S::Val<String>,
    pub image: S::Val<String>,
    pub restart: Restart,
    /// `--command`: the words after `--` are the container's command, not
    /// its arguments.
    pub command: bool,
    /// The words after `--`.
    pub args: Vec<S::Val<String>>,
    /// `--env=KEY=VALUE`, in order.
    pub env: Vec<S::Val<(String, String)>>,
    /// `-l/--labels=k=v,…`; kubectl's `run=NAME` when absent.
    pub labels: Option<S::Val<Vec<(String, String)>>>,
    /// `--port`: the container's port.
    pub port: Option<S::Val<i32>>,
    pub dry_run: DryRun,
}

/// An image, and the container name kubectl derives from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    pub image: String,
    pub container: String,
}

/// The kinds `describe` prints natively, as kubectl's describers print
/// them; any other kind's line runs through the kubectl CLI.
pub const DESCRIBED_KINDS: &[&str] = &[
    "ConfigMap",
    "Secret",
    "Namespace",
    "Service",
    "PersistentVolumeClaim",
    "StorageClass",
    "Deployment",
    "StatefulSet",
    "Job",
    "CronJob",
    "Pod",
    "Node",
    "Ingress",
];

#[derive(Clone, Debug, PartialEq)]
pub struct Describe<S: Stage = Filled> {
    /// `TYPE [NAME...]` or `TYPE/NAME...`; a type alone (with or without
    /// `-l`) describes every object of it.
    pub targets: S::Val<Targets>,
    pub selector: Option<S::Val<String>>,
    pub all_namespaces: bool,
    /// Written `TYPE NAME` (two words): a name that matches nothing
    /// describes the objects whose names start with it, as kubectl does.
    pub by_prefix: bool,
}

#[cfg(test)]
mod tests;
