//! A workflow read in parts (its head, then its steps a batch at a time)
//! reads exactly as the same file parsed at once: the same workflow and the
//! same diagnostics, on every workflow of the project and on files written
//! to cross the parts' edges.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rehearse::diagnostic::SourceFile;
use rehearse::format::parse::{parse_partial, parse_whole};

fn file(text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from("w.toml"),
        text: Arc::from(text),
    }
}

/// Both ways, as text: the AST and the diagnostics have no `PartialEq`, and
/// their `Debug` shows every field and span.
fn both(text: &str) -> (String, String) {
    let f = file(text);
    (
        format!("{:#?}", parse_partial(&f)),
        format!("{:#?}", parse_whole(&f)),
    )
}

fn assert_alike(what: &str, text: &str) {
    let (parts, whole) = both(text);
    assert!(
        parts == whole,
        "{what}: read in parts\n{parts}\nparsed at once\n{whole}"
    );
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            toml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml")
            && p.file_name().is_some_and(|n| n != "Cargo.toml")
        {
            out.push(p);
        }
    }
}

#[test]
fn every_workflow_of_the_project_reads_alike_in_parts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["workflows", "tests/fixtures", "fuzz/seeds/workflow"] {
        toml_files(&root.join(dir), &mut paths);
    }
    assert!(paths.len() >= 15, "found only {} workflows", paths.len());
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        assert_alike(&p.display().to_string(), &text);
    }
    let mut blocks = 0;
    for doc in std::fs::read_dir(root.join("docs")).unwrap().flatten() {
        let md = std::fs::read_to_string(doc.path()).unwrap_or_default();
        for (_, text, line) in common::toml_blocks(&md) {
            blocks += 1;
            assert_alike(&format!("{}:{line}", doc.path().display()), &text);
        }
    }
    assert!(blocks >= 10, "found only {blocks} TOML blocks in docs/");
}

const HEAD: &str = "[workflow]\nname = \"w\"\n\n[vars]\nA = \"1\"\n\n";

fn step(id: &str, body: &str) -> String {
    format!("[[steps]]\nid = \"{id}\"\n{body}\n")
}

#[test]
fn errors_across_batches_read_alike_in_parts() {
    // Enough bytes that the steps fill several batches.
    let filler = format!("run = \"echo {}\"", "x".repeat(6000));
    let mut text = String::from(HEAD);
    text.push_str("[[finally]]\nid = \"d\"\nrun = \"x\"\n\n");
    for i in 0..12 {
        text.push_str(&step(&format!("s{i}"), &filler));
    }
    // A duplicate id far from the first, a duplicate of a `finally` step
    // written before it, an unknown key, a wrong type, a bad query.
    text.push_str(&step("s0", "run = \"x\""));
    text.push_str(&step("d", "run = \"x\"\nbogus = 1"));
    text.push_str(&step("t", "run = 5"));
    text.push_str(&step(
        "q",
        "run = \"x\"\nexpect = [{ query = \"a[\", exists = true }]",
    ));
    text.push_str("[defaults]\ntimeout = \"forever\"\n");
    let (parts, _) = both(&text);
    for needle in ["s0", "bogus", "forever", "`d`"] {
        assert!(parts.contains(needle), "no diagnostic names {needle}: {parts}");
    }
    assert_alike("errors across batches", &text);
}

#[test]
fn sub_tables_comments_and_strings_that_look_like_headers_read_alike() {
    let cases = [
        format!(
            "{HEAD}[[steps]]\nid = \"a\"\nkubectl = \"get pods\"\n[steps.wait]\ntimeout = \"1m\"\n\
             [[steps.wait.until]]\nquery = \"items\"\nexists = true\n# [[steps]]\n\n\
             [[steps]]\nid = \"b\"\nrun = '''\n[[steps]]\n[vars]\n'''\n[steps.env]\nX = \"\"\"\n[x]\n\"\"\"\n"
        ),
        // CRLF line endings, and a header with blanks and a comment.
        format!("{HEAD}[[steps]]\r\nid = \"a\"\r\nrun = \"x\"\r\n  [[ steps ]]  # two\r\nid = \"b\"\r\nrun = \"y\"\r\n")
            .replace('\n', "\r\n")
            .replace("\r\r\n", "\r\n"),
        // Only `finally`: `steps` is missing.
        format!("{HEAD}[[finally]]\nid = \"a\"\nrun = \"x\"\n"),
        // No `[workflow]`, steps fine.
        step("a", "run = \"x\""),
        // An array of steps inline, then a header: a TOML error.
        format!("{HEAD}steps = []\n[[steps]]\nid = \"a\"\nrun = \"x\"\n"),
        // A TOML syntax error inside one step.
        format!("{HEAD}{}[[steps]]\nid = \"b\"\nrun = \"x\n{}", step("a", "run = \"x\""), step("c", "run = \"x\"")),
        // A sub-table of the last step written after another table.
        format!("{HEAD}{}[defaults]\ntimeout = \"1m\"\n[steps.env]\nA = \"b\"\n", step("a", "run = \"x\"")),
        // Not UTF-8-hungry: keys and values beyond ASCII.
        format!("{HEAD}{}", step("é", "run = \"ünïcode ✓\"\ntitle = \"日本\"")),
    ];
    for (i, text) in cases.iter().enumerate() {
        assert_alike(&format!("case {i}"), text);
    }
}
