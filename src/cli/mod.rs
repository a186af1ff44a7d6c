//! The command line: `validate`, `run`, `list` and `schema`.

pub mod progress;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use clap::{Parser, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;

use crate::backend::dispatch::{Dispatcher, KubeSettings, Traffic};
use crate::diagnostic::{self, SourceFile};
use crate::engine::outcome::WorkflowOutcome;
use crate::engine::plan::{self, Plan, PlanOptions};
use crate::engine::run::Runner;
use crate::format::ast::Workflow;
use crate::ground::clock::Clock;
use crate::ground::port::Mode;
use crate::recording::{self, Header, Player, Recorder, Recording};
use crate::report::exit;
use crate::report::{self, RunReport};
use crate::session::parallel;
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
    /// Work with reports.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Merge the JSON reports of shards into one run's JSON and JUnit reports.
    Merge {
        /// JSON reports written by `run --report-json`.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        #[arg(long, value_name = "FILE")]
        report_json: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        report_junit: Option<PathBuf>,
    },
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
    /// Run live and write every HTTP exchange and process result to the
    /// workflow's recording (`<name>.recording.yaml` next to it).
    #[arg(long, conflicts_with = "replay")]
    pub record: bool,
    /// Run from the workflow's recording only: no network, no credentials,
    /// no real waiting.
    #[arg(long)]
    pub replay: bool,
    /// Run up to N workflows at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Run only shard K of N: a deterministic share of the workflows,
    /// balanced by their recordings' durations, for CI matrices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::session::shard::Shard>,
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
        Command::Report(ReportCommand::Merge {
            reports,
            report_json,
            report_junit,
        }) => cmd_merge(&reports, report_json.as_deref(), report_junit.as_deref(), color),
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
    for loaded in parallel::map_in_order(files, parallel::cores(), |path| validate::load(&path)) {
        match loaded {
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

/// One workflow ready to run: its plan, the backend of the run's mode, its
/// clock, and where its recording goes when recording.
struct Prepared {
    plan: Plan,
    backend: Dispatcher,
    clock: Clock,
    record_to: Option<(Recorder, PathBuf)>,
    /// What a replay answers from: the recording and how it was made.
    replaying: Option<String>,
}

fn mode_of(args: &RunArgs) -> Mode {
    if args.replay {
        Mode::Replay
    } else if args.record {
        Mode::Record
    } else {
        Mode::Live
    }
}

/// Plans a workflow for the run's mode. A replay takes the variables the
/// recording was made with (over the environment; `--var` still wins), so
/// that its requests are the recorded ones.
/// Fails with the error to print (prepared workflows are made on several
/// threads; the caller prints their errors in file order).
fn prepare(file: SourceFile, wf: Workflow, args: &RunArgs, color: bool) -> Result<Prepared, String> {
    let mode = mode_of(args);
    let mut options = PlanOptions {
        only: args.only.clone(),
        from: args.from.clone(),
        vars: args.vars.clone(),
    };
    let env = |k: &str| std::env::var(k).ok();
    let kube = KubeSettings::of(&wf);
    let recording = match mode {
        Mode::Replay => {
            let path = recording::path_for(&file.path);
            match Recording::load(&path) {
                Ok(r) => Some(r),
                Err(e) => {
                    return Err(format!(
                        "error: {e}\n  help: a replay needs the recording next to the workflow; make it with `rehearse run --record {}` (see docs/recording.md)\n",
                        file.path.display()
                    ));
                }
            }
        }
        _ => None,
    };
    if let Some(rec) = &recording {
        let declared: Vec<&str> = wf.vars.iter().map(|v| v.name.value.as_str()).collect();
        options.vars = rec.header.replay_vars(&declared, &args.vars);
    }
    let plan = match plan::plan(file.clone(), wf, &options, mode.name(), &env) {
        Ok(p) => p,
        // Missing environment variables, a bad `--only`...
        Err(diags) => return Err(diagnostic::render(&file, &diags, color)),
    };
    let replaying = recording
        .as_ref()
        .map(|rec| provenance(&recording::path_for(&file.path), &rec.header));
    let (traffic, clock, record_to) = match (mode, recording) {
        (Mode::Replay, Some(rec)) => (Traffic::Replay(Player::new(rec)), Clock::virtual_clock(), None),
        (Mode::Record, _) => {
            let variables = plan
                .vars
                .iter()
                .filter(|(k, _)| *k != plan::MODE_VAR)
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            let recorder = Recorder::new(Header::live(aws_region(), variables));
            // Belt and braces: these never appear in requests the recorder
            // keeps, but if a command prints them they are scrubbed too.
            for key in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] {
                if let Ok(secret) = std::env::var(key) {
                    recorder.add_secret(secret);
                }
            }
            let path = recording::path_for(&file.path);
            (
                Traffic::Record(recorder.clone()),
                Clock::Real,
                Some((recorder, path)),
            )
        }
        _ => (Traffic::Live, Clock::Real, None),
    };
    let region = match &traffic {
        Traffic::Replay(player) => player.header().region,
        _ => None,
    };
    Ok(Prepared {
        backend: Dispatcher::new(traffic, clock.clone(), kube, region),
        plan,
        clock,
        record_to,
        replaying,
    })
}

/// "replaying x.recording.yaml: a live capture of 2026-11-29T05:43:18Z", or
/// for a recording written by hand, what it was written from.
fn provenance(path: &Path, header: &Header) -> String {
    let what = match header.capture {
        recording::Capture::Live => format!("a live capture of {}", header.recorded_at),
        recording::Capture::HandWritten => "written by hand, not captured live".to_string(),
        recording::Capture::Reference => "written from reference material, not captured live".to_string(),
    };
    match &header.source {
        Some(source) => format!("replaying {}: {what}; source: {source}", path.display()),
        None => format!("replaying {}: {what}", path.display()),
    }
}

/// The region a live run uses, for the recording's header.
fn aws_region() -> Option<String> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}

/// The guard rail: a workflow that names its account refuses to run live
/// against another. One STS call finds the account of the credentials.
async fn check_account(p: &Prepared) -> Result<(), String> {
    let Some(expected) = &p.plan.workflow.meta.account else {
        return Ok(());
    };
    if p.backend.mode_of() == Mode::Replay {
        return Ok(());
    }
    let expected = crate::engine::template::render(expected, &p.plan.vars)?;
    let aws = p.backend.aws().await.map_err(|e| e.message)?;
    let actual = aws.account_id().await.map_err(|e| e.message)?;
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "{}: the credentials are for AWS account {actual}, but the workflow expects {expected}; nothing was run",
            p.plan.file.path.display()
        ))
    }
}

async fn cmd_run(args: RunArgs, color: bool) -> i32 {
    let Some(mut loaded) = load_all(&args.paths, color) else {
        return exit::INVALID_INPUT;
    };
    if let Some(shard) = args.shard {
        let weights: Vec<(PathBuf, Option<std::time::Duration>)> = loaded
            .iter()
            .map(|(file, _)| {
                let recorded = Recording::load(&recording::path_for(&file.path)).ok();
                (file.path.clone(), recorded.map(|r| r.duration()))
            })
            .collect();
        let mine = crate::session::shard::select(&weights, shard);
        loaded = loaded
            .into_iter()
            .enumerate()
            .filter(|(i, _)| mine.contains(i))
            .map(|(_, w)| w)
            .collect();
        println!(
            "shard {}/{}: {} of {} workflow(s)",
            shard.index,
            shard.count,
            loaded.len(),
            weights.len()
        );
    }
    // Loading recordings is most of a replay's cost: spread it over the cores.
    let mut prepared: Vec<Prepared> = Vec::new();
    let mut invalid = false;
    let ready = parallel::map_in_order(loaded, parallel::cores(), |(file, wf)| {
        prepare(file, wf, &args, color)
    });
    for p in ready {
        match p {
            Ok(p) => prepared.push(p),
            Err(e) => {
                eprint!("{e}");
                invalid = true;
            }
        }
    }
    if invalid {
        return exit::INVALID_INPUT;
    }
    for p in &prepared {
        if let Err(e) = check_account(p).await {
            eprintln!("error: {e}");
            return exit::RUNTIME_ERROR;
        }
    }

    let interrupt = CancellationToken::new();
    let abort = CancellationToken::new();
    let signals = tokio::spawn(watch_ctrl_c(interrupt.clone(), abort.clone()));

    let jobs = usize::from(args.jobs).min(prepared.len().max(1));
    let progress = Arc::new(progress::Progress::new(
        std::io::stdout().is_terminal(),
        color,
        jobs > 1,
    ));
    let started_at = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
    let start = Instant::now();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // Each workflow is a task of its own, so that `--jobs` workflows use as
    // many cores. Slots are taken here, one workflow after the other, so
    // that they start in file order (tasks may first run in any order); a
    // task gives its slot back when its workflow has ended.
    let slots = Arc::new(tokio::sync::Semaphore::new(jobs));
    let total = prepared.len();
    let mut tasks = Vec::new();
    for p in prepared {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            break;
        };
        // --fail-fast and Ctrl-C stop workflows that have not started.
        if interrupt.is_cancelled() || stop.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        let (progress, interrupt, abort) = (progress.clone(), interrupt.clone(), abort.clone());
        let (stop, fail_fast) = (stop.clone(), args.fail_fast);
        tasks.push(tokio::spawn(async move {
            let result = run_one(&p, &progress, &interrupt, &abort, fail_fast, &stop).await;
            drop(slot);
            result
        }));
    }
    let mut results: Vec<(WorkflowOutcome, Option<String>)> = Vec::new();
    let mut crashed = 0;
    for task in tasks {
        match task.await {
            Ok(result) => results.push(result),
            // A workflow's task panicked: a bug in rehearse, never a pass.
            Err(e) => {
                eprintln!("error: a workflow's run stopped unexpectedly (a bug in rehearse): {e}");
                crashed += 1;
            }
        }
    }
    signals.abort();
    let mut outcomes: Vec<WorkflowOutcome> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for (outcome, note) in results {
        outcomes.push(outcome);
        notes.extend(note);
    }
    let not_run = total - outcomes.len() - crashed;

    let mut code = exit::for_outcomes(&outcomes);
    if crashed > 0 {
        code = exit::RUNTIME_ERROR;
    }
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
    for note in notes {
        println!("{note}");
    }
    if let Err(e) = write_reports(&args, &run) {
        eprintln!("error: {e}");
        if code == exit::SUCCESS {
            code = exit::RUNTIME_ERROR;
        }
    }
    code
}

/// Runs one prepared workflow; with --fail-fast, a failure stops the ones
/// that have not started.
async fn run_one(
    p: &Prepared,
    progress: &progress::Progress,
    interrupt: &CancellationToken,
    abort: &CancellationToken,
    fail_fast: bool,
    stop: &std::sync::atomic::AtomicBool,
) -> (WorkflowOutcome, Option<String>) {
    let runner = Runner {
        backend: &p.backend,
        clock: p.clock.clone(),
        events: progress,
        interrupt: interrupt.clone(),
        abort: abort.clone(),
    };
    if let Some(about) = &p.replaying {
        println!("{about}");
    }
    let mut outcome = runner.run(&p.plan).await;
    outcome.recording = p.replaying.clone();
    let unused = p.backend.unused_exchanges();
    if !unused.is_empty() {
        let mut steps = unused.clone();
        steps.dedup();
        println!(
            "note: {} recorded exchange(s) of {} were not used (steps: {}); the recording may be out of date",
            unused.len(),
            p.plan.file.path.display(),
            steps.join(", ")
        );
    }
    let mut note = None;
    if let Some((recorder, path)) = &p.record_to {
        let saved = save_recording(recorder, path, interrupt.is_cancelled());
        outcome.recording = Some(saved.clone());
        note = Some(saved);
    }
    if fail_fast && outcome.status == crate::engine::outcome::Status::Failed {
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    (outcome, note)
}

fn cmd_merge(reports: &[PathBuf], json: Option<&Path>, junit: Option<&Path>, color: bool) -> i32 {
    let merged = match report::merge::merge_files(reports) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::INVALID_INPUT;
        }
    };
    let run = RunReport {
        workflows: &merged.workflows,
        started_at: &merged.started_at,
        duration: merged.duration,
        exit_code: merged.exit_code,
    };
    print!("{}", report::summary::render(&run, color));
    let written = json
        .map(|p| report::json::write(p, &run).map_err(|e| format!("cannot write {}: {e}", p.display())))
        .transpose()
        .and_then(|_| {
            junit
                .map(|p| {
                    report::junit::write(p, &run).map_err(|e| format!("cannot write {}: {e}", p.display()))
                })
                .transpose()
        });
    match written {
        Ok(_) => merged.exit_code,
        Err(e) => {
            eprintln!("error: {e}");
            exit::RUNTIME_ERROR
        }
    }
}

/// Writes a recording atomically; an interrupted run keeps the previous one.
fn save_recording(recorder: &Recorder, path: &Path, interrupted: bool) -> String {
    if interrupted {
        return format!(
            "recording not written (interrupted): {} is unchanged",
            path.display()
        );
    }
    let recording = recorder.finish();
    match recording.save(path) {
        Ok(()) => format!(
            "recording written: {} ({} exchanges)",
            path.display(),
            recording.exchanges.len()
        ),
        Err(e) => format!("error: recording not written: {e}"),
    }
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
