//! Helpers shared by the integration tests.

#![allow(dead_code)]

/// A fenced code block of a markdown file.
pub struct Fenced {
    /// What follows the opening fence (```` ```toml run ```` → `toml run`).
    pub info: String,
    pub body: String,
    /// The 1-based line of the opening fence.
    pub line: usize,
}

/// The fenced blocks of a markdown file, in order. A block opened by N
/// backticks ends at a line of N or more backticks and nothing else, so a
/// ```` ````markdown ```` block can hold ```` ```bash ```` blocks.
pub fn fenced_blocks(md: &str) -> Vec<Fenced> {
    let mut out = Vec::new();
    let mut current: Option<(usize, Fenced)> = None;
    for (i, line) in md.lines().enumerate() {
        let ticks = line.chars().take_while(|c| *c == '`').count();
        match &mut current {
            None if ticks >= 3 => {
                let info = line[ticks..].trim().to_string();
                let body = String::new();
                current = Some((
                    ticks,
                    Fenced {
                        info,
                        body,
                        line: i + 1,
                    },
                ));
            }
            None => {}
            Some((open, _)) if ticks >= *open && line[ticks..].trim().is_empty() => {
                out.extend(current.take().map(|(_, f)| f));
            }
            Some((_, f)) => {
                f.body.push_str(line);
                f.body.push('\n');
            }
        }
    }
    assert!(current.is_none(), "unclosed code block");
    out
}

/// The ```toml blocks of a markdown file: (the word after `toml`, the body,
/// the 1-based line of the opening fence).
pub fn toml_blocks(md: &str) -> Vec<(String, String, usize)> {
    fenced_blocks(md)
        .into_iter()
        .filter_map(|f| {
            let kind = f.info.strip_prefix("toml")?.trim().to_string();
            Some((kind, f.body, f.line))
        })
        .collect()
}

/// The built binary, to run in `dir` with nothing of the developer's AWS
/// set-up (credentials, profile, endpoint, config files) and `env` added.
pub fn rehearse_without_aws(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.current_dir(dir)
        .args(args)
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
        .env_remove("NO_COLOR");
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd
}

/// The built binary, run in `dir` as a replay must be able to run: no
/// kubeconfig, no AWS credentials or profile, and none of the developer's
/// lab variables, so that only the recording can answer.
pub fn rehearse_offline(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = rehearse_without_aws(dir, args, &[]);
    cmd.env("KUBECONFIG", "/nonexistent/kubeconfig");
    for var in [
        "AWS_ACCOUNT_ID",
        "AWS_REGION",
        "EKS_CLUSTER_NAME",
        "CARTS_DYNAMODB_TABLENAME",
    ] {
        cmd.env_remove(var);
    }
    cmd.output().expect("run rehearse")
}

/// A finished command's exit code and what it printed, for assertion messages.
pub fn output_text(out: &std::process::Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The body of the one block of `docs/<doc>` whose info string is `info`.
pub fn doc_block(doc: &str, info: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(doc);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut found: Vec<String> = fenced_blocks(&text)
        .into_iter()
        .filter(|b| b.info == info)
        .map(|b| b.body)
        .collect();
    assert_eq!(found.len(), 1, "one block `{info}` in docs/{doc}");
    found.remove(0)
}

/// What each step of a JSON report's first workflow printed last, by id.
pub fn step_printed(report: &std::path::Path) -> Vec<(String, String)> {
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    r["workflows"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let last = s["attempts"].as_array().and_then(|a| a.last());
            let stdout = last.and_then(|a| a["stdout"].as_str()).unwrap_or_default();
            (s["id"].as_str().unwrap().to_string(), stdout.to_string())
        })
        .collect()
}

/// Each step of a JSON report's first workflow, `finally` steps after the
/// others: its id, its status, its last attempt's output (null when it made
/// none) and its captures, for comparing a recorded run with its replay.
pub fn step_outputs(report: &std::path::Path) -> Vec<(String, String, serde_json::Value, serde_json::Value)> {
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    let wf = &r["workflows"][0];
    ["steps", "finally"]
        .iter()
        .filter_map(|key| wf[*key].as_array())
        .flatten()
        .map(|s| {
            let last = s["attempts"]
                .as_array()
                .and_then(|a| a.last())
                .map(|a| a["output"].clone());
            (
                s["id"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                last.unwrap_or(serde_json::Value::Null),
                s["captures"].clone(),
            )
        })
        .collect()
}

/// What `python3 -c script` prints with `input` on its stdin (a peer's
/// Python package answering); a missing python3 or package fails the test
/// saying `install`.
pub fn python3(script: &str, input: &[u8], install: &str) -> Vec<u8> {
    use std::io::Write;
    let mut child = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run python3 ({e}): {install}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write to python3");
    let out = child.wait_with_output().expect("python3 answers");
    assert!(
        out.status.success(),
        "python3 failed: {}\n{install}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `rehearse run --record FILE` in `dir` with this kubeconfig and no AWS;
/// it must succeed. Its JSON report's path.
pub fn record_with_kubeconfig(
    dir: &std::path::Path,
    workflow: &str,
    kubeconfig: &std::path::Path,
) -> std::path::PathBuf {
    let report = dir.join("recorded.json");
    let out = rehearse_without_aws(
        dir,
        &[
            "run",
            "--record",
            workflow,
            "--report-json",
            report.to_str().unwrap(),
        ],
        &[("KUBECONFIG", kubeconfig.to_str().unwrap())],
    )
    .output()
    .expect("run rehearse");
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    report
}

/// `rehearse run --replay FILE` in `dir`, offline; it must succeed. Its
/// JSON report's path.
pub fn replay_offline(dir: &std::path::Path, workflow: &str) -> std::path::PathBuf {
    let report = dir.join("replayed.json");
    let out = rehearse_offline(
        dir,
        &[
            "run",
            "--replay",
            workflow,
            "--report-json",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", output_text(&out));
    report
}
