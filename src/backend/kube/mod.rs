//! Kubernetes steps: `kubectl <verb> …` run natively through kube-rs, with
//! the output `kubectl -o json` prints.
//!
//! Objects travel as raw JSON (`serde_json::Value`), as kubectl handles
//! them: what the API server sends is what a step sees, field for field.
//! API errors read as kubectl prints them (`Error from server (NotFound):
//! …`) and carry `{"error": {"code", "reason", "message"}}`; a server that
//! cannot be reached is a runtime error.

pub mod cli;
mod pods;
pub mod resource;
pub mod rollout;
pub mod select;
mod watch;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kube::api::{DeleteParams, DynamicObject, GetParams, ListParams, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{GroupVersionKind, Request, Resource};
use kube::{Client, Config};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::time::Instant;

use crate::ground::port::{ActionError, ActionResult};
use cli::{Command, MetaField, PatchType, ReplicaCount, Target, Verb, WaitFor};
use resource::{ResolveError, Resolved, Resolver};
use select::LabelSelector;
use watch::{Filter, Seen};

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
    timer: crate::ground::clock::Clock,
    resolver: Resolver,
}

/// See [`KubeBackend::new`].
pub fn new(client: Client, namespace: String, now: Clock) -> KubeBackend {
    KubeBackend::new(client, namespace, now)
}

/// The configuration kubectl would use: `KUBECONFIG` (several files
/// merged) or `~/.kube/config`, its current context unless `context` is
/// given, and that context's namespace unless `namespace` is given.
pub async fn load_config(context: Option<&str>, namespace: Option<&str>) -> Result<Config, String> {
    let kubeconfig = Kubeconfig::read().map_err(|e| format!("cannot read the kubeconfig: {e}"))?;
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

fn resolve_error(e: ResolveError) -> ActionError {
    match e {
        ResolveError::Unknown(m) => ActionError::failed(format!("error: {m}"), None),
        ResolveError::Api(e) => api_error(e),
    }
}

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

pub(crate) fn url_path(r: &Resolved, namespace: Option<&str>) -> String {
    DynamicObject::url_path(&r.ar, if r.namespaced { namespace } else { None })
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
            timer: crate::ground::clock::Clock::Real,
            resolver: Resolver::default(),
        }
    }

    /// Puts the backend's deadlines on the engine's clock. A replay's
    /// deadlines are virtual: measured against the real clock, they could
    /// seem passed (a workflow started long after its replay was prepared)
    /// and end a wait the recording says succeeded.
    pub fn with_timer(mut self, timer: crate::ground::clock::Clock) -> KubeBackend {
        self.timer = timer;
        self
    }

    /// Runs one command (without the leading `kubectl`). Relative `-f`
    /// paths start at `base_dir`; `stdin` is what `-f -` reads; waits never
    /// go past `deadline`.
    pub async fn run(
        &self,
        command: &str,
        base_dir: &Path,
        stdin: Option<&str>,
        deadline: Instant,
    ) -> ActionResult {
        let cmd = cli::parse(command)
            .map_err(|e| ActionError::failed(format!("error: {} (hint: {})", e.message, e.hint), None))?;
        let ns = cmd.namespace.clone().unwrap_or_else(|| self.namespace.clone());
        let ctx = Ctx {
            b: self,
            cmd: &cmd,
            ns,
            deadline,
        };
        match &cmd.verb {
            Verb::Get {
                targets,
                single,
                all_namespaces,
                selector,
                field_selector,
                sort_by,
                ignore_not_found,
            } => {
                ctx.get(
                    targets,
                    *single,
                    *all_namespaces,
                    selector.as_deref(),
                    field_selector.as_deref(),
                    sort_by.as_deref(),
                    *ignore_not_found,
                )
                .await
            }
            Verb::Apply { files } => ctx.apply(files, base_dir, stdin).await,
            Verb::Delete {
                targets,
                files,
                selector,
                all_namespaces,
                ignore_not_found,
                wait,
                timeout,
            } => {
                ctx.delete(
                    targets,
                    files,
                    base_dir,
                    stdin,
                    selector.as_deref(),
                    *all_namespaces,
                    *ignore_not_found,
                    wait.then_some(*timeout),
                )
                .await
            }
            Verb::Patch {
                target,
                patch_type,
                patch,
                subresource,
            } => {
                ctx.patch(target, *patch_type, patch, subresource.as_deref())
                    .await
            }
            Verb::Metadata {
                field,
                targets,
                selector,
                changes,
                overwrite,
            } => {
                ctx.metadata(*field, targets, selector.as_deref(), changes, *overwrite)
                    .await
            }
            Verb::Scale { targets, replicas } => ctx.scale(targets, replicas).await,
            Verb::RolloutRestart { targets } => ctx.restart(targets).await,
            Verb::RolloutStatus {
                target,
                timeout,
                watch,
            } => ctx.rollout_status(target, *timeout, *watch).await,
            Verb::Wait {
                targets,
                selector,
                all_namespaces,
                condition,
                timeout,
            } => {
                ctx.wait(targets, selector.as_deref(), *all_namespaces, condition, *timeout)
                    .await
            }
            Verb::Logs {
                target,
                container,
                previous,
                tail,
                since_seconds,
                timestamps,
            } => {
                let params = kube::api::LogParams {
                    container: container.clone(),
                    previous: *previous,
                    tail_lines: *tail,
                    since_seconds: *since_seconds,
                    timestamps: *timestamps,
                    ..Default::default()
                };
                ctx.logs(target, params).await
            }
            Verb::Exec {
                target,
                container,
                command,
            } => ctx.exec(target, container.as_deref(), command, stdin).await,
        }
    }
}

/// One command being run.
struct Ctx<'a> {
    b: &'a KubeBackend,
    cmd: &'a Command,
    /// `-n`, or the backend's namespace.
    ns: String,
    deadline: Instant,
}

/// An object to act on.
struct ObjRef {
    r: Resolved,
    namespace: Option<String>,
    name: String,
}

impl Ctx<'_> {
    fn client(&self) -> &Client {
        &self.b.client
    }

    async fn resolve(&self, name: &str) -> Result<Resolved, ActionError> {
        self.b
            .resolver
            .by_name(self.client(), name)
            .await
            .map_err(resolve_error)
    }

    fn ns_for(&self, r: &Resolved, all: bool) -> Option<String> {
        (r.namespaced && !all).then(|| self.ns.clone())
    }

    async fn request(&self, req: http::Request<Vec<u8>>) -> Result<Value, kube::Error> {
        self.client().request::<Value>(req).await
    }

    async fn get_one(&self, r: &Resolved, ns: Option<&str>, name: &str) -> Result<Value, kube::Error> {
        let req = Request::new(url_path(r, ns))
            .get(name, &GetParams::default())
            .map_err(kube::Error::BuildRequest)?;
        let mut obj = self.request(req).await?;
        watch::fill_type(&mut obj, r);
        Ok(obj)
    }

    /// The objects of a type matching a selector, each with its type.
    async fn list_of(
        &self,
        r: &Resolved,
        ns: Option<&str>,
        selector: Option<&str>,
        field_selector: Option<&str>,
    ) -> Result<Vec<Value>, ActionError> {
        let parsed = match selector {
            Some(s) => {
                Some(LabelSelector::parse(s).map_err(|e| ActionError::failed(format!("error: {e}"), None))?)
            }
            None => None,
        };
        let lp = ListParams {
            label_selector: selector.map(str::to_string),
            field_selector: field_selector.map(str::to_string),
            ..ListParams::default()
        };
        let req = Request::new(url_path(r, ns)).list(&lp).map_err(build_error)?;
        let resp = self.request(req).await.map_err(api_error)?;
        let mut items = Vec::new();
        for mut item in resp
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            if parsed.as_ref().is_none_or(|s| s.matches(&item)) {
                watch::fill_type(&mut item, r);
                items.push(item);
            }
        }
        Ok(items)
    }

    /// Named targets, or every object of their types matching `selector`.
    async fn objects(
        &self,
        targets: &[Target],
        selector: Option<&str>,
        all: bool,
    ) -> Result<Vec<ObjRef>, ActionError> {
        let mut out = Vec::new();
        for t in targets {
            let r = self.resolve(&t.resource).await?;
            let ns = self.ns_for(&r, all);
            if t.names.is_empty() {
                for item in self.list_of(&r, ns.as_deref(), selector, None).await? {
                    out.push(ObjRef {
                        r: r.clone(),
                        namespace: item
                            .pointer("/metadata/namespace")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                            .or_else(|| ns.clone()),
                        name: name_of(&item).to_string(),
                    });
                }
            } else {
                for name in &t.names {
                    out.push(ObjRef {
                        r: r.clone(),
                        namespace: ns.clone(),
                        name: name.clone(),
                    });
                }
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    async fn get(
        &self,
        targets: &[Target],
        single: bool,
        all: bool,
        selector: Option<&str>,
        field_selector: Option<&str>,
        sort_by: Option<&str>,
        ignore_not_found: bool,
    ) -> ActionResult {
        let mut items = Vec::new();
        for t in targets {
            let r = self.resolve(&t.resource).await?;
            let ns = self.ns_for(&r, all);
            if t.names.is_empty() {
                items.extend(self.list_of(&r, ns.as_deref(), selector, field_selector).await?);
            } else {
                for name in &t.names {
                    match self.get_one(&r, ns.as_deref(), name).await {
                        Ok(obj) => items.push(obj),
                        Err(e) if ignore_not_found && is_not_found(&e) => {}
                        Err(e) => return Err(api_error(e)),
                    }
                }
            }
        }
        if single && items.len() == 1 {
            return Ok(items.remove(0));
        }
        if let Some(path) = sort_by {
            items.sort_by(|a, b| compare(select::at_path(a, path), select::at_path(b, path)));
        }
        Ok(list(items))
    }

    /// The documents of `-f` arguments, in order.
    fn manifests(
        &self,
        files: &[String],
        base_dir: &Path,
        stdin: Option<&str>,
    ) -> Result<Vec<Value>, ActionError> {
        let mut texts: Vec<(String, String)> = Vec::new();
        for f in files {
            if f == "-" {
                let Some(s) = stdin else {
                    return Err(ActionError::failed(
                        "error: `-f -` reads the manifest from stdin, and the step gives none",
                        None,
                    ));
                };
                texts.push(("stdin".into(), s.to_string()));
            } else if f.starts_with("http://") || f.starts_with("https://") {
                return Err(ActionError::failed(
                    format!(
                        "error: manifests from URLs ({f}) are not fetched natively; use a `run` step: run = \"kubectl apply -f {f}\""
                    ),
                    None,
                ));
            } else {
                let path = base_dir.join(f);
                if path.is_dir() {
                    let mut entries: Vec<_> = std::fs::read_dir(&path)
                        .map_err(|e| ActionError::runtime(format!("cannot read {}: {e}", path.display())))?
                        .filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| {
                            p.is_file()
                                && p.extension()
                                    .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
                        })
                        .collect();
                    entries.sort();
                    for p in entries {
                        let text = std::fs::read_to_string(&p)
                            .map_err(|e| ActionError::runtime(format!("cannot read {}: {e}", p.display())))?;
                        texts.push((p.display().to_string(), text));
                    }
                } else if path.is_file() {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| ActionError::runtime(format!("cannot read {}: {e}", path.display())))?;
                    texts.push((f.clone(), text));
                } else {
                    return Err(ActionError::failed(
                        format!("error: the path \"{f}\" does not exist"),
                        None,
                    ));
                }
            }
        }
        let mut docs = Vec::new();
        for (source, text) in texts {
            for de in serde_yaml_ng::Deserializer::from_str(&text) {
                let doc = Value::deserialize(de)
                    .map_err(|e| ActionError::failed(format!("error: error parsing {source}: {e}"), None))?;
                match doc {
                    Value::Null => {}
                    Value::Object(ref m) if m.get("kind").and_then(Value::as_str) == Some("List") => {
                        docs.extend(
                            m.get("items")
                                .and_then(Value::as_array)
                                .cloned()
                                .unwrap_or_default(),
                        );
                    }
                    Value::Object(_) => docs.push(doc),
                    _ => {
                        return Err(ActionError::failed(
                            format!("error: error parsing {source}: a document is not an object"),
                            None,
                        ));
                    }
                }
            }
        }
        if docs.is_empty() {
            return Err(ActionError::failed("error: no objects passed to apply", None));
        }
        Ok(docs)
    }

    /// A manifest's type, namespace and name; fills in the namespace.
    async fn manifest_ref(&self, doc: &mut Value) -> Result<ObjRef, ActionError> {
        let api_version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or_default();
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or_default();
        if api_version.is_empty() || kind.is_empty() {
            return Err(ActionError::failed(
                "error: a document has no apiVersion or kind",
                None,
            ));
        }
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        let gvk = GroupVersionKind::gvk(group, version, kind);
        let r = self
            .b
            .resolver
            .by_gvk(self.client(), &gvk)
            .await
            .map_err(resolve_error)?;
        let name = name_of(doc).to_string();
        if name.is_empty() {
            return Err(ActionError::failed(
                format!("error: a {kind} has no metadata.name (generateName is not supported by apply)"),
                None,
            ));
        }
        let namespace = if r.namespaced {
            let own = doc
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let (Some(own), Some(flag)) = (&own, &self.cmd.namespace)
                && own != flag
            {
                return Err(ActionError::failed(
                    format!(
                        "error: the namespace from the provided object \"{own}\" does not match the namespace \"{flag}\". You must pass '--namespace={own}' to perform this operation."
                    ),
                    None,
                ));
            }
            let ns = own.unwrap_or_else(|| self.ns.clone());
            doc["metadata"]["namespace"] = Value::String(ns.clone());
            Some(ns)
        } else {
            None
        };
        Ok(ObjRef { r, namespace, name })
    }

    async fn apply(&self, files: &[String], base_dir: &Path, stdin: Option<&str>) -> ActionResult {
        let docs = self.manifests(files, base_dir, stdin)?;
        let mut out = Vec::new();
        for mut doc in docs {
            let o = self.manifest_ref(&mut doc).await?;
            let pp = PatchParams::apply(FIELD_MANAGER).force();
            let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
                .patch(&o.name, &pp, &Patch::Apply(&doc))
                .map_err(build_error)?;
            let mut obj = self.request(req).await.map_err(api_error)?;
            watch::fill_type(&mut obj, &o.r);
            out.push(obj);
        }
        Ok(one_or_list(out))
    }

    #[allow(clippy::too_many_arguments)]
    async fn delete(
        &self,
        targets: &[Target],
        files: &[String],
        base_dir: &Path,
        stdin: Option<&str>,
        selector: Option<&str>,
        all: bool,
        ignore_not_found: bool,
        wait: Option<Option<Duration>>,
    ) -> ActionResult {
        let mut objs = Vec::new();
        if !files.is_empty() {
            for mut doc in self.manifests(files, base_dir, stdin)? {
                objs.push(self.manifest_ref(&mut doc).await?);
            }
        }
        objs.extend(self.objects(targets, selector, all).await?);
        let mut stdout = Vec::new();
        let mut deleted = Vec::new();
        for o in &objs {
            let req = Request::new(url_path(&o.r, o.namespace.as_deref()))
                .delete(&o.name, &DeleteParams::background())
                .map_err(build_error)?;
            match self.request(req).await {
                Ok(_) => {
                    stdout.push(format!("{} \"{}\" deleted", o.r.type_name(), o.name));
                    deleted.push(o);
                }
                Err(e) if ignore_not_found && is_not_found(&e) => {}
                Err(e) => {
                    let mut err = api_error(e);
                    if let Some(Value::Object(m)) = &mut err.output {
                        m.insert("stdout".into(), Value::String(lines(&stdout)));
                    }
                    return Err(err);
                }
            }
        }
        if objs.is_empty() && !ignore_not_found {
            stdout.push("No resources found".into());
        }
        if let Some(timeout) = wait {
            let deadline = self.wait_deadline(timeout);
            for o in deleted {
                let names = [o.name.clone()];
                let filter = Filter {
                    namespace: o.namespace.as_deref(),
                    names: &names,
                    selector: None,
                };
                let gone = watch::until(
                    self.client(),
                    &self.b.timer,
                    &o.r,
                    &filter,
                    deadline,
                    |objects, _| Ok(objects.is_empty().then_some(())),
                )
                .await?;
                if gone.is_none() {
                    return Err(failed_with(
                        &stdout,
                        format!(
                            "error: timed out waiting for the condition on {}/{}",
                            o.r.ar.plural, o.name
                        ),
                    ));
                }
            }
        }
        Ok(json!({"stdout": lines(&stdout)}))
    }

    fn wait_deadline(&self, timeout: Option<Duration>) -> Instant {
        match timeout {
            Some(t) => (self.b.timer.now() + t).min(self.deadline),
            None => self.deadline,
        }
    }

    async fn patch_object(
        &self,
        o: &ObjRef,
        patch_type: PatchType,
        patch: &Value,
        subresource: Option<&str>,
    ) -> Result<Value, ActionError> {
        let pp = PatchParams {
            field_manager: Some(FIELD_MANAGER.into()),
            ..PatchParams::default()
        };
        let request = Request::new(url_path(&o.r, o.namespace.as_deref()));
        let p = match patch_type {
            PatchType::Strategic => Patch::Strategic(patch),
            // A JSON patch is sent like a merge patch with its own content type
            // (kube's `Patch::Json` wants the json-patch crate's types).
            PatchType::Merge | PatchType::Json => Patch::Merge(patch),
        };
        let mut req = match subresource {
            Some(sub) => request.patch_subresource(sub, &o.name, &pp, &p),
            None => request.patch(&o.name, &pp, &p),
        }
        .map_err(build_error)?;
        if patch_type == PatchType::Json {
            req.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json-patch+json"),
            );
        }
        let mut obj = self.request(req).await.map_err(api_error)?;
        if subresource.is_none() {
            watch::fill_type(&mut obj, &o.r);
        }
        Ok(obj)
    }

    async fn patch(
        &self,
        target: &Target,
        patch_type: PatchType,
        patch: &str,
        subresource: Option<&str>,
    ) -> ActionResult {
        let value: Value = serde_yaml_ng::from_str(patch)
            .map_err(|e| ActionError::failed(format!("error: unable to parse the patch: {e}"), None))?;
        let o = self
            .objects(std::slice::from_ref(target), None, false)
            .await?
            .remove(0);
        self.patch_object(&o, patch_type, &value, subresource).await
    }

    async fn metadata(
        &self,
        field: MetaField,
        targets: &[Target],
        selector: Option<&str>,
        changes: &[(String, Option<String>)],
        overwrite: bool,
    ) -> ActionResult {
        let key = match field {
            MetaField::Annotations => "annotations",
            MetaField::Labels => "labels",
        };
        let mut out = Vec::new();
        for o in self.objects(targets, selector, false).await? {
            if !overwrite {
                let current = self
                    .get_one(&o.r, o.namespace.as_deref(), &o.name)
                    .await
                    .map_err(api_error)?;
                for (k, v) in changes {
                    let Some(v) = v else { continue };
                    if let Some(old) = current
                        .pointer(&format!("/metadata/{key}"))
                        .and_then(|m| m.get(k))
                        && old.as_str() != Some(v.as_str())
                    {
                        let old = select::display(old);
                        let message = match field {
                            MetaField::Annotations => format!(
                                "error: --overwrite is false but found the following declared annotation(s): '{k}' already has a value ({old})"
                            ),
                            MetaField::Labels => {
                                format!("error: '{k}' already has a value ({old}), and --overwrite is false")
                            }
                        };
                        return Err(ActionError::failed(message, None));
                    }
                }
            }
            let map: serde_json::Map<String, Value> = changes
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().map_or(Value::Null, Value::String)))
                .collect();
            let patch = json!({"metadata": {key: map}});
            out.push(self.patch_object(&o, PatchType::Merge, &patch, None).await?);
        }
        Ok(one_or_list(out))
    }

    async fn scale(&self, targets: &[Target], replicas: &ReplicaCount) -> ActionResult {
        let n = match replicas {
            ReplicaCount::Count(n) => *n,
            ReplicaCount::Unrendered(v) => {
                return Err(ActionError::failed(
                    format!("error: --replicas is not a number: {v:?}"),
                    None,
                ));
            }
        };
        let mut out = Vec::new();
        for o in self.objects(targets, None, false).await? {
            let patch = json!({"spec": {"replicas": n}});
            out.push(
                self.patch_object(&o, PatchType::Merge, &patch, Some("scale"))
                    .await?,
            );
        }
        Ok(one_or_list(out))
    }

    async fn restart(&self, targets: &[Target]) -> ActionResult {
        let mut out = Vec::new();
        for o in self.objects(targets, None, false).await? {
            if !rollout::supported(&o.r.ar.kind) {
                return Err(ActionError::failed(
                    format!(
                        "error: {}/{} restarting is not supported",
                        o.r.type_name(),
                        o.name
                    ),
                    None,
                ));
            }
            let now = (self.b.now)();
            let patch = json!({"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}});
            out.push(self.patch_object(&o, PatchType::Merge, &patch, None).await?);
        }
        Ok(one_or_list(out))
    }

    async fn rollout_status(
        &self,
        target: &Target,
        timeout: Option<Duration>,
        watch_on: bool,
    ) -> ActionResult {
        let o = self
            .objects(std::slice::from_ref(target), None, false)
            .await?
            .remove(0);
        let kind = o.r.ar.kind.clone();
        if !rollout::supported(&kind) {
            return Err(ActionError::failed(
                format!("error: no status viewer has been implemented for {kind}"),
                None,
            ));
        }
        // The object must exist now (kubectl gets it first).
        self.get_one(&o.r, o.namespace.as_deref(), &o.name)
            .await
            .map_err(api_error)?;
        let deadline = self.wait_deadline(timeout);
        let names = [o.name.clone()];
        let filter = Filter {
            namespace: o.namespace.as_deref(),
            names: &names,
            selector: None,
        };
        let mut printed: Vec<String> = Vec::new();
        let outcome = watch::until(
            self.client(),
            &self.b.timer,
            &o.r,
            &filter,
            deadline,
            |objects, seen| {
                let obj = match seen {
                    Seen::Deleted => return Ok(Some(Err("error: object has been deleted".to_string()))),
                    Seen::Changed(obj) => obj,
                    Seen::Listed => match objects.get(&o.name) {
                        Some(obj) => obj,
                        None => return Ok(Some(Err("error: object has been deleted".to_string()))),
                    },
                };
                Ok(match rollout::status(&kind, obj) {
                    rollout::Rollout::Waiting(m) => {
                        printed.push(m);
                        (!watch_on).then_some(Ok(()))
                    }
                    rollout::Rollout::Done(m) => {
                        printed.push(m);
                        Some(Ok(()))
                    }
                    rollout::Rollout::Error(m) => Some(Err(format!("error: {m}"))),
                })
            },
        )
        .await?;
        match outcome {
            Some(Ok(())) => Ok(json!({"stdout": lines(&printed)})),
            Some(Err(stderr)) => Err(failed_with(&printed, stderr)),
            None => Err(failed_with(
                &printed,
                "error: timed out waiting for the condition".into(),
            )),
        }
    }

    async fn wait(
        &self,
        targets: &[Target],
        selector: Option<&str>,
        all: bool,
        condition: &WaitFor,
        timeout: Duration,
    ) -> ActionResult {
        let deadline = self.wait_deadline(Some(timeout));
        let objs = self.objects(targets, selector, all).await?;
        if objs.is_empty() {
            return Err(ActionError::failed("error: no matching resources found", None));
        }
        let mut stdout = Vec::new();
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
                    Ok(match condition {
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
                    }
                    .then_some(()))
                },
            )
            .await?;
            if met.is_none() {
                return Err(failed_with(
                    &stdout,
                    format!(
                        "error: timed out waiting for the condition on {}/{}",
                        o.r.ar.plural, o.name
                    ),
                ));
            }
            stdout.push(format!("{}/{} condition met", o.r.type_name(), o.name));
        }
        Ok(json!({"stdout": lines(&stdout)}))
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

/// `--sort-by` order: numbers by value, everything else as text, missing first.
fn compare(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .unwrap_or_default()
            .total_cmp(&y.as_f64().unwrap_or_default()),
        (Some(x), Some(y)) => select::display(x).cmp(&select::display(y)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
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
