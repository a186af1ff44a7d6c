//! Checks what can be known before running: the file parses (see
//! `format::parse`, which also checks that step ids are unique), every variable a step uses is
//! defined before it, and every step's backend exists.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::action::aws::waiters::Waiter;
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::{Action, Check, Expected, Node, Predicate, Span, Step, Wait, Workflow};
use crate::format::keys;
use crate::format::parse::Sink;
use crate::format::template::Template;
use crate::ground::regular_file::{self, ReadError};
use crate::query::{Lang, Query};

/// Parses and validates a workflow file: every error of the file, in order.
pub fn check_file(file: &SourceFile) -> Result<Workflow, Vec<Diagnostic>> {
    checked(file, Checker::new(true)).map(|(w, _)| w)
}

/// What `rehearse validate` says of a valid workflow: its steps are checked
/// one at a time as they are read, and none is kept, so that the memory
/// validation takes does not grow with the file (see `format::parse::parts`).
#[derive(Debug, Default)]
pub struct Summary {
    /// `[workflow] name`.
    pub name: String,
    pub steps: usize,
    pub finally: usize,
    /// What [`likely_typos`] says of the steps.
    pub typos: Vec<(Span, String)>,
    /// What [`not_native`] says of the steps.
    pub not_native: Vec<Diagnostic>,
}

/// [`check_file`] without keeping the steps: what validation says of them.
pub fn summarize(file: &SourceFile) -> Result<Summary, Vec<Diagnostic>> {
    let (head, mut summary) = checked(file, Checker::new(false))?;
    summary.name = head.meta.name.value;
    crate::format::parse::sort(&mut summary.not_native);
    Ok(summary)
}

/// Parses `file` through `checker`: the workflow (with the steps the
/// checker kept) and what it summed up of the others.
fn checked(file: &SourceFile, mut checker: Checker) -> Result<(Workflow, Summary), Vec<Diagnostic>> {
    let (workflow, mut diags) = crate::format::parse::parse_into(file, &mut checker);
    let Some(workflow) = workflow else {
        return Err(diags);
    };
    let summary = std::mem::take(&mut checker.summary);
    diags.extend(checker.finish());
    if diags.is_empty() {
        Ok((workflow, summary))
    } else {
        crate::format::parse::sort(&mut diags);
        Err(diags)
    }
}

/// Reads and checks a workflow file. An unreadable file or one that is not
/// UTF-8 gives a diagnostic about the whole file.
pub fn load(path: &Path) -> Result<(SourceFile, Workflow), (SourceFile, Vec<Diagnostic>)> {
    let file = read(path)?;
    match check_file(&file) {
        Ok(w) => Ok((file, w)),
        Err(d) => Err((file, d)),
    }
}

/// [`load`] without keeping the steps (see [`summarize`]).
pub fn load_summary(path: &Path) -> Result<(SourceFile, Summary), (SourceFile, Vec<Diagnostic>)> {
    let file = read(path)?;
    match summarize(&file) {
        Ok(s) => Ok((file, s)),
        Err(d) => Err((file, d)),
    }
}

/// A workflow file's text.
fn read(path: &Path) -> Result<SourceFile, (SourceFile, Vec<Diagnostic>)> {
    let empty = || SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(""),
    };
    let bytes = match regular_file::read(path, regular_file::WORKFLOW_LIMIT) {
        Ok(b) => b,
        Err(e) => {
            let hint = match e {
                ReadError::Io(_) => "check the path and its permissions",
                ReadError::NotRegular(_) => "name a workflow file (*.toml) or a folder of them",
                ReadError::TooLarge(_) => {
                    "a workflow is a lab's steps; split a larger one into several files"
                }
            };
            let d = Diagnostic::whole_file(format!("cannot read {}: {e}", path.display())).hint(hint);
            return Err((empty(), vec![d]));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            // The text before the bad byte is valid: it gives line and column.
            let before = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let (line, col) = crate::diagnostic::line_col(before, at);
            let d = Diagnostic::whole_file(format!(
                "{}:{line}:{col}: not UTF-8 text (byte 0x{:02x} at offset {at})",
                path.display(),
                bytes[at]
            ))
            .hint("workflow files are TOML, which must be UTF-8; is this the right file?");
            return Err((empty(), vec![d]));
        }
    };
    Ok(SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(text),
    })
}

/// Why [`expand_paths`] failed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct PathError {
    pub path: PathBuf,
    pub message: String,
}

/// Expands `FILE|DIR...` arguments: files as given, folders searched
/// recursively for `*.toml` files. The result is sorted, and each workflow
/// appears once however it was named (`x.toml ./x.toml`, a folder and a
/// file in it, a symlink): against a live account, a second run is a
/// second copy of every side effect. A path that does not exist, and a
/// folder without workflow files, are errors.
pub fn expand_paths(args: &[PathBuf]) -> Result<Vec<PathBuf>, PathError> {
    let mut out = Vec::new();
    let mut searched = HashSet::new();
    for arg in args {
        let meta = std::fs::metadata(arg).map_err(|e| PathError {
            path: arg.clone(),
            message: e.to_string(),
        })?;
        if !meta.is_dir() {
            out.push(arg.clone());
            continue;
        }
        let before = out.len();
        let fresh = find_toml(arg, &mut searched, &mut out)?;
        if fresh && out.len() == before {
            return Err(PathError {
                path: arg.clone(),
                message: "no workflow files (*.toml) in this folder or below".to_string(),
            });
        }
    }
    out.sort();
    let mut seen = HashSet::new();
    out.retain(|path| seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    Ok(out)
}

/// Adds the `*.toml` files under `dir`. A folder is searched once, by its
/// canonical path, so that a symlink back up (`labs/parent -> ..`) ends
/// instead of looping; false when `dir` itself was already searched.
fn find_toml(dir: &Path, searched: &mut HashSet<PathBuf>, out: &mut Vec<PathBuf>) -> Result<bool, PathError> {
    let error = |e: std::io::Error| PathError {
        path: dir.to_path_buf(),
        message: e.to_string(),
    };
    if !searched.insert(std::fs::canonicalize(dir).map_err(error)?) {
        return Ok(false);
    }
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(error)? {
        entries.push(entry.map_err(error)?.path());
    }
    // In name order, so that which name of a twice-linked folder is kept
    // does not depend on the file system.
    entries.sort();
    for path in entries {
        if path.is_dir() {
            find_toml(&path, searched, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(true)
}

/// `--native-only`: every step that would run through the aws or kubectl
/// CLI, as an error at the word rehearse does not run natively (else its
/// line) that says why.
pub fn not_native(w: &Workflow) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = all_steps(w).filter_map(refusal).collect();
    crate::format::parse::sort(&mut diags);
    diags
}

/// Why `--native-only` refuses this step, if it does.
fn refusal(step: &Step) -> Option<Diagnostic> {
    let Action::Cli(c) = &step.action.value else {
        return None;
    };
    let f = &c.fallback;
    let span = f.span.clone().unwrap_or_else(|| c.line.span.clone());
    let mut hint = f.hint.clone();
    if let Some(op) = &f.meant {
        hint = format!("did you mean `{op}`? {hint}");
    }
    let d = Diagnostic::new(format!("{} in step `{}`", f.reason, step.id.value), span).label(format!(
        "would run through the {} CLI (--native-only)",
        f.tool.name()
    ));
    Some(if hint.is_empty() { d } else { d.hint(hint) })
}

/// Steps that run through the CLI an operation of EKS, IAM or STS that is
/// most likely a mistyped native one: each with where its operation is
/// written and what it says. Not errors (the AWS CLI has operations
/// rehearse does not define), but worth a warning.
pub fn likely_typos(w: &Workflow) -> Vec<(Span, String)> {
    all_steps(w).filter_map(likely_typo).collect()
}

/// [`likely_typos`] of one step.
fn likely_typo(step: &Step) -> Option<(Span, String)> {
    let Action::Cli(c) = &step.action.value else {
        return None;
    };
    c.fallback.meant.as_ref()?;
    let span = c.fallback.span.clone().unwrap_or_else(|| c.line.span.clone());
    let what = format!(
        "step `{}` runs through the {} CLI: {}",
        step.id.value,
        c.fallback.tool.name(),
        c.fallback.why()
    );
    Some((span, what))
}

fn all_steps(w: &Workflow) -> impl Iterator<Item = &Step> {
    w.steps.iter().chain(&w.finally)
}

/// Checks the steps one at a time, in the order they run, as the parse
/// hands them over: every `${NAME}` (and `$NAME` in `aws`/`kubectl`) and
/// every variable a `when` condition reads is declared in `[vars]`, built
/// in, or captured by an earlier step; waiters are lowered into waits.
/// What it carries from step to step is names only, never a step.
struct Checker {
    /// Whether the steps are kept in the workflow, or summed up in
    /// `summary` and dropped.
    keep: bool,
    summary: Summary,
    /// Variables defined so far: built in, `[vars]`, captured by the steps
    /// before.
    known: HashSet<String>,
    /// Who captures each name first, for "captured by a later step".
    captured_by: HashMap<String, String>,
    /// References to names not defined when they were made: an error each,
    /// whose hint needs the steps after them (see [`Checker::finish`]).
    undefined: Vec<Undefined>,
    diags: Vec<Diagnostic>,
}

/// A reference to a variable not defined where it is made.
struct Undefined {
    name: String,
    step: String,
    span: std::ops::Range<usize>,
    place: &'static str,
    /// The closest defined name then, for "did you mean".
    closest: Option<String>,
}

impl Checker {
    fn new(keep: bool) -> Self {
        Checker {
            keep,
            summary: Summary::default(),
            known: HashSet::new(),
            captured_by: HashMap::new(),
            undefined: Vec::new(),
            diags: Vec::new(),
        }
    }

    /// Every error found, the undefined references with their hints.
    fn finish(self) -> Vec<Diagnostic> {
        let mut diags = self.diags;
        for u in self.undefined {
            let what = format!("variable `{}` used in step `{}` is not defined", u.name, u.step);
            let d = Diagnostic::new(what, u.span).label(format!("undefined {}", u.place));
            let name = &u.name;
            let d = match self.captured_by.get(name) {
                Some(by) if *by == u.step => d.hint(format!(
                    "step `{by}` captures `{name}` itself, after its action and checks; capture it in an earlier step or declare it in [vars]"
                )),
                Some(by) => d.hint(format!(
                    "`{name}` is captured by step `{by}`, which runs later; move that step before this one or declare `{name}` in [vars]"
                )),
                None => match u.closest {
                    Some(close) => {
                        d.hint(format!("did you mean `{close}`? otherwise declare it in [vars]"))
                    }
                    None => d.hint(format!(
                        "declare it in [vars], e.g. `{name} = {{ env = \"{name}\" }}`, or capture it in an earlier step"
                    )),
                },
            };
            diags.push(d);
        }
        diags
    }

    /// The account is checked before any step runs: only [vars] can fill it.
    fn account(&mut self, w: &Workflow) {
        for v in w.meta.account.iter().flat_map(|t| t.vars()) {
            if !self.known.contains(v.value.as_str()) {
                self.diags.push(
                    Diagnostic::new(
                        format!("variable `{}` used in `account` is not defined", v.value),
                        v.span.clone(),
                    )
                    .label("undefined reference")
                    .hint(format!(
                        "declare it in [vars], e.g. `{0} = {{ env = \"{0}\" }}`",
                        v.value
                    )),
                );
            }
        }
    }

    fn references(&mut self, step: &Step) {
        for (name, span, place) in references(step) {
            if self.known.contains(&name) {
                continue;
            }
            let closest = keys::closest(&name, self.known.iter().map(String::as_str)).map(str::to_string);
            self.undefined.push(Undefined {
                name,
                step: step.id.value.clone(),
                span,
                place,
                closest,
            });
        }
        for c in &step.capture {
            let name = &c.name.value;
            if !self.captured_by.contains_key(name) {
                self.captured_by.insert(name.clone(), step.id.value.clone());
            }
            self.known.insert(name.clone());
        }
    }
}

impl Sink for Checker {
    fn restart(&mut self) {
        *self = Checker::new(self.keep);
    }

    fn head(&mut self, head: &Workflow) {
        self.known = keys::BUILTIN_VARS.iter().map(|v| v.to_string()).collect();
        self.known.extend(head.vars.iter().map(|v| v.name.value.clone()));
        self.account(head);
    }

    fn step(&mut self, mut step: Step, finally: bool) -> Option<Step> {
        self.references(&step);
        lower_waiter(&mut step, &mut self.diags);
        if self.keep {
            return Some(step);
        }
        let s = &mut self.summary;
        if finally {
            s.finally += 1;
        } else {
            s.steps += 1;
        }
        s.typos.extend(likely_typo(&step));
        s.not_native.extend(refusal(&step));
        None
    }
}

/// The variables a step reads, with where and how.
fn references(step: &Step) -> Vec<(String, std::ops::Range<usize>, &'static str)> {
    let mut vars: Vec<&Node<String>> = Vec::new();
    match &step.action.value {
        Action::Run(_) => {}
        Action::Aws(a) => {
            vars.extend(a.line.vars());
            vars.extend(a.input.iter().flat_map(|i| &i.vars));
        }
        Action::Kubectl(k) => vars.extend(k.line.vars()),
        Action::Cli(c) => vars.extend(c.line.vars()),
        Action::Http(h) => {
            vars.extend(h.url.vars());
            vars.extend(h.headers.iter().flat_map(|(_, v)| v.vars()));
            vars.extend(h.body.iter().flat_map(Template::vars));
        }
    }
    vars.extend(step.env.iter().flat_map(|(_, t)| t.vars()));
    vars.extend(step.stdin.iter().flat_map(Template::vars));
    let mut out: Vec<(String, std::ops::Range<usize>, &'static str)> = vars
        .into_iter()
        .map(|v| (v.value.clone(), v.span.clone(), "reference"))
        .collect();
    let checks = step
        .expect
        .iter()
        .chain(step.wait.iter().flat_map(|w| w.until.iter().chain(&w.fail_if)));
    for check in checks {
        for v in expected_vars(check) {
            out.push((v.value.clone(), v.span.clone(), "reference"));
        }
    }
    if let Some(when) = &step.when {
        for field in when.value.fields() {
            out.push((field, when.span.clone(), "variable in `when`"));
        }
    }
    out.sort_by_key(|(_, span, _)| span.start);
    out
}

fn expected_vars(check: &Check) -> &[Node<String>] {
    check.predicate.value.expected().map_or(&[], |e| &e.vars)
}

/// `aws eks wait addon-active ...` (or its table form) becomes a wait on its
/// describe call, with the CLI's success and failure states: the step polls the describe
/// operation until a success state, and stops at once on a failure state or
/// on an error the waiter does not expect. Its timeout, unless the step
/// sets one, is the CLI's (delay times attempts).
fn lower_waiter(step: &mut Step, diags: &mut Vec<Diagnostic>) {
    let Action::Aws(a) = &step.action.value else {
        return;
    };
    let Some(waiter) = a.call.waiter else {
        return;
    };
    let span = a.line.span.clone();
    if step.wait.is_some() {
        diags.push(
            Diagnostic::new(
                format!(
                    "step `{}` is a waiter (`wait {}`) and has a `wait` too",
                    step.id.value, waiter.name
                ),
                span.clone(),
            )
            .label("this waits already")
            .hint("remove the `wait` table, or call the describe operation instead of the waiter"),
        );
        return;
    }
    match waiter_wait(waiter, &span) {
        Ok(wait) => step.wait = Some(wait),
        Err(e) => diags.push(Diagnostic::new(
            format!("waiter `{}`: {e}", waiter.name),
            span.clone(),
        )),
    }
    if step.timeout.is_none() {
        step.timeout = Some(Node::new(waiter.delay * waiter.max_attempts, span.clone()));
    }
}

fn waiter_wait(waiter: &Waiter, span: &Span) -> Result<Wait, String> {
    use crate::action::aws::waiters::{Acceptor, Matcher};
    let condition = |m: &Matcher| match m {
        Matcher::PathEquals { path, expected } => format!("{path} == '{expected}'"),
        Matcher::ErrorCode(code) => format!("error.code == '{code}'"),
    };
    let any = |ms: Vec<&Matcher>| {
        ms.iter()
            .map(|m| format!("({})", condition(m)))
            .collect::<Vec<_>>()
            .join(" || ")
    };
    let equals = |expr: &str, value: serde_json::Value| -> Result<Check, String> {
        let query = Query::compile(Lang::JmesPath, expr).map_err(|e| e.message)?;
        Ok(Check {
            query: Node::new(query, span.clone()),
            predicate: Node::new(Predicate::Equals(Expected::literal(value)), span.clone()),
            span: span.clone(),
        })
    };
    let check = |expr: String| equals(&expr, serde_json::Value::Bool(true));
    // One success state reads best as itself: the wait then shows what the
    // status is (`addon.status = "CREATING"`), not that a test is false.
    let until = |ms: Vec<&Matcher>| match ms.as_slice() {
        [Matcher::PathEquals { path, expected }] => equals(path, serde_json::Value::from(*expected)),
        [Matcher::ErrorCode(code)] => equals("error.code", serde_json::Value::from(*code)),
        _ => check(any(ms)),
    };
    let success: Vec<&Matcher> = waiter
        .acceptors
        .iter()
        .filter_map(|a| match a {
            Acceptor::Success(m) => Some(m),
            Acceptor::Failure(_) => None,
        })
        .collect();
    let failure: Vec<&Matcher> = waiter
        .acceptors
        .iter()
        .filter_map(|a| match a {
            Acceptor::Failure(m) => Some(m),
            Acceptor::Success(_) => None,
        })
        .collect();
    // Like the CLI, an error that no acceptor expects ends the wait.
    let expected_errors: Vec<String> = waiter
        .acceptors
        .iter()
        .filter_map(|a| match a {
            Acceptor::Success(Matcher::ErrorCode(c)) | Acceptor::Failure(Matcher::ErrorCode(c)) => {
                Some(format!(" && error.code != '{c}'"))
            }
            _ => None,
        })
        .collect();
    // One fail-if per failure state, so that a failure names the state it
    // matched, as the CLI's does.
    let mut fail_if = failure
        .iter()
        .map(|m| match m {
            Matcher::PathEquals { path, expected } => equals(path, serde_json::Value::from(*expected)),
            Matcher::ErrorCode(code) => equals("error.code", serde_json::Value::from(*code)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    fail_if.push(check(format!("error.code != null{}", expected_errors.concat()))?);
    Ok(Wait {
        until: vec![until(success)?],
        fail_if,
        waiter: Some(waiter.api),
        interval: None,
        max_interval: None,
        backoff: None,
        span: span.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<Workflow, Vec<Diagnostic>> {
        check_file(&SourceFile {
            path: PathBuf::from("t.toml"),
            text: Arc::from(text),
        })
    }

    /// The errors of `text`, the same whether the steps are kept or not.
    fn messages(text: &str) -> Vec<(String, String)> {
        let pairs = |diags: Vec<Diagnostic>| -> Vec<(String, String)> {
            diags
                .into_iter()
                .map(|d| (d.message, d.hint.unwrap_or_default()))
                .collect()
        };
        let kept = pairs(check(text).expect_err("errors"));
        let file = SourceFile {
            path: PathBuf::from("t.toml"),
            text: Arc::from(text),
        };
        assert_eq!(pairs(summarize(&file).expect_err("errors")), kept);
        kept
    }

    /// A `[[finally]]` written before the steps still runs after them: it
    /// sees their captures, whether the steps are kept or summed up.
    #[test]
    fn finally_written_first_sees_the_steps_captures() {
        let text = format!(
            "{HEAD}[[finally]]\nid = \"f\"\nrun = \"x\"\nenv = {{ X = \"${{C}}\" }}\n\
             [[steps]]\nid = \"a\"\nrun = \"x\"\ncapture = {{ C = \"c\" }}\n\
             [[steps]]\nid = \"b\"\nrun = \"x\"\n"
        );
        let w = check(&text).expect("valid");
        assert_eq!((w.steps.len(), w.finally.len()), (2, 1));
        let file = SourceFile {
            path: PathBuf::from("t.toml"),
            text: Arc::from(text),
        };
        let s = summarize(&file).expect("valid");
        assert_eq!((s.name.as_str(), s.steps, s.finally), ("t", 2, 1));
    }

    const HEAD: &str = "[workflow]\nname = \"t\"\n[vars]\nV = \"v\"\n";

    #[test]
    fn captures_are_visible_to_later_steps_and_finally() {
        let w = check(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\ncapture = {{ C = \"c\" }}\n\
             [[steps]]\nid = \"b\"\nrun = \"x\"\nenv = {{ X = \"${{C}}${{V}}${{REHEARSE_MODE}}\" }}\n\
             [[finally]]\nid = \"f\"\nrun = \"x\"\nenv = {{ X = \"${{C}}\" }}\nwhen = \"C == 'x' && V == 'v'\"\n"
        ));
        assert!(w.is_ok(), "{w:?}");
    }

    #[test]
    fn a_variable_captured_later_says_by_whom() {
        let m = messages(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nexpect = [ {{ query = \"a\", equals = \"${{C}}\" }} ]\n\
             [[finally]]\nid = \"f\"\nrun = \"x\"\ncapture = {{ C = \"c\" }}\n"
        ));
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].0, "variable `C` used in step `a` is not defined");
        assert!(m[0].1.contains("captured by step `f`, which runs later"), "{m:?}");
    }

    #[test]
    fn when_reads_variables() {
        let m = messages(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\nwhen = \"VV == 'x'\"\n"
        ));
        assert_eq!(m.len(), 1, "{m:?}");
        assert!(m[0].0.contains("`VV`"), "{m:?}");
        assert!(m[0].1.contains("did you mean `V`?"), "{m:?}");
    }

    #[test]
    fn duplicate_ids_name_the_first_line() {
        let m = messages(&format!(
            "{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\n[[finally]]\nid = \"a\"\nrun = \"x\"\n"
        ));
        assert_eq!(
            m,
            [(
                "duplicate step id `a`: line 6 already uses it".to_string(),
                "step ids must be unique across `steps` and `finally`; rename one of them".to_string()
            )]
        );
    }

    #[test]
    fn aws_and_kubectl_commands_are_checked_against_their_backends() {
        let text = format!(
            "{HEAD}[[steps]]\nid = \"a\"\naws = \"eks describe-addon --cluster-name x\"\n[[steps]]\nid = \"b\"\nkubectl = \"${{V}} pods\"\n[[steps]]\nid = \"c\"\naws = \"sts get-caller-identity\"\n[[steps]]\nid = \"d\"\nkubectl = \"frobnicate pods\"\n"
        );
        let d = check(&text).expect_err("errors");
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d[0].message.contains("--addon-name"), "{}", d[0].message);
        assert!(
            d[1].message.contains("verb cannot come from a variable"),
            "{}",
            d[1].message
        );
        // The error points at the word at fault.
        assert_eq!(&text[d[1].span.clone().unwrap()], "${V}");
        // A line that is only not native is no error: it runs through the CLI.
        let w = check(
            &text
                .replace("${V}", "get")
                .replace("describe-addon --cluster-name x", "describe-adon"),
        )
        .unwrap();
        assert_eq!(w.steps[0].action.value.kind(), "aws (cli)");
        assert_eq!(w.steps[1].action.value.kind(), "kubectl");
        assert_eq!(w.steps[3].action.value.kind(), "kubectl (cli)");
    }

    #[test]
    fn the_table_form_is_checked_with_its_input() {
        let ok_text = format!(
            "{HEAD}C = \"x\"\n[[steps]]\nid = \"a\"\naws = {{ command = \"eks describe-cluster\", input = {{ name = \"${{C}}\" }} }}\n"
        );
        assert!(check(&ok_text).is_ok());
        let missing = format!(
            "{HEAD}[[steps]]\nid = \"a\"\naws = {{ command = \"eks describe-cluster\", input = {{}} }}\n"
        );
        let d = check(&missing).expect_err("name is required");
        assert!(d[0].message.contains("--name"), "{}", d[0].message);
    }

    #[test]
    fn a_waiter_becomes_a_wait_with_the_cli_states() {
        let text = format!(
            "{HEAD}C = \"x\"\n[[steps]]\nid = \"a\"\naws = \"eks wait addon-active --cluster-name $C --addon-name eks-pod-identity-agent\"\n"
        );
        let w = check(&text).expect("valid");
        let step = &w.steps[0];
        let wait = step.wait.as_ref().expect("a wait");
        assert_eq!(wait.until[0].query.value.source(), "addon.status");
        // One fail-if per failure state, then the unexpected error.
        let fail: Vec<String> = wait
            .fail_if
            .iter()
            .map(|c| {
                format!(
                    "{} {:?}",
                    c.query.value.source(),
                    c.predicate.value.expected().map(|e| &e.value)
                )
            })
            .collect();
        assert_eq!(
            fail,
            [
                "addon.status Some(String(\"CREATE_FAILED\"))",
                "addon.status Some(String(\"DEGRADED\"))",
                "error.code != null Some(Bool(true))"
            ]
        );
        assert_eq!(wait.waiter, Some("AddonActive"));
        // The CLI's 60 polls 10 s apart.
        assert_eq!(
            step.timeout.as_ref().unwrap().value,
            std::time::Duration::from_secs(600)
        );
        let with_wait = format!("{text}wait = {{ until = [ {{ query = \"a\", exists = true }} ] }}\n");
        let d = check(&with_wait).expect_err("two waits");
        assert!(d[0].message.contains("waiter"), "{}", d[0].message);
    }

    #[test]
    fn load_reads_valid_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.toml");
        std::fs::write(&path, format!("{HEAD}[[steps]]\nid = \"a\"\nrun = \"x\"\n")).unwrap();
        let (file, w) = load(&path).unwrap();
        assert_eq!(file.path, path);
        assert_eq!(w.steps.len(), 1);
    }
}
