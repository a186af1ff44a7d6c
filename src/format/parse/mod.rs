//! TOML to AST.
//!
//! The TOML text is parsed into a tree of spanned values, which is walked by
//! hand, table by table, following `keys.rs`: every error is collected (unknown
//! keys, wrong types, missing keys, bad durations, queries, regexes,
//! templates) and reported together, in source order.
//!
//! A file of the usual shape is read in parts, its head then its steps a
//! batch at a time (`parts`), so that the TOML tree of one part is alive at
//! a time; the walk is the same.
//!
//! This module holds the entry points and the parser's state; the walk is
//! split by concept:
//! - `table`: a table checked against its `keys::Table` (unknown, misplaced
//!   and missing keys, one-of groups), nested tables and arrays of tables;
//! - `map`: tables of names chosen by the author (`[vars]`, `capture`, `env`,
//!   `headers`);
//! - `value`: leaves read by the `keys::Type` of their key, through one
//!   dispatcher, and the scalar ones (strings, patterns, booleans,
//!   durations, integers, numbers, arrays of strings);
//! - `expression`: compiled leaves (templates, queries, regexes, expected
//!   JSON values);
//! - `workflow`: the file's root, `[workflow]`, `[kubernetes]`, `[defaults]`
//!   and `[vars]`;
//! - `step`: steps and their actions (`run`, `aws`, `kubectl`, `http`);
//! - `check`: checks and their predicates, captures, `wait` and `retry`;
//! - `parts`: the file split into its head and batches of steps.

/// An enum of the keys of a one-of group of `keys.rs` (actions, operators),
/// so that each has its own arm where it is read: `ALL` of them, the key of
/// each, and the one a key names. A test compares `ALL` with the group.
macro_rules! one_of_keys {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        enum $name {
            $($variant),*
        }

        impl $name {
            #[cfg(test)]
            const ALL: &[$name] = &[$($name::$variant),*];

            fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),*
                }
            }

            fn named(key: &str) -> Option<$name> {
                match key {
                    $($key => Some($name::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

mod check;
#[cfg(test)]
mod declared_types;
mod expression;
mod map;
mod parts;
mod step;
mod table;
#[cfg(test)]
mod testing;
mod value;
mod workflow;

use std::collections::HashMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::{Span, Step, Workflow};
use crate::format::keys;

pub use expression::point_in_string;

type Val<'i> = Spanned<DeValue<'i>>;
type Tbl<'i> = DeTable<'i>;

/// Deepest nesting of arrays and inline tables accepted (the TOML parser
/// gives up a little deeper, with one error per level).
pub const MAX_NESTING: usize = 64;

/// At most this many TOML syntax errors are reported.
const MAX_SYNTAX_ERRORS: usize = 50;

/// Parses a workflow file, reporting every error it finds, in source order.
pub fn parse(file: &SourceFile) -> Result<Workflow, Vec<Diagnostic>> {
    match parse_partial(file) {
        (Some(w), diags) if diags.is_empty() => Ok(w),
        (_, mut diags) => {
            if diags.is_empty() {
                // Cannot happen: every missing piece is reported. Never panic.
                diags.push(Diagnostic::whole_file("the workflow is incomplete"));
            }
            Err(diags)
        }
    }
}

/// Parses a workflow file. The workflow comes back, with the errors, when
/// they leave its structure whole (a duplicate step id), so that validation
/// can go on and report its own errors too.
pub fn parse_partial(file: &SourceFile) -> (Option<Workflow>, Vec<Diagnostic>) {
    parse_into(file, &mut KeepAll)
}

/// What a parse hands the file's head and then each step to, in the order
/// they run (the steps, then the `finally` steps), as soon as it has read
/// them; so that a caller can check steps one at a time and keep none.
pub trait Sink {
    /// Forgets what it was given: the file is read again from its start.
    fn restart(&mut self);
    /// The file's head: everything but its steps (`steps` and `finally`
    /// are empty). Given before any step.
    fn head(&mut self, head: &Workflow);
    /// A step read whole: given back to be kept in the workflow, or not.
    fn step(&mut self, step: Step, finally: bool) -> Option<Step>;
}

/// Keeps every step.
struct KeepAll;

impl Sink for KeepAll {
    fn restart(&mut self) {}
    fn head(&mut self, _: &Workflow) {}
    fn step(&mut self, step: Step, _: bool) -> Option<Step> {
        Some(step)
    }
}

/// [`parse_partial`], with each step handed to `sink` as it is read: the
/// workflow holds the steps the sink gave back. A sink that has seen part
/// of a file read in parts is restarted when the file is read again at
/// once, so that it sees each step once.
pub fn parse_into<S: Sink>(file: &SourceFile, sink: &mut S) -> (Option<Workflow>, Vec<Diagnostic>) {
    let text: &str = &file.text;
    if let Some(d) = nesting_check(text) {
        return (None, vec![d]);
    }
    if let Some(read) = parts::elements(text).and_then(|e| parse_in_parts(text, &e, sink)) {
        return read;
    }
    sink.restart();
    let (workflow, diags) = read_whole(text);
    (workflow.map(|w| sink_whole(w, sink)), diags)
}

/// Hands a workflow read at once to `sink`, as [`parse_in_parts`] does.
fn sink_whole<S: Sink>(mut w: Workflow, sink: &mut S) -> Workflow {
    let steps = std::mem::take(&mut w.steps);
    let finally = std::mem::take(&mut w.finally);
    sink.head(&w);
    w.steps = steps.into_iter().filter_map(|s| sink.step(s, false)).collect();
    w.finally = finally.into_iter().filter_map(|s| sink.step(s, true)).collect();
    w
}

/// Parses the file at once, as [`parse_partial`] does when the file is not
/// of the plain shape that it reads in parts. Public so that the fuzz target
/// and the tests can check that both ways read a file alike.
pub fn parse_whole(file: &SourceFile) -> (Option<Workflow>, Vec<Diagnostic>) {
    match nesting_check(&file.text) {
        Some(d) => (None, vec![d]),
        None => read_whole(&file.text),
    }
}

fn read_whole(text: &str) -> (Option<Workflow>, Vec<Diagnostic>) {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return (None, syntax_diagnostics(&errors));
    }
    let mut p = Parser::new(text);
    let span = root.span();
    let workflow = p.workflow(root.get_ref(), span);
    p.finish(workflow)
}

/// Parses the file's head, then its steps a batch at a time (see `parts`),
/// so that no more than one part's TOML tree is alive at once. `None` when
/// a part does not read as the whole file would: the caller then parses
/// the whole file, which reports what is wrong. The batches come steps
/// first, so the sink sees the steps in the order they run.
fn parse_in_parts<S: Sink>(
    text: &str,
    elements: &[parts::Element],
    sink: &mut S,
) -> Option<(Option<Workflow>, Vec<Diagnostic>)> {
    let mut p = Parser::new(text);
    p.stubs = Some(Stubs::default());
    let head = {
        let (src, offsets) = parts::head(text, elements);
        let (mut root, errors) = DeTable::parse_recoverable(&src);
        if !errors.is_empty() {
            return None;
        }
        parts::shift(&mut root, &offsets);
        p.workflow(root.get_ref(), root.span())
    };
    let stubs = p.stubs.take()?;
    // The head's tables of steps are those the scanner found: else it
    // misread the file, which is then read at once.
    if stubs.filled
        || stubs.steps != parts::runs(elements, parts::Section::Steps)
        || stubs.finally != parts::runs(elements, parts::Section::Finally)
    {
        return None;
    }
    // The sink is given steps only after a head it could read.
    let mut sink = head.as_ref().map(|h| {
        sink.head(h);
        sink
    });
    let count = |s: parts::Section| elements.iter().filter(|e| e.section == s).count();
    let mut steps = Steps::expecting(count(parts::Section::Steps));
    let mut finally = Steps::expecting(count(parts::Section::Finally));
    for parts::Batch {
        section,
        range,
        elements: expected,
    } in parts::batches(elements)
    {
        let (mut root, errors) = DeTable::parse_recoverable(&text[range.clone()]);
        if !errors.is_empty() {
            return None;
        }
        parts::shift(&mut root, &parts::Offsets::from(range.start));
        let root = root.get_ref();
        let items = match root.get(section.key()).map(|v| v.get_ref()) {
            Some(DeValue::Array(items)) if root.len() == 1 => items,
            _ => return None,
        };
        if items.len() != expected {
            return None;
        }
        let into = match section {
            parts::Section::Steps => &mut steps,
            parts::Section::Finally => &mut finally,
        };
        let in_finally = section == parts::Section::Finally;
        for item in items.iter() {
            let step = p.step(&keys::STEP, item, section.key(), into.read);
            into.push(step, sink.as_deref_mut(), in_finally);
        }
    }
    let workflow = match (head, steps.done(), finally.done()) {
        (Some(mut w), Some(steps), Some(finally)) => {
            w.steps = steps;
            w.finally = finally;
            Some(w)
        }
        _ => None,
    };
    Some(p.finish(workflow))
}

/// What the head of a file read in parts had for `steps` and `finally`:
/// one empty table for each run of steps, whose bodies the head left out.
#[derive(Default)]
struct Stubs {
    steps: usize,
    finally: usize,
    /// A stub had a key: a step's body was in the head, so not in a batch.
    filled: bool,
}

/// Steps read one at a time: handed to the sink, kept if it gives them
/// back, or counted as failed (reported).
struct Steps {
    kept: Vec<Step>,
    /// How many the file has: room for them all is made at the first one
    /// kept (a sink that keeps none needs none; growing by doubling would
    /// hold twice the steps at once).
    expected: usize,
    read: usize,
    failed: bool,
}

impl Steps {
    fn expecting(expected: usize) -> Steps {
        Steps {
            kept: Vec::new(),
            expected,
            read: 0,
            failed: false,
        }
    }

    fn push<S: Sink>(&mut self, step: Option<Step>, sink: Option<&mut S>, finally: bool) {
        self.read += 1;
        let Some(step) = step else {
            self.failed = true;
            return;
        };
        let kept = match sink {
            Some(sink) => sink.step(step, finally),
            None => Some(step),
        };
        if let Some(step) = kept {
            if self.kept.capacity() == 0 {
                self.kept
                    .reserve_exact(self.expected.saturating_sub(self.read - 1));
            }
            self.kept.push(step);
        }
    }

    /// The steps kept, if every one was read.
    fn done(self) -> Option<Vec<Step>> {
        (!self.failed).then_some(self.kept)
    }
}

/// Sorts diagnostics by position, whole-file ones first.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.span.as_ref().map(|s| (s.start, s.end)));
}

/// Rejects arrays, inline tables and dotted keys nested deeper than
/// [`MAX_NESTING`], before the TOML parser sees them: it would stop at its
/// recursion limit with no position.
fn nesting_check(text: &str) -> Option<Diagnostic> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    // The dots of the key being read (`a.b.c = 1`, `[a.b.c]`).
    let mut dots = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            // On its last quote; a string that does not end, on the
            // newline of its line (or past the text) where the scan stopped.
            b'"' | b'\'' => {
                i = match parts::string_end(b, i) {
                    Ok(end) => end - 1,
                    Err(stop) => stop,
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::new(
                            format!("values nested too deeply (more than {MAX_NESTING} levels)"),
                            i..i + 1,
                        )
                        .label("too deep")
                        .hint("a workflow never needs this much nesting; look for unclosed `[` or `{`"),
                    );
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'.' => {
                dots += 1;
                if dots > MAX_NESTING {
                    return Some(
                        Diagnostic::new(
                            format!("a dotted key nested too deeply (more than {MAX_NESTING} levels)"),
                            i..i + 1,
                        )
                        .label("too deep")
                        .hint("a workflow's keys are at most a few levels deep; is this key written as intended?"),
                    );
                }
            }
            _ => {}
        }
        if matches!(b.get(i), Some(b'\n' | b'=' | b',' | b'{' | b'[')) {
            dots = 0;
        }
        i += 1;
    }
    None
}

fn syntax_diagnostics(errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    for e in errors {
        let msg = e.message().trim();
        let first = msg.lines().next().unwrap_or("invalid TOML");
        let (message, label) = match first.split_once(", expected ") {
            Some((m, exp)) => (m.to_string(), format!("expected {exp}")),
            None => (first.to_string(), "here".to_string()),
        };
        let mut d = match e.span() {
            Some(span) => Diagnostic::new(message, span),
            None => Diagnostic::whole_file(message),
        };
        d = d
            .label(label)
            .hint("this is a TOML syntax error; the workflow's keys are checked once the file is valid TOML");
        if !diags.contains(&d) {
            diags.push(d);
        }
    }
    sort(&mut diags);
    if diags.len() > MAX_SYNTAX_ERRORS {
        let more = diags.len() - MAX_SYNTAX_ERRORS;
        diags.truncate(MAX_SYNTAX_ERRORS);
        diags.push(
            Diagnostic::whole_file(format!("... and {more} more TOML syntax errors"))
                .hint("fix the first errors: the others often follow from them"),
        );
    }
    diags
}

fn type_name(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a datetime",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The span from a value's start to the end of everything inside it (a
/// `[[steps]]` table's own span is only its header).
fn extent(v: &Val) -> Span {
    let mut span = v.span();
    match v.get_ref() {
        DeValue::Table(t) => {
            for (k, val) in t.iter() {
                let inner = extent(val);
                span.start = span.start.min(k.span().start).min(inner.start);
                span.end = span.end.max(k.span().end).max(inner.end);
            }
        }
        DeValue::Array(a) => {
            for val in a.iter() {
                let inner = extent(val);
                span.start = span.start.min(inner.start);
                span.end = span.end.max(inner.end);
            }
        }
        _ => {}
    }
    span
}

fn ordinal(i: usize) -> String {
    format!("#{}", i + 1)
}

struct Parser<'s> {
    src: &'s str,
    diags: Vec<Diagnostic>,
    regexes: HashMap<&'static str, regex::Regex>,
    /// Step ids seen so far (steps, then finally), with where they were
    /// first written. Boxed and a position only: a file of many steps keeps
    /// one entry per step while it is read.
    ids: HashMap<Box<str>, usize>,
    /// Errors that leave the workflow's structure whole (duplicate ids).
    soft: Vec<Diagnostic>,
    /// Reading the head of a file read in parts: `steps` and `finally` are
    /// counted here, and their steps read from the batches.
    stubs: Option<Stubs>,
}

impl<'s> Parser<'s> {
    fn new(src: &'s str) -> Parser<'s> {
        Parser {
            src,
            diags: Vec::new(),
            regexes: HashMap::new(),
            ids: HashMap::new(),
            soft: Vec::new(),
            stubs: None,
        }
    }

    /// The workflow, if no error left it broken, and every error, in order.
    fn finish(self, workflow: Option<Workflow>) -> (Option<Workflow>, Vec<Diagnostic>) {
        let workflow = workflow.filter(|_| self.diags.is_empty());
        let mut diags = self.diags;
        diags.extend(self.soft);
        sort(&mut diags);
        (workflow, diags)
    }

    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Reports `d`, for a value that is `None` because of it.
    fn reject<T>(&mut self, d: Diagnostic) -> Option<T> {
        self.error(d);
        None
    }

    /// The parser and `keys.rs` disagree: a bug of rehearse, reported
    /// rather than a panic. The tests read every key of the reference.
    fn bug(&mut self, message: String) {
        self.error(
            Diagnostic::whole_file(format!("internal error: {message}"))
                .hint("this is a bug of rehearse; please report it"),
        );
    }

    fn matches(&mut self, pattern: &'static keys::Pattern, s: &str) -> bool {
        if !self.regexes.contains_key(pattern.regex) {
            // The patterns are constants, tested to compile.
            let Ok(re) = regex::Regex::new(pattern.regex) else {
                return true;
            };
            self.regexes.insert(pattern.regex, re);
        }
        self.regexes.get(pattern.regex).is_none_or(|re| re.is_match(s))
    }
}

/// Every item, or `None` if one is `None`; unlike `collect`, it goes
/// through all of them, so that every error is reported.
fn all<T>(items: impl IntoIterator<Item = Option<T>>) -> Option<Vec<T>> {
    let items = items.into_iter();
    // Sized once: a workflow of thousands of steps would otherwise hold a
    // grown vector and its copy at once, for the biggest of its types.
    let mut out = Vec::with_capacity(items.size_hint().0);
    let mut ok = true;
    for item in items {
        match item {
            Some(t) => out.push(t),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// An optional key: absent is fine (`Some(None)`), present but invalid is `None`.
fn opt<T>(v: Option<Option<T>>) -> Option<Option<T>> {
    match v {
        None => Some(None),
        Some(None) => None,
        Some(Some(t)) => Some(Some(t)),
    }
}

fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::format::ast::{Action, JsonType, Predicate, VarSource};
    use crate::format::template::Part;
    use crate::query::Lang;

    /// The plain shape is read in parts, errors or not: the tests that
    /// compare both ways of reading would otherwise compare the whole parse
    /// with itself.
    #[test]
    fn a_plain_file_is_read_in_parts() {
        let (src, _) = full();
        let bad = format!("{HEAD}[[steps]]\nid = \"a\"\nrun = 1\n[[steps]]\nid = \"a\"\nrun = \"x\"\n");
        for text in [src.as_str(), bad.as_str()] {
            let elements = parts::elements(text).expect("plain shape");
            let (w, diags) = parse_in_parts(text, &elements, &mut KeepAll).expect("read in parts");
            assert_eq!(w.is_some(), text == src, "{diags:?}");
        }
    }

    /// A workflow that sets almost every key, and its AST.
    fn full() -> (String, Workflow) {
        let src = format!(
            r#"{HEAD}title = "T"
[defaults]
timeout = "5m"
shell = ["bash", "-c"]
backoff = 2

[vars]
Z = "z"
A = {{ env = "A_ENV", default = "a" }}
N = 0x10
F = 1.5
B = true

[[steps]]
id = "one"
run = "echo"
timeout = "1h 30m"
expect = [ {{ jq = ".a", equals = {{ x = ["${{Z}}", 1] }} }}, {{ query = "b", one-of = [1, 2] }} ]
capture = {{ C = "a.b", D = {{ jq = ".d" }} }}
env = {{ E = "${{A}}/x" }}
wait = {{ until = [ {{ query = "s", type = "string" }} ], backoff = 1.5 }}
retry = {{ attempts = 3 }}
must-fail = true
skip = "later"
dir = "sub"

[[finally]]
id = "two"
run = "true"
"#
        );
        let w = ok(&src);
        (src, w)
    }

    #[test]
    fn a_full_workflow_builds_its_ast() {
        let (_, w) = full();
        assert_eq!(w.meta.name.value, "t");
        assert_eq!(w.meta.title.as_ref().map(|t| t.value.as_str()), Some("T"));
        assert_eq!(w.defaults.timeout.as_ref().map(|d| d.value.as_secs()), Some(300));
        assert_eq!(w.defaults.backoff.as_ref().map(|b| b.value), Some(2.0));
        let names: Vec<_> = w.vars.iter().map(|v| v.name.value.as_str()).collect();
        assert_eq!(names, ["Z", "A", "N", "F", "B"], "source order");
        let literal = |i: usize| match &w.vars[i].source {
            VarSource::Literal(l) => l.value.clone(),
            VarSource::Env { .. } => panic!(),
        };
        assert_eq!(
            (literal(2), literal(3), literal(4)),
            ("16".into(), "1.5".into(), "true".into())
        );
        assert!(
            matches!(&w.vars[1].source, VarSource::Env { env, default: Some(d), .. } if env.value == "A_ENV" && d.value == "a")
        );
        assert_eq!(w.finally.len(), 1);
        assert_eq!(w.finally[0].id.value, "two");
    }

    #[test]
    fn a_full_step_builds_its_ast() {
        let (src, w) = full();
        let step = &w.steps[0];
        assert_eq!(step.timeout.as_ref().map(|t| t.value.as_secs()), Some(5400));
        assert!(matches!(step.action.value, Action::Run(ref s) if s == "echo"));
        assert_eq!(&src[step.action.span.clone()], "run = \"echo\"");
        assert!(src[step.span.clone()].starts_with("[[steps]]"));
        assert!(src[step.span.clone()].ends_with("dir = \"sub\""));
        assert_eq!(step.expect.len(), 2);
        match &step.expect[0].predicate.value {
            Predicate::Equals(e) => {
                assert_eq!(e.value, serde_json::json!({"x": ["${Z}", 1]}));
                assert_eq!(e.vars.len(), 1);
                assert_eq!(&src[e.vars[0].span.clone()], "${Z}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(step.expect[0].query.value.lang(), Lang::Jq);
        assert_eq!(
            &src[step.expect[0].predicate.span.clone()],
            "equals = { x = [\"${Z}\", 1] }"
        );
        let captures: Vec<_> = step
            .capture
            .iter()
            .map(|c| (c.name.value.as_str(), c.query.value.lang()))
            .collect();
        assert_eq!(captures, [("C", Lang::JmesPath), ("D", Lang::Jq)]);
        assert_eq!(step.env.len(), 1);
        assert!(matches!(&step.env[0].1.parts[0], Part::Var(v) if v.value == "A"));
        let wait = step.wait.as_ref().unwrap();
        assert_eq!(wait.until.len(), 1);
        assert!(matches!(
            wait.until[0].predicate.value,
            Predicate::Type(JsonType::String)
        ));
        assert_eq!(step.retry.as_ref().map(|r| r.attempts.value), Some(3));
        assert_eq!(step.must_fail.as_ref().map(|m| m.value), Some(true));
    }

    #[test]
    fn every_error_is_collected_in_order() {
        let src = format!(
            "{HEAD}bogus = 1\n[[steps]]\nid = \"a\"\nrun = 1\ntimeout = 5\n[[steps]]\nid = \"b\"\nrun = \"x\"\nretry = {{ attempts = 0 }}\n"
        );
        let d = errs(&src);
        assert_eq!(d.len(), 4, "{d:#?}");
        let texts: Vec<_> = d.iter().map(|d| &src[d.span.clone().unwrap()]).collect();
        assert_eq!(texts, ["bogus", "1", "5", "0"]);
    }

    #[test]
    fn syntax_errors_stop_before_the_schema() {
        let d = errs("[workflow]\nname = \nbogus = 1\n");
        assert!(d.iter().all(|d| !d.message.contains("bogus")), "{d:#?}");
        assert!(!d.is_empty());
    }

    #[test]
    fn nesting_limit_ignores_brackets_in_strings_and_comments() {
        let deep = "[".repeat(MAX_NESTING + 1);
        assert!(nesting_check(&format!("x = \"{deep}\"\n")).is_none());
        assert!(nesting_check(&format!("x = '{deep}'\n")).is_none());
        assert!(nesting_check(&format!("x = \"\"\"\n{deep}\n\"\"\"\n")).is_none());
        assert!(nesting_check(&format!("# {deep}\n")).is_none());
        assert!(nesting_check(&format!("x = \"\\\"{deep}\"\n")).is_none());
        let d = nesting_check(&format!("x = {deep}")).unwrap();
        assert_eq!(d.span, Some(4 + MAX_NESTING..5 + MAX_NESTING));
        let ok = format!("x = {}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(nesting_check(&ok).is_none());
    }
}
