//! The reports (JSON, JUnit XML, HTML, summary) rendered from outcomes
//! built by hand, with fixed durations so the snapshots are stable.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Duration;

use rehearse::engine::outcome::{
    Attempt, AttemptError, CheckOutcome, CheckRole, Failure, FailureKind, Status, StepOutcome,
    WorkflowOutcome,
};
use rehearse::ground::port::{ErrorKind, Mode};
use rehearse::query::Lang;
use rehearse::report::{RunReport, html, json, junit, summary};
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
        cli: None,
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
            stdout: None,
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
            stdout: None,
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

    // Not native: it runs through the AWS CLI, and the reports say so.
    let mut cleanup = step(
        "delete-cluster",
        "aws (cli)",
        Some("aws eks delete-cluster --name demo"),
        Status::Passed,
        850,
    );
    cleanup.cli = Some("operation `delete-cluster` of eks is not run natively".into());
    cleanup.finally = true;
    cleanup.attempts = vec![Attempt {
        number: 1,
        offset: ms(0),
        duration: ms(850),
        output: Some(json!({})),
        stdout: None,
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
        stdout: None,
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
        stdout: None,
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
    assert!(wait.get("cli").is_none(), "native: no `cli`");
    let cleanup = &eks["finally"][0];
    assert_eq!(cleanup["kind"], "aws (cli)");
    assert_eq!(
        cleanup["cli"],
        "operation `delete-cluster` of eks is not run natively"
    );
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

/// The element of the page that starts with `start` (an opening tag's
/// beginning) and ends with the first `end` after it.
fn element<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in the page:\n{page}"));
    let to = page[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end} after {start}"));
    &page[from..from + to + end.len()]
}

/// A step's row of the timeline.
fn timeline_row<'a>(page: &'a str, anchor: &str) -> &'a str {
    let at = page
        .find(&format!("href=\"#{anchor}\" title="))
        .unwrap_or_else(|| panic!("no timeline row for {anchor}"));
    let from = page[..at].rfind("<a class=\"row").unwrap();
    element(&page[from..], "<a class=\"row", "</a>")
}

/// A step's `<details>`.
fn step_element<'a>(page: &'a str, anchor: &str) -> &'a str {
    let start = page
        .find(&format!("id=\"{anchor}\""))
        .unwrap_or_else(|| panic!("no step {anchor}"));
    let from = page[..start].rfind("<details class=\"step").unwrap();
    // Steps do not nest, so the next step (or the section's end) ends it.
    let rest = &page[from + 1..];
    let to = [rest.find("<details class=\"step"), rest.find("</section>")]
        .into_iter()
        .flatten()
        .min()
        .unwrap();
    &page[from..from + 1 + to]
}

/// The JSON the page carries.
fn embedded_json(page: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"rehearse-report\">";
    let blob = element(page, open, "</script>");
    let text = &blob[open.len()..blob.len() - "</script>".len()];
    assert!(!text.contains('<'), "{text}");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("the embedded report does not parse: {e}"))
}

#[test]
fn html_places_each_step_by_its_start_and_duration() {
    let workflows = workflows();
    let page = html::to_string(&run(&workflows));

    // eks-basics: 125.4s; create-cluster runs 12.345s from 0, then
    // scale-out is skipped and delete-cluster (finally) runs 850ms.
    let wait = timeline_row(&page, "w0-s0");
    assert!(wait.contains("class=\"row passed\""), "{wait}");
    assert!(
        wait.contains("class=\"bar passed\" style=\"left:0%;width:9.844%\""),
        "{wait}"
    );
    // Its two polls: the first did not see ACTIVE yet, the gap is the wait.
    assert!(
        wait.contains("class=\"seg pending\" style=\"left:0%;width:9.721%\""),
        "{wait}"
    );
    assert!(
        wait.contains("class=\"seg ok\" style=\"left:89.105%;width:10.895%\""),
        "{wait}"
    );
    assert_eq!(wait.matches("class=\"seg ").count(), 2, "{wait}");
    assert!(wait.contains(">12.3s<"), "{wait}");
    assert!(
        wait.contains("create-cluster: Wait for the cluster (12.3s, 2 polls)"),
        "{wait}"
    );

    let skipped = timeline_row(&page, "w0-s1");
    assert!(skipped.contains("class=\"row skipped\""), "{skipped}");
    assert!(
        skipped.contains("class=\"skip\" style=\"left:9.844%\">skipped<"),
        "{skipped}"
    );
    assert!(!skipped.contains("class=\"bar"), "{skipped}");

    let cleanup = timeline_row(&page, "w0-s2");
    assert!(cleanup.contains("class=\"row passed finally\""), "{cleanup}");
    assert!(
        cleanup.contains("class=\"bar passed\" style=\"left:9.844%;width:0.678%\""),
        "{cleanup}"
    );
    assert!(
        cleanup.contains("class=\"seg ok\" style=\"left:0%;width:100%\""),
        "{cleanup}"
    );
    // The finally steps are set apart, once per workflow that has them.
    let first_section = element(
        &page,
        "<section class=\"workflow passed\" id=\"w0\"",
        "</section>",
    );
    let divider = first_section
        .find("<div class=\"divider\"><span>finally</span></div>")
        .unwrap();
    assert!(divider < first_section.find("href=\"#w0-s2\"").unwrap());
    assert!(divider > first_section.find("href=\"#w0-s1\"").unwrap());
    assert_eq!(page.matches("class=\"divider\"").count(), 2);

    // s3-lab: 850ms; make-bucket 300ms, put-policy 450ms from 300ms.
    let put = timeline_row(&page, "w1-s1");
    assert!(
        put.contains("class=\"bar failed\" style=\"left:35.294%;width:52.941%\""),
        "{put}"
    );
    // verify, skipped near the end: its label reads leftwards.
    let verify = timeline_row(&page, "w1-s2");
    assert!(
        verify.contains("class=\"skip end\" style=\"left:88.235%\">skipped<"),
        "{verify}"
    );
    // A failed attempt of a failed step.
    assert!(put.contains("class=\"seg bad\""), "{put}");
    // Grid lines every 30s on the 125.4s timeline, every 200ms on 850ms.
    assert!(
        page.contains("<div class=\"timeline\" style=\"--tick:23.923%\">"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"tick\" style=\"left:47.847%\">1m 00s</span>"),
        "{page}"
    );
    assert!(
        page.contains("<div class=\"timeline\" style=\"--tick:23.529%\">"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"tick\" style=\"left:94.118%\">800ms</span>"),
        "{page}"
    );
}

#[test]
fn html_shows_each_step_its_command_output_and_attempts() {
    let workflows = workflows();
    let page = html::to_string(&run(&workflows));

    let wait = step_element(&page, "w0-s0");
    assert!(
        wait.starts_with("<details class=\"step passed\" id=\"w0-s0\">"),
        "{wait}"
    );
    assert!(
        wait.contains("<code class=\"id\">create-cluster</code>"),
        "{wait}"
    );
    assert!(wait.contains("<span class=\"kind\">aws</span>"), "{wait}");
    assert!(!wait.contains("Runs through the CLI"), "{wait}");
    let cleanup = step_element(&page, "w0-s2");
    assert!(
        cleanup.contains("<span class=\"kind\">aws (cli)</span>"),
        "{cleanup}"
    );
    assert!(
        cleanup.contains(
            "<p class=\"cli\">Runs through the CLI: operation `delete-cluster` of eks is not run natively</p>"
        ),
        "{cleanup}"
    );
    assert!(wait.contains("2 polls · 12.3s"), "{wait}");
    assert!(
        wait.contains("<pre class=\"command\"><code>aws eks describe-cluster --name demo</code></pre>"),
        "{wait}"
    );
    assert!(
        wait.contains("<td><code>CLUSTER</code></td><td><code>demo</code></td>"),
        "{wait}"
    );
    // The last output is shown; every attempt's is behind a <details>.
    let last = element(wait, "<details class=\"output\" open>", "</details>");
    assert!(last.contains("Output of poll 2 (the last)"), "{last}");
    assert!(last.contains("&quot;ACTIVE&quot;"), "{last}");
    assert!(!last.contains("CREATING"), "{last}");
    let every = &wait[wait.find("<details class=\"attempts\">").unwrap()..];
    assert!(every.contains("Every poll (2)"), "{every}");
    assert!(
        every.contains(
            "<details class=\"attempt pending\"><summary>poll 1 of create-cluster, at +0ms, 1.2s</summary>"
        ),
        "{every}"
    );
    assert!(
        every.contains("poll 2 of create-cluster, at +11.0s, 1.3s"),
        "{every}"
    );
    assert!(every.contains("&quot;CREATING&quot;"), "{every}");
    // The checks: the query, the predicate, the actual value, the verdict.
    assert!(every.contains(
        "<td class=\"role\">until</td><td><code>cluster.status</code></td><td><code>equals &quot;ACTIVE&quot;</code></td>\
         <td><code>&quot;CREATING&quot;</code></td><td class=\"verdict\">does not hold</td>"
    ), "{every}");
    // A step of several attempts also gets a timeline of its own.
    assert!(wait.contains("<div class=\"zoom\""), "{wait}");

    let skipped = step_element(&page, "w0-s1");
    assert!(
        skipped.contains("Skipped: when: ENABLE_SCALING is not set"),
        "{skipped}"
    );
    assert!(
        skipped.contains("<span class=\"mark skipped\">○</span>"),
        "{skipped}"
    );
    assert!(!skipped.contains("<pre"), "{skipped}");

    let cleanup = step_element(&page, "w0-s2");
    assert!(
        cleanup.contains("<span class=\"pill\">finally</span>"),
        "{cleanup}"
    );
    assert!(!cleanup.contains("class=\"attempts\""), "{cleanup}");
    assert!(!cleanup.contains("class=\"zoom\""), "{cleanup}");

    // A shell step's stdout and stderr are text; the rest stays JSON.
    let make = step_element(&page, "w1-s0");
    assert!(
        make.contains("<div class=\"field\">stdout</div><pre class=\"text\">make_bucket: demo\n</pre>"),
        "{make}"
    );
    assert!(make.contains("&quot;exit_code&quot;: 0"), "{make}");

    // The workflow's facts: mode, recording, file, counts.
    let facts = element(&page, "<dl class=\"facts\"><dt>File</dt>", "</dl>");
    assert!(facts.contains("<code>labs/eks-basics.toml</code>"), "{facts}");
    assert!(
        facts.contains("<dd>replay (the times are the recording's)</dd>"),
        "{facts}"
    );
    assert!(facts.contains(
        "<dt>Recording</dt><dd>replaying labs/eks-basics.recording.yaml: a live capture of 2026-01-01T00:00:00Z</dd>"
    ), "{facts}");
    assert!(facts.contains("<dd>2m 05s</dd>"), "{facts}");
    assert!(
        facts.contains("<dd>2 passed, 0 failed, 1 skipped (1 finally)</dd>"),
        "{facts}"
    );
    // 12.345s of create-cluster minus its attempts' 2.545s.
    assert!(
        facts.contains("<dd>9.8s (waits and retry delays)</dd>"),
        "{facts}"
    );
}

#[test]
fn html_shows_a_failure_with_expected_actual_and_diff() {
    use rehearse::engine::predicate;
    use rehearse::engine::vars::Vars;
    use rehearse::format::ast::{Expected, Predicate};

    let expected = json!({"status": "ACTIVE", "version": "1.31"});
    let actual = json!({"status": "FAILED", "version": "1.31"});
    let equals = Predicate::Equals(Expected::parse(expected).unwrap());
    // The engine's own wording of the failure.
    let wording = predicate::evaluate(&equals, &Vars::new(), &actual).unwrap_err();
    assert!(wording.contains("--- expected"), "{wording}");

    let mut w = failing_workflow();
    let put = &mut w.steps[1];
    put.failure = Some(Failure {
        kind: FailureKind::Check,
        message: "check failed: query `cluster` equals {…}".into(),
        details: Some(wording.clone()),
    });
    let workflows = [w];
    let page = html::to_string(&run(&workflows));

    let failures = element(&page, "<h3>Failures</h3>", "<div class=\"steps-head\">");
    assert!(
        failures.contains(
            "<a href=\"#w0-s1\">step <code>put-policy</code></a>: check failed: query `cluster` equals {…}"
        ),
        "{failures}"
    );
    assert!(failures.contains(
        "<span class=\"expected\">expected: {&quot;status&quot;:&quot;ACTIVE&quot;,&quot;version&quot;:&quot;1.31&quot;}</span>"
    ), "{failures}");
    assert!(failures.contains(
        "<span class=\"actual\">  actual: {&quot;status&quot;:&quot;FAILED&quot;,&quot;version&quot;:&quot;1.31&quot;}</span>"
    ), "{failures}");
    assert!(
        failures.contains("<span class=\"diff-head\">--- expected</span>"),
        "{failures}"
    );
    assert!(
        failures.contains("<span class=\"diff-head\">+++ actual</span>"),
        "{failures}"
    );
    assert!(
        failures.contains("<span class=\"del\">-  &quot;status&quot;: &quot;ACTIVE&quot;,</span>"),
        "{failures}"
    );
    assert!(
        failures.contains("<span class=\"add\">+  &quot;status&quot;: &quot;FAILED&quot;,</span>"),
        "{failures}"
    );
    // Context lines of the diff are not marked.
    assert!(
        failures.contains("\n   &quot;version&quot;: &quot;1.31&quot;\n"),
        "{failures}"
    );
    // Every line of the wording is there, in order.
    let text = failures
        .replace("<span class=\"expected\">", "")
        .replace("<span class=\"actual\">", "")
        .replace("<span class=\"diff-head\">", "")
        .replace("<span class=\"hunk\">", "")
        .replace("<span class=\"del\">", "")
        .replace("<span class=\"add\">", "")
        .replace("</span>", "")
        .replace("&quot;", "\"");
    assert!(text.contains(&wording), "{text}\n---\n{wording}");

    // The failed step is open, and says the same.
    let step = step_element(&page, "w0-s1");
    assert!(
        step.starts_with("<details class=\"step failed\" id=\"w0-s1\" open>"),
        "{step}"
    );
    assert!(
        step.contains("<span class=\"del\">-  &quot;status&quot;: &quot;ACTIVE&quot;,</span>"),
        "{step}"
    );
    assert!(
        step.contains("<p class=\"error\">error: exit status 254</p>"),
        "{step}"
    );
}

#[test]
fn html_escapes_hostile_text_everywhere() {
    let mut w = failing_workflow();
    let hostile = "</pre></details><script>alert('x')</script><img src=\"http://127.0.0.1:9/x.png\" onerror=\"alert(1)\"> & \u{1b}[31mred\u{1b}[0m";
    w.name = format!("lab {hostile}");
    w.title = Some(format!("title {hostile}"));
    w.recording = Some(format!("recording {hostile}"));
    w.file = PathBuf::from(format!("labs/{hostile}.toml"));
    let put = &mut w.steps[1];
    put.id = format!("id{hostile}");
    put.title = Some(format!("step title {hostile}"));
    put.kind = format!("kind{hostile}");
    put.command = Some(format!("echo '{hostile}'"));
    put.failure = Some(Failure {
        kind: FailureKind::Runtime,
        message: format!("message {hostile}"),
        details: Some(format!(
            "expected: {hostile}\n  actual: {hostile}\n--- expected\n+{hostile}"
        )),
    });
    put.captures = vec![(format!("NAME{hostile}"), format!("value {hostile}"))];
    put.attempts[0].output = Some(json!({
        "stdout": format!("line one\n{hostile}\n"),
        "weird <key>": hostile,
    }));
    put.attempts[0].error = Some(AttemptError {
        kind: ErrorKind::Failed,
        message: format!("error {hostile}"),
    });
    put.attempts[0].checks = vec![check(
        CheckRole::Expect,
        &format!("q{hostile}"),
        &format!("equals {hostile}"),
        json!(hostile),
        false,
    )];
    w.steps[2].skip_reason = Some(format!("reason {hostile}"));
    let workflows = [w.clone(), w];
    let page = html::to_string(&run(&workflows));

    // Only the page's own markup: its two scripts, no image, no handler.
    assert_eq!(page.matches("<script").count(), 2, "{page}");
    assert_eq!(page.matches("</script>").count(), 2, "{page}");
    assert!(!page.contains("<img"), "{page}");
    assert!(!page.contains("onerror=\""), "{page}");
    assert!(!page.contains("</details><script"), "{page}");
    assert!(!page.contains('\u{1b}'), "{page}");
    // The text itself is all there, escaped.
    let escaped = "&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=&quot;http://127.0.0.1:9/x.png&quot; onerror=&quot;alert(1)&quot;&gt; &amp; red";
    for within in [
        "lab ",
        "title ",
        "recording ",
        "labs/",
        "id",
        "step title ",
        "kind",
        "echo &#39;",
        "message ",
        "expected: ",
        "NAME",
        "value ",
        "error ",
        "reason ",
        "q",
        "equals ",
    ] {
        assert!(
            page.contains(&format!("{within}{escaped}")),
            "{within} is not escaped:\n{page}"
        );
    }
    // The page's title too.
    assert!(
        page.contains("<title>2 workflows: 0 passed, 2 failed in 2m 06s: rehearse</title>"),
        "{page}"
    );
    // The carried report cannot close its tag, and reads back whole.
    assert_eq!(embedded_json(&page), json::to_json(&run(&workflows)));
}

#[test]
fn html_of_several_workflows_lists_and_links_them() {
    let workflows = workflows();
    let page = html::to_string(&run(&workflows));

    let header = element(&page, "<header class=\"run failed\">", "</header>");
    assert!(
        header.contains("<p class=\"totals\">2 workflows: 1 passed, 1 failed in 2m 06s</p>"),
        "{header}"
    );
    assert!(header.contains("<dt>Exit code</dt><dd>1</dd>"), "{header}");
    assert!(
        header.contains(&format!("<dt>Started</dt><dd>{STARTED_AT}</dd>")),
        "{header}"
    );
    let toc = element(header, "<nav class=\"toc\">", "</nav>");
    assert!(
        toc.contains(
            "<li class=\"passed\"><a href=\"#w0\"><span class=\"mark passed\">✔</span> eks-basics</a>"
        ),
        "{toc}"
    );
    assert!(
        toc.contains("<li class=\"failed\"><a href=\"#w1\"><span class=\"mark failed\">✘</span> s3-lab</a>"),
        "{toc}"
    );
    assert!(toc.contains("2 passed, 0 failed, 1 skipped · 2m 05s"), "{toc}");
    assert!(toc.contains("2 passed, 1 failed, 1 skipped · 850ms"), "{toc}");

    assert_eq!(page.matches("<section class=\"workflow").count(), 2);
    let s3 = element(
        &page,
        "<section class=\"workflow failed\" id=\"w1\">",
        "</section>",
    );
    assert!(
        s3.contains("<h2><span class=\"mark failed\">✘</span> <code class=\"name\">s3-lab</code></h2>"),
        "{s3}"
    );
    assert!(s3.contains("<dd>live</dd>"), "{s3}");
    assert!(!s3.contains("<dt>Recording</dt>"), "{s3}");
    assert_eq!(s3.matches("<details class=\"step").count(), 4, "{s3}");
    assert_eq!(s3.matches("<a class=\"row").count(), 4, "{s3}");
    // The summary's wording of the failure, linked to the step.
    assert!(s3.contains(
        "<p class=\"message\"><a href=\"#w1-s1\">step <code>put-policy</code></a>: the command exited with status 254</p>"
    ), "{s3}");
    assert!(
        s3.contains("<pre class=\"details\">stderr:\n  An error occurred (AccessDenied)\n"),
        "{s3}"
    );
    // The passing workflow has no failures to show.
    let eks = element(
        &page,
        "<section class=\"workflow passed\" id=\"w0\">",
        "</section>",
    );
    assert!(!eks.contains("<h3>Failures</h3>"), "{eks}");
    // Step ids are unique across the page.
    for anchor in ["w0-s0", "w0-s1", "w0-s2", "w1-s0", "w1-s1", "w1-s2", "w1-s3"] {
        assert_eq!(page.matches(&format!("id=\"{anchor}\"")).count(), 1, "{anchor}");
    }
}

#[test]
fn html_is_self_contained() {
    let workflows = workflows();
    let page = html::to_string(&run(&workflows));
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{page}");
    assert!(page.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        html::CSP.replace('\'', "&#39;")
    )));
    // Nothing that would load: no src, no href but the page's own anchors,
    // no url() in the style, no fetch or import in the script.
    assert!(!page.contains(" src="), "{page}");
    for (at, _) in page.match_indices("href=\"") {
        assert!(page[at..].starts_with("href=\"#"), "{}", &page[at..at + 60]);
    }
    for word in [
        "url(",
        "@import",
        "fetch(",
        "XMLHttpRequest",
        "http://",
        "https://",
    ] {
        assert!(!page.contains(word), "{word}");
    }
}

#[test]
fn html_write_writes_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.html");
    std::fs::write(&path, "old").unwrap();
    let workflows = workflows();
    html::write(&path, &run(&workflows)).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, html::to_string(&run(&workflows)));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "a temporary file was left"
    );
}
