//! The EKS operations no local emulator serves (add-ons, pod identity
//! associations, access entries) replayed from a recording written from the
//! EKS API reference's response shapes (its header says so): the outputs
//! must be what the AWS CLI v2 prints, e.g. the EKS Workshop's own sample
//! output for create-addon and create-pod-identity-association.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eks-reference")
}

/// Replays `eks-addons.toml` from `dir` (a copy of the fixture folder).
fn replay(dir: &Path, report: &Path) -> Output {
    common::rehearse_offline(
        dir,
        &[
            "run",
            "--replay",
            "eks-addons.toml",
            "--report-json",
            report.to_str().unwrap(),
        ],
    )
}

fn copy_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["eks-addons.toml", "eks-addons.recording.yaml"] {
        std::fs::copy(fixture_dir().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn outputs(report: &Path) -> Vec<(String, Value)> {
    let r: Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    r["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["attempts"].as_array().unwrap().last().unwrap()["output"].clone(),
            )
        })
        .collect()
}

/// The text a step printed, as the report keeps it.
fn printed(report: &Path, id: &str) -> String {
    let r: Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    let step = r["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap();
    let attempt = step["attempts"].as_array().unwrap().last().unwrap();
    attempt["stdout"]
        .as_str()
        .unwrap_or_else(|| panic!("{id} printed nothing: {attempt}"))
        .to_string()
}

#[test]
fn eks_add_on_and_pod_identity_outputs_are_the_clis() {
    let dir = copy_fixture();
    let report = dir.path().join("report.json");
    let out = replay(dir.path(), &report);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("written from reference material, not captured live"),
        "{stdout}"
    );

    let outputs = outputs(&report);
    let output = |id: &str| outputs.iter().find(|(s, _)| s == id).unwrap().1.clone();
    // As printed on the workshop's use-pod-identity page.
    assert_eq!(
        output("create-addon"),
        json!({"addon": {
            "addonName": "eks-pod-identity-agent",
            "clusterName": "eks-workshop",
            "status": "CREATING",
            "addonVersion": "v1.1.0-eksbuild.1",
            "health": {"issues": []},
            "addonArn": "arn:aws:eks:us-west-2:1234567890:addon/eks-workshop/eks-pod-identity-agent/9ec6cfbd-8c9f-7ff4-fd26-640dda75bcea",
            "createdAt": "2024-01-12T22:41:01.414000+00:00",
            "modifiedAt": "2024-01-12T22:41:01.434000+00:00",
            "tags": {}
        }})
    );
    assert_eq!(
        output("create-association")["association"]["createdAt"],
        "2024-01-09T16:16:38.163000+00:00"
    );
    assert_eq!(output("list-associations"), json!("a-abcdefghijklmnop1"));
    assert_eq!(
        output("addon-deleted")["error"]["code"],
        "ResourceNotFoundException"
    );

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/eks-reference"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (id, out) in &outputs {
            insta::assert_json_snapshot!(id.as_str(), out);
        }
        // What the CLI prints for the steps whose line asks for text or a table.
        for id in ["list-updates", "associated-access-policies"] {
            insta::assert_snapshot!(format!("{id}.printed"), printed(&report, id));
        }
    });
}

#[test]
fn an_add_on_that_fails_to_create_ends_the_wait_at_once() {
    let dir = copy_fixture();
    let path = dir.path().join("eks-addons.recording.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The second poll of the waiter answers CREATE_FAILED, with its reason.
    let marker = "- step: addon-active";
    let first = text.find(marker).unwrap();
    let second = first + marker.len() + text[first + marker.len()..].find(marker).unwrap();
    let (head, tail) = text.split_at(second);
    let tail = tail.replacen("status: CREATING", "status: CREATE_FAILED", 1).replacen(
        "issues: []",
        "issues: [{code: InsufficientNumberOfReplicas, message: The add-on is unhealthy because it doesn't have the desired number of replicas.}]",
        1,
    );
    std::fs::write(&path, format!("{head}{tail}")).unwrap();

    let report = dir.path().join("report.json");
    let out = replay(dir.path(), &report);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let steps = r["workflows"][0]["steps"].as_array().unwrap();
    let active = steps.iter().find(|s| s["id"] == "addon-active").unwrap();
    assert_eq!(active["status"], "failed");
    assert_eq!(
        active["attempts"].as_array().unwrap().len(),
        2,
        "it stopped at the failure state"
    );
    let failure = &active["failure"];
    assert!(
        failure["message"].as_str().unwrap().contains("CREATE_FAILED"),
        "{failure}"
    );
    assert!(
        failure["details"]
            .as_str()
            .unwrap()
            .contains("InsufficientNumberOfReplicas"),
        "{failure}"
    );
    assert_eq!(
        steps.iter().find(|s| s["id"] == "describe-addon").unwrap()["status"],
        "skipped"
    );
}

#[test]
fn a_step_is_answered_with_its_own_recorded_polls_and_unused_ones_are_reported() {
    let dir = copy_fixture();
    let report = dir.path().join("report.json");
    // `describe-addon` is recorded by four steps; run only the last one.
    let out = common::rehearse_offline(
        dir.path(),
        &[
            "run",
            "--replay",
            "eks-addons.toml",
            "--only",
            "addon-deleted",
            "--report-json",
            report.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let deleted = r["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "addon-deleted")
        .unwrap();
    let statuses: Vec<Value> = deleted["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["output"]["addon"]["status"].clone())
        .collect();
    assert_eq!(
        statuses,
        [json!("DELETING"), Value::Null],
        "its own DELETING, then its own 404"
    );
    assert!(
        stdout.contains("recorded exchange(s) or step result(s) of eks-addons.toml were not used"),
        "{stdout}"
    );
    assert!(stdout.contains("create-addon"), "{stdout}");
}
