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

use serde::Serialize;
use serde_json::Value;

use super::RunReport;
use crate::engine::outcome::WorkflowOutcome;

/// The document, with its fields in the order they are written.
#[derive(Serialize)]
struct Document<'a> {
    tool: Tool,
    started_at: &'a str,
    duration_ms: u64,
    exit_code: i32,
    totals: Totals,
    workflows: &'a [WorkflowOutcome],
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Totals {
    workflows: usize,
    passed: usize,
    failed: usize,
    skipped: usize,
}

fn document<'a>(run: &RunReport<'a>) -> Document<'a> {
    let totals = run.totals();
    Document {
        tool: Tool {
            name: "rehearse",
            version: env!("CARGO_PKG_VERSION"),
        },
        started_at: run.started_at,
        duration_ms: u64::try_from(run.duration.as_millis()).unwrap_or(u64::MAX),
        exit_code: run.exit_code,
        totals: Totals {
            workflows: totals.workflows,
            passed: totals.passed,
            failed: totals.failed,
            skipped: totals.skipped,
        },
        workflows: run.workflows,
    }
}

pub fn to_json(run: &RunReport) -> Value {
    serde_json::to_value(document(run)).expect("the report serializes to JSON")
}

/// The report on one line, its keys in the documented order.
pub fn to_string(run: &RunReport) -> String {
    serde_json::to_string(&document(run)).expect("the report serializes to JSON")
}

/// Writes the report, pretty-printed, atomically. Keys keep the order
/// documented above (a `Value` would sort them).
pub fn write(path: &Path, run: &RunReport) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(&document(run)).map_err(io::Error::other)?;
    bytes.push(b'\n');
    crate::ground::atomic_file::write_atomic(path, &bytes)
}
