//! `rehearse recording scaffold`: the skeleton of a workflow's reference
//! recording lists every step a replay runs with a placeholder, carries an
//! imported step's sample output from its page, loads as a recording, and
//! never replaces a file unless asked.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use rehearse::recording::Recording;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rehearse(dir: &Path, args: &[&str]) -> Output {
    common::rehearse_offline(dir, args)
}

fn text(out: &Output) -> String {
    common::output_text(out)
}

/// The text with its `recorded_at` line, which is the time it was written, set.
fn at_a_fixed_time(text: &str) -> String {
    text.lines()
        .map(|l| match l.starts_with("recorded_at: ") {
            true => "recorded_at: 2026-11-30T18:30:00Z",
            false => l,
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// docs/import.md's example lab, imported into `dir` as `lab.toml`.
fn imported_lab(dir: &Path) {
    std::fs::create_dir_all(dir.join("lab")).unwrap();
    std::fs::write(
        dir.join("lab/index.md"),
        common::doc_block("import.md", "markdown lab/index.md"),
    )
    .unwrap();
    let out = rehearse(dir, &["import", "lab", "-o", "lab.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn the_scaffold_of_docs_cli_md_is_the_one_rehearse_writes_and_it_replays() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    imported_lab(d);
    let out = rehearse(d, &["recording", "scaffold", "lab.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "wrote lab.recording.yaml: 4 steps to fill in, 3 with their page's sample output\n"
    );
    let written = std::fs::read_to_string(d.join("lab.recording.yaml")).unwrap();
    assert_eq!(
        at_a_fixed_time(&written),
        common::doc_block("cli.md", "yaml scaffold"),
        "docs/cli.md shows another scaffold"
    );
    // The page's sample output stands next to its step.
    assert!(
        written.contains("  index.aws-eks-describe-cluster:  # aws eks describe-cluster --name $EKS_CLUSTER_NAME \\\n  # The page shows:\n  #   \"ACTIVE\"\n  - output: {}\n"),
        "{written}"
    );
    // A recording from the start: its placeholders replay.
    let out = rehearse(d, &["run", "--replay", "lab.toml", "--color", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn every_step_a_replay_runs_is_listed_and_the_header_says_reference() {
    let workflow = root().join("workflows/eks-pod-identity.toml");
    let dir = tempfile::tempdir().unwrap();
    let out = rehearse(
        dir.path(),
        &[
            "recording",
            "scaffold",
            workflow.to_str().unwrap(),
            "-o",
            "skeleton.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let path = dir.path().join("skeleton.yaml");
    let recording = Recording::load(&path).unwrap();
    assert_eq!(recording.header.capture, rehearse::recording::Capture::Reference);
    assert!(recording.header.source.unwrap().starts_with("TODO: "));
    assert_eq!(recording.header.variables["EKS_CLUSTER_NAME"], "eks-workshop");
    let (_, wf) = rehearse::validate::load(&workflow).unwrap();
    let runs: Vec<&str> = wf
        .steps
        .iter()
        .chain(&wf.finally)
        // A replay runs neither live-only nor skipped steps.
        .filter(|s| s.live_only.is_none() && s.skip.is_none())
        .map(|s| s.id.value.as_str())
        .collect();
    let mut listed: Vec<&str> = recording.steps.keys().map(String::as_str).collect();
    let mut expected = runs.clone();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    for id in &runs {
        assert_eq!(recording.steps[*id].len(), 1, "{id}");
    }
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.contains("  # prepare-environment: live only, so it needs no results\n"),
        "{written}"
    );
    assert!(
        written.contains("  rollout-times-out:  # kubectl rollout status -n carts deployment/carts --timeout=20s\n  - error: {message: TODO}\n"),
        "{written}"
    );
    assert!(
        written.contains("  table-name:  # echo \"$CARTS_DYNAMODB_TABLENAME\"\n  - stdout: TODO\n"),
        "{written}"
    );
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    imported_lab(d);
    std::fs::write(d.join("lab.recording.yaml"), "hours of work\n").unwrap();
    let out = rehearse(d, &["recording", "scaffold", "lab.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("error: lab.recording.yaml exists: nothing written (`--force` replaces it)"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("lab.recording.yaml")).unwrap(),
        "hours of work\n"
    );
    let out = rehearse(d, &["recording", "scaffold", "lab.toml", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let written = std::fs::read_to_string(d.join("lab.recording.yaml")).unwrap();
    assert!(written.contains("capture: reference\n"), "{written}");
    // Nothing else was left in the folder (no temporary file).
    let mut names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["lab", "lab.recording.yaml", "lab.toml"]);
}

#[test]
fn an_invalid_workflow_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("bad.toml"),
        "[workflow]\nname = \"bad\"\n\n[[steps]]\nid = \"a\"\n",
    )
    .unwrap();
    let out = rehearse(d, &["recording", "scaffold", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(!d.join("bad.recording.yaml").exists());
}

#[test]
fn a_command_moved_down_its_page_keeps_its_sample_output() {
    // Text added above the commands since the import shifts their lines:
    // the command is found by its fingerprint.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    imported_lab(d);
    let page = std::fs::read_to_string(d.join("lab/index.md")).unwrap();
    let moved = page.replacen(
        "Reset the lab first:",
        "A new paragraph.\n\nReset the lab first:",
        1,
    );
    assert_ne!(moved, page);
    std::fs::write(d.join("lab/index.md"), moved).unwrap();
    let out = rehearse(d, &["recording", "scaffold", "lab.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("4 steps to fill in, 3 with their page's sample output"),
        "{}",
        text(&out)
    );
    // A page that is gone leaves the steps without it.
    std::fs::remove_file(d.join("lab/index.md")).unwrap();
    let out = rehearse(d, &["recording", "scaffold", "lab.toml", "--force"]);
    assert!(
        text(&out).contains("4 steps to fill in, 0 with their page's sample output"),
        "{}",
        text(&out)
    );
}

/// A step that runs through the real CLI gets the placeholder of what it
/// gives: kubectl's text as a process's `stdout`, aws's JSON as `output`.
#[test]
fn a_cli_step_gets_the_placeholder_of_what_it_gives() {
    let dir = tempfile::tempdir().unwrap();
    let wf = "[workflow]\nname = \"cli\"\n\n[[steps]]\nid = \"describe\"\nkubectl = \"describe replicaset carts\"\n\n[[steps]]\nid = \"vpcs\"\naws = \"ec2 describe-vpcs\"\n";
    std::fs::write(dir.path().join("cli.toml"), wf).unwrap();
    let out = rehearse(dir.path(), &["recording", "scaffold", "cli.toml"]);
    assert!(out.status.success(), "{}", text(&out));
    let yaml = std::fs::read_to_string(dir.path().join("cli.recording.yaml")).unwrap();
    assert!(
        yaml.contains("  describe:  # kubectl describe replicaset carts\n  - stdout: TODO\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("  vpcs:  # aws ec2 describe-vpcs\n  - output: {}\n"),
        "{yaml}"
    );
}
