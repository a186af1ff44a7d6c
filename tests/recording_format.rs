//! The recording file: header and process exchanges round-trip, errors a
//! person can act on, atomic saving.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use rehearse::action::process::process_output;
use rehearse::ground::port::{ActionError, ActionResult, ErrorKind, Output};
use rehearse::recording::{Capture, Header, Player, Recorder, Recording, RecordingError, path_for};

fn header() -> Header {
    let mut variables = BTreeMap::new();
    variables.insert("CLUSTER".to_string(), "eks-workshop".to_string());
    variables.insert("AWS_REGION".to_string(), "us-west-2".to_string());
    Header::live(Some("us-west-2".into()), variables)
}

#[test]
fn header_fields_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let path = path_for(&dir.path().join("autoscaling.toml"));
    assert_eq!(path.file_name().unwrap(), "autoscaling.recording.yaml");

    let mut h = header();
    h.capture = Capture::Reference;
    h.source = Some("EKS API reference, DescribeAddon example".into());
    let recording = Recording {
        header: h.clone(),
        steps: Default::default(),
        exchanges: Vec::new(),
    };
    recording.save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("format: 1\n"), "{text}");
    assert!(text.contains("capture: reference\n"), "{text}");
    assert!(text.contains("  CLUSTER: eks-workshop\n"), "{text}");
    let loaded = Recording::load(&path).unwrap();
    assert_eq!(loaded, recording);
    assert_eq!(loaded.header.tool_version, env!("CARGO_PKG_VERSION"));
    assert!(
        humantime::parse_rfc3339(&loaded.header.recorded_at).is_ok(),
        "{}",
        loaded.header.recorded_at
    );
}

fn ok(stdout: &str) -> ActionResult {
    Ok(Output::printed(
        process_output(stdout.as_bytes(), b"", Some(0), None),
        stdout,
    ))
}

fn failed(code: i32, stderr: &str) -> ActionResult {
    Err(ActionError::failed(
        format!("command exited with code {code}: {stderr}"),
        Some(process_output(b"partial\n", stderr.as_bytes(), Some(code), None)),
    ))
}

#[test]
fn process_exchanges_round_trip() {
    let recorder = Recorder::new(header());
    let results = [
        ("list", "ls -1", ok("a.txt\nb.txt\n"), 12),
        ("json", "echo '{\"a\": [1, 2]}'", ok("{\"a\": [1, 2]}\n"), 3),
        ("poll", "check-ready", failed(1, "not yet"), 100),
        ("poll", "check-ready", ok("ready\n"), 110),
        (
            "broken",
            "nope",
            Err(ActionError::runtime("cannot start `bash` in /x: No such file")),
            0,
        ),
    ];
    for (step, command, result, ms) in &results {
        recorder.record_process(step, command, result, Duration::from_millis(*ms));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lab.recording.yaml");
    recorder.finish().save(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("stdout: |\n    a.txt\n    b.txt\n"),
        "multi-line output is a block:\n{text}"
    );

    let player = Player::new(Recording::load(&path).unwrap());
    for (step, command, result, ms) in &results {
        let (replayed, duration) = player.process(step, command).unwrap();
        assert_eq!(&replayed, result, "step {step}");
        assert_eq!(duration, Duration::from_millis(*ms));
    }
    // The JSON stdout is parsed again on replay, like a live run.
    let (json, _) = player.process("json", "echo '{\"a\": [1, 2]}'").unwrap();
    assert_eq!(json.unwrap().json["json"]["a"][1], 2);
    // After the last recorded run, the last one answers again.
    assert_eq!(player.process("poll", "check-ready").unwrap().0, ok("ready\n"));
    let (broken, _) = player.process("broken", "nope").unwrap();
    assert_eq!(broken.unwrap_err().kind, ErrorKind::Runtime);

    let missing = player.process("list", "ls -la").unwrap_err();
    assert!(
        missing.message.contains("no run of `ls -la` for step `list`"),
        "{}",
        missing.message
    );
    assert!(
        missing.message.contains("`ls -1` (recorded by step `list`)"),
        "{}",
        missing.message
    );
    assert!(player.unused().is_empty());
}

#[test]
fn known_secrets_and_credential_fields_are_scrubbed_from_process_output() {
    let recorder = Recorder::new(header());
    recorder.add_secret("wJalrXUtnFEMI/K7MDENG");
    let stdout = "{\n  \"Credentials\": {\n    \"SecretAccessKey\": \"abc123\",\n    \"SessionToken\": \"tok\"\n  }\n}\n";
    recorder.record_process("creds", "aws sts get-session-token", &ok(stdout), Duration::ZERO);
    recorder.record_process(
        "env",
        "cat ~/.aws/credentials",
        &ok("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG\nsecret: wJalrXUtnFEMI/K7MDENG\n"),
        Duration::ZERO,
    );
    let text = recorder.finish().to_yaml();
    for s in ["abc123", "\"tok\"", "wJalrXUtnFEMI"] {
        assert!(!text.contains(s), "{s} in\n{text}");
    }
    assert!(text.contains("\"SecretAccessKey\": \"REDACTED\""), "{text}");
}

fn load_err(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lab.recording.yaml");
    std::fs::write(&path, text).unwrap();
    let err = Recording::load(&path).unwrap_err();
    assert!(matches!(err, RecordingError::Invalid { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with(&path.display().to_string()), "{msg}");
    msg
}

const HEAD: &str = "format: 1\ntool_version: 0.1.0\nrecorded_at: 2025-01-12T22:41:01Z\n";

#[test]
fn a_hand_written_recording_needs_a_source() {
    let msg = load_err(&format!("{HEAD}capture: hand-written\nexchanges: []\n"));
    assert!(
        msg.contains(":4:1: a `hand-written` recording needs a `source`"),
        "{msg}"
    );

    let ok = format!(
        "{HEAD}capture: hand-written\nsource: EKS Workshop, Karpenter lab, sample output\nexchanges: []\n"
    );
    let rec = Recording::parse(&ok, Path::new("x.yaml")).unwrap();
    assert_eq!(rec.header.capture, Capture::HandWritten);
}

#[test]
fn errors_point_at_the_problem() {
    // YAML syntax: line and column.
    let msg = load_err(&format!("{HEAD}capture: live\nexchanges:\n- step: [unclosed\n"));
    assert!(msg.contains(":7:"), "{msg}");

    // An unknown field at the top.
    let msg = load_err(&format!("{HEAD}capture: live\nregoin: us-west-2\n"));
    assert!(msg.contains(":5:1: unknown field `regoin`"), "{msg}");
    assert!(!msg.contains("at line"), "the location is not repeated: {msg}");

    // A newer format.
    let msg = load_err("format: 2\ntool_version: 9.0.0\n");
    assert!(msg.contains(":1:1: unsupported recording format 2"), "{msg}");
    // ... also when every field of it is one this build knows.
    let msg = load_err(&format!(
        "{}capture: live\nexchanges: []\n",
        HEAD.replace("format: 1", "format: 2")
    ));
    assert!(msg.contains(":1:1: unsupported recording format 2"), "{msg}");

    // An exchange missing a field: which exchange, which field.
    let msg = load_err(&format!(
        "{HEAD}capture: live\nexchanges:\n- step: a\n  command: ls\n  stdout: ''\n  exit_code: 0\n  duration_ms: 1\n\
         - step: b\n  service: eks\n  request: {{method: GET, path: /clusters}}\n  response: {{status: 200}}\n"
    ));
    assert!(msg.contains(":11:1: exchange 2 (step `b`)"), "{msg}");
    assert!(msg.contains("missing field `duration_ms`"), "{msg}");

    // An unknown service.
    let msg = load_err(&format!(
        "{HEAD}capture: live\nexchanges:\n- step: b\n  service: s3\n  request: {{method: GET, path: /}}\n  response: {{status: 200}}\n  duration_ms: 1\n"
    ));
    assert!(
        msg.contains(":6:1: exchange 1 (step `b`): unknown service `s3`"),
        "{msg}"
    );

    // A missing file names it.
    let err = Recording::load(Path::new("/nonexistent/lab.recording.yaml")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot read recording /nonexistent/lab.recording.yaml"),
        "{err}"
    );
}

#[test]
fn a_failed_save_leaves_the_previous_file_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lab.recording.yaml");
    let recorder = Recorder::new(header());
    recorder.record_process("a", "true", &ok(""), Duration::ZERO);
    recorder.finish().save(&path).unwrap();
    let before = std::fs::read(&path).unwrap();

    // A save whose directory is missing fails with the path in the message.
    recorder.record_process("b", "false", &failed(1, "no"), Duration::ZERO);
    let missing = dir.path().join("gone").join("lab.recording.yaml");
    let err = recorder.finish().save(&missing).unwrap_err();
    assert!(err.to_string().contains("cannot write recording"), "{err}");
    assert!(err.to_string().contains("gone/lab.recording.yaml"), "{err}");

    // A save that fails at the last moment (the target cannot be replaced:
    // here a directory sits where the file goes) leaves the old file and no
    // temporary file behind.
    let blocked = dir.path().join("blocked.recording.yaml");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("keep"), "x").unwrap();
    assert!(recorder.finish().save(&blocked).is_err());

    assert_eq!(std::fs::read(&path).unwrap(), before);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["blocked.recording.yaml", "lab.recording.yaml"]);

    // A successful save replaces it.
    recorder.finish().save(&path).unwrap();
    assert_eq!(Recording::load(&path).unwrap().exchanges.len(), 2);
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    // Each level doubles the one before: 2^30 copies of the first value.
    let mut text = String::from("format: 1\nbomb0: &b0 [\"xxxxxxxxxxxxxxxx\"]\n");
    for i in 1..=30 {
        text.push_str(&format!("bomb{i}: &b{i} [*b{p}, *b{p}, *b{p}]\n", p = i - 1));
    }
    let err = load_err(&text);
    assert!(err.contains("YAML aliases"), "{err}");
    assert!(err.contains("at most 64"), "{err}");
    // The 65th alias is on the 23rd bomb's line.
    assert!(err.contains(":24:"), "{err}");
}

#[test]
fn malformed_step_results_are_errors_at_their_line() {
    let head = format!("{HEAD}capture: reference\nsource: a page\n");
    // `steps:` is line 6: the first step is on line 7, its results from 8.
    let at = |steps: &str| load_err(&format!("{head}steps:\n{steps}"));

    // A key no result has.
    let msg = at("  a:\n  - outptu: {x: 1}\n");
    assert!(msg.contains(":8:5: steps.a[0]: unknown field `outptu`"), "{msg}");

    // A value of the wrong type.
    let msg = at("  a:\n  - output: 1\n    duration_ms: soon\n");
    assert!(
        msg.contains(":9:18: steps.a[0].duration_ms: invalid type"),
        "{msg}"
    );

    // A failure of a kind a result cannot hold.
    let msg = at("  a:\n  - error: {message: m, kind: timeout}\n");
    assert!(msg.contains(":8:"), "{msg}");
    assert!(
        msg.contains("unknown variant `timeout`, expected `failed` or `runtime`"),
        "{msg}"
    );

    // An output given twice: which step, which result.
    let msg = at("  a:\n  - output: 1\n  - output: 2\n    exit_code: 0\n");
    assert!(
        msg.contains(":9:3: step `a`, result 2: a result has either `output` (and what it printed, `stdout`) or a process's"),
        "{msg}"
    );

    // Nothing given, in a flow list: the step's line.
    let msg = at("  a: [{output: 1}]\n  b: [{duration_ms: 5}]\n");
    assert!(
        msg.contains(":8:3: step `b`, result 1: a result needs `output`"),
        "{msg}"
    );

    // A merge key that merges no mapping.
    let msg = at("  a:\n  - output: 1\n  - output: {<<: 1}\n");
    assert!(msg.contains(":9:"), "{msg}");
    assert!(msg.contains("`<<` (a merge key) takes a mapping"), "{msg}");

    // A step given twice.
    let msg = at("  a: [{output: 1}]\n  a: [{output: 2}]\n");
    assert!(msg.contains(":8:3:"), "{msg}");
    assert!(msg.contains("step `a` is given twice in `steps`"), "{msg}");

    // No result at all.
    let msg = at("  a: []\n");
    assert!(msg.contains(":7:3: step `a` has no results"), "{msg}");
}

#[test]
fn step_results_round_trip() {
    let text = format!(
        "{HEAD}capture: reference\nsource: a page\nsteps:\n  a:\n  - output: null\n  - {{stdout: x, exit_code: 1}}\n  b:\n  - error: {{message: m, kind: runtime}}\n    duration_ms: 5\n"
    );
    let recording = Recording::parse(&text, Path::new("x.yaml")).unwrap();
    assert_eq!(recording.steps["a"].len(), 2);
    assert_eq!(recording.steps["a"][0].output, Some(serde_json::Value::Null));
    assert_eq!(recording.duration(), Duration::from_millis(205));
    let again = Recording::parse(&recording.to_yaml(), Path::new("x.yaml")).unwrap();
    assert_eq!(again, recording);
}

/// The fuzz target's seed recordings load: a seed the format no longer
/// accepts would start the fuzzer from errors instead of from every kind
/// of exchange and step result.
#[test]
fn the_fuzz_seed_recordings_load() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/recording");
    let mut loaded = 0;
    for entry in std::fs::read_dir(&seeds).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = Recording::parse(&text, &path) {
            panic!("{}: {e}", path.display());
        }
        loaded += 1;
    }
    assert!(loaded >= 4, "{loaded} seeds");
}
