//! Many workflows: `--jobs N` runs them side by side, `--shard K/N` splits
//! them between CI jobs, and `report merge` joins the shards' reports.
//! Replays of the EKS reference recording keep this fast and peer-free.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

fn rehearse(dir: &Path, args: &[&str]) -> Output {
    common::rehearse_offline(dir, args)
}

/// `n` copies of the replayable EKS reference workflow, `lab-00.toml`...
fn labs(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eks-reference");
    std::fs::create_dir(dir.path().join("labs")).unwrap();
    for i in 0..n {
        let stem = dir.path().join(format!("labs/lab-{i:02}"));
        std::fs::copy(fixture.join("eks-addons.toml"), stem.with_extension("toml")).unwrap();
        std::fs::copy(
            fixture.join("eks-addons.recording.yaml"),
            stem.with_extension("recording.yaml"),
        )
        .unwrap();
    }
    dir
}

fn report(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn files(r: &Value) -> Vec<String> {
    r["workflows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["file"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn jobs_run_workflows_side_by_side_and_report_them_in_file_order() {
    let dir = labs(4);
    let out = rehearse(
        dir.path(),
        &[
            "run",
            "--replay",
            "--jobs",
            "3",
            "labs",
            "--report-json",
            "r.json",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    let r = report(&dir.path().join("r.json"));
    assert_eq!(
        files(&r),
        [
            "labs/lab-00.toml",
            "labs/lab-01.toml",
            "labs/lab-02.toml",
            "labs/lab-03.toml"
        ]
    );
    assert!(
        r["workflows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|w| w["status"] == "passed")
    );
    // With several at once, every progress line says whose it is.
    assert!(stdout.contains("[eks-addons] "), "{stdout}");
}

#[test]
fn shards_split_the_workflows_and_their_reports_merge_back() {
    let dir = labs(5);
    let mut seen: Vec<String> = Vec::new();
    let mut reports: Vec<PathBuf> = Vec::new();
    for k in 1..=2 {
        let json = dir.path().join(format!("shard-{k}.json"));
        let out = rehearse(
            dir.path(),
            &[
                "run",
                "--replay",
                "--shard",
                &format!("{k}/2"),
                "labs",
                "--report-json",
                json.to_str().unwrap(),
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        seen.extend(files(&report(&json)));
        reports.push(json);
    }
    seen.sort();
    let all: Vec<String> = (0..5).map(|i| format!("labs/lab-{i:02}.toml")).collect();
    assert_eq!(seen, all, "every workflow ran in exactly one shard");

    let merged_json = dir.path().join("merged.json");
    let merged_xml = dir.path().join("merged.xml");
    let merged_html = dir.path().join("merged.html");
    let mut args = vec!["report", "merge"];
    args.extend(reports.iter().map(|p| p.to_str().unwrap()));
    args.extend([
        "--report-json",
        merged_json.to_str().unwrap(),
        "--report-junit",
        merged_xml.to_str().unwrap(),
        "--report-html",
        merged_html.to_str().unwrap(),
    ]);
    let out = rehearse(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged = report(&merged_json);
    assert_eq!(merged["workflows"].as_array().unwrap().len(), 5);
    assert_eq!(merged["totals"]["passed"], 5);
    let suites =
        junit_parser::from_reader(std::io::BufReader::new(std::fs::File::open(&merged_xml).unwrap()))
            .unwrap();
    assert_eq!(suites.suites.len(), 5);
    let page = std::fs::read_to_string(&merged_html).unwrap();
    assert_eq!(page.matches("<section class=\"workflow passed\"").count(), 5);
    assert!(page.contains("5 workflows: 5 passed, 0 failed in "), "{page}");
}

#[test]
fn a_bad_shard_is_a_usage_error() {
    let dir = labs(1);
    let out = rehearse(dir.path(), &["run", "--replay", "--shard", "3/2", "labs"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 1 and N"));
    let out = rehearse(dir.path(), &["report", "merge", "labs/lab-00.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a rehearse JSON report"));
}

/// A shell workflow named `name` with one `run` step.
fn shell_workflow(dir: &Path, name: &str, script: &str) {
    std::fs::write(
        dir.join(format!("{name}.toml")),
        format!(
            "[workflow]\nname = \"{name}\"\n\n[[steps]]\nid = \"step\"\nrun = '''\n{script}\n'''\ntimeout = \"30s\"\n"
        ),
    )
    .unwrap();
}

#[test]
fn jobs_really_overlap() {
    // Each workflow waits for the other's marker: only two at once pass.
    let dir = tempfile::tempdir().unwrap();
    let wait_for = |mine: &str, theirs: &str| {
        format!(
            "touch ../{mine}.ready\nfor i in $(seq 200); do [ -f ../{theirs}.ready ] && exit 0; sleep 0.05; done\nexit 1"
        )
    };
    std::fs::create_dir(dir.path().join("labs")).unwrap();
    shell_workflow(&dir.path().join("labs"), "a", &wait_for("a", "b"));
    shell_workflow(&dir.path().join("labs"), "b", &wait_for("b", "a"));
    let out = rehearse(dir.path(), &["run", "--jobs", "2", "labs"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("2 workflows: 2 passed"), "{stdout}");
}

#[test]
fn fail_fast_stops_the_workflows_not_yet_started() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("labs")).unwrap();
    let labs = dir.path().join("labs");
    shell_workflow(&labs, "a-fails", "echo failing; exit 3");
    shell_workflow(&labs, "b-later", "touch ../b-ran");
    shell_workflow(&labs, "c-later", "touch ../c-ran");
    let out = rehearse(
        dir.path(),
        &["run", "--fail-fast", "labs", "--report-json", "r.json"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("2 workflow(s) not run"), "{stdout}");
    assert!(!dir.path().join("b-ran").exists() && !dir.path().join("c-ran").exists());
    assert_eq!(files(&report(&dir.path().join("r.json"))), ["labs/a-fails.toml"]);

    // Without it, every workflow runs and the run still fails.
    let out = rehearse(dir.path(), &["run", "labs"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(dir.path().join("b-ran").exists() && dir.path().join("c-ran").exists());
}

#[test]
fn bad_recordings_are_reported_in_file_order_before_anything_runs() {
    let dir = labs(6);
    for i in [1, 4] {
        std::fs::remove_file(dir.path().join(format!("labs/lab-{i:02}.recording.yaml"))).unwrap();
    }
    std::fs::write(
        dir.path().join("labs/lab-03.recording.yaml"),
        "format: 1\nexchanges: [",
    )
    .unwrap();
    let out = rehearse(dir.path(), &["run", "--replay", "--jobs", "4", "labs"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let at = |name: &str| {
        stderr
            .find(name)
            .unwrap_or_else(|| panic!("{name} not in:\n{stderr}"))
    };
    assert!(
        at("lab-01.recording.yaml") < at("lab-03.recording.yaml"),
        "{stderr}"
    );
    assert!(
        at("lab-03.recording.yaml") < at("lab-04.recording.yaml"),
        "{stderr}"
    );
    // Nothing ran: no step reported, no summary.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("passed"), "{stdout}");
}
