//! Time for the engine: the real (tokio) clock, or a virtual one for replay
//! that moves forward instantly, so waits and back-offs cost no real time.
//!
//! Tests of the real clock run on tokio's paused clock, so they do not sleep
//! either.

use std::future::Future;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Clone, Debug)]
pub enum Clock {
    Real,
    /// Starts at the moment it was made and moves only when slept or advanced.
    Virtual(Arc<Mutex<Instant>>),
}

/// The deadline passed before the future finished.
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed;

impl Clock {
    pub fn virtual_clock() -> Clock {
        Clock::Virtual(Arc::new(Mutex::new(Instant::now())))
    }

    pub fn now(&self) -> Instant {
        match self {
            Clock::Real => Instant::now(),
            Clock::Virtual(t) => *t.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a virtual clock forward (a replayed action takes its recorded time).
    pub fn advance(&self, by: Duration) {
        if let Clock::Virtual(t) = self {
            let mut t = t.lock().unwrap_or_else(|e| e.into_inner());
            *t += by;
        }
    }

    pub async fn sleep_until(&self, deadline: Instant) {
        match self {
            Clock::Real => tokio::time::sleep_until(deadline).await,
            Clock::Virtual(t) => {
                let mut t = t.lock().unwrap_or_else(|e| e.into_inner());
                if *t < deadline {
                    *t = deadline;
                }
            }
        }
    }

    /// Runs `fut` against a deadline. The real clock cancels it when the
    /// deadline passes; a virtual clock lets it finish (replayed actions are
    /// instant) and reports whether it ended past the deadline.
    pub async fn timeout_at<F: Future>(&self, deadline: Instant, fut: F) -> Result<F::Output, Elapsed> {
        match self {
            Clock::Real => tokio::time::timeout_at(deadline, fut).await.map_err(|_| Elapsed),
            Clock::Virtual(_) => {
                let out = fut.await;
                if self.now() > deadline {
                    Err(Elapsed)
                } else {
                    Ok(out)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn virtual_clock_sleeps_without_waiting() {
        let clock = Clock::virtual_clock();
        let start = clock.now();
        let real = std::time::Instant::now();
        clock.sleep_until(start + Duration::from_secs(3600)).await;
        assert_eq!(clock.now() - start, Duration::from_secs(3600));
        assert!(real.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn virtual_timeout_reports_overrun() {
        let clock = Clock::virtual_clock();
        let deadline = clock.now() + Duration::from_secs(10);
        let c = clock.clone();
        let late = clock.timeout_at(deadline, async move { c.advance(Duration::from_secs(11)) });
        assert_eq!(late.await, Err(Elapsed));
    }

    #[tokio::test(start_paused = true)]
    async fn real_timeout_cancels() {
        let clock = Clock::Real;
        let deadline = clock.now() + Duration::from_secs(1);
        let r = clock.timeout_at(deadline, std::future::pending::<()>()).await;
        assert_eq!(r, Err(Elapsed));
    }
}
