//! The JSON report: the whole outcome of a run, every step, attempt,
//! output and check, for tools and for reading after the fact.
//!
//! ```json
//! {
//!   "tool": {"name": "rehearse", "version": "0.1.0"},
//!   "started_at": "2025-01-01T00:00:00Z",
//!   "duration_ms": 3200,
//!   "exit_code": 1,
//!   "totals": {"workflows": 2, "passed": 1, "failed": 1, "skipped": 0},
//!   "workflows": [ ...WorkflowOutcome... ]
//! }
//! ```
//!
//! `totals` counts workflows by status. Each workflow is the serde form of
//! [`WorkflowOutcome`](crate::engine::outcome::WorkflowOutcome); durations
//! are whole milliseconds (`duration_ms`, `offset_ms`).

use std::io;
use std::path::Path;

use serde_json::{Value, json};

use super::RunReport;

pub fn to_json(run: &RunReport) -> Value {
    let totals = run.totals();
    json!({
        "tool": {
            "name": "rehearse",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "started_at": run.started_at,
        "duration_ms": u64::try_from(run.duration.as_millis()).unwrap_or(u64::MAX),
        "exit_code": run.exit_code,
        "totals": {
            "workflows": totals.workflows,
            "passed": totals.passed,
            "failed": totals.failed,
            "skipped": totals.skipped,
        },
        "workflows": run.workflows,
    })
}

/// Writes the report, pretty-printed, atomically.
pub fn write(path: &Path, run: &RunReport) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(&to_json(run)).map_err(io::Error::other)?;
    bytes.push(b'\n');
    crate::atomic_file::write_atomic(path, &bytes)
}
