//! The transports of results kept whole (`run` scripts, `kubectl exec`)
//! that record and replay: an exchange per run, keyed by its step and its
//! script or command line.

use std::sync::Arc;
use std::time::Instant;

use super::matcher::Player;
use super::recorder::Recorder;
use crate::ground::clock::Clock;
use crate::ground::port::{ActionError, ActionResult, BoxFuture};
use crate::transport::ProcessTransport;

/// Runs through a live transport and records each result.
pub struct RecordProcesses {
    pub live: Arc<dyn ProcessTransport>,
    pub recorder: Recorder,
}

impl ProcessTransport for RecordProcesses {
    fn run<'a>(
        &'a self,
        step: &'a str,
        key: &'a str,
        live: BoxFuture<'a, ActionResult>,
    ) -> BoxFuture<'a, ActionResult> {
        Box::pin(async move {
            let start = Instant::now();
            let result = self.live.run(step, key, live).await;
            self.recorder.record_process(step, key, &result, start.elapsed());
            result
        })
    }
}

/// Answers from the recording, and moves the clock on by the time the
/// recorded run took; nothing runs.
pub struct ReplayProcesses {
    pub player: Player,
    pub clock: Clock,
}

impl ProcessTransport for ReplayProcesses {
    fn run<'a>(
        &'a self,
        step: &'a str,
        key: &'a str,
        _live: BoxFuture<'a, ActionResult>,
    ) -> BoxFuture<'a, ActionResult> {
        Box::pin(async move {
            let (result, took) = self
                .player
                .process(step, key)
                .map_err(|e| ActionError::runtime(e.to_string()))?;
            self.clock.advance(took);
            result
        })
    }
}
