//! The HTML report: one self-contained page that pictures a run, for
//! seeing where a lab's time goes.
//!
//! Per workflow: its mode, recording, file and totals; a timeline with one
//! bar per step (finally steps marked), placed by where the step started
//! and sized by its duration, each attempt a segment within its bar (the
//! polls of a wait and the retries, the gaps between them the waits); the
//! failures, worded as the summary words them (the expected and actual
//! values and the diff the checks wrote); then each step: its command, its
//! checks, its captures, the last attempt's output and, on demand, every
//! attempt's.
//!
//! The page is rendered here, so it reads without JavaScript; its small
//! script only opens the step a timeline bar links to and adds buttons to
//! open or close every step. It fetches nothing: the style and the script
//! are inline and a Content-Security-Policy ([`CSP`]) forbids any other
//! source. Every text is escaped, and the JSON report it carries (in
//! `<script type="application/json" id="rehearse-report">`) has `<`, `>`
//! and `&` written as `\u003c`, `\u003e` and `\u0026`, so no output can
//! close its tag.
//!
//! Steps run one after another, so a step starts where the one before it
//! ended; an attempt's offset is from its step's start.

use std::fmt::Write as _;
use std::io;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use super::summary::{self, human_duration};
use super::{RunReport, json, step_name, truncate};
use crate::engine::outcome::{Attempt, CheckOutcome, CheckRole, Status, StepOutcome, WorkflowOutcome};
use crate::ground::port::Mode;

/// What the page may load: nothing but its own inline style and script.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

/// The most bytes of one output shown in the page (the JSON report it
/// carries has all of it).
pub const MAX_OUTPUT: usize = 64 * 1024;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");

/// Writes the page atomically.
pub fn write(path: &Path, run: &RunReport) -> io::Result<()> {
    crate::ground::atomic_file::write_atomic(path, to_string(run).as_bytes())
}

/// The page.
pub fn to_string(run: &RunReport) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        esc(CSP),
        esc(&page_title(run)),
    );
    header(&mut out, run);
    for (index, workflow) in run.workflows.iter().enumerate() {
        section(&mut out, index, workflow);
    }
    let _ = write!(
        out,
        "<script type=\"application/json\" id=\"rehearse-report\">{}</script>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        script_json(&json::to_string(run)),
    );
    out
}

fn page_title(run: &RunReport) -> String {
    match run.workflows {
        [only] => format!("{} {}: rehearse", only.name, status_word(only.status)),
        _ => format!("{}: rehearse", summary::totals(run)),
    }
}

/// The run: its totals (the summary's last line), when it started, its
/// exit code; with several workflows, a list of them.
fn header(out: &mut String, run: &RunReport) {
    let status = if run.exit_code == 0 {
        Status::Passed
    } else {
        Status::Failed
    };
    let _ = write!(
        out,
        "<header class=\"run {status}\">\n<h1>{mark} rehearse report</h1>\n\
         <p class=\"totals\">{totals}</p>\n<dl class=\"facts\">\
         <dt>Started</dt><dd>{started}</dd><dt>Exit code</dt><dd>{code}</dd>\
         <dt>rehearse</dt><dd>{version}</dd></dl>\n",
        status = status_word(status),
        mark = mark(status),
        totals = esc(&summary::totals(run)),
        started = esc(run.started_at),
        code = run.exit_code,
        version = env!("CARGO_PKG_VERSION"),
    );
    if run.workflows.len() > 1 {
        out.push_str("<nav class=\"toc\"><ol>\n");
        for (index, w) in run.workflows.iter().enumerate() {
            let _ = writeln!(
                out,
                "<li class=\"{status}\"><a href=\"#w{index}\">{mark} {name}</a> \
                 <span class=\"muted\">{counts} · {duration}</span></li>",
                status = status_word(w.status),
                mark = mark(w.status),
                name = esc(&w.name),
                counts = esc(&summary::step_counts(w)),
                duration = human_duration(w.duration),
            );
        }
        out.push_str("</ol></nav>\n");
    }
    out.push_str("</header>\n");
}

fn section(out: &mut String, index: usize, w: &WorkflowOutcome) {
    let status = status_word(w.status);
    let _ = write!(
        out,
        "<section class=\"workflow {status}\" id=\"w{index}\">\n<h2>{mark} {heading}</h2>\n",
        mark = mark(w.status),
        heading = match &w.title {
            Some(title) => format!("{} <code class=\"name\">{}</code>", esc(title), esc(&w.name)),
            None => format!("<code class=\"name\">{}</code>", esc(&w.name)),
        },
    );
    facts(out, w);
    let spans = Spans::of(w);
    timeline(out, index, w, &spans);
    failures(out, index, w);
    out.push_str(
        "<div class=\"steps-head\"><h3>Steps</h3>\
         <button type=\"button\" data-toggle=\"open\" hidden>Open all</button>\
         <button type=\"button\" data-toggle=\"close\" hidden>Close all</button></div>\n",
    );
    for (at, step) in w.all_steps().enumerate() {
        step_details(out, &anchor(index, at), step);
    }
    out.push_str("</section>\n");
}

/// The workflow's file, mode, recording, start, duration and counts.
fn facts(out: &mut String, w: &WorkflowOutcome) {
    let mode = match w.mode {
        Mode::Replay => "replay (the times are the recording's)",
        Mode::Record => "record (live, every exchange written to the recording)",
        Mode::Live => "live",
    };
    let finally = if w.finally.is_empty() {
        String::new()
    } else {
        format!(" ({} finally)", w.finally.len())
    };
    let _ = write!(
        out,
        "<dl class=\"facts\"><dt>File</dt><dd><code>{file}</code></dd><dt>Mode</dt><dd>{mode}</dd>",
        file = esc(&w.file.display().to_string()),
    );
    if let Some(recording) = &w.recording {
        let _ = write!(out, "<dt>Recording</dt><dd>{}</dd>", esc(recording));
    }
    let _ = writeln!(
        out,
        "<dt>Started</dt><dd>{started}</dd><dt>Duration</dt><dd>{duration}</dd>\
         <dt>Steps</dt><dd>{counts}{finally}</dd>\
         <dt>Between attempts</dt><dd>{waiting} (waits and retry delays)</dd></dl>",
        started = esc(&w.started_at),
        duration = human_duration(w.duration),
        counts = esc(&summary::step_counts(w)),
        waiting = human_duration(w.all_steps().map(between_attempts).sum()),
    );
}

/// A step's time not spent in its attempts: the waits between polls, the
/// delays between retries.
fn between_attempts(step: &StepOutcome) -> Duration {
    let busy: Duration = step.attempts.iter().map(|a| a.duration).sum();
    step.duration.saturating_sub(busy)
}

/// Where each step starts on the timeline, and the timeline's length.
struct Spans {
    starts: Vec<Duration>,
    total: Duration,
}

impl Spans {
    fn of(w: &WorkflowOutcome) -> Spans {
        let mut starts = Vec::new();
        let mut at = Duration::ZERO;
        for step in w.all_steps() {
            starts.push(at);
            at += step.duration;
        }
        Spans {
            starts,
            total: at.max(w.duration),
        }
    }
}

/// `part` as a percentage of `whole`, at most three decimals, in 0..=100.
fn pct(part: Duration, whole: Duration) -> String {
    if whole.is_zero() {
        return "0%".to_string();
    }
    let value = (part.as_secs_f64() / whole.as_secs_f64() * 100.0).clamp(0.0, 100.0);
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}%")
}

/// The interval between the timeline's grid lines: the smallest round one
/// that draws at most eight.
fn tick(total: Duration) -> Duration {
    const ROUND_MS: [u64; 23] = [
        1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000,
        300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000,
    ];
    let total = total.as_millis();
    let ms = ROUND_MS
        .into_iter()
        .find(|&t| total.div_ceil(u128::from(t)) <= 8)
        .unwrap_or_else(|| (total / 8 / 3_600_000 + 1) as u64 * 3_600_000);
    Duration::from_millis(ms)
}

fn timeline(out: &mut String, index: usize, w: &WorkflowOutcome, spans: &Spans) {
    out.push_str("<h3>Timeline</h3>\n");
    if w.all_steps().next().is_none() {
        out.push_str("<p class=\"muted\">No step ran.</p>\n");
        return;
    }
    let tick = tick(spans.total);
    let _ = write!(
        out,
        "<div class=\"timeline\" style=\"--tick:{}\">\n<div class=\"axis\"><span></span><span class=\"track\">",
        pct(tick, spans.total),
    );
    ticks(out, tick, spans.total);
    out.push_str("</span><span></span></div>\n");
    for (at, step) in w.all_steps().enumerate() {
        if step.finally && at == w.steps.len() {
            out.push_str("<div class=\"divider\"><span>finally</span></div>\n");
        }
        timeline_row(out, &anchor(index, at), step, spans.starts[at], spans.total);
    }
    out.push_str(
        "</div>\n<p class=\"legend\"><span class=\"swatch ok\"></span>attempt \
         <span class=\"swatch pending\"></span>poll, not there yet \
         <span class=\"swatch bad\"></span>failed attempt \
         <span class=\"swatch gap\"></span>waiting between attempts</p>\n",
    );
}

fn timeline_row(out: &mut String, anchor: &str, step: &StepOutcome, start: Duration, total: Duration) {
    let status = status_word(step.status);
    let finally = if step.finally { " finally" } else { "" };
    let mut label = step_name(step);
    if let Some(title) = &step.title {
        let _ = write!(label, ": {title}");
    }
    if step.status != Status::Skipped {
        let _ = write!(label, " ({}", human_duration(step.duration));
        match attempts_phrase(step) {
            phrase if phrase.is_empty() => label.push(')'),
            phrase => {
                let _ = write!(label, ", {phrase})");
            }
        }
    }
    let _ = write!(
        out,
        "<a class=\"row {status}{finally}\" href=\"#{anchor}\" title=\"{title}\">\
         <span class=\"label\">{mark} {id}</span><span class=\"track\">",
        title = esc(&label),
        mark = mark(step.status),
        id = esc(&step.id),
    );
    if step.status == Status::Skipped {
        // Near the end, the label reads leftwards so that it stays inside.
        let end = start.as_secs_f64() > total.as_secs_f64() * 0.85;
        let _ = write!(
            out,
            "<span class=\"skip{}\" style=\"left:{}\">skipped</span>",
            if end { " end" } else { "" },
            pct(start, total)
        );
    } else {
        bar(out, step, &pct(start, total), &pct(step.duration, total));
    }
    let _ = writeln!(
        out,
        "</span><span class=\"time\">{}</span></a>",
        if step.status == Status::Skipped {
            String::new()
        } else {
            human_duration(step.duration)
        }
    );
}

/// A step's bar, its attempts segments within it placed by their offset
/// and sized by their duration; the gaps between them are the waits.
fn bar(out: &mut String, step: &StepOutcome, left: &str, width: &str) {
    let _ = write!(
        out,
        "<span class=\"bar {}\" style=\"left:{left};width:{width}\">",
        status_word(step.status)
    );
    for (i, attempt) in step.attempts.iter().enumerate() {
        let last = i + 1 == step.attempts.len();
        let (left, width) = if step.duration.is_zero() {
            ("0%".to_string(), "100%".to_string())
        } else {
            (
                pct(attempt.offset, step.duration),
                pct(attempt.duration, step.duration),
            )
        };
        let _ = write!(
            out,
            "<span class=\"seg {class}\" style=\"left:{left};width:{width}\" title=\"{title}\"></span>",
            class = attempt_class(step, attempt, last),
            title = esc(&attempt_line(step, attempt)),
        );
    }
    out.push_str("</span>");
}

/// A step of several attempts on its own scale, so that short polls and
/// the waits between them can be told apart.
fn step_scale(out: &mut String, step: &StepOutcome) {
    let tick = tick(step.duration);
    let _ = write!(
        out,
        "<div class=\"zoom\" style=\"--tick:{}\"><span class=\"track\">",
        pct(tick, step.duration)
    );
    bar(out, step, "0%", "100%");
    out.push_str("</span><span class=\"track axis\">");
    ticks(out, tick, step.duration);
    out.push_str("</span></div>\n");
}

/// The labels of the grid lines, every `tick` from zero to `total`.
fn ticks(out: &mut String, tick: Duration, total: Duration) {
    let mut at = Duration::ZERO;
    while at <= total && !total.is_zero() {
        let label = if at.is_zero() {
            "0".to_string()
        } else {
            human_duration(at).replace(".0s", "s")
        };
        let _ = write!(
            out,
            "<span class=\"tick\" style=\"left:{}\">{label}</span>",
            pct(at, total)
        );
        at += tick;
    }
}

/// `poll` for an attempt of a wait, `attempt` otherwise.
fn attempt_word(attempt: &Attempt) -> &'static str {
    if attempt.checks.iter().any(|c| c.role == CheckRole::Until) {
        "poll"
    } else {
        "attempt"
    }
}

/// `3 polls`, `2 attempts`; empty for one attempt or none.
fn attempts_phrase(step: &StepOutcome) -> String {
    match step.attempts.as_slice() {
        [] | [_] => String::new(),
        [.., last] => format!("{} {}s", step.attempts.len(), attempt_word(last)),
    }
}

/// `poll 2 at +1.0s, 25ms: error: …`
fn attempt_line(step: &StepOutcome, attempt: &Attempt) -> String {
    let mut line = format!(
        "{} {} of {}, at +{}, {}",
        attempt_word(attempt),
        attempt.number,
        step_name(step),
        human_duration(attempt.offset),
        human_duration(attempt.duration),
    );
    if let Some(error) = &attempt.error {
        let _ = write!(line, ": {}", error.message);
    }
    line
}

/// Whether a check went the way the step needs: an `expect` or `until`
/// that holds, a `fail-if` that does not.
fn check_ok(check: &CheckOutcome) -> bool {
    match check.role {
        CheckRole::FailIf => !check.passed,
        CheckRole::Expect | CheckRole::Until => check.passed,
    }
}

/// `pending`: a poll whose condition did not hold yet; `bad`: an error or
/// a check that went wrong (but not the last attempt of a step that
/// passed, which expected it); `ok` otherwise.
fn attempt_class(step: &StepOutcome, attempt: &Attempt, last: bool) -> &'static str {
    let until_unmet = attempt
        .checks
        .iter()
        .any(|c| c.role == CheckRole::Until && !c.passed);
    if until_unmet {
        "pending"
    } else if last && step.status == Status::Passed {
        "ok"
    } else if attempt.error.is_some() || !attempt.checks.iter().all(check_ok) {
        "bad"
    } else {
        "ok"
    }
}

/// The failures, as the summary words them, each linking to its step.
fn failures(out: &mut String, index: usize, w: &WorkflowOutcome) {
    let notes = summary::failure_notes(w);
    if notes.is_empty() {
        return;
    }
    out.push_str("<h3>Failures</h3>\n");
    let anchors: Vec<(String, String)> = w
        .all_steps()
        .enumerate()
        .map(|(at, s)| (step_name(s), anchor(index, at)))
        .collect();
    for note in notes {
        let link = note.step.as_ref().and_then(|name| {
            anchors
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, a)| format!("<a href=\"#{a}\">step <code>{}</code></a>: ", esc(name)))
        });
        out.push_str("<div class=\"failure\">");
        let _ = write!(
            out,
            "<p class=\"message\">{}{}</p>",
            link.unwrap_or_default(),
            esc(note.message)
        );
        if let Some(details) = note.details {
            details_block(out, details);
        }
        out.push_str("</div>\n");
    }
}

/// A failure's details, its lines marked: the expected and actual values,
/// and the diff under its `--- expected` header.
fn details_block(out: &mut String, details: &str) {
    out.push_str("<pre class=\"details\">");
    let mut in_diff = false;
    for line in details.lines() {
        let text = line.trim_start();
        in_diff |= text.starts_with("--- expected");
        let class = if text.starts_with("expected:") {
            "expected"
        } else if text.starts_with("actual:") {
            "actual"
        } else if in_diff && (text.starts_with("--- ") || text.starts_with("+++ ")) {
            "diff-head"
        } else if in_diff && text.starts_with("@@") {
            "hunk"
        } else if in_diff && text.starts_with('-') {
            "del"
        } else if in_diff && text.starts_with('+') {
            "add"
        } else {
            ""
        };
        if class.is_empty() {
            let _ = writeln!(out, "{}", esc(line));
        } else {
            let _ = writeln!(out, "<span class=\"{class}\">{}</span>", esc(line));
        }
    }
    out.push_str("</pre>");
}

fn step_details(out: &mut String, anchor: &str, step: &StepOutcome) {
    let status = status_word(step.status);
    let open = if step.status == Status::Failed {
        " open"
    } else {
        ""
    };
    let finally = if step.finally {
        "<span class=\"pill\">finally</span> "
    } else {
        ""
    };
    let time = if step.status == Status::Skipped {
        String::new()
    } else {
        human_duration(step.duration)
    };
    let _ = write!(
        out,
        "<details class=\"step {status}\" id=\"{anchor}\"{open}><summary>\
         {mark} {finally}<code class=\"id\">{id}</code> \
         <span class=\"kind\">{kind}</span> <span class=\"title\">{title}</span>\
         <span class=\"time\">{phrase}{time}</span></summary>\n<div class=\"body\">\n",
        mark = mark(step.status),
        id = esc(&step.id),
        kind = esc(&step.kind),
        title = esc(step.title.as_deref().unwrap_or_default()),
        phrase = match attempts_phrase(step) {
            phrase if phrase.is_empty() => phrase,
            phrase => format!("{phrase} · "),
        },
    );
    if let Some(command) = &step.command {
        let _ = writeln!(out, "<pre class=\"command\"><code>{}</code></pre>", esc(command));
    }
    if let Some(why) = &step.cli {
        let _ = writeln!(out, "<p class=\"cli\">Runs through the CLI: {}</p>", esc(why));
    }
    if let Some(reason) = &step.skip_reason {
        let _ = writeln!(out, "<p class=\"skip-reason\">Skipped: {}</p>", esc(reason));
    }
    if let Some(failure) = &step.failure {
        let _ = write!(
            out,
            "<div class=\"failure\"><p class=\"message\">{}</p>",
            esc(&failure.message)
        );
        if let Some(details) = &failure.details {
            details_block(out, details);
        }
        out.push_str("</div>\n");
    }
    if step.attempts.len() > 1 {
        step_scale(out, step);
    }
    if let Some(last) = step.attempts.last() {
        checks_table(out, &last.checks);
    }
    if !step.captures.is_empty() {
        out.push_str("<table class=\"captures\"><tr><th>captured</th><th>value</th></tr>");
        for (name, value) in &step.captures {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
                esc(name),
                esc(value)
            );
        }
        out.push_str("</table>\n");
    }
    match step.attempts.as_slice() {
        [] => {}
        [only] => {
            out.push_str("<details class=\"output\" open><summary>Output</summary>");
            output_block(out, only);
            out.push_str("</details>\n");
        }
        [.., last] => {
            let _ = write!(
                out,
                "<details class=\"output\" open><summary>Output of {} {} (the last)</summary>",
                attempt_word(last),
                last.number
            );
            output_block(out, last);
            let _ = write!(
                out,
                "</details>\n<details class=\"attempts\"><summary>Every {} ({})</summary>\n",
                attempt_word(last),
                step.attempts.len()
            );
            for (i, attempt) in step.attempts.iter().enumerate() {
                let class = attempt_class(step, attempt, i + 1 == step.attempts.len());
                let _ = write!(
                    out,
                    "<details class=\"attempt {class}\"><summary>{}</summary>",
                    esc(&attempt_line(step, attempt))
                );
                checks_table(out, &attempt.checks);
                output_block(out, attempt);
                out.push_str("</details>\n");
            }
            out.push_str("</details>\n");
        }
    }
    out.push_str("</div></details>\n");
}

/// The checks of an attempt: which list, the query, the predicate (the
/// expected value), the actual value and whether it went the step's way.
fn checks_table(out: &mut String, checks: &[CheckOutcome]) {
    if checks.is_empty() {
        return;
    }
    out.push_str(
        "<table class=\"checks\"><tr><th></th><th>query</th><th>predicate</th><th>actual</th><th></th></tr>",
    );
    for check in checks {
        let role = match check.role {
            CheckRole::Expect => "expect",
            CheckRole::Until => "until",
            CheckRole::FailIf => "fail-if",
        };
        let actual = match &check.actual {
            Some(value) => format!("<code>{}</code>", esc(&clip(&compact(value), 300))),
            None => format!(
                "<span class=\"muted\">{}</span>",
                esc(check.message.as_deref().unwrap_or(""))
            ),
        };
        let (class, verdict) = match (check_ok(check), check.passed) {
            (true, true) => ("ok", "holds"),
            (true, false) => ("ok", "does not hold"),
            (false, true) => ("bad", "holds"),
            (false, false) => ("bad", "does not hold"),
        };
        let _ = write!(
            out,
            "<tr class=\"{class}\"><td class=\"role\">{role}</td><td><code>{query}</code>{lang}</td>\
             <td><code>{predicate}</code></td><td>{actual}</td><td class=\"verdict\">{verdict}</td></tr>",
            query = esc(&check.query),
            lang = match check.lang {
                crate::query::Lang::Jq => " <span class=\"muted\">jq</span>",
                crate::query::Lang::Stdout => " <span class=\"muted\">stdout</span>",
                crate::query::Lang::JmesPath => "",
            },
            predicate = esc(&check.predicate),
        );
    }
    out.push_str("</table>\n");
}

/// An attempt's error and output: text fields of several lines (stdout,
/// stderr, a body) as text, the rest as JSON.
fn output_block(out: &mut String, attempt: &Attempt) {
    if let Some(error) = &attempt.error {
        let _ = write!(out, "<p class=\"error\">error: {}</p>", esc(&error.message));
    }
    let Some(output) = &attempt.output else {
        out.push_str("<p class=\"muted\">no output</p>");
        return;
    };
    let mut rest = output.clone();
    if let Value::Object(map) = &mut rest {
        let texts: Vec<String> = map
            .iter()
            .filter(|(_, v)| v.as_str().is_some_and(|s| s.contains('\n')))
            .map(|(k, _)| k.clone())
            .collect();
        for key in texts {
            if let Some(Value::String(text)) = map.shift_remove(&key) {
                let _ = write!(
                    out,
                    "<div class=\"field\">{}</div><pre class=\"text\">{}</pre>",
                    esc(&key),
                    esc(&truncate(&text, MAX_OUTPUT))
                );
            }
        }
        if map.is_empty() {
            return;
        }
    }
    let pretty = serde_json::to_string_pretty(&rest).unwrap_or_default();
    let _ = write!(
        out,
        "<pre class=\"json\">{}</pre>",
        esc(&truncate(&pretty, MAX_OUTPUT))
    );
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// At most `max` characters, an ellipsis marking the cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The id of a step's element: its workflow's and its own position.
fn anchor(workflow: usize, step: usize) -> String {
    format!("w{workflow}-s{step}")
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Passed => "passed",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
    }
}

/// The summary's mark of a status, coloured by its class.
fn mark(status: Status) -> String {
    let sign = match status {
        Status::Passed => "✔",
        Status::Failed => "✘",
        Status::Skipped => "○",
    };
    format!("<span class=\"mark {}\">{sign}</span>", status_word(status))
}

/// Text for HTML content and quoted attributes. Control characters other
/// than tabs and line breaks are dropped, ANSI escape sequences whole.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\x1b' if chars.peek() == Some(&'[') => {
                chars.next();
                // Parameters and intermediates, then one final byte.
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            '\t' | '\n' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside `<script>`: `<`, `>` and `&` only occur in
/// its strings, where `\u003c`, `\u003e` and `\u0026` mean the same.
fn script_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_short_and_bounded() {
        let ms = Duration::from_millis;
        assert_eq!(pct(ms(1), ms(8)), "12.5%");
        assert_eq!(pct(ms(1), ms(3)), "33.333%");
        assert_eq!(pct(ms(0), ms(3)), "0%");
        assert_eq!(pct(ms(3), ms(3)), "100%");
        assert_eq!(pct(ms(5), ms(3)), "100%");
        assert_eq!(pct(ms(5), ms(0)), "0%");
    }

    #[test]
    fn ticks_are_round_and_few() {
        let ms = Duration::from_millis;
        assert_eq!(tick(ms(0)), ms(1));
        assert_eq!(tick(ms(59_007)), ms(10_000));
        assert_eq!(tick(ms(850)), ms(200));
        assert_eq!(tick(ms(125_400)), ms(30_000));
        assert_eq!(tick(ms(100 * 3_600_000)), ms(13 * 3_600_000));
    }

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            esc("<script>alert('x') && \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp;&amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(esc("\x1b[31mred\x1b[0m\x00\x07 ok\tend\n"), "red ok\tend\n");
    }

    #[test]
    fn script_json_cannot_close_its_tag_and_parses_back() {
        let value = serde_json::json!({"out": "</script><!-- a & b > c"});
        let text = script_json(&value.to_string());
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }
}
