//! Kubernetes waits are watch-based: how long after an object changes does
//! a wait notice? On a real control plane on loopback (scripts/cluster.sh,
//! with the tests' fake kubelet), a deployment's pods crash-loop until a
//! random moment, when the kubelet lets them run; the controllers then make
//! the deployment Available. rehearse's `kubectl wait
//! --for=condition=Available` (a watch) is timed against a `kubectl get`
//! polled every second, the `while ! …; do sleep 1; done` loop the
//! workshop's hooks use. Delays count from the moment an independent watch
//! saw the deployment become Available.
//! `cargo bench --bench kube_watch` (under `cargo test`, a few trials only).

#[path = "../tests/kube_support/mod.rs"]
mod kube_support;

use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::apps::v1::Deployment;
use kube::api::Api;
use kube::runtime::{WatchStreamExt, watcher};
use rehearse::backend::kube::KubeBackend;

use kube_support::{Pods, Rule};

fn available(d: &Deployment) -> bool {
    d.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c.type_.as_deref() == Some("Available") && c.status.as_deref() == Some("True"))
        })
}

/// When a watch of its own first sees the deployment Available.
async fn seen_available(ns: &str) -> Instant {
    let api: Api<Deployment> = Api::namespaced(kube_support::client(), ns);
    let config = watcher::Config::default().fields("metadata.name=carts");
    let mut stream = watcher(api, config).applied_objects().boxed();
    while let Some(d) = stream.next().await {
        if d.as_ref().is_ok_and(available) {
            return Instant::now();
        }
    }
    panic!("the watch of {ns} ended");
}

/// A fresh deployment in its own namespace, its pods crash-looping (so not
/// Available) until the rule is dropped.
async fn fresh(trial: usize, kind: &str) -> (String, KubeBackend, Rule) {
    let ns = kube_support::namespace(&format!("bench-{kind}-{trial}")).await;
    let hold = kube_support::kubelet().crash_loop(Pods::labelled(&ns, "app=carts"), &["not yet"]);
    let b = kube_support::backend(&ns);
    kube_support::apply(&b, kube_support::DEPLOYMENT).await;
    kube_support::ok(
        &b,
        "wait --for=jsonpath={.status.updatedReplicas}=2 deployment/carts --timeout=60s",
    )
    .await;
    (ns, b, hold)
}

/// The delay between the deployment becoming Available and the wait's
/// return, in milliseconds (negative when the wait beat the independent
/// watch), and the time from the release to Available (kubelet, then
/// ReplicaSet and Deployment controllers).
async fn trial(
    ns: &str,
    b: &KubeBackend,
    hold: Rule,
    release_after: Duration,
    poll: Option<Duration>,
) -> (f64, f64) {
    let waiter = async {
        match poll {
            None => {
                kube_support::ok(b, "wait --for=condition=Available deployment/carts --timeout=60s").await;
            }
            Some(interval) => loop {
                let d = kube_support::ok(b, "get deployment carts").await;
                let conditions = d["status"]["conditions"].as_array().cloned().unwrap_or_default();
                if conditions
                    .iter()
                    .any(|c| c["type"] == "Available" && c["status"] == "True")
                {
                    break;
                }
                tokio::time::sleep(interval).await;
            },
        }
        Instant::now()
    };
    let releaser = async {
        tokio::time::sleep(release_after).await;
        let at = Instant::now();
        drop(hold);
        at
    };
    let (noticed, observed, released) = tokio::join!(waiter, seen_available(ns), releaser);
    let ms = |a: Instant, b: Instant| {
        if a >= b {
            (a - b).as_secs_f64() * 1000.0
        } else {
            -((b - a).as_secs_f64() * 1000.0)
        }
    };
    (ms(noticed, observed), ms(observed, released))
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
    // Release moments spread over 200 to 1,200 ms (deterministic).
    let moment = |i: usize| Duration::from_millis(200 + (i as u64 * 337) % 1000);
    let (mut watch, mut poll, mut chain) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..trials {
        let (ns, b, hold) = fresh(i, "watch").await;
        let (delay, controllers) = trial(&ns, &b, hold, moment(i), None).await;
        watch.push(delay);
        chain.push(controllers);
        let (ns, b, hold) = fresh(i, "poll").await;
        let (delay, controllers) = trial(&ns, &b, hold, moment(i), Some(Duration::from_secs(1))).await;
        poll.push(delay);
        chain.push(controllers);
    }
    println!(
        "{trials} trials, a deployment becomes Available on a Kubernetes v1.20.2 control plane (loopback, fake kubelet)"
    );
    summary("rehearse kubectl wait (watch)", watch);
    summary("kubectl get polled every 1 s", poll);
    summary("(release to Available: kubelet, controllers)", chain);
    println!("delays count from an independent watch's first sight of Available");
}
