//! The command line: `validate`, `run`, `list` and `schema`.

pub mod exit;
pub mod progress;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use clap::{Parser, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;

use crate::backend::Backend;
use crate::backend::shell::ShellBackend;
use crate::diagnostic::{self, Diagnostic, SourceFile};
use crate::engine::clock::Clock;
use crate::engine::outcome::WorkflowOutcome;
use crate::engine::plan::{self, Plan, PlanOptions};
use crate::engine::run::Runner;
use crate::format::ast::Workflow;
use crate::report::{self, RunReport};
use crate::validate;

#[derive(Parser, Debug)]
#[command(
    name = "rehearse",
    version,
    about = "Runs tutorial labs end to end from TOML workflow files"
)]
pub struct Cli {
    /// When to use colours (NO_COLOR in the environment means never, under auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check workflow files without running them: every error, with its place and a hint.
    Validate {
        /// Workflow files, or folders searched for *.toml.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Run workflows.
    Run(RunArgs),
    /// Print the plan of workflows: the steps, their kinds and their waits.
    List {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the workflow format (for Taplo and Even Better TOML).
    Schema,
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// Workflow files, or folders searched for *.toml.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Run only this step (repeatable); finally steps always run.
    #[arg(long, value_name = "ID")]
    pub only: Vec<String>,
    /// Start at this step; the steps before it are skipped.
    #[arg(long, value_name = "ID")]
    pub from: Option<String>,
    /// Stop after the first workflow that fails.
    #[arg(long)]
    pub fail_fast: bool,
    /// Set a declared variable, overriding its environment variable or default.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Write a JSON report: every step, attempt, duration, output and check.
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Write a JUnit XML report: a test suite per workflow, a test case per step.
    #[arg(long, value_name = "FILE")]
    pub report_junit: Option<PathBuf>,
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if crate::format::template::is_name(k) => Ok((k.to_string(), v.to_string())),
        Some((k, _)) => Err(format!("`{k}` is not a variable name")),
        None => Err("expected NAME=VALUE".to_string()),
    }
}

/// Parses the arguments, runs the command and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::INVALID_INPUT
            } else {
                exit::SUCCESS
            };
        }
    };
    let color = use_color(cli.color);
    match cli.command {
        Command::Validate { paths } => cmd_validate(&paths, color),
        Command::List { paths } => cmd_list(&paths, color),
        Command::Schema => {
            let schema = crate::format::schema::json_schema();
            println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
            exit::SUCCESS
        }
        Command::Run(args) => {
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!("error: cannot start the async runtime: {e}");
                    return exit::RUNTIME_ERROR;
                }
            };
            runtime.block_on(cmd_run(args, color))
        }
    }
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

/// Loads and validates every workflow under `paths`, printing all the
/// errors of all the files; None when any file is invalid.
fn load_all(paths: &[PathBuf], color: bool) -> Option<Vec<(SourceFile, Workflow)>> {
    let files = match validate::expand_paths(paths) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    let mut ok = Vec::new();
    let mut failed = false;
    for path in files {
        match validate::load(&path) {
            Ok(loaded) => ok.push(loaded),
            Err((file, diags)) => {
                failed = true;
                eprint!("{}", diagnostic::render(&file, &diags, color));
            }
        }
    }
    (!failed).then_some(ok)
}

fn cmd_validate(paths: &[PathBuf], color: bool) -> i32 {
    match load_all(paths, color) {
        Some(loaded) => {
            for (file, wf) in &loaded {
                println!(
                    "ok: {} ({}, {} steps, {} finally)",
                    file.path.display(),
                    wf.meta.name.value,
                    wf.steps.len(),
                    wf.finally.len()
                );
            }
            exit::SUCCESS
        }
        None => exit::INVALID_INPUT,
    }
}

fn cmd_list(paths: &[PathBuf], color: bool) -> i32 {
    let Some(loaded) = load_all(paths, color) else {
        return exit::INVALID_INPUT;
    };
    for (file, wf) in &loaded {
        print!("{}", crate::report::plan::render(&file.path, wf));
    }
    exit::SUCCESS
}

/// Prints plan-time errors (missing environment variables, bad `--only`).
fn print_plan_errors(file: &SourceFile, diags: &[Diagnostic], color: bool) {
    eprint!("{}", diagnostic::render(file, diags, color));
}

async fn cmd_run(args: RunArgs, color: bool) -> i32 {
    let Some(loaded) = load_all(&args.paths, color) else {
        return exit::INVALID_INPUT;
    };
    let backend = ShellBackend;
    let options = PlanOptions {
        only: args.only.clone(),
        from: args.from.clone(),
        vars: args.vars.clone(),
    };
    let mut plans: Vec<Plan> = Vec::new();
    let mut invalid = false;
    for (file, wf) in loaded {
        let env = |k: &str| std::env::var(k).ok();
        match plan::plan(file.clone(), wf, &options, backend.mode(), &env) {
            Ok(p) => plans.push(p),
            Err(diags) => {
                invalid = true;
                print_plan_errors(&file, &diags, color);
            }
        }
    }
    if invalid {
        return exit::INVALID_INPUT;
    }

    let interrupt = CancellationToken::new();
    let abort = CancellationToken::new();
    let signals = tokio::spawn(watch_ctrl_c(interrupt.clone(), abort.clone()));

    let progress = progress::Progress::new(std::io::stdout().is_terminal(), color);
    let runner = Runner {
        backend: &backend,
        clock: Clock::Real,
        events: &progress,
        interrupt: interrupt.clone(),
        abort,
    };
    let started_at = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
    let start = Instant::now();
    let mut outcomes: Vec<WorkflowOutcome> = Vec::new();
    for plan in &plans {
        if interrupt.is_cancelled() {
            break;
        }
        let outcome = runner.run(plan).await;
        let failed = outcome.status == crate::engine::outcome::Status::Failed;
        outcomes.push(outcome);
        if failed && args.fail_fast {
            break;
        }
    }
    signals.abort();
    let not_run = plans.len() - outcomes.len();

    let mut code = exit::for_outcomes(&outcomes);
    let run = RunReport {
        workflows: &outcomes,
        started_at: &started_at,
        duration: start.elapsed(),
        exit_code: code,
    };
    println!();
    print!("{}", report::summary::render(&run, color));
    if not_run > 0 {
        println!("{not_run} workflow(s) not run (--fail-fast or Ctrl-C)");
    }
    if let Err(e) = write_reports(&args, &run) {
        eprintln!("error: {e}");
        if code == exit::SUCCESS {
            code = exit::RUNTIME_ERROR;
        }
    }
    code
}

fn write_reports(args: &RunArgs, run: &RunReport<'_>) -> Result<(), String> {
    let write = |path: &Path, result: std::io::Result<()>| {
        result.map_err(|e| format!("cannot write the report {}: {e}", path.display()))
    };
    if let Some(path) = &args.report_json {
        write(path, report::json::write(path, run))?;
    }
    if let Some(path) = &args.report_junit {
        write(path, report::junit::write(path, run))?;
    }
    Ok(())
}

/// First Ctrl-C: interrupt (the finally steps still run). Second: abort.
async fn watch_ctrl_c(interrupt: CancellationToken, abort: CancellationToken) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    interrupt.cancel();
    if tokio::signal::ctrl_c().await.is_ok() {
        abort.cancel();
    }
}
