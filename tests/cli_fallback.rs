//! `aws` and `kubectl` lines that rehearse does not run natively run
//! through the real CLI found on PATH. Here the CLIs are small shell
//! scripts written by the test, which print JSON or text and write down
//! the argv and environment they were given: a live run with `--record`
//! shows what they received, and the replay of its recording passes with
//! neither of them on PATH.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::output_text;
use serde_json::Value;

const WORKFLOW: &str = r#"[workflow]
name = "fallback"

[vars]
EKS_CLUSTER_NAME = "lab cluster"
APP = "carts"
# A workflow variable of a setting's name reaches `run` steps, not the CLI:
# the CLI acts on the AWS set-up that native steps use.
AWS_PROFILE = "from-the-workflow"

[kubernetes]
context = "lab-context"
namespace = "carts"

[[steps]]
id = "insight"
aws = "eks describe-insight --cluster-name ${EKS_CLUSTER_NAME} --id fp"
# The output is the JSON the CLI printed; the printed text is its own.
expect = [
  { query = "insight.status", equals = "ACTIVE" },
  { stdout = true, contains = "{\"insight\": {\"id\": \"fp\"" },
]
capture = { PROFILE = "insight.id" }

[[steps]]
id = "vpcs"
aws = "ec2 describe-vpcs --output text"
expect = [{ query = "stdout", contains = "VPCS" }]

[[steps]]
id = "describe"
kubectl = "describe replicaset ${APP}"
expect = [{ query = "stdout", contains = "Name: carts" }]

[[steps]]
id = "top"
kubectl = "top pods -n other --context=mine ${PROFILE}"
expect = [{ query = "items[0].name", equals = "fp" }]
"#;

/// A fake CLI: writes its argv (one `[word]` each) and the environment it
/// cares about to `$FAKE_LOG`, then prints what `body` prints.
fn fake(dir: &Path, name: &str, body: &str) {
    let path = dir.join(name);
    let script = format!(
        "#!/bin/sh\n\
         {{ printf '%s' '{name}'; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; printf '\\n'; \
         printf 'env APP=%s AWS_REGION=%s AWS_PROFILE=%s AWS_PAGER=[%s] KUBECONFIG=%s\\n' \
         \"$APP\" \"$AWS_REGION\" \"$AWS_PROFILE\" \"${{AWS_PAGER-unset}}\" \"$KUBECONFIG\"; }} >> \"$FAKE_LOG\"\n\
         {body}\n"
    );
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

const AWS: &str = r#"case "$1 $2" in
  "eks describe-insight") printf '{"insight": {"id": "fp", "clusterName": "%s", "status": "ACTIVE"}}\n' "$4" ;;
  "ec2 describe-vpcs") printf 'VPCS\t10.0.0.0/16\tvpc-1 %s\n' "$AWS_SECRET_ACCESS_KEY" ;;
  *) echo "aws: unknown $1 $2" >&2; exit 252 ;;
esac"#;

const KUBECTL: &str = r#"for a in "$@"; do
  case "$a" in
    describe) printf 'Name: carts\nNamespace: carts\n'; exit 0 ;;
    top) printf '{"items": [{"name": "%s"}]}\n' "$6"; exit 0 ;;
  esac
done
echo "kubectl: no verb" >&2; exit 1"#;

struct Lab {
    _dir: tempfile::TempDir,
    root: PathBuf,
    bin: PathBuf,
    empty: PathBuf,
    log: PathBuf,
}

fn lab() -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let (bin, empty) = (root.join("bin"), root.join("empty"));
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&empty).unwrap();
    fake(&bin, "aws", AWS);
    fake(&bin, "kubectl", KUBECTL);
    std::fs::write(root.join("fallback.toml"), WORKFLOW).unwrap();
    Lab {
        log: root.join("argv.log"),
        _dir: dir,
        root,
        bin,
        empty,
    }
}

const SECRET: &str = "fake-secret-key-0123456789";

/// rehearse in the lab, with `path` as PATH and a known AWS set-up.
fn rehearse(lab: &Lab, path: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.current_dir(&lab.root)
        .args(args)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &lab.root)
        .env("FAKE_LOG", &lab.log)
        .env("AWS_REGION", "eu-west-3")
        .env("AWS_PROFILE", "lab-profile")
        .env("AWS_ACCESS_KEY_ID", "AKIAFAKE")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("KUBECONFIG", lab.root.join("kubeconfig"));
    cmd.output().expect("run rehearse")
}

fn report(lab: &Lab, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(lab.root.join(name)).unwrap()).unwrap()
}

/// Each step's id, kind, `cli` and last output.
fn steps(report: &Value) -> Vec<(String, String, Value, Value)> {
    report["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_string(),
                s["kind"].as_str().unwrap().to_string(),
                s["cli"].clone(),
                s["attempts"].as_array().unwrap().last().unwrap()["output"].clone(),
            )
        })
        .collect()
}

#[test]
fn lines_that_are_not_native_run_through_the_cli_record_and_replay_without_it() {
    let lab = lab();
    let live = rehearse(
        &lab,
        &lab.bin,
        &["run", "fallback.toml", "--record", "--report-json", "live.json"],
    );
    assert_eq!(live.status.code(), Some(0), "{}", output_text(&live));

    // What the CLIs were given: argv word for word (a value is one word,
    // spaces and all), `--output json` unless the line asks for text, the
    // workflow's context and namespace unless the line sets its own, and
    // rehearse's own AWS set-up, never the workflow variable of that name.
    let log = std::fs::read_to_string(&lab.log).unwrap();
    let kubeconfig = lab.root.join("kubeconfig");
    let env = format!(
        "env APP=carts AWS_REGION=eu-west-3 AWS_PROFILE=lab-profile AWS_PAGER=[] KUBECONFIG={}",
        kubeconfig.display()
    );
    let expected = [
        "aws [eks] [describe-insight] [--cluster-name] [lab cluster] [--id] [fp] [--output] [json]",
        &env,
        "aws [ec2] [describe-vpcs] [--output] [text]",
        &env,
        "kubectl [--context] [lab-context] [--namespace] [carts] [describe] [replicaset] [carts]",
        &env,
        "kubectl [top] [pods] [-n] [other] [--context=mine] [fp]",
        &env,
    ];
    assert_eq!(log.lines().collect::<Vec<_>>(), expected, "{log}");

    // The output: the JSON the CLI prints, or a process's output.
    let live_steps = steps(&report(&lab, "live.json"));
    let kinds: Vec<(&str, &str)> = live_steps
        .iter()
        .map(|(id, kind, _, _)| (id.as_str(), kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("insight", "aws (cli)"),
            ("vpcs", "aws (cli)"),
            ("describe", "kubectl (cli)"),
            ("top", "kubectl (cli)")
        ]
    );
    assert_eq!(
        live_steps[0].2,
        "operation `describe-insight` of eks is not run natively"
    );
    assert_eq!(live_steps[0].3["insight"]["clusterName"], "lab cluster");
    assert_eq!(live_steps[2].3["exit_code"], 0);

    // The recording holds the command lines and results, and no secret.
    let recording = std::fs::read_to_string(lab.root.join("fallback.recording.yaml")).unwrap();
    assert!(!recording.contains(SECRET), "{recording}");
    assert!(
        recording.contains("aws eks describe-insight --cluster-name 'lab cluster' --id fp --output json"),
        "{recording}"
    );

    // The replay needs neither executable: PATH holds nothing.
    std::fs::remove_file(&lab.log).unwrap();
    let replay = rehearse(
        &lab,
        &lab.empty,
        &["run", "fallback.toml", "--replay", "--report-json", "replay.json"],
    );
    assert_eq!(replay.status.code(), Some(0), "{}", output_text(&replay));
    assert!(!lab.log.exists(), "no CLI ran in the replay");
    assert_eq!(steps(&report(&lab, "replay.json")), live_steps);
}

#[test]
fn a_missing_cli_is_named_with_what_to_do() {
    let lab = lab();
    let out = rehearse(&lab, &lab.empty, &["run", "fallback.toml", "--only", "insight"]);
    // A runtime error, as a missing shell is.
    assert_eq!(out.status.code(), Some(3), "{}", output_text(&out));
    let text = output_text(&out);
    assert!(
        text.contains("`aws` not found on PATH: this step runs through the aws CLI"),
        "{text}"
    );
    assert!(text.contains("--native-only"), "{text}");
    // The progress line names the kind.
    assert!(text.contains("[1/4] insight · aws (cli)"), "{text}");
}

#[test]
fn native_only_refuses_every_line_that_would_run_through_the_cli() {
    let lab = lab();
    for command in ["validate", "run"] {
        let out = rehearse(&lab, &lab.bin, &[command, "--native-only", "fallback.toml"]);
        assert_eq!(out.status.code(), Some(2), "{command}: {}", output_text(&out));
        let text = String::from_utf8_lossy(&out.stderr);
        for (at, why) in [
            (
                "fallback.toml:17:",
                "operation `describe-insight` of eks is not run natively in step `insight`",
            ),
            (
                "fallback.toml:27:",
                "service `ec2` is not run natively in step `vpcs`",
            ),
            (
                "fallback.toml:32:",
                "`describe` of ReplicaSet (`replicaset`) is not run natively",
            ),
            (
                "fallback.toml:37:",
                "`top` is not a verb rehearse runs natively in step `top`",
            ),
        ] {
            assert!(
                text.contains(at) && text.contains(why),
                "{command}: {why}\n{text}"
            );
        }
        assert!(!lab.log.exists(), "{command}: nothing ran");
    }
    let ok = rehearse(&lab, &lab.bin, &["validate", "fallback.toml"]);
    assert_eq!(ok.status.code(), Some(0), "{}", output_text(&ok));
    assert!(ok.stderr.is_empty(), "{}", output_text(&ok));
}

/// An operation of EKS, IAM or STS close to a native one is likely a typo:
/// the line validates (the AWS CLI has operations rehearse does not
/// define), with a warning that names the native one.
#[test]
fn a_likely_mistyped_operation_is_a_warning_that_names_the_native_one() {
    let lab = lab();
    let typo = "[workflow]\nname = \"typo\"\n\n[[steps]]\nid = \"cluster\"\naws = \"eks describe-clustr --name c\"\n";
    std::fs::write(lab.root.join("typo.toml"), typo).unwrap();
    let out = rehearse(&lab, &lab.bin, &["validate", "typo.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: typo.toml:6:12: step `cluster` runs through the aws CLI: operation `describe-clustr` of eks is not run natively (did you mean `describe-cluster`?)\n"
    );
}

#[test]
fn list_says_which_steps_run_through_the_cli_and_why() {
    let lab = lab();
    let out = rehearse(&lab, &lab.bin, &["list", "fallback.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("  1. insight [aws (cli)]\n"), "{text}");
    assert!(
        text.contains(
            "       through the aws CLI: operation `describe-insight` of eks is not run natively\n"
        ),
        "{text}"
    );
    assert!(text.contains("  3. describe [kubectl (cli)]\n"), "{text}");
}
