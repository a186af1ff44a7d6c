//! One invocation of `rehearse run`, modelled on cargo-nextest's runner:
//! the session owns which workflows run and how (shards, preparation, the
//! account guard, `--jobs`, `--fail-fast`, Ctrl-C), what is left of them
//! (recordings, reports), and tells the outside everything through
//! [`event::Event`]s. The CLI turns arguments into [`Options`] and renders
//! the events; it prints nothing else during a run.
//!
//! - [`options`]: what the invocation asks for;
//! - [`shard`]: `--shard K/N`, a balanced share of the workflows;
//! - [`prepare`]: plans, variables and recordings for the run's mode;
//! - [`traffic`]: the mode's recorder or player, wired into the backend;
//! - [`guard`]: the AWS account guard;
//! - [`schedule`]: `--jobs` and `--fail-fast`;
//! - [`workflow`]: one workflow's run, its notes and its recording;
//! - [`signals`]: what Ctrl-C, SIGTERM and SIGHUP do;
//! - [`save`]: recordings and reports on disk;
//! - [`parallel`]: CPU-bound work over the cores, results in order.

pub mod event;
pub mod guard;
pub mod options;
pub mod parallel;
pub mod prepare;
pub mod save;
pub mod schedule;
pub mod shard;
pub mod signals;
pub mod traffic;
pub mod workflow;

use std::sync::Arc;
use std::time::{Instant, SystemTime};

use crate::diagnostic::SourceFile;
use crate::format::ast::Workflow;
use crate::report::{RunReport, exit};

pub use event::{Event, EventSink, NoEvents};
pub use options::Options;
use prepare::Prepared;
use schedule::Scheduled;
use signals::Signals;

/// Runs loaded workflows as `options` say and returns the exit code.
pub async fn run(
    options: &Options,
    workflows: Vec<(SourceFile, Workflow)>,
    events: Arc<dyn EventSink>,
) -> i32 {
    let workflows = take_shard(options, workflows, &*events);
    let prepared = match ready(options, workflows, &*events).await {
        Ok(prepared) => prepared,
        Err(code) => return code,
    };
    let total = prepared.len();
    let timing = Timing::now();
    let scheduled = execute(options, prepared, events.clone()).await;
    finish(options, scheduled, total, timing, &*events)
}

fn take_shard(
    options: &Options,
    workflows: Vec<(SourceFile, Workflow)>,
    events: &dyn EventSink,
) -> Vec<(SourceFile, Workflow)> {
    let Some(shard) = options.shard else {
        return workflows;
    };
    let total = workflows.len();
    let mine = shard::take(workflows, shard);
    events.emit(&Event::Sharded {
        shard,
        selected: mine.len(),
        total,
    });
    mine
}

/// The workflows, ready to run: every one planned, and the account guard
/// passed. Else nothing runs: the exit code, once the events said why.
async fn ready(
    options: &Options,
    workflows: Vec<(SourceFile, Workflow)>,
    events: &dyn EventSink,
) -> Result<Vec<Prepared>, i32> {
    let prepared = prepare::prepare_all(workflows, options).map_err(|errors| {
        for error in &errors {
            events.emit(&Event::NotPrepared(error));
        }
        exit::INVALID_INPUT
    })?;
    guard::check_accounts(&prepared).await.map_err(|message| {
        events.emit(&Event::WrongAccount { message: &message });
        exit::RUNTIME_ERROR
    })?;
    Ok(prepared)
}

/// Runs the workflows, listening for signals while they run.
async fn execute(options: &Options, prepared: Vec<Prepared>, events: Arc<dyn EventSink>) -> Scheduled {
    let signals = Signals::new();
    let _listening = signals.listen();
    let jobs = options.jobs.clamp(1, prepared.len().max(1));
    events.emit(&Event::Started {
        workflows: prepared.len(),
        jobs,
    });
    schedule::run_all(prepared, jobs, options.fail_fast, &signals, events).await
}

/// When the run started, for its report.
struct Timing {
    started_at: String,
    start: Instant,
}

impl Timing {
    fn now() -> Timing {
        Timing {
            started_at: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
            start: Instant::now(),
        }
    }
}

/// The exit code, the summary and the reports of a run that has ended.
fn finish(
    options: &Options,
    scheduled: Scheduled,
    total: usize,
    timing: Timing,
    events: &dyn EventSink,
) -> i32 {
    let Scheduled { ran, crashed, signal } = scheduled;
    let not_run = total - ran.len() - crashed;
    let (outcomes, notes): (Vec<_>, Vec<_>) = ran.into_iter().map(|r| (r.outcome, r.note)).unzip();
    let notes: Vec<String> = notes.into_iter().flatten().collect();
    let mut code = exit::for_outcomes(&outcomes);
    if crashed > 0 {
        code = exit::RUNTIME_ERROR;
    }
    if let Some(number) = signal {
        code = exit::for_signal(number);
    }
    let run = RunReport {
        workflows: &outcomes,
        started_at: &timing.started_at,
        duration: timing.start.elapsed(),
        exit_code: code,
    };
    events.emit(&Event::Finished {
        run: &run,
        not_run,
        notes: &notes,
    });
    if let Err(message) = save::reports(options, &run) {
        events.emit(&Event::ReportNotWritten { message: &message });
        if code == exit::SUCCESS {
            code = exit::RUNTIME_ERROR;
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Mutex;

    use super::*;
    use crate::engine::event::Event as StepEvent;
    use crate::ground::port::Mode;

    /// Keeps what each event was, in order.
    #[derive(Default)]
    struct Seen(Mutex<Vec<String>>);

    impl EventSink for Seen {
        fn emit(&self, event: &Event<'_>) {
            let what = match event {
                Event::Started { workflows, jobs } => format!("started {workflows} by {jobs}"),
                Event::Replaying { .. } => "replaying".into(),
                Event::Engine(StepEvent::WorkflowStarted { workflow, .. }) => format!("workflow {workflow}"),
                Event::Engine(_) => return,
                Event::UnusedExchanges { count, steps, .. } => format!("unused {count} of {}", steps[0]),
                Event::Finished { run, not_run, .. } => {
                    format!("finished {} ran, {not_run} not run", run.workflows.len())
                }
                other => format!("{other:?}"),
            };
            self.0.lock().unwrap().push(what);
        }
    }

    async fn run_session(options: &Options, paths: &[&Path]) -> (i32, Vec<String>) {
        let loaded = paths.iter().map(|p| crate::validate::load(p).unwrap()).collect();
        let seen = Arc::new(Seen::default());
        let code = run(options, loaded, seen.clone()).await;
        let seen = seen.0.lock().unwrap().clone();
        (code, seen)
    }

    fn shell_workflow(dir: &Path, name: &str, script: &str) -> std::path::PathBuf {
        let path = dir.join(format!("{name}.toml"));
        let text = format!("[workflow]\nname = \"{name}\"\n\n[[steps]]\nid = \"step\"\nrun = \"{script}\"\n");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[tokio::test]
    async fn fail_fast_keeps_the_next_workflows_from_starting_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let failing = shell_workflow(dir.path(), "a", "exit 1");
        let next = shell_workflow(dir.path(), "b", "true");
        let mut options = Options::new(Mode::Live);
        options.fail_fast = true;
        let (code, seen) = run_session(&options, &[&failing, &next]).await;
        assert_eq!(code, exit::CHECK_FAILED);
        assert_eq!(
            seen,
            ["started 2 by 1", "workflow a", "finished 1 ran, 1 not run"]
        );
    }

    #[tokio::test]
    async fn a_replay_says_what_it_replays_and_what_it_left_unused() {
        let lab = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eks-reference/eks-addons.toml");
        let mut options = Options::new(Mode::Replay);
        options.only = vec!["create-addon".into()];
        let (code, seen) = run_session(&options, &[&lab]).await;
        assert_eq!(code, exit::SUCCESS, "{seen:?}");
        assert_eq!(seen.len(), 5, "{seen:?}");
        assert_eq!(seen[..3], ["started 1 by 1", "replaying", "workflow eks-addons"]);
        assert!(
            seen[3].starts_with("unused ") && seen[3].ends_with(" of addon-active"),
            "{seen:?}"
        );
        assert_eq!(seen[4], "finished 1 ran, 0 not run");
    }

    /// A process transport with a bug: it panics.
    struct Panics;

    impl crate::transport::ProcessTransport for Panics {
        fn run<'a>(
            &'a self,
            _step: &'a str,
            _key: &'a str,
            _live: crate::ground::port::BoxFuture<'a, crate::ground::port::ActionResult>,
        ) -> crate::ground::port::BoxFuture<'a, crate::ground::port::ActionResult> {
            panic!("a bug in a transport")
        }
    }

    /// A panic is a bug in rehearse: never a pass, never swallowed. The
    /// workflow it hit is reported as crashed and the run exits 3, while
    /// the other workflows run to their end.
    #[tokio::test]
    async fn a_panic_in_a_workflow_is_reported_as_a_bug_with_exit_3() {
        let dir = tempfile::tempdir().unwrap();
        let paths = [
            shell_workflow(dir.path(), "a", "true"),
            shell_workflow(dir.path(), "b", "true"),
        ];
        let options = Options::new(Mode::Live);
        let loaded = paths.iter().map(|p| crate::validate::load(p).unwrap()).collect();
        let mut prepared = prepare::prepare_all(loaded, &options).unwrap();
        let first = prepared.remove(0).with_processes(Arc::new(Panics));
        prepared.insert(0, first);
        let seen = Arc::new(Seen::default());
        let scheduled = schedule::run_all(prepared, 2, false, &Signals::new(), seen.clone()).await;
        let code = finish(&options, scheduled, 2, Timing::now(), &*seen);
        assert_eq!(code, exit::RUNTIME_ERROR);
        let seen = seen.0.lock().unwrap().clone();
        assert!(
            seen.iter()
                .any(|e| e.starts_with("Crashed") && e.contains("a bug in a transport")),
            "{seen:?}"
        );
        assert!(seen.contains(&"workflow b".to_string()), "{seen:?}");
        assert_eq!(seen.last().unwrap(), "finished 1 ran, 0 not run", "{seen:?}");
    }

    #[tokio::test]
    async fn a_workflow_that_cannot_be_prepared_runs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let workflow = shell_workflow(dir.path(), "a", "true");
        let (code, seen) = run_session(&Options::new(Mode::Replay), &[&workflow]).await;
        assert_eq!(code, exit::INVALID_INPUT);
        assert_eq!(seen.len(), 1);
        assert!(seen[0].starts_with("NotPrepared(Recording"), "{seen:?}");
    }
}
