//! What the engine tells the outside while it runs: the progress display
//! listens to these; the engine knows nothing of terminals.

use std::path::Path;
use std::time::Duration;

use crate::engine::outcome::{StepOutcome, WorkflowOutcome};

#[derive(Debug)]
pub enum Event<'a> {
    WorkflowStarted {
        workflow: &'a str,
        file: &'a Path,
        /// Main steps plus finally steps.
        steps: usize,
    },
    StepStarted {
        workflow: &'a str,
        /// 1-based position among all steps, finally steps last.
        index: usize,
        total: usize,
        id: &'a str,
        title: Option<&'a str>,
        kind: &'a str,
        finally: bool,
    },
    /// A wait polled and its condition does not hold yet.
    Polled {
        workflow: &'a str,
        id: &'a str,
        attempt: u32,
        /// What the checks saw, e.g. `addon.status = "CREATING"`.
        observed: &'a str,
        next_in: Duration,
    },
    /// An attempt failed and the step will retry.
    Retrying {
        workflow: &'a str,
        id: &'a str,
        attempt: u32,
        error: &'a str,
        delay: Duration,
    },
    StepFinished {
        workflow: &'a str,
        outcome: &'a StepOutcome,
    },
    /// Ctrl-C: the running step is stopped and the finally steps run.
    Interrupted {
        workflow: &'a str,
    },
    WorkflowFinished {
        outcome: &'a WorkflowOutcome,
    },
}

pub trait EventSink: Send + Sync {
    fn emit(&self, event: &Event<'_>);
}

/// Discards events (library use, benchmarks).
pub struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _: &Event<'_>) {}
}
