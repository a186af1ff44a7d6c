//! The EKS Workshop's Pod Identity lab (`workflows/eks-pod-identity.toml`)
//! replayed from its recording, which was written by hand from the lab
//! pages' sample outputs and the EKS, IAM and Kubernetes API references
//! (its header says so): no AWS account, no cluster, no network.

mod common;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Output;

use rehearse::recording::{Recording, StepResult};
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
    assert_eq!(all.len(), 32, "28 steps and 4 finally steps");
    for s in &all {
        if s["id"] == "lb-hostname" {
            // The page's command, named so that `validate --sources` sees it run.
            assert_eq!(s["status"], "skipped", "{s}");
            assert_eq!(
                s["skip_reason"],
                "LB_HOSTNAME is already captured by ui-hostname, from the same service"
            );
        } else if s["id"] == "prepare-environment" {
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

/// The byte range of the `n`th (0-based) result of `step` in the
/// recording's text: from its `  - ` to the next result, step or comment.
fn nth_result(text: &str, step: &str, n: usize) -> Range<usize> {
    let key = format!("\n  {step}:\n");
    let mut at = text.find(&key).expect("the step has results") + key.len();
    let mut starts = Vec::new();
    while at < text.len() {
        let line = &text[at..text[at..].find('\n').map_or(text.len(), |i| at + i + 1)];
        if line.starts_with("  - ") {
            starts.push(at);
        } else if !line.starts_with("    ") {
            break;
        }
        at += line.len();
    }
    starts.push(at);
    starts[n]..starts[n + 1]
}

/// The recording's text with the `n`th result of `step` edited by `edit`.
fn edit_result(text: &str, step: &str, n: usize, edit: impl FnOnce(&str) -> String) -> String {
    let range = nth_result(text, step, n);
    let edited = edit(&text[range.clone()]);
    assert_ne!(edited, text[range.clone()], "the edit changed nothing");
    format!("{}{edited}{}", &text[..range.start], &text[range.end..])
}

/// The waiter's third poll answers DEGRADED.
fn degraded(text: &str) -> String {
    edit_result(text, "addon-active", 2, |r| {
        r.replacen("status: ACTIVE", "status: DEGRADED", 1)
    })
}

/// The DaemonSet's last answer has one pod fewer ready than desired.
fn one_short(text: &str) -> String {
    edit_result(text, "agent-daemonset", 1, |r| {
        r.replacen("numberReady: 3", "numberReady: 2", 1)
    })
}

#[test]
fn results_are_found_by_step_and_attempt() {
    let text = "steps:\n  a:\n  - output: 1\n  - output:\n      x: 2\n    duration_ms: 3\n  # b\n  b:\n  - {stdout: x}\n";
    assert_eq!(&text[nth_result(text, "a", 0)], "  - output: 1\n");
    assert_eq!(
        &text[nth_result(text, "a", 1)],
        "  - output:\n      x: 2\n    duration_ms: 3\n"
    );
    assert_eq!(&text[nth_result(text, "b", 0)], "  - {stdout: x}\n");
}

#[test]
fn an_add_on_that_fails_to_create_fails_the_lab_at_once() {
    // The waiter's second poll answers CREATE_FAILED, with its health issue.
    let dir = copy_lab(|text| {
        edit_result(&text, "addon-active", 1, |_| {
            "  - output: {addon: {<<: *addon, status: CREATE_FAILED, health: {issues: [{code: InsufficientNumberOfReplicas, \
             message: \"The add-on is unhealthy because it doesn't have the desired number of replicas.\"}]}}}\n    duration_ms: 88\n"
                .to_string()
        })
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
    // The policy document allows only GetItem.
    let dir = copy_lab(|text| {
        edit_result(&text, "dynamo-policy", 0, |r| {
            r.replacen("Action: dynamodb:*", "Action: dynamodb:GetItem", 1)
        })
    });
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

#[test]
fn a_failure_state_among_a_waiter_s_own_polls_fails_that_step() {
    // The waiter's last poll says DEGRADED: a replay answers the waiter
    // with its own polls only, so it fails, where another step's answer
    // would have let it pass on broken data.
    let dir = copy_lab(|text| degraded(&text));
    let report_path = dir.path().join("report.json");
    let out = replay(dir.path(), &report_path);
    assert_eq!(out.status.code(), Some(1), "{}", fail_message(&out));
    let all = steps(&report(&report_path));
    let active = step(&all, "addon-active");
    assert_eq!(active["status"], "failed");
    assert_eq!(attempts(active), 3);
    let message = active["failure"]["message"].as_str().unwrap();
    assert!(message.contains("\"DEGRADED\""), "{message}");
    assert_eq!(step(&all, "agent-daemonset")["status"], "skipped");
}

#[test]
fn a_list_one_short_fails_the_wait_that_reads_it() {
    // The wait keeps getting its last answer (its own last one repeats)
    // and times out, instead of borrowing a full list recorded later.
    let dir = copy_lab(|text| one_short(&text));
    let report_path = dir.path().join("report.json");
    let out = replay(dir.path(), &report_path);
    assert_eq!(out.status.code(), Some(1), "{}", fail_message(&out));
    let all = steps(&report(&report_path));
    let daemonset = step(&all, "agent-daemonset");
    assert_eq!(daemonset["status"], "failed", "{daemonset}");
    assert_eq!(daemonset["failure"]["kind"], "timeout", "{daemonset}");
    assert_eq!(step(&all, "addon-active")["status"], "passed");
    assert_eq!(step(&all, "agent-pods")["status"], "skipped");
}

#[test]
fn keep_going_lists_every_broken_step_in_one_run() {
    // Both breakages at once: without --keep-going the run stops at the
    // first; with it, the second is reported too, and the exit code is 1.
    let dir = copy_lab(|text| one_short(&degraded(&text)));
    let report_path = dir.path().join("report.json");
    let out = common::rehearse_offline(
        dir.path(),
        &[
            "run",
            "--replay",
            "--keep-going",
            WORKFLOW,
            "--color",
            "never",
            "--report-json",
            report_path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", fail_message(&out));
    let all = steps(&report(&report_path));
    assert_eq!(step(&all, "addon-active")["status"], "failed");
    assert_eq!(step(&all, "agent-daemonset")["status"], "failed");
    assert_eq!(
        step(&all, "agent-pods")["status"],
        "passed",
        "the steps after ran"
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("step addon-active") && summary.contains("step agent-daemonset"),
        "{summary}"
    );
}

/// Each result of a step replaced by one that gives nothing: an empty
/// object for an output (or a failure), empty streams for a process. Its
/// time is kept, so that waits poll as often.
fn emptied(results: &mut [StepResult]) {
    for result in results {
        let process = result.stdout.is_some() || result.stderr.is_some();
        *result = StepResult {
            output: (!process).then(|| serde_json::json!({})),
            stdout: process.then(String::new),
            duration_ms: result.duration_ms,
            ..StepResult::default()
        };
    }
}

#[test]
fn every_check_fails_when_its_step_s_reference_data_is_broken() {
    // The reference data is what the checks read: a step whose results
    // say nothing must fail, whichever step it is, and the steps before it
    // still pass. (A wait that never sees its condition fails at its
    // deadline; a step that must fail fails when it succeeds.)
    let (_, workflow) = rehearse::validate::load(&workflows().join(WORKFLOW)).unwrap();
    let checked: Vec<&str> = workflow
        .steps
        .iter()
        .chain(&workflow.finally)
        .filter(|s| !s.expect.is_empty() || s.wait.is_some())
        .map(|s| s.id.value.as_str())
        .collect();
    assert_eq!(checked.len(), 27, "{checked:?}");
    let recording = Recording::load(&workflows().join(RECORDING)).unwrap();
    for id in checked {
        let mut broken = recording.clone();
        emptied(
            broken
                .steps
                .get_mut(id)
                .unwrap_or_else(|| panic!("no results for {id}")),
        );
        let dir = copy_lab(|_| broken.to_yaml());
        let report_path = dir.path().join("report.json");
        let out = replay(dir.path(), &report_path);
        assert_eq!(out.status.code(), Some(1), "{id}: {}", fail_message(&out));
        let all = steps(&report(&report_path));
        assert_eq!(step(&all, id)["status"], "failed", "{id}");
        let at = all.iter().position(|s| s["id"] == id).unwrap();
        for before in &all[..at] {
            assert_ne!(before["status"], "failed", "{id}: {} failed first", before["id"]);
        }
    }
}
