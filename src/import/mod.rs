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

pub use summary::Summary;

/// Why an import could not be made.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    pub message: String,
}

impl ImportError {
    pub fn new(message: impl Into<String>) -> ImportError {
        ImportError {
            message: message.into(),
        }
    }
}

/// An imported workflow: its text, and what was read and made.
#[derive(Debug)]
pub struct Imported {
    pub toml: String,
    pub summary: Summary,
}

/// Imports the pages and lab folders of `paths`, in order, into one
/// workflow to be written in the folder `out_dir` (paths in the file are
/// relative to it).
pub fn import(paths: &[PathBuf], out_dir: &Path) -> Result<Imported, ImportError> {
    let lab = lab::gather(paths)?;
    let (workflow, summary) = plan::plan(&lab, out_dir);
    if summary.commands == 0 {
        return Err(ImportError::new(format!(
            "no commands found in {} (a command is a line starting with `$ ` in a ```bash block)",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(Imported {
        toml: writer::write(&workflow),
        summary,
    })
}
