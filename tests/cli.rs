//! The built binary, end to end: validation errors, runs of the shell
//! example, reports, exit codes and Ctrl-C.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    cmd
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run rehearse")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Snapshots live in snapshots/cli; durations and scratch paths vary.
fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(root().join("snapshots/cli"));
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(r"\b\d+(\.\d+)?(ms|s)\b", "[duration]");
    s.add_filter(r"\b\d+m \d+s\b", "[duration]");
    s.add_filter(r"/tmp/[A-Za-z0-9._/-]+", "[tmp]");
    // How many polls a wait takes depends on the machine.
    s.add_filter(r", \d+ attempts", ", [n] attempts");
    s
}

#[test]
fn validate_accepts_the_shipped_workflows() {
    let out = run(&["validate", "workflows"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("ok: workflows/shell-demo.toml"));
}

#[test]
fn validate_reports_every_error_with_its_place() {
    let out = run(&["validate", "--color", "never", "tests/fixtures/broken.toml"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    // The unknown key is on line 8, column 1.
    assert!(err.contains("tests/fixtures/broken.toml:8:1"), "{err}");
    settings().bind(|| insta::assert_snapshot!("validate_broken", err));
}

#[test]
fn a_missing_file_is_invalid_input() {
    let out = run(&["validate", "no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/file.toml"));
}

#[test]
fn bad_usage_is_invalid_input() {
    let out = run(&["run", "--no-such-flag", "workflows"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_shell_demo_runs_waits_captures_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let junit = dir.path().join("report.xml");
    let out = run(&[
        "run",
        "workflows/shell-demo.toml",
        "--report-json",
        json.to_str().unwrap(),
        "--report-junit",
        junit.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", text(&out.stderr));
    assert!(!stdout.contains('\x1b'), "no colour off a terminal");

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let wf = &report["workflows"][0];
    assert_eq!(wf["status"], "passed");
    let steps = wf["steps"].as_array().unwrap();
    let ready = steps.iter().find(|s| s["id"] == "job-ready").unwrap();
    assert!(
        ready["attempts"].as_array().unwrap().len() >= 2,
        "the wait polled more than once"
    );
    assert_eq!(
        steps.iter().find(|s| s["id"] == "in-french").unwrap()["status"],
        "skipped"
    );
    let workdir = captured(wf, "workspace", "WORKDIR");
    assert!(!Path::new(&workdir).exists(), "cleanup removed {workdir}");

    let suites =
        junit_parser::from_reader(std::io::BufReader::new(std::fs::File::open(&junit).unwrap())).unwrap();
    assert_eq!(suites.suites.len(), 1);
    let suite = &suites.suites[0];
    assert_eq!(suite.name, "shell-demo");
    assert_eq!(suite.cases.len(), 7);
    assert_eq!(suite.failures, 0);
    assert_eq!(suite.skipped, 1);

    // Poll lines vary with timing; everything else is stable.
    let stable: String = stdout
        .lines()
        .filter(|l| !l.contains('⏳'))
        .map(|l| format!("{l}\n"))
        .collect();
    settings().bind(|| insta::assert_snapshot!("run_shell_demo", stable));
}

#[test]
fn a_failed_check_exits_1_skips_the_rest_and_still_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let junit = dir.path().join("report.xml");
    let html = dir.path().join("report.html");
    let out = run(&[
        "run",
        "workflows/shell-demo.toml",
        "--var",
        "GREETING=goodbye",
        "--report-json",
        json.to_str().unwrap(),
        "--report-junit",
        junit.to_str().unwrap(),
        "--report-html",
        html.to_str().unwrap(),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(r#"expected: "goodbye""#) || stdout.contains("goodbye"),
        "{stdout}"
    );

    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let wf = &report["workflows"][0];
    assert_eq!(wf["status"], "failed");
    let status = |id: &str| {
        wf["steps"]
            .as_array()
            .unwrap()
            .iter()
            .chain(wf["finally"].as_array().unwrap())
            .find(|s| s["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("greet"), "failed");
    assert_eq!(status("must-time-out"), "skipped");
    assert_eq!(status("cleanup"), "passed");
    let workdir = captured(wf, "workspace", "WORKDIR");
    assert!(!Path::new(&workdir).exists());

    let suites =
        junit_parser::from_reader(std::io::BufReader::new(std::fs::File::open(&junit).unwrap())).unwrap();
    let suite = &suites.suites[0];
    assert_eq!(suite.failures, 1);
    let greet = suite.cases.iter().find(|c| c.name.ends_with("::greet")).unwrap();
    assert!(greet.status.is_failure(), "{:?}", greet.status);

    // The page shows the failure as the summary words it, and the step open.
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<h3>Failures</h3>"), "{page}");
    assert!(
        page.contains("step <code>greet</code></a>: check failed: "),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"expected\">expected: a string containing &quot;goodbye&quot;</span>"),
        "{page}"
    );
    assert!(
        page.contains("<details class=\"step failed\" id=\"w0-s3\" open>"),
        "{page}"
    );

    let stable: String = stdout
        .lines()
        .filter(|l| !l.contains('⏳'))
        .map(|l| format!("{l}\n"))
        .collect();
    settings().bind(|| insta::assert_snapshot!("run_shell_demo_failing", stable));
}

fn captured(workflow: &serde_json::Value, step: &str, name: &str) -> String {
    let s = workflow["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == step)
        .unwrap();
    let pair = s["captures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c[0] == name)
        .unwrap();
    pair[1].as_str().unwrap().to_string()
}

#[test]
fn a_backend_error_exits_3() {
    let out = run(&["run", "tests/fixtures/no-shell.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("/nonexistent/rehearse-shell"));
}

#[test]
fn a_missing_environment_variable_is_invalid_input_before_anything_runs() {
    let out = bin()
        .args(["run", "tests/fixtures/interrupt.toml"])
        .env_remove("MARKERS")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("MARKERS"), "{err}");
    assert!(err.contains("tests/fixtures/interrupt.toml:"), "{err}");
}

#[test]
fn ctrl_c_runs_the_finally_steps_and_exits_130() {
    let markers = tempfile::tempdir().unwrap();
    let child = bin()
        .args(["run", "tests/fixtures/interrupt.toml"])
        .env("MARKERS", markers.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = markers.path().join("started");
    for _ in 0..500 {
        if started.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(started.exists(), "the long step never started");
    // SAFETY: sends SIGINT to the child we spawned.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", text(&out.stdout));
    assert!(markers.path().join("finally-ran").exists());
    assert!(!markers.path().join("after-ran").exists());
    assert!(text(&out.stdout).contains("interrupted"));
}

#[test]
fn list_prints_the_plan() {
    let out = run(&["list", "workflows/shell-demo.toml"]);
    assert_eq!(out.status.code(), Some(0));
    settings().bind(|| insta::assert_snapshot!("list_shell_demo", text(&out.stdout)));
}

#[test]
fn the_shipped_schema_is_the_one_the_binary_prints() {
    let out = run(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shipped: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("docs/rehearse.schema.json")).unwrap())
            .unwrap();
    assert_eq!(
        printed, shipped,
        "run `rehearse schema > docs/rehearse.schema.json`"
    );
}

#[test]
fn colour_only_when_asked() {
    let out = run(&[
        "run",
        "--color",
        "always",
        "workflows/shell-demo.toml",
        "--only",
        "greet",
        "--var",
        "GREETING=hello",
    ]);
    assert!(text(&out.stdout).contains('\x1b'));
    let out = bin()
        .args(["run", "workflows/shell-demo.toml", "--only", "greet"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!text(&out.stdout).contains('\x1b'));
}

#[test]
fn the_format_reference_examples_marked_run_pass() {
    let doc = std::fs::read_to_string(root().join("docs/format.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut ran = 0;
    for (kind, body, line) in common::toml_blocks(&doc) {
        if kind != "run" {
            continue;
        }
        let path = dir.path().join(format!("format-md-line-{line}.toml"));
        std::fs::write(&path, body).unwrap();
        let out = run(&["run", path.to_str().unwrap()]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "docs/format.md line {line}:\n{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        ran += 1;
    }
    assert!(ran >= 2, "only {ran} runnable examples");
}

#[test]
fn recording_names_the_recording_of_one_workflow_only() {
    let out = run(&[
        "run",
        "--replay",
        "--recording",
        "workflows/shell-demo.recording.yaml",
        "workflows/shell-demo.toml",
        "workflows/eks-pod-identity.toml",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("names the recording of one workflow, but 2 workflows were given"),
        "{}",
        text(&out.stderr)
    );
    // One workflow replays from the file named, wherever it is.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("elsewhere.yaml");
    std::fs::copy(root().join("workflows/shell-demo.recording.yaml"), &copy).unwrap();
    let workflow = dir.path().join("shell-demo.toml");
    std::fs::copy(root().join("workflows/shell-demo.toml"), &workflow).unwrap();
    let out = run(&[
        "run",
        "--replay",
        "--recording",
        copy.to_str().unwrap(),
        workflow.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("elsewhere.yaml"),
        "{}",
        text(&out.stdout)
    );
    // Without it, the recording next to the workflow is missing.
    let out = run(&["run", "--replay", workflow.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(0));
}
