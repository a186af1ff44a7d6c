//! Queries on big outputs: JMESPath and jq checks over a Kubernetes list of
//! 5,000 pods and an IAM list of 1,000 roles. Prints the time per check.
//! `cargo bench --bench queries`

use std::hint::black_box;
use std::time::{Duration, Instant};

use rehearse::query::{Input, Lang, Query};
use serde_json::{Value, json};

fn pods(n: usize) -> Value {
    let items: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": format!("carts-{i:05}"), "namespace": "carts",
                    "labels": {"app": "carts", "shard": (i % 7).to_string()},
                    "creationTimestamp": format!("2024-01-12T22:{:02}:{:02}Z", (i / 60) % 60, i % 60)},
                "spec": {"containers": [{"name": "carts", "image": "retail-store-sample-cart:1.0.0"}]},
                "status": {"phase": if i % 50 == 0 { "Pending" } else { "Running" },
                    "containerStatuses": [{"name": "carts", "ready": i % 50 != 0, "restartCount": i % 3}]}
            })
        })
        .collect();
    json!({"apiVersion": "v1", "kind": "List", "items": items, "metadata": {"resourceVersion": ""}})
}

fn roles(n: usize) -> Value {
    let roles: Vec<Value> = (0..n)
        .map(|i| {
            json!({"RoleName": format!("role-{i:04}"), "Arn": format!("arn:aws:iam::123456789012:role/role-{i:04}"),
                "Path": "/", "CreateDate": "2024-01-12T22:41:01+00:00", "MaxSessionDuration": 3600,
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": if i % 10 == 0 { "pods.eks.amazonaws.com" } else { "ec2.amazonaws.com" }},
                    "Action": ["sts:AssumeRole", "sts:TagSession"]}]}})
        })
        .collect();
    json!({"Roles": roles, "IsTruncated": false})
}

/// Median time of `f` over enough runs to last about `budget`.
fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_micros(1));
    let runs = (budget.as_nanos() / once.as_nanos()).clamp(5, 2_000) as usize;
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// The first jq check on an output pays for converting it into jq's
/// values; the others on the same output (the rest of a step's checks and
/// captures) reuse that conversion. JMESPath reads the output as it is.
fn time(query: &Query, value: &Value, budget: Duration) -> (Duration, Duration) {
    let first = median(budget, || {
        black_box(query.eval(black_box(value)).expect("query"));
    });
    let input = Input::new(value);
    let next = median(budget, || {
        black_box(query.eval_on(black_box(&input)).expect("query"));
    });
    (first, next)
}

/// Median time to compile a query the first time (validation compiles every
/// one; jq programs are cached afterwards, so each sample is a new program).
fn compile_time(lang: Lang, source: &str) -> Duration {
    let mut samples: Vec<Duration> = (0..200)
        .map(|i| {
            let program = match lang {
                Lang::Jq => format!("{source} // {i}"),
                Lang::JmesPath => format!("{source} || `{i}`"),
                Lang::Stdout => unreachable!("the benchmark times query languages"),
            };
            let t = Instant::now();
            black_box(Query::compile(lang, black_box(&program)).expect("compiles"));
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // `cargo bench` passes --bench; `cargo test` runs a small, quick version.
    let full = std::env::args().any(|a| a == "--bench");
    let (pod_count, role_count) = if full { (5_000, 1_000) } else { (50, 10) };
    let budget = Duration::from_millis(if full { 1_000 } else { 20 });
    println!(
        "compile: jmespath {:.3}ms, jq {:.3}ms per query",
        compile_time(Lang::JmesPath, "items[?status.phase != 'Running'] | length(@)").as_secs_f64() * 1000.0,
        compile_time(
            Lang::Jq,
            "[.items[] | select(.status.phase == \"Running\")] | length"
        )
        .as_secs_f64()
            * 1000.0,
    );
    let pods = pods(pod_count);
    let roles = roles(role_count);
    println!("a list of {pod_count} pods and a list of {role_count} roles");
    let cases: [(&str, Lang, &str, &Value); 8] = [
        ("pods", Lang::JmesPath, "length(items)", &pods),
        (
            "pods",
            Lang::JmesPath,
            "items[?status.phase != 'Running'] | length(@)",
            &pods,
        ),
        (
            "pods",
            Lang::JmesPath,
            "sort_by(items, &metadata.creationTimestamp)[-1].metadata.name",
            &pods,
        ),
        (
            "pods",
            Lang::Jq,
            "[.items[] | select(.status.phase == \"Running\")] | length",
            &pods,
        ),
        (
            "pods",
            Lang::Jq,
            "[.items[].status.containerStatuses[]?.restartCount] | add",
            &pods,
        ),
        (
            "roles",
            Lang::JmesPath,
            "Roles[?AssumeRolePolicyDocument.Statement[0].Principal.Service == 'pods.eks.amazonaws.com'].RoleName",
            &roles,
        ),
        (
            "roles",
            Lang::Jq,
            "[.Roles[] | select(.AssumeRolePolicyDocument.Statement[0].Action | index(\"sts:TagSession\"))] | length",
            &roles,
        ),
        ("roles", Lang::Jq, ".Roles | map(.RoleName) | sort | last", &roles),
    ];
    println!(
        "{:<6} {:<9} {:>12} {:>12}  query",
        "input", "language", "first check", "next checks"
    );
    for (input, lang, source, value) in cases {
        let q = Query::compile(lang, source).expect("compiles");
        let (first, next) = time(&q, value, budget);
        let lang = match lang {
            Lang::JmesPath => "jmespath",
            Lang::Jq => "jq",
            Lang::Stdout => "stdout",
        };
        println!(
            "{input:<6} {lang:<9} {:>10.3}ms {:>10.3}ms  {source}",
            first.as_secs_f64() * 1000.0,
            next.as_secs_f64() * 1000.0
        );
    }
}
