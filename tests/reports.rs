//! The reports (JSON, JUnit XML, summary) rendered from outcomes built by
//! hand, with fixed durations so the snapshots are stable.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Duration;

use rehearse::engine::outcome::{
    Attempt, AttemptError, CheckOutcome, CheckRole, Failure, FailureKind, Status, StepOutcome,
    WorkflowOutcome,
};
use rehearse::ground::port::{ErrorKind, Mode};
use rehearse::query::Lang;
use rehearse::report::{RunReport, json, junit, summary};
use serde_json::{Value, json};

const STARTED_AT: &str = "2025-03-01T09:30:00Z";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn check(role: CheckRole, query: &str, predicate: &str, actual: Value, passed: bool) -> CheckOutcome {
    CheckOutcome {
        role,
        lang: Lang::JmesPath,
        query: query.into(),
        predicate: predicate.into(),
        message: (!passed).then(|| format!("expected {predicate}, got {actual}")),
        actual: Some(actual),
        passed,
    }
}

fn step(id: &str, kind: &str, command: Option<&str>, status: Status, duration: u64) -> StepOutcome {
    StepOutcome {
        id: id.into(),
        title: None,
        kind: kind.into(),
        command: command.map(Into::into),
        finally: false,
        status,
        skip_reason: None,
        failure: None,
        duration: ms(duration),
        attempts: vec![],
        captures: vec![],
    }
}

/// A passing wait (two attempts, with checks), a skipped step, a finally step.
fn passing_workflow() -> WorkflowOutcome {
    let mut wait = step(
        "create-cluster",
        "aws",
        Some("aws eks describe-cluster --name demo"),
        Status::Passed,
        12_345,
    );
    wait.title = Some("Wait for the cluster".into());
    wait.attempts = vec![
        Attempt {
            number: 1,
            offset: ms(0),
            duration: ms(1_200),
            output: Some(json!({"cluster": {"name": "demo", "status": "CREATING"}})),
            error: None,
            checks: vec![check(
                CheckRole::Until,
                "cluster.status",
                "equals \"ACTIVE\"",
                json!("CREATING"),
                false,
            )],
        },
        Attempt {
            number: 2,
            offset: ms(11_000),
            duration: ms(1_345),
            output: Some(json!({"cluster": {"name": "demo", "status": "ACTIVE"}})),
            error: None,
            checks: vec![
                check(
                    CheckRole::Until,
                    "cluster.status",
                    "equals \"ACTIVE\"",
                    json!("ACTIVE"),
                    true,
                ),
                check(
                    CheckRole::Expect,
                    "cluster.name",
                    "equals \"demo\"",
                    json!("demo"),
                    true,
                ),
            ],
        },
    ];
    wait.captures = vec![("CLUSTER".into(), "demo".into())];

    let mut skipped = step("scale-out", "kubectl", None, Status::Skipped, 0);
    skipped.skip_reason = Some("when: ENABLE_SCALING is not set".into());

    let mut cleanup = step(
        "delete-cluster",
        "aws",
        Some("aws eks delete-cluster --name demo"),
        Status::Passed,
        850,
    );
    cleanup.finally = true;
    cleanup.attempts = vec![Attempt {
        number: 1,
        offset: ms(0),
        duration: ms(850),
        output: Some(json!({})),
        error: None,
        checks: vec![],
    }];

    WorkflowOutcome {
        name: "eks-basics".into(),
        title: Some("EKS basics".into()),
        file: PathBuf::from("labs/eks-basics.toml"),
        mode: Mode::Replay,
        recording: Some(
            "replaying labs/eks-basics.recording.yaml: a live capture of 2026-01-01T00:00:00Z".into(),
        ),
        status: Status::Passed,
        started_at: STARTED_AT.into(),
        duration: ms(125_400),
        steps: vec![wait, skipped],
        finally: vec![cleanup],
    }
}

/// A failed step with details, a step skipped after it, a finally step.
fn failing_workflow() -> WorkflowOutcome {
    let mut make = step(
        "make-bucket",
        "run",
        Some("aws s3 mb s3://demo"),
        Status::Passed,
        300,
    );
    make.attempts = vec![Attempt {
        number: 1,
        offset: ms(0),
        duration: ms(300),
        output: Some(json!({"stdout": "make_bucket: demo\n", "stderr": "", "exit_code": 0})),
        error: None,
        checks: vec![],
    }];

    let mut put = step(
        "put-policy",
        "run",
        Some("aws s3api put-bucket-policy --bucket demo --policy file://policy.json"),
        Status::Failed,
        450,
    );
    put.failure = Some(Failure {
        kind: FailureKind::Check,
        message: "the command exited with status 254".into(),
        details: Some("stderr:\n  An error occurred (AccessDenied)\n  when calling PutBucketPolicy".into()),
    });
    put.attempts = vec![Attempt {
        number: 1,
        offset: ms(0),
        duration: ms(450),
        output: Some(json!({
            "stdout": "",
            "stderr": "An error occurred (AccessDenied)",
            "exit_code": 254,
            "error": {"kind": "failed", "message": "exit status 254"},
        })),
        error: Some(AttemptError {
            kind: ErrorKind::Failed,
            message: "exit status 254".into(),
        }),
        checks: vec![],
    }];

    let mut verify = step("verify", "aws", None, Status::Skipped, 0);
    verify.skip_reason = Some("an earlier step failed".into());

    let mut delete = step(
        "delete-bucket",
        "run",
        Some("aws s3 rb s3://demo"),
        Status::Passed,
        50,
    );
    delete.finally = true;

    WorkflowOutcome {
        name: "s3-lab".into(),
        title: None,
        file: PathBuf::from("labs/s3.toml"),
        mode: Mode::Live,
        recording: None,
        status: Status::Failed,
        started_at: "2025-03-01T09:32:05Z".into(),
        duration: ms(850),
        steps: vec![make, put, verify],
        finally: vec![delete],
    }
}

fn workflows() -> Vec<WorkflowOutcome> {
    vec![passing_workflow(), failing_workflow()]
}

fn run(workflows: &[WorkflowOutcome]) -> RunReport<'_> {
    RunReport {
        workflows,
        started_at: STARTED_AT,
        duration: ms(126_300),
        exit_code: 1,
    }
}

fn parse_junit(xml: &str) -> junit_parser::TestSuites {
    junit_parser::from_reader(Cursor::new(xml.as_bytes()))
        .unwrap_or_else(|e| panic!("JUnit XML does not parse: {e}\n{xml}"))
}

fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots/reports"));
    settings.set_prepend_module_to_snapshot(false);
    settings
}

#[test]
fn junit_suites_cases_failures_and_skips() {
    let workflows = workflows();
    let xml = junit::to_string(&run(&workflows));
    let parsed = parse_junit(&xml);

    assert_eq!(parsed.suites.len(), 2);
    assert_eq!(parsed.tests, 7);
    assert_eq!(parsed.failures, 1);
    assert_eq!(parsed.skipped, 2);

    let eks = &parsed.suites[0];
    assert_eq!(eks.name, "eks-basics");
    assert_eq!(eks.properties.hashmap["file"], "labs/eks-basics.toml");
    assert_eq!(eks.properties.hashmap["mode"], "replay");
    let names: Vec<&str> = eks.cases.iter().map(|c| c.original_name.as_str()).collect();
    assert_eq!(names, ["create-cluster", "scale-out", "finally/delete-cluster"]);
    for case in &eks.cases {
        assert_eq!(case.classname.as_deref(), Some("rehearse.eks-basics"));
    }
    let wait = &eks.cases[0];
    assert!(wait.status.is_success());
    assert!((wait.time - 12.345).abs() < 1e-9, "{}", wait.time);
    let out = wait.system_out.as_deref().unwrap();
    assert!(
        out.starts_with("$ aws eks describe-cluster --name demo\n"),
        "{out}"
    );
    // The last attempt's output. (junit-parser drops entity references such
    // as `&quot;` from text nodes, so look for words without quotes.)
    assert!(out.contains("ACTIVE"), "{out}");
    assert!(!out.contains("CREATING"), "{out}");

    let skip = &eks.cases[1];
    assert!(skip.status.is_skipped());
    assert_eq!(
        skip.status.skipped_as_ref().message,
        "when: ENABLE_SCALING is not set"
    );
    assert!(skip.system_out.is_none());
    assert!(eks.cases[2].status.is_success());

    let s3 = &parsed.suites[1];
    assert_eq!(s3.name, "s3-lab");
    assert_eq!((s3.tests, s3.failures, s3.skipped), (4, 1, 1));
    assert_eq!(s3.properties.hashmap["mode"], "live");
    let put = &s3.cases[1];
    assert_eq!(put.original_name, "put-policy");
    assert_eq!(put.classname.as_deref(), Some("rehearse.s3-lab"));
    assert!(put.status.is_failure());
    let failure = put.status.failure_as_ref();
    assert_eq!(failure.message, "the command exited with status 254");
    assert_eq!(failure.failure_type, "check");
    assert!(
        failure.text.contains("An error occurred (AccessDenied)"),
        "{}",
        failure.text
    );
    assert!(
        failure
            .text
            .contains("aws s3api put-bucket-policy --bucket demo --policy file://policy.json"),
        "{}",
        failure.text
    );
    assert_eq!(
        s3.cases[2].status.skipped_as_ref().message,
        "an earlier step failed"
    );
    assert_eq!(s3.cases[3].original_name, "finally/delete-bucket");
}

#[test]
fn junit_is_stable() {
    let workflows = workflows();
    let xml = junit::to_string(&run(&workflows));
    snapshot_settings().bind(|| insta::assert_snapshot!("junit", xml));
}

#[test]
fn junit_survives_special_and_control_characters() {
    let mut w = failing_workflow();
    w.name = "lab <&> \"quoted\" 'single'".into();
    w.file = PathBuf::from("labs/a&b <c>.toml");
    let nasty = "a < b && c > d \"q\" 'x' ]]> <![CDATA[ \x00\x01\x07\x08\x0b\x0c\x1b[31mred\x1b[0m\u{7f} \u{fffe} end";
    let put = &mut w.steps[1];
    put.id = "put<&>".into();
    put.command = Some(format!("echo '{nasty}'"));
    put.failure = Some(Failure {
        kind: FailureKind::Runtime,
        message: format!("message: {nasty}"),
        details: Some(format!("details: {nasty}\n</failure></testcase>")),
    });
    put.attempts[0].output = Some(json!({ "stdout": nasty, "weird-key <&>": "\u{1}" }));
    w.steps[2].skip_reason = Some(format!("reason: {nasty}"));

    let workflows = [w];
    let xml = junit::to_string(&run(&workflows));
    let parsed = parse_junit(&xml);
    let suite = &parsed.suites[0];
    assert_eq!(suite.name, "lab <&> \"quoted\" 'single'");
    assert_eq!(suite.properties.hashmap["file"], "labs/a&b <c>.toml");
    assert_eq!(suite.cases.len(), 4);
    let put = &suite.cases[1];
    assert_eq!(put.original_name, "put<&>");
    let failure = put.status.failure_as_ref();
    assert_eq!(failure.failure_type, "runtime");
    // Attributes come back whole, minus what XML cannot carry.
    let prefix = "message: a < b && c > d \"q\" 'x' ]]> <![CDATA[ ";
    assert!(failure.message.starts_with(prefix), "{:?}", failure.message);
    assert!(failure.message.ends_with(" end"), "{:?}", failure.message);
    assert!(failure.message.contains("red"), "{:?}", failure.message);
    let skip = suite.cases[2].status.skipped_as_ref();
    assert!(
        skip.message.starts_with("reason: a < b && c > d"),
        "{:?}",
        skip.message
    );
    // junit-parser drops entity references from text nodes, so check the
    // text nodes' escaping in the XML itself: markup stays text.
    assert!(failure.text.starts_with("details: a"), "{:?}", failure.text);
    assert!(xml.contains("&lt;/failure&gt;&lt;/testcase&gt;"), "{xml}");
    assert!(put.system_out.as_deref().unwrap().contains("weird-key"));
    assert_eq!(xml.matches("<failure").count(), 1);
    assert_eq!(xml.matches("</failure>").count(), 1);
    // Only characters XML 1.0 allows.
    let bad: Vec<char> = xml
        .chars()
        .filter(|&c| {
            !matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        })
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(!xml.contains('\x1b'));
}

#[test]
fn junit_truncates_large_output() {
    let mut w = failing_workflow();
    let big = "x".repeat(200 * 1024);
    w.steps[0].attempts[0].output = Some(json!({ "stdout": big }));
    let workflows = [w];
    let xml = junit::to_string(&run(&workflows));
    let parsed = parse_junit(&xml);
    let out = parsed.suites[0].cases[0].system_out.as_deref().unwrap();
    assert!(out.len() < junit::MAX_OUTPUT + 1024, "{}", out.len());
    assert!(out.contains("output truncated"), "{}", &out[out.len() - 200..]);
}

#[test]
fn json_has_the_documented_shape() {
    let workflows = workflows();
    let v = json::to_json(&run(&workflows));

    assert_eq!(v["tool"]["name"], "rehearse");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["started_at"], STARTED_AT);
    assert_eq!(v["duration_ms"], 126_300);
    assert_eq!(v["exit_code"], 1);
    assert_eq!(
        v["totals"],
        json!({"workflows": 2, "passed": 1, "failed": 1, "skipped": 0})
    );

    let eks = &v["workflows"][0];
    assert_eq!(eks["name"], "eks-basics");
    assert_eq!(eks["title"], "EKS basics");
    assert_eq!(eks["file"], "labs/eks-basics.toml");
    assert_eq!(eks["mode"], "replay");
    assert_eq!(eks["status"], "passed");
    assert_eq!(eks["started_at"], STARTED_AT);
    assert_eq!(eks["duration_ms"], 125_400);

    let wait = &eks["steps"][0];
    assert_eq!(wait["id"], "create-cluster");
    assert_eq!(wait["kind"], "aws");
    assert_eq!(wait["command"], "aws eks describe-cluster --name demo");
    assert_eq!(wait["finally"], false);
    assert_eq!(wait["duration_ms"], 12_345);
    assert!(wait.get("failure").is_none());
    assert_eq!(wait["captures"], json!([["CLUSTER", "demo"]]));
    let attempts = wait["attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[0]["number"], 1);
    assert_eq!(attempts[0]["output"]["cluster"]["status"], "CREATING");
    assert_eq!(
        attempts[0]["checks"][0],
        json!({
            "role": "until",
            "lang": "jmespath",
            "query": "cluster.status",
            "predicate": "equals \"ACTIVE\"",
            "actual": "CREATING",
            "passed": false,
            "message": "expected equals \"ACTIVE\", got \"CREATING\"",
        })
    );
    assert_eq!(attempts[1]["offset_ms"], 11_000);
    assert_eq!(attempts[1]["duration_ms"], 1_345);
    assert_eq!(attempts[1]["checks"].as_array().unwrap().len(), 2);
    assert_eq!(attempts[1]["checks"][1]["role"], "expect");

    assert_eq!(eks["steps"][1]["status"], "skipped");
    assert_eq!(eks["steps"][1]["skip_reason"], "when: ENABLE_SCALING is not set");
    assert_eq!(eks["steps"][1]["command"], Value::Null);
    assert_eq!(eks["finally"][0]["id"], "delete-cluster");
    assert_eq!(eks["finally"][0]["finally"], true);

    let put = &v["workflows"][1]["steps"][1];
    assert_eq!(put["status"], "failed");
    assert_eq!(put["failure"]["kind"], "check");
    assert_eq!(put["failure"]["message"], "the command exited with status 254");
    assert!(
        put["failure"]["details"]
            .as_str()
            .unwrap()
            .contains("AccessDenied")
    );
    assert_eq!(put["attempts"][0]["error"]["kind"], "failed");
    assert_eq!(put["attempts"][0]["output"]["exit_code"], 254);
}

#[test]
fn json_write_is_pretty_and_parses_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    let workflows = workflows();
    json::write(&path, &run(&workflows)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("{\n  \"tool\""), "{text}");
    let back: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back, json::to_json(&run(&workflows)));
}

#[test]
fn junit_write_parses_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junit.xml");
    let workflows = workflows();
    junit::write(&path, &run(&workflows)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(parse_junit(&text).suites.len(), 2);
}

#[test]
fn summary_of_a_failed_run() {
    let workflows = workflows();
    let text = summary::render(&run(&workflows), false);
    assert!(!text.contains('\x1b'));
    snapshot_settings().bind(|| insta::assert_snapshot!("summary_failed_run", text));
}

#[test]
fn summary_of_a_passing_run() {
    let workflows = [passing_workflow()];
    let run = RunReport {
        exit_code: 0,
        duration: ms(125_900),
        ..run(&workflows)
    };
    let text = summary::render(&run, false);
    snapshot_settings().bind(|| insta::assert_snapshot!("summary_passing_run", text));
}

#[test]
fn summary_lists_every_failed_step_including_finally() {
    let mut w = failing_workflow();
    w.name = "cleanup-lab".into();
    w.steps[1].failure = Some(Failure {
        kind: FailureKind::Interrupted,
        message: "interrupted".into(),
        details: None,
    });
    let delete = &mut w.finally[0];
    delete.status = Status::Failed;
    delete.failure = Some(Failure {
        kind: FailureKind::Timeout,
        message: "timed out after 30s".into(),
        details: Some("last output: bucket not empty".into()),
    });
    let workflows = [w];
    let run = RunReport {
        exit_code: 130,
        duration: ms(31_234),
        ..run(&workflows)
    };
    let text = summary::render(&run, false);
    snapshot_settings().bind(|| insta::assert_snapshot!("summary_failed_finally", text));
}

#[test]
fn summary_colour_is_only_ansi_around_the_plain_text() {
    let workflows = workflows();
    let plain = summary::render(&run(&workflows), false);
    let coloured = summary::render(&run(&workflows), true);
    assert!(coloured.contains("\x1b[32m✔\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[31m✘\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[31m1 failed\x1b[0m"), "{coloured}");
    assert_eq!(strip_ansi(&coloured), plain);
}

/// Removes `ESC [ ... m` sequences.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
