//! The JUnit XML report, for CI systems' test views.
//!
//! One `<testsuite>` per workflow (named after it, with the properties
//! `file` and `mode`), one `<testcase>` per step, then per finally step
//! (named `finally/<id>`). The classname is `rehearse.<workflow>`: stable
//! across runs and machines, so CI can track a step's history.
//!
//! A failed step has a `<failure>` whose message is the failure's message,
//! type its kind (`check`, `timeout`, `runtime`, `interrupted`) and text its
//! details and the command. A skipped step has a `<skipped>` with the
//! reason. `system-out` holds the command and the last output as pretty
//! JSON, cut at [`MAX_OUTPUT`] bytes; the JSON report has all of it.
//!
//! Characters XML 1.0 cannot carry (control characters, U+FFFE, U+FFFF)
//! and ANSI escapes are dropped; markup characters are escaped.

use std::io;
use std::path::Path;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::RunReport;
use crate::engine::outcome::{FailureKind, Status, StepOutcome, WorkflowOutcome};

/// The most bytes of a step's output put in `system-out`.
pub const MAX_OUTPUT: usize = 64 * 1024;

pub fn to_string(run: &RunReport) -> String {
    let mut report = Report::new("rehearse");
    report.set_time(run.duration);
    report.add_test_suites(run.workflows.iter().map(suite));
    report
        .to_string()
        .expect("serializing XML to a string cannot fail")
}

/// Writes the report atomically.
pub fn write(path: &Path, run: &RunReport) -> io::Result<()> {
    crate::ground::atomic_file::write_atomic(path, to_string(run).as_bytes())
}

fn suite(w: &WorkflowOutcome) -> TestSuite {
    let mut suite = TestSuite::new(xml(&w.name));
    suite.set_time(w.duration);
    suite.add_property(Property::new("file", xml(&w.file.display().to_string())));
    suite.add_property(Property::new("mode", xml(w.mode.name())));
    if let Some(recording) = &w.recording {
        suite.add_property(Property::new("recording", xml(recording)));
    }
    let classname = xml(&format!("rehearse.{}", w.name));
    suite.add_test_cases(w.all_steps().map(|s| case(s, &classname)));
    suite
}

fn case(step: &StepOutcome, classname: &str) -> TestCase {
    let status = match step.status {
        Status::Passed => TestCaseStatus::success(),
        Status::Failed => {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            match &step.failure {
                Some(f) => {
                    status.set_message(xml(&f.message));
                    status.set_type(kind_name(f.kind));
                }
                None => {
                    status.set_message("failed");
                }
            }
            let text = failure_text(step);
            if !text.is_empty() {
                status.set_description(xml(&text));
            }
            status
        }
        Status::Skipped => {
            let mut status = TestCaseStatus::skipped();
            if let Some(reason) = &step.skip_reason {
                status.set_message(xml(reason));
            }
            status
        }
    };

    let mut case = TestCase::new(xml(&super::step_name(step)), status);
    case.set_classname(classname);
    case.set_time(step.duration);
    let out = system_out(step);
    if !out.is_empty() {
        case.set_system_out(xml(&out));
    }
    case
}

/// Drops the characters XML 1.0 forbids that `XmlString` keeps (it drops
/// the control characters and ANSI escapes itself).
fn xml(text: &str) -> String {
    text.replace(['\u{fffe}', '\u{ffff}'], "")
}

fn kind_name(kind: FailureKind) -> &'static str {
    match kind {
        FailureKind::Check => "check",
        FailureKind::Timeout => "timeout",
        FailureKind::Runtime => "runtime",
        FailureKind::Interrupted => "interrupted",
    }
}

/// The failure's details, then the command.
fn failure_text(step: &StepOutcome) -> String {
    let mut parts = Vec::new();
    if let Some(details) = step.failure.as_ref().and_then(|f| f.details.as_deref()) {
        parts.push(details.trim_end().to_string());
    }
    if let Some(command) = &step.command {
        parts.push(format!("command:\n{}", command.trim_end()));
    }
    parts.join("\n\n")
}

/// The command and the last output.
fn system_out(step: &StepOutcome) -> String {
    let mut out = String::new();
    if let Some(why) = &step.cli {
        out.push_str(&format!("# runs through the CLI: {why}\n"));
    }
    if let Some(command) = &step.command {
        out.push_str("$ ");
        out.push_str(command.trim_end());
        out.push('\n');
    }
    if let Some(output) = step.last_output() {
        let pretty = serde_json::to_string_pretty(output).unwrap_or_else(|e| e.to_string());
        out.push_str(&super::truncate(&pretty, MAX_OUTPUT));
        out.push('\n');
    }
    out
}
