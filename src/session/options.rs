//! What an invocation of `run` asks for, once the command line is read.

use std::path::{Path, PathBuf};

use crate::engine::plan::PlanOptions;
use crate::ground::port::Mode;
use crate::session::shard::Shard;

#[derive(Clone, Debug)]
pub struct Options {
    pub mode: Mode,
    /// `--only ID` (repeatable): run just these main steps.
    pub only: Vec<String>,
    /// `--from ID`: start at this main step.
    pub from: Option<String>,
    /// `--var NAME=VALUE`: over the environment, and over a recording's variables.
    pub vars: Vec<(String, String)>,
    /// `--fail-fast`: a failed workflow stops the ones not started yet.
    pub fail_fast: bool,
    /// `--keep-going`: a failed step does not skip the steps after it.
    pub keep_going: bool,
    /// `--jobs N`: how many workflows run at once (at least 1).
    pub jobs: usize,
    /// `--shard K/N`: run only this share of the workflows.
    pub shard: Option<Shard>,
    pub report_json: Option<PathBuf>,
    pub report_junit: Option<PathBuf>,
    pub report_html: Option<PathBuf>,
    /// `--recording FILE`: the recording to record to or replay from,
    /// instead of the one next to the workflow (one workflow only).
    pub recording: Option<PathBuf>,
}

impl Options {
    /// `mode`, every step, one workflow at a time, no shard, no reports.
    pub fn new(mode: Mode) -> Options {
        Options {
            mode,
            only: Vec::new(),
            from: None,
            vars: Vec::new(),
            fail_fast: false,
            keep_going: false,
            jobs: 1,
            shard: None,
            report_json: None,
            report_junit: None,
            report_html: None,
            recording: None,
        }
    }

    /// The recording of `workflow`: `--recording`'s, else the one next
    /// to it (`<stem>.recording.yaml`).
    pub fn recording_path(&self, workflow: &Path) -> PathBuf {
        self.recording
            .clone()
            .unwrap_or_else(|| crate::recording::path_for(workflow))
    }

    /// What planning a workflow takes from these options.
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            only: self.only.clone(),
            from: self.from.clone(),
            vars: self.vars.clone(),
            keep_going: self.keep_going,
        }
    }
}
