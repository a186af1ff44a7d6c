//! `rehearse recording scaffold`: the skeleton of a workflow's reference
//! recording, to fill in by hand. Every step is listed under `steps:` with
//! a placeholder result; a step imported from a tutorial page (its
//! `source`) gets the page's sample output next to it, as a comment: what
//! the person writing the results copies from.

use std::fmt::Write;
use std::path::Path;

use crate::action::kubectl::Verb;
use crate::diagnostic::SourceFile;
use crate::format::ast::{Action, Source, Step, VarDef, VarSource, Workflow};
use crate::import::markdown;

use super::format::FORMAT_VERSION;

/// What a skeleton holds, for the message that says it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scaffold {
    pub yaml: String,
    /// Steps listed with a placeholder.
    pub steps: usize,
    /// Of those, the steps shown with their page's sample output.
    pub with_sample: usize,
}

/// The skeleton of `workflow`'s recording (its file is `file`: pages named
/// by sources are relative to its folder). `recorded_at` is the header's
/// time (RFC 3339).
pub fn scaffold(file: &SourceFile, workflow: &Workflow, recorded_at: &str) -> Scaffold {
    let dir = file.path.parent().unwrap_or(Path::new(""));
    let mut out = header(file, workflow, recorded_at);
    let mut scaffold = Scaffold {
        yaml: String::new(),
        steps: 0,
        with_sample: 0,
    };
    out.push_str("steps:\n");
    for step in workflow.steps.iter().chain(&workflow.finally) {
        if let Some(reason) = skipped_in_replay(step) {
            let _ = writeln!(out, "  # {}: {reason}, so it needs no results", step.id.value);
            continue;
        }
        scaffold.steps += 1;
        let sample = step.source.as_ref().and_then(|s| sample_output(dir, s));
        scaffold.with_sample += usize::from(sample.is_some());
        entry(&mut out, step, sample.as_deref());
    }
    scaffold.yaml = out;
    scaffold
}

/// The header: a reference recording whose `source` is left to fill in,
/// and the variables a replay plans with.
fn header(file: &SourceFile, workflow: &Workflow, recorded_at: &str) -> String {
    let name = file.path.file_name().map_or_else(
        || file.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut out = format!(
        "# The recording of {name}, to fill in by hand. Each step's placeholder\n\
         # stands for the result of one attempt: give one per attempt (a wait: one\n\
         # per poll; the last repeats). A result is `output: VALUE`, a process's\n\
         # `stdout`/`stderr`/`exit_code`, or `error: {{message, kind, output}}`\n\
         # (docs/recording.md, \"Step results\"). Say in `source` where they come from.\n"
    );
    let _ = writeln!(out, "format: {FORMAT_VERSION}");
    let _ = writeln!(out, "tool_version: {}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(out, "recorded_at: {}", scalar(recorded_at));
    out.push_str("capture: reference\n");
    let source = match &workflow.meta.source {
        Some(page) => format!("TODO: what these results were written from ({})", page.value),
        None => "TODO: what these results were written from (a tutorial page, its sample output)".into(),
    };
    let _ = writeln!(out, "source: {}", scalar(&source));
    let vars: Vec<String> = workflow.vars.iter().filter_map(variable).collect();
    if !vars.is_empty() {
        out.push_str("variables:\n");
        for line in vars {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// A variable read from the environment, as the header records it: its
/// default, or a placeholder; a secret one as recordings store it. A
/// literal is the workflow's own, and is not recorded.
fn variable(var: &VarDef) -> Option<String> {
    let VarSource::Env { default, secret, .. } = &var.source else {
        return None;
    };
    let name = scalar(&var.name.value);
    Some(match (secret, default) {
        (true, _) => format!("{name}: REDACTED"),
        (false, Some(value)) => format!("{name}: {}", scalar(&value.value)),
        (false, None) => format!("{name}: TODO  # no default: the value the results were written with"),
    })
}

/// Why a replay never runs `step`, if it does not.
fn skipped_in_replay(step: &Step) -> Option<&'static str> {
    if step.skip.is_some() {
        Some("skipped")
    } else if step.live_only.is_some() {
        Some("live only")
    } else {
        None
    }
}

/// One step: its key with its command, the page's sample output, and a
/// placeholder result of the form its kind gives.
fn entry(out: &mut String, step: &Step, sample: Option<&[String]>) {
    let written = step.action.value.written();
    let mut about = written.lines().next().unwrap_or("").to_string();
    if step.wait.is_some() {
        about.push_str(" (a wait: one result per poll)");
    }
    let _ = writeln!(out, "  {}:  # {about}", scalar(&step.id.value));
    if let Some(lines) = sample {
        out.push_str("  # The page shows:\n");
        for line in lines {
            let _ = writeln!(out, "  #   {line}");
        }
    }
    out.push_str(placeholder(step));
    out.push('\n');
}

fn placeholder(step: &Step) -> &'static str {
    let must_fail = step.must_fail.as_ref().is_some_and(|m| m.value);
    let process = match &step.action.value {
        Action::Run(_) => true,
        Action::Kubectl(k) => matches!(k.command.verb, Verb::Exec(_)),
        // kubectl through the CLI mostly prints text (`describe`); aws
        // prints JSON (`--output json`), which is the step's output.
        Action::Cli(c) => c.fallback.tool == crate::action::cli::Tool::Kubectl,
        Action::Aws(_) | Action::Http(_) => false,
    };
    match (must_fail, process) {
        (true, _) => "  - error: {message: TODO}",
        (false, true) => "  - stdout: TODO",
        (false, false) => "  - output: {}",
    }
}

/// The sample output the page of `source` shows after its command: the
/// command found by its fingerprint (nearest its line, as text may have
/// moved it) or at its line. None when the page cannot be read, or shows
/// no output.
fn sample_output(dir: &Path, source: &Source) -> Option<Vec<String>> {
    let page = markdown::read(&dir.join(&source.page.value)).ok()?;
    let line = source.line.value as usize;
    let command = page
        .commands()
        .filter(|c| c.fingerprint() == source.fingerprint.value)
        .min_by_key(|c| c.line.abs_diff(line))
        .or_else(|| page.commands().find(|c| c.line == line))?;
    (!command.output.is_empty()).then(|| command.output.clone())
}

/// A YAML scalar holding `text` as a string, quoted when it would read as
/// something else.
fn scalar(text: &str) -> String {
    serde_yaml_ng::to_string(text).map_or_else(|_| format!("{text:?}"), |s| s.trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_they_would_read_as_something_else() {
        assert_eq!(scalar("carts-pods"), "carts-pods");
        assert_eq!(scalar("123"), "'123'");
        assert_eq!(scalar("true"), "'true'");
        assert_eq!(scalar("a: b"), "'a: b'");
    }
}
