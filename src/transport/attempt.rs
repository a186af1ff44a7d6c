//! Attempts answered whole: a replay whose recording holds a step's
//! results (instead of its traffic) answers each attempt of that step
//! from them, and the step's backend never runs.

use crate::ground::port::ActionResult;

pub trait AttemptTransport: Send + Sync {
    /// The result of `step`'s next attempt, or None when there is none to
    /// give: the backend runs, its traffic carried by the other transports.
    fn answer(&self, step: &str) -> Option<ActionResult>;
}
