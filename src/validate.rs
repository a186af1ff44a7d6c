//! Checks what can be known before running: the file parses (see
//! `format::parse`, which also checks that step ids are unique), every variable a step uses is
//! defined before it, and every step's backend exists.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::{Action, AwsCommand, Check, Node, Predicate, Step, Workflow};
use crate::format::keys;
use crate::format::template::Template;

/// Parses and validates a workflow file: every error of the file, in order.
pub fn check_file(file: &SourceFile) -> Result<Workflow, Vec<Diagnostic>> {
    let (workflow, mut diags) = crate::format::parse::parse_partial(file);
    let Some(workflow) = workflow else {
        return Err(diags);
    };
    undefined_vars(&workflow, &mut diags);
    reject_unbuilt_backends(&workflow, &mut diags);
    if diags.is_empty() {
        Ok(workflow)
    } else {
        crate::format::parse::sort(&mut diags);
        Err(diags)
    }
}

/// Reads and checks a workflow file. An unreadable file or one that is not
/// UTF-8 gives a diagnostic about the whole file.
pub fn load(path: &Path) -> Result<(SourceFile, Workflow), (SourceFile, Vec<Diagnostic>)> {
    let empty = || SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(""),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::whole_file(format!("cannot read {}: {e}", path.display()))
                .hint("check the path and its permissions");
            return Err((empty(), vec![d]));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let d = Diagnostic::whole_file(format!(
                "{} is not UTF-8 text (invalid byte at offset {at})",
                path.display()
            ))
            .hint("workflow files are TOML, which must be UTF-8; is this the right file?");
            return Err((empty(), vec![d]));
        }
    };
    let file = SourceFile {
        path: path.to_path_buf(),
        text: Arc::from(text),
    };
    match check_file(&file) {
        Ok(w) => Ok((file, w)),
        Err(d) => Err((file, d)),
    }
}

/// Why [`expand_paths`] failed.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct PathError {
    pub path: PathBuf,
    pub message: String,
}

/// Expands `FILE|DIR...` arguments: files as given, directories searched
/// recursively for `*.toml` files. The result is sorted, without duplicates.
/// A path that does not exist is an error.
pub fn expand_paths(args: &[PathBuf]) -> Result<Vec<PathBuf>, PathError> {
    let mut out = Vec::new();
    for arg in args {
        let meta = std::fs::metadata(arg).map_err(|e| PathError {
            path: arg.clone(),
            message: e.to_string(),
        })?;
        if meta.is_dir() {
            find_toml(arg, &mut out)?;
        } else {
            out.push(arg.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn find_toml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PathError> {
    let error = |e: std::io::Error| PathError {
        path: dir.to_path_buf(),
        message: e.to_string(),
    };
    for entry in std::fs::read_dir(dir).map_err(error)? {
        let path = entry.map_err(error)?.path();
        if path.is_dir() {
            find_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

fn all_steps(w: &Workflow) -> impl Iterator<Item = &Step> {
    w.steps.iter().chain(&w.finally)
}

/// Every `${NAME}` (and `$NAME` in `aws`/`kubectl`) and every variable a
/// `when` condition reads is declared in `[vars]`, built in, or captured by
/// an earlier step.
fn undefined_vars(w: &Workflow, diags: &mut Vec<Diagnostic>) {
    let mut known: HashSet<&str> = keys::BUILTIN_VARS.iter().copied().collect();
    known.extend(w.vars.iter().map(|v| v.name.value.as_str()));
    // The account is checked before any step runs: only [vars] can fill it.
    for v in w.meta.account.iter().flat_map(|t| t.vars()) {
        if !known.contains(v.value.as_str()) {
            diags.push(
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
    // Who captures each name first, for "captured by a later step".
    let mut captured_by: HashMap<&str, &str> = HashMap::new();
    for step in all_steps(w) {
        for c in &step.capture {
            captured_by
                .entry(c.name.value.as_str())
                .or_insert(step.id.value.as_str());
        }
    }
    for step in all_steps(w) {
        for (name, span, place) in references(step) {
            if known.contains(name.as_str()) {
                continue;
            }
            let what = format!(
                "variable `{name}` used in step `{}` is not defined",
                step.id.value
            );
            let d = Diagnostic::new(what, span).label(format!("undefined {place}"));
            let d = match captured_by.get(name.as_str()) {
                Some(by) if *by == step.id.value => d.hint(format!(
                    "step `{by}` captures `{name}` itself, after its action and checks; capture it in an earlier step or declare it in [vars]"
                )),
                Some(by) => d.hint(format!(
                    "`{name}` is captured by step `{by}`, which runs later; move that step before this one or declare `{name}` in [vars]"
                )),
                None => match keys::closest(&name, known.iter().copied()) {
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
        known.extend(step.capture.iter().map(|c| c.name.value.as_str()));
    }
}

/// The variables a step reads, with where and how.
fn references(step: &Step) -> Vec<(String, std::ops::Range<usize>, &'static str)> {
    let mut out = Vec::new();
    let mut template = |t: &Template, place| {
        for v in t.vars() {
            out.push((v.value.clone(), v.span.clone(), place));
        }
    };
    match &step.action.value {
        Action::Run(_) => {}
        Action::Aws(c) => template(c.command(), "reference"),
        Action::Kubectl(t) => template(t, "reference"),
        Action::Http(h) => {
            template(&h.url, "reference");
            for (_, v) in &h.headers {
                template(v, "reference");
            }
            if let Some(b) = &h.body {
                template(b, "reference");
            }
        }
    }
    for (_, t) in &step.env {
        template(t, "reference");
    }
    if let Some(t) = &step.stdin {
        template(t, "reference");
    }
    if let Action::Aws(AwsCommand::Input { input, .. }) = &step.action.value {
        for v in &input.vars {
            out.push((v.value.clone(), v.span.clone(), "reference"));
        }
    }
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
    match &check.predicate.value {
        Predicate::Equals(e)
        | Predicate::NotEquals(e)
        | Predicate::Contains(e)
        | Predicate::NotContains(e)
        | Predicate::Greater(e)
        | Predicate::GreaterOrEqual(e)
        | Predicate::Less(e)
        | Predicate::LessOrEqual(e)
        | Predicate::OneOf(e) => &e.vars,
        Predicate::Matches(_)
        | Predicate::Exists
        | Predicate::Absent
        | Predicate::Length(_)
        | Predicate::Type(_) => &[],
    }
}

// ---- TEMPORARY: remove when the AWS and Kubernetes backends land. ----

/// Rejects `aws` and `kubectl` steps: their backends are not built yet.
/// Delete this function and its call in `check_file` when they are.
fn reject_unbuilt_backends(w: &Workflow, diags: &mut Vec<Diagnostic>) {
    for step in all_steps(w) {
        let (kind, hint) = match &step.action.value {
            Action::Run(_) | Action::Http(_) => continue,
            Action::Aws(_) => (
                "aws",
                "the AWS backend is not built yet; use a `run` step with the aws CLI meanwhile",
            ),
            Action::Kubectl(_) => (
                "kubectl",
                "the Kubernetes backend is not built yet; use a `run` step with kubectl meanwhile",
            ),
        };
        let key_end = step.action.span.start + kind.len();
        diags.push(
            Diagnostic::new(
                format!("`{kind}` steps are not available yet"),
                step.action.span.start..key_end,
            )
            .label(format!("`{kind}` step"))
            .hint(hint),
        );
    }
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

    fn messages(text: &str) -> Vec<(String, String)> {
        check(text)
            .expect_err("errors")
            .into_iter()
            .map(|d| (d.message, d.hint.unwrap_or_default()))
            .collect()
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
    fn aws_and_kubectl_steps_are_rejected_for_now() {
        let text = format!(
            "{HEAD}[[steps]]\nid = \"a\"\naws = \"sts get-caller-identity\"\n[[steps]]\nid = \"b\"\nkubectl = \"get pods\"\n"
        );
        let d = check(&text).expect_err("errors");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "`aws` steps are not available yet");
        assert_eq!(
            d[0].hint.as_deref(),
            Some("the AWS backend is not built yet; use a `run` step with the aws CLI meanwhile")
        );
        assert_eq!(&text[d[0].span.clone().unwrap()], "aws");
        assert_eq!(d[1].message, "`kubectl` steps are not available yet");
        assert_eq!(&text[d[1].span.clone().unwrap()], "kubectl");
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
