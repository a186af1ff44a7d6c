//! What a session tells the outside while it runs. The CLI renders these
//! and prints nothing else during a run, so a note can never tear the
//! progress display: it is drawn by the same hand.

use std::path::Path;

use crate::engine::event as engine;
use crate::report::RunReport;
use crate::session::prepare::PrepareError;
use crate::session::shard::Shard;

#[derive(Debug)]
pub enum Event<'a> {
    /// `--shard`: the share of the workflows this run takes.
    Sharded {
        shard: Shard,
        selected: usize,
        total: usize,
    },
    /// A workflow cannot run (a missing variable, a replay without its
    /// recording). Every such workflow is reported, in file order, and then
    /// nothing runs.
    NotPrepared(&'a PrepareError),
    /// The account guard refused a workflow: nothing runs.
    WrongAccount { message: &'a str },
    /// The workflows start, up to `jobs` at once.
    Started { workflows: usize, jobs: usize },
    /// A workflow is about to replay a recording: where it came from.
    Replaying { about: &'a str },
    /// What the engine reports while a workflow runs (steps, polls, retries).
    Engine(&'a engine::Event<'a>),
    /// After a replay: `count` recorded exchanges that no request asked
    /// for, and their steps in recorded order.
    UnusedExchanges {
        file: &'a Path,
        count: usize,
        steps: &'a [String],
    },
    /// A workflow's task panicked: a bug in rehearse, never a pass.
    Crashed { error: &'a str },
    /// Every workflow has ended: the run as the reports have it, how many
    /// workflows `--fail-fast` or Ctrl-C kept from starting, and what became
    /// of the recordings.
    Finished {
        run: &'a RunReport<'a>,
        not_run: usize,
        notes: &'a [String],
    },
    /// A report could not be written (the exit code says so too).
    ReportNotWritten { message: &'a str },
}

pub trait EventSink: Send + Sync {
    fn emit(&self, event: &Event<'_>);
}

/// Discards events (library use, benchmarks).
pub struct NoEvents;

impl EventSink for NoEvents {
    fn emit(&self, _: &Event<'_>) {}
}

/// Hands the engine's events of a workflow on to the session's sink.
pub(crate) struct FromEngine<'a>(pub &'a dyn EventSink);

impl engine::EventSink for FromEngine<'_> {
    fn emit(&self, event: &engine::Event<'_>) {
        self.0.emit(&Event::Engine(event));
    }
}
