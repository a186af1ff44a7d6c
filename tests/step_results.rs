//! A recording that holds step results (`steps:`) instead of exchanges: a
//! replay answers each attempt of those steps from them, with no backend,
//! no network, no credentials and no kubeconfig; strictly (a step's own
//! results, in order, the last repeating); on the virtual clock; and a
//! recording whose results name no step of the workflow is refused before
//! anything runs.

mod common;

use std::process::Output;

use serde_json::{Value, json};

/// Each kind of step. Nothing could answer them live here: the cluster,
/// the account and the web server do not exist.
const WORKFLOW: &str = r#"
[workflow]
name = "results"

[vars]
CLUSTER = "lab"

[[steps]]
id = "pods"
kubectl = "-n carts get pods"
wait = { until = [{ query = "items[0].status.phase", equals = "Running" }], interval = "10s" }
capture = { POD = "items[0].metadata.name" }

[[steps]]
id = "addon"
aws = "eks describe-addon --cluster-name ${CLUSTER} --addon-name vpc-cni"
expect = [{ query = "addon.status", equals = "ACTIVE" }]

[[steps]]
id = "home"
http = "http://127.0.0.1:9/home"
expect = [{ query = "status", equals = 200 }]

[[steps]]
id = "echo-pod"
run = "echo $POD"
expect = [{ query = "stdout", equals = "carts-1\n" }]

[[steps]]
id = "gone"
aws = "eks describe-addon --cluster-name ${CLUSTER} --addon-name old"
must-fail = true
expect = [{ query = "error.code", equals = "ResourceNotFoundException" }]
"#;

const HEAD: &str = "format: 1
tool_version: 0.1.0
recorded_at: 2026-01-01T00:00:00Z
capture: reference
source: the tests of step results
";

const RESULTS: &str = "steps:
  pods:
  - output: {items: [{metadata: {name: carts-1}, status: {phase: Pending}}]}
    duration_ms: 40
  - output: {items: [{metadata: {name: carts-1}, status: {phase: Running}}]}
  addon:
  - output: {addon: {addonName: vpc-cni, status: ACTIVE}}
    duration_ms: 300
  home:
  - output: {status: 200, body: welcome}
  echo-pod:
  - stdout: \"carts-1\\n\"
  gone:
  - error:
      message: No addon old
      output: {error: {code: ResourceNotFoundException}}
";

/// The recording of [`RESULTS`], `from` replaced by `to` once.
fn edited(from: &str, to: &str) -> String {
    let recording = format!("{HEAD}{RESULTS}");
    let edited = recording.replacen(from, to, 1);
    assert_ne!(edited, recording, "the edit changed nothing");
    edited
}

/// The workflow and `recording` in a fresh folder, replayed; the output
/// and the JSON report.
fn replay(recording: &str, extra: &[&str]) -> (Output, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lab.toml"), WORKFLOW).unwrap();
    std::fs::write(dir.path().join("lab.recording.yaml"), recording).unwrap();
    let mut args = vec![
        "run",
        "--replay",
        "lab.toml",
        "--color",
        "never",
        "--report-json",
        "r.json",
    ];
    args.extend_from_slice(extra);
    let out = common::rehearse_offline(dir.path(), &args);
    let report = std::fs::read(dir.path().join("r.json"))
        .map(|b| serde_json::from_slice(&b).unwrap())
        .unwrap_or(Value::Null);
    (out, report)
}

fn text(out: &Output) -> String {
    common::output_text(out)
}

fn step<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

fn outputs(step: &Value) -> Vec<Value> {
    step["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["output"].clone())
        .collect()
}

#[test]
fn every_kind_of_step_is_answered_from_its_results_without_a_backend() {
    let (out, report) = replay(&format!("{HEAD}{RESULTS}"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let pods = step(&report, "pods");
    assert_eq!(
        outputs(pods),
        [
            json!({"items": [{"metadata": {"name": "carts-1"}, "status": {"phase": "Pending"}}]}),
            json!({"items": [{"metadata": {"name": "carts-1"}, "status": {"phase": "Running"}}]}),
        ]
    );
    assert_eq!(
        outputs(step(&report, "echo-pod")),
        [json!({"stdout": "carts-1\n", "stderr": "", "exit_code": 0})]
    );
    let gone = &outputs(step(&report, "gone"))[0];
    assert_eq!(gone["error"]["code"], "ResourceNotFoundException");
    assert_eq!(gone["error"]["message"], "No addon old");
    assert_eq!(step(&report, "home")["status"], "passed");
    assert!(!text(&out).contains("not used"), "{}", text(&out));
}

#[test]
fn results_take_their_time_on_the_virtual_clock() {
    let (out, report) = replay(&format!("{HEAD}{RESULTS}"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    // 40 ms, the 10 s interval, then the default 100 ms.
    assert_eq!(step(&report, "pods")["duration_ms"], 10_140);
    assert_eq!(step(&report, "addon")["duration_ms"], 300);
    assert_eq!(step(&report, "home")["duration_ms"], 100);
}

#[test]
fn a_wait_that_runs_out_of_results_repeats_its_last_and_never_borrows() {
    // `pods` only ever sees Pending; `addon`'s output (which has no items)
    // is never given to it.
    let recording = edited(
        "  - output: {items: [{metadata: {name: carts-1}, status: {phase: Running}}]}\n",
        "",
    );
    let (out, report) = replay(&recording, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let pods = step(&report, "pods");
    assert_eq!(pods["failure"]["kind"], "timeout", "{pods}");
    // Every poll saw the one result; the last was cut by the deadline.
    let seen = outputs(pods);
    let (last, polls) = seen.split_last().unwrap();
    assert!(polls.len() > 2, "{pods}");
    assert!(polls.iter().all(|o| o == &seen[0]), "{seen:?}");
    assert_eq!(last["error"]["kind"], "timeout", "{last}");
    assert_eq!(step(&report, "addon")["status"], "skipped");
}

#[test]
fn a_failed_process_fails_its_step_as_the_shell_would() {
    let recording = edited(
        "  - stdout: \"carts-1\\n\"\n",
        "  - {stdout: '', stderr: \"echo: not found\\n\", exit_code: 127}\n",
    );
    let (out, report) = replay(&recording, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let echo = step(&report, "echo-pod");
    assert_eq!(
        echo["failure"]["message"],
        "command exited with code 127: echo: not found"
    );
}

#[test]
fn results_and_exchanges_answer_side_by_side() {
    // `echo-pod` is answered by a process exchange, the others by results.
    let recording = format!(
        "{HEAD}{}exchanges:\n- step: echo-pod\n  command: echo $POD\n  stdout: \"carts-1\\n\"\n  exit_code: 0\n  duration_ms: 7\n",
        RESULTS.replacen("  echo-pod:\n  - stdout: \"carts-1\\n\"\n", "", 1)
    );
    let (out, report) = replay(&recording, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(step(&report, "echo-pod")["duration_ms"], 7);
    // A step with neither is a request the recording lacks, as before.
    let recording = recording.replacen(
        "  addon:\n  - output: {addon: {addonName: vpc-cni, status: ACTIVE}}\n    duration_ms: 300\n",
        "",
        1,
    );
    let (out, report) = replay(&recording, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out));
    assert_eq!(step(&report, "addon")["failure"]["kind"], "runtime");
}

#[test]
fn results_no_attempt_used_are_reported() {
    let recording = format!("{HEAD}{RESULTS}");
    let (out, _) = replay(&recording, &["--only", "pods"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(
            "note: 4 recorded exchange(s) or step result(s) of lab.toml were not used (steps: addon, echo-pod, gone, home)"
        ),
        "{}",
        text(&out)
    );
}

#[test]
fn results_for_a_step_the_workflow_lacks_are_refused_naming_the_closest() {
    let recording = edited("  addon:\n", "  adon:\n");
    let (out, _) = replay(&recording, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    // Line 11 of the recording, where `adon:` stands.
    assert!(
        text(&out).contains(
            "lab.recording.yaml:11:3: `steps` holds results for `adon`, which is not a step of the workflow; the closest steps: `addon`,"
        ),
        "{}",
        text(&out)
    );
}

#[test]
fn a_step_with_both_results_and_exchanges_is_refused() {
    let recording = format!(
        "{HEAD}{RESULTS}exchanges:\n- step: echo-pod\n  command: echo $POD\n  stdout: ''\n  exit_code: 0\n  duration_ms: 7\n"
    );
    let (out, _) = replay(&recording, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out)
            .contains("lab.recording.yaml:16:3: step `echo-pod` has both results (in `steps`) and exchanges"),
        "{}",
        text(&out)
    );
}

/// The step results of docs/recording.md's example replay its workflow.
#[test]
fn the_step_results_example_of_docs_recording_md_replays() {
    let body = |info: &str| common::doc_block("recording.md", info);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lab.toml"), body("toml lab.toml")).unwrap();
    std::fs::write(
        dir.path().join("lab.recording.yaml"),
        body("yaml lab.recording.yaml"),
    )
    .unwrap();
    let out = common::rehearse_offline(
        dir.path(),
        &[
            "run",
            "--replay",
            "lab.toml",
            "--color",
            "never",
            "--report-json",
            "r.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report: Value = serde_json::from_slice(&std::fs::read(dir.path().join("r.json")).unwrap()).unwrap();
    for s in report["workflows"][0]["steps"].as_array().unwrap() {
        assert_eq!(s["status"], "passed", "{s}");
        assert!(!s["attempts"].as_array().unwrap().is_empty(), "{s}");
    }
    // Breaking the example's data fails its replay: its checks read it.
    let broken = body("yaml lab.recording.yaml").replace("ACTIVE", "DEGRADED");
    std::fs::write(dir.path().join("lab.recording.yaml"), broken).unwrap();
    let out = common::rehearse_offline(dir.path(), &["run", "--replay", "lab.toml", "--color", "never"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
}
