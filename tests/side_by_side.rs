//! The side-by-side benchmark's two halves (benches/side-by-side/) check
//! the same things: on moto, both pass after the seed, and both fail on a
//! policy that does not name the lab's table. Timing them is the
//! benchmark's job (benches/side-by-side.sh), not this test's.

#[path = "common_aws/mod.rs"]
mod common_aws;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/side-by-side")
}

/// A command aimed at moto, with fake credentials and no user AWS config.
fn on_moto(mut cmd: Command, config: &Path, cluster: &str, table: &str) -> Output {
    cmd.env("AWS_ENDPOINT_URL", common_aws::moto_url())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-west-2")
        .env("AWS_DEFAULT_REGION", "us-west-2")
        .env("AWS_CONFIG_FILE", config)
        .env("AWS_SHARED_CREDENTIALS_FILE", config)
        .env("EKS_CLUSTER_NAME", cluster)
        .env("CARTS_DYNAMODB_TABLENAME", table)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env("NO_COLOR", "1");
    cmd.output().expect("run the command")
}

fn rehearse(workflow: &str, config: &Path, cluster: &str, table: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.arg("run").arg(bench_dir().join(workflow));
    on_moto(cmd, config, cluster, table)
}

fn bash_way(config: &Path, cluster: &str, table: &str) -> Output {
    on_moto(
        Command::new(bench_dir().join("tutorial-reads.sh")),
        config,
        cluster,
        table,
    )
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn both_ways_pass_on_the_seeded_lab_and_fail_on_a_wrong_table() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aws-config");
    std::fs::write(&config, "").unwrap();
    let cluster = common_aws::unique("side-by-side");
    let table = "eks-workshop-carts";

    let seed = rehearse("seed.toml", &config, &cluster, table);
    assert!(seed.status.success(), "seed failed:\n{}", text(&seed));

    let ours = rehearse("tutorial-reads.toml", &config, &cluster, table);
    assert!(ours.status.success(), "{}", text(&ours));
    assert!(text(&ours).contains("6 passed, 0 failed"), "{}", text(&ours));
    let theirs = bash_way(&config, &cluster, table);
    assert!(theirs.status.success(), "{}", text(&theirs));
    assert!(text(&theirs).contains("all checks passed"));

    // Another table name: the policy no longer matches, and both say so at
    // the same read.
    let ours = rehearse("tutorial-reads.toml", &config, &cluster, "another-table");
    assert_eq!(ours.status.code(), Some(1), "{}", text(&ours));
    assert!(text(&ours).contains("step dynamo-policy"), "{}", text(&ours));
    let theirs = bash_way(&config, &cluster, "another-table");
    assert!(!theirs.status.success());
    assert!(
        text(&theirs).contains("check failed: policy table"),
        "{}",
        text(&theirs)
    );
}
