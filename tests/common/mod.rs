//! Helpers shared by the integration tests.

#![allow(dead_code)]

/// The ```toml blocks of a markdown file: (the word after `toml`, the body,
/// the 1-based line of the opening fence).
pub fn toml_blocks(md: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, usize)> = None;
    for (i, line) in md.lines().enumerate() {
        match &mut current {
            None => {
                if let Some(info) = line.strip_prefix("```toml") {
                    current = Some((info.trim().to_string(), String::new(), i + 1));
                }
            }
            Some((_, body, _)) => {
                if line.starts_with("```") {
                    out.extend(current.take());
                } else {
                    body.push_str(line);
                    body.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "unclosed code block");
    out
}

/// The built binary, run in `dir` as a replay must be able to run: no
/// kubeconfig, no AWS credentials or profile, and none of the developer's
/// lab variables, so that only the recording can answer.
pub fn rehearse_offline(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_rehearse"));
    cmd.current_dir(dir)
        .args(args)
        .env("KUBECONFIG", "/nonexistent/kubeconfig")
        .env("AWS_CONFIG_FILE", dir.join("no-aws-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-aws-credentials"))
        .env_remove("NO_COLOR");
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_ACCOUNT_ID",
        "AWS_REGION",
        "EKS_CLUSTER_NAME",
        "CARTS_DYNAMODB_TABLENAME",
    ] {
        cmd.env_remove(var);
    }
    cmd.output().expect("run rehearse")
}
