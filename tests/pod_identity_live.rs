//! The Kubernetes half of the Pod Identity lab, live: a real control plane
//! (tests/kube_support) brought into the state the lab's
//! `prepare-environment` leaves (tests/fixtures/pod-identity-live), the
//! lab's Kubernetes steps run with `rehearse run --record` against it, the
//! new carts pods crash-looping until the workflow is past the rollout
//! that must time out, and the capture replayed with identical outputs.
//!
//! Only the lab's `kubectl` steps run: the test writes a copy of
//! workflows/eks-pod-identity.toml that keeps its header (less the
//! `account`, which would need an STS call) and the steps that have a
//! `kubectl` action, byte for byte. The AWS steps need an account (or the
//! reference data served to the SDK), the `http` step a load balancer, and
//! `pod-identity-env` the Pod Identity webhook, which a bare control plane
//! does not have: it is left out too.

mod common;
mod kube_support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use k8s_openapi::api::core::v1::{Namespace, Service};
use kube::api::{Api, Patch, PatchParams, PostParams};
use rehearse::recording::{Capture, Recording};
use serde_json::{Value, json};

use kube_support::{Pods, client, cluster, eventually, kubectl, kubelet};

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// The load balancer's hostname, as the lab's reference recording has it.
const HOSTNAME: &str = "k8s-ui-uinlb-647e781087-6717c5049aa96bd9.elb.us-west-2.amazonaws.com";
/// What the crashing carts container prints, from the lab's reference
/// recording (its `latest-pod-logs`), shortened.
const CRASH_LOGS: &[&str] = &[
    "2024-01-12T22:35:43.842Z ERROR 1 --- [           main] o.s.b.d.LoggingFailureAnalysisReporter   : ",
    "APPLICATION FAILED TO START",
    "Description:",
    "An error occurred when accessing Amazon DynamoDB:",
    "User: arn:aws:sts::1234567890:assumed-role/eksctl-eks-workshop-nodegroup-defa-NodeInstanceRole-rjjGEigUX8KZ/i-01f378b057326852a is not authorized to perform: dynamodb:Query on resource: arn:aws:dynamodb:us-west-2:1234567890:table/eks-workshop-carts/index/idx_global_customerId because no identity-based policy allows the dynamodb:Query action (Service: DynamoDb, Status Code: 400)",
];
/// The step that follows the crash-looping part of the lab: when the run
/// reaches it, the carts pods are let run.
const RELEASE_AT: &str = "agent-daemonset";
/// Kubernetes steps that a bare control plane cannot serve.
const LEFT_OUT: &[&str] = &["pod-identity-env"];
/// The shipped capture of this test, the lab's second recording.
const SHIPPED: &str = "workflows/eks-pod-identity.local-cluster.recording.yaml";
/// Its header's `source`: what it is a capture of.
const SOURCE: &str = "Live capture against a local control plane, not EKS: the lab's kubectl steps only \
     (a copy of eks-pod-identity.toml without its AWS steps, its http step and pod-identity-env), run by \
     tests/pod_identity_live.rs against Kubernetes v1.20.2 (scripts/cluster.sh) and the fake kubelet of \
     tests/kube_support, in the state of tests/fixtures/pod-identity-live; the crash loop's logs are the \
     reference recording's";
/// Set to write this run's capture to [`SHIPPED`].
const SHIP_VAR: &str = "REHEARSE_SHIP_LIVE_CAPTURE";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The lab's workflow cut down to its header (less `account`) and its
/// `kubectl` steps; no `finally` (all AWS).
fn kubectl_steps_only(lab: &str) -> String {
    let mut blocks = lab.split("\n[[");
    let header = blocks.next().expect("a header");
    let mut out: String = header
        .lines()
        .filter(|l| !l.starts_with("account ="))
        .map(|l| format!("{l}\n"))
        .collect();
    for block in blocks {
        let block = format!("[[{block}");
        let kubectl_step = block.starts_with("[[steps]]") && block.contains("\nkubectl = ");
        let left_out = LEFT_OUT
            .iter()
            .any(|id| block.contains(&format!("\nid = \"{id}\"\n")));
        if kubectl_step && !left_out {
            out.push('\n');
            out.push_str(block.trim_end());
            out.push('\n');
        }
    }
    out
}

fn ids(workflow: &str) -> Vec<String> {
    workflow
        .lines()
        .filter_map(|l| l.strip_prefix("id = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .collect()
}

fn kubectl_ok(args: &[&str]) -> Output {
    let out = kubectl(args);
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The state `prepare-environment` leaves, on this binary's cluster.
async fn prepare_environment() {
    let selector = kubelet().node_selector();
    kubectl_ok(&[
        "delete",
        "namespace",
        "carts",
        "ui",
        "--ignore-not-found",
        "--wait",
    ]);
    kubectl_ok(&[
        "-n",
        "kube-system",
        "delete",
        "daemonset",
        "eks-pod-identity-agent",
        "--ignore-not-found",
    ]);
    let namespaces: Api<Namespace> = Api::all(client());
    for name in ["carts", "ui"] {
        let ns: Namespace = serde_json::from_value(json!({
            "metadata": {
                "name": name,
                "annotations": {"scheduler.alpha.kubernetes.io/node-selector": selector},
            }
        }))
        .unwrap();
        namespaces
            .create(&PostParams::default(), &ns)
            .await
            .unwrap_or_else(|e| panic!("create namespace {name}: {e}"));
    }
    let fixtures = root().join("tests/fixtures/pod-identity-live");
    let dir = tempfile::tempdir().unwrap();
    let (key, value) = selector.split_once('=').unwrap();
    for f in ["carts.yaml", "ui.yaml", "agent.yaml"] {
        let text = std::fs::read_to_string(fixtures.join(f)).unwrap();
        let text = text
            .replace("NODE_SELECTOR_KEY", key)
            .replace("NODE_SELECTOR_VALUE", value);
        let path = dir.path().join(f);
        std::fs::write(&path, text).unwrap();
        // Client-side, as the lab's kubectl applies.
        kubectl_ok(&["apply", "-f", path.to_str().unwrap()]);
    }
    // What the AWS Load Balancer Controller would write.
    let services: Api<Service> = Api::namespaced(client(), "ui");
    services
        .patch_status(
            "ui-nlb",
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {"loadBalancer": {"ingress": [{"hostname": HOSTNAME}]}}})),
        )
        .await
        .expect("set the load balancer's hostname");
    // Both carts Deployments are available before the lab starts.
    for name in ["carts", "carts-dynamodb"] {
        eventually(
            &format!("deployment {name} available"),
            Duration::from_secs(120),
            || async move {
                let out = kubectl(&["-n", "carts", "get", "deployment", name, "-o", "json"]);
                let d: Value = serde_json::from_slice(&out.stdout).ok()?;
                (d["status"]["availableReplicas"] == 1).then_some(())
            },
        )
        .await;
    }
    after_the_pods_second().await;
}

/// Waits until the clock is past the second the newest carts pod was made
/// in. In the lab, its pods are hours older than the restart; here the run
/// starts a moment after they are made, and the API server gives times to
/// the second: a new carts pod made in the same second would tie with them
/// in `latest-pod`'s sort by creation time, and the name would decide.
async fn after_the_pods_second() {
    let out = kubectl_ok(&["-n", "carts", "get", "pods", "-o", "json"]);
    let pods: Value = serde_json::from_slice(&out.stdout).unwrap();
    let newest = pods["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["metadata"]["creationTimestamp"].as_str())
        .map(|t| humantime::parse_rfc3339(t).unwrap())
        .max()
        .expect("carts pods");
    let next_second = newest + Duration::from_secs(1);
    if let Ok(wait) = next_second.duration_since(std::time::SystemTime::now()) {
        tokio::time::sleep(wait).await;
    }
}

fn rehearse(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = common::rehearse_without_aws(dir, args, &[("AWS_ACCOUNT_ID", "1234567890")]);
    cmd.envs(env.iter().copied());
    cmd
}

#[tokio::test(flavor = "multi_thread")]
async fn the_labs_kubernetes_steps_live_then_replayed() {
    prepare_environment().await;

    let dir = tempfile::tempdir().unwrap();
    let lab = std::fs::read_to_string(root().join("workflows/eks-pod-identity.toml")).unwrap();
    let workflow_text = kubectl_steps_only(&lab);
    let steps = ids(&workflow_text);
    assert!(
        steps.contains(&"rollout-times-out".to_string())
            && steps.contains(&RELEASE_AT.to_string())
            && steps.contains(&"rollout-succeeds".to_string())
            && !steps.contains(&"create-addon".to_string()),
        "{steps:?}"
    );
    let workflow: PathBuf = dir.path().join("eks-pod-identity.toml");
    std::fs::write(&workflow, &workflow_text).unwrap();

    // The new carts pods (those of a restart) crash as they do before the
    // role is associated, until the run reaches RELEASE_AT.
    let hold = kubelet().crash_loop(
        Pods::matching(|p| {
            let m = &p.metadata;
            m.namespace.as_deref() == Some("carts")
                && m.labels
                    .as_ref()
                    .and_then(|l| l.get("app.kubernetes.io/component"))
                    == Some(&"service".to_string())
                && m.annotations
                    .as_ref()
                    .is_some_and(|a| a.contains_key(RESTARTED_AT))
        }),
        CRASH_LOGS,
    );

    let kubeconfig = cluster().kubeconfig.to_str().unwrap().to_string();
    let recorded = dir.path().join("recorded.json");
    // Recorded to a file named by `--recording`, not next to the workflow.
    let file = dir.path().join("capture.yaml");
    let mut child = rehearse(
        dir.path(),
        &[
            "run",
            "--record",
            "--recording",
            file.to_str().unwrap(),
            workflow.to_str().unwrap(),
            "--report-json",
            recorded.to_str().unwrap(),
        ],
        &[("KUBECONFIG", kubeconfig.as_str())],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let stdout = child.stdout.take().unwrap();
    let marker = format!("{RELEASE_AT} · ");
    let reader = std::thread::spawn(move || {
        let mut hold = Some(hold);
        let mut text = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            if line.contains(&marker)
                && let Some(rule) = hold.take()
            {
                rule.release();
            }
            text.push_str(&line);
            text.push('\n');
        }
        (text, hold.is_none())
    });
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let (text, released) = reader.join().unwrap();
    assert!(released, "the run never reached {RELEASE_AT}:\n{text}");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Live, the rollout really timed out on the crashing pod, and the
    // second one really finished.
    let live = common::step_outputs(&recorded);
    let step = |id: &str| {
        live.iter()
            .find(|s| s.0 == id)
            .unwrap_or_else(|| panic!("no step {id}"))
    };
    assert_eq!(live.len(), steps.len());
    assert!(live.iter().all(|s| s.1 == "passed"), "{live:?}");
    let timed_out = &step("rollout-times-out").2;
    assert!(timed_out.to_string().contains("timed out waiting"), "{timed_out}");
    assert!(
        step("latest-pod-logs").2["stdout"]
            .as_str()
            .is_some_and(|s| s.contains("dynamodb:Query")),
    );
    assert!(
        step("rollout-succeeds").2["stdout"]
            .as_str()
            .is_some_and(|s| s.contains("successfully rolled out"))
    );

    assert!(!dir.path().join("eks-pod-identity.recording.yaml").exists());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("capture: live"));
    assert!(
        !text.contains(cluster().token.as_str()),
        "the recording holds the cluster's token"
    );

    let replayed = dir.path().join("replayed.json");
    let out = rehearse(
        Path::new("/"),
        &[
            "run",
            "--replay",
            "--recording",
            file.to_str().unwrap(),
            workflow.to_str().unwrap(),
            "--report-json",
            replayed.to_str().unwrap(),
        ],
        &[("KUBECONFIG", "/nonexistent/kubeconfig")],
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let replay = common::step_outputs(&replayed);
    assert_eq!(live.len(), replay.len());
    for (l, r) in live.iter().zip(&replay) {
        assert_eq!(l, r, "step `{}` differs between record and replay", l.0);
    }

    if std::env::var_os(SHIP_VAR).is_some() {
        let mut capture = Recording::load(&file).unwrap();
        capture.header.source = Some(SOURCE.to_string());
        capture.save(&root().join(SHIPPED)).unwrap();
    }
}

/// The shipped live capture replays the lab's Kubernetes steps, through
/// `--recording`, with no cluster: every step passes, the rollout times
/// out as it did, and the report says where the recording came from.
#[test]
fn the_shipped_local_cluster_capture_replays() {
    let dir = tempfile::tempdir().unwrap();
    let lab = std::fs::read_to_string(root().join("workflows/eks-pod-identity.toml")).unwrap();
    let workflow = dir.path().join("eks-pod-identity.toml");
    std::fs::write(&workflow, kubectl_steps_only(&lab)).unwrap();
    let shipped = root().join(SHIPPED);
    let header = Recording::load(&shipped).unwrap().header;
    assert_eq!(header.capture, Capture::Live);
    assert_eq!(header.source.as_deref(), Some(SOURCE));
    let report = dir.path().join("replayed.json");
    let out = rehearse(
        Path::new("/"),
        &[
            "run",
            "--replay",
            "--recording",
            shipped.to_str().unwrap(),
            workflow.to_str().unwrap(),
            "--report-json",
            report.to_str().unwrap(),
        ],
        &[("KUBECONFIG", "/nonexistent/kubeconfig")],
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing was written next to the workflow: the recording is the one named.
    assert!(!dir.path().join("eks-pod-identity.recording.yaml").exists());
    let steps = common::step_outputs(&report);
    assert_eq!(steps.len(), ids(&kubectl_steps_only(&lab)).len());
    assert!(steps.iter().all(|s| s.1 == "passed"), "{steps:?}");
    let timed_out = steps.iter().find(|s| s.0 == "rollout-times-out").unwrap();
    assert!(
        timed_out.2.to_string().contains("timed out waiting"),
        "{:?}",
        timed_out.2
    );
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let about = r["workflows"][0]["recording"].as_str().unwrap();
    assert!(
        about.contains("local-cluster.recording.yaml: a live capture of")
            && about.contains("local control plane"),
        "{about}"
    );
}
