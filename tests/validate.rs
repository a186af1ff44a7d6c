//! Validation of workflow files, as a user sees it: the rendered diagnostics
//! of broken workflows (snapshots), the reference in docs/format.md, and
//! inputs that must never make the parser panic.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rehearse::diagnostic::{Diagnostic, SourceFile, render};
use rehearse::format::keys;
use rehearse::validate::{check_file, expand_paths, load};

fn source(name: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(format!("workflows/{name}.toml")),
        text: Arc::from(text),
    }
}

fn errors(name: &str, text: &str) -> String {
    let file = source(name, text);
    match check_file(&file) {
        Ok(_) => panic!("{name} validated"),
        Err(diags) => render(&file, &diags, false),
    }
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/validate"));
    s.set_prepend_module_to_snapshot(false);
    s.set_omit_expression(true);
    s
}

macro_rules! snapshot {
    ($name:literal, $text:expr) => {
        settings().bind(|| insta::assert_snapshot!($name, errors($name, $text)))
    };
}

#[test]
fn toml_syntax_errors_are_all_reported() {
    snapshot!(
        "syntax",
        r#"[workflow]
name = "syntax"
title = "unterminated

[[steps]]
id = "a"
run = echo hello
timeout = [ "5m"
"#
    );
}

#[test]
fn unknown_keys_suggest_the_closest() {
    snapshot!(
        "unknown-keys",
        r#"[workflow]
name = "typos"
titel = "Typos"

[defaults]
time-out = "5m"

[[steps]]
id = "agent-active"
tiemout = "10m"
run = "kubectl get pods -o json"
expects = [ { query = "items", length = 1 } ]
expect = [ { query = "items", equal = 1 } ]
capture = { X = { querry = "a" } }
frobnicate = true

[[step]]
id = "b"
run = "true"
"#
    );
}

#[test]
fn wrong_types_and_durations() {
    snapshot!(
        "types",
        r#"[workflow]
name = "Not A Name"
title = 3

[defaults]
timeout = 30
shell = []
interval = "soon"
max-interval = "0s"
backoff = 0.5

[[steps]]
id = "-bad-id"
run = ["echo", "hi"]
timeout = "10 parsecs"
must-fail = "yes"
skip = ""
dir = 7
retry = { attempts = 0, delay = 5 }
"#
    );
}

#[test]
fn missing_tables_and_keys() {
    snapshot!("missing-everything", "# nothing here\n");
    snapshot!(
        "missing-keys",
        r#"[workflow]
title = "No name"

[[steps]]
title = "no id, no action"

[[steps]]
id = "several"
run = "echo"
aws = "sts get-caller-identity"
kubectl = "get pods"

[[finally]]
id = "cleanup"
retry = { delay = "1s" }
wait = { fail-if = [] }
"#
    );
}

#[test]
fn steps_written_as_a_single_table() {
    snapshot!(
        "steps-not-array",
        r#"[workflow]
name = "single"

[steps]
id = "a"
run = "true"
"#
    );
}

#[test]
fn check_errors() {
    snapshot!(
        "checks",
        r#"[workflow]
name = "checks"

[[steps]]
id = "checks"
run = "echo '{}'"
expect = [
  { query = "a", jq = ".a", equals = 1 },
  { query = "a" },
  { query = "a", exists = false, absent = true },
  { query = "a", absent = false },
  { query = "a", length = -1 },
  { query = "a", type = "strng" },
  { query = "a", matches = "a(b" },
  { query = "a", greater = true },
  { query = "a", one-of = [] },
  { query = "a", equals = "${UNCLOSED" },
  { query = "a", equals = { nested = ["${1BAD}"] } },
  "not a table",
]
"#
    );
}

#[test]
fn wait_and_retry_errors() {
    snapshot!(
        "wait-retry",
        r#"[workflow]
name = "wait"

[[steps]]
id = "rollout"
run = "kubectl get deployment carts -o json"
wait = { until = [], timeout = "5m", interval = 2 }
retry = 3

[[steps]]
id = "poll"
run = "true"
until = [ { query = "a", exists = true } ]
wait = { until = { query = "a", exists = true } }
"#
    );
}

#[test]
fn vars_env_and_capture_errors() {
    snapshot!(
        "vars",
        r#"[workflow]
name = "vars"

[vars]
REHEARSE_MODE = "live"
1BAD = "x"
LIST = ["a"]
FROM_ENV = { env = "X", fallback = "y" }
NO_ENV = { default = "y" }
OK_NUMBER = 3

[[steps]]
id = "a"
run = "true"
env = { "BAD NAME" = "x", GOOD = 3, REF = "${A" }
capture = { X = 3, Y = { query = "a", jq = ".a" }, Z = {} }
"#
    );
}

#[test]
fn semantic_errors() {
    snapshot!(
        "semantic",
        r#"[workflow]
name = "semantic"

[vars]
CLUSTER = { env = "EKS_CLUSTER_NAME", default = "eks-workshop" }

[[steps]]
id = "first"
run = "echo '{}'"
env = { NAME = "${CLUSTR}", ROLE = "${ROLE_ARN}", SELF = "${MINE}" }
expect = [ { query = "a", equals = "${UNKNOWN_THING}" } ]
capture = { MINE = "a" }

[[steps]]
id = "later"
run = "echo '{\"arn\": \"x\"}'"
capture = { ROLE_ARN = "arn" }
when = "MODE == 'live'"

[[steps]]
id = "first"
run = "echo ${NOT_CHECKED_IN_RUN}"

[[finally]]
id = "later"
run = "true"
env = { ROLE = "${ROLE_ARN}", MODE = "${REHEARSE_MODE}" }
"#
    );
}

#[test]
fn jmespath_errors_point_at_their_place() {
    snapshot!(
        "jmespath",
        r#"[workflow]
name = "jmespath"

[[steps]]
id = "queries"
run = "echo '{}'"
expect = [
  { query = "length(items) == `3", equals = true },
  { query = "lenght(items)", equals = 3 },
  { query = "sort_by(items)[0].name", exists = true },
  { query = "items[?status = 'Running']", length = 1 },
  { query = "items[*].{name: metadata.name, }", exists = true },
]
capture = { N = "items | frobnicate(@)" }

[[steps]]
id = "cli"
aws = "iam get-role --role-name carts --query 'Role.[RoleName, lenght(Tags)]'"
"#
    );
}

const NOT_NATIVE: &str = r#"[workflow]
name = "backends"

[vars]
EKS_CLUSTER_NAME = { env = "EKS_CLUSTER_NAME" }

[[steps]]
id = "addon"
aws = "eks describe-adon --cluster-name $EKS_CLUSTER_NAME --addon-name eks-pod-identity-agent"

[[steps]]
id = "flag"
aws = "eks describe-addon --clustr $EKS_CLUSTER_NAME --addon-name eks-pod-identity-agent"

[[steps]]
id = "waiter"
aws = "eks wait addon-activ --cluster-name $EKS_CLUSTER_NAME --addon-name x"

[[steps]]
id = "pods"
kubectl = "-n carts describe replicaset carts"

[[steps]]
id = "pods-again"
kubectl = "get pods -n carts --sort=name"
"#;

/// Lines rehearse does not run natively run through the CLI; with
/// `--native-only` each is an error that says why and names what exists.
#[test]
fn aws_and_kubectl_commands_name_what_exists() {
    let file = source("commands", NOT_NATIVE);
    let wf = check_file(&file).expect("lines that are not native validate");
    let kinds: Vec<&str> = wf.steps.iter().map(|s| s.action.value.kind()).collect();
    assert_eq!(
        kinds,
        [
            "aws (cli)",
            "aws (cli)",
            "aws (cli)",
            "kubectl (cli)",
            "kubectl (cli)"
        ]
    );
    let diags = rehearse::validate::not_native(&wf);
    settings().bind(|| insta::assert_snapshot!("commands", render(&file, &diags, false)));
}

/// Wrong lines stay errors: the CLI would refuse them too.
#[test]
fn wrong_aws_and_kubectl_lines_are_errors() {
    snapshot!(
        "commands-wrong",
        r#"[workflow]
name = "backends"

[[steps]]
id = "addon"
aws = "eks describe-addon --cluster-name c"

[[steps]]
id = "ambiguous"
aws = "eks list-access-entries --cluster-name c --ma 2"

[[steps]]
id = "verb"
kubectl = "${VERB} pods"

[[steps]]
id = "scale"
kubectl = "scale deployment/carts --replicas=many"
"#
    );
}

#[test]
fn deep_nesting_is_one_error() {
    let text = format!("[workflow]\nname = \"deep\"\nx = {}\n", "[".repeat(100_000));
    let diags = check_file(&source("deep", &text)).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    let text = format!("[workflow]\nname = \"deep\"\nx = {}\n", "[{a=".repeat(40));
    let file = source("deep", &text);
    let diags = check_file(&file).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    settings().bind(|| insta::assert_snapshot!("deep-nesting", render(&file, &diags, false)));
    // Dotted keys: the TOML parser's recursion limit has no position.
    let keys: String = (0..5)
        .map(|i| format!("k{i}.{} = 1\n", vec!["a"; 10_000].join(".")))
        .collect();
    let text = format!("[workflow]\nname = \"deep\"\n{keys}");
    let diags = check_file(&source("deep", &text)).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert!(
        diags[0].message.contains("dotted key nested too deeply"),
        "{diags:?}"
    );
    assert_eq!(
        diags[0].span.as_ref().map(|s| s.start),
        Some(text.find("k0").unwrap() + 2 + 2 * 64)
    );
}

#[test]
fn queries_nested_too_deeply_are_refused_at_validation_with_their_position() {
    let text = format!(
        "[workflow]\nname = \"deep\"\n\n[[steps]]\nid = \"a\"\nrun = \"true\"\nwhen = \"{}a\"\nexpect = [{{ jq = \"{}{}\", equals = 1 }}, {{ query = \"{}b\", equals = 1 }}]\n",
        "!".repeat(5000),
        "[".repeat(5000),
        "]".repeat(5000),
        "a.".repeat(5000)
    );
    let file = source("deep", &text);
    let diags = check_file(&file).unwrap_err();
    assert_eq!(diags.len(), 3, "{diags:?}");
    for d in &diags {
        assert!(
            d.label.as_deref().unwrap_or("").contains("more than 256 levels"),
            "{d:?}"
        );
        assert!(d.span.is_some(), "{d:?}");
    }
    let shown = render(&file, &diags, false);
    assert!(shown.contains("deep.toml:7:"), "{shown}");
    assert!(shown.contains("deep.toml:8:"), "{shown}");
}

#[test]
fn unreadable_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("binary.toml");
    std::fs::write(&bin, b"[workflow]\nname = \"\xff\xfe\x00\x01\"\n").unwrap();
    let (file, diags) = load(&bin).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert!(diags[0].span.is_none());
    assert!(diags[0].message.contains("not UTF-8"), "{diags:?}");
    // Where: line 2, after `name = "` (column 9).
    assert!(
        diags[0]
            .message
            .contains("binary.toml:2:9: not UTF-8 text (byte 0xff at offset 19)"),
        "{diags:?}"
    );
    let shown = render(&file, &diags, false);
    assert!(shown.contains("binary.toml: 1 error"), "{shown}");

    let missing = dir.path().join("missing.toml");
    let (file, diags) = load(&missing).unwrap_err();
    assert!(diags[0].message.contains("cannot read"), "{diags:?}");
    render(&file, &diags, true);
}

#[test]
fn render_shows_path_line_column_label_and_hint() {
    let out = errors(
        "typo",
        "[workflow]\nname = \"typo\"\n\n[[steps]]\nid = \"a\"\ntiemout = \"10m\"\nrun = \"true\"\n",
    );
    assert!(out.contains("unknown key `tiemout` in step `a`"), "{out}");
    assert!(out.contains("workflows/typo.toml:6:1"), "{out}");
    assert!(
        out.contains("unknown key\n") || out.contains("── unknown key"),
        "{out}"
    );
    assert!(out.contains("help: did you mean `timeout`?"), "{out}");
    assert!(out.ends_with("workflows/typo.toml: 1 error\n"), "{out}");
}

#[test]
fn color_rendering_does_not_change_the_words() {
    let file = source("c", "[workflow]\nname = 1\n");
    let diags = check_file(&file).unwrap_err();
    let plain = render(&file, &diags, false);
    let colored = render(&file, &diags, true);
    assert!(colored.contains('\u{1b}'));
    assert!(plain.lines().count() <= colored.lines().count());
}

// ---- docs/format.md ----

fn format_md() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md")).unwrap()
}

#[test]
fn the_reference_mentions_every_key() {
    let doc = format_md();
    let mut missing = Vec::new();
    for table in keys::tables() {
        for key in table.keys {
            let mentioned = doc.contains(&format!("`{}`", key.name))
                || doc.contains(&format!("`[{}]`", key.name))
                || doc.contains(&format!("`[[{}]]`", key.name));
            if !mentioned {
                missing.push(format!("{} in {}", key.name, table.name));
            }
        }
    }
    for map in [&keys::VARS, &keys::CAPTURE, &keys::ENV] {
        let name = map.name.trim_matches(['[', ']']);
        if !doc.contains(&format!("`{name}`")) && !doc.contains(&format!("`[{name}]`")) {
            missing.push(map.name.to_string());
        }
    }
    assert!(missing.is_empty(), "docs/format.md lacks: {missing:?}");
}

/// docs/backends.md names every AWS operation and waiter, and every
/// kubectl verb, that rehearse runs natively: adding one without saying so
/// fails here.
#[test]
fn the_backends_page_names_every_operation_and_verb() {
    use rehearse::action::aws::Service;
    use rehearse::action::aws::waiters::EKS_WAITERS;
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/backends.md")).unwrap();
    let mut missing = Vec::new();
    for service in Service::ALL {
        for op in service.operations() {
            let named = format!("{} {}", service.name().to_uppercase(), op.name);
            if !doc.contains(&format!("`{named}`")) {
                missing.push(named);
            }
        }
    }
    for waiter in EKS_WAITERS {
        if !doc.contains(waiter.name) {
            missing.push(format!("eks wait {}", waiter.name));
        }
    }
    for verb in rehearse::action::kubectl::VERBS.split(", ") {
        if !doc.contains(&format!("`{verb}`")) {
            missing.push(format!("kubectl {verb}"));
        }
    }
    assert!(missing.is_empty(), "docs/backends.md lacks: {missing:?}");
}

#[test]
fn the_other_docs_examples_are_toml() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut seen = 0;
    for name in ["backends.md", "recording.md", "cli.md"] {
        let text = std::fs::read_to_string(docs.join(name)).unwrap();
        for (kind, body, line) in common::toml_blocks(&text) {
            seen += 1;
            match kind.as_str() {
                "fragment" => {
                    if let Err(e) = toml::de::DeTable::parse(&body) {
                        panic!("{name}:{line}: not TOML: {e}");
                    }
                }
                // A workflow named as a file, which another block's
                // example (its recording) goes with.
                k if k.is_empty() || k == "run" || k.ends_with(".toml") => {
                    let file = SourceFile {
                        path: PathBuf::from(format!("docs/{name}:{line}")),
                        text: Arc::from(body.as_str()),
                    };
                    if let Err(d) = check_file(&file) {
                        panic!("{}", render(&file, &d, false));
                    }
                }
                other => panic!("{name}:{line}: unknown block kind `{other}`"),
            }
        }
    }
    assert!(seen >= 2);
}

#[test]
fn the_reference_examples_validate_or_fail_as_marked() {
    let doc = format_md();
    let blocks = common::toml_blocks(&doc);
    assert!(blocks.len() >= 10, "only {} examples", blocks.len());
    let mut problems = Vec::new();
    for (kind, body, line) in blocks {
        let file = SourceFile {
            path: PathBuf::from(format!("docs/format.md:{line}")),
            text: Arc::from(body.as_str()),
        };
        match (kind.as_str(), check_file(&file)) {
            ("" | "run", Ok(_)) | ("invalid", Err(_)) => {}
            ("" | "run", Err(d)) => problems.push(render(&file, &d, false)),
            ("invalid", Ok(_)) => problems.push(format!("line {line}: validates")),
            ("fragment", _) => {
                if let Err(e) = toml::de::DeTable::parse(&body) {
                    problems.push(format!("line {line}: fragment is not TOML: {e}"));
                }
            }
            (other, _) => problems.push(format!("line {line}: unknown block kind `{other}`")),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---- inputs that must not panic ----

const VALID: &str = r#"#:schema ../schema.json
[workflow]
name = "fuzz"
title = "A workflow to mutate"

[defaults]
timeout = "5m"
shell = ["bash", "-e", "-c"]
backoff = 1.5

[vars]
CLUSTER = { env = "EKS_CLUSTER_NAME", default = "eks-workshop" }
GREETING = "hello"

[[steps]]
id = "one"
run = """
echo '{"a": {"b": [1, 2]}}'
"""
expect = [ { query = "a.b", length = 2 }, { jq = ".a.b[0]", equals = 1 }, { query = "a", matches = 'x+' } ]
capture = { FIRST = { jq = ".a.b[0]" }, B = "a.b" }
wait = { until = [ { query = "a.b", type = "array" } ], fail-if = [ { query = "a.err", exists = true } ], interval = "1s" }
retry = { attempts = 2, delay = "1s" }
env = { C = "${CLUSTER}-${FIRST}" }

[[finally]]
id = "two"
run = "echo bye"
when = "GREETING == 'hello'"
"#;

fn no_panic(text: &str) {
    let file = source("fuzz", text);
    if let Err(diags) = check_file(&file) {
        let _ = render(&file, &diags, false);
    }
}

#[test]
fn empty_and_blank_files() {
    for text in ["", "\n", "   ", "#", "\u{feff}", "[workflow]"] {
        no_panic(text);
        assert!(check_file(&source("empty", text)).is_err());
    }
}

#[test]
fn truncation_at_every_offset_never_panics() {
    for end in 0..=VALID.len() {
        if VALID.is_char_boundary(end) {
            no_panic(&VALID[..end]);
        }
    }
}

#[test]
fn replaced_bytes_never_panic() {
    let bytes = VALID.as_bytes();
    for i in 0..bytes.len() {
        for b in [b'"', b'\'', b'[', b']', b'{', b'}', b'=', b'\n', b'$', b'x', 0xff] {
            let mut m = bytes.to_vec();
            m[i] = b;
            no_panic(&String::from_utf8_lossy(&m));
        }
    }
}

#[test]
fn deep_inline_tables_never_panic() {
    for open in ["[", "{a=", "[{a=", "{a=["] {
        let text = format!("[workflow]\nname = \"x\"\nv = {}\n", open.repeat(100_000));
        no_panic(&text);
        let text = format!("v = {}1{}\n", "[".repeat(60), "]".repeat(60));
        no_panic(&text);
    }
}

#[test]
fn a_huge_file_validates() {
    let mut text = String::from("[workflow]\nname = \"huge\"\n\n[vars]\nX = \"x\"\n");
    let mut i = 0;
    while text.len() < 5_000_000 {
        text.push_str(&format!(
            "\n[[steps]]\nid = \"step-{i}\"\ntitle = \"Step number {i}\"\nrun = \"echo {i} $X\"\nenv = {{ Y = \"${{X}}\" }}\ntimeout = \"5m\"\n"
        ));
        i += 1;
    }
    let file = source("huge", &text);
    let w = check_file(&file).unwrap_or_else(|d| panic!("{:?}", d.first()));
    assert_eq!(w.steps.len(), i);
    // And with an error at the very end, still one diagnostic.
    text.push_str("bogus = 1\n");
    let diags = check_file(&source("huge", &text)).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
}

#[test]
fn expand_paths_finds_toml_files_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
    for f in ["b.toml", "a.toml", "notes.md", "sub/c.toml", "sub/deeper/d.toml"] {
        std::fs::write(d.join(f), "").unwrap();
    }
    let explicit = d.join("notes.md");
    let got = expand_paths(&[d.to_path_buf(), explicit.clone(), d.join("a.toml")]).unwrap();
    let want: Vec<PathBuf> = {
        let mut w = vec![
            d.join("a.toml"),
            d.join("b.toml"),
            d.join("sub/c.toml"),
            d.join("sub/deeper/d.toml"),
            explicit,
        ];
        w.sort();
        w
    };
    assert_eq!(got, want);
    let err = expand_paths(&[d.join("nope")]).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn each_workflow_is_found_once_however_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let labs = dir.path().join("labs");
    std::fs::create_dir_all(labs.join("one")).unwrap();
    std::fs::write(labs.join("one/lab.toml"), "").unwrap();
    // A link back up: followed once, never in a loop.
    std::os::unix::fs::symlink("..", labs.join("one/parent")).unwrap();
    std::os::unix::fs::symlink("one", labs.join("again")).unwrap();
    let file = labs.join("one/lab.toml");
    let dotted = labs.join("one/./lab.toml");
    let got = expand_paths(&[labs.clone(), file.clone(), dotted, labs.join("again/lab.toml")]).unwrap();
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn a_folder_without_workflows_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.md"), "").unwrap();
    let err = expand_paths(&[dir.path().to_path_buf()]).unwrap_err();
    assert!(err.to_string().contains("no workflow files (*.toml)"), "{err}");
}

#[test]
fn only_regular_files_within_the_limit_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo only creates a file at a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Found in its folder and refused when read, without waiting for a writer.
    assert_eq!(
        expand_paths(&[dir.path().to_path_buf()]).unwrap(),
        std::slice::from_ref(&fifo)
    );
    let (_, diags) = load(&fifo).unwrap_err();
    assert!(
        diags[0].message.contains("FIFO (named pipe), not a regular file"),
        "{diags:?}"
    );
    let (_, diags) = load(Path::new("/dev/zero")).unwrap_err();
    assert!(
        diags[0].message.contains("device, not a regular file"),
        "{diags:?}"
    );
    let big = dir.path().join("big.toml");
    std::fs::write(&big, "#".repeat(2 * 1024 * 1024)).unwrap();
    let (_, diags) = load(&big).unwrap_err();
    assert!(
        diags[0].message.contains("larger than the limit of 1 MiB"),
        "{diags:?}"
    );
}

#[test]
fn diagnostics_are_sorted_by_position() {
    let file = source(
        "order",
        "[[steps]]\nid = \"a\"\nbad = 1\n\n[workflow]\nname = \"X\"\nzzz = 2\n",
    );
    let diags: Vec<Diagnostic> = check_file(&file).unwrap_err();
    let starts: Vec<usize> = diags
        .iter()
        .map(|d| d.span.clone().map_or(0, |s| s.start))
        .collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}

/// Shell syntax in an `aws`/`kubectl` line stays an error: rehearse runs
/// those lines without a shell, natively or through the CLI. The hint
/// writes the `run` step that runs it.
#[test]
fn shell_syntax_in_a_command_offers_the_run_step_to_write() {
    snapshot!(
        "shell-syntax",
        r#"[workflow]
name = "shell"

[[steps]]
id = "pipe"
kubectl = "get pods -n carts | grep carts"

[[steps]]
id = "subshell"
aws = "eks describe-cluster --name $(cat name) --query 'cluster.status'"
"#
    );
}
