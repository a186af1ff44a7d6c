//! The process exit codes: documented in docs/cli.md, stable for CI.

use crate::engine::outcome::{FailureKind, WorkflowOutcome};

/// Every workflow passed.
pub const SUCCESS: i32 = 0;
/// A step failed: a check, a wait, an expected failure, a command.
pub const CHECK_FAILED: i32 = 1;
/// Bad input or usage: a workflow that does not validate, a bad flag.
pub const INVALID_INPUT: i32 = 2;
/// A backend or runtime error: a command that cannot start, a report that
/// cannot be written. The environment is broken, not the lab.
pub const RUNTIME_ERROR: i32 = 3;
/// Ctrl-C (128 + SIGINT).
pub const INTERRUPTED: i32 = 130;

/// The code of a run that a signal interrupted: 128 + its number, as a
/// shell reports a process that the signal killed (SIGTERM: 143, SIGHUP:
/// 129, SIGINT: 130).
pub fn for_signal(number: i32) -> i32 {
    128 + number
}

/// Whether a code is one of a run that a signal interrupted.
pub fn is_signal(code: i32) -> bool {
    (129..=128 + 64).contains(&code)
}

/// The code for a set of outcomes: interrupted, then runtime errors, then
/// failed checks; success only when nothing failed.
pub fn for_outcomes(outcomes: &[WorkflowOutcome]) -> i32 {
    let kinds: Vec<FailureKind> = outcomes
        .iter()
        .flat_map(|w| w.all_steps())
        .filter_map(|s| s.failure.as_ref().map(|f| f.kind))
        .collect();
    if kinds.contains(&FailureKind::Interrupted) {
        INTERRUPTED
    } else if kinds.contains(&FailureKind::Runtime) {
        RUNTIME_ERROR
    } else if !kinds.is_empty() {
        CHECK_FAILED
    } else {
        SUCCESS
    }
}
