//! From a validated workflow and the command line to what will run: the
//! initial variables and which steps are selected. Everything that can fail
//! here fails before the first step runs.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::engine::vars::Vars;
use crate::format::ast::{Step, VarSource, Workflow};
use crate::ground::redact::Secrets;

/// The step timeout when neither the step nor `[defaults]` sets one.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);
/// The output a step's process may print when neither the step nor
/// `[defaults]` sets `max-output`: far more than any tutorial command
/// prints, far less than a runaway `yes` fills in seconds.
pub const DEFAULT_MAX_OUTPUT: u64 = 16 * 1024 * 1024;
/// The shell of `run` steps when `[defaults]` sets none.
pub const DEFAULT_SHELL: [&str; 3] = ["bash", "-e", "-c"];
/// The variable that tells a workflow which backend runs it.
pub const MODE_VAR: &str = "REHEARSE_MODE";

#[derive(Clone, Debug, Default)]
pub struct PlanOptions {
    /// `--only ID` (repeatable): run just these main steps.
    pub only: Vec<String>,
    /// `--from ID`: start at this main step.
    pub from: Option<String>,
    /// `--var NAME=VALUE`: override declared variables.
    pub vars: Vec<(String, String)>,
    /// `--keep-going`: a failed step does not skip the main steps after it,
    /// so that one run shows every failure (a replay, every request its
    /// recording lacks or answers differently).
    pub keep_going: bool,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub file: SourceFile,
    pub workflow: Workflow,
    /// The folder `run` steps start in.
    pub dir: PathBuf,
    pub vars: Vars,
    /// Values never shown outside the process: the variables declared
    /// `secret = true`, then the captures marked secret as they are bound,
    /// and the credentials the session adds. Shared with the recorder.
    pub secrets: Secrets,
    /// `--keep-going`: run the main steps after a failed one.
    pub keep_going: bool,
    /// For each main step: None when it runs, else why it does not.
    pub unselected: Vec<Option<String>>,
}

impl Plan {
    pub fn timeout(&self, step: &Step) -> Duration {
        step.timeout
            .as_ref()
            .or(self.workflow.defaults.timeout.as_ref())
            .map_or(DEFAULT_TIMEOUT, |n| n.value)
    }

    pub fn max_output(&self, step: &Step) -> u64 {
        step.max_output
            .as_ref()
            .or(self.workflow.defaults.max_output.as_ref())
            .map_or(DEFAULT_MAX_OUTPUT, |n| n.value)
    }

    pub fn shell(&self) -> Vec<String> {
        match &self.workflow.defaults.shell {
            Some(shell) => shell.value.clone(),
            None => DEFAULT_SHELL.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Where a step's processes start: its `dir` relative to the workflow's folder.
    pub fn step_dir(&self, step: &Step) -> PathBuf {
        match &step.dir {
            Some(dir) => self.dir.join(&dir.value),
            None => self.dir.clone(),
        }
    }
}

/// Resolves variables from the environment and `--var`, and the selection.
/// `env` looks up environment variables (injectable for tests).
pub fn plan(
    file: SourceFile,
    workflow: Workflow,
    options: &PlanOptions,
    mode: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Plan, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let vars = resolve_vars(&workflow, options, mode, env, &mut errors);
    let secrets = secret_values(&workflow, &vars);
    let unselected = select(&workflow, options, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let dir = file
        .path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    Ok(Plan {
        file,
        workflow,
        dir,
        vars,
        secrets,
        keep_going: options.keep_going,
        unselected,
    })
}

fn resolve_vars(
    workflow: &Workflow,
    options: &PlanOptions,
    mode: &str,
    env: &dyn Fn(&str) -> Option<String>,
    errors: &mut Vec<Diagnostic>,
) -> Vars {
    let mut vars = Vars::new();
    vars.set(MODE_VAR, mode);
    for def in &workflow.vars {
        let name = &def.name.value;
        // `--var` wins, so a missing environment variable is no error then.
        if options.vars.iter().any(|(k, _)| k == name) {
            continue;
        }
        match &def.source {
            VarSource::Literal(v) => vars.set(name, &v.value),
            VarSource::Env {
                env: key, default, ..
            } => match (env(&key.value), default) {
                (Some(v), _) => vars.set(name, v),
                (None, Some(d)) => vars.set(name, &d.value),
                (None, None) => errors.push(
                    Diagnostic::new(
                        format!(
                            "variable `{name}` needs the environment variable `{}`, which is not set",
                            key.value
                        ),
                        def.span.clone(),
                    )
                    .label("required here")
                    .hint(format!(
                        "export {}=…, pass --var {name}=…, or give it a `default`",
                        key.value
                    )),
                ),
            },
        }
    }
    for (name, value) in &options.vars {
        if workflow.vars.iter().any(|d| &d.name.value == name) {
            vars.set(name, value);
        } else {
            let declared: Vec<&str> = workflow.vars.iter().map(|d| d.name.value.as_str()).collect();
            errors.push(
                Diagnostic::whole_file(format!(
                    "--var {name}: the workflow declares no variable `{name}`"
                ))
                .hint(declared_hint("declared variables", &declared)),
            );
        }
    }
    vars
}

/// The values of the variables declared `secret = true`, however they
/// were set (the environment, a default, `--var`).
fn secret_values(workflow: &Workflow, vars: &Vars) -> Secrets {
    let secrets = Secrets::new();
    for def in &workflow.vars {
        if matches!(def.source, VarSource::Env { secret: true, .. })
            && let Some(value) = vars.get(&def.name.value)
        {
            secrets.add(value);
        }
    }
    secrets
}

fn select(workflow: &Workflow, options: &PlanOptions, errors: &mut Vec<Diagnostic>) -> Vec<Option<String>> {
    let ids: Vec<&str> = workflow.steps.iter().map(|s| s.id.value.as_str()).collect();
    let mut unknown = |flag: &str, id: &str| {
        errors.push(
            Diagnostic::whole_file(format!("{flag} {id}: no step `{id}` in this workflow"))
                .hint(declared_hint("steps", &ids)),
        )
    };
    for id in &options.only {
        if !ids.contains(&id.as_str()) {
            unknown("--only", id);
        }
    }
    let from = match &options.from {
        Some(id) => match ids.iter().position(|s| s == id) {
            Some(i) => i,
            None => {
                unknown("--from", id);
                0
            }
        },
        None => 0,
    };
    ids.iter()
        .enumerate()
        .map(|(i, id)| {
            if i < from {
                Some(format!("before --from {}", ids[from]))
            } else if !options.only.is_empty() && !options.only.iter().any(|o| o == id) {
                Some("not selected by --only".to_string())
            } else {
                None
            }
        })
        .collect()
}

fn declared_hint(what: &str, names: &[&str]) -> String {
    if names.is_empty() {
        format!("there are no {what}")
    } else {
        format!("{what}: {}", names.join(", "))
    }
}
