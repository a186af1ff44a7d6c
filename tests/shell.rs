//! The shell backend with real processes: output shape, JSON detection,
//! exit codes, environment, and the whole process group killed when a step
//! is cancelled.

use std::path::PathBuf;
use std::time::Duration;

use rehearse::action::{Action, Request};
use rehearse::backend::shell::ShellBackend;
use rehearse::ground::port::{Backend, ErrorKind};

fn request(script: &str) -> Request {
    Request {
        step_id: "s".into(),
        action: Action::Run {
            script: script.into(),
        },
        env: vec![("GREETING".into(), "hello world".into())],
        dir: PathBuf::from("."),
        shell: vec!["bash".into(), "-e".into(), "-c".into()],
        max_output: rehearse::engine::plan::DEFAULT_MAX_OUTPUT,
        stdin: None,
        deadline: tokio::time::Instant::now() + Duration::from_secs(60),
    }
}

#[tokio::test]
async fn stdout_stderr_exit_code_and_json() {
    let out = ShellBackend
        .execute(request(r#"echo '{"a": [1, 2]}'; echo warn >&2"#))
        .await
        .unwrap();
    assert_eq!(out["stdout"], "{\"a\": [1, 2]}\n");
    assert_eq!(out["stderr"], "warn\n");
    assert_eq!(out["exit_code"], 0);
    assert_eq!(out["json"]["a"][1], 2);
}

#[tokio::test]
async fn a_runaway_output_stops_the_process_at_the_limit() {
    // Two writers that never stop: only stopping the whole group ends them.
    let mut req = request("yes & yes >&2");
    req.max_output = 64 * 1024;
    let err = ShellBackend.execute(req).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Failed);
    assert!(
        err.message
            .contains("printed more than 64 KiB (the step's `max-output`)"),
        "{}",
        err.message
    );
    let output = err.output.expect("what was read");
    let kept = output["stdout"].as_str().unwrap().len() + output["stderr"].as_str().unwrap().len();
    assert_eq!(kept, 64 * 1024);
}

#[tokio::test]
async fn stdin_reaches_the_script() {
    let mut req = request("tr a-z A-Z");
    req.stdin = Some("kind: ConfigMap\n".into());
    let out = ShellBackend.execute(req).await.unwrap();
    assert_eq!(out["stdout"], "KIND: CONFIGMAP\n");
}

#[tokio::test]
async fn plain_text_has_no_json_member() {
    let out = ShellBackend.execute(request("echo not json")).await.unwrap();
    assert!(out.get("json").is_none(), "{}", *out);
}

#[tokio::test]
async fn variables_reach_the_script_through_its_environment() {
    let out = ShellBackend
        .execute(request(r#"printf '%s' "$GREETING""#))
        .await
        .unwrap();
    assert_eq!(out["stdout"], "hello world");
}

#[tokio::test]
async fn a_non_zero_exit_is_a_failure_with_the_output_and_the_stderr_line() {
    let err = ShellBackend
        .execute(request("echo partial; echo 'Error: no such addon' >&2; exit 3"))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Failed);
    assert_eq!(err.message, "command exited with code 3: Error: no such addon");
    let output = err.output.unwrap();
    assert_eq!(output["exit_code"], 3);
    assert_eq!(output["stdout"], "partial\n");
}

#[tokio::test]
async fn a_missing_shell_is_a_runtime_error() {
    let mut req = request("true");
    req.shell = vec!["/nonexistent/shell".into()];
    let err = ShellBackend.execute(req).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Runtime);
    assert!(err.message.contains("/nonexistent/shell"), "{}", err.message);
}

#[tokio::test]
async fn dropping_the_step_kills_the_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("grandchild.pid");
    // A grandchild that would outlive a plain kill of the shell.
    let script = format!("sleep 300 & echo $! > {}; wait", pidfile.display());
    let fut = ShellBackend.execute(request(&script));
    let cut = tokio::time::timeout(Duration::from_millis(500), fut).await;
    assert!(cut.is_err(), "the script should still be running");
    let pid: i32 = std::fs::read_to_string(&pidfile).unwrap().trim().parse().unwrap();
    // The kill is a signal: give the kernel a moment to reap it.
    let mut alive = true;
    for _ in 0..100 {
        alive = process_alive(pid);
        if !alive {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive, "grandchild {pid} survived the cancelled step");
}

/// Alive and not a zombie.
fn process_alive(pid: i32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat.split_whitespace().nth(2).is_none_or(|s| s != "Z"),
        Err(_) => false,
    }
}
