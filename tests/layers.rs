//! The floors of ARCHITECTURE.md, enforced: a module may use only modules
//! on floors below its own. An import that goes up (or sideways, to a
//! module of the same floor) fails this test with the file and line, so
//! the module graph stays free of cycles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Lowest first. Modules of one floor do not use each other.
const FLOORS: &[&[&str]] = &[
    &["ground"],
    &["transport", "query", "template"],
    &["action"],
    &["diagnostic"],
    &["format"],
    &["validate", "import"],
    &["engine", "recording"],
    &["backend"],
    &["report"],
    &["session"],
    &["cli"],
];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`src/engine/step.rs`
/// → `engine`); None for the crate's root files.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let first = file.strip_prefix(src).ok()?.components().next()?;
    let name = first.as_os_str().to_string_lossy();
    let name = name.trim_end_matches(".rs");
    (name != "lib" && name != "main").then(|| name.to_string())
}

/// Every `crate::name` a line of code uses (comments do not count).
fn uses(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + "crate::".len()..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
        rest = after;
    }
    out
}

/// Why `module` may not use `used`, if it may not.
fn violation(module: &str, used: &str) -> Option<String> {
    let own = floor(module)?;
    match floor(used) {
        Some(f) if f < own => None,
        Some(f) => Some(format!("`{module}` (floor {own}) uses `{used}` (floor {f})")),
        None => Some(format!("`{used}` has no floor in FLOORS")),
    }
}

#[test]
fn no_module_uses_a_floor_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(own) = floor(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no floor in FLOORS",
                file.display()
            ));
            continue;
        };
        seen.insert(module.clone(), own);
        let text = std::fs::read_to_string(file).expect("a readable source file");
        for (n, line) in text.lines().enumerate() {
            for used in uses(line) {
                if used == module {
                    continue;
                }
                if let Some(why) = violation(&module, &used) {
                    wrong.push(format!("{}:{}: {why}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "imports that go up:\n{}", wrong.join("\n"));
    // Every floor names real modules, so the list stays true.
    for name in FLOORS.iter().flat_map(|f| f.iter()) {
        assert!(
            seen.contains_key(*name),
            "FLOORS names `{name}`, which src/ does not have"
        );
    }
}

#[test]
fn an_upward_import_is_caught() {
    assert_eq!(uses("use crate::engine::step; // crate::cli"), ["engine"]);
    assert_eq!(uses("    /// see crate::backend"), Vec::<String>::new());
    // The engine knows nothing of the backends; the ground floor nothing at all.
    assert!(violation("engine", "backend").is_some());
    assert!(violation("ground", "action").is_some());
    assert!(violation("engine", "recording").is_some(), "same floor");
    assert!(violation("backend", "transport").is_none());
}
