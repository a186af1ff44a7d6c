//! A recorder and a player as the transports of their mode: the recorder
//! wraps each live transport, the player stands in for all of them.

use std::sync::Arc;

use super::aws::{RecordAws, ReplayAws};
use super::http::{RecordHttp, ReplayHttp};
use super::kube::{RecordKube, ReplayKube};
use super::matcher::Player;
use super::process::{RecordProcesses, ReplayProcesses};
use super::recorder::Recorder;
use super::results::ReplayAttempts;
use crate::ground::clock::Clock;
use crate::transport::{
    AttemptTransport, AwsTransport, HttpTransport, KubeTransport, ProcessTransport, Record, Replay,
};

impl Record for Recorder {
    fn http(&self, live: Arc<dyn HttpTransport>) -> Arc<dyn HttpTransport> {
        Arc::new(RecordHttp {
            live,
            recorder: self.clone(),
        })
    }

    fn processes(&self, live: Arc<dyn ProcessTransport>) -> Arc<dyn ProcessTransport> {
        Arc::new(RecordProcesses {
            live,
            recorder: self.clone(),
        })
    }

    fn aws(&self, live: Arc<dyn AwsTransport>) -> Arc<dyn AwsTransport> {
        Arc::new(RecordAws {
            live,
            recorder: self.clone(),
        })
    }

    fn kube(&self, live: Arc<dyn KubeTransport>) -> Arc<dyn KubeTransport> {
        Arc::new(RecordKube {
            live,
            recorder: self.clone(),
        })
    }
}

impl Replay for Player {
    fn http(&self, clock: &Clock) -> Arc<dyn HttpTransport> {
        Arc::new(ReplayHttp {
            player: self.clone(),
            clock: clock.clone(),
        })
    }

    fn processes(&self, clock: &Clock) -> Arc<dyn ProcessTransport> {
        Arc::new(ReplayProcesses {
            player: self.clone(),
            clock: clock.clone(),
        })
    }

    fn aws(&self, clock: &Clock) -> Arc<dyn AwsTransport> {
        Arc::new(ReplayAws {
            player: self.clone(),
            clock: clock.clone(),
        })
    }

    fn kube(&self, clock: &Clock) -> Arc<dyn KubeTransport> {
        Arc::new(ReplayKube {
            player: self.clone(),
            clock: clock.clone(),
        })
    }

    fn attempts(&self, clock: &Clock) -> Arc<dyn AttemptTransport> {
        Arc::new(ReplayAttempts {
            player: self.clone(),
            clock: clock.clone(),
        })
    }
}
