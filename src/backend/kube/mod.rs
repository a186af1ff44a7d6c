//! Kubernetes steps: typed `kubectl` commands (see `crate::action::kubectl`)
//! run natively through kube-rs, with the output `kubectl -o json` prints.
//!
//! Objects travel as raw JSON (`serde_json::Value`), as kubectl handles
//! them: what the API server sends is what a step sees, field for field.
//! API errors read as kubectl prints them (`Error from server (NotFound):
//! …`) and carry `{"error": {"code", "reason", "message"}}`; a server that
//! cannot be reached is a runtime error.
//!
//! One file per verb family: `get`, `apply` (and the manifests `delete -f`
//! shares, from files, `stdin` or URLs), `delete`, `change` (patch, label,
//! annotate, scale, restart), `set` (set image, set env), `wait`,
//! `rollout` (status), `history` (rollout history, rollout undo), `pods`
//! (logs, exec), `create` (the generators of `create` and `run`),
//! `version`, `cluster_info`, `describe`. `objects` holds what they share: resolving
//! types, getting and listing objects.

mod apply;
mod change;
mod cluster_info;
mod create;
mod delete;
mod describe;
mod get;
mod history;
mod merge;
mod objects;
mod pods;
mod printed;
pub mod resource;
pub mod rollout;
pub mod select;
mod set;
mod table;
mod version;
mod wait;
mod watch;

use std::path::Path;
use std::sync::Arc;

use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::action::kubectl::print::Format;
use crate::action::kubectl::{Command, Verb};
use crate::backend::http::HttpBackend;
use crate::ground::clock::Clock as Timer;
use crate::ground::port::{ActionError, ActionResult, Output};
use crate::ground::redact::redact_known;
use resource::Resolver;

/// The field manager of server-side apply and of patches.
pub const FIELD_MANAGER: &str = "rehearse";

/// The annotation `kubectl rollout restart` sets.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// The current time as RFC 3339, injectable so recordings replay.
pub type Clock = Arc<dyn Fn() -> String + Send + Sync>;

/// Runs `kubectl` commands natively over a ready-made client.
pub struct KubeBackend {
    client: Client,
    namespace: String,
    now: Clock,
    /// The clock deadlines are on: the engine's, virtual in a replay.
    timer: Timer,
    resolver: Resolver,
    /// What `-f URL` manifests are fetched through.
    http: Option<HttpBackend>,
    /// The API server's URL, which `cluster-info` prints.
    server: Option<String>,
}

/// The configuration kubectl would use: `KUBECONFIG` (several files
/// merged) or `~/.kube/config`, its current context unless `context` is
/// given, and that context's namespace unless `namespace` is given.
pub async fn load_config(context: Option<&str>, namespace: Option<&str>) -> Result<Config, String> {
    let kubeconfig = Kubeconfig::read().map_err(|e| format!("cannot read the kubeconfig: {e}"))?;
    if let Some(name) = context {
        known_context(&kubeconfig, name)?;
    }
    let options = KubeConfigOptions {
        context: context.map(str::to_string),
        ..KubeConfigOptions::default()
    };
    let mut config = Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| match context {
            Some(c) => format!("cannot use the kubeconfig context {c:?}: {e}"),
            None => format!("cannot use the kubeconfig's current context: {e}"),
        })?;
    if let Some(ns) = namespace {
        config.default_namespace = ns.to_string();
    }
    Ok(config)
}

/// A context the kubeconfig does not have is named as kubectl names it,
/// with the contexts it has.
fn known_context(kubeconfig: &Kubeconfig, name: &str) -> Result<(), String> {
    if kubeconfig.contexts.iter().any(|c| c.name == name) {
        return Ok(());
    }
    let known: Vec<&str> = kubeconfig.contexts.iter().map(|c| c.name.as_str()).collect();
    let known = if known.is_empty() {
        "it has none".to_string()
    } else {
        format!("its contexts: {}", known.join(", "))
    };
    Err(format!(
        "context was not found for specified context: {name} (the kubeconfig; {known})"
    ))
}

/// An API error as kubectl prints it, with the server's status as output.
pub(crate) fn api_error(e: kube::Error) -> ActionError {
    match e {
        kube::Error::Api(s) => {
            let message = if s.reason.is_empty() {
                format!("Error from server: {}", s.message)
            } else {
                format!("Error from server ({}): {}", s.reason, s.message)
            };
            ActionError::failed(
                message,
                Some(json!({"error": {"code": s.code, "reason": s.reason, "message": s.message}})),
            )
        }
        other => ActionError::runtime(format!("cannot talk to the Kubernetes API server: {other}")),
    }
}

/// What a verb gives: the JSON that `kubectl -o json` prints.
type Json = Result<Value, ActionError>;

/// What a verb that changes objects gives: the JSON, and the line kubectl
/// prints for each object (`deployment.apps/carts scaled`).
type Done = Result<(Value, Vec<String>), ActionError>;

fn build_error(e: kube::core::request::Error) -> ActionError {
    ActionError::runtime(format!("cannot build the request: {e}"))
}

/// A failure kubectl reports on stderr (`error: …`), with what it printed so far.
fn failed_with(stdout: &[String], stderr: String) -> ActionError {
    ActionError::failed(
        stderr.clone(),
        Some(json!({"stdout": lines(stdout), "stderr": stderr})),
    )
}

fn lines(out: &[String]) -> String {
    out.iter().map(|l| format!("{l}\n")).collect()
}

/// kubectl's List wrapper.
fn list(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

fn one_or_list(mut items: Vec<Value>) -> Value {
    if items.len() == 1 {
        items.remove(0)
    } else {
        list(items)
    }
}

fn name_of(obj: &Value) -> &str {
    obj.pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

fn is_not_found(e: &kube::Error) -> bool {
    matches!(e, kube::Error::Api(s) if s.code == 404)
}

impl KubeBackend {
    pub fn new(client: Client, namespace: String, now: Clock) -> KubeBackend {
        KubeBackend {
            client,
            namespace,
            now,
            timer: Timer::Real,
            resolver: Resolver::default(),
            http: None,
            server: None,
        }
    }

    /// The API server's URL (the kubeconfig's, or the recording's).
    pub fn with_server(mut self, server: Option<String>) -> KubeBackend {
        self.server = server;
        self
    }

    /// Fetches `-f URL` manifests through `http` (the session's HTTP
    /// transport, so they are recorded and replayed).
    pub fn with_http(mut self, http: HttpBackend) -> KubeBackend {
        self.http = Some(http);
        self
    }

    /// Puts the backend's deadlines on the engine's clock. A replay's
    /// deadlines are virtual: measured against the real clock, they could
    /// seem passed (a workflow started long after its replay was prepared)
    /// and end a wait the recording says succeeded.
    pub fn with_timer(mut self, timer: Timer) -> KubeBackend {
        self.timer = timer;
        self
    }

    /// Runs one command. Relative `-f` paths start at `dir` (the workflow's
    /// folder); `stdin` is what `-f -` reads and what `exec` gets; waits
    /// never go past `deadline`.
    pub async fn run(
        &self,
        cmd: &Command,
        dir: &Path,
        stdin: Option<&str>,
        deadline: Instant,
    ) -> ActionResult {
        let ctx = Ctx {
            b: self,
            namespace_flag: cmd.namespace.as_deref(),
            ns: cmd.namespace.clone().unwrap_or_else(|| self.namespace.clone()),
            deadline,
            dir,
            stdin,
        };
        let no_lines = |json: Json| json.map(|v| (v, None));
        let with_lines = |done: Done| done.map(|(v, lines)| (v, Some(lines)));
        let (mut value, lines) = match &cmd.verb {
            Verb::Get(v) => no_lines(ctx.get(v).await),
            Verb::Apply(v) => with_lines(ctx.apply(v).await),
            Verb::Delete(v) => no_lines(ctx.delete(v).await),
            Verb::Patch(v) => with_lines(ctx.patch(v).await),
            Verb::Metadata(v) => with_lines(ctx.metadata(v).await),
            Verb::Scale(v) => with_lines(ctx.scale(v).await),
            Verb::RolloutRestart(v) => with_lines(ctx.restart(&v.targets).await),
            Verb::RolloutStatus(v) => no_lines(ctx.rollout_status(v).await),
            Verb::RolloutUndo(v) => with_lines(ctx.rollout_undo(v).await),
            Verb::RolloutHistory(v) => no_lines(ctx.rollout_history(v).await),
            Verb::SetImage(v) => with_lines(ctx.set_image(v).await),
            Verb::SetEnv(v) => with_lines(ctx.set_env(v).await),
            Verb::Wait(v) => ctx.wait(v, cmd.output.is_some()).await,
            Verb::Logs(v) => no_lines(ctx.logs(v).await),
            Verb::Exec(v) => no_lines(ctx.exec(v).await),
            Verb::Create(v) => with_lines(ctx.create(v).await),
            // The describers' text, whole, as the one "line" printed.
            Verb::Describe(v) => ctx.describe(v).await.map(|(v, text)| (v, Some(vec![text]))),
            Verb::Run(v) => with_lines(ctx.run_pod(v).await),
            Verb::Version => with_lines(ctx.version().await),
            Verb::ClusterInfo => with_lines(ctx.cluster_info().await),
        }?;
        // kubectl prints objects with their keys sorted (Go writes a map's
        // keys in order), whatever order the API server sent them in.
        value.sort_all_objects();
        let stdout = match (&cmd.verb, &cmd.output) {
            (Verb::Get(g), None | Some(Format::Wide)) if cmd.reads_stdout => {
                Some(ctx.table(g, cmd.output.is_some()).await?)
            }
            _ => printed::text(cmd, &value, lines.as_deref())?,
        };
        let stdout = stdout.map(|text| redact_known(&text, &printed::secret_values(&value)));
        // `get`'s output is what `-o json` prints (a template still sees
        // the managed fields, as kubectl's do).
        if let Verb::Get(g) = &cmd.verb
            && !g.show_managed_fields
        {
            printed::hide_managed_fields(&mut value);
        }
        Ok(Output { json: value, stdout })
    }
}

/// One command being run.
struct Ctx<'a> {
    b: &'a KubeBackend,
    /// `-n` as written: a manifest's own namespace must agree with it.
    namespace_flag: Option<&'a str>,
    /// `-n`, or the backend's namespace.
    ns: String,
    deadline: Instant,
    /// The workflow's folder, where `-f` paths start.
    dir: &'a Path,
    /// The step's `stdin`.
    stdin: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_read_as_kubectl_prints_them() {
        let status =
            kube::core::Status::failure("deployments.apps \"x\" not found", "NotFound").with_code(404);
        let e = api_error(kube::Error::Api(Box::new(status)));
        assert_eq!(e.kind, crate::ground::port::ErrorKind::Failed);
        assert_eq!(
            e.message,
            "Error from server (NotFound): deployments.apps \"x\" not found"
        );
        assert_eq!(e.output.unwrap()["error"]["code"], 404);
    }
}
