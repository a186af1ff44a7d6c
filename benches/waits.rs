//! Wait efficiency on a virtual clock: an add-on becomes ACTIVE at a random
//! moment between 30 s and 10 min; how long after that does a wait notice,
//! and how many describe calls does it make? rehearse's default polling
//! policy against the AWS CLI's waiter (a call every 10 s, at most 60).
//! `cargo bench --bench waits`

use std::time::Duration;

use rehearse::engine::backoff::{Backoff, DEFAULT_BACKOFF, DEFAULT_INTERVAL, DEFAULT_MAX_INTERVAL};

const TRIALS: usize = 1_000;

/// A small deterministic generator (64-bit LCG), so every run draws the
/// same moments.
struct Lcg(u64);

impl Lcg {
    fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Polls at 0 and then after each delay; returns (delay noticed, calls).
fn poll(active_at: f64, mut next_delay: impl FnMut() -> Duration) -> (f64, u32) {
    let mut t = 0.0;
    let mut calls = 0;
    loop {
        calls += 1;
        if t >= active_at {
            return (t - active_at, calls);
        }
        t += next_delay().as_secs_f64();
    }
}

fn report(name: &str, results: &[(f64, u32)]) {
    let mut delays: Vec<f64> = results.iter().map(|r| r.0).collect();
    delays.sort_by(|a, b| a.total_cmp(b));
    let mean = delays.iter().sum::<f64>() / delays.len() as f64;
    let p95 = delays[delays.len() * 95 / 100];
    let calls = results.iter().map(|r| r.1 as f64).sum::<f64>() / results.len() as f64;
    println!("{name:<34} mean delay {mean:>5.2} s   p95 {p95:>5.2} s   mean calls {calls:>5.1}");
}

fn main() {
    let mut rng = Lcg(42);
    let moments: Vec<f64> = (0..TRIALS).map(|_| 30.0 + rng.next_f64() * 570.0).collect();
    println!("{TRIALS} trials, ACTIVE uniformly between 30 s and 600 s");
    let cli: Vec<_> = moments
        .iter()
        .map(|&m| poll(m, || Duration::from_secs(10)))
        .collect();
    report("AWS CLI waiter (every 10 s)", &cli);
    let ours: Vec<_> = moments
        .iter()
        .map(|&m| {
            let mut b = Backoff::new(DEFAULT_INTERVAL, DEFAULT_MAX_INTERVAL, DEFAULT_BACKOFF);
            poll(m, || b.next_delay())
        })
        .collect();
    report("rehearse default (1 s x1.5 to 10 s)", &ours);
}
