//! The Pod Identity lab's replay in-process, phase by phase: parsing and
//! validating the workflow, loading its recording, planning, and running
//! the steps against the recording (virtual clock, no network). Prints the
//! median of each phase and the cost per step and per attempt. Then the
//! engine alone: the same plan against a backend that hands each step the
//! last output its replay produced, so that only rehearse's own work per
//! step is timed (templates, checks, captures, events), not the SDK's.
//! (`benches/run.sh` times the same replay as a whole process.)
//! `cargo bench --bench replay` (under `cargo test`, a few runs only).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::collections::HashMap;

use rehearse::action::Action;
use rehearse::action::Request;
use rehearse::diagnostic::SourceFile;
use rehearse::engine::event::NoEvents;
use rehearse::engine::outcome::{Status, WorkflowOutcome};
use rehearse::engine::plan::Plan;
use rehearse::engine::run::Runner;
use rehearse::format::ast::Workflow;
use rehearse::ground::clock::Clock;
use rehearse::ground::port::{ActionError, ActionResult, Backend, BoxFuture, Mode};
use rehearse::recording::{Player, Recording};
use rehearse::session::Options;
use rehearse::session::prepare::{self, Prepared};
use rehearse::session::signals::Signals;
use rehearse::session::traffic::Traffic;
use rehearse::validate;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

fn lab() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows/eks-pod-identity.toml")
}

/// The plan a replay runs: the session's, with the recording's variables.
fn plan_replay(file: SourceFile, workflow: Workflow, recording: &Recording) -> Plan {
    prepare::plan(file, workflow, &Options::new(Mode::Replay), Some(recording)).expect("plans")
}

/// Runs the plan as the session does, against a player of the recording
/// (made by the caller, so that copying the recording for each run is not
/// timed).
async fn replay(plan: Plan, player: Player) -> WorkflowOutcome {
    Prepared::new(plan, Traffic::Replay(player))
        .run(&NoEvents, &Signals::new())
        .await
}

/// Answers every step with the last output the real replay gave it (and
/// the same failure, for a step that must fail).
struct Echo(HashMap<String, (Value, Option<String>)>);

impl Echo {
    fn from(outcome: &WorkflowOutcome) -> Echo {
        let answers = outcome
            .steps
            .iter()
            .chain(&outcome.finally)
            .filter_map(|s| {
                let last = s.attempts.last()?;
                let error = last.error.as_ref().map(|e| e.message.clone());
                Some((s.id.clone(), (last.output.clone()?, error)))
            })
            .collect();
        Echo(answers)
    }
}

impl Backend<Action> for Echo {
    fn mode(&self) -> Mode {
        Mode::Replay
    }

    fn execute(&self, request: Request) -> BoxFuture<'_, ActionResult> {
        Box::pin(async move {
            match self.0.get(&request.step_id) {
                Some((output, None)) => Ok(output.clone().into()),
                Some((output, Some(message))) => {
                    Err(ActionError::failed(message.clone(), Some(output.clone())))
                }
                None => Err(ActionError::runtime(format!("no answer for {}", request.step_id))),
            }
        })
    }
}

async fn engine_only(plan: &Plan, echo: &Echo) -> WorkflowOutcome {
    let runner = Runner {
        backend: echo,
        clock: Clock::virtual_clock(),
        events: &NoEvents,
        interrupt: CancellationToken::new(),
        abort: CancellationToken::new(),
    };
    runner.run(plan).await
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo bench` passes --bench; `cargo test` runs this as a smoke test.
    let full = std::env::args().any(|a| a == "--bench");
    let runs = if full { 200 } else { 3 };
    let path = lab();
    let Ok((_, workflow)) = validate::load(&path) else {
        panic!("{} is invalid", path.display());
    };
    let recording = prepare::load_recording(&path, &workflow).expect("the lab's recording loads");

    let (mut parse, mut load, mut planning, mut run) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let parsed = validate::load(&path);
        parse.push(t.elapsed());
        let Ok((file, workflow)) = parsed else {
            panic!("{} is invalid", path.display());
        };

        let t = Instant::now();
        let rec = prepare::load_recording(&path, &workflow).expect("loads");
        load.push(t.elapsed());

        let t = Instant::now();
        let plan = plan_replay(file, workflow, &rec);
        planning.push(t.elapsed());

        let player = Player::new(recording.clone());
        let t = Instant::now();
        let outcome = replay(plan, player).await;
        run.push(t.elapsed());
        assert_eq!(outcome.status, Status::Passed, "the lab's replay failed");
        last = Some(outcome);
    }
    let outcome = last.expect("at least one run");
    // The engine alone, on the last plan.
    let echo = Echo::from(&outcome);
    let Ok((file, workflow)) = validate::load(&path) else {
        panic!("{} is invalid", path.display());
    };
    let plan = plan_replay(file, workflow, &recording);
    let mut alone = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let o = engine_only(&plan, &echo).await;
        alone.push(t.elapsed());
        assert_eq!(
            o.status,
            Status::Passed,
            "the echoed replay failed: {:?}",
            o.steps
                .iter()
                .find(|s| s.status != Status::Passed)
                .map(|s| &s.failure)
        );
    }
    let alone = median(alone);
    let steps = outcome
        .steps
        .iter()
        .chain(&outcome.finally)
        .filter(|s| !s.attempts.is_empty())
        .count();
    let attempts: usize = outcome
        .steps
        .iter()
        .chain(&outcome.finally)
        .map(|s| s.attempts.len())
        .sum();
    let run = median(run);
    println!("in-process replay of eks-pod-identity, median of {runs} runs:");
    println!("  parse and validate the workflow  {:>8.3} ms", ms(median(parse)));
    println!("  load the recording               {:>8.3} ms", ms(median(load)));
    println!(
        "  plan                             {:>8.3} ms",
        ms(median(planning))
    );
    println!(
        "  run {steps} steps, {attempts} attempts      {:>8.3} ms",
        ms(run)
    );
    println!(
        "  per step {:.3} ms, per attempt {:.3} ms (an attempt: render, answer from the recording, convert, check)",
        ms(run) / steps as f64,
        ms(run) / attempts as f64
    );
    println!(
        "  the engine alone (no SDK, no recording): {:.3} ms, {:.3} ms per step",
        ms(alone),
        ms(alone) / steps as f64
    );
}
