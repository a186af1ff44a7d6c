//! The EKS Workshop's Pod Identity lab (`workflows/eks-pod-identity.toml`)
//! replayed from its recording, which was written by hand from the lab
//! pages' sample outputs and the EKS, IAM and Kubernetes API references
//! (its header says so): no AWS account, no cluster, no network.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const WORKFLOW: &str = "eks-pod-identity.toml";
const RECORDING: &str = "eks-pod-identity.recording.yaml";

fn workflows() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows")
}

/// Replays the workflow in `dir`, with no kubeconfig and no AWS credentials.
fn replay(dir: &Path, report: &Path) -> Output {
    common::rehearse_offline(
        dir,
        &[
            "run",
            "--replay",
            WORKFLOW,
            "--color",
            "never",
            "--report-json",
            report.to_str().unwrap(),
        ],
    )
}

/// A copy of the workflow and its recording, the recording edited by `edit`.
fn copy_lab(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(workflows().join(WORKFLOW), dir.path().join(WORKFLOW)).unwrap();
    let recording = std::fs::read_to_string(workflows().join(RECORDING)).unwrap();
    let edited = edit(recording.clone());
    assert_ne!(edited, recording, "the edit changed nothing");
    std::fs::write(dir.path().join(RECORDING), edited).unwrap();
    dir
}

fn report(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The steps then the finally steps, by id.
fn steps(report: &Value) -> Vec<Value> {
    let w = &report["workflows"][0];
    let mut all = w["steps"].as_array().unwrap().clone();
    all.extend(w["finally"].as_array().unwrap().iter().cloned());
    all
}

fn step<'a>(steps: &'a [Value], id: &str) -> &'a Value {
    steps
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn attempts(step: &Value) -> usize {
    step["attempts"].as_array().unwrap().len()
}

fn last_output(step: &Value) -> Value {
    step["attempts"]
        .as_array()
        .unwrap()
        .last()
        .map_or(Value::Null, |a| a["output"].clone())
}

fn fail_message(out: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_lab_replays_from_its_recording() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(workflows().join(WORKFLOW), dir.path().join(WORKFLOW)).unwrap();
    std::fs::copy(workflows().join(RECORDING), dir.path().join(RECORDING)).unwrap();
    let report_path = dir.path().join("report.json");
    let out = replay(dir.path(), &report_path);
    assert_eq!(out.status.code(), Some(0), "{}", fail_message(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("written from reference material, not captured live"),
        "{stdout}"
    );

    let r = report(&report_path);
    let all = steps(&r);
    assert_eq!(all.len(), 31, "27 steps and 4 finally steps");
    for s in &all {
        if s["id"] == "prepare-environment" {
            assert_eq!(s["status"], "skipped", "{s}");
            assert_eq!(
                s["skip_reason"],
                "live only: prepare-environment is a shell function of the workshop IDE; a replay starts from the state it leaves"
            );
        } else {
            assert_eq!(s["status"], "passed", "{}: {s}", s["id"]);
        }
    }

    // The add-on: CREATING, CREATING, ACTIVE.
    let active = step(&all, "addon-active");
    assert_eq!(attempts(active), 3, "{active}");
    let statuses: Vec<&Value> = active["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["output"]["addon"]["status"])
        .collect();
    assert_eq!(statuses, ["CREATING", "CREATING", "ACTIVE"]);

    // The store's home page: 503 while the pods come up, then 200.
    let home = step(&all, "ui-home");
    let codes: Vec<&Value> = home["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["output"]["status"])
        .collect();
    assert_eq!(codes, [503, 200]);

    // The load balancer's hostname appears after two polls.
    assert_eq!(attempts(step(&all, "ui-hostname")), 3);

    // The expected failure is kubectl's own timeout, after the recorded
    // 20 seconds of virtual time.
    let timed_out = step(&all, "rollout-times-out");
    let output = last_output(timed_out);
    assert_eq!(output["stderr"], "error: timed out waiting for the condition");
    let duration = timed_out["duration_ms"].as_u64().unwrap();
    assert!((20_000..21_000).contains(&duration), "{duration}");
    // Every step's output is snapshotted by tests/workflows.rs.
}

#[test]
fn an_add_on_that_fails_to_create_fails_the_lab_at_once() {
    // The waiter's second poll answers CREATE_FAILED, with its health issue.
    let dir = copy_lab(|text| {
        let marker = "- step: addon-active";
        let first = text.find(marker).unwrap();
        let second = first + marker.len() + text[first + marker.len()..].find(marker).unwrap();
        let (head, tail) = text.split_at(second);
        let tail = tail.replacen("status: CREATING", "status: CREATE_FAILED", 1).replacen(
            "issues: []",
            "issues: [{code: InsufficientNumberOfReplicas, message: The add-on is unhealthy because it doesn't have the desired number of replicas.}]",
            1,
        );
        format!("{head}{tail}")
    });
    let report_path = dir.path().join("report.json");
    let out = replay(dir.path(), &report_path);
    assert_eq!(out.status.code(), Some(1), "{}", fail_message(&out));

    let all = steps(&report(&report_path));
    let active = step(&all, "addon-active");
    assert_eq!(active["status"], "failed");
    assert_eq!(attempts(active), 2, "it stopped polling at the failure state");
    let failure = &active["failure"];
    // In the AWS CLI's words.
    assert_eq!(
        failure["message"],
        "Waiter AddonActive failed: Waiter encountered a terminal failure state: For expression \"addon.status\" we matched expected path: \"CREATE_FAILED\"",
        "{failure}"
    );
    assert!(
        failure.to_string().contains("InsufficientNumberOfReplicas"),
        "{failure}"
    );
    let ids: Vec<&str> = all.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let at = ids.iter().position(|id| *id == "addon-active").unwrap();
    for s in &all[at + 1..] {
        if s["finally"] == true {
            continue;
        }
        assert_eq!(s["status"], "skipped", "{}", s["id"]);
    }
    // The cleanup ran: no association was made, the add-on is deleted.
    assert_eq!(step(&all, "delete-association")["status"], "skipped");
    for id in ["find-addon", "delete-addon", "addon-deleted"] {
        assert_eq!(step(&all, id)["status"], "passed", "{id}");
    }
}

#[test]
fn a_policy_without_dynamodb_star_fails_its_check() {
    // The policy document (URL-encoded in IAM's XML) allows only GetItem.
    let dir = copy_lab(|text| text.replacen("%22dynamodb%3A%2A%22", "%22dynamodb%3AGetItem%22", 1));
    let report_path = dir.path().join("report.json");
    let out = replay(dir.path(), &report_path);
    assert_eq!(out.status.code(), Some(1), "{}", fail_message(&out));

    let all = steps(&report(&report_path));
    let policy = step(&all, "dynamo-policy");
    assert_eq!(policy["status"], "failed");
    let failure = policy["failure"].to_string();
    assert!(failure.contains(r#"\"dynamodb:*\""#), "{failure}");
    assert!(failure.contains("dynamodb:GetItem"), "{failure}");
    assert_eq!(step(&all, "trust-policy")["status"], "skipped");
}
