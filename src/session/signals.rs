//! Ctrl-C. The first one interrupts: the running main steps stop, the rest
//! are skipped and the finally steps run. The second one aborts: the
//! finally steps stop too. The engine watches the two tokens; only the
//! session listens to the signal itself.

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

#[derive(Clone, Debug, Default)]
pub struct Signals {
    /// Cancelled by the first Ctrl-C.
    pub interrupt: CancellationToken,
    /// Cancelled by the second Ctrl-C.
    pub abort: CancellationToken,
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

    /// Listens for Ctrl-C until the returned guard is dropped.
    pub fn listen(&self) -> Listening {
        Listening(tokio::spawn(watch_ctrl_c(self.clone())))
    }
}

/// Stops listening for Ctrl-C when dropped.
pub struct Listening(JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn watch_ctrl_c(signals: Signals) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    signals.interrupt.cancel();
    if tokio::signal::ctrl_c().await.is_ok() {
        signals.abort.cancel();
    }
}
