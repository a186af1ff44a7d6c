//! The planned workflow as a TOML file: a header that says where it comes
//! from, `[workflow]`, `[vars]`, `[defaults]`, then the steps with the
//! pages' banners and sections, notes and sample output as comments.

use std::fmt::Write;

use super::plan::{Action, Item, Step, Workflow};
use super::toml_text::{comment, key, string};

/// The workshop harness's timeout of a block, when the page sets none.
pub const HARNESS_TIMEOUT: &str = "2m";

pub fn write(w: &Workflow) -> String {
    let mut out = String::new();
    out.push_str(&comment(
        "# ",
        &format!(
            "Imported by `rehearse import` from {}: one step per command, in page order.\n\
             A starting point: add checks (`expect`), waits on conditions and captures.\n\
             `rehearse validate --sources` reports commands that changed on the pages since.",
            w.source
        ),
    ));
    out.push_str("\n[workflow]\n");
    let _ = writeln!(out, "name = {}", string(&w.name));
    if let Some(title) = &w.title {
        let _ = writeln!(out, "title = {}", string(title));
    }
    let _ = writeln!(out, "source = {}", string(&w.source));
    if let Some(description) = &w.description {
        let _ = writeln!(out, "description = {}", string(description));
    }
    if !w.vars.is_empty() {
        out.push_str("\n[vars]\n");
        out.push_str(
            "# Read from the environment, where the workshop's IDE and prepare-environment set them.\n",
        );
        for v in &w.vars {
            let _ = writeln!(out, "{} = {{ env = {} }}", key(v), string(v));
        }
    }
    out.push_str("\n[defaults]\n");
    let _ = writeln!(
        out,
        "timeout = {}  # the workshop's harness gives a block 120 s unless it says `timeout=N`",
        string(HARNESS_TIMEOUT)
    );
    items(&mut out, "steps", &w.steps);
    items(&mut out, "finally", &w.finally);
    out
}

fn items(out: &mut String, array: &str, items: &[Item]) {
    for item in items {
        match item {
            Item::Banner(text) => {
                out.push('\n');
                out.push_str(&comment("# ", text));
            }
            Item::Step(step) => {
                out.push('\n');
                self::step(out, array, step);
            }
        }
    }
}

fn step(out: &mut String, array: &str, s: &Step) {
    for note in &s.notes {
        out.push_str(&comment("# ", note));
    }
    let _ = writeln!(out, "[[{array}]]");
    let _ = writeln!(out, "id = {}", string(&s.id));
    if let Some(title) = &s.title {
        let _ = writeln!(out, "title = {}", string(title));
    }
    match &s.action {
        Action::Run(script) => {
            let _ = writeln!(out, "run = {}", string(script));
        }
        Action::Native(tool, line) => {
            let _ = writeln!(out, "{} = {}", tool.name(), string(line));
        }
    }
    if let Some(secs) = s.timeout {
        let _ = writeln!(out, "timeout = {}", string(&duration(secs)));
    }
    if s.must_fail {
        out.push_str("must-fail = true\n");
    }
    if let Some(skip) = &s.skip {
        let _ = writeln!(out, "skip = {}", string(skip));
    }
    if let Some(reason) = &s.live_only {
        let _ = writeln!(out, "live-only = {}", string(reason));
    }
    if !s.env.is_empty() {
        let _ = writeln!(out, "env = {}", inline(&s.env));
    }
    if !s.capture.is_empty() {
        let _ = writeln!(out, "capture = {}", inline(&s.capture));
    }
    if let Some(src) = &s.source {
        let _ = writeln!(
            out,
            "source = {{ page = {}, line = {}, fingerprint = {} }}",
            string(&src.page),
            src.line,
            string(&src.fingerprint)
        );
    }
    if !s.output.is_empty() {
        out.push_str("# The page shows this output:\n");
        out.push_str(&comment("#   ", &s.output.join("\n")));
    }
    for line in &s.after {
        out.push_str(&comment("# ", line));
    }
}

/// `{ A = "x", B = "y" }`.
fn inline(pairs: &[(String, String)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{} = {}", key(k), string(v)))
        .collect();
    format!("{{ {} }}", inner.join(", "))
}

/// Seconds as a duration string: `"5m"` when whole minutes, else `"90s"`.
fn duration(secs: u64) -> String {
    if secs.is_multiple_of(60) {
        format!("{}m", secs / 60)
    } else {
        format!("{secs}s")
    }
}
