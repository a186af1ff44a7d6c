//! Secrets never leave the process: a variable declared `secret = true`, a
//! capture marked secret and the credentials in use are `REDACTED` in the
//! recording (its header too), the JSON, JUnit and HTML reports and the
//! terminal; they are matched as whole tokens, so that moto's `test`
//! secret key leaves `test-cluster` alone and the replay passes.

mod common;
mod common_aws;

use std::path::Path;
use std::process::Output;

const PASSWORD: &str = "hunter2-Pa55";
const TOKEN: &str = "tok-9f8e7d6c";

fn rehearse(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    common::rehearse_without_aws(dir, args, env).output().unwrap()
}

fn lab() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/secrets");
    for file in ["secrets.toml", "trust.json"] {
        std::fs::copy(fixtures.join(file), dir.path().join(file)).unwrap();
    }
    dir
}

const REPORTS: [&str; 3] = ["--report-json", "--report-junit", "--report-html"];

/// Runs the lab with every report, in `mode`.
fn run(dir: &Path, mode: &str, env: &[(&str, &str)]) -> (Output, Vec<String>) {
    let mut args = vec!["run", mode, "secrets.toml"];
    let names: Vec<String> = REPORTS
        .iter()
        .map(|r| format!("{}{mode}.report", &r[9..]))
        .collect();
    for (flag, name) in REPORTS.iter().zip(&names) {
        args.extend([*flag, name.as_str()]);
    }
    let out = rehearse(dir, &args, env);
    let reports = names
        .iter()
        .map(|n| std::fs::read_to_string(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}")))
        .collect();
    (out, reports)
}

fn step_outputs(json_report: &str) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_str(json_report).unwrap();
    let workflow = &report["workflows"][0];
    ["steps", "finally"]
        .iter()
        .flat_map(|p| workflow[p].as_array().cloned().unwrap_or_default())
        .map(|s| serde_json::json!([s["id"], s["status"], s["attempts"][0]["output"], s["failure"]]))
        .collect()
}

#[test]
fn secrets_reach_no_file_and_no_terminal_and_the_replay_still_passes() {
    let moto = common_aws::moto_url().to_string();
    let dir = lab();
    let role = common_aws::unique("test-role");
    let live_env = [
        ("AWS_ENDPOINT_URL", moto.as_str()),
        // moto's and LocalStack's convention: a secret that is a common word.
        ("AWS_ACCESS_KEY_ID", "test"),
        ("AWS_SECRET_ACCESS_KEY", "test"),
        ("AWS_REGION", "us-west-2"),
        ("LAB_PASSWORD", PASSWORD),
        ("LAB_ROLE", role.as_str()),
    ];
    let (out, reports) = run(dir.path(), "--record", &live_env);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // The last main step fails on purpose, so that a failure shows its output.
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let recording = std::fs::read_to_string(dir.path().join("secrets.recording.yaml")).unwrap();
    let everything = [&stdout, &stderr, &recording]
        .into_iter()
        .chain(&reports)
        .cloned()
        .collect::<Vec<_>>();
    for (i, text) in everything.iter().enumerate() {
        for secret in [PASSWORD, TOKEN, "s3cr3tKeyInOutput"] {
            assert!(!text.contains(secret), "output {i} holds {secret}:\n{text}");
        }
        assert!(
            !text.contains("REDACTEDation"),
            "output {i} redacted inside a word:\n{text}"
        );
    }
    assert!(recording.contains("PASSWORD: REDACTED"), "{recording}");
    assert!(recording.contains(&role), "the role's name, test-…, is kept");
    assert!(
        reports[0].contains("test-cluster and attestation"),
        "{}",
        reports[0]
    );
    assert!(reports[0].contains("key is REDACTED"), "{}", reports[0]);
    assert!(reports[0].contains("the token is REDACTED"), "{}", reports[0]);

    // The replay plans with the marker and passes as the record did.
    let (replayed, replay_reports) = run(dir.path(), "--replay", &[]);
    assert_eq!(
        replayed.status.code(),
        Some(1),
        "{}{}",
        String::from_utf8_lossy(&replayed.stdout),
        String::from_utf8_lossy(&replayed.stderr)
    );
    assert_eq!(step_outputs(&reports[0]), step_outputs(&replay_reports[0]));
}
