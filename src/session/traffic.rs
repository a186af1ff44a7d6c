//! How a workflow's traffic flows in the run's mode: live, through a
//! recorder, or from a player of its recording. The session is the only
//! place that knows the mode; it gives the backend what the mode needs.

use crate::backend::dispatch::Dispatcher;
use crate::backend::live;
use crate::engine::plan::{self, Plan};
use crate::format::ast::Workflow;
use crate::ground::clock::Clock;
use crate::ground::port::Mode;
use crate::ground::redact::Secrets;
use crate::recording::{Header, Player, Recorder};
use crate::transport::{KubeSettings, Transports};

#[derive(Clone, Debug)]
pub enum Traffic {
    Live,
    /// Live, every exchange written down by the recorder.
    Record(Recorder),
    /// Answered by the player of the workflow's recording.
    Replay(Player),
}

impl Traffic {
    pub fn mode(&self) -> Mode {
        match self {
            Traffic::Live => Mode::Live,
            Traffic::Record(_) => Mode::Record,
            Traffic::Replay(_) => Mode::Replay,
        }
    }

    /// The workflow's clock: a replay's is virtual, so that waits cost no
    /// real time.
    pub fn clock(&self) -> Clock {
        match self {
            Traffic::Replay(_) => Clock::virtual_clock(),
            _ => Clock::Real,
        }
    }

    /// The transports of this mode: the live ones, the live ones wrapped
    /// by the recorder, or the player's.
    /// The live ones add the credentials they find to `secrets`.
    pub fn transports(&self, clock: &Clock, secrets: &Secrets) -> Transports {
        match self {
            Traffic::Live => live::transports(secrets),
            Traffic::Record(recorder) => Transports::recorded(live::transports(secrets), recorder),
            Traffic::Replay(player) => Transports::replayed(player, clock),
        }
    }

    /// The backend of a workflow in this mode, on `clock`.
    pub fn dispatcher(&self, clock: &Clock, plan: &Plan) -> Dispatcher {
        Dispatcher::new(
            self.mode(),
            clock.clone(),
            self.transports(clock, &plan.secrets),
            kube_settings(&plan.workflow),
        )
    }

    /// After a replay: the step of each recorded exchange that no request
    /// asked for, and of each step result no attempt was answered with (the
    /// workflow took another path, or steps were skipped). Empty in other
    /// modes.
    pub fn unused_exchanges(&self) -> Vec<String> {
        match self {
            Traffic::Replay(player) => {
                let exchanges = player.unused().into_iter().map(|e| e.step().to_string());
                exchanges.chain(player.unused_results()).collect()
            }
            _ => Vec::new(),
        }
    }
}

/// The Kubernetes settings a workflow's `[kubernetes]` table gives.
pub fn kube_settings(workflow: &Workflow) -> KubeSettings {
    KubeSettings {
        context: workflow.kubernetes.context.as_ref().map(|n| n.value.clone()),
        namespace: workflow.kubernetes.namespace.as_ref().map(|n| n.value.clone()),
        from_line: false,
    }
}

/// A recorder for a planned workflow: its header holds the variables the
/// run used (a replay plans with them, so that its requests are the
/// recorded ones) and the region.
pub fn recorder(plan: &Plan) -> Recorder {
    let variables = plan
        .vars
        .iter()
        .filter(|(k, _)| *k != plan::MODE_VAR)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let recorder = Recorder::new(Header::live(aws_region(), variables));
    // One set of secrets for the recorder and the engine: a capture marked
    // secret is hidden in both.
    recorder.share_secrets(plan.secrets.clone());
    recorder
}

/// The credentials of the environment, hidden from everything that leaves
/// the process. They never appear in requests the recorder keeps, but a
/// command may print them. (The live transports add those they resolve
/// otherwise: a profile's, SSO's, the kubeconfig's.)
pub fn add_environment_credentials(secrets: &Secrets) {
    for key in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] {
        if let Ok(secret) = std::env::var(key) {
            secrets.add(secret);
        }
    }
}

/// The region a live run uses, for the recording's header.
fn aws_region() -> Option<String> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}
