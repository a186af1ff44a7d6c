//! The runner and its environment: SIGTERM and SIGHUP behave as Ctrl-C
//! (the running step's processes die, the finally steps run, the reports
//! are written, the exit code is 128 + the signal), a second signal aborts
//! the finally steps, and a reader that closed stdout costs nothing but
//! the output.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Waits for a file that a step creates; the deadline is only there so
/// that a broken run fails the test instead of hanging it.
fn wait_for(path: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !path.exists() {
        assert!(Instant::now() < deadline, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send(child: &Child, signal: i32) {
    // SAFETY: kill only sends a signal, to the child this test spawned.
    let sent = unsafe { libc::kill(child.id() as i32, signal) };
    assert_eq!(sent, 0, "cannot signal rehearse");
}

/// Whether a process still runs: a zombie (killed, not yet reaped by its
/// new parent) does not.
fn alive(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or("").trim_start();
            !state.starts_with('Z')
        }
        Err(_) => false,
    }
}

struct Run {
    markers: tempfile::TempDir,
    report: PathBuf,
    child: Child,
}

/// Starts the signals fixture and waits until its long step runs.
fn start(finally_sleep: &str) -> Run {
    let markers = tempfile::tempdir().unwrap();
    let report = markers.path().join("report.json");
    let child = bin()
        .args(["run", "tests/fixtures/signals/signals.toml", "--report-json"])
        .arg(&report)
        .env("MARKERS", markers.path())
        .env("FINALLY_SLEEP", finally_sleep)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&markers.path().join("started"));
    Run {
        markers,
        report,
        child,
    }
}

fn report_of(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("the JSON report is written");
    serde_json::from_str(&text).unwrap()
}

/// Every step of the report's one workflow, by id, with its status.
fn statuses(report: &serde_json::Value) -> Vec<(String, String)> {
    let workflow = &report["workflows"][0];
    ["steps", "finally"]
        .iter()
        .flat_map(|part| workflow[part].as_array().cloned().unwrap_or_default())
        .map(|s| {
            (
                s["id"].as_str().unwrap_or("").to_string(),
                s["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn interrupted_by(signal: i32, code: i32) {
    let run = start("0");
    let sleep_pid = std::fs::read_to_string(run.markers.path().join("sleep.pid")).unwrap();
    let sleep_pid = sleep_pid.trim().to_string();
    assert!(alive(&sleep_pid), "the step's sleep runs before the signal");
    send(&run.child, signal);
    let out = run.child.wait_with_output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(code), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("interrupted"), "{stdout}");
    let markers = run.markers.path();
    assert!(markers.join("finally-ran").exists(), "the finally step ran");
    assert!(!markers.join("after-ran").exists(), "the next step was skipped");
    assert!(!alive(&sleep_pid), "the step's process group was killed");
    let report = report_of(&run.report);
    assert_eq!(report["exit_code"], code);
    assert_eq!(
        statuses(&report),
        [
            ("long".to_string(), "failed".to_string()),
            ("after".to_string(), "skipped".to_string()),
            ("cleanup".to_string(), "passed".to_string()),
        ]
    );
}

#[test]
fn sigterm_runs_the_finally_steps_writes_the_reports_and_exits_143() {
    interrupted_by(libc::SIGTERM, 143);
}

#[test]
fn sighup_runs_the_finally_steps_writes_the_reports_and_exits_129() {
    interrupted_by(libc::SIGHUP, 129);
}

#[test]
fn a_second_signal_aborts_the_finally_steps() {
    let run = start("60");
    send(&run.child, libc::SIGTERM);
    wait_for(&run.markers.path().join("finally-started"));
    send(&run.child, libc::SIGTERM);
    let out = run.child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", text(&out.stdout));
    assert!(!run.markers.path().join("finally-ran").exists());
    let report = report_of(&run.report);
    let cleanup = statuses(&report).pop().unwrap();
    assert_eq!(cleanup.0, "cleanup");
    assert_ne!(cleanup.1, "passed", "{report}");
}

/// Runs rehearse with a stdout whose reader is already gone.
fn with_closed_stdout(args: &[&str], markers: &Path) -> Output {
    let mut child = bin()
        .args(args)
        .env("MARKERS", markers)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_drops_the_output_and_the_run_goes_on() {
    let markers = tempfile::tempdir().unwrap();
    let report = markers.path().join("report.json");
    let out = with_closed_stdout(
        &[
            "run",
            "tests/fixtures/signals/chatty.toml",
            "--report-json",
            report.to_str().unwrap(),
        ],
        markers.path(),
    );
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(markers.path().join("second-ran").exists());
    assert!(markers.path().join("finally-ran").exists());
    let statuses = statuses(&report_of(&report));
    assert!(statuses.iter().all(|(_, s)| s == "passed"), "{statuses:?}");
}

#[test]
fn list_and_validate_to_a_closed_stdout_exit_as_usual() {
    let markers = tempfile::tempdir().unwrap();
    for command in ["list", "validate"] {
        let out = with_closed_stdout(&[command, "workflows", "tests/fixtures/signals"], markers.path());
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{command}: {stderr}");
    }
}
