//! Kubernetes waits are watch-based: how long after an object changes does
//! a wait notice? On the kmock emulator on loopback (scripts/peers.sh), a
//! deployment becomes Available at a random moment; rehearse's `kubectl wait
//! --for=condition=Available` (a watch) is timed against a `kubectl get`
//! polled every second, the `while ! …; do sleep 1; done` loop the
//! workshop's hooks use.
//! `cargo bench --bench kube_watch` (under `cargo test`, a few trials only).

#[path = "../tests/kube_support/mod.rs"]
mod kube_support;

use std::time::{Duration, Instant};

use rehearse::backend::kube::KubeBackend;
use serde_json::json;

/// Makes the deployment Available; returns when the API server said so,
/// and when the request went out.
async fn make_available(ns: &str) -> (Instant, Instant) {
    let sent = Instant::now();
    let available = json!({"conditions": [{"type": "Available", "status": "True"}]});
    kube_support::patch_status(ns, "carts", available).await;
    (sent, Instant::now())
}

/// A fresh deployment, not yet Available, in its own namespace.
async fn fresh(trial: usize, kind: &str) -> (String, KubeBackend) {
    let ns = kube_support::namespace(&format!("bench-{kind}-{trial}"));
    let b = kube_support::backend(&ns);
    kube_support::run_with(&b, "apply -f -", Some(kube_support::DEPLOYMENT))
        .await
        .expect("apply");
    (ns, b)
}

/// The delay between the change and the wait's return, in milliseconds,
/// from the patch's acknowledgement (negative when the watch event beat the
/// acknowledgement), and the patch's round trip.
async fn trial(ns: &str, b: &KubeBackend, change_after: Duration, poll: Option<Duration>) -> (f64, f64) {
    let waiter = async {
        match poll {
            None => {
                kube_support::ok(b, "wait --for=condition=Available deployment/carts --timeout=30s").await;
            }
            Some(interval) => loop {
                let d = kube_support::ok(b, "get deployment carts").await;
                if d["status"]["conditions"][0]["status"] == "True" {
                    break;
                }
                tokio::time::sleep(interval).await;
            },
        }
        Instant::now()
    };
    let changer = async {
        tokio::time::sleep(change_after).await;
        make_available(ns).await
    };
    let (noticed, (sent, acked)) = tokio::join!(waiter, changer);
    let delay = if noticed >= acked {
        (noticed - acked).as_secs_f64() * 1000.0
    } else {
        -((acked - noticed).as_secs_f64() * 1000.0)
    };
    (delay, (acked - sent).as_secs_f64() * 1000.0)
}

fn summary(name: &str, mut delays: Vec<f64>) {
    delays.sort_by(|a, b| a.total_cmp(b));
    let mean = delays.iter().sum::<f64>() / delays.len() as f64;
    let median = delays[delays.len() / 2];
    let p95 = delays[(delays.len() * 95 / 100).min(delays.len() - 1)];
    println!("{name:<42} mean {mean:>7.1} ms   median {median:>7.1} ms   p95 {p95:>7.1} ms");
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes --bench; `cargo test` runs this as a smoke test.
    let full = std::env::args().any(|a| a == "--bench");
    let trials = if full { 30 } else { 2 };
    let _ = kube_support::emulator();
    // Change moments spread over 200 to 1,200 ms (deterministic).
    let moment = |i: usize| Duration::from_millis(200 + (i as u64 * 337) % 1000);
    let (mut watch, mut poll, mut rtt) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..trials {
        let (ns, b) = fresh(i, "watch").await;
        let (delay, patch) = trial(&ns, &b, moment(i), None).await;
        watch.push(delay);
        rtt.push(patch);
        let (ns, b) = fresh(i, "poll").await;
        poll.push(trial(&ns, &b, moment(i), Some(Duration::from_secs(1))).await.0);
    }
    println!("{trials} trials, a deployment becomes Available on the kmock emulator (loopback)");
    summary("rehearse kubectl wait (watch)", watch);
    summary("kubectl get polled every 1 s", poll);
    summary("(the status patch's own round trip)", rtt);
    println!("delays count from the patch's acknowledgement by the API server");
}
