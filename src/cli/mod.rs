//! The command line: `validate`, `run`, `list`, `schema`, `import`,
//! `recording` and `report`.

pub mod progress;
pub mod render;
pub mod terminal;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::{self, Diagnostic, SourceFile};
use crate::format::ast::Workflow;
use crate::ground::port::Mode;
use crate::report::exit;
use crate::report::{self, RunReport};
use crate::session::{self, parallel};
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
        /// Also re-read the page of each step's `source` and report every
        /// command changed, moved, added or removed since the import (exit 1).
        #[arg(long)]
        sources: bool,
        /// Refuse every `aws`/`kubectl` line that rehearse does not run
        /// natively (it would run through the real CLI), saying why.
        #[arg(long)]
        native_only: bool,
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
    /// Import tutorial markdown (EKS Workshop pages or lab folders) as one workflow.
    Import {
        /// Markdown pages, or lab folders (their pages and sub-folders, in the lab's order).
        #[arg(required = true, value_name = "PAGE.md|DIR")]
        paths: Vec<PathBuf>,
        /// Write the workflow to FILE (paths in it are relative to its folder)
        /// instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Print every `aws` and `kubectl` command of the pages instead, one
        /// JSON object a line (for benches/workshop-coverage.sh).
        #[arg(long, hide = true, conflicts_with = "output")]
        commands: bool,
    },
    /// Work with recordings.
    #[command(subcommand)]
    Recording(RecordingCommand),
    /// Work with reports.
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Subcommand, Debug)]
pub enum RecordingCommand {
    /// Write the skeleton of a workflow's reference recording: every step
    /// with a placeholder result, and for an imported workflow the page's
    /// sample output next to each step.
    Scaffold {
        workflow: PathBuf,
        /// Write FILE instead of the workflow's recording
        /// (`<name>.recording.yaml` next to it).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace the file when it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Merge the JSON reports of shards into one run's JSON, JUnit and HTML reports.
    Merge {
        /// JSON reports written by `run --report-json`.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        #[arg(long, value_name = "FILE")]
        report_json: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        report_junit: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        report_html: Option<PathBuf>,
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
    /// Run the steps after a failed step instead of skipping them, so that
    /// one run lists every failure (in a replay: every request the
    /// recording lacks or answers differently). Exits 1 all the same.
    #[arg(long)]
    pub keep_going: bool,
    /// Set a declared variable, overriding its environment variable or default.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Write a JSON report: every step, attempt, duration, output and check.
    #[arg(long, value_name = "FILE")]
    pub report_json: Option<PathBuf>,
    /// Write a JUnit XML report: a test suite per workflow, a test case per step.
    #[arg(long, value_name = "FILE")]
    pub report_junit: Option<PathBuf>,
    /// Write an HTML page of the run: a timeline of the steps, their
    /// attempts and waits, the failures, the outputs. Self-contained.
    #[arg(long, value_name = "FILE")]
    pub report_html: Option<PathBuf>,
    /// Run live and write every HTTP exchange and process result to the
    /// workflow's recording (`<name>.recording.yaml` next to it).
    #[arg(long, conflicts_with = "replay")]
    pub record: bool,
    /// Run from the workflow's recording only: no network, no credentials,
    /// no real waiting.
    #[arg(long)]
    pub replay: bool,
    /// The recording to record to or replay from, instead of
    /// `<name>.recording.yaml` next to the workflow (one workflow only).
    #[arg(long, value_name = "FILE")]
    pub recording: Option<PathBuf>,
    /// Run up to N workflows at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// Refuse every `aws`/`kubectl` line that rehearse does not run
    /// natively (it would run through the real CLI), before anything runs.
    #[arg(long)]
    pub native_only: bool,
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
        Command::Validate {
            paths,
            sources,
            native_only,
        } => cmd_validate(&paths, sources, native_only, color),
        Command::Import {
            paths,
            commands: true,
            ..
        } => cmd_commands(&paths, color),
        Command::Import { paths, output, .. } => cmd_import(&paths, output.as_deref(), color),
        Command::List { paths } => cmd_list(&paths, color),
        Command::Recording(RecordingCommand::Scaffold {
            workflow,
            output,
            force,
        }) => cmd_scaffold(&workflow, output.as_deref(), force, color),
        Command::Schema => {
            let schema = crate::format::schema::json_schema();
            terminal::out_line(&serde_json::to_string_pretty(&schema).unwrap_or_default());
            exit::SUCCESS
        }
        Command::Report(ReportCommand::Merge {
            reports,
            report_json,
            report_junit,
            report_html,
        }) => {
            let outputs = MergeOutputs {
                json: report_json.as_deref(),
                junit: report_junit.as_deref(),
                html: report_html.as_deref(),
            };
            cmd_merge(&reports, outputs, color)
        }
        Command::Run(args) => {
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    terminal::err_line(&format!("error: cannot start the async runtime: {e}"));
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
/// With `native_only`, a step that would run through the CLI is an error.
fn load_all(paths: &[PathBuf], native_only: bool, color: bool) -> Option<Vec<(SourceFile, Workflow)>> {
    each_file(paths, color, |path| {
        let (file, wf) = validate::load(&path)?;
        let refused = if native_only {
            validate::not_native(&wf)
        } else {
            Vec::new()
        };
        if refused.is_empty() {
            Ok((file, wf))
        } else {
            Err((file, refused))
        }
    })
}

fn cmd_validate(paths: &[PathBuf], sources: bool, native_only: bool, color: bool) -> i32 {
    if sources {
        let Some(loaded) = load_all(paths, native_only, color) else {
            return exit::INVALID_INPUT;
        };
        return cmd_sources(&loaded, color);
    }
    let Some(checked) = summarize_all(paths, native_only, color) else {
        return exit::INVALID_INPUT;
    };
    for (file, summary) in &checked {
        terminal::out_line(&format!(
            "ok: {} ({}, {} steps, {} finally)",
            file.path.display(),
            summary.name,
            summary.steps,
            summary.finally
        ));
        for (span, what) in &summary.typos {
            let (line, col) = file.line_col(span.start);
            terminal::err_line(&format!("warning: {}:{line}:{col}: {what}", file.path.display()));
        }
    }
    exit::SUCCESS
}

/// [`load_all`] for `validate`, which keeps no step: each file's steps are
/// checked as they are read and dropped (see `validate::summarize`).
fn summarize_all(
    paths: &[PathBuf],
    native_only: bool,
    color: bool,
) -> Option<Vec<(SourceFile, validate::Summary)>> {
    each_file(paths, color, |path| {
        let (file, mut summary) = validate::load_summary(&path)?;
        match std::mem::take(&mut summary.not_native) {
            refused if native_only && !refused.is_empty() => Err((file, refused)),
            _ => Ok((file, summary)),
        }
    })
}

/// What `load` makes of each workflow file under `paths`, a file per core
/// at a time, in order.
fn each_file<T: Send>(
    paths: &[PathBuf],
    color: bool,
    load: impl Fn(PathBuf) -> Result<(SourceFile, T), (SourceFile, Vec<Diagnostic>)> + Sync,
) -> Option<Vec<(SourceFile, T)>> {
    let files = match validate::expand_paths(paths) {
        Ok(files) => files,
        Err(e) => {
            terminal::err_line(&format!("error: {e}"));
            return None;
        }
    };
    report_failures(parallel::map_in_order(files, parallel::cores(), load), color)
}

/// The files that loaded, or None after printing the errors of those that
/// did not.
fn report_failures<T>(
    loaded: impl IntoIterator<Item = Result<(SourceFile, T), (SourceFile, Vec<Diagnostic>)>>,
    color: bool,
) -> Option<Vec<(SourceFile, T)>> {
    let mut ok = Vec::new();
    let mut failed = false;
    for loaded in loaded {
        match loaded {
            Ok(loaded) => ok.push(loaded),
            Err((file, diags)) => {
                failed = true;
                terminal::err(&diagnostic::render(&file, &diags, color));
            }
        }
    }
    (!failed).then_some(ok)
}

/// `validate --sources`: every workflow's steps compared with their pages:
/// exit 1 when a command drifted, 2 when a page cannot be read.
fn cmd_sources(loaded: &[(SourceFile, Workflow)], color: bool) -> i32 {
    let mut drifted = false;
    let mut unreadable = false;
    for (file, wf) in loaded {
        let report = crate::import::drift::check(file, wf);
        drifted |= !report.drifts.is_empty();
        unreadable |= !report.unreadable.is_empty();
        terminal::out(&report.render());
        for e in &report.unreadable {
            terminal::err(&e.render(color));
        }
    }
    if unreadable {
        exit::INVALID_INPUT
    } else if drifted {
        exit::CHECK_FAILED
    } else {
        exit::SUCCESS
    }
}

/// `import --commands`: the pages' `aws` and `kubectl` commands, as JSON lines.
fn cmd_commands(paths: &[PathBuf], color: bool) -> i32 {
    match crate::import::commands(paths) {
        Ok(items) => {
            for item in items {
                terminal::out_line(&item.to_string());
            }
            exit::SUCCESS
        }
        Err(e) => {
            terminal::err(&e.render(color));
            exit::INVALID_INPUT
        }
    }
}

/// `import`: the workflow to a file or standard output, the summary to
/// standard error; the workflow is validated as written.
fn cmd_import(paths: &[PathBuf], output: Option<&Path>, color: bool) -> i32 {
    let out_dir = match output {
        Some(file) => file.parent().unwrap_or(Path::new("")).to_path_buf(),
        None => PathBuf::from("."),
    };
    let imported = match crate::import::import(paths, &out_dir) {
        Ok(i) => i,
        Err(e) => {
            terminal::err(&e.render(color));
            if let Some(file) = output {
                terminal::err_line(&format!("nothing imported: {} is as it was", file.display()));
            }
            return exit::INVALID_INPUT;
        }
    };
    let shown = output.map_or_else(|| PathBuf::from("(standard output)"), Path::to_path_buf);
    match output {
        Some(file) => {
            if let Err(e) = crate::ground::atomic_file::write_atomic(file, imported.toml.as_bytes()) {
                terminal::err_line(&format!("error: cannot write {}: {e}", file.display()));
                return exit::RUNTIME_ERROR;
            }
        }
        None => terminal::out(&imported.toml),
    }
    terminal::err(&imported.summary.render());
    let file = SourceFile {
        path: shown.clone(),
        text: Arc::from(imported.toml.as_str()),
    };
    match validate::check_file(&file) {
        Ok(wf) => {
            terminal::err_line(&format!(
                "wrote {} ({}, {} steps, {} finally): it validates",
                shown.display(),
                wf.meta.name.value,
                wf.steps.len(),
                wf.finally.len()
            ));
            exit::SUCCESS
        }
        Err(diags) => {
            terminal::err(&diagnostic::render(&file, &diags, color));
            terminal::err_line(&format!(
                "wrote {}, which does not validate: a bug of the importer",
                shown.display()
            ));
            exit::CHECK_FAILED
        }
    }
}

/// `recording scaffold`: a skeleton recording, written atomically, and
/// never over a file unless asked (it may hold hours of hand-written data).
fn cmd_scaffold(workflow: &Path, output: Option<&Path>, force: bool, color: bool) -> i32 {
    let (file, wf) = match validate::load(workflow) {
        Ok(loaded) => loaded,
        Err((file, diags)) => {
            terminal::err(&diagnostic::render(&file, &diags, color));
            return exit::INVALID_INPUT;
        }
    };
    let target = output.map_or_else(|| crate::recording::path_for(workflow), Path::to_path_buf);
    if target.exists() && !force {
        terminal::err_line(&format!(
            "error: {} exists: nothing written (`--force` replaces it)",
            target.display()
        ));
        return exit::INVALID_INPUT;
    }
    let now = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let scaffold = crate::recording::scaffold::scaffold(&file, &wf, &now);
    if let Err(e) = crate::ground::atomic_file::write_atomic(&target, scaffold.yaml.as_bytes()) {
        terminal::err_line(&format!("error: cannot write {}: {e}", target.display()));
        return exit::RUNTIME_ERROR;
    }
    terminal::err_line(&format!(
        "wrote {}: {} steps to fill in, {} with their page's sample output",
        target.display(),
        scaffold.steps,
        scaffold.with_sample
    ));
    exit::SUCCESS
}

fn cmd_list(paths: &[PathBuf], color: bool) -> i32 {
    let Some(loaded) = load_all(paths, false, color) else {
        return exit::INVALID_INPUT;
    };
    for (file, wf) in &loaded {
        terminal::out(&crate::report::plan::render(&file.path, wf));
    }
    exit::SUCCESS
}

/// `run`: the session does the work; this renders what it says.
async fn cmd_run(args: RunArgs, color: bool) -> i32 {
    let Some(loaded) = load_all(&args.paths, args.native_only, color) else {
        return exit::INVALID_INPUT;
    };
    if let (Some(file), n @ 2..) = (&args.recording, loaded.len()) {
        terminal::err_line(&format!(
            "error: --recording {} names the recording of one workflow, but {n} workflows were given",
            file.display()
        ));
        return exit::INVALID_INPUT;
    }
    let render = Arc::new(render::Render::new(color, std::io::stdout().is_terminal()));
    session::run(&options(&args), loaded, render).await
}

fn options(args: &RunArgs) -> session::Options {
    let mode = if args.replay {
        Mode::Replay
    } else if args.record {
        Mode::Record
    } else {
        Mode::Live
    };
    session::Options {
        mode,
        only: args.only.clone(),
        from: args.from.clone(),
        vars: args.vars.clone(),
        fail_fast: args.fail_fast,
        keep_going: args.keep_going,
        jobs: usize::from(args.jobs),
        shard: args.shard,
        report_json: args.report_json.clone(),
        report_junit: args.report_junit.clone(),
        report_html: args.report_html.clone(),
        recording: args.recording.clone(),
    }
}

/// The reports `report merge` writes.
struct MergeOutputs<'a> {
    json: Option<&'a Path>,
    junit: Option<&'a Path>,
    html: Option<&'a Path>,
}

fn cmd_merge(reports: &[PathBuf], outputs: MergeOutputs, color: bool) -> i32 {
    let merged = match report::merge::merge_files(reports) {
        Ok(m) => m,
        Err(e) => {
            terminal::err_line(&format!("error: {e}"));
            return exit::INVALID_INPUT;
        }
    };
    let run = RunReport {
        workflows: &merged.workflows,
        started_at: &merged.started_at,
        duration: merged.duration,
        exit_code: merged.exit_code,
    };
    terminal::out(&report::summary::render(&run, color));
    type Writer = fn(&Path, &RunReport) -> std::io::Result<()>;
    let writers: [(Option<&Path>, Writer); 3] = [
        (outputs.json, report::json::write),
        (outputs.junit, report::junit::write),
        (outputs.html, report::html::write),
    ];
    for (path, write) in writers {
        let Some(path) = path else { continue };
        if let Err(e) = write(path, &run) {
            terminal::err_line(&format!("error: cannot write {}: {e}", path.display()));
            return exit::RUNTIME_ERROR;
        }
    }
    merged.exit_code
}
