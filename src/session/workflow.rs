//! One workflow's run within a session: what it replays, its steps, the
//! recorded exchanges it left unused, and its recording saved.

use crate::engine::outcome::WorkflowOutcome;
use crate::session::event::{Event, EventSink, FromEngine};
use crate::session::prepare::Prepared;
use crate::session::save;
use crate::session::signals::Signals;
use crate::session::traffic::Traffic;

/// What is left of a workflow's run.
pub struct Ran {
    pub outcome: WorkflowOutcome,
    /// What became of its recording (record mode), for the run's notes.
    pub note: Option<String>,
}

pub async fn run(p: &Prepared, events: &dyn EventSink, signals: &Signals) -> Ran {
    if let Some(about) = &p.replaying {
        events.emit(&Event::Replaying { about });
    }
    let mut outcome = p.run(&FromEngine(events), signals).await;
    outcome.recording = p.replaying.clone();
    report_unused(p, events);
    let note = match &p.traffic {
        Traffic::Record(recorder) => {
            let saved = save::recording(recorder, &p.recording, signals.interrupted());
            outcome.recording = Some(saved.clone());
            Some(saved)
        }
        _ => None,
    };
    Ran { outcome, note }
}

/// A replay that left recorded exchanges unused took another path than
/// the recorded run: the recording may be out of date.
fn report_unused(p: &Prepared, events: &dyn EventSink) {
    let unused = p.traffic.unused_exchanges();
    if unused.is_empty() {
        return;
    }
    let mut steps = unused.clone();
    steps.dedup();
    events.emit(&Event::UnusedExchanges {
        file: &p.plan.file.path,
        count: unused.len(),
        steps: &steps,
    });
}
