//! What an import read and made: pages, blocks, commands, steps by kind,
//! skipped blocks, and where the workshop's harness reads the pages
//! differently from what they show.

use std::fmt::Write;
use std::path::PathBuf;

use super::harness::Treatment;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub pages: usize,
    pub bash_blocks: usize,
    /// `bash` blocks marked `test=false`.
    pub untested_blocks: usize,
    /// `bash` blocks without a command (sample output only).
    pub empty_blocks: usize,
    /// Blocks in other languages, not imported.
    pub other_blocks: usize,
    pub commands: usize,
    pub aws: usize,
    pub kubectl: usize,
    pub run: usize,
    /// `aws` and `kubectl` steps that run through the CLI (counted in `aws`
    /// and `kubectl` too).
    pub cli: usize,
    /// Runs of hook scripts (`before`, `after`, the suite's).
    pub hooks: usize,
    pub skipped_steps: usize,
    pub live_only: usize,
    pub must_fail: usize,
    /// Commands the harness does not run as the page shows them.
    pub harness: Vec<HarnessNote>,
    /// Output lines the harness runs as commands.
    pub harness_runs_output: Vec<HarnessNote>,
    /// Folder-level differences (page order, pages it refuses).
    pub notes: Vec<String>,
    /// Folders left out by a `.notest` file.
    pub excluded: Vec<PathBuf>,
}

/// A command (or an output line) the harness reads differently.
#[derive(Clone, Debug, PartialEq)]
pub struct HarnessNote {
    pub page: PathBuf,
    pub line: usize,
    pub text: String,
    pub treatment: Option<Treatment>,
    pub why: String,
}

impl Summary {
    pub fn steps(&self) -> usize {
        self.aws + self.kubectl + self.run + self.hooks
    }

    /// Commands the harness does not run as the page shows them, and
    /// output lines it runs as commands.
    pub fn harness_differences(&self) -> usize {
        self.harness.len() + self.harness_runs_output.len()
    }

    fn harness_count(&self, treatment: Treatment) -> usize {
        self.harness
            .iter()
            .filter(|n| n.treatment.as_ref() == Some(&treatment))
            .count()
    }

    /// The summary as `key: value` lines, then the details.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "pages: {}", self.pages);
        let _ = writeln!(
            out,
            "blocks: {} bash ({} test=false, {} without commands), {} in other languages (not imported)",
            self.bash_blocks, self.untested_blocks, self.empty_blocks, self.other_blocks
        );
        let _ = writeln!(out, "commands: {}", self.commands);
        let _ = writeln!(
            out,
            "steps: {} (aws {}, kubectl {}, run {}, hook {}; aws/kubectl through the CLI {}; skipped {}, live-only {}, must-fail {})",
            self.steps(),
            self.aws,
            self.kubectl,
            self.run,
            self.hooks,
            self.cli,
            self.skipped_steps,
            self.live_only,
            self.must_fail
        );
        let _ = writeln!(
            out,
            "harness differences: {} ({} commands never run, {} run in part, {} altered; {} output lines run as commands)",
            self.harness_differences(),
            self.harness_count(Treatment::Skipped),
            self.harness_count(Treatment::Truncated),
            self.harness_count(Treatment::Altered),
            self.harness_runs_output.len()
        );
        for n in self.harness.iter().chain(&self.harness_runs_output) {
            let what = match n.treatment {
                Some(Treatment::Skipped) => "never runs",
                Some(Treatment::Truncated) => "runs part of",
                Some(Treatment::Altered) => "alters",
                None => "runs the output line",
            };
            let _ = writeln!(
                out,
                "  {}:{}: the harness {what} `{}`: {}",
                n.page.display(),
                n.line,
                n.text,
                n.why
            );
        }
        for dir in &self.excluded {
            let _ = writeln!(out, "excluded by .notest: {}", dir.display());
        }
        for note in &self.notes {
            let _ = writeln!(out, "note: {note}");
        }
        out
    }
}
