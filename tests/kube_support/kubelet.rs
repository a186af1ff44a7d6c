//! A fake kubelet for the real control plane: it registers Ready nodes,
//! "runs" the pods the scheduler binds to them (their status says
//! Running and Ready, as a kubelet's would), finishes their deletion, can
//! make their containers crash-loop, and serves their logs and exec over
//! HTTPS the way the API server asks a kubelet for them, so that `kubectl
//! logs` and `kubectl exec` go API server → kubelet for real. No container
//! runs: images are never pulled, and an exec runs its command as a process
//! of this machine in the container's environment (see `kubelet_exec`).
//!
//! It runs on a thread and runtime of its own, so it outlives any one
//! test's runtime; dropping it deletes its nodes and stops it.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{ConfigMap, Node, Pod};
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams, Preconditions};
use kube::runtime::{WatchStreamExt, watcher};
use serde_json::{Value, json};
use tokio::sync::Notify;

use super::kubelet_logs::{self, LogLine};

/// The label on every node a fake kubelet registers; its value names the
/// kubelet (see [`FakeKubelet::node_selector`]).
pub const NODE_LABEL: &str = "rehearse.dev/fake-kubelet";
/// The annotation naming the process that runs a node's fake kubelet
/// (`PID:START`), so that a later one can remove the nodes of a dead one.
const OWNER: &str = "rehearse.dev/kubelet-process";
/// How often a crash-looping container restarts.
const CRASH_EVERY: Duration = Duration::from_secs(1);

/// Which pods a rule applies to.
#[derive(Clone)]
pub struct Pods(Arc<dyn Fn(&Pod) -> bool + Send + Sync>);

impl Pods {
    /// Pods of `namespace` whose labels match `selector` (`a=b,c=d`).
    pub fn labelled(namespace: &str, selector: &str) -> Pods {
        let namespace = namespace.to_string();
        let wanted: Vec<(String, String)> = selector
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').expect("a selector of key=value pairs");
                (k.to_string(), v.to_string())
            })
            .collect();
        Pods(Arc::new(move |pod: &Pod| {
            let labels = pod.metadata.labels.clone().unwrap_or_default();
            pod.metadata.namespace.as_deref() == Some(namespace.as_str())
                && wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
        }))
    }

    /// Pods for which `f` holds.
    pub fn matching(f: impl Fn(&Pod) -> bool + Send + Sync + 'static) -> Pods {
        Pods(Arc::new(f))
    }
}

struct RuleDef {
    pods: Pods,
    crash: bool,
    /// The containers' logs (else each says that it runs).
    logs: Option<Vec<LogLine>>,
}

/// A rule in force until dropped (or [`Rule::release`]d): then the pods it
/// held run as any other.
pub struct Rule {
    id: u64,
    shared: Arc<Shared>,
}

impl Rule {
    pub fn release(self) {}
}

impl Drop for Rule {
    fn drop(&mut self) {
        self.shared.rules.lock().unwrap().retain(|(id, _)| *id != self.id);
        self.shared.changed.notify_one();
    }
}

/// What the kubelet knows of one of its pods.
pub(super) struct PodState {
    pub pod: Pod,
    ip: String,
    pub started: SystemTime,
    /// Since when its containers run (or crash-loop).
    since: SystemTime,
    pub restarts: u32,
    crashing: bool,
    /// The last run of its crashed containers: started, finished.
    last_run: Option<(SystemTime, SystemTime)>,
    /// The status last sent for it (nothing is sent twice).
    sent: Option<Value>,
    /// Its deletion has been finished.
    deleted: bool,
    /// Each container's environment, fixed when the pod started (what
    /// `exec` runs with).
    pub env: HashMap<String, Vec<(String, String)>>,
}

pub(super) struct Shared {
    rules: Mutex<Vec<(u64, RuleDef)>>,
    next_rule: AtomicU64,
    changed: Notify,
    /// By uid.
    pub pods: Mutex<HashMap<String, PodState>>,
}

impl Shared {
    /// The rule that decides for a pod: the newest that matches it.
    fn rule_for<T>(&self, pod: &Pod, f: impl Fn(&RuleDef) -> Option<T>) -> Option<T> {
        let rules = self.rules.lock().unwrap();
        rules
            .iter()
            .rev()
            .filter(|(_, r)| (r.pods.0)(pod))
            .find_map(|(_, r)| f(r))
    }

    fn crashing(&self, pod: &Pod) -> bool {
        self.rule_for(pod, |r| Some(r.crash)).unwrap_or(false)
    }

    /// A container's log lines, oldest first.
    pub fn logs(&self, state: &PodState, container: &str) -> Vec<LogLine> {
        self.rule_for(&state.pod, |r| r.logs.clone()).unwrap_or_else(|| {
            let meta = &state.pod.metadata;
            vec![LogLine {
                at: state.since,
                text: format!(
                    "{}/{}/{container} is running",
                    meta.namespace.as_deref().unwrap_or_default(),
                    meta.name.as_deref().unwrap_or_default()
                ),
            }]
        })
    }
}

pub struct FakeKubelet {
    /// Its name, the value of [`NODE_LABEL`] on its nodes.
    id: String,
    nodes: Vec<String>,
    port: u16,
    shared: Arc<Shared>,
    stop: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl FakeKubelet {
    /// Registers `nodes` Ready nodes on the cluster `config` reaches and
    /// returns once they are; runs their pods until dropped.
    pub fn start(config: kube::Config, nodes: usize) -> FakeKubelet {
        static INSTANCE: AtomicU64 = AtomicU64::new(0);
        let instance = INSTANCE.fetch_add(1, Ordering::SeqCst);
        let id = format!("fake-kubelet-{}-{instance}", std::process::id());
        let names: Vec<String> = (0..nodes).map(|i| format!("{id}-{i}")).collect();
        let shared = Arc::new(Shared {
            rules: Mutex::default(),
            next_rule: AtomicU64::new(0),
            changed: Notify::new(),
            pods: Mutex::default(),
        });
        let server = kubelet_logs::Server::bind();
        let port = server.port();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
        let (thread_id, thread_names, thread_shared) = (id.clone(), names.clone(), shared.clone());
        let thread = std::thread::Builder::new()
            .name("fake-kubelet".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime");
                rt.block_on(async move {
                    let client = kube::Client::try_from(config).expect("a client");
                    tokio::spawn(server.serve(thread_shared.clone()));
                    let registered = register_all(&client, &thread_id, &thread_names, port).await;
                    let ok = registered.is_ok();
                    let _ = ready_tx.send(registered);
                    if ok {
                        run(&client, &thread_names, &thread_shared, stop_rx).await;
                    }
                    // Its nodes go with it (a failed start removes what it made).
                    let nodes: Api<Node> = Api::all(client);
                    let dp = DeleteParams::default();
                    for name in &thread_names {
                        let delete = nodes.delete(name, &dp);
                        let _ = tokio::time::timeout(Duration::from_secs(5), delete).await;
                    }
                });
            })
            .expect("spawn the fake kubelet");
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!("the fake kubelet could not register its nodes: {e}"),
            Err(_) => panic!("the fake kubelet's thread died while registering its nodes"),
        }
        FakeKubelet {
            id,
            nodes: names,
            port,
            shared,
            stop: Mutex::new(Some(stop_tx)),
            thread: Mutex::new(Some(thread)),
        }
    }

    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    /// The node selector (`key=value`) that picks its nodes and no other.
    /// Test binaries that share a cluster each have a kubelet of their own,
    /// and only the kubelet a test talks to knows what the test wants of a
    /// pod (a crash loop, logs), so a test's pods must land on its nodes.
    pub fn node_selector(&self) -> String {
        format!("{NODE_LABEL}={}", self.id)
    }

    /// The port of its HTTPS server (the nodes' kubelet endpoint).
    pub fn port(&self) -> u16 {
        self.port
    }

    fn add(&self, rule: RuleDef) -> Rule {
        let id = self.shared.next_rule.fetch_add(1, Ordering::SeqCst);
        self.shared.rules.lock().unwrap().push((id, rule));
        self.shared.changed.notify_one();
        Rule {
            id,
            shared: self.shared.clone(),
        }
    }

    /// The containers of these pods exit with code 1 after printing
    /// `logs`, over and over (CrashLoopBackOff), until the rule is dropped.
    pub fn crash_loop(&self, pods: Pods, logs: &[&str]) -> Rule {
        let at = SystemTime::now();
        let logs = logs
            .iter()
            .map(|l| LogLine {
                at,
                text: l.to_string(),
            })
            .collect();
        self.add(RuleDef {
            pods,
            crash: true,
            logs: Some(logs),
        })
    }

    /// The containers of these pods run and have these logs: each line with
    /// how long before now it was written.
    pub fn logs(&self, pods: Pods, lines: &[(Duration, &str)]) -> Rule {
        let now = SystemTime::now();
        let logs = lines
            .iter()
            .map(|(age, text)| LogLine {
                at: now - *age,
                text: text.to_string(),
            })
            .collect();
        self.add(RuleDef {
            pods,
            crash: false,
            logs: Some(logs),
        })
    }

    /// Stops it: its nodes are deleted, its server closed. Dropping it does
    /// the same.
    pub fn stop(&self) {
        if let Some(stop) = self.stop.lock().unwrap().take() {
            let _ = stop.send(());
        }
        let thread = self.thread.lock().unwrap().take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

impl Drop for FakeKubelet {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `PID:START` of a live process (START: its start time in clock ticks
/// since boot, so that a reused PID does not pass for it); None for a
/// process that is gone or a zombie.
fn process_id(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    if matches!(fields.first(), Some(&("Z" | "X"))) {
        return None;
    }
    Some(format!("{pid}:{}", fields.get(19)?))
}

fn owner_alive(owner: &str) -> bool {
    let Some(pid) = owner.split(':').next().and_then(|p| p.parse().ok()) else {
        return false;
    };
    process_id(pid).as_deref() == Some(owner)
}

fn rfc3339(t: SystemTime) -> String {
    humantime::format_rfc3339_seconds(t).to_string()
}

async fn register_all(client: &kube::Client, id: &str, names: &[String], port: u16) -> Result<(), String> {
    let nodes: Api<Node> = Api::all(client.clone());
    // Nodes of fake kubelets whose process is gone (killed before it could
    // remove them): pods must not be scheduled there.
    let lp = ListParams::default().labels(NODE_LABEL);
    for old in nodes.list(&lp).await.map_err(|e| e.to_string())? {
        let owner = old
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(OWNER))
            .cloned()
            .unwrap_or_default();
        if !owner_alive(&owner) {
            let name = old.metadata.name.unwrap_or_default();
            let _ = nodes.delete(&name, &DeleteParams::default()).await;
        }
    }
    for name in names {
        register(&nodes, id, name, port)
            .await
            .map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

async fn register(nodes: &Api<Node>, id: &str, name: &str, port: u16) -> Result<(), kube::Error> {
    let now = rfc3339(SystemTime::now());
    let owner = process_id(std::process::id()).unwrap_or_default();
    // What a node has and what it keeps for pods, huge pages and an
    // extended resource among them, as `describe node` prints them.
    let capacity = json!({"cpu": "8", "memory": "32Gi", "pods": "250", "ephemeral-storage": "100Gi",
                          "hugepages-2Mi": "64Mi", "hugepages-1Gi": "0", "example.com/dongle": "4"});
    let allocatable = json!({"cpu": "7910m", "memory": "31Gi", "pods": "250", "ephemeral-storage": "95Gi",
                             "hugepages-2Mi": "64Mi", "hugepages-1Gi": "0", "example.com/dongle": "4"});
    let condition = |ty: &str, status: &str, reason: &str, message: &str| {
        json!({"type": ty, "status": status, "reason": reason, "message": message,
               "lastHeartbeatTime": now, "lastTransitionTime": now})
    };
    let status = json!({
        "capacity": capacity,
        "allocatable": allocatable,
        "conditions": [
            condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ],
        "addresses": [
            {"type": "InternalIP", "address": "127.0.0.1"},
            {"type": "Hostname", "address": name},
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": port}},
        "nodeInfo": {
            "machineID": "ec2f1d9a8c3b4e5f9a0b1c2d3e4f5a6b", "systemUUID": "ec2f1d9a-8c3b-4e5f-9a0b-1c2d3e4f5a6b",
            "bootID": "5b0c7e1e-2f4d-4a8b-9c6d-0e1f2a3b4c5d", "kernelVersion": "6.1.0-rehearse",
            "osImage": "rehearse fake kubelet", "containerRuntimeVersion": "fake://1.0",
            "kubeletVersion": "v1.20.2", "kubeProxyVersion": "v1.20.2",
            "operatingSystem": "linux", "architecture": "amd64",
        },
    });
    let node: Node = serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {
                NODE_LABEL: id,
                "kubernetes.io/hostname": name,
                "kubernetes.io/os": "linux",
                "kubernetes.io/arch": "amd64",
            },
            "annotations": {OWNER: owner},
        },
        "status": status,
    }))
    .expect("a Node");
    nodes.create(&PostParams::default(), &node).await?;
    let pp = PatchParams::default();
    nodes
        .patch_status(name, &pp, &Patch::Merge(json!({"status": status})))
        .await?;
    // Admission taints a new node not-ready; a kubelet's first status
    // report would lift it (the node lifecycle controller), here we do.
    nodes
        .patch(name, &pp, &Patch::Merge(json!({"spec": {"taints": null}})))
        .await?;
    let node = nodes.get(name).await?;
    let ready = node
        .status
        .and_then(|s| s.conditions)
        .unwrap_or_default()
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    let tainted = node.spec.and_then(|s| s.taints).is_some_and(|t| !t.is_empty());
    assert!(ready && !tainted, "node {name} is not Ready and untainted");
    Ok(())
}

/// Follows the pods bound to its nodes until told to stop.
async fn run(
    client: &kube::Client,
    nodes: &[String],
    shared: &Arc<Shared>,
    mut stop: tokio::sync::oneshot::Receiver<()>,
) {
    let pods: Api<Pod> = Api::all(client.clone());
    let streams = nodes.iter().map(|n| {
        let config = watcher::Config::default().fields(&format!("spec.nodeName={n}"));
        watcher(pods.clone(), config).default_backoff().boxed()
    });
    let mut events = futures::stream::select_all(streams);
    let mut tick = tokio::time::interval(CRASH_EVERY);
    loop {
        tokio::select! {
            _ = &mut stop => return,
            event = events.next() => match event {
                Some(Ok(watcher::Event::Apply(pod) | watcher::Event::InitApply(pod))) => {
                    let uid = pod.metadata.uid.clone().unwrap_or_default();
                    if seen(shared, pod.clone()) {
                        // Before its first status: nothing can exec into it yet.
                        let env = container_env(client, &pod).await;
                        if let Some(state) = shared.pods.lock().unwrap().get_mut(&uid) {
                            state.env = env;
                        }
                    }
                    reconcile(&pods, shared, &uid).await;
                }
                Some(Ok(watcher::Event::Delete(pod))) => {
                    let uid = pod.metadata.uid.unwrap_or_default();
                    shared.pods.lock().unwrap().remove(&uid);
                }
                Some(Ok(_)) => {}
                // The watcher retries with a backoff.
                Some(Err(_)) => {}
                None => return,
            },
            _ = shared.changed.notified() => reconcile_all(&pods, shared).await,
            _ = tick.tick() => {
                let now = SystemTime::now();
                for state in shared.pods.lock().unwrap().values_mut() {
                    if state.crashing {
                        crash(state, now);
                    }
                }
                reconcile_all(&pods, shared).await;
            }
        }
    }
}

/// Records what the API server says of a pod; true for a pod new to it.
fn seen(shared: &Shared, pod: Pod) -> bool {
    static NEXT_IP: AtomicU64 = AtomicU64::new(0);
    let uid = pod.metadata.uid.clone().unwrap_or_default();
    let mut pods = shared.pods.lock().unwrap();
    match pods.get_mut(&uid) {
        Some(state) => {
            state.pod = pod;
            false
        }
        None => {
            let n = NEXT_IP.fetch_add(1, Ordering::SeqCst);
            let now = SystemTime::now();
            pods.insert(
                uid,
                PodState {
                    pod,
                    ip: format!("10.88.{}.{}", n / 250, n % 250 + 2),
                    started: now,
                    since: now,
                    restarts: 0,
                    crashing: false,
                    last_run: None,
                    sent: None,
                    deleted: false,
                    env: HashMap::new(),
                },
            );
            true
        }
    }
}

/// The environment of each container (by name), as a kubelet makes it
/// when it starts them: `envFrom` ConfigMaps first (with their prefix),
/// then `env` (plain values, ConfigMap keys, the pod's name and namespace),
/// a later name replacing an earlier one. What this kubelet does not read
/// (Secrets, resource fields, `$(VAR)` references) is left as it is or out.
async fn container_env(client: &kube::Client, pod: &Pod) -> HashMap<String, Vec<(String, String)>> {
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    let name = pod.metadata.name.clone().unwrap_or_default();
    let maps: Api<ConfigMap> = Api::namespaced(client.clone(), &namespace);
    let data = |map: String| {
        let maps = maps.clone();
        async move {
            maps.get_opt(&map)
                .await
                .ok()
                .flatten()
                .and_then(|m| m.data)
                .unwrap_or_default()
        }
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let mut out = HashMap::new();
    for c in spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
    {
        let mut env: Vec<(String, String)> = Vec::new();
        let mut set = |key: String, value: String| {
            env.retain(|(k, _)| *k != key);
            env.push((key, value));
        };
        for from in c.env_from.iter().flatten() {
            let Some(map) = &from.config_map_ref else { continue };
            let prefix = from.prefix.clone().unwrap_or_default();
            for (k, v) in data(map.name.clone()).await {
                set(format!("{prefix}{k}"), v);
            }
        }
        for var in c.env.iter().flatten() {
            let from = var.value_from.as_ref();
            let value = if let Some(v) = &var.value {
                Some(v.clone())
            } else if let Some(key) = from.and_then(|f| f.config_map_key_ref.as_ref()) {
                data(key.name.clone()).await.remove(&key.key)
            } else if let Some(field) = from.and_then(|f| f.field_ref.as_ref()) {
                match field.field_path.as_str() {
                    "metadata.name" => Some(name.clone()),
                    "metadata.namespace" => Some(namespace.clone()),
                    _ => None,
                }
            } else if from.is_none() {
                Some(String::new())
            } else {
                None
            };
            if let Some(value) = value {
                set(var.name.clone(), value);
            }
        }
        out.insert(c.name.clone(), env);
    }
    out
}

/// A container ran since `state.since` and exited: one restart more.
fn crash(state: &mut PodState, now: SystemTime) {
    state.last_run = Some((state.since, now));
    state.restarts += 1;
    state.since = now;
}

async fn reconcile_all(api: &Api<Pod>, shared: &Shared) {
    let uids: Vec<String> = shared.pods.lock().unwrap().keys().cloned().collect();
    for uid in uids {
        reconcile(api, shared, &uid).await;
    }
}

/// What a kubelet would do next for one pod: finish its deletion, or
/// report its containers' state.
async fn reconcile(api: &Api<Pod>, shared: &Shared, uid: &str) {
    let (name, namespace, action) = {
        let mut pods = shared.pods.lock().unwrap();
        let Some(state) = pods.get_mut(uid) else { return };
        let meta = &state.pod.metadata;
        let (name, namespace) = (
            meta.name.clone().unwrap_or_default(),
            meta.namespace.clone().unwrap_or_default(),
        );
        if meta.deletion_timestamp.is_some() {
            if state.deleted {
                return;
            }
            state.deleted = true;
            (name, namespace, None)
        } else {
            let crashing = shared.crashing(&state.pod);
            let now = SystemTime::now();
            if crashing && !state.crashing {
                crash(state, now);
            } else if !crashing && state.crashing {
                state.since = now;
            }
            state.crashing = crashing;
            let status = pod_status(state);
            if state.sent.as_ref() == Some(&status) {
                return;
            }
            state.sent = Some(status.clone());
            (name, namespace, Some(status))
        }
    };
    let api: Api<Pod> = Api::namespaced(api.clone().into_client(), &namespace);
    match action {
        None => {
            let dp = DeleteParams {
                grace_period_seconds: Some(0),
                preconditions: Some(Preconditions {
                    uid: Some(uid.to_string()),
                    resource_version: None,
                }),
                ..DeleteParams::default()
            };
            let _ = api.delete(&name, &dp).await;
        }
        Some(status) => {
            let patch = Patch::Strategic(json!({"status": status}));
            if api
                .patch_status(&name, &PatchParams::default(), &patch)
                .await
                .is_err()
                && let Some(state) = shared.pods.lock().unwrap().get_mut(uid)
            {
                // Sent again on the next change or tick.
                state.sent = None;
            }
        }
    }
}

fn hex(parts: &[&str], n: usize) -> String {
    let mut out = String::new();
    let mut salt = 0u64;
    while out.len() < n {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        parts.hash(&mut h);
        out.push_str(&format!("{:016x}", h.finish()));
        salt += 1;
    }
    out.truncate(n);
    out
}

fn container_id(pod: &Pod, container: &str, restarts: u32) -> String {
    let uid = pod.metadata.uid.as_deref().unwrap_or_default();
    format!(
        "containerd://{}",
        hex(&[uid, container, &restarts.to_string()], 64)
    )
}

/// `repo@sha256:…` for an image reference (its tag dropped).
fn image_id(image: &str) -> String {
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    let repo = match image[slash..].find(':') {
        Some(colon) => &image[..slash + colon],
        None => image,
    };
    format!("{repo}@sha256:{}", hex(&[image], 64))
}

/// The status a kubelet reports for a pod in this state.
fn pod_status(state: &PodState) -> Value {
    let pod = &state.pod;
    let meta = &pod.metadata;
    let (name, namespace, uid) = (
        meta.name.as_deref().unwrap_or_default(),
        meta.namespace.as_deref().unwrap_or_default(),
        meta.uid.as_deref().unwrap_or_default(),
    );
    let ready = !state.crashing;
    let since = rfc3339(state.since);
    let started = rfc3339(state.started);
    let spec = pod.spec.clone().unwrap_or_default();
    let containers: Vec<Value> = spec
        .containers
        .iter()
        .map(|c| {
            let image = c.image.clone().unwrap_or_default();
            let current = if state.crashing {
                json!({"waiting": {"reason": "CrashLoopBackOff", "message": format!(
                    "back-off 10s restarting failed container={} pod={name}_{namespace}({uid})", c.name)}})
            } else {
                json!({"running": {"startedAt": since}})
            };
            let last = match &state.last_run {
                Some((from, to)) => json!({"terminated": {
                    "exitCode": 1, "reason": "Error",
                    "startedAt": rfc3339(*from), "finishedAt": rfc3339(*to),
                    "containerID": container_id(pod, &c.name, state.restarts - 1)}}),
                None => json!({}),
            };
            json!({
                "name": c.name,
                "ready": ready,
                "started": ready,
                "restartCount": state.restarts,
                "image": image,
                "imageID": image_id(&image),
                "containerID": container_id(pod, &c.name, state.restarts),
                "state": current,
                "lastState": last,
            })
        })
        .collect();
    let init: Vec<Value> = spec
        .init_containers
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let image = c.image.clone().unwrap_or_default();
            json!({
                "name": c.name, "ready": true, "restartCount": 0,
                "image": image, "imageID": image_id(&image),
                "containerID": container_id(pod, &c.name, 0),
                "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                                         "startedAt": started, "finishedAt": started}},
                "lastState": {},
            })
        })
        .collect();
    let scheduled_at = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "PodScheduled"))
        .and_then(|c| serde_json::to_value(&c.last_transition_time).ok())
        .filter(|v| !v.is_null())
        .unwrap_or_else(|| json!(started));
    let unready: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    let readiness = |ty: &str| {
        if ready {
            json!({"type": ty, "status": "True", "lastProbeTime": null, "lastTransitionTime": since,
                   "reason": null, "message": null})
        } else {
            json!({"type": ty, "status": "False", "lastProbeTime": null, "lastTransitionTime": since,
                   "reason": "ContainersNotReady",
                   "message": format!("containers with unready status: [{}]", unready.join(" "))})
        }
    };
    let mut status = BTreeMap::new();
    status.insert("phase", json!("Running"));
    status.insert(
        "conditions",
        json!([
            {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": started},
            readiness("Ready"),
            readiness("ContainersReady"),
            {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": scheduled_at},
        ]),
    );
    status.insert("hostIP", json!("127.0.0.1"));
    status.insert("podIP", json!(state.ip));
    status.insert("podIPs", json!([{"ip": state.ip}]));
    status.insert("startTime", json!(started));
    status.insert("containerStatuses", json!(containers));
    if !init.is_empty() {
        status.insert("initContainerStatuses", json!(init));
    }
    json!(status)
}
