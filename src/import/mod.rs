//! `rehearse import`: tutorial markdown, as the EKS Workshop writes it, into
//! a workflow that validates and reads well; and `rehearse validate
//! --sources`, which reports the commands that changed on the pages since.
//!
//! Split by concept:
//! - `markdown`: a page (front matter, headings, admonitions, fences and
//!   their attributes);
//! - `block`: the commands of a `bash` block (prompts, continuations,
//!   heredocs, sample output) and their fingerprints;
//! - `harness`: where the workshop's own harness reads a block differently;
//! - `lab`: a folder of pages (order, index pages, hooks, `.notest`);
//! - `decide`: which kind of step a command becomes;
//! - `plan`: the lab as steps; `writer` and `toml_text`: the TOML file;
//! - `summary`: what was read and made;
//! - `drift`: a workflow's sources compared with their pages.

pub mod block;
pub mod decide;
pub mod drift;
pub mod harness;
pub mod lab;
pub mod markdown;
pub mod plan;
pub mod summary;
pub mod toml_text;
pub mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostic::{self, Diagnostic, SourceFile};

pub use summary::Summary;

/// Why an import could not be made: every error found, by file (a page,
/// with its text for the snippet, or a path given), each with its place
/// and a hint.
#[derive(Clone, Debug)]
pub struct ImportError {
    pub files: Vec<(SourceFile, Vec<Diagnostic>)>,
}

impl ImportError {
    /// An error about a path as a whole (it does not exist, holds no page).
    pub fn about(path: &Path, message: impl Into<String>, hint: impl Into<String>) -> ImportError {
        ImportError {
            files: vec![(
                SourceFile {
                    path: path.to_path_buf(),
                    text: Arc::from(""),
                },
                vec![Diagnostic::whole_file(message).hint(hint)],
            )],
        }
    }

    /// Errors in a page's text.
    pub fn in_page(file: SourceFile, diagnostics: Vec<Diagnostic>) -> ImportError {
        ImportError {
            files: vec![(file, diagnostics)],
        }
    }

    /// Every error, rendered as `rehearse validate` renders a workflow's.
    pub fn render(&self, color: bool) -> String {
        self.files
            .iter()
            .map(|(file, diags)| diagnostic::render(file, diags, color))
            .collect()
    }

    fn merge(errors: Vec<ImportError>) -> Option<ImportError> {
        let files: Vec<_> = errors.into_iter().flat_map(|e| e.files).collect();
        (!files.is_empty()).then_some(ImportError { files })
    }
}

/// The first error's message, with its page and line.
impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some((file, d)) = self.files.iter().find_map(|(f, d)| Some((f, d.first()?))) else {
            return f.write_str("nothing imported");
        };
        match &d.span {
            Some(span) => write!(
                f,
                "{}:{}: {}",
                file.path.display(),
                file.line_col(span.start).0,
                d.message
            ),
            None => f.write_str(&d.message),
        }
    }
}

impl std::error::Error for ImportError {}

/// An imported workflow: its text, and what was read and made.
#[derive(Debug)]
pub struct Imported {
    pub toml: String,
    pub summary: Summary,
}

/// Every `aws` and `kubectl` command of the pages and folders of `paths`
/// (read as an import reads them), one JSON object each: its `page` and
/// `line`, its `text` as the page writes it, and whether it is `plain`: no
/// shell syntax (pipes, `$(…)`, redirections, `&&`, `;`…), as the step
/// parsers split it, with the `vars` it uses; else `shell` says why not.
/// For measuring how much of a tutorial rehearse runs (`import --commands`,
/// `benches/workshop-coverage.sh`).
pub fn commands(paths: &[PathBuf]) -> Result<Vec<serde_json::Value>, ImportError> {
    let lab = lab::gather(paths)?;
    let mut out = Vec::new();
    for page in lab.folders.iter().flat_map(|f| &f.pages) {
        for c in page.commands() {
            let Some((tool @ ("aws" | "kubectl"), rest)) = c.text.split_once(char::is_whitespace) else {
                continue;
            };
            let mut item = serde_json::json!({
                "page": page.path.display().to_string(),
                "line": c.line,
                "tool": tool,
                "text": c.text,
            });
            match crate::action::words::split(rest.trim_start(), 0..0, "") {
                Ok(line) => {
                    let mut vars: Vec<&str> = Vec::new();
                    for v in line.vars() {
                        if !vars.contains(&v.value.as_str()) {
                            vars.push(&v.value);
                        }
                    }
                    item["plain"] = true.into();
                    item["line_text"] = rest.trim_start().into();
                    item["vars"] = serde_json::json!(vars);
                }
                Err(e) => {
                    item["plain"] = false.into();
                    item["shell"] = e.message.into();
                }
            }
            out.push(item);
        }
    }
    Ok(out)
}

/// Imports the pages and lab folders of `paths`, in order, into one
/// workflow to be written in the folder `out_dir` (paths in the file are
/// relative to it).
pub fn import(paths: &[PathBuf], out_dir: &Path) -> Result<Imported, ImportError> {
    let lab = lab::gather(paths)?;
    let (workflow, summary) = plan::plan(&lab, out_dir);
    if summary.commands == 0 {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(ImportError::about(
            &paths[0],
            format!("no commands found in {}", shown.join(", ")),
            "a command is a line starting with `$ ` in a ```bash block; a lab's pages have them",
        ));
    }
    Ok(Imported {
        toml: writer::write(&workflow),
        summary,
    })
}
