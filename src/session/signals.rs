//! SIGINT (Ctrl-C), SIGTERM and SIGHUP. CI cancellation, `timeout`,
//! `docker stop` and Kubernetes send SIGTERM, a closed terminal SIGHUP:
//! each is treated as Ctrl-C. The first one interrupts: the running main
//! steps stop (their process groups are killed), the rest are skipped and
//! the finally steps run; the reports are written and the exit code is
//! 128 + the signal. The second one aborts: the finally steps stop too.
//! The engine watches the two tokens; only the session listens to the
//! signals themselves.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

#[derive(Clone, Debug, Default)]
pub struct Signals {
    /// Cancelled by the first signal.
    pub interrupt: CancellationToken,
    /// Cancelled by the second signal.
    pub abort: CancellationToken,
    /// The number of the first signal; 0 before any.
    first: Arc<AtomicI32>,
}

impl Signals {
    /// Tokens that nothing cancels until [`Signals::listen`] is called.
    pub fn new() -> Signals {
        Signals::default()
    }

    /// Whether the run was interrupted (a workflow then keeps its previous
    /// recording, and no more workflows start).
    pub fn interrupted(&self) -> bool {
        self.interrupt.is_cancelled()
    }

    /// The signal that interrupted the run, if one did.
    pub fn received(&self) -> Option<i32> {
        match self.first.load(Ordering::SeqCst) {
            0 => None,
            number => Some(number),
        }
    }

    /// Listens for the signals until the returned guard is dropped.
    pub fn listen(&self) -> Listening {
        Listening(tokio::spawn(watch(self.clone())))
    }

    /// What a signal does: the first interrupts, the second aborts.
    fn receive(&self, number: i32) {
        if self.interrupted() {
            self.abort.cancel();
        } else {
            self.first.store(number, Ordering::SeqCst);
            self.interrupt.cancel();
        }
    }
}

/// Stops listening when dropped.
pub struct Listening(JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The signals a run answers, with their numbers.
struct Watched {
    interrupt: Signal,
    terminate: Signal,
    hangup: Signal,
}

impl Watched {
    fn install() -> std::io::Result<Watched> {
        Ok(Watched {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }

    async fn next(&mut self) -> i32 {
        tokio::select! {
            _ = self.interrupt.recv() => libc::SIGINT,
            _ = self.terminate.recv() => libc::SIGTERM,
            _ = self.hangup.recv() => libc::SIGHUP,
        }
    }
}

async fn watch(signals: Signals) {
    // Installing fails only when the process cannot take signals at all;
    // the default actions then stay.
    let Ok(mut watched) = Watched::install() else {
        return;
    };
    for _ in 0..2 {
        let number = watched.next().await;
        signals.receive(number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_signal_interrupts_and_is_kept_the_second_aborts() {
        let signals = Signals::new();
        assert_eq!(signals.received(), None);
        signals.receive(libc::SIGTERM);
        assert!(signals.interrupted());
        assert!(!signals.abort.is_cancelled());
        signals.receive(libc::SIGINT);
        assert!(signals.abort.is_cancelled());
        assert_eq!(signals.received(), Some(libc::SIGTERM));
    }
}
