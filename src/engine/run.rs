//! Runs a planned workflow: the main steps in order (the rest are skipped
//! after a failure or Ctrl-C), then every finally step.

use std::time::SystemTime;

use tokio_util::sync::CancellationToken;

use crate::action::Action;
use crate::engine::event::{Event, EventSink};
use crate::engine::outcome::{FailureKind, Status, StepOutcome, WorkflowOutcome};
use crate::engine::plan::Plan;
use crate::engine::step::{self, StepContext};
use crate::ground::clock::Clock;
use crate::ground::port::Backend;

/// What a run needs besides the plan.
pub struct Runner<'a> {
    pub backend: &'a dyn Backend<Action>,
    pub clock: Clock,
    pub events: &'a dyn EventSink,
    /// Cancelled by the first Ctrl-C: the running main step stops, the
    /// rest are skipped, and the finally steps run.
    pub interrupt: CancellationToken,
    /// Cancelled by a second Ctrl-C: the finally steps stop too.
    pub abort: CancellationToken,
}

impl Runner<'_> {
    pub async fn run(&self, plan: &Plan) -> WorkflowOutcome {
        let name = plan.workflow.meta.name.value.as_str();
        let started_at = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
        let start = self.clock.now();
        let total = plan.workflow.steps.len() + plan.workflow.finally.len();
        self.events.emit(&Event::WorkflowStarted {
            workflow: name,
            file: &plan.file.path,
            steps: total,
        });

        let mut vars = plan.vars.clone();
        let mut stop: Option<String> = None;
        let mut steps = Vec::new();
        for (i, step) in plan.workflow.steps.iter().enumerate() {
            let not_run = plan.unselected[i].clone().or_else(|| {
                if self.interrupt.is_cancelled() {
                    Some("interrupted".to_string())
                } else {
                    stop.clone()
                }
            });
            let ctx = StepContext {
                plan,
                runner: self,
                index: i + 1,
                total,
                finally: false,
                cancel: &self.interrupt,
            };
            let outcome = match not_run {
                Some(reason) => step::skipped(step, false, reason),
                None => step::run(&ctx, step, &mut vars).await,
            };
            if outcome.status == Status::Failed && stop.is_none() && !plan.keep_going {
                stop = Some(format!("step `{}` failed", outcome.id));
            }
            if is_interrupted(&outcome) {
                self.events.emit(&Event::Interrupted { workflow: name });
            }
            self.events.emit(&Event::StepFinished {
                workflow: name,
                outcome: &outcome,
            });
            steps.push(outcome);
        }

        let mut finally = Vec::new();
        for (i, step) in plan.workflow.finally.iter().enumerate() {
            let ctx = StepContext {
                plan,
                runner: self,
                index: plan.workflow.steps.len() + i + 1,
                total,
                finally: true,
                cancel: &self.abort,
            };
            let outcome = if self.abort.is_cancelled() {
                step::skipped(step, true, "aborted by a second signal".to_string())
            } else {
                step::run(&ctx, step, &mut vars).await
            };
            self.events.emit(&Event::StepFinished {
                workflow: name,
                outcome: &outcome,
            });
            finally.push(outcome);
        }

        let failed = steps.iter().chain(&finally).any(|s| s.status == Status::Failed);
        let outcome = WorkflowOutcome {
            name: name.to_string(),
            title: plan.workflow.meta.title.as_ref().map(|t| t.value.clone()),
            file: plan.file.path.clone(),
            mode: self.backend.mode(),
            recording: None,
            status: if failed { Status::Failed } else { Status::Passed },
            started_at,
            duration: self.clock.now() - start,
            steps,
            finally,
        };
        self.events.emit(&Event::WorkflowFinished { outcome: &outcome });
        outcome
    }
}

fn is_interrupted(outcome: &StepOutcome) -> bool {
    outcome
        .failure
        .as_ref()
        .is_some_and(|f| f.kind == FailureKind::Interrupted)
}
