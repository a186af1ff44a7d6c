//! Wait efficiency on a virtual clock: an add-on becomes ACTIVE at a random
//! moment between 30 s and 10 min; how long after that does a wait notice,
//! and how many describe calls does it make? rehearse's default polling
//! policy against the AWS CLI's waiter (a call every 10 s, at most 60).
//!
//! It also prints what no polling policy can beat: the best schedule for
//! this very distribution (found by dynamic programming, so it knows the
//! add-on cannot be ACTIVE before 30 s nor after 600 s), held to the CLI's
//! number of calls; and what halving the CLI's delay costs in calls.
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

const EARLIEST: f64 = 30.0;
const LATEST: f64 = 600.0;

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

/// The poll times after 0 that minimise `E[delay] + cost * E[calls]` when
/// the moment is uniform on [EARLIEST, LATEST], over a grid of `step`
/// seconds. Backward induction: `best[i]` is the expected cost still to
/// come after a poll at `grid[i]` that saw "not yet".
fn optimal_schedule(cost: f64, step: f64) -> Vec<f64> {
    let n = (LATEST / step).round() as usize + 1;
    let t = |i: usize| i as f64 * step;
    let span = LATEST - EARLIEST;
    // P(moment in (a, b]) and E[(b - moment); moment in (a, b]].
    let segment = |a: f64, b: f64| {
        let (lo, hi) = (a.max(EARLIEST), b.min(LATEST));
        if hi <= lo {
            return (0.0, 0.0);
        }
        (
            (hi - lo) / span,
            ((b - lo).powi(2) - (b - hi).powi(2)) / 2.0 / span,
        )
    };
    let still = |a: f64| 1.0 - ((a - EARLIEST) / span).clamp(0.0, 1.0);
    let mut best = vec![0.0; n];
    let mut next = vec![n - 1; n];
    for i in (0..n - 1).rev() {
        let mut choice = (f64::INFINITY, n - 1);
        for (j, rest) in best.iter().enumerate().skip(i + 1) {
            let (_, wait) = segment(t(i), t(j));
            let c = wait + cost * still(t(i)) + rest;
            if c < choice.0 {
                choice = (c, j);
            }
        }
        (best[i], next[i]) = choice;
    }
    let mut times = Vec::new();
    let mut i = 0;
    while i != n - 1 {
        i = next[i];
        times.push(t(i));
    }
    times
}

/// Polls at 0 and then at each time of `schedule` (through [`poll`]).
fn follow(moment: f64, schedule: &[f64]) -> (f64, u32) {
    let mut times = schedule.iter();
    let mut last = 0.0;
    poll(moment, || {
        // The schedule ends at LATEST, by which time the moment has come.
        let t = times.next().copied().unwrap_or(LATEST);
        let delay = Duration::from_secs_f64(t - last);
        last = t;
        delay
    })
}

fn means(results: &[(f64, u32)]) -> (f64, f64) {
    let n = results.len() as f64;
    (
        results.iter().map(|r| r.0).sum::<f64>() / n,
        results.iter().map(|r| r.1 as f64).sum::<f64>() / n,
    )
}

/// The optimal schedule closest to the edge of a constraint that holds at
/// one end of the price of a call (`holds_when_calls_are_dear`: a cap on
/// calls; otherwise a cap on delay): a bisection on that price, keeping the
/// last schedule that met the constraint.
fn best_within(
    moments: &[f64],
    step: f64,
    holds_when_calls_are_dear: bool,
    meets: impl Fn(f64, f64) -> bool,
) -> Vec<(f64, u32)> {
    let run = |cost: f64| -> Vec<(f64, u32)> {
        let s = optimal_schedule(cost, step);
        moments.iter().map(|&m| follow(m, &s)).collect()
    };
    let (cheap, dear) = (0.001, 10.0);
    let (mut good, mut bad) = if holds_when_calls_are_dear {
        (dear, cheap)
    } else {
        (cheap, dear)
    };
    let mut kept = run(good);
    for _ in 0..30 {
        let mid = (good * bad).sqrt();
        let r = run(mid);
        let (d, c) = means(&r);
        if meets(d, c) {
            (good, kept) = (mid, r);
        } else {
            bad = mid;
        }
    }
    kept
}

fn main() {
    // `cargo bench` passes --bench; `cargo test` runs a coarse, quick version.
    let full = std::env::args().any(|a| a == "--bench");
    let step = if full { 0.5 } else { 5.0 };
    let mut rng = Lcg(42);
    let moments: Vec<f64> = (0..TRIALS)
        .map(|_| EARLIEST + rng.next_f64() * (LATEST - EARLIEST))
        .collect();
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
    let every5: Vec<_> = moments
        .iter()
        .map(|&m| poll(m, || Duration::from_secs(5)))
        .collect();
    report("every 5 s", &every5);

    let (cli_delay, cli_calls) = means(&cli);
    let bound = best_within(&moments, step, true, |_, c| c <= cli_calls);
    report("optimal, within the CLI's calls", &bound);
    let half = best_within(&moments, step, false, |d, _| d <= cli_delay / 2.0);
    report("optimal, for half the CLI's delay", &half);
    if !full {
        println!("(a coarse 5 s grid under cargo test; `cargo bench --bench waits` for the figures)");
    }
    println!(
        "no schedule halves the CLI's delay within its calls: at {cli_calls:.1} calls the best mean delay is {:.2} s",
        means(&bound).0
    );
}
