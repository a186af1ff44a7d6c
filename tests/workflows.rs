//! Every workflow under `workflows/` ships its recording, replays from it
//! with no network and no credentials, and every step's output matches its
//! snapshot in `snapshots/workflows/<workflow>/`. A change to a workflow or
//! its recording that alters an output fails here until it is reviewed
//! (`cargo insta review`).

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

fn workflows() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// What a re-recording would change: times, uids, resource versions,
/// generations, scratch paths.
fn settings(workflow: &str) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots/workflows")
            .join(workflow),
    );
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
        "[timestamp]",
    );
    s.add_filter(
        r#""uid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}""#,
        r#""uid": "[uid]""#,
    );
    s.add_filter(
        r#""resourceVersion": "\d+""#,
        r#""resourceVersion": "[resourceVersion]""#,
    );
    s.add_filter(
        r#""(generation|observedGeneration)": \d+"#,
        r#""$1": "[generation]""#,
    );
    s.add_filter(r"/tmp/tmp\.[A-Za-z0-9]+", "[tmp]");
    s
}

#[test]
fn every_workflow_replays_and_matches_its_snapshots() {
    let all = workflows();
    assert!(all.len() >= 2, "{all:?}");
    for workflow in all {
        let recording = workflow.with_extension("recording.yaml");
        assert!(
            recording.is_file(),
            "{} has no recording: record it with `rehearse run --record`, or write one (see docs/recording.md)",
            workflow.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let report = dir.path().join("report.json");
        let out = common::rehearse_offline(
            dir.path(),
            &[
                "run",
                "--replay",
                workflow.to_str().unwrap(),
                "--report-json",
                report.to_str().unwrap(),
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}:\n{}{}",
            workflow.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
        let wf = &r["workflows"][0];
        let name = wf["name"].as_str().unwrap().to_string();
        settings(&name).bind(|| {
            for (phase, key) in [("", "steps"), ("finally-", "finally")] {
                for s in wf[key].as_array().unwrap() {
                    let id = s["id"].as_str().unwrap();
                    let output = s["attempts"]
                        .as_array()
                        .unwrap()
                        .last()
                        .map(|a| a["output"].clone());
                    // A skipped step has no output; its reason is what to pin.
                    let pinned = output.unwrap_or_else(|| serde_json::json!({ "skipped": s["skip_reason"] }));
                    insta::assert_json_snapshot!(format!("{phase}{id}"), pinned);
                }
            }
        });
    }
}
