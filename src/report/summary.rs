//! The summary the CLI prints when a run ends: one line per workflow, the
//! failing steps of failed workflows, and a total line.
//!
//! ```text
//! ✔ eks-basics  4 passed, 0 failed, 1 skipped  2m 05s
//! ✘ s3-lab      1 passed, 1 failed, 0 skipped  850ms
//!     step create-bucket: expected status 200, got 403
//!       AccessDenied
//!
//! 2 workflows: 1 passed, 1 failed in 2m 06s
//! ```

use std::fmt::Write as _;
use std::time::Duration;

use super::RunReport;
use crate::engine::outcome::{Status, WorkflowOutcome};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Renders the summary; with `color`, marks and counts are coloured with
/// ANSI codes, otherwise the text is plain. Ends with a newline.
pub fn render(run: &RunReport, color: bool) -> String {
    let paint = Painter(color);
    let mut out = String::new();
    let name_width = run
        .workflows
        .iter()
        .map(|w| w.name.chars().count())
        .max()
        .unwrap_or(0);

    for workflow in run.workflows {
        render_workflow(&mut out, workflow, name_width, paint);
    }

    if !run.workflows.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "{}", total_line(run, paint));
    out
}

/// The last line: `2 workflows: 1 passed, 1 failed in 2m 06s`, without colour.
pub fn totals(run: &RunReport) -> String {
    total_line(run, Painter(false))
}

fn total_line(run: &RunReport, paint: Painter) -> String {
    let totals = run.totals();
    let noun = if totals.workflows == 1 {
        "workflow"
    } else {
        "workflows"
    };
    let mut counts = vec![
        paint.count(totals.passed, "passed", GREEN),
        paint.count(totals.failed, "failed", RED),
    ];
    if totals.skipped > 0 {
        counts.push(paint.count(totals.skipped, "skipped", YELLOW));
    }
    format!(
        "{} {noun}: {} in {}",
        totals.workflows,
        counts.join(", "),
        human_duration(run.duration),
    )
}

/// A workflow's steps by status: `4 passed, 0 failed, 1 skipped`, without colour.
pub fn step_counts(w: &WorkflowOutcome) -> String {
    counts(w, Painter(false))
}

fn counts(w: &WorkflowOutcome, paint: Painter) -> String {
    [
        paint.count(w.count(Status::Passed), "passed", GREEN),
        paint.count(w.count(Status::Failed), "failed", RED),
        paint.count(w.count(Status::Skipped), "skipped", YELLOW),
    ]
    .join(", ")
}

/// What the summary says of a failed workflow: per failed step (finally
/// steps too), its name, its message and its details; a workflow that
/// failed before any step ran has one note with no step name.
pub fn failure_notes(w: &WorkflowOutcome) -> Vec<FailureNote<'_>> {
    if w.status != Status::Failed {
        return Vec::new();
    }
    let notes: Vec<FailureNote> = w
        .all_steps()
        .filter(|s| s.status == Status::Failed)
        .map(|step| FailureNote {
            step: Some(super::step_name(step)),
            message: step.failure.as_ref().map_or("failed", |f| f.message.as_str()),
            details: step.failure.as_ref().and_then(|f| f.details.as_deref()),
        })
        .collect();
    if notes.is_empty() {
        // A workflow can fail before any step ran (e.g. its setup).
        return vec![FailureNote {
            step: None,
            message: "failed before any step",
            details: None,
        }];
    }
    notes
}

/// One failure of a workflow, as the summary words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureNote<'a> {
    /// The step's name (`finally/<id>` for a finally step).
    pub step: Option<String>,
    /// One line a person can act on.
    pub message: &'a str,
    /// More lines: the expected and actual values, a diff, what a wait saw.
    pub details: Option<&'a str>,
}

fn render_workflow(out: &mut String, w: &WorkflowOutcome, name_width: usize, paint: Painter) {
    let mark = match w.status {
        Status::Passed => paint.apply(GREEN, "✔"),
        Status::Failed => paint.apply(RED, "✘"),
        Status::Skipped => paint.apply(YELLOW, "○"),
    };
    let _ = writeln!(
        out,
        "{mark} {:<name_width$}  {}  {}",
        w.name,
        counts(w, paint),
        paint.apply(DIM, &human_duration(w.duration)),
    );
    for note in failure_notes(w) {
        let Some(name) = &note.step else {
            let _ = writeln!(out, "    {}", paint.apply(RED, note.message));
            continue;
        };
        let _ = writeln!(out, "    step {}: {}", paint.apply(RED, name), note.message);
        for line in note.details.into_iter().flat_map(str::lines) {
            let _ = writeln!(out, "      {}", paint.apply(DIM, line));
        }
    }
}

#[derive(Clone, Copy)]
struct Painter(bool);

impl Painter {
    fn apply(self, code: &str, text: &str) -> String {
        if self.0 && !text.is_empty() {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// "N label", coloured only when N is not zero.
    fn count(self, n: usize, label: &str, code: &str) -> String {
        let text = format!("{n} {label}");
        if n == 0 { text } else { self.apply(code, &text) }
    }
}

/// A duration for people: `850ms`, `12.3s`, `2m 05s`, `1h 02m 05s`.
/// Truncates rather than rounds, so 59.99s is `59.9s`, never `60.0s`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1_000 {
        return format!("{ms}ms");
    }
    if ms < 60_000 {
        return format!("{}.{}s", ms / 1_000, ms % 1_000 / 100);
    }
    let secs = ms / 1_000;
    let (h, m, s) = (secs / 3_600, secs % 3_600 / 60, secs % 60);
    if h == 0 {
        format!("{m}m {s:02}s")
    } else {
        format!("{h}h {m:02}m {s:02}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        let cases = [
            (0, "0ms"),
            (850, "850ms"),
            (999, "999ms"),
            (1_000, "1.0s"),
            (12_345, "12.3s"),
            (59_999, "59.9s"),
            (60_000, "1m 00s"),
            (125_000, "2m 05s"),
            (3_599_999, "59m 59s"),
            (3_725_000, "1h 02m 05s"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(Duration::from_millis(ms)), want, "{ms}ms");
        }
    }
}
