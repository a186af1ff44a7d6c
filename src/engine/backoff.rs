//! The polling policy of waits: an initial interval that grows by a factor
//! up to a cap.

use std::time::Duration;

use crate::format::ast::{Defaults, Wait};

pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(1);
pub const DEFAULT_MAX_INTERVAL: Duration = Duration::from_secs(10);
pub const DEFAULT_BACKOFF: f64 = 1.5;

#[derive(Clone, Debug, PartialEq)]
pub struct Backoff {
    next: Duration,
    max: Duration,
    factor: f64,
}

impl Backoff {
    /// The wait's own settings, else `[defaults]`, else the built-in ones.
    pub fn for_wait(wait: &Wait, defaults: &Defaults) -> Backoff {
        let interval = wait
            .interval
            .as_ref()
            .or(defaults.interval.as_ref())
            .map_or(DEFAULT_INTERVAL, |n| n.value);
        let max = wait
            .max_interval
            .as_ref()
            .or(defaults.max_interval.as_ref())
            .map_or(DEFAULT_MAX_INTERVAL, |n| n.value);
        let factor = wait
            .backoff
            .as_ref()
            .or(defaults.backoff.as_ref())
            .map_or(DEFAULT_BACKOFF, |n| n.value);
        Backoff::new(interval, max, factor)
    }

    pub fn new(interval: Duration, max: Duration, factor: f64) -> Backoff {
        Backoff {
            next: interval.min(max),
            max,
            factor: if factor.is_finite() { factor.max(1.0) } else { 1.0 },
        }
    }

    /// The delay before the next poll.
    pub fn next_delay(&mut self) -> Duration {
        let delay = self.next;
        self.next = self.next.mul_f64(self.factor).min(self.max);
        delay
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_to_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(5), 2.0);
        let delays: Vec<u64> = (0..5).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(delays, vec![1, 2, 4, 5, 5]);
    }

    #[test]
    fn factor_below_one_is_constant() {
        let mut b = Backoff::new(Duration::from_secs(3), Duration::from_secs(10), 0.5);
        assert_eq!(b.next_delay(), b.next_delay());
    }
}
