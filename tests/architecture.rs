//! ARCHITECTURE.md stays true: every path it names exists, every module of
//! `src/` is in its table of floors, and the recipes' landmarks are where
//! they say.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md")
}

/// Every `backticked` text of the page.
fn code_spans(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn every_path_it_names_exists() {
    let doc = architecture();
    let mut missing = Vec::new();
    for span in code_spans(&doc) {
        let path = span.trim_end_matches('/');
        let is_path = ["src/", "tests/", "snapshots/", "docs/"]
            .iter()
            .any(|p| path.starts_with(p));
        if !is_path || path.contains('<') || path.contains('*') {
            continue;
        }
        if !root().join(path).exists() {
            missing.push(span);
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn every_module_is_in_the_table_of_floors() {
    let doc = architecture();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(root().join("src")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "lib" || name == "main" {
            continue;
        }
        if !doc.contains(&format!("| `{name}` |")) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "modules missing from the floors: {missing:?}");
}

/// What the recipes tell a reader to look for, and where.
#[test]
fn the_recipes_landmarks_are_where_they_say() {
    let landmarks = [
        ("src/action/aws/ops/eks.rs", "operations! {"),
        (
            "src/action/aws/ops/eks.rs",
            "\"describe-update\" DescribeUpdate describe_update",
        ),
        ("src/action/aws/ops/eks.rs", "cli_struct! {"),
        ("src/action/kubectl/mod.rs", "pub enum Verb<"),
        ("src/action/kubectl/flags.rs", "pub fn flags_for("),
        ("src/action/kubectl/parse.rs", "fn verb_of("),
        ("src/action/kubectl/parse.rs", "pub const VERBS"),
        ("src/action/kubectl/fill.rs", "impl Verb<Parsed>"),
        ("src/backend/kube/mod.rs", "match &cmd.verb"),
        ("src/format/keys/check.rs", "const OPERATORS"),
        ("src/format/keys/check.rs", "pub static CHECK: Table"),
        ("src/format/ast.rs", "pub fn expected(&self)"),
        ("src/format/parse/check.rs", "Operator {"),
        ("src/engine/predicate.rs", "pub fn describe("),
        ("src/engine/predicate.rs", "pub fn evaluate("),
        ("src/format/keys/step.rs", "pub static STEP: Table"),
        ("src/format/parse/step.rs", "ActionKey {"),
        ("src/action/mod.rs", "pub enum Action {"),
        ("src/engine/step.rs", "fn fill("),
        ("src/backend/dispatch.rs", "async fn run("),
        ("src/session/traffic.rs", "Transports"),
        ("src/format/parse/expression.rs", "words::split"),
        ("src/session/traffic.rs", "Dispatcher::new"),
    ];
    let mut missing = Vec::new();
    for (file, text) in landmarks {
        let source = std::fs::read_to_string(root().join(file)).unwrap_or_default();
        if !source.contains(text) {
            missing.push(format!("{file}: {text}"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
