//! The paths `rehearse` is given, end to end: each workflow runs once
//! however it is named, a folder without workflows and a missing path are
//! usage errors, and a FIFO in place of a workflow or a recording is
//! refused at once instead of blocking the run.

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn rehearse(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo only creates a file at a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

const COUNTING: &str = r#"
[workflow]
name = "counting"

[vars]
COUNT = { env = "COUNT_FILE" }

[[steps]]
id = "count"
run = 'echo run >> "$COUNT"'
"#;

#[test]
fn a_workflow_named_twice_and_linked_back_runs_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("labs")).unwrap();
    std::fs::write(d.join("labs/x.toml"), COUNTING).unwrap();
    std::os::unix::fs::symlink("..", d.join("labs/parent")).unwrap();
    let count = d.join("count");
    let out = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .current_dir(d)
        .args([
            "run",
            "labs",
            "labs/x.toml",
            "./labs/x.toml",
            "labs/parent/labs/x.toml",
        ])
        .env("COUNT_FILE", &count)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&count).unwrap(), "run\n");
}

#[test]
fn an_empty_folder_and_a_missing_path_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    for command in ["validate", "list", "run"] {
        let out = rehearse(dir.path(), &[command, "empty"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            text(&out.stderr).contains("empty: no workflow files (*.toml)"),
            "{}",
            text(&out.stderr)
        );
        let out = rehearse(dir.path(), &[command, "missing.toml"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            text(&out.stderr).contains("missing.toml"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn a_fifo_workflow_or_recording_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    mkfifo(&d.join("pipe.toml"));
    let out = rehearse(d, &["validate", "pipe.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("FIFO (named pipe), not a regular file"),
        "{}",
        text(&out.stderr)
    );

    std::fs::remove_file(d.join("pipe.toml")).unwrap();
    std::fs::write(d.join("x.toml"), COUNTING).unwrap();
    mkfifo(&d.join("x.recording.yaml"));
    let out = Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .current_dir(d)
        .args(["run", "--replay", "x.toml"])
        .env("COUNT_FILE", d.join("count"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("x.recording.yaml"), "{stderr}");
    assert!(
        stderr.contains("FIFO (named pipe), not a regular file"),
        "{stderr}"
    );
}
