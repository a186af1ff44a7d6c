//! The output of a process as checks see it: `run` steps, and the results
//! that recordings store in the same shape.

use serde_json::{Value, json};

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

fn parse_json(stdout: &str) -> Option<Value> {
    let trimmed = stdout.trim();
    if trimmed.is_empty() {
        return None;
    }
    serde_json::from_str(trimmed).ok()
}
