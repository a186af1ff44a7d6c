//! The transport of actions whose result is kept whole: `run` scripts, and
//! `kubectl exec`, whose WebSocket stream cannot be replayed as requests
//! and answers.

use crate::ground::port::{ActionResult, BoxFuture};

pub trait ProcessTransport: Send + Sync {
    /// The result of `live`, the action of `step` known in the recording as
    /// `key` (a script, a command line). `live` has not started: live and
    /// recording transports run it; a replay drops it and answers from the
    /// recording.
    fn run<'a>(
        &'a self,
        step: &'a str,
        key: &'a str,
        live: BoxFuture<'a, ActionResult>,
    ) -> BoxFuture<'a, ActionResult>;
}

/// Runs every action as it is.
pub struct LiveProcesses;

impl ProcessTransport for LiveProcesses {
    fn run<'a>(
        &'a self,
        _step: &'a str,
        _key: &'a str,
        live: BoxFuture<'a, ActionResult>,
    ) -> BoxFuture<'a, ActionResult> {
        live
    }
}
