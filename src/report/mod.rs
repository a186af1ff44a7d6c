//! Reports of a run: JSON (everything), JUnit XML (for CI test views), HTML
//! (a picture of the run) and the summary the CLI prints at the end. All
//! are views of a [`RunReport`].

pub mod exit;
pub mod html;
pub mod json;
pub mod junit;
pub mod merge;
pub mod plan;
pub mod summary;

use std::time::Duration;

use crate::engine::outcome::{Status, StepOutcome, WorkflowOutcome};

/// One invocation of rehearse: the workflows it ran and how it ended.
#[derive(Clone, Copy, Debug)]
pub struct RunReport<'a> {
    /// The outcomes, in the order the workflows ran.
    pub workflows: &'a [WorkflowOutcome],
    /// When the run started, RFC 3339, UTC.
    pub started_at: &'a str,
    /// Wall-clock time of the whole run.
    pub duration: Duration,
    /// The process exit code the run ends with.
    pub exit_code: i32,
}

/// How many workflows ended in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub workflows: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl RunReport<'_> {
    /// Workflow counts by status.
    pub fn totals(&self) -> Totals {
        let count = |status| self.workflows.iter().filter(|w| w.status == status).count();
        Totals {
            workflows: self.workflows.len(),
            passed: count(Status::Passed),
            failed: count(Status::Failed),
            skipped: count(Status::Skipped),
        }
    }
}

/// A step as the reports name it: its id, or `finally/<id>` for a finally
/// step (ids are unique only among the steps or among the finally steps).
pub fn step_name(step: &StepOutcome) -> String {
    if step.finally {
        format!("finally/{}", step.id)
    } else {
        step.id.clone()
    }
}

/// Cuts `text` to at most `max` bytes on a character boundary, noting the cut.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}\n... [output truncated: {end} of {} bytes shown; the JSON report has all of it]",
        &text[..end],
        text.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_short_text() {
        assert_eq!(truncate("abc", 3), "abc");
    }

    #[test]
    fn truncate_cuts_on_a_char_boundary() {
        // "é" is two bytes: cutting at 2 would split it.
        let cut = truncate("aébc", 2);
        assert!(cut.starts_with("a\n... [output truncated: 1 of 5 bytes"), "{cut}");
    }
}
