//! Transports: what carries a backend's traffic to the world, whatever the
//! run's mode.
//!
//! A backend turns an action into traffic and the answer into a step's
//! output; a transport carries the traffic. Live transports talk to the
//! world (`backend::live`). To record, the recording wraps each live
//! transport and writes down what passes; to replay, the recording answers
//! instead of the world (`recording::transports`). The session, the only
//! module that knows the mode, picks the [`Transports`] of a run; backends
//! see only these traits, so they never name a recorder or a player.
//!
//! This floor sits just above `ground`: `backend` and `recording` both
//! build on it, and it imports nothing but `ground`.
//!
//! - [`http`]: one HTTP request and its answer (`http` steps);
//! - [`process`]: results kept whole (`run` scripts, `kubectl exec`);
//! - [`clients`]: the AWS SDK's and kube-rs's clients for a mode;
//! - [`NoMatch`]: a replay's refusal of a request it has no answer for.

pub mod clients;
pub mod http;
pub mod process;

use std::sync::Arc;

use crate::ground::clock::Clock;
use crate::ground::port::ActionError;

pub use clients::{AwsConnection, AwsTransport, KubeConnection, KubeSettings, KubeTransport};
pub use http::{Answer, HttpCall, HttpTransport};
pub use process::ProcessTransport;

/// The transports of one run, one per kind of traffic.
#[derive(Clone)]
pub struct Transports {
    pub http: Arc<dyn HttpTransport>,
    pub processes: Arc<dyn ProcessTransport>,
    pub aws: Arc<dyn AwsTransport>,
    pub kube: Arc<dyn KubeTransport>,
    /// `kubectl exec`'s own transport when its traffic must not go through
    /// `kube`: a recorded exec is kept whole by `processes`, as its
    /// WebSocket stream cannot be replayed. None: it goes through `kube`.
    pub kube_exec: Option<Arc<dyn KubeTransport>>,
}

/// Writes down the traffic of live transports (`recording::Recorder`).
pub trait Record: Send + Sync {
    fn http(&self, live: Arc<dyn HttpTransport>) -> Arc<dyn HttpTransport>;
    fn processes(&self, live: Arc<dyn ProcessTransport>) -> Arc<dyn ProcessTransport>;
    fn aws(&self, live: Arc<dyn AwsTransport>) -> Arc<dyn AwsTransport>;
    fn kube(&self, live: Arc<dyn KubeTransport>) -> Arc<dyn KubeTransport>;
}

/// Answers instead of the world, moving `clock` on by the time each answer
/// took when it was recorded (`recording::Player`).
pub trait Replay: Send + Sync {
    fn http(&self, clock: &Clock) -> Arc<dyn HttpTransport>;
    fn processes(&self, clock: &Clock) -> Arc<dyn ProcessTransport>;
    fn aws(&self, clock: &Clock) -> Arc<dyn AwsTransport>;
    fn kube(&self, clock: &Clock) -> Arc<dyn KubeTransport>;
}

impl Transports {
    /// The live transports, each wrapped by `recorder`. `kubectl exec`
    /// keeps the live Kubernetes transport: its result is recorded whole.
    pub fn recorded(live: Transports, recorder: &dyn Record) -> Transports {
        Transports {
            http: recorder.http(live.http),
            processes: recorder.processes(live.processes),
            aws: recorder.aws(live.aws),
            kube: recorder.kube(live.kube.clone()),
            kube_exec: Some(live.kube),
        }
    }

    /// Transports that answer from `player` alone: no network at all.
    pub fn replayed(player: &dyn Replay, clock: &Clock) -> Transports {
        Transports {
            http: player.http(clock),
            processes: player.processes(clock),
            aws: player.aws(clock),
            kube: player.kube(clock),
            kube_exec: None,
        }
    }
}

/// A request (or command) the recording has no answer for. Its message
/// names the request and the closest recorded ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoMatch {
    pub message: String,
    /// The request is a watch that the recording has, but whose recorded
    /// streams are all used: the recorded run watched no further, because
    /// its wait ended (at its deadline, as nothing else ends a wait that
    /// did not get what it waited for). See `backend::kube::watch::until`.
    pub watch_exhausted: bool,
}

impl std::fmt::Display for NoMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NoMatch {}

impl From<NoMatch> for ActionError {
    fn from(e: NoMatch) -> ActionError {
        ActionError::runtime(e.message)
    }
}

/// The [`NoMatch`] behind an SDK or kube error, if a replay transport
/// refused the request: backends report its message instead of the
/// client's generic "dispatch failure" / "service error".
pub fn find_no_match<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a NoMatch> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(m) = e.downcast_ref::<NoMatch>() {
            return Some(m);
        }
        // An `io::Error`'s `source` skips the error it wraps (a body's
        // error, read as a stream).
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            && let Some(m) = inner.downcast_ref::<NoMatch>()
        {
            return Some(m);
        }
        current = e.source();
    }
    None
}
