//! `eks update-kubeconfig`'s local half: which kubeconfig file to update,
//! as the AWS CLI chooses it, and writing it. The dispatcher runs this
//! through the process transport, so a recording keeps its result whole
//! and a replay answers with it: a replay never reads or writes a
//! kubeconfig (the recorded cluster must not overwrite the user's).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::action::aws::kubeconfig::{
    Entries, dump, has_cluster, insert, load, switch, verbose_listing, written_line,
};
use crate::ground::atomic_file::write_atomic;
use crate::ground::port::{ActionError, ActionResult, Output};
use crate::ground::redact::redact_json;

/// The profile the CLI's session names, which the user entry passes on to
/// `aws eks get-token` (botocore reads `AWS_DEFAULT_PROFILE`, then
/// `AWS_PROFILE`).
pub fn profile() -> Option<String> {
    ["AWS_DEFAULT_PROFILE", "AWS_PROFILE"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|p| !p.is_empty())
}

/// What a recording knows the write by: the context, the file as the line
/// names it, and whether it is a dry run.
pub fn key(input: &Map<String, Value>, entries: &Entries) -> String {
    let file = input
        .get("kubeconfig")
        .and_then(Value::as_str)
        .unwrap_or("(KUBECONFIG or ~/.kube/config)");
    let dry = if switch(input, "dryRun") { " --dry-run" } else { "" };
    format!(
        "eks update-kubeconfig: context {} in {file}{dry}",
        entries.context_name()
    )
}

/// `~` and `~/…` in the user's home.
fn expand_home(path: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (path, home) {
        ("~", Some(home)) => home,
        (p, Some(home)) if p.starts_with("~/") => home.join(&p[2..]),
        (p, _) => PathBuf::from(p),
    }
}

/// The files that may be updated, first the default: `--kubeconfig`
/// (relative to the workflow's folder, as every path of a step), else each
/// path of `KUBECONFIG`, else `~/.kube/config`.
fn candidates(flag: Option<&str>, dir: &Path) -> Vec<PathBuf> {
    if let Some(path) = flag {
        let path = dir.join(expand_home(path));
        return vec![std::path::absolute(&path).unwrap_or(path)];
    }
    let env = std::env::var("KUBECONFIG").unwrap_or_default();
    let from_env: Vec<PathBuf> = env
        .split(':')
        .filter(|p| !p.trim().is_empty())
        .map(|p| std::path::absolute(expand_home(p)).unwrap_or_else(|_| PathBuf::from(p)))
        .collect();
    if from_env.is_empty() {
        return vec![expand_home("~/.kube/config")];
    }
    from_env
}

/// A kubeconfig file's content: a new one when there is no file.
fn read(path: &Path) -> Result<Value, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => load(Some(&text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => load(None),
        Err(e) => Err(format!("Can't open kubeconfig for reading: {e}")),
    }
}

/// The file that already has the cluster, else the first, as the CLI
/// chooses (files it cannot read are passed over, but the first).
fn choose(paths: &[PathBuf], cluster: &str) -> Result<(PathBuf, Value), String> {
    for path in paths {
        if let Ok(config) = read(path)
            && has_cluster(&config, cluster)
        {
            return Ok((path.clone(), config));
        }
    }
    let first = paths.first().cloned().unwrap_or_default();
    let config = read(&first).map_err(|e| format!("{}: {e}", first.display()))?;
    Ok((first, config))
}

/// Writes the file whole (a temporary file renamed over it), its folder
/// made if need be; a new file is readable by its owner only, as the CLI
/// makes it.
fn write(path: &Path, text: &str) -> Result<(), String> {
    let cannot = |e: std::io::Error| format!("Can't open kubeconfig for writing: {e}");
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("Can't create directory for writing: {e}"))?;
    }
    let new = !path.exists();
    write_atomic(path, text.as_bytes()).map_err(cannot)?;
    #[cfg(unix)]
    if new {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(cannot)?;
    }
    Ok(())
}

/// Adds the entries to the chosen kubeconfig and writes it (or, with
/// `--dry-run`, prints it, its users' credentials redacted): the output names the context, the file and
/// whether the cluster was there before; the text is what the CLI prints.
pub fn apply(entries: &Entries, input: &Map<String, Value>, dir: &Path) -> ActionResult {
    let candidates = candidates(input.get("kubeconfig").and_then(Value::as_str), dir);
    let (path, mut config) = choose(&candidates, entries.cluster_name()).map_err(ActionError::runtime)?;
    let updated = has_cluster(&config, entries.cluster_name());
    insert(&mut config, entries);
    let shown = path.display().to_string();
    let mut out = json!({
        "context": entries.context_name(),
        "cluster": entries.cluster_name(),
        "user": entries.user["name"],
        "kubeconfig": shown,
        "updated": updated,
    });
    if switch(input, "dryRun") {
        // The whole kubeconfig, other users' credentials redacted: they
        // must not reach the terminal, the report or a recording.
        redact_json(&mut config);
        out["dryRun"] = json!(true);
        let text = dump(&config);
        out["config"] = config;
        return Ok(Output::printed(out, text));
    }
    write(&path, &dump(&config)).map_err(ActionError::runtime)?;
    let mut printed = written_line(entries, &shown, updated);
    if switch(input, "verbose") {
        printed.push_str(&verbose_listing(entries));
    }
    Ok(Output::printed(out, printed))
}
