//! `rehearse list`: the plan of a workflow, as a person reads it: each
//! step, its kind, its command, and what it waits for.

use std::fmt::Write;
use std::path::Path;

use crate::engine::predicate::describe;
use crate::format::ast::{Action, Check, Step, Workflow};

pub fn render(path: &Path, wf: &Workflow) -> String {
    let mut out = String::new();
    let title = wf
        .meta
        .title
        .as_ref()
        .map(|t| format!(": {}", t.value))
        .unwrap_or_default();
    let _ = writeln!(out, "{} ({}){title}", wf.meta.name.value, path.display());
    for (i, step) in wf.steps.iter().enumerate() {
        step_lines(&mut out, i + 1, step);
    }
    if !wf.finally.is_empty() {
        let _ = writeln!(out, "  finally:");
        for (i, step) in wf.finally.iter().enumerate() {
            step_lines(&mut out, i + 1, step);
        }
    }
    out
}

fn step_lines(out: &mut String, n: usize, step: &Step) {
    let title = step
        .title
        .as_ref()
        .map(|t| format!(" · {}", t.value))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {n:>3}. {} [{}]{title}",
        step.id.value,
        step.action.value.kind()
    );
    let _ = writeln!(out, "       {}", first_line(&command(&step.action.value)));
    if let Action::Cli(c) = &step.action.value {
        let _ = writeln!(
            out,
            "       through the {} CLI: {}",
            c.fallback.tool.name(),
            c.fallback.why()
        );
    }
    if let Some(t) = &step.timeout {
        let _ = writeln!(out, "       timeout {}", humantime::format_duration(t.value));
    }
    if let Some(wait) = &step.wait {
        for c in &wait.until {
            let _ = writeln!(out, "       wait until {}", check(c));
        }
        for c in &wait.fail_if {
            let _ = writeln!(out, "       stop if {}", check(c));
        }
    }
    if let Some(r) = &step.retry {
        let _ = writeln!(out, "       retry {} attempts", r.attempts.value);
    }
    if step.must_fail.as_ref().is_some_and(|m| m.value) {
        let _ = writeln!(out, "       must fail");
    }
    for c in &step.expect {
        let _ = writeln!(out, "       expect {}", check(c));
    }
    for c in &step.capture {
        let _ = writeln!(out, "       capture {} = {}", c.name.value, c.query.value);
    }
    if let Some(w) = &step.when {
        let _ = writeln!(out, "       when {}", w.value.source());
    }
    if let Some(s) = &step.skip {
        let _ = writeln!(out, "       skipped: {}", s.value);
    }
    if let Some(s) = &step.live_only {
        let _ = writeln!(out, "       live only: {}", s.value);
    }
}

fn check(c: &Check) -> String {
    format!("{} {}", c.query.value, describe(&c.predicate.value))
}

fn command(action: &Action) -> String {
    match action {
        Action::Aws(a) if let Some(input) = &a.input => {
            format!("{} --cli-input-json '{}'", action.written(), input.value)
        }
        _ => action.written(),
    }
}

/// The first line of a script, marked when more follow.
fn first_line(text: &str) -> String {
    let mut lines = text.trim().lines();
    let first = lines.next().unwrap_or("");
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first.to_string()
    }
}
