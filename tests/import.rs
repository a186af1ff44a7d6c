//! `rehearse import` and `rehearse validate --sources`, on the fixture lab
//! in tests/fixtures/import/lab, whose small pages use every convention
//! the importer reads (the reader's rules one by one are unit tests in
//! src/import/).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use rehearse::diagnostic::{SourceFile, render};
use rehearse::format::ast::{Action, Step, Workflow};
use rehearse::import::harness::Treatment;
use rehearse::import::{self, Summary, block, markdown};
use rehearse::validate::check_file;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lab() -> PathBuf {
    root().join("tests/fixtures/import/lab")
}

/// The fixture lab imported as if written in the repository's root: its
/// text, the workflow it validates into, and the summary.
fn imported() -> (String, Workflow, Summary) {
    let imp = import::import(&[lab()], &root()).expect("the fixture lab imports");
    let wf = validates(&imp.toml, &root().join("lab.toml"));
    (imp.toml, wf, imp.summary)
}

fn validates(text: &str, path: &Path) -> Workflow {
    let file = SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(text),
    };
    check_file(&file).unwrap_or_else(|d| panic!("{}\n{}", text, render(&file, &d, false)))
}

fn all_steps(wf: &Workflow) -> impl Iterator<Item = &Step> {
    wf.steps.iter().chain(&wf.finally)
}

fn step<'w>(wf: &'w Workflow, id: &str) -> &'w Step {
    all_steps(wf)
        .find(|s| s.id.value == id)
        .unwrap_or_else(|| panic!("no step `{id}` in {:?}", ids(wf)))
}

fn ids(wf: &Workflow) -> Vec<&str> {
    all_steps(wf).map(|s| s.id.value.as_str()).collect()
}

/// What a step runs, as the page would show it (`kubectl …`, `aws …`, or the script).
fn command(s: &Step) -> String {
    match &s.action.value {
        Action::Run(script) => script.clone(),
        Action::Aws(a) => format!("aws {}", a.line.text),
        Action::Kubectl(k) => format!("kubectl {}", k.line.text),
        Action::Cli(_) => s.action.value.written(),
        Action::Http(_) => panic!("no http step is imported"),
    }
}

fn kind(s: &Step) -> &'static str {
    s.action.value.kind()
}

#[test]
fn pages_come_index_first_then_by_position_then_sub_folders_and_notest_is_left_out() {
    let (_, wf, summary) = imported();
    let mut pages: Vec<String> = Vec::new();
    for s in all_steps(&wf) {
        if let Some(src) = &s.source {
            let page = src
                .page
                .value
                .trim_start_matches("tests/fixtures/import/lab/")
                .to_string();
            if pages.last() != Some(&page) {
                pages.push(page);
            }
        }
    }
    assert_eq!(
        pages,
        [
            "index.md",
            "extra.md",
            "checks.md",
            "setup.md",
            "nested/_index.md"
        ]
    );
    assert_eq!(summary.pages, 5);
    assert_eq!(summary.excluded, [lab().join("skipped")]);
    assert!(!ids(&wf).iter().any(|id| id.contains("delete-namespace")));
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.contains("extra.md has no front matter")),
        "{:?}",
        summary.notes
    );
    assert!(
        summary
            .notes
            .iter()
            .any(|n| n.ends_with("runs the pages in another order: extra.md, index.md, checks.md, setup.md")),
        "{:?}",
        summary.notes
    );
}

#[test]
fn suite_hooks_wrap_their_folders() {
    let (_, wf, _) = imported();
    let top = step(&wf, "lab.hook-suite-before");
    assert_eq!(wf.steps[0].id.value, "lab.hook-suite-before");
    assert_eq!(
        command(top),
        "bash tests/fixtures/import/lab/tests/hook-suite.sh before"
    );
    assert!(top.live_only.is_none(), "its before part is a noop");
    let ids = ids(&wf);
    let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    assert!(at("nested.hook-suite-before") < at("nested.kubectl-get-nodes"));
    assert!(at("nested.kubectl-scale-deployment-carts") < at("nested.hook-suite-after"));
    assert_eq!(wf.finally.len(), 1);
    let last = &wf.finally[0];
    assert_eq!(last.id.value, "lab.hook-suite-after");
    assert!(
        last.live_only
            .as_ref()
            .unwrap()
            .value
            .contains("prepare-environment")
    );
}

#[test]
fn each_convention_becomes_its_step() {
    let (text, wf, summary) = imported();

    let prepare = step(&wf, "index.prepare-environment-fixture-lab");
    assert_eq!(kind(prepare), "run");
    assert!(prepare.live_only.is_some());
    assert_eq!(
        prepare.timeout.as_ref().unwrap().value.as_secs(),
        300,
        "timeout=300"
    );
    assert!(text.contains("The page sleeps 30s after this block (wait=30)"));

    let get = step(&wf, "setup.kubectl-get-pod");
    assert_eq!(
        (kind(get), command(get).as_str()),
        ("kubectl", "kubectl -n carts get pod")
    );
    let describe = step(&wf, "setup.aws-eks-describe-addon");
    assert_eq!(kind(describe), "aws");
    assert_eq!(
        command(describe),
        "aws eks describe-addon --cluster-name $EKS_CLUSTER_NAME \\\n    --addon-name ${ADDON_NAME}",
        "continuation lines kept as the page shows them"
    );
    let vars: Vec<&str> = wf.vars.iter().map(|v| v.name.value.as_str()).collect();
    assert_eq!(
        vars,
        ["EKS_CLUSTER_NAME", "ADDON_NAME"],
        "what native steps read, from the environment"
    );

    assert_eq!(
        kind(step(&wf, "setup.kubectl-get-pods")),
        "run",
        "a pipe needs a shell"
    );
    assert_eq!(
        kind(step(&wf, "setup.kubectl-describe-replicaset-carts")),
        "kubectl (cli)"
    );
    assert!(text.contains(
        "# Runs through the kubectl CLI: `describe` of ReplicaSet (`replicaset`) is not run natively"
    ));

    let export = step(&wf, "setup.export-table");
    assert_eq!(export.capture[0].name.value, "TABLE");
    assert!(command(export).ends_with("\nprintf '%s' \"$TABLE\""));

    let untested = step(&wf, "setup.kubectl-port-forward-svc-carts-8080-80");
    assert!(untested.skip.as_ref().unwrap().value.contains("test=false"));
    assert_eq!(
        ids(&wf).iter().filter(|id| id.contains("hook-check")).count(),
        2,
        "the hook of a test=false block does not run"
    );

    let restart = step(&wf, "setup.kubectl-rollout-restart-deployment-carts");
    let status = step(&wf, "setup.kubectl-rollout-status-deployment-carts");
    assert!(
        restart.must_fail.is_none(),
        "expectError: the block's last command fails"
    );
    assert_eq!(status.must_fail.as_ref().map(|m| m.value), Some(true));

    for id in ["setup.aws-eks-create-addon", "setup.aws-eks-wait-addon-active"] {
        assert_eq!(
            step(&wf, id).timeout.as_ref().unwrap().value.as_secs(),
            90,
            "{id}"
        );
    }
    assert!(text.contains(
        "# The page sleeps 20s after this block (wait=20). Wait on the condition the next steps\n# need instead, on a step that describes the add-on, e.g. `wait = { until = ["
    ));

    let heredoc = step(&wf, "setup.cat");
    assert_eq!(
        command(heredoc),
        "cat <<'EOF' | kubectl apply -f -\nkind: ConfigMap\n\ndata: {}\nEOF"
    );
    assert_eq!(
        command(step(&wf, "setup.cat-2")),
        "cat <<-END > notes.txt\n\ttab-indented\n\tEND"
    );

    let raw = step(&wf, "checks.for-i-in-1");
    assert_eq!(command(raw), "for i in 1 2 3; do\n  echo \"$i\"\ndone");

    assert!(text.contains("# The page shows this output:\n#   NAME                     READY   STATUS\n#   carts-5d7fc9d8f-xm4hs    1/1     Running\n"));
    assert!(
        text.contains("\n# tip: Before you start\n"),
        "admonitions name their section"
    );
    assert!(text.contains("\n# Heredocs\n"), "headings name their section");
    assert!(
        text.contains("\n# ---- setup.md: Setting up ----\n"),
        "pages have banners"
    );

    assert_eq!(summary.other_blocks, 1, "the yaml block");
    assert_eq!(summary.empty_blocks, 1, "the block with no prompt");
    assert_eq!(summary.untested_blocks, 1);
    assert_eq!(summary.commands, 21);
    assert_eq!(
        (
            summary.aws,
            summary.kubectl,
            summary.run,
            summary.hooks,
            summary.cli
        ),
        (3, 8, 10, 8, 2),
        "describe and port-forward run through the kubectl CLI"
    );
    assert_eq!(summary.steps(), all_steps(&wf).count());
}

#[test]
fn a_hook_runs_around_its_block_and_gets_its_output() {
    let (_, wf, _) = imported();
    let ids = ids(&wf);
    let at = |id: &str| ids.iter().position(|i| *i == id).unwrap();
    let order = [
        "checks.hook-check-before",
        "checks.pod",
        "checks.kubectl-logs",
        "checks.hook-check-after",
    ];
    assert!(order.windows(2).all(|w| at(w[0]) + 1 == at(w[1])), "{ids:?}");
    let before = step(&wf, "checks.hook-check-before");
    assert_eq!(
        command(before),
        "bash tests/fixtures/import/lab/tests/hook-check.sh before"
    );
    assert_eq!(
        before.timeout.as_ref().unwrap().value.as_secs(),
        60,
        "hookTimeout=60"
    );
    let logs = step(&wf, "checks.kubectl-logs");
    assert_eq!(kind(logs), "run", "the hook reads the text kubectl prints");
    assert_eq!(logs.capture[0].name.value, "HOOK_OUTPUT_1");
    assert_eq!(
        step(&wf, "checks.pod").capture[0].name.value,
        "POD",
        "an assignment prints nothing: no output of its own"
    );
    let after = step(&wf, "checks.hook-check-after");
    assert_eq!(
        command(after),
        "bash tests/fixtures/import/lab/tests/hook-check.sh after"
    );
    assert_eq!(after.env[0].0.value, "TEST_OUTPUT");
    assert_eq!(after.env[0].1.source(), "${HOOK_OUTPUT_1}");
    let missing = step(&wf, "setup.hook-missing-before");
    assert!(
        missing
            .skip
            .as_ref()
            .unwrap()
            .value
            .contains("hook-missing.sh does not exist")
    );
}

#[test]
fn ids_are_unique_and_read_as_page_and_command() {
    let (_, wf, _) = imported();
    let ids = ids(&wf);
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    for id in [
        "setup.cat",
        "setup.cat-2",
        "setup.cat-3",
        "extra.kubectl-get-namespaces",
        "nested.kubectl-get-nodes",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
}

#[test]
fn sources_name_the_page_the_line_and_the_fingerprint() {
    let (_, wf, _) = imported();
    let mut seen = 0;
    for s in all_steps(&wf) {
        let Some(src) = &s.source else {
            assert!(
                s.id.value.contains(".hook-"),
                "only hook runs have no source: {}",
                s.id.value
            );
            continue;
        };
        seen += 1;
        let path = root().join(&src.page.value);
        let page = markdown::read(&path).unwrap();
        let line = src.line.value as usize;
        let on_page = page
            .commands()
            .find(|c| c.line == line)
            .unwrap_or_else(|| panic!("{}: no command at {}:{line}", s.id.value, src.page.value));
        assert_eq!(src.fingerprint.value, on_page.fingerprint(), "{}", s.id.value);
        assert_eq!(src.fingerprint.value, block::fingerprint(&on_page.text));
        assert!(command(s).starts_with(&on_page.text), "{}", s.id.value);
        let text = std::fs::read_to_string(&path).unwrap();
        let written = text.lines().nth(line - 1).unwrap().trim_start();
        let first = on_page.first_line();
        assert!(
            written == format!("$ {first}") || written == first,
            "{}: line {line} is `{written}`",
            s.id.value
        );
    }
    assert_eq!(seen, 21, "one source per command");
}

#[test]
fn the_harness_differences_are_reported() {
    let (text, _, summary) = imported();
    let got: Vec<(String, usize, Option<Treatment>)> = summary
        .harness
        .iter()
        .map(|n| (n.page.display().to_string(), n.line, n.treatment.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("setup.md".into(), 38, Some(Treatment::Skipped)),
            ("setup.md".into(), 44, Some(Treatment::Truncated)),
            ("setup.md".into(), 50, Some(Treatment::Skipped)),
            ("setup.md".into(), 53, Some(Treatment::Skipped)),
            ("nested/_index.md".into(), 9, Some(Treatment::Skipped)),
        ]
    );
    assert!(text.contains(
        "# The workshop's harness never runs this command: it comes after the blank line at line 37, and the harness stops reading a block at its first blank line.\n[[steps]]\nid = \"setup.aws-eks-wait-addon-active\""
    ));
    let rendered = summary.render();
    assert!(rendered.contains("harness differences: 5 (4 commands never run, 1 run in part, 0 altered; 0 output lines run as commands)\n"), "{rendered}");
    assert!(
        rendered.contains(
            "steps: 29 (aws 3, kubectl 8, run 10, hook 8; aws/kubectl through the CLI 2; skipped 3, live-only 2, must-fail 1)\n"
        ),
        "{rendered}"
    );
}

#[test]
fn commands_with_quotes_backslashes_and_placeholders_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let commands = [
        r#"echo "a \"b\" \\ c" 'single' ${X} $$ and ''' too"#,
        "printf '%s\\n' \"tab\there\"",
        r#"kubectl annotate -n x pod/p 'note={"a": "b\\c"}'"#,
        "kubectl get pod \"${NAME}\" -o jsonpath='{.status}'",
        "cat <<'EOF' > f\nit's '''\n\"\"\" and \\\nEOF",
        "echo ends with a quote'",
    ];
    let mut page = String::from("---\ntitle: Quotes\n---\n\n");
    for c in commands {
        page.push_str(&format!("```bash\n$ {c}\n```\n\n"));
    }
    std::fs::write(dir.path().join("quotes.md"), &page).unwrap();
    let imp = import::import(&[dir.path().join("quotes.md")], dir.path()).unwrap();
    let wf = validates(&imp.toml, &dir.path().join("quotes.toml"));
    let got: Vec<String> = wf.steps.iter().map(command).collect();
    assert_eq!(got, commands, "{}", imp.toml);
    assert_eq!(kind(&wf.steps[2]), "kubectl");
    assert_eq!(kind(&wf.steps[3]), "kubectl");
    assert_eq!(wf.vars[0].name.value, "NAME");
    assert_eq!(wf.meta.name.value, "quotes");
}

/// Every aws and kubectl line runs natively, or through the CLI, or is a
/// `run` step (shell syntax, a `~`, a line the parsers find wrong), each
/// saying why: none is left for validation to refuse.
#[test]
fn lines_rehearse_does_not_run_natively_run_through_the_cli_and_the_workflow_validates() {
    let lines = [
        ("kubectl get pods -n carts", "kubectl", ""),
        ("aws eks describe-cluster --name $EKS_CLUSTER_NAME", "aws", ""),
        ("kubectl describe replicaset carts", "kubectl (cli)", "`describe`"),
        (
            "kubectl apply -k ~/environment/eks-workshop/modules/x",
            "run",
            "`~`",
        ),
        ("kubectl apply -k modules/x", "kubectl (cli)", "-k"),
        ("kubectl apply -f ~/environment/x.yaml", "run", "`~`"),
        ("kubectl apply -f https://example.com/x.yaml", "kubectl", ""),
        ("kubectl get nodes --watch", "kubectl (cli)", "--watch"),
        ("kubectl --context readonly get pods", "kubectl", ""),
        (
            "kubectl run -it x --image=busybox --rm -- sh",
            "kubectl (cli)",
            "attaches a terminal",
        ),
        ("kubectl get pods -n ${NS:-default}", "run", "NS:-default"),
        ("aws ec2 describe-vpcs", "aws (cli)", "`ec2`"),
        // The tutorials' `--region`: the call's own region.
        (
            "aws eks describe-cluster --name x --region $AWS_REGION",
            "aws",
            "",
        ),
        (
            "aws ec2 wait instance-running --instance-ids i-1",
            "aws (cli)",
            "`ec2`",
        ),
        (
            "aws eks wait nodegroup-ready --cluster-name x",
            "aws (cli)",
            "waiter",
        ),
        (
            "aws eks create-addon --cluster-name x --addon-name y --configuration-values file://~/v.json",
            "run",
            "`~`",
        ),
        ("kubectl get pods | grep carts", "run", ""),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut page = String::from("---\ntitle: Refused\n---\n\n```bash\n");
    for (line, _, _) in lines {
        page.push_str(&format!("$ {line}\n"));
    }
    page.push_str("```\n");
    std::fs::write(dir.path().join("refused.md"), &page).unwrap();
    let imp = import::import(&[dir.path().join("refused.md")], dir.path()).unwrap();
    let wf = validates(&imp.toml, &dir.path().join("refused.toml"));
    assert_eq!(wf.steps.len(), lines.len());
    for ((line, want, why), s) in lines.iter().zip(&wf.steps) {
        assert_eq!(kind(s), *want, "{line}");
        assert_eq!(command(s), *line);
        if !why.is_empty() {
            // The comment above `[[steps]]`.
            let text: Vec<&str> = imp.toml.lines().collect();
            let at = text
                .iter()
                .position(|l| *l == format!("id = \"{}\"", s.id.value))
                .unwrap();
            let note = text[at - 2];
            let says = if want.ends_with("(cli)") {
                "# Runs through the "
            } else {
                "# A `run` step: "
            };
            assert!(note.starts_with(says) && note.contains(why), "{line}: {note}");
        }
    }
    assert_eq!((imp.summary.aws, imp.summary.kubectl, imp.summary.cli), (5, 7, 7));
}

// ---- the binary ----

fn rehearse(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rehearse"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run rehearse")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn import_writes_a_workflow_that_validates_and_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wf/lab.toml");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let o = rehearse(
        &root(),
        &["import", "tests/fixtures/import/lab", "-o", out.to_str().unwrap()],
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("pages: 5\n"), "{err}");
    assert!(err.contains("commands: 21\n"), "{err}");
    assert!(err.contains("harness differences: 5 (4 commands never run, 1 run in part, 0 altered; 0 output lines run as commands)\n"), "{err}");
    assert!(
        err.contains("excluded by .notest: tests/fixtures/import/lab/skipped\n"),
        "{err}"
    );
    assert!(err.contains("it validates"), "{err}");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(
        written.contains("source = { page = \"../"),
        "relative to the written file"
    );
    let o = rehearse(dir.path(), &["validate", "wf/lab.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));

    let o = rehearse(&root(), &["import", "tests/fixtures/import/lab/checks.md"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(stdout.starts_with("# Imported by `rehearse import` from tests/fixtures/import/lab/checks.md"));
    assert!(stdout.contains("name = \"checks\""));
}

#[test]
fn import_refuses_what_it_cannot_import() {
    let o = rehearse(&root(), &["import", "tests/fixtures/import/no-such-lab"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no-such-lab does not exist"));
    assert!(text(&o.stderr).contains("help: give a markdown page"));
    let o = rehearse(&root(), &["import", "tests/fixtures/import/lab/skipped"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("has a .notest file"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("prose.md"),
        "---\ntitle: Prose\n---\n\nNo command.\n",
    )
    .unwrap();
    let o = rehearse(dir.path(), &["import", "prose.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("no commands found"));
}

/// Runs `import ARGS -o out/lab.toml` in `dir`, where out/lab.toml holds
/// "before": the exit code and standard error, after checking that the
/// file is as it was and that no other file was left in out/.
fn import_fails(dir: &Path, args: &[&str]) -> String {
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("lab.toml"), "before").unwrap();
    let mut all = vec!["import"];
    all.extend(args);
    all.extend(["-o", "out/lab.toml"]);
    let o = rehearse(dir, &all);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("lab.toml")).unwrap(), "before");
    let left: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["lab.toml"], "no temporary file is left");
    assert!(
        err.contains("nothing imported: out/lab.toml is as it was"),
        "{err}"
    );
    err
}

#[test]
fn a_page_with_a_fence_or_a_heredoc_never_closed_is_an_error_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("lab")).unwrap();
    std::fs::write(
        d.join("lab/index.md"),
        "---\ntitle: Lab\n---\n\n```bash\n$ kubectl get pods\n```\n",
    )
    .unwrap();
    std::fs::write(
        d.join("lab/fence.md"),
        "---\ntitle: Fence\n---\n\nText.\n\n```bash timeout=30\n$ kubectl get pods\n",
    )
    .unwrap();
    std::fs::write(
        d.join("lab/heredoc.md"),
        "---\ntitle: Heredoc\n---\n\n1. Apply:\n\n   ```bash\n   $ cat <<'EOF' | kubectl apply -f -\n   kind: ConfigMap\n   ```\n",
    )
    .unwrap();
    let err = import_fails(d, &["lab"]);
    // Every page's errors, each at its line and column, with a hint.
    assert!(
        err.contains("× this ```bash timeout=30 block is never closed"),
        "{err}"
    );
    assert!(err.contains("[lab/fence.md:7:1]"), "{err}");
    assert!(err.contains("help: end the block with a line of ```"), "{err}");
    assert!(
        err.contains("× the heredoc `<<'EOF'` is never closed: no line `EOF` before its block ends"),
        "{err}"
    );
    assert!(err.contains("[lab/heredoc.md:8:10]"), "{err}");
    assert!(
        err.contains("help: end it with a line that holds only `EOF`"),
        "{err}"
    );
    assert!(!err.contains("index.md"), "{err}");
}

#[test]
fn a_page_that_cannot_be_read_or_a_folder_without_pages_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("latin1.md"), b"---\ntitle: Caf\xe9\n---\n").unwrap();
    let err = import_fails(d, &["latin1.md"]);
    assert!(err.contains("× latin1.md is not UTF-8 text"), "{err}");
    assert!(err.contains("[latin1.md:2:11]"), "{err}");
    assert!(err.contains("help: tutorial pages are UTF-8 markdown"), "{err}");

    std::fs::create_dir_all(d.join("empty/images")).unwrap();
    std::fs::write(d.join("empty/images/a.txt"), "not a page").unwrap();
    let err = import_fails(d, &["empty"]);
    assert!(
        err.contains("× empty has no markdown pages (*.md), in it or below it"),
        "{err}"
    );
    assert!(err.contains("help: give a lab's folder"), "{err}");

    std::fs::create_dir_all(d.join("hidden/setup")).unwrap();
    std::fs::write(d.join("hidden/setup/.notest"), "").unwrap();
    std::fs::write(d.join("hidden/setup/index.md"), "---\ntitle: S\n---\n").unwrap();
    let err = import_fails(d, &["hidden"]);
    assert!(
        err.contains(
            "hidden has no markdown pages outside the folders a .notest file excludes (hidden/setup)"
        ),
        "{err}"
    );

    let err = import_fails(d, &["missing.md", "empty"]);
    assert!(err.contains("× missing.md does not exist"), "{err}");
    assert!(
        err.contains("× empty has no markdown pages"),
        "every error, not the first"
    );

    let o = rehearse(d, &["import", "latin1.md", "-o", "new/lab.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!d.join("new").exists());
}

// ---- validate --sources ----

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copy of the fixture lab in `dir/pages`, imported into `dir/wf/lab.toml`.
fn imported_copy(dir: &Path) {
    copy_dir(&lab(), &dir.join("pages"));
    std::fs::create_dir_all(dir.join("wf")).unwrap();
    let o = rehearse(dir, &["import", "pages", "-o", "wf/lab.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// The 1-based line of `needle` in a file.
fn line_of(path: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .position(|l| l == needle)
        .unwrap_or_else(|| panic!("{needle:?}"))
        + 1
}

/// The workflow file's line where step `id`'s source is written.
fn source_line(dir: &Path, id: &str) -> usize {
    let text = std::fs::read_to_string(dir.join("wf/lab.toml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == format!("id = \"{id}\"")).unwrap();
    at + lines[at..]
        .iter()
        .position(|l| l.starts_with("source = "))
        .unwrap()
        + 1
}

#[test]
fn sources_of_an_unchanged_import_are_clean() {
    let dir = tempfile::tempdir().unwrap();
    imported_copy(dir.path());
    let o = rehearse(dir.path(), &["validate", "--sources", "wf/lab.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "ok: wf/lab.toml: the 21 commands of its 5 pages are as imported\n"
    );
    // Prose added above commands moves their lines, not their order: no drift.
    edit(
        &dir.path().join("pages/setup.md"),
        "## Native commands\n",
        "## Native commands\n\nMore prose.\nAnd more.\n",
    );
    let o = rehearse(dir.path(), &["validate", "--sources", "wf/lab.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(
        text(&o.stdout).contains("(14 commands are at other lines, in the same order: no drift"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn sources_of_a_workflow_written_by_hand_are_none() {
    let o = rehearse(&root(), &["validate", "--sources", "workflows/shell-demo.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "ok: workflows/shell-demo.toml: no step names a source page (it was not imported)\n"
    );
}

/// docs/format.md's `source` example holds the fingerprint of its command.
#[test]
fn the_source_example_of_docs_format_md_is_true() {
    let example = common::toml_blocks(&doc("format.md"))
        .into_iter()
        .find(|(_, body, _)| body.contains("source = {"))
        .expect("an example of `source`")
        .1;
    let table: toml::Table = toml::from_str(&example).unwrap();
    let step = &table["steps"][0];
    let command = format!("kubectl {}", step["kubectl"].as_str().unwrap());
    assert_eq!(
        step["source"]["fingerprint"].as_str(),
        Some(block::fingerprint(&command).as_str())
    );
}

#[test]
fn sources_report_changed_moved_added_and_removed_commands() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    imported_copy(d);
    let setup = d.join("pages/setup.md");
    // Changed: the same place, another command.
    edit(
        &setup,
        "$ kubectl -n carts get pod\n",
        "$ kubectl -n carts get pods -o wide\n",
    );
    // Moved: a command taken to another block, out of order.
    edit(&setup, "$ kubectl describe replicaset carts\n", "");
    edit(
        &setup,
        "```bash expectError=true\n",
        "```bash\n$ kubectl describe replicaset carts\n```\n\n```bash expectError=true\n",
    );
    // Added: a new block at the end of a page.
    std::fs::OpenOptions::new()
        .append(true)
        .open(d.join("pages/nested/_index.md"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n```bash\n$ kubectl get svc -A\n```\n"))
        .unwrap();
    // Removed: a command no longer on its page.
    edit(&d.join("pages/extra.md"), "$ kubectl get namespaces\n", "");

    let o = rehearse(d, &["validate", "--sources", "wf/lab.toml"]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", text(&o.stderr));
    let setup_shown = "pages/setup.md";
    let expected = [
        format!(
            "  removed  pages/extra.md:4 step `extra.kubectl-get-namespaces` (wf/lab.toml:{}): `kubectl get namespaces` is no longer on the page",
            source_line(d, "extra.kubectl-get-namespaces")
        ),
        format!(
            "  added    pages/nested/_index.md:{} no step runs `kubectl get svc -A`",
            line_of(&d.join("pages/nested/_index.md"), "$ kubectl get svc -A")
        ),
        format!(
            "  changed  {setup_shown}:{} step `setup.kubectl-get-pod` (wf/lab.toml:{}), was line 9: the page now reads `kubectl -n carts get pods -o wide`",
            line_of(&setup, "$ kubectl -n carts get pods -o wide"),
            source_line(d, "setup.kubectl-get-pod")
        ),
        format!(
            "  moved    {setup_shown}:23 → {} step `setup.kubectl-describe-replicaset-carts` (wf/lab.toml:{}): `kubectl describe replicaset carts`",
            line_of(&setup, "$ kubectl describe replicaset carts"),
            source_line(d, "setup.kubectl-describe-replicaset-carts")
        ),
    ];
    for line in &expected {
        assert!(out.lines().any(|l| l == line), "missing:\n{line}\nin:\n{out}");
    }
    assert!(
        out.starts_with("drift: wf/lab.toml: 4 commands differ on 3 of its 5 pages\n"),
        "{out}"
    );
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("  ") && !l.starts_with("  ("))
            .count(),
        4,
        "{out}"
    );
}

#[test]
fn sources_of_a_page_that_is_gone_are_removed_and_bad_input_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    imported_copy(d);
    std::fs::remove_file(d.join("pages/checks.md")).unwrap();
    let o = rehearse(d, &["validate", "--sources", "wf/lab.toml"]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("  removed  pages/checks.md:"))
            .count(),
        3,
        "{out}"
    );

    std::fs::write(d.join("wf/broken.toml"), "[workflow]\nname = 1\n").unwrap();
    let o = rehearse(d, &["validate", "--sources", "wf/broken.toml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_page_that_can_no_longer_be_read_is_an_error_not_drift() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    imported_copy(d);
    // The closing fence of the page's last block is gone.
    let page = d.join("pages/nested/_index.md");
    let before = std::fs::read_to_string(&page).unwrap();
    let end = before.trim_end().rfind("\n```").unwrap();
    std::fs::write(&page, &before[..end + 1]).unwrap();
    let o = rehearse(d, &["validate", "--sources", "wf/lab.toml"]);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(2), "{out}{err}");
    assert!(
        out.starts_with("error: wf/lab.toml: 1 of its 5 pages cannot be read, and their commands are not compared\n  cannot read pages/nested/_index.md:"),
        "{out}"
    );
    assert!(!out.contains("removed"), "{out}");
    assert!(err.contains("block is never closed"), "{err}");
}

// ---- docs/import.md and docs/ci.md ----

fn doc(name: &str) -> String {
    std::fs::read_to_string(root().join("docs").join(name)).unwrap()
}

fn trimmed_lines(text: &str) -> String {
    text.lines().map(str::trim_end).collect::<Vec<_>>().join("\n")
}

#[test]
fn the_example_of_docs_import_md_imports_and_drifts_as_shown() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("lab")).unwrap();
    std::fs::write(
        d.join("lab/index.md"),
        common::doc_block("import.md", "markdown lab/index.md"),
    )
    .unwrap();
    let o = rehearse(d, &["import", "lab", "-o", "lab.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(d.join("lab.toml")).unwrap();
    assert_eq!(
        written,
        common::doc_block("import.md", "toml imported"),
        "docs/import.md shows another workflow"
    );
    assert_eq!(
        text(&o.stderr),
        common::doc_block("import.md", "text summary"),
        "docs/import.md shows another summary"
    );

    let o = rehearse(d, &["validate", "--sources", "lab.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    std::fs::write(
        d.join("lab/index.md"),
        common::doc_block("import.md", "markdown lab/index.md, later"),
    )
    .unwrap();
    let o = rehearse(d, &["validate", "--sources", "lab.toml"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        common::doc_block("import.md", "text drift"),
        "docs/import.md shows another drift"
    );
}

#[test]
fn the_error_of_docs_import_md_is_the_one_rehearse_prints() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("lab")).unwrap();
    std::fs::write(
        d.join("lab/setup.md"),
        "---\ntitle: Setup\n---\n\nText.\n\n```bash\n$ kubectl get pods\n",
    )
    .unwrap();
    let o = rehearse(d, &["import", "lab"]);
    assert_eq!(o.status.code(), Some(2));
    let shown = trimmed_lines(&common::doc_block("import.md", "text error"));
    assert!(
        trimmed_lines(&text(&o.stderr)).contains(&shown),
        "docs/import.md shows:\n{shown}\nrehearse prints:\n{}",
        text(&o.stderr)
    );
}

/// docs/ci.md's drift job, in the layout it describes: the tutorial's
/// repository checked out next to `workflows/`, which were imported from it.
#[test]
fn the_drift_job_of_docs_ci_md_passes_then_fails_on_drift() {
    let job = common::doc_block("ci.md", "yaml drift");
    let args_of = |needle: &str| -> Vec<String> {
        let line = job
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in docs/ci.md's drift job"));
        // `- run: rehearse …`, or `#   rehearse …` in a comment.
        let command = &line[line.find("rehearse ").unwrap()..];
        command.split_whitespace().skip(1).map(str::to_string).collect()
    };
    let import = args_of("rehearse import");
    let sources = args_of("rehearse validate --sources");
    let checkout = job
        .lines()
        .find_map(|l| l.trim().strip_prefix("path: "))
        .expect("the tutorial's checkout path");

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lab = d
        .join(checkout)
        .join("website/docs/security/amazon-eks-pod-identity");
    std::fs::create_dir_all(&lab).unwrap();
    std::fs::create_dir_all(d.join("workflows")).unwrap();
    let page = common::doc_block("import.md", "markdown lab/index.md");
    std::fs::write(lab.join("index.md"), &page).unwrap();
    let run = |args: &[String]| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        rehearse(d, &args)
    };
    let o = run(&import);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = run(&sources);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    std::fs::write(
        lab.join("index.md"),
        page.replace("$ kubectl get pods -n carts", "$ kubectl get pods -A"),
    )
    .unwrap();
    let o = run(&sources);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("changed"), "{}", text(&o.stdout));
}

/// `import --commands` (for benches/workshop-coverage.sh): every aws and
/// kubectl command of the pages, read as import reads them, plain or not.
#[test]
fn import_commands_lists_the_aws_and_kubectl_lines_plain_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let page = "---\ntitle: Lines\n---\n\n```bash\n$ kubectl get pods -n $NS\n$ kubectl get pods | grep carts\n$ echo hi\n$ aws eks describe-cluster \\\n    --name ${EKS_CLUSTER_NAME}\n```\n";
    std::fs::write(dir.path().join("lines.md"), page).unwrap();
    let out = rehearse(dir.path(), &["import", "--commands", "lines.md"]);
    assert!(out.status.success(), "{out:?}");
    let items: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0]["line"], 6);
    assert_eq!(items[0]["plain"], true);
    assert_eq!(items[0]["line_text"], "get pods -n $NS");
    assert_eq!(items[0]["vars"], serde_json::json!(["NS"]));
    assert_eq!(items[1]["plain"], false);
    assert!(items[1]["shell"].as_str().unwrap().contains('|'), "{}", items[1]);
    assert_eq!(items[2]["tool"], "aws");
    assert_eq!(items[2]["line"], 9);
    assert_eq!(items[2]["vars"], serde_json::json!(["EKS_CLUSTER_NAME"]));
}

/// The shipped Pod Identity workflow names, for each command of the lab's
/// six pages, the step that runs it (or says why it is skipped): against
/// pages that hold the lab's commands (fixtures of our own, where the
/// workshop's clone would sit next to this repository), it has no drift,
/// and a command edited on a page is drift at the step that ran it.
#[test]
fn the_shipped_pod_identity_workflow_is_as_its_pages() {
    let dir = tempfile::tempdir().unwrap();
    let workflows = dir.path().join("rehearse/workflows");
    let pages = dir
        .path()
        .join("eks-workshop-v2/website/docs/security/amazon-eks-pod-identity");
    std::fs::create_dir_all(&workflows).unwrap();
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::copy(
        root().join("workflows/eks-pod-identity.toml"),
        workflows.join("eks-pod-identity.toml"),
    )
    .unwrap();
    for page in std::fs::read_dir(root().join("tests/fixtures/pod-identity-pages")).unwrap() {
        let page = page.unwrap().path();
        std::fs::copy(&page, pages.join(page.file_name().unwrap())).unwrap();
    }
    let args = [
        "validate",
        "--sources",
        "rehearse/workflows/eks-pod-identity.toml",
    ];
    let o = rehearse(dir.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with(
            "ok: rehearse/workflows/eks-pod-identity.toml: the 26 commands of its 6 pages are as imported\n"
        ),
        "{}",
        text(&o.stdout)
    );
    edit(
        &pages.join("using-dynamo.md"),
        "deployment/carts --timeout=20s",
        "deployment/carts --timeout=60s",
    );
    let o = rehearse(dir.path(), &args);
    assert_eq!(o.status.code(), Some(1), "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).contains("rollout-times-out"),
        "{}",
        text(&o.stdout)
    );
}
