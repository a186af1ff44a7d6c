//! The Kubernetes peers of the kube tests, all on 127.0.0.1: a real control
//! plane (Kubernetes v1.20.2's etcd, kube-apiserver, controller manager and
//! scheduler, from `scripts/cluster.sh`; see [`cluster`]) and a fake kubelet
//! that runs its pods (see [`kubelet`]), one per test binary; clients, a
//! namespace per test, and Debian's kubectl on the same cluster.

#![allow(dead_code)]

pub mod cluster;
pub mod kubelet;
mod kubelet_exec;
mod kubelet_logs;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use kube::Client;
use kube::api::{Api, PostParams};
use rehearse::backend::kube::KubeBackend;
use rehearse::ground::port::ActionResult;
use serde_json::{Value, json};

pub use cluster::cluster;
#[allow(unused_imports)]
pub use kubelet::{FakeKubelet, Pods, Rule};

/// The time the injected clock always tells.
pub const NOW: &str = "2026-01-02T03:04:05Z";

static KUBELET: OnceLock<FakeKubelet> = OnceLock::new();

extern "C" fn stop_kubelet() {
    if let Some(k) = KUBELET.get() {
        k.stop();
    }
}

/// This test binary's fake kubelet (one Ready node), started on first use
/// and stopped (its node deleted) when the binary exits, before its
/// cluster is.
pub fn kubelet() -> &'static FakeKubelet {
    KUBELET.get_or_init(|| {
        let config = cluster().config.clone();
        let kubelet = FakeKubelet::start(config, 1);
        // SAFETY: registers a plain function with no captured state; it runs
        // before the cluster's own handler (registered earlier).
        unsafe {
            libc::atexit(stop_kubelet);
        }
        kubelet
    })
}

/// A client of the cluster, as its admin.
pub fn client() -> Client {
    Client::try_from(cluster().config.clone()).expect("a client")
}

pub fn backend(namespace: &str) -> KubeBackend {
    let now: rehearse::backend::kube::Clock = Arc::new(|| NOW.to_string());
    KubeBackend::new(client(), namespace.to_string(), now)
}

/// A fresh namespace for a test, its name unique to this process, ready
/// for pods (its default ServiceAccount has its token), with a Ready node
/// to run them: its pods are scheduled on this binary's fake kubelet only
/// (the API server's PodNodeSelector admission reads the annotation).
pub async fn namespace(test: &str) -> String {
    let selector = kubelet().node_selector();
    static N: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "{test}-{:x}{:x}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    );
    let namespaces: Api<Namespace> = Api::all(client());
    let ns: Namespace = serde_json::from_value(json!({
        "metadata": {
            "name": name,
            "labels": {"rehearse.dev/test": test},
            "annotations": {"scheduler.alpha.kubernetes.io/node-selector": selector},
        }
    }))
    .expect("a Namespace");
    namespaces
        .create(&PostParams::default(), &ns)
        .await
        .unwrap_or_else(|e| panic!("create namespace {name}: {e}"));
    let accounts: Api<ServiceAccount> = Api::namespaced(client(), &name);
    eventually(
        &format!("a token for the default ServiceAccount of {name}"),
        Duration::from_secs(60),
        || async {
            let sa = accounts.get_opt("default").await.ok().flatten()?;
            sa.secrets.filter(|s| !s.is_empty()).map(|_| ())
        },
    )
    .await;
    name
}

/// Where relative `-f` paths of [`run`] start.
fn workdir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
        .path()
}

pub async fn run(b: &KubeBackend, command: &str) -> ActionResult {
    run_with(b, command, None).await
}

pub async fn run_with(b: &KubeBackend, command: &str, stdin: Option<&str>) -> ActionResult {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let command = rehearse::action::line::kubectl(command)
        .map_err(|e| rehearse::ground::port::ActionError::failed(format!("error: {e}"), None))?;
    b.run(&command, workdir(), stdin, deadline).await
}

pub async fn ok(b: &KubeBackend, command: &str) -> Value {
    run(b, command)
        .await
        .map(|out| out.json)
        .unwrap_or_else(|e| panic!("{command}: {e:?}"))
}

pub async fn apply(b: &KubeBackend, manifest: &str) -> Value {
    run_with(b, "apply -f -", Some(manifest))
        .await
        .map(|out| out.json)
        .unwrap_or_else(|e| panic!("apply: {e:?}\n{manifest}"))
}

/// Debian's kubectl (scripts/peers.sh installs it), on the same cluster.
pub fn kubectl(args: &[&str]) -> Output {
    Command::new("kubectl")
        .arg("--kubeconfig")
        .arg(&cluster().kubeconfig)
        .args(args)
        .output()
        .expect("run kubectl (scripts/peers.sh installs it)")
}

/// kubectl's JSON output, or a panic with its stderr.
pub fn kubectl_json(args: &[&str]) -> Value {
    let out = kubectl(args);
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("kubectl's JSON")
}

/// A copy of the cluster's kubeconfig in `dir` whose contexts use these
/// namespaces: the first is the current context (`rehearse`), the others
/// are named `rehearse-N`.
pub fn kubeconfig_for(dir: &Path, namespaces: &[&str]) -> PathBuf {
    let text = std::fs::read_to_string(&cluster().kubeconfig).expect("the kubeconfig");
    let mut doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("a kubeconfig");
    let context = doc["contexts"][0].clone();
    let contexts: Vec<serde_yaml_ng::Value> = namespaces
        .iter()
        .enumerate()
        .map(|(i, ns)| {
            let mut c = context.clone();
            if i > 0 {
                c["name"] = format!("rehearse-{i}").into();
            }
            c["context"]["namespace"] = (*ns).into();
            c
        })
        .collect();
    doc["contexts"] = contexts.into();
    let path = dir.join("kubeconfig");
    std::fs::write(&path, serde_yaml_ng::to_string(&doc).unwrap()).unwrap();
    path
}

/// Waits until `f` gives something, polling every 50 ms; panics with
/// `what` after `limit`. For setting up and looking at the cluster (what
/// rehearse is tested on never polls).
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + limit;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  name: carts
  labels:
    app: carts
spec:
  replicas: 2
  selector:
    matchLabels:
      app: carts
  template:
    metadata:
      labels:
        app: carts
    spec:
      containers:
        - name: carts
          image: public.ecr.aws/aws-containers/retail-store-sample-cart:1.0.0
"#;
