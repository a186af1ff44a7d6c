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
//! - [`attempt`]: a step's attempts answered whole (a replay's step results).

pub mod attempt;
pub mod clients;
pub mod http;
pub mod process;

use std::sync::Arc;

use crate::ground::clock::Clock;

pub use attempt::AttemptTransport;
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
    /// Answers a step's attempts without its backend: a replay's, for the
    /// steps whose results its recording holds. None: every step runs.
    pub attempts: Option<Arc<dyn AttemptTransport>>,
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
    fn attempts(&self, clock: &Clock) -> Arc<dyn AttemptTransport>;
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
            attempts: None,
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
            attempts: Some(player.attempts(clock)),
        }
    }
}
