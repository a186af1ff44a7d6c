//! The engine on tokio's paused clock, through a scripted backend: waits,
//! retries, timeouts, captures, conditions, expected failures, finally steps
//! and Ctrl-C, with no real sleeping.
//!
//! The scripted backend stands in for the plug-in interface only; the shell
//! backend itself is tested with real processes in tests/shell.rs.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rehearse::ground::port::{ActionError, ActionResult, Backend, BoxFuture, Mode};

use rehearse::action::kubectl::Verb;
use rehearse::action::{Action, Request};
use rehearse::diagnostic::SourceFile;
use rehearse::engine::event::NoEvents;
use rehearse::engine::outcome::{FailureKind, Status, WorkflowOutcome};
use rehearse::engine::plan::{self, PlanOptions};
use rehearse::engine::run::Runner;
use rehearse::ground::clock::Clock;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// One scripted answer: how long the action takes, and its result.
#[derive(Clone)]
struct Answer {
    takes: Duration,
    result: ActionResult,
}

fn ok(v: Value) -> Answer {
    Answer {
        takes: Duration::ZERO,
        result: Ok(v.into()),
    }
}

fn fails(message: &str) -> Answer {
    Answer {
        takes: Duration::ZERO,
        result: Err(ActionError::failed(
            message,
            Some(json!({"stderr": message, "exit_code": 1})),
        )),
    }
}

#[derive(Default)]
struct Scripted {
    answers: Mutex<HashMap<String, VecDeque<Answer>>>,
    /// Every request, in order, with the paused clock's time since start.
    calls: Mutex<Vec<(String, Duration, Request)>>,
    start: Mutex<Option<tokio::time::Instant>>,
}

impl Scripted {
    fn answer(self, id: &str, answers: Vec<Answer>) -> Self {
        self.answers
            .lock()
            .unwrap()
            .insert(id.to_string(), answers.into());
        self
    }

    fn calls_of(&self, id: &str) -> Vec<(Duration, Request)> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(s, _, _)| s == id)
            .map(|(_, t, r)| (*t, r.clone()))
            .collect()
    }
}

impl Backend<Action> for Scripted {
    fn mode(&self) -> Mode {
        Mode::Live
    }

    fn execute(&self, request: Request) -> BoxFuture<'_, ActionResult> {
        Box::pin(async move {
            let now = tokio::time::Instant::now();
            let start = *self.start.lock().unwrap().get_or_insert(now);
            self.calls
                .lock()
                .unwrap()
                .push((request.step_id.clone(), now - start, request.clone()));
            // The last answer repeats forever (a resource that stays put).
            let answer = {
                let mut all = self.answers.lock().unwrap();
                let queue = all.entry(request.step_id.clone()).or_default();
                if queue.len() > 1 {
                    queue.pop_front()
                } else {
                    queue.front().cloned()
                }
            };
            let answer = answer.unwrap_or_else(|| ok(json!({})));
            tokio::time::sleep(answer.takes).await;
            answer.result
        })
    }
}

fn load(toml: &str) -> (SourceFile, rehearse::format::ast::Workflow) {
    let file = SourceFile {
        path: PathBuf::from("test.toml"),
        text: Arc::from(toml),
    };
    match rehearse::validate::check_file(&file) {
        Ok(wf) => (file, wf),
        Err(diags) => panic!("invalid test workflow: {diags:#?}"),
    }
}

async fn run_with(toml: &str, backend: &Scripted, options: PlanOptions) -> WorkflowOutcome {
    run_cancellable(
        toml,
        backend,
        options,
        CancellationToken::new(),
        CancellationToken::new(),
    )
    .await
}

async fn run_cancellable(
    toml: &str,
    backend: &Scripted,
    options: PlanOptions,
    interrupt: CancellationToken,
    abort: CancellationToken,
) -> WorkflowOutcome {
    let (file, wf) = load(toml);
    let plan = plan::plan(file, wf, &options, "live", &|_| None).expect("plan");
    let runner = Runner {
        backend,
        clock: Clock::Real,
        events: &NoEvents,
        interrupt,
        abort,
    };
    runner.run(&plan).await
}

async fn run(toml: &str, backend: &Scripted) -> WorkflowOutcome {
    run_with(toml, backend, PlanOptions::default()).await
}

fn step<'a>(out: &'a WorkflowOutcome, id: &str) -> &'a rehearse::engine::outcome::StepOutcome {
    out.all_steps()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

const HEADER: &str = "[workflow]\nname = \"t\"\n";

#[tokio::test(start_paused = true)]
async fn wait_polls_with_backoff_until_the_condition_holds() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "addon"
run = "describe"
timeout = "10m"
wait = {{ until = [{{ query = "addon.status", equals = "ACTIVE" }}], interval = "2s", max-interval = "5s", backoff = 2 }}
"#
    );
    let b = Scripted::default().answer(
        "addon",
        vec![
            ok(json!({"addon": {"status": "CREATING"}})),
            ok(json!({"addon": {"status": "CREATING"}})),
            ok(json!({"addon": {"status": "CREATING"}})),
            ok(json!({"addon": {"status": "ACTIVE"}})),
        ],
    );
    let out = run(&wf, &b).await;
    let s = step(&out, "addon");
    assert_eq!(s.status, Status::Passed, "{:?}", s.failure);
    assert_eq!(s.attempts.len(), 4);
    let times: Vec<u64> = b.calls_of("addon").iter().map(|(t, _)| t.as_secs()).collect();
    // 2s, then 4s, then capped at 5s.
    assert_eq!(times, vec![0, 2, 6, 11]);
}

#[tokio::test(start_paused = true)]
async fn wait_times_out_at_the_step_deadline_with_the_last_observed_value() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "addon"
run = "describe"
timeout = "30s"
wait = {{ until = [{{ query = "addon.status", equals = "ACTIVE" }}], interval = "10s", backoff = 1 }}
"#
    );
    let b = Scripted::default().answer("addon", vec![ok(json!({"addon": {"status": "CREATING"}}))]);
    let started = tokio::time::Instant::now();
    let out = run(&wf, &b).await;
    let s = step(&out, "addon");
    assert_eq!(s.status, Status::Failed);
    let f = s.failure.as_ref().unwrap();
    assert_eq!(f.kind, FailureKind::Timeout);
    assert!(f.message.contains("timed out after 30s"), "{}", f.message);
    assert!(
        f.message.contains(r#"addon.status = "CREATING""#),
        "{}",
        f.message
    );
    let details = f.details.as_deref().unwrap_or_default();
    assert!(details.contains(r#"last saw "CREATING""#), "{details}");
    // Polls at 0, 10, 20 and 30 s: the deadline, not a poll count, ends it.
    assert_eq!(b.calls_of("addon").len(), 4);
    assert_eq!(started.elapsed(), Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn fail_if_ends_a_wait_at_once() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "addon"
run = "describe"
timeout = "10m"
wait = {{ until = [{{ query = "addon.status", equals = "ACTIVE" }}], fail-if = [{{ query = "addon.status", one-of = ["CREATE_FAILED", "DEGRADED"] }}] }}
"#
    );
    let b = Scripted::default().answer(
        "addon",
        vec![
            ok(json!({"addon": {"status": "CREATING"}})),
            ok(json!({"addon": {"status": "CREATE_FAILED"}})),
        ],
    );
    let out = run(&wf, &b).await;
    let s = step(&out, "addon");
    let f = s.failure.as_ref().expect("failed");
    assert_eq!(f.kind, FailureKind::Check);
    assert!(f.message.contains("fail-if"), "{}", f.message);
    assert!(f.details.as_deref().unwrap_or("").contains("CREATE_FAILED"));
    assert_eq!(s.attempts.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_slow_action_is_cut_by_the_step_timeout() {
    let wf = format!("{HEADER}\n[[steps]]\nid = \"slow\"\nrun = \"x\"\ntimeout = \"5s\"\n");
    let b = Scripted::default().answer(
        "slow",
        vec![Answer {
            takes: Duration::from_secs(3600),
            result: Ok(json!({}).into()),
        }],
    );
    let started = tokio::time::Instant::now();
    let out = run(&wf, &b).await;
    let f = step(&out, "slow").failure.clone().expect("failed");
    assert_eq!(f.kind, FailureKind::Timeout);
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}

#[tokio::test(start_paused = true)]
async fn retries_transient_errors_then_succeeds() {
    let wf = format!(
        "{HEADER}\n[[steps]]\nid = \"flaky\"\nrun = \"x\"\nretry = {{ attempts = 3, delay = \"2s\" }}\n"
    );
    let b = Scripted::default().answer(
        "flaky",
        vec![fails("throttled"), fails("throttled"), ok(json!({"ok": true}))],
    );
    let out = run(&wf, &b).await;
    let s = step(&out, "flaky");
    assert_eq!(s.status, Status::Passed);
    assert_eq!(s.attempts.len(), 3);
    let times: Vec<u64> = b.calls_of("flaky").iter().map(|(t, _)| t.as_secs()).collect();
    assert_eq!(times, vec![0, 2, 4]);
}

#[tokio::test(start_paused = true)]
async fn retries_give_up_after_the_last_attempt() {
    let wf = format!("{HEADER}\n[[steps]]\nid = \"flaky\"\nrun = \"x\"\nretry = {{ attempts = 2 }}\n");
    let b = Scripted::default().answer("flaky", vec![fails("throttled")]);
    let out = run(&wf, &b).await;
    let f = step(&out, "flaky").failure.clone().expect("failed");
    assert_eq!(f.kind, FailureKind::Check);
    assert!(
        f.message.contains("throttled (after 2 attempts)"),
        "{}",
        f.message
    );
    assert_eq!(b.calls_of("flaky").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn captures_reach_later_steps() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "create"
run = "create"
capture = {{ ASSOC_ID = "association.associationId", COUNT = {{ jq = ".items | length" }} }}

[[steps]]
id = "use"
run = "use"
env = {{ ID = "${{ASSOC_ID}}", N = "${{COUNT}}" }}
expect = [{{ query = "id", equals = "${{ASSOC_ID}}" }}]
"#
    );
    let b = Scripted::default()
        .answer(
            "create",
            vec![ok(
                json!({"association": {"associationId": "a-123"}, "items": [1, 2]}),
            )],
        )
        .answer("use", vec![ok(json!({"id": "a-123"}))]);
    let out = run(&wf, &b).await;
    assert_eq!(out.status, Status::Passed, "{:?}", out.first_failure());
    assert_eq!(
        step(&out, "create").captures,
        vec![
            ("ASSOC_ID".to_string(), "a-123".to_string()),
            ("COUNT".to_string(), "2".to_string())
        ]
    );
    let env = &b.calls_of("use")[0].1.env;
    assert!(env.contains(&("ID".to_string(), "a-123".to_string())), "{env:?}");
    assert!(env.contains(&("N".to_string(), "2".to_string())), "{env:?}");
    // Captured variables are in every later step's environment too.
    assert!(
        env.contains(&("ASSOC_ID".to_string(), "a-123".to_string())),
        "{env:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn conditions_skip_steps_with_a_reason() {
    let wf = format!(
        r#"{HEADER}
[vars]
TARGET = "prod"

[[steps]]
id = "replay-only"
run = "x"
when = "REHEARSE_MODE == 'replay'"

[[steps]]
id = "prod-only"
run = "x"
when = "TARGET == 'prod'"

[[steps]]
id = "never"
run = "x"
skip = "needs the workshop IDE"
"#
    );
    let b = Scripted::default();
    let out = run(&wf, &b).await;
    assert_eq!(step(&out, "replay-only").status, Status::Skipped);
    assert!(
        step(&out, "replay-only")
            .skip_reason
            .as_deref()
            .unwrap()
            .contains("is false")
    );
    assert_eq!(step(&out, "prod-only").status, Status::Passed);
    assert_eq!(
        step(&out, "never").skip_reason.as_deref(),
        Some("needs the workshop IDE")
    );
    assert!(b.calls_of("replay-only").is_empty() && b.calls_of("never").is_empty());
    assert_eq!(out.status, Status::Passed);
}

#[tokio::test(start_paused = true)]
async fn a_failure_skips_the_rest_and_finally_steps_still_run() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "first"
run = "x"
expect = [{{ query = "count", equals = 3 }}]

[[steps]]
id = "second"
run = "x"

[[finally]]
id = "cleanup"
run = "x"

[[finally]]
id = "cleanup-2"
run = "x"
"#
    );
    let b = Scripted::default().answer("first", vec![ok(json!({"count": 2}))]);
    let out = run(&wf, &b).await;
    assert_eq!(out.status, Status::Failed);
    let f = step(&out, "first").failure.clone().unwrap();
    assert_eq!(f.kind, FailureKind::Check);
    assert!(f.message.contains("count"), "{}", f.message);
    assert_eq!(step(&out, "second").status, Status::Skipped);
    assert_eq!(
        step(&out, "second").skip_reason.as_deref(),
        Some("step `first` failed")
    );
    assert_eq!(step(&out, "cleanup").status, Status::Passed);
    assert_eq!(step(&out, "cleanup-2").status, Status::Passed);
    assert_eq!(b.calls_of("cleanup").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failing_finally_step_fails_the_workflow_and_the_others_run() {
    let wf = format!(
        "{HEADER}\n[[steps]]\nid = \"a\"\nrun = \"x\"\n\n[[finally]]\nid = \"f1\"\nrun = \"x\"\n\n[[finally]]\nid = \"f2\"\nrun = \"x\"\n"
    );
    let b = Scripted::default().answer("f1", vec![fails("cannot delete")]);
    let out = run(&wf, &b).await;
    assert_eq!(out.status, Status::Failed);
    assert_eq!(step(&out, "f2").status, Status::Passed);
}

#[tokio::test(start_paused = true)]
async fn must_fail_checks_the_failure() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "rollout"
run = "x"
must-fail = true
expect = [{{ query = "error.message", contains = "timed out waiting" }}]
"#
    );
    let b = Scripted::default().answer(
        "rollout",
        vec![fails("error: timed out waiting for the condition")],
    );
    let out = run(&wf, &b).await;
    assert_eq!(
        step(&out, "rollout").status,
        Status::Passed,
        "{:?}",
        out.first_failure()
    );

    // The same step fails when the action succeeds...
    let b = Scripted::default().answer("rollout", vec![ok(json!({}))]);
    let out = run(&wf, &b).await;
    let f = step(&out, "rollout").failure.clone().unwrap();
    assert!(f.message.contains("must fail"), "{}", f.message);

    // ...and when it fails for another reason.
    let b = Scripted::default().answer("rollout", vec![fails("connection refused")]);
    let out = run(&wf, &b).await;
    let f = step(&out, "rollout").failure.clone().unwrap();
    assert_eq!(f.kind, FailureKind::Check);
    assert!(f.message.contains("error.message"), "{}", f.message);
}

#[tokio::test(start_paused = true)]
async fn must_fail_accepts_a_step_timeout_as_the_failure() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "hang"
run = "x"
timeout = "20s"
must-fail = true
expect = [{{ query = "error.kind", equals = "timeout" }}]
"#
    );
    let b = Scripted::default().answer(
        "hang",
        vec![Answer {
            takes: Duration::from_secs(600),
            result: Ok(json!({}).into()),
        }],
    );
    let out = run(&wf, &b).await;
    assert_eq!(
        step(&out, "hang").status,
        Status::Passed,
        "{:?}",
        out.first_failure()
    );
}

#[tokio::test(start_paused = true)]
async fn only_and_from_select_steps() {
    let wf = format!(
        "{HEADER}\n[[steps]]\nid = \"a\"\nrun = \"x\"\n\n[[steps]]\nid = \"b\"\nrun = \"x\"\n\n[[steps]]\nid = \"c\"\nrun = \"x\"\n\n[[finally]]\nid = \"f\"\nrun = \"x\"\n"
    );
    let b = Scripted::default();
    let opts = PlanOptions {
        from: Some("b".into()),
        ..PlanOptions::default()
    };
    let out = run_with(&wf, &b, opts).await;
    assert_eq!(step(&out, "a").status, Status::Skipped);
    assert_eq!(step(&out, "b").status, Status::Passed);
    assert_eq!(step(&out, "c").status, Status::Passed);
    assert_eq!(step(&out, "f").status, Status::Passed);

    let b = Scripted::default();
    let opts = PlanOptions {
        only: vec!["c".into()],
        ..PlanOptions::default()
    };
    let out = run_with(&wf, &b, opts).await;
    let ran: Vec<&str> = out
        .all_steps()
        .filter(|s| s.status == Status::Passed)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(ran, vec!["c", "f"]);
}

#[test]
fn plan_rejects_unknown_steps_and_missing_environment() {
    let wf = format!(
        "{HEADER}\n[vars]\nACCOUNT = {{ env = \"ACCOUNT_ID\" }}\n\n[[steps]]\nid = \"a\"\nrun = \"x\"\n"
    );
    let (file, w) = load(&wf);
    let opts = PlanOptions {
        only: vec!["nope".into()],
        ..PlanOptions::default()
    };
    let errs = plan::plan(file.clone(), w.clone(), &opts, "live", &|_| None).unwrap_err();
    let text: Vec<&str> = errs.iter().map(|d| d.message.as_str()).collect();
    assert!(text.iter().any(|m| m.contains("ACCOUNT_ID")), "{text:?}");
    assert!(text.iter().any(|m| m.contains("--only nope")), "{text:?}");
    // The environment, or --var, satisfies it.
    assert!(
        plan::plan(file.clone(), w.clone(), &PlanOptions::default(), "live", &|k| (k
            == "ACCOUNT_ID")
            .then(|| "1".into()))
        .is_ok()
    );
    let opts = PlanOptions {
        vars: vec![("ACCOUNT".into(), "1".into())],
        ..PlanOptions::default()
    };
    assert!(plan::plan(file, w, &opts, "live", &|_| None).is_ok());
}

#[tokio::test(start_paused = true)]
async fn ctrl_c_stops_the_step_and_runs_finally() {
    let wf = format!(
        "{HEADER}\n[[steps]]\nid = \"long\"\nrun = \"x\"\ntimeout = \"1h\"\n\n[[steps]]\nid = \"next\"\nrun = \"x\"\n\n[[finally]]\nid = \"cleanup\"\nrun = \"x\"\n"
    );
    let b = Scripted::default().answer(
        "long",
        vec![Answer {
            takes: Duration::from_secs(3000),
            result: Ok(json!({}).into()),
        }],
    );
    let interrupt = CancellationToken::new();
    let trigger = interrupt.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        trigger.cancel();
    });
    let out = run_cancellable(
        &wf,
        &b,
        PlanOptions::default(),
        interrupt,
        CancellationToken::new(),
    )
    .await;
    assert_eq!(
        step(&out, "long").failure.as_ref().unwrap().kind,
        FailureKind::Interrupted
    );
    assert_eq!(step(&out, "next").status, Status::Skipped);
    assert_eq!(step(&out, "cleanup").status, Status::Passed);
    assert_eq!(
        rehearse::report::exit::for_outcomes(&[out]),
        rehearse::report::exit::INTERRUPTED
    );
}

#[tokio::test(start_paused = true)]
async fn a_second_ctrl_c_aborts_finally_steps() {
    let wf = format!(
        "{HEADER}\n[[steps]]\nid = \"a\"\nrun = \"x\"\n\n[[finally]]\nid = \"slow-cleanup\"\nrun = \"x\"\n\n[[finally]]\nid = \"other\"\nrun = \"x\"\n"
    );
    let b = Scripted::default().answer(
        "slow-cleanup",
        vec![Answer {
            takes: Duration::from_secs(200),
            result: Ok(json!({}).into()),
        }],
    );
    let interrupt = CancellationToken::new();
    let abort = CancellationToken::new();
    let (i, a) = (interrupt.clone(), abort.clone());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        i.cancel();
        a.cancel();
    });
    let out = run_cancellable(&wf, &b, PlanOptions::default(), interrupt, abort).await;
    assert_eq!(
        step(&out, "slow-cleanup").failure.as_ref().unwrap().kind,
        FailureKind::Interrupted
    );
    assert_eq!(step(&out, "other").status, Status::Skipped);
}

#[tokio::test(start_paused = true)]
async fn a_wait_can_wait_for_a_failure_such_as_not_found() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "gone"
run = "describe"
timeout = "1m"
wait = {{ until = [{{ query = "error.code", equals = "ResourceNotFoundException" }}] }}
"#
    );
    let not_found = Answer {
        takes: Duration::ZERO,
        result: Err(ActionError::failed(
            "An error occurred (ResourceNotFoundException) when calling the DescribeAddon operation: gone",
            Some(json!({"error": {"code": "ResourceNotFoundException", "message": "gone"}})),
        )),
    };
    let b = Scripted::default().answer(
        "gone",
        vec![
            ok(json!({"addon": {"status": "DELETING"}})),
            ok(json!({"addon": {"status": "DELETING"}})),
            not_found,
        ],
    );
    let out = run(&wf, &b).await;
    let s = step(&out, "gone");
    assert_eq!(s.status, Status::Passed, "{:?}", s.failure);
    assert_eq!(s.attempts.len(), 3);
    let last = s.last_output().unwrap();
    assert_eq!(last["error"]["code"], "ResourceNotFoundException");
    assert_eq!(last["error"]["kind"], "failed");
}

/// The calls the backend received for a step.
fn actions_of(b: &Scripted, id: &str) -> Vec<Action> {
    b.calls_of(id).into_iter().map(|(_, r)| r.action).collect()
}

/// The one call the backend received for a step.
fn only_action(b: &Scripted, id: &str) -> Action {
    let mut all = actions_of(b, id);
    assert_eq!(all.len(), 1, "{id}: {all:?}");
    all.remove(0)
}

#[tokio::test(start_paused = true)]
async fn a_value_with_quotes_spaces_or_flags_stays_one_argument() {
    let wf = format!(
        r#"{HEADER}
[vars]
EVIL = 'x" -n "kube-system'
NAME = "c --addon-name other -n y"

[[steps]]
id = "pod"
kubectl = 'get pod "$EVIL"'

[[steps]]
id = "pod-bare"
kubectl = "get pod $NAME"

[[steps]]
id = "addon"
aws = "eks describe-addon --cluster-name $NAME --addon-name vpc-cni"
"#
    );
    let b = Scripted::default();
    let out = run(&wf, &b).await;
    assert_eq!(out.status, Status::Passed, "{out:#?}");
    for (id, name) in [
        ("pod", r#"x" -n "kube-system"#),
        ("pod-bare", "c --addon-name other -n y"),
    ] {
        let Action::Kubectl { command, .. } = only_action(&b, id) else {
            panic!("{id}: not a kubectl action");
        };
        assert_eq!(command.namespace, None, "{id}: a value became -n");
        let Verb::Get(get) = &command.verb else {
            panic!("{id}: not a get")
        };
        assert_eq!(get.targets.list.len(), 1);
        assert_eq!(get.targets.list[0].resource, "pod");
        assert_eq!(get.targets.list[0].names, [name], "{id}");
    }
    let Action::Aws { request, .. } = only_action(&b, "addon") else {
        panic!("not an aws action");
    };
    assert_eq!(request.input["clusterName"], "c --addon-name other -n y");
    assert_eq!(request.input["addonName"], "vpc-cni");
}

#[tokio::test(start_paused = true)]
async fn a_waiter_written_as_a_table_waits() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "addon-active"
aws = {{ command = "eks wait addon-active", input = {{ clusterName = "c", addonName = "a" }} }}
"#
    );
    let status = |s: &str| ok(json!({"addon": {"status": s}}));
    let b = Scripted::default().answer(
        "addon-active",
        vec![status("CREATING"), status("CREATING"), status("ACTIVE")],
    );
    let out = run(&wf, &b).await;
    let s = step(&out, "addon-active");
    assert_eq!(s.status, Status::Passed, "{s:#?}");
    assert_eq!(s.attempts.len(), 3, "it polled until ACTIVE");
    for action in actions_of(&b, "addon-active") {
        let Action::Aws { request, .. } = action else {
            panic!()
        };
        assert_eq!(request.operation.name, "describe-addon");
    }
    // A failure state stops it at once, as the CLI's waiter does.
    let b = Scripted::default().answer("addon-active", vec![status("CREATING"), status("DEGRADED")]);
    let out = run(&wf, &b).await;
    assert_eq!(step(&out, "addon-active").status, Status::Failed);
    assert_eq!(step(&out, "addon-active").attempts.len(), 2);
}

#[tokio::test(start_paused = true)]
async fn file_paths_resolve_against_the_workflow_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trust.json"), r#"{"Version": "2012-10-17"}"#).unwrap();
    let text = format!(
        r#"{HEADER}
[[steps]]
id = "role"
aws = "iam create-role --role-name r --assume-role-policy-document file://trust.json"

[[steps]]
id = "apply"
kubectl = "apply -f manifests/cm.yaml"
"#
    );
    let path = dir.path().join("lab.toml");
    let file = SourceFile {
        path: path.clone(),
        text: Arc::from(text.as_str()),
    };
    let wf = rehearse::validate::check_file(&file).expect("valid");
    let plan = plan::plan(file, wf, &PlanOptions::default(), "live", &|_| None).expect("plan");
    let b = Scripted::default();
    let runner = Runner {
        backend: &b,
        clock: Clock::Real,
        events: &NoEvents,
        interrupt: CancellationToken::new(),
        abort: CancellationToken::new(),
    };
    // The test runs in the crate's folder: only the workflow's folder has trust.json.
    let out = runner.run(&plan).await;
    assert_eq!(out.status, Status::Passed, "{out:#?}");
    let Action::Aws { request, .. } = only_action(&b, "role") else {
        panic!()
    };
    assert_eq!(
        request.input["AssumeRolePolicyDocument"],
        r#"{"Version": "2012-10-17"}"#
    );
    // The Kubernetes backend reads `-f` paths from the request's folder.
    let calls = b.calls_of("apply");
    assert_eq!(calls[0].1.dir, dir.path());
}

/// The CLI's acceptors, in their order, as the wait a waiter is lowered
/// into decides them (the code that runs, not a copy of it).
#[tokio::test(start_paused = true)]
async fn a_waiter_decides_with_the_cli_acceptors_in_order() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "gone"
aws = "eks wait addon-deleted --cluster-name c --addon-name a"
"#
    );
    let error = |code: &str| Answer {
        takes: Duration::ZERO,
        result: Err(ActionError::failed(
            format!("An error occurred ({code}) when calling the DescribeAddon operation: not you"),
            Some(json!({"error": {"code": code}})),
        )),
    };
    let status = |s: &str| ok(json!({"addon": {"status": s}}));
    let cases = [
        (
            vec![status("DELETING"), error("ResourceNotFoundException")],
            Status::Passed,
            2,
            None,
        ),
        (
            vec![status("DELETING"), status("DELETE_FAILED")],
            Status::Failed,
            2,
            Some(
                "Waiter AddonDeleted failed: Waiter encountered a terminal failure state: For expression \"addon.status\" we matched expected path: \"DELETE_FAILED\"",
            ),
        ),
        (
            vec![error("AccessDeniedException")],
            Status::Failed,
            1,
            Some("Waiter AddonDeleted failed: An error occurred (AccessDeniedException): not you"),
        ),
    ];
    for (answers, expected, attempts, message) in cases {
        let b = Scripted::default().answer("gone", answers);
        let out = run(&wf, &b).await;
        let s = step(&out, "gone");
        assert_eq!(s.status, expected, "{s:#?}");
        assert_eq!(s.attempts.len(), attempts, "{s:#?}");
        assert_eq!(s.failure.as_ref().map(|f| f.message.as_str()), message);
    }
    // Polled to its timeout, it says so in the CLI's words too.
    let b = Scripted::default().answer("gone", vec![status("DELETING")]);
    let out = run(&format!("{wf}timeout = \"1m\"\n"), &b).await;
    let message = &step(&out, "gone").failure.as_ref().unwrap().message;
    assert!(
        message.starts_with("Waiter AddonDeleted failed: Max attempts exceeded: timed out after 1m"),
        "{message}"
    );
}

/// A `fail-if` that stops a wait says what it saw.
#[tokio::test(start_paused = true)]
async fn a_fail_if_shows_the_value_that_tripped_it() {
    let wf = format!(
        r#"{HEADER}
[[steps]]
id = "w"
run = "x"
wait = {{ until = [{{ query = "s", equals = "ok" }}], fail-if = [{{ query = "s", one-of = ["bad", "worse"] }}], interval = "1s" }}
"#
    );
    let b = Scripted::default().answer("w", vec![ok(json!({"s": "wait"})), ok(json!({"s": "worse"}))]);
    let out = run(&wf, &b).await;
    let message = &step(&out, "w").failure.as_ref().unwrap().message;
    assert_eq!(
        message,
        "the wait stopped: fail-if query `s` one-of [\"bad\",\"worse\"] holds (it is \"worse\")"
    );
}
