//! `--jobs` and `--fail-fast`: each workflow is a task of its own, so that
//! several use as many cores, and up to `jobs` run at once. They start in
//! file order and are reported in file order, whichever ends first.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use crate::engine::outcome::Status;
use crate::session::event::{Event, EventSink};
use crate::session::prepare::Prepared;
use crate::session::signals::Signals;
use crate::session::workflow::{self, Ran};

/// What the scheduled workflows left, in file order.
pub struct Scheduled {
    pub ran: Vec<Ran>,
    /// Workflows whose task panicked (reported as they are found).
    pub crashed: usize,
    /// The signal that interrupted the run, if one did.
    pub signal: Option<i32>,
}

pub async fn run_all(
    prepared: Vec<Prepared>,
    jobs: usize,
    fail_fast: bool,
    signals: &Signals,
    events: Arc<dyn EventSink>,
) -> Scheduled {
    let tasks = start_in_order(prepared, jobs, fail_fast, signals, &events).await;
    let mut scheduled = Scheduled {
        ran: Vec::new(),
        crashed: 0,
        signal: None,
    };
    for task in tasks {
        match task.await {
            Ok(ran) => scheduled.ran.push(ran),
            Err(e) => {
                events.emit(&Event::Crashed {
                    error: &e.to_string(),
                });
                scheduled.crashed += 1;
            }
        }
    }
    scheduled.signal = signals.received();
    scheduled
}

/// Starts the workflows as slots free up. Slots are taken here, one
/// workflow after the other, so that workflows start in file order (tasks
/// may first run in any order); a task gives its slot back when its
/// workflow has ended. Ctrl-C, and with `fail_fast` a failed workflow, keep
/// the ones not started from starting.
async fn start_in_order(
    prepared: Vec<Prepared>,
    jobs: usize,
    fail_fast: bool,
    signals: &Signals,
    events: &Arc<dyn EventSink>,
) -> Vec<JoinHandle<Ran>> {
    let slots = Arc::new(Semaphore::new(jobs));
    let failed = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for p in prepared {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        if signals.interrupted() || failed.load(Ordering::SeqCst) {
            break;
        }
        let (events, signals, failed) = (events.clone(), signals.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let ran = workflow::run(&p, &*events, &signals).await;
            if fail_fast && ran.outcome.status == Status::Failed {
                failed.store(true, Ordering::SeqCst);
            }
            drop(slot);
            ran
        }));
    }
    tasks
}
