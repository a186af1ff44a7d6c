//! Live progress of a run. On a terminal: a spinner line per running step
//! with its elapsed time, the attempt of its wait and what it last saw. Off
//! a terminal: the same facts as plain lines, one per event.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::engine::event::{Event, EventSink};
use crate::engine::outcome::{Status, StepOutcome};
use crate::report::summary::human_duration;

use super::terminal;

pub struct Progress {
    color: bool,
    /// Several workflows run at once: every line names its workflow.
    prefixed: bool,
    live: Option<Live>,
}

struct Live {
    bars: MultiProgress,
    running: Mutex<HashMap<(String, String), ProgressBar>>,
}

impl Progress {
    /// `live` draws spinners (stdout is a terminal); otherwise plain lines.
    /// `prefixed` names the workflow on every line (several run at once).
    pub fn new(live: bool, color: bool, prefixed: bool) -> Progress {
        let live = live.then(|| Live {
            bars: MultiProgress::with_draw_target(ProgressDrawTarget::stdout()),
            running: Mutex::new(HashMap::new()),
        });
        Progress {
            color,
            prefixed,
            live,
        }
    }

    /// `[workflow] ` when several workflows run at once.
    fn prefix(&self, workflow: &str) -> String {
        if self.prefixed {
            format!("[{workflow}] ")
        } else {
            String::new()
        }
    }

    /// A line of its own: above the spinners on a terminal, so that it
    /// never tears them.
    pub fn line(&self, text: String) {
        match &self.live {
            Some(live) => {
                let _ = live.bars.println(text);
            }
            None => terminal::out_line(&text),
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn bar(&self, workflow: &str, id: &str) -> Option<ProgressBar> {
        let live = self.live.as_ref()?;
        let running = live.running.lock().unwrap_or_else(|e| e.into_inner());
        running.get(&(workflow.to_string(), id.to_string())).cloned()
    }

    fn finished(&self, workflow: &str, step: &StepOutcome) {
        if let Some(live) = &self.live {
            let mut running = live.running.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(bar) = running.remove(&(workflow.to_string(), step.id.clone())) {
                bar.finish_and_clear();
            }
        }
        self.line(self.step_line(workflow, step));
    }

    fn step_line(&self, workflow: &str, step: &StepOutcome) -> String {
        let phase = if step.finally { "finally " } else { "" };
        let phase = format!("{}{phase}", self.prefix(workflow));
        match step.status {
            Status::Passed => {
                let attempts = match step.attempts.len() {
                    0 | 1 => String::new(),
                    n => format!(", {n} attempts"),
                };
                format!(
                    "  {} {phase}{}  {}{attempts}",
                    self.paint("32", "✔"),
                    step.id,
                    self.paint("2", &human_duration(step.duration))
                )
            }
            Status::Skipped => format!(
                "  {} {phase}{}  {}",
                self.paint("33", "○"),
                step.id,
                self.paint(
                    "2",
                    &format!("skipped: {}", step.skip_reason.as_deref().unwrap_or(""))
                )
            ),
            Status::Failed => {
                let mut text = format!(
                    "  {} {phase}{}  {}",
                    self.paint("31", "✘"),
                    step.id,
                    self.paint("2", &human_duration(step.duration))
                );
                if let Some(f) = &step.failure {
                    text.push_str(&format!("\n      {}", self.paint("31", &f.message)));
                    if let Some(details) = &f.details {
                        for l in details.lines() {
                            text.push_str(&format!("\n      {l}"));
                        }
                    }
                }
                text
            }
        }
    }
}

impl EventSink for Progress {
    fn emit(&self, event: &Event<'_>) {
        match event {
            Event::WorkflowStarted {
                workflow,
                file,
                steps,
            } => {
                self.line(format!(
                    "{} {} ({}): {steps} steps",
                    self.paint("1", "▶"),
                    self.paint("1", workflow),
                    file.display()
                ));
            }
            Event::StepStarted {
                workflow,
                index,
                total,
                id,
                title,
                kind,
                finally,
            } => {
                let phase = format!(
                    "{}{}",
                    self.prefix(workflow),
                    if *finally { "finally " } else { "" }
                );
                let title = title.map(|t| format!(" · {t}")).unwrap_or_default();
                let text = format!("[{index}/{total}] {phase}{id} · {kind}{title}");
                match &self.live {
                    Some(live) => {
                        let bar = live.bars.add(ProgressBar::new_spinner());
                        bar.set_style(
                            ProgressStyle::with_template("  {spinner} {wide_msg} {elapsed:.dim}")
                                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                        );
                        bar.set_message(text);
                        bar.enable_steady_tick(Duration::from_millis(100));
                        let mut running = live.running.lock().unwrap_or_else(|e| e.into_inner());
                        running.insert((workflow.to_string(), id.to_string()), bar);
                    }
                    None => self.line(format!("  {}", self.paint("2", &format!("… {text}")))),
                }
            }
            Event::Polled {
                workflow,
                id,
                attempt,
                observed,
                next_in,
            } => {
                let text = format!(
                    "waiting, attempt {attempt}: {observed} (next in {})",
                    human_duration(*next_in)
                );
                match self.bar(workflow, id) {
                    Some(bar) => {
                        let base = bar.message();
                        let base = base.split(" ⏳ ").next().unwrap_or_default().to_string();
                        bar.set_message(format!("{base} ⏳ {text}"));
                    }
                    None => self.line(format!(
                        "    {}{} {}",
                        self.prefix(workflow),
                        self.paint("2", "⏳"),
                        text
                    )),
                }
            }
            Event::Retrying {
                workflow,
                id,
                attempt,
                error,
                delay,
            } => {
                let text = format!(
                    "attempt {attempt} failed: {error} (retry in {})",
                    human_duration(*delay)
                );
                match self.bar(workflow, id) {
                    Some(bar) => bar.set_message(format!("{id} ↻ {text}")),
                    None => self.line(format!(
                        "    {}{} {}",
                        self.prefix(workflow),
                        self.paint("33", "↻"),
                        text
                    )),
                }
            }
            Event::StepFinished { workflow, outcome } => self.finished(workflow, outcome),
            Event::Interrupted { workflow } => self.line(format!(
                "{} {workflow}: interrupted, running the finally steps (Ctrl-C again to abort them)",
                self.paint("33", "!")
            )),
            Event::WorkflowFinished { .. } => {}
        }
    }
}
