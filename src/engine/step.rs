//! One step: its condition, its action (with retries, or polled by a
//! wait), its checks and its captures, all within one deadline.
//!
//! One timeout model: the step's `timeout` is the only deadline. Every
//! attempt, poll interval and retry delay is cut short by it; nothing else
//! times out.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::ground::port::{ActionError, ActionResult, ErrorKind, Mode};

use crate::action::arg::{Context, Filler};
use crate::action::{Action, HttpRequest, Request};
use crate::engine::backoff::Backoff;
use crate::engine::capture;
use crate::engine::check::run_check;
use crate::engine::event::Event;
use crate::engine::outcome::{
    Attempt, AttemptError, CheckOutcome, CheckRole, Failure, FailureKind, Status, StepOutcome,
};
use crate::engine::plan::Plan;
use crate::engine::run::Runner;
use crate::engine::vars::Vars;
use crate::format::ast::{Action as StepAction, Check, HttpCall, Step, Wait};
use crate::query::Input;

/// The retry delay when `retry` sets none.
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_secs(1);

pub struct StepContext<'a> {
    pub plan: &'a Plan,
    pub runner: &'a Runner<'a>,
    pub index: usize,
    pub total: usize,
    pub finally: bool,
    pub cancel: &'a CancellationToken,
}

/// A step that does not run, and why.
pub fn skipped(step: &Step, finally: bool, reason: String) -> StepOutcome {
    let mut out = blank(step, finally);
    out.status = Status::Skipped;
    out.skip_reason = Some(reason);
    out
}

pub async fn run(ctx: &StepContext<'_>, step: &Step, vars: &mut Vars) -> StepOutcome {
    let clock = &ctx.runner.clock;
    let start = clock.now();
    let mut out = match prepare(ctx, step, vars) {
        Ok(Prepared::Run(request)) => {
            let workflow = ctx.plan.workflow.meta.name.value.as_str();
            ctx.runner.events.emit(&Event::StepStarted {
                workflow,
                index: ctx.index,
                total: ctx.total,
                id: &step.id.value,
                title: step.title.as_ref().map(|t| t.value.as_str()),
                kind: step.action.value.kind(),
                finally: ctx.finally,
            });
            let mut out = blank(step, ctx.finally);
            out.command = Some(request.action.command().to_string());
            let deadline = start + ctx.plan.timeout(step);
            match attempts(ctx, step, vars, *request, start, deadline, &mut out.attempts).await {
                Ok(captures) => {
                    for (name, value) in &captures {
                        if step.capture.iter().any(|c| c.secret && c.name.value == *name) {
                            ctx.plan.secrets.add(value.clone());
                        }
                        vars.set(name, value);
                    }
                    out.captures = captures;
                }
                Err(failure) => {
                    out.status = Status::Failed;
                    out.failure = Some(failure);
                }
            }
            out
        }
        Ok(Prepared::Skip(reason)) => skipped(step, ctx.finally, reason),
        Err(failure) => {
            let mut out = blank(step, ctx.finally);
            out.status = Status::Failed;
            out.failure = Some(failure);
            out
        }
    };
    out.duration = clock.now() - start;
    // The one place a step's outcome is made: from here it reaches the
    // terminal, the reports and the snapshots, none of which may show a
    // secret.
    ctx.plan.secrets.value(&mut out);
    out
}

fn blank(step: &Step, finally: bool) -> StepOutcome {
    StepOutcome {
        id: step.id.value.clone(),
        title: step.title.as_ref().map(|t| t.value.clone()),
        kind: step.action.value.kind().to_string(),
        cli: match &step.action.value {
            StepAction::Cli(c) => Some(c.fallback.why()),
            _ => None,
        },
        command: None,
        finally,
        status: Status::Passed,
        skip_reason: None,
        failure: None,
        duration: Duration::ZERO,
        attempts: Vec::new(),
        captures: Vec::new(),
    }
}

enum Prepared {
    Run(Box<Request>),
    Skip(String),
}

/// Decides whether the step runs, and substitutes its variables.
fn prepare(ctx: &StepContext<'_>, step: &Step, vars: &Vars) -> Result<Prepared, Failure> {
    if let Some(reason) = &step.skip {
        return Ok(Prepared::Skip(reason.value.clone()));
    }
    if let Some(reason) = &step.live_only
        && ctx.runner.backend.mode() == Mode::Replay
    {
        return Ok(Prepared::Skip(format!("live only: {}", reason.value)));
    }
    if let Some(when) = &step.when {
        let value = when
            .value
            .eval(&vars.to_json())
            .map_err(|e| runtime(format!("condition `{}` failed: {e}", when.value.source())))?;
        if !is_truthy(&value) {
            return Ok(Prepared::Skip(format!(
                "condition `{}` is false",
                when.value.source()
            )));
        }
    }
    let dir = ctx.plan.step_dir(step);
    let action = fill(&step.action.value, vars, &dir).map_err(runtime)?;
    let mut env: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    for (name, value) in &step.env {
        env.push((name.value.clone(), vars.fill(value).map_err(runtime)?));
    }
    Ok(Prepared::Run(Box::new(Request {
        step_id: step.id.value.clone(),
        action,
        env,
        dir,
        shell: ctx.plan.shell(),
        max_output: ctx.plan.max_output(step),
        stdin: match &step.stdin {
            Some(t) => Some(vars.fill(t).map_err(runtime)?),
            None => None,
        },
        // Set per attempt.
        deadline: ctx.runner.clock.now(),
    })))
}

/// The step's action with every value filled in, read as the command's
/// parser said each value is read. Relative files resolve against `dir`.
fn fill(action: &StepAction, vars: &Vars, dir: &Path) -> Result<Action, String> {
    let value = |name: &str| vars.value(name);
    let filler = Filler {
        value: &value,
        context: Context { dir },
    };
    Ok(match action {
        StepAction::Run(script) => Action::Run {
            script: script.clone(),
        },
        StepAction::Aws(a) => {
            let request = a.call.fill(&filler).map_err(|e| e.to_string())?;
            // The table form reads as the same call with its input as
            // `--cli-input-json`, as the AWS CLI takes it.
            let mut line = a.line.display(&value);
            if let Some(input) = &a.input {
                let input = input.template.fill(&value)?;
                line = format!(
                    "{line} --cli-input-json {}",
                    shell_words::quote(&input.to_string())
                );
            }
            Action::Aws { line, request }
        }
        StepAction::Kubectl(k) => Action::Kubectl {
            line: k.line.display(&value),
            command: k.command.fill(&filler).map_err(|e| e.to_string())?,
        },
        StepAction::Http(call) => Action::Http(http_request(call, vars)?),
        StepAction::Cli(c) => Action::Cli {
            line: c.line.display(&value),
            command: c.fallback.fill(&filler).map_err(|e| e.to_string())?,
        },
    })
}

fn http_request(call: &HttpCall, vars: &Vars) -> Result<HttpRequest, String> {
    let url = vars.fill(&call.url)?;
    let headers = call
        .headers
        .iter()
        .map(|(name, value)| Ok((name.value.clone(), vars.fill(value)?)))
        .collect::<Result<_, String>>()?;
    let body = call.body.as_ref().map(|b| vars.fill(b)).transpose()?;
    Ok(HttpRequest {
        line: format!("{} {url}", call.method.value),
        method: call.method.value.clone(),
        url,
        headers,
        body,
        follow_redirects: call.follow_redirects,
    })
}

/// JMESPath truthiness: false, null, "", [] and {} are false.
pub fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

/// What one attempt means for the step.
enum Verdict {
    /// The step is over: its captures, or why it failed.
    Done(Result<Vec<(String, String)>, Failure>),
    /// A wait's condition does not hold yet; `observed` says what it saw.
    Poll { observed: String },
    /// The action failed; try again if attempts are left.
    Retry { error: ActionError },
}

/// Runs attempts until the step is decided, all within `deadline`.
async fn attempts(
    ctx: &StepContext<'_>,
    step: &Step,
    vars: &Vars,
    mut request: Request,
    start: Instant,
    deadline: Instant,
    record: &mut Vec<Attempt>,
) -> Result<Vec<(String, String)>, Failure> {
    let runner = ctx.runner;
    let clock = &runner.clock;
    let workflow = ctx.plan.workflow.meta.name.value.as_str();
    let timeout = ctx.plan.timeout(step);
    let mut backoff = step
        .wait
        .as_ref()
        .map(|w| Backoff::for_wait(w, &ctx.plan.workflow.defaults));
    let max_attempts = step.retry.as_ref().map_or(1, |r| r.attempts.value.max(1));
    let retry_delay = step
        .retry
        .as_ref()
        .and_then(|r| r.delay.as_ref())
        .map_or(DEFAULT_RETRY_DELAY, |d| d.value);
    let mut failed_attempts = 0;
    let mut last_observed: Option<String> = None;
    let waiter = step.wait.as_ref().and_then(|w| w.waiter);

    loop {
        let number = record.len() as u32 + 1;
        let attempt_start = clock.now();
        request.deadline = deadline;
        let result = tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => None,
            r = clock.timeout_at(deadline, runner.backend.execute(request.clone())) => Some(r),
        };
        let mut attempt = Attempt {
            number,
            offset: attempt_start - start,
            duration: clock.now() - attempt_start,
            output: None,
            stdout: None,
            error: None,
            checks: Vec::new(),
        };
        let result = match result {
            None => {
                record.push(attempt);
                return Err(interrupted());
            }
            Some(Err(_elapsed)) => Err(ActionError {
                kind: ErrorKind::Timeout,
                message: format!("did not finish within the step's timeout of {}", human(timeout)),
                output: None,
            }),
            Some(Ok(r)) => r,
        };
        let timed_out = matches!(&result, Err(e) if e.kind == ErrorKind::Timeout);
        let verdict = judge(step, vars, result, backoff.is_some(), &mut attempt);
        record.push(attempt);

        let verdict = match verdict {
            // A timed-out action that was not expected to fail ends the step.
            Verdict::Retry { .. } | Verdict::Poll { .. } if timed_out => {
                return Err(timeout_failure(timeout, last_observed.as_deref(), record, waiter));
            }
            v => v,
        };
        let delay = match verdict {
            Verdict::Done(result) => return result,
            Verdict::Poll { observed } => {
                let delay = backoff.as_mut().map_or(DEFAULT_RETRY_DELAY, Backoff::next_delay);
                runner.events.emit(&Event::Polled {
                    workflow,
                    id: &step.id.value,
                    attempt: number,
                    observed: &ctx.plan.secrets.text(&observed),
                    next_in: delay,
                });
                last_observed = Some(observed);
                delay
            }
            Verdict::Retry { error } => {
                failed_attempts += 1;
                if failed_attempts >= max_attempts {
                    return Err(action_failure(&error, failed_attempts));
                }
                runner.events.emit(&Event::Retrying {
                    workflow,
                    id: &step.id.value,
                    attempt: number,
                    error: &ctx.plan.secrets.text(&error.message),
                    delay: retry_delay,
                });
                retry_delay
            }
        };
        if clock.now() >= deadline {
            return Err(timeout_failure(timeout, last_observed.as_deref(), record, waiter));
        }
        let wake = (clock.now() + delay).min(deadline);
        tokio::select! {
            biased;
            _ = ctx.cancel.cancelled() => return Err(interrupted()),
            _ = clock.sleep_until(wake) => {}
        }
    }
}

/// Judges one attempt's result, recording its output and checks.
fn judge(step: &Step, vars: &Vars, result: ActionResult, waiting: bool, attempt: &mut Attempt) -> Verdict {
    let must_fail = step.must_fail.as_ref().is_some_and(|m| m.value);
    let (output, stdout, error) = match result {
        Ok(output) => (output.json, output.stdout, None),
        Err(error) => {
            // A failed process still printed something.
            let stdout = error
                .output
                .as_ref()
                .and_then(|o| o.get("stdout"))
                .and_then(Value::as_str);
            (error.as_output(), stdout.map(str::to_string), Some(error))
        }
    };
    attempt.output = Some(output.clone());
    if stdout.as_deref() != output.get("stdout").and_then(Value::as_str) {
        attempt.stdout = stdout.clone();
    }
    // Every check and capture of this attempt reads the same output.
    let input = Input::printed(&output, stdout.as_deref());
    if let Some(e) = &error {
        attempt.error = Some(AttemptError {
            kind: e.kind,
            message: e.message.clone(),
        });
    }
    match error {
        Some(e) if e.kind == ErrorKind::Runtime => return Verdict::Retry { error: e },
        None if must_fail => {
            return Verdict::Done(Err(Failure {
                kind: FailureKind::Check,
                message: "the action succeeded, but the step must fail".into(),
                details: None,
            }));
        }
        Some(_) if must_fail => return finish(step, vars, &input, attempt),
        _ => {}
    }
    if let Some(wait) = step.wait.as_ref().filter(|_| waiting) {
        // The checks of a wait see failures too, so that a wait can wait for
        // a resource to be gone (`error.code` of a describe call).
        let stop = checks(&wait.fail_if, CheckRole::FailIf, &input, vars, attempt);
        if let Some(at) = stop.iter().position(|c| c.passed) {
            return Verdict::Done(Err(Failure {
                kind: FailureKind::Check,
                message: stopped(wait, &stop, at, &output),
                // The output says why: a status and its health issues.
                details: Some(format!("output: {}", excerpt(&output, 600))),
            }));
        }
        let until = checks(&wait.until, CheckRole::Until, &input, vars, attempt);
        if until.iter().any(|c| !c.passed) {
            // A failing action while waiting is a condition that does not
            // hold yet (the resource may not exist yet).
            let observed = match &error {
                Some(e) if e.kind == ErrorKind::Failed => format!("error: {}", e.message),
                _ => observed(&until),
            };
            return Verdict::Poll { observed };
        }
        return finish(step, vars, &input, attempt);
    }
    match error {
        Some(error) => Verdict::Retry { error },
        None => finish(step, vars, &input, attempt),
    }
}

/// Why a `fail-if` stopped a wait: the check and the value that tripped
/// it, or for a waiter, the AWS CLI's words.
fn stopped(wait: &Wait, stop: &[CheckOutcome], at: usize, output: &Value) -> String {
    let hit = &stop[at];
    let seen = hit.actual.as_ref().map_or_else(|| "nothing".to_string(), compact);
    let Some(waiter) = wait.waiter else {
        return format!(
            "the wait stopped: fail-if {} {} holds (it is {seen})",
            describe_query(hit),
            hit.predicate
        );
    };
    // A lowered waiter's last fail-if is an error no acceptor expects. The
    // CLI words it with the service's code and message alone (the failure
    // message adds "when calling the … operation").
    if at + 1 == stop.len() {
        let text = |key: &str| {
            output
                .pointer(&format!("/error/{key}"))
                .and_then(Value::as_str)
                .unwrap_or("Unknown")
                .to_string()
        };
        let message = text("message");
        let message = message
            .split_once(" operation: ")
            .map_or(message.as_str(), |(_, m)| m);
        return format!(
            "Waiter {waiter} failed: An error occurred ({}): {message}",
            text("code")
        );
    }
    format!(
        "Waiter {waiter} failed: Waiter encountered a terminal failure state: For expression \"{}\" we matched expected path: {seen}",
        hit.query
    )
}

/// Runs the `expect` checks on the deciding output, then the captures.
fn finish(step: &Step, vars: &Vars, output: &Input<'_>, attempt: &mut Attempt) -> Verdict {
    let results = checks(&step.expect, CheckRole::Expect, output, vars, attempt);
    let failed: Vec<&CheckOutcome> = results.iter().filter(|c| !c.passed).collect();
    if let Some(first) = failed.first() {
        let message = if failed.len() == 1 {
            format!("check failed: {} {}", describe_query(first), first.predicate)
        } else {
            format!(
                "{} of {} checks failed, first: {} {}",
                failed.len(),
                results.len(),
                describe_query(first),
                first.predicate
            )
        };
        return Verdict::Done(Err(Failure {
            kind: FailureKind::Check,
            message,
            details: Some(check_details(&failed)),
        }));
    }
    let mut captured = Vec::new();
    for c in &step.capture {
        match capture::capture(c, output) {
            Ok(pair) => captured.push(pair),
            Err(message) => {
                return Verdict::Done(Err(Failure {
                    kind: FailureKind::Check,
                    message,
                    details: None,
                }));
            }
        }
    }
    Verdict::Done(Ok(captured))
}

fn checks(
    list: &[Check],
    role: CheckRole,
    output: &Input<'_>,
    vars: &Vars,
    attempt: &mut Attempt,
) -> Vec<CheckOutcome> {
    let results: Vec<CheckOutcome> = list.iter().map(|c| run_check(c, role, output, vars)).collect();
    attempt.checks.extend(results.iter().cloned());
    results
}

fn describe_query(c: &CheckOutcome) -> String {
    format!("{} `{}`", crate::query::Lang::key(c.lang), c.query)
}

/// `addon.status = "CREATING"` for each unmet check: what a wait last saw.
fn observed(checks: &[CheckOutcome]) -> String {
    checks
        .iter()
        .filter(|c| !c.passed)
        .map(|c| match &c.actual {
            Some(v) => format!("{} = {}", c.query, compact(v)),
            None => format!("{}: {}", c.query, c.message.as_deref().unwrap_or("no value")),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The messages of failed checks; with several, each under its check.
fn check_details(failed: &[&CheckOutcome]) -> String {
    if let [only] = failed {
        return only.message.clone().unwrap_or_default();
    }
    failed
        .iter()
        .map(|c| {
            let body = c.message.as_deref().unwrap_or("");
            format!("{} {}:\n{}", describe_query(c), c.predicate, indent(body, "  "))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The failure of a wait or action cut by the deadline: what it last saw,
/// per condition, so the reader knows how far it got.
fn timeout_failure(
    timeout: Duration,
    observed: Option<&str>,
    record: &[Attempt],
    waiter: Option<&str>,
) -> Failure {
    let polls = record.len();
    let mut message = match observed {
        Some(seen) => format!(
            "timed out after {} ({polls} attempts); last observed: {seen}",
            human(timeout)
        ),
        None => format!("timed out after {}", human(timeout)),
    };
    if let Some(waiter) = waiter {
        message = format!("Waiter {waiter} failed: Max attempts exceeded: {message}");
    }
    let details = record.last().and_then(|last| {
        let lines: Vec<String> = last
            .checks
            .iter()
            .filter(|c| c.role == CheckRole::Until)
            .map(|c| {
                let seen = c.actual.as_ref().map_or_else(|| "nothing".to_string(), compact);
                let mark = if c.passed { "holds" } else { "does not hold" };
                format!(
                    "until {} {}: {mark}, last saw {seen}",
                    describe_query(c),
                    c.predicate
                )
            })
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    });
    Failure {
        kind: FailureKind::Timeout,
        message,
        details,
    }
}

fn action_failure(error: &ActionError, attempts: u32) -> Failure {
    let kind = match error.kind {
        ErrorKind::Runtime => FailureKind::Runtime,
        ErrorKind::Timeout => FailureKind::Timeout,
        ErrorKind::Failed => FailureKind::Check,
    };
    let message = if attempts > 1 {
        format!("{} (after {attempts} attempts)", error.message)
    } else {
        error.message.clone()
    };
    let details = error
        .output
        .as_ref()
        .and_then(|o| o.get("stderr"))
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(|s| format!("stderr:\n{}", indent(tail(s, 20).trim_end(), "  ")));
    Failure {
        kind,
        message,
        details,
    }
}

fn interrupted() -> Failure {
    Failure {
        kind: FailureKind::Interrupted,
        message: "interrupted (Ctrl-C, SIGTERM or SIGHUP)".into(),
        details: None,
    }
}

fn runtime(message: String) -> Failure {
    Failure {
        kind: FailureKind::Runtime,
        message,
        details: None,
    }
}

/// A value on one line, cut to a readable length.
fn compact(value: &Value) -> String {
    excerpt(value, 120)
}

/// A value on one line, cut to at most `max` characters.
fn excerpt(value: &Value, max: usize) -> String {
    let s = value.to_string();
    if s.chars().count() > max {
        let cut: String = s.chars().take(max.saturating_sub(3)).collect();
        format!("{cut}...")
    } else {
        s
    }
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The last `n` lines of a text.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

pub fn human(d: Duration) -> String {
    humantime::format_duration(Duration::from_millis(d.as_millis() as u64)).to_string()
}
