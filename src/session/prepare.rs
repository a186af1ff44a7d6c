//! From loaded workflows to workflows ready to run: each planned for the
//! run's mode, with its recording or its recorder, its clock and its
//! backend. Everything that can fail here fails before the first step runs.

use std::path::{Path, PathBuf};

use crate::backend::dispatch::Dispatcher;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::engine::event::EventSink;
use crate::engine::outcome::WorkflowOutcome;
use crate::engine::plan::{self, Plan};
use crate::engine::run::Runner;
use crate::format::ast::Workflow;
use crate::ground::clock::Clock;
use crate::ground::port::Mode;
use crate::recording::{self, Capture, Header, Player, Recording, RecordingError};
use crate::session::options::Options;
use crate::session::parallel;
use crate::session::signals::Signals;
use crate::session::traffic::{self, Traffic};

/// One workflow ready to run.
pub struct Prepared {
    pub plan: Plan,
    pub traffic: Traffic,
    clock: Clock,
    backend: Dispatcher,
    /// In a replay: the recording and how it was made, for the progress
    /// display and the reports.
    pub replaying: Option<String>,
    /// Where its recording is: saved there when recording, read from there
    /// when replaying.
    pub recording: PathBuf,
}

/// Why a workflow cannot run.
#[derive(Debug)]
pub enum PrepareError {
    /// Planning failed: a required variable is not set, `--only` names no
    /// step...
    Plan {
        file: SourceFile,
        diagnostics: Vec<Diagnostic>,
    },
    /// A replay's recording is missing or malformed.
    Recording {
        workflow: PathBuf,
        error: RecordingError,
    },
}

impl Prepared {
    /// A planned workflow with the backend and clock of `traffic`, its
    /// recording next to it.
    pub fn new(plan: Plan, traffic: Traffic) -> Prepared {
        let recording = recording::path_for(&plan.file.path);
        Prepared::with_recording(plan, traffic, recording)
    }

    /// A planned workflow with the backend and clock of `traffic`, its
    /// recording at `recording`.
    pub fn with_recording(plan: Plan, traffic: Traffic, recording: PathBuf) -> Prepared {
        let clock = traffic.clock();
        let backend = traffic.dispatcher(&clock, &plan);
        let replaying = match &traffic {
            Traffic::Replay(player) => Some(provenance(&recording, &player.header())),
            _ => None,
        };
        Prepared {
            plan,
            traffic,
            clock,
            backend,
            replaying,
            recording,
        }
    }

    pub fn backend(&self) -> &Dispatcher {
        &self.backend
    }

    /// The same workflow whose processes go through `processes`: how a test
    /// puts a fault where no input is known to cause one.
    #[cfg(test)]
    pub(crate) fn with_processes(
        mut self,
        processes: std::sync::Arc<dyn crate::transport::ProcessTransport>,
    ) -> Prepared {
        let mut transports = self.traffic.transports(&self.clock, &self.plan.secrets);
        transports.processes = processes;
        self.backend = Dispatcher::new(
            self.traffic.mode(),
            self.clock.clone(),
            transports,
            traffic::kube_settings(&self.plan.workflow),
        );
        self
    }

    /// Runs the workflow's steps, and only them: the session around it
    /// (notes, recordings) is `session::workflow`.
    pub async fn run(&self, events: &dyn EventSink, signals: &Signals) -> WorkflowOutcome {
        let runner = Runner {
            backend: &self.backend,
            clock: self.clock.clone(),
            events,
            interrupt: signals.interrupt.clone(),
            abort: signals.abort.clone(),
        };
        runner.run(&self.plan).await
    }
}

/// Prepares every workflow, on every core (loading recordings is most of
/// a replay's cost); the errors of all of them, in file order, when any
/// cannot run.
pub fn prepare_all(
    workflows: Vec<(SourceFile, Workflow)>,
    options: &Options,
) -> Result<Vec<Prepared>, Vec<PrepareError>> {
    let ready = parallel::map_in_order(workflows, parallel::cores(), |(file, workflow)| {
        prepare(file, workflow, options)
    });
    let (ok, errors): (Vec<_>, Vec<_>) = ready.into_iter().partition(Result::is_ok);
    if errors.is_empty() {
        Ok(ok.into_iter().flatten().collect())
    } else {
        Err(errors.into_iter().filter_map(Result::err).collect())
    }
}

/// Plans a workflow for the run's mode and gives it its traffic.
pub fn prepare(file: SourceFile, workflow: Workflow, options: &Options) -> Result<Prepared, PrepareError> {
    let path = options.recording_path(&file.path);
    let recording = match options.mode {
        Mode::Replay => Some(load_recording_from(&file.path, &workflow, &path)?),
        _ => None,
    };
    let plan = plan(file, workflow, options, recording.as_ref())?;
    if options.mode != Mode::Replay {
        traffic::add_environment_credentials(&plan.secrets);
    }
    let traffic = match (options.mode, recording) {
        (Mode::Replay, Some(recording)) => Traffic::Replay(Player::new(recording)),
        (Mode::Record, _) => Traffic::Record(traffic::recorder(&plan)),
        _ => Traffic::Live,
    };
    Ok(Prepared::with_recording(plan, traffic, path))
}

/// The recording next to the workflow at `path`, which a replay of it
/// answers from.
pub fn load_recording(path: &Path, workflow: &Workflow) -> Result<Recording, PrepareError> {
    load_recording_from(path, workflow, &recording::path_for(path))
}

/// The recording at `recording`, which a replay of the workflow at `path`
/// answers from; its step results name steps of `workflow`.
pub fn load_recording_from(
    path: &Path,
    workflow: &Workflow,
    recording: &Path,
) -> Result<Recording, PrepareError> {
    let steps: Vec<&str> = workflow
        .steps
        .iter()
        .chain(&workflow.finally)
        .map(|s| s.id.value.as_str())
        .collect();
    Recording::load_for(recording, &steps).map_err(|error| PrepareError::Recording {
        workflow: path.to_path_buf(),
        error,
    })
}

/// Plans a workflow. A replay takes the variables its recording was made
/// with (over the environment; `--var` still wins), so that its requests
/// are the recorded ones.
pub fn plan(
    file: SourceFile,
    workflow: Workflow,
    options: &Options,
    recording: Option<&Recording>,
) -> Result<Plan, PrepareError> {
    let mut plan_options = options.plan_options();
    if let Some(recording) = recording {
        let declared: Vec<&str> = workflow.vars.iter().map(|v| v.name.value.as_str()).collect();
        plan_options.vars = recording.header.replay_vars(&declared, &options.vars);
    }
    let env = |k: &str| std::env::var(k).ok();
    plan::plan(file.clone(), workflow, &plan_options, options.mode.name(), &env)
        .map_err(|diagnostics| PrepareError::Plan { file, diagnostics })
}

/// "replaying x.recording.yaml: a live capture of 2026-11-29T05:43:18Z", or
/// for a recording written by hand, what it was written from.
fn provenance(path: &Path, header: &Header) -> String {
    let what = match header.capture {
        Capture::Live => format!("a live capture of {}", header.recorded_at),
        Capture::HandWritten => "written by hand, not captured live".to_string(),
        Capture::Reference => "written from reference material, not captured live".to_string(),
    };
    match &header.source {
        Some(source) => format!("replaying {}: {what}; source: {source}", path.display()),
        None => format!("replaying {}: {what}", path.display()),
    }
}
