//! `eks update-kubeconfig` run by rehearse and by the AWS CLI v1 on the
//! same moto cluster, each on its own copy of a kubeconfig that already
//! holds another context: the files must read the same after the same
//! lines (the YAML parsed: rehearse's writer is not PyYAML) and each line
//! must print the same. Then the recording replays without touching any file.

mod common;
mod common_aws;

use serde_json::Value;

const EXISTING: &str = "apiVersion: v1
clusters:
- cluster:
    server: https://other.example
  name: other
contexts:
- context:
    cluster: other
    user: other
  name: other
current-context: other
kind: Config
preferences: {}
users:
- name: other
  user:
    token: tok-other-user-secret
";

/// The lines, each with its kubeconfig flag last (ours relative to the
/// workflow's folder, theirs absolute).
const LINES: &[(&str, &str)] = &[
    ("add", "eks update-kubeconfig --name CLUSTER"),
    (
        "update",
        "eks update-kubeconfig --name CLUSTER --role-arn arn:aws:iam::123456789012:role/readonly --alias readonly --user-alias readonly",
    ),
    (
        "dry-run",
        "eks update-kubeconfig --name CLUSTER --alias dry --dry-run",
    ),
    (
        // The CLI's command prints its own text: `--query` changes nothing.
        "verbose",
        "eks update-kubeconfig --name CLUSTER --alias admins --verbose --query cluster.name",
    ),
];

fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap_or_else(|e| panic!("not YAML ({e}):\n{text}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn update_kubeconfig_writes_what_the_cli_writes_and_replays_without_writing() {
    let moto = common_aws::moto_url().to_string();
    let cluster = common_aws::unique("kubeconfig-cluster");
    common_aws::create_cluster(&cluster).await;

    let dir = tempfile::tempdir().unwrap();
    let ours = dir.path().join("ours.yaml");
    let theirs = dir.path().join("theirs.yaml");
    std::fs::write(&ours, EXISTING).unwrap();
    std::fs::write(&theirs, EXISTING).unwrap();
    let mut workflow =
        String::from("[workflow]\nname = \"kubeconfig\"\n\n[vars]\nCLUSTER = { env = \"CLUSTER\" }\n");
    for (id, line) in LINES {
        let line = line.replace("CLUSTER", "$CLUSTER");
        workflow.push_str(&format!(
            "\n[[steps]]\nid = \"{id}\"\naws = \"{line} --kubeconfig ours.yaml\"\n"
        ));
    }
    std::fs::write(dir.path().join("kubeconfig.toml"), workflow).unwrap();

    let report = dir.path().join("recorded.json");
    let out = common::rehearse_without_aws(
        dir.path(),
        &[
            "run",
            "--record",
            "kubeconfig.toml",
            "--report-json",
            report.to_str().unwrap(),
        ],
        &[
            ("CLUSTER", cluster.as_str()),
            ("AWS_ENDPOINT_URL", moto.as_str()),
            ("AWS_ACCESS_KEY_ID", "testing"),
            ("AWS_SECRET_ACCESS_KEY", "testing"),
            ("AWS_REGION", "us-west-2"),
        ],
    )
    .env_remove("AWS_DEFAULT_PROFILE")
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", common::output_text(&out));
    let ours_printed = common::step_printed(&report);

    for ((id, line), (step, our_text)) in LINES.iter().zip(&ours_printed) {
        assert_eq!(id, step);
        let before = std::fs::read_to_string(&theirs).unwrap();
        let command = format!(
            "{} --kubeconfig {}",
            line.replace("CLUSTER", &cluster),
            theirs.display()
        );
        let their_text = common_aws::aws_cli_printed(&command).unwrap();
        if *id == "dry-run" {
            // The merged kubeconfig, printed and not written; we print the
            // other users' credentials redacted, where the CLI prints them.
            assert!(!our_text.contains("tok-other-user-secret"), "{our_text}");
            let mut theirs_redacted = yaml(&their_text);
            rehearse::ground::redact::redact_json(&mut theirs_redacted);
            assert_eq!(yaml(our_text), theirs_redacted, "{id}");
            assert_eq!(std::fs::read_to_string(&theirs).unwrap(), before);
            continue;
        }
        let ours_shown = our_text.replace(&ours.display().to_string(), "PATH");
        let theirs_shown = their_text.replace(&theirs.display().to_string(), "PATH");
        if *id == "verbose" {
            // The line, then the entries, each a YAML document.
            let (our_line, our_entries) = ours_shown.split_once("Entries:\n\n").unwrap();
            let (their_line, their_entries) = theirs_shown.split_once("Entries:\n\n").unwrap();
            assert_eq!(our_line, their_line, "{id}");
            let docs = |t: &str| -> Vec<Value> {
                t.split("\n\n")
                    .filter(|d| !d.trim().is_empty())
                    .map(yaml)
                    .collect()
            };
            assert_eq!(docs(our_entries), docs(their_entries), "{id}");
        } else {
            assert_eq!(ours_shown, theirs_shown, "{id}");
        }
    }
    // The files after the same lines (each step's state shows in its line:
    // added or updated, and in the dry run's merged kubeconfig).
    assert_eq!(
        yaml(&std::fs::read_to_string(&ours).unwrap()),
        yaml(&std::fs::read_to_string(&theirs).unwrap()),
        "the kubeconfig files differ"
    );
    assert!(
        ours_printed[0]
            .1
            .starts_with("Added new context arn:aws:eks:us-west-2:")
    );
    assert!(ours_printed[1].1.starts_with("Updated context readonly in "));
    let config = yaml(&std::fs::read_to_string(&ours).unwrap());
    assert_eq!(config["current-context"], "admins");
    assert_eq!(config["contexts"][0]["name"], "other", "other contexts are kept");

    // Other users' credentials reach neither the recording nor the report.
    for file in ["kubeconfig.recording.yaml", "recorded.json"] {
        let text = std::fs::read_to_string(dir.path().join(file)).unwrap();
        assert!(!text.contains("tok-other-user-secret"), "{file} holds a token");
    }

    // The replay answers from the recording and writes no kubeconfig.
    std::fs::remove_file(&ours).unwrap();
    let replayed = dir.path().join("replayed.json");
    let out = common::rehearse_offline(
        dir.path(),
        &[
            "run",
            "--replay",
            "kubeconfig.toml",
            "--report-json",
            replayed.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", common::output_text(&out));
    assert!(!ours.exists(), "a replay wrote the kubeconfig");
    assert_eq!(common::step_printed(&replayed), ours_printed);
    assert_eq!(common::step_outputs(&replayed), common::step_outputs(&report));
}
