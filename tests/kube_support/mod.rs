//! The Kubernetes API on loopback for the kube tests: PyPI's kmock emulator
//! (`../shared/tools/kube-emulator.py`, copied into a temp dir and run
//! from there), one per test binary, and clients for it.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use http::{Method, Request, Response, StatusCode};
use kube::client::Body;
use kube::{Client, Config};
use rehearse::backend::kube::KubeBackend;
use rehearse::ground::port::ActionResult;
use serde_json::Value;

/// The time the injected clock always tells.
pub const NOW: &str = "2026-01-02T03:04:05Z";

pub struct Emulator {
    pub url: String,
    pub dir: tempfile::TempDir,
    /// The `sh` that runs the emulator and kills it when our stdin closes,
    /// which happens when the test binary exits (statics are never dropped).
    _child: Child,
}

fn emulator_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/kube-emulator.py")
}

/// The shared emulator, started on first use.
pub fn emulator() -> &'static Emulator {
    static EMULATOR: OnceLock<Emulator> = OnceLock::new();
    EMULATOR.get_or_init(start)
}

fn start() -> Emulator {
    let kmock = Command::new("python3")
        .args(["-c", "import kmock"])
        .stderr(Stdio::null())
        .status();
    assert!(
        matches!(kmock, Ok(s) if s.success()),
        "the kube tests need PyPI's kmock (and python3): run scripts/peers.sh"
    );
    let script = emulator_script();
    assert!(script.is_file(), "{} is missing", script.display());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(&script, dir.path().join("kube-emulator.py")).expect("copy the emulator");
    let mut child = Command::new("sh")
        .args([
            "-c",
            "python3 kube-emulator.py 0 & pid=$!; trap 'kill $pid' EXIT; cat >/dev/null",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the emulator");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the emulator's URL");
    let url = line.trim().to_string();
    assert!(
        url.starts_with("http://"),
        "the emulator printed {url:?}, not its URL"
    );
    Emulator {
        url,
        dir,
        _child: child,
    }
}

/// A client of the emulator, through the server-side-apply stand-in.
pub fn client() -> Client {
    let config = Config::new(emulator().url.parse().expect("URL"));
    let base = Client::try_from(config).expect("client");
    let service = tower::service_fn(move |req: Request<Body>| {
        let base = base.clone();
        async move { apply_standin(base, req).await }
    });
    Client::new(service, "default")
}

/// The emulator does not know server-side apply: it reads an apply patch
/// as a merge patch, which is what applying a full manifest to an object
/// it already holds amounts to here, but answers 404 when the object does
/// not exist yet, where a real API server creates it. This stand-in creates
/// the object then (POST to the collection with the same body), as the
/// server would. Everything else passes through untouched.
async fn apply_standin(base: Client, req: Request<Body>) -> Result<Response<Body>, kube::Error> {
    let is_apply = req.method() == Method::PATCH
        && req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .is_some_and(|v| v == "application/apply-patch+yaml");
    if !is_apply {
        return base.send(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = body.collect_bytes().await?;
    let mut again = Request::builder().method(Method::PATCH).uri(parts.uri.clone());
    for (k, v) in &parts.headers {
        again = again.header(k, v);
    }
    let resp = base
        .send(again.body(Body::from(bytes.clone())).expect("request"))
        .await?;
    if resp.status() != StatusCode::NOT_FOUND {
        return Ok(resp);
    }
    let path = parts.uri.path();
    let collection = &path[..path.rfind('/').expect("object path")];
    let create = Request::builder()
        .method(Method::POST)
        .uri(collection)
        .header(http::header::CONTENT_TYPE, "application/json")
        .body(Body::from(bytes))
        .expect("request");
    base.send(create).await
}

pub fn backend(namespace: &str) -> KubeBackend {
    let now: rehearse::backend::kube::Clock = Arc::new(|| NOW.to_string());
    KubeBackend::new(client(), namespace.to_string(), now)
}

/// A fresh namespace name per test (the emulator needs no Namespace object).
pub fn namespace(test: &str) -> String {
    format!("t-{test}")
}

pub async fn run(b: &KubeBackend, command: &str) -> ActionResult {
    run_with(b, command, None).await
}

pub async fn run_with(b: &KubeBackend, command: &str, stdin: Option<&str>) -> ActionResult {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let command = rehearse::action::line::kubectl(command)
        .map_err(|e| rehearse::ground::port::ActionError::failed(format!("error: {e}"), None))?;
    b.run(&command, emulator().dir.path(), stdin, deadline).await
}

/// Sets a deployment's status, as its controller would (the emulator runs
/// no controllers).
pub async fn patch_status(ns: &str, name: &str, status: Value) {
    let api: kube::Api<k8s_openapi::api::apps::v1::Deployment> = kube::Api::namespaced(client(), ns);
    api.patch_status(
        name,
        &kube::api::PatchParams::default(),
        &kube::api::Patch::Merge(serde_json::json!({ "status": status })),
    )
    .await
    .expect("patch status");
}

pub async fn ok(b: &KubeBackend, command: &str) -> Value {
    run(b, command)
        .await
        .unwrap_or_else(|e| panic!("{command}: {e:?}"))
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
