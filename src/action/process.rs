//! The output of a process as checks see it: `run` steps, and the results
//! that recordings store in the same shape.

use serde_json::{Value, json};

use crate::ground::port::{ActionError, ActionResult, Output};

/// `{stdout, stderr, exit_code}`, `signal` when a signal ended it, and
/// `json` when stdout is JSON.
pub fn process_output(stdout: &[u8], stderr: &[u8], exit_code: Option<i32>, signal: Option<i32>) -> Value {
    let stdout = String::from_utf8_lossy(stdout).into_owned();
    let stderr = String::from_utf8_lossy(stderr).into_owned();
    let mut out = json!({ "stdout": stdout, "stderr": stderr, "exit_code": exit_code });
    if let Some(sig) = signal {
        out["signal"] = json!(sig);
    }
    if let Some(parsed) = parse_json(&stdout) {
        out["json"] = parsed;
    }
    out
}

/// A finished process as a step's result: its output, or for a non-zero
/// exit (or a signal) a failure carrying that output, whose message ends
/// with the last line of stderr so that the one-line summary already says
/// what went wrong. The shell backend and the step results of a recording
/// both answer this way, so a replayed exit reads as a live one.
pub fn exit_result(
    stdout: &[u8],
    stderr: &[u8],
    exit_code: Option<i32>,
    signal: Option<i32>,
) -> ActionResult {
    let output = process_output(stdout, stderr, exit_code, signal);
    let what = match exit_code {
        Some(0) => return Ok(Output::printed(output, String::from_utf8_lossy(stdout))),
        Some(code) => format!("exited with code {code}"),
        None => "was killed by a signal".to_string(),
    };
    let stderr = String::from_utf8_lossy(stderr);
    let message = match stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(last) => format!("command {what}: {}", last.trim()),
        None => format!("command {what}"),
    };
    Err(ActionError::failed(message, Some(output)))
}

fn parse_json(stdout: &str) -> Option<Value> {
    let trimmed = stdout.trim();
    if trimmed.is_empty() {
        return None;
    }
    serde_json::from_str(trimmed).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::port::ErrorKind;

    #[test]
    fn a_non_zero_exit_fails_with_the_last_line_of_stderr() {
        assert_eq!(
            exit_result(b"ok\n", b"", Some(0), None),
            Ok(Output::printed(
                json!({"stdout": "ok\n", "stderr": "", "exit_code": 0}),
                "ok\n"
            ))
        );
        let e = exit_result(b"", b"first\nlast words\n\n", Some(3), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Failed);
        assert_eq!(e.message, "command exited with code 3: last words");
        assert_eq!(e.output.as_ref().unwrap()["exit_code"], 3);
        let e = exit_result(b"", b"", None, Some(9)).unwrap_err();
        assert_eq!(e.message, "command was killed by a signal");
        assert_eq!(e.output.unwrap()["signal"], 9);
    }
}
