//! `rehearse run --record` then `--replay` of a mixed workflow (AWS on moto,
//! Kubernetes on a real control plane, an HTTP server and shell steps, all
//! on loopback) gives identical step outputs, and the replay needs neither
//! the peers nor credentials.

mod common;
mod common_aws;
mod kube_support;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn rehearse(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    common::rehearse_without_aws(dir, args, env).output().unwrap()
}

/// A web server that answers 503 twice, then 200, on `/home`.
async fn web() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 2048];
            let _ = sock.read(&mut buf).await;
            let (status, body) = if n < 2 {
                ("503 Service Unavailable", "warming up")
            } else {
                ("200 OK", "<h1>Retail Store</h1>")
            };
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(reply.as_bytes()).await;
        }
    });
    (url, hits)
}

#[tokio::test(flavor = "multi_thread")]
async fn record_then_replay_gives_identical_outputs() {
    let moto = common_aws::moto_url().to_string();
    let role = common_aws::unique("mixed-role");
    let cluster = common_aws::unique("mixed-cluster");
    common_aws::create_cluster(&cluster).await;
    let (web, hits) = web().await;

    // A deployment in its own namespace on the cluster, rolled out by its
    // controllers and the fake kubelet.
    let ns = kube_support::namespace("record-replay").await;
    let k = kube_support::backend(&ns);
    kube_support::apply(&k, kube_support::DEPLOYMENT).await;
    kube_support::ok(&k, "rollout status deployment/carts --timeout=60s").await;

    // The lab in a folder of its own, run from its parent and replayed from
    // `/`: its `file://` and `-f` paths must start at its folder.
    let dir = tempfile::tempdir().unwrap();
    let lab = dir.path().join("lab");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed");
    std::fs::create_dir_all(lab.join("manifests")).unwrap();
    for f in ["mixed.toml", "trust.json", "manifests/carts.yaml"] {
        std::fs::copy(fixture.join(f), lab.join(f)).unwrap();
    }
    let workflow: PathBuf = lab.join("mixed.toml");
    let vars = [
        ("MIXED_ROLE", role.as_str()),
        ("MIXED_CLUSTER", cluster.as_str()),
        ("MIXED_WEB", web.as_str()),
    ];
    // The cluster's kubeconfig (its admin token must not reach the file),
    // with the test's namespace.
    let kubeconfig = kube_support::kubeconfig_for(dir.path(), &[&ns]);
    let token = kube_support::cluster().token.clone();

    // Record, live against the peers.
    let mut live_env = vars.to_vec();
    live_env.extend([
        ("AWS_ENDPOINT_URL", moto.as_str()),
        ("AWS_ACCESS_KEY_ID", "AKIDTESTSECRETNEVERSTORE"),
        ("AWS_SECRET_ACCESS_KEY", "SECRETTESTNEVERSTORE"),
        ("AWS_SESSION_TOKEN", "TOKENTESTNEVERSTORE"),
        ("AWS_REGION", "us-west-2"),
        ("KUBECONFIG", kubeconfig.to_str().unwrap()),
    ]);
    let recorded = dir.path().join("recorded.json");
    let out = rehearse(
        dir.path(),
        &[
            "run",
            "--record",
            "lab/mixed.toml",
            "--report-json",
            recorded.to_str().unwrap(),
        ],
        &live_env,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let file = lab.join("mixed.recording.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    for secret in [
        "AKIDTESTSECRETNEVERSTORE",
        "SECRETTESTNEVERSTORE",
        "TOKENTESTNEVERSTORE",
        token.as_str(),
        "Signature=",
        "AWS4-HMAC-SHA256",
    ] {
        assert!(!text.contains(secret), "the recording holds {secret}");
    }
    assert!(text.contains("capture: live"));
    let web_hits = hits.load(Ordering::SeqCst);
    assert!(web_hits >= 3, "the wait polled the web server");

    // Replay: no peers reachable (the endpoint is a closed port), no
    // credentials, and none of the variables in the environment.
    let dead = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    let replayed = dir.path().join("replayed.json");
    let out = rehearse(
        Path::new("/"),
        &[
            "run",
            "--replay",
            workflow.to_str().unwrap(),
            "--report-json",
            replayed.to_str().unwrap(),
        ],
        &[
            ("AWS_ENDPOINT_URL", dead.as_str()),
            ("KUBECONFIG", "/nonexistent/kubeconfig"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        web_hits,
        "the replay sent no HTTP request"
    );

    let live = common::step_outputs(&recorded);
    let replay = common::step_outputs(&replayed);
    assert_eq!(live.len(), replay.len());
    for (l, r) in live.iter().zip(&replay) {
        assert_eq!(l, r, "step `{}` differs between record and replay", l.0);
    }
    let r: Value = serde_json::from_slice(&std::fs::read(&replayed).unwrap()).unwrap();
    assert_eq!(r["workflows"][0]["mode"], "replay");
    let about = r["workflows"][0]["recording"].as_str().unwrap();
    assert!(
        about.contains("mixed.recording.yaml: a live capture of"),
        "{about}"
    );
    // Time in a replay is the recorded time: the web step's two polls
    // (50 ms apart at least) show, though nothing waited for real.
    let web = r["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "web")
        .unwrap();
    assert_eq!(web["attempts"].as_array().unwrap().len(), 3);
    assert!(
        web["duration_ms"].as_u64().unwrap() >= 100,
        "{}",
        web["duration_ms"]
    );
}

#[test]
fn a_live_run_refuses_to_start_in_another_account() {
    let moto = common_aws::moto_url().to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed/account.toml"),
        dir.path().join("account.toml"),
    )
    .unwrap();
    let env = |account: &'static str| {
        vec![
            ("AWS_ENDPOINT_URL", moto.clone()),
            ("AWS_ACCESS_KEY_ID", "testing".to_string()),
            ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
            ("AWS_REGION", "us-west-2".to_string()),
            ("EXPECTED_ACCOUNT", account.to_string()),
        ]
    };
    let as_refs =
        |v: &Vec<(&'static str, String)>| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();

    // moto's account is 123456789012.
    let wrong = as_refs(&env("999999999999"));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = rehearse(dir.path(), &["run", "account.toml"], &wrong);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("123456789012") && err.contains("999999999999"),
        "{err}"
    );
    assert!(err.contains("nothing was run"), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("who"),
        "no step ran"
    );

    let right = as_refs(&env("123456789012"));
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let out = rehearse(dir.path(), &["run", "account.toml"], &right);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A recording written by hand says so, and `kubectl exec` replays from
/// its recorded result (its WebSocket traffic is not replayable as requests).
#[test]
fn a_hand_written_recording_replays_exec_and_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("exec.toml"),
        r#"[workflow]
name = "exec"

[[steps]]
id = "env"
kubectl = "-n carts exec deployment/carts -- env"
expect = [{ query = "stdout", contains = "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials" }]
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("exec.recording.yaml"),
        r#"format: 1
tool_version: 0.1.0
recorded_at: 2024-01-12T22:41:01Z
capture: hand-written
source: the sample output of the EKS Workshop page verifying-dynamo.md
exchanges:
- step: env
  command: kubectl -n carts exec deployment/carts -- env
  stdout: |
    AWS_STS_REGIONAL_ENDPOINTS=regional
    AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials
  stderr: ''
  exit_code: 0
  duration_ms: 250
"#,
    )
    .unwrap();
    let report = dir.path().join("r.json");
    let out = rehearse(
        dir.path(),
        &[
            "run",
            "--replay",
            "exec.toml",
            "--report-json",
            report.to_str().unwrap(),
        ],
        &[("KUBECONFIG", "/nonexistent/kubeconfig")],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("written by hand, not captured live"), "{stdout}");
    assert!(stdout.contains("source: the sample output"), "{stdout}");
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(r["workflows"][0]["steps"][0]["duration_ms"], 250);
}
