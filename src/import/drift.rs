//! `rehearse validate --sources`: each step's `source` compared with its
//! page as it is now, read by the same reader as `rehearse import`.
//!
//! The commands of a page are matched with the steps that name it in
//! order, by fingerprint (a longest common subsequence), so that text
//! added above a command, which shifts its line, is no drift. What is left
//! over is drift:
//! - **moved**: a fingerprint found again, out of order;
//! - **changed**: a step and a command in the same place (between the
//!   same matched neighbours) whose fingerprints differ;
//! - **added**: a command on the page that no step names;
//! - **removed**: a step whose command is no longer on the page (or
//!   whose page is gone).
//!
//! A page that exists but cannot be read is an error, not drift.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::SourceFile;
use crate::format::ast::{Step, Workflow};

use super::markdown;
use super::plan::{normalize, relative};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Changed,
    Moved,
    Added,
    Removed,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Changed => "changed",
            Change::Moved => "moved",
            Change::Added => "added",
            Change::Removed => "removed",
        }
    }
}

/// One difference between a workflow and a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    pub change: Change,
    /// The page, as shown (relative to the current folder).
    pub page: String,
    /// The step, and the line of the workflow file where its `source` is.
    pub step: Option<(String, usize)>,
    /// The line the step's `source` names.
    pub was: Option<u64>,
    /// The line of the command on the page now.
    pub now: Option<usize>,
    /// The command's first line: the page's now, else the step's.
    pub command: String,
}

/// A workflow's sources compared with their pages.
#[derive(Clone, Debug)]
pub struct Report {
    pub workflow: PathBuf,
    /// Pages named by the steps' sources.
    pub pages: usize,
    /// Steps with a `source`.
    pub sourced: usize,
    /// Commands found again in order, but at another line (no drift).
    pub shifted: usize,
    pub drifts: Vec<Drift>,
    /// Pages that exist but cannot be read (not UTF-8, a fence never
    /// closed...): their commands are not compared.
    pub unreadable: Vec<super::ImportError>,
}

/// One step's side of the comparison.
struct Named<'a> {
    step: &'a Step,
    line: u64,
    fingerprint: &'a str,
    /// The workflow file's line of the `source`.
    at: usize,
}

/// One command of the page.
struct OnPage {
    line: usize,
    fingerprint: String,
    first_line: String,
}

pub fn check(file: &SourceFile, workflow: &Workflow) -> Report {
    let dir = file.path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut by_page: BTreeMap<&str, Vec<Named>> = BTreeMap::new();
    let mut sourced = 0;
    for step in workflow.steps.iter().chain(&workflow.finally) {
        if let Some(src) = &step.source {
            sourced += 1;
            by_page.entry(src.page.value.as_str()).or_default().push(Named {
                step,
                line: src.line.value,
                fingerprint: &src.fingerprint.value,
                at: file.line_col(src.span.start).0,
            });
        }
    }
    let mut report = Report {
        workflow: file.path.clone(),
        pages: by_page.len(),
        sourced,
        shifted: 0,
        drifts: Vec::new(),
        unreadable: Vec::new(),
    };
    let cwd = std::env::current_dir().unwrap_or_default();
    for (page, mut named) in by_page {
        named.sort_by_key(|n| n.line);
        let path = dir.join(page);
        let shown = relative(&cwd, &normalize(&path));
        // Read by the path shown, so that errors name the page as the report does.
        let commands: Vec<OnPage> = match markdown::read(Path::new(&shown)) {
            Ok(p) => p
                .commands()
                .map(|c| OnPage {
                    line: c.line,
                    fingerprint: c.fingerprint(),
                    first_line: c.first_line().to_string(),
                })
                .collect(),
            // A page that is gone: its commands are removed.
            Err(_) if !path.exists() => Vec::new(),
            Err(e) => {
                report.unreadable.push(e);
                continue;
            }
        };
        compare(&shown, &named, &commands, &mut report);
    }
    report.drifts.sort_by(|a, b| {
        (&a.page, a.now.or(a.was.map(|w| w as usize))).cmp(&(&b.page, b.now.or(b.was.map(|w| w as usize))))
    });
    report
}

fn compare(page: &str, named: &[Named], commands: &[OnPage], report: &mut Report) {
    let pairs = common_subsequence(
        &named.iter().map(|n| n.fingerprint).collect::<Vec<_>>(),
        &commands
            .iter()
            .map(|c| c.fingerprint.as_str())
            .collect::<Vec<_>>(),
    );
    report.shifted += pairs
        .iter()
        .filter(|(i, j)| named[*i].line != commands[*j].line as u64)
        .count();
    let mut old: Vec<usize> = (0..named.len())
        .filter(|i| !pairs.iter().any(|p| p.0 == *i))
        .collect();
    let mut new: Vec<usize> = (0..commands.len())
        .filter(|j| !pairs.iter().any(|p| p.1 == *j))
        .collect();
    let drift = |change, n: Option<&Named>, c: Option<&OnPage>| Drift {
        change,
        page: page.to_string(),
        step: n.map(|n| (n.step.id.value.clone(), n.at)),
        was: n.map(|n| n.line),
        now: c.map(|c| c.line),
        command: c
            .map(|c| c.first_line.clone())
            .or_else(|| n.map(|n| command_of(n.step)))
            .unwrap_or_default(),
    };
    // Moved: the same fingerprint, out of order (the nearest line first).
    old.retain(|&i| {
        let n = &named[i];
        let found = new
            .iter()
            .filter(|&&j| commands[j].fingerprint == n.fingerprint)
            .min_by_key(|&&j| (commands[j].line as i64 - n.line as i64).abs())
            .copied();
        match found {
            Some(j) => {
                report
                    .drifts
                    .push(drift(Change::Moved, Some(n), Some(&commands[j])));
                new.retain(|&k| k != j);
                false
            }
            None => true,
        }
    });
    // Changed: left over in the same gap between matched neighbours.
    let gap_old = |i: usize| pairs.iter().filter(|p| p.0 < i).count();
    let gap_new = |j: usize| pairs.iter().filter(|p| p.1 < j).count();
    let mut paired: Vec<(usize, usize)> = Vec::new();
    for &i in &old {
        if let Some(&j) = new
            .iter()
            .find(|&&j| gap_new(j) == gap_old(i) && !paired.iter().any(|p| p.1 == j))
        {
            paired.push((i, j));
        }
    }
    for &(i, j) in &paired {
        report
            .drifts
            .push(drift(Change::Changed, Some(&named[i]), Some(&commands[j])));
    }
    for &i in old.iter().filter(|i| !paired.iter().any(|p| p.0 == **i)) {
        report.drifts.push(drift(Change::Removed, Some(&named[i]), None));
    }
    for &j in new.iter().filter(|j| !paired.iter().any(|p| p.1 == **j)) {
        report.drifts.push(drift(Change::Added, None, Some(&commands[j])));
    }
}

/// The first line of what a step runs, as the tutorial would show it.
fn command_of(step: &Step) -> String {
    let text = step.action.value.written();
    text.lines().next().unwrap_or("").to_string()
}

/// The index pairs of a longest common subsequence of `a` and `b`.
fn common_subsequence(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    let mut len = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[i][j] = if a[i] == b[j] {
                len[i + 1][j + 1] + 1
            } else {
                len[i + 1][j].max(len[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if len[i + 1][j] >= len[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

impl Report {
    /// The report as lines: a heading, then one line per drift.
    pub fn render(&self) -> String {
        let wf = self.workflow.display();
        let mut out = if !self.unreadable.is_empty() {
            let mut out = format!(
                "error: {wf}: {} of its {} pages cannot be read, and their commands are not compared\n",
                self.unreadable.len(),
                self.pages
            );
            for e in &self.unreadable {
                out.push_str(&format!("  cannot read {e}\n"));
            }
            if !self.drifts.is_empty() {
                out.push_str(&format!(
                    "  {} commands differ on the others:\n",
                    self.drifts.len()
                ));
            }
            out
        } else if self.sourced == 0 {
            format!("ok: {wf}: no step names a source page (it was not imported)\n")
        } else if self.drifts.is_empty() {
            format!(
                "ok: {wf}: the {} commands of its {} pages are as imported\n",
                self.sourced, self.pages
            )
        } else {
            let mut pages: Vec<&str> = self.drifts.iter().map(|d| d.page.as_str()).collect();
            pages.dedup();
            format!(
                "drift: {wf}: {} commands differ on {} of its {} pages\n",
                self.drifts.len(),
                pages.len(),
                self.pages
            )
        };
        for d in &self.drifts {
            let step = d
                .step
                .as_ref()
                .map(|(id, line)| format!("step `{id}` ({wf}:{line})"))
                .unwrap_or_else(|| "no step".into());
            let line = |l: Option<u64>| l.map(|l| l.to_string()).unwrap_or_default();
            let text = match d.change {
                Change::Changed => format!(
                    "{}:{} {step}, was line {}: the page now reads `{}`",
                    d.page,
                    line(d.now.map(|n| n as u64)),
                    line(d.was),
                    d.command
                ),
                Change::Moved => format!(
                    "{}:{} → {} {step}: `{}`",
                    d.page,
                    line(d.was),
                    line(d.now.map(|n| n as u64)),
                    d.command
                ),
                Change::Added => format!(
                    "{}:{} {step} runs `{}`",
                    d.page,
                    line(d.now.map(|n| n as u64)),
                    d.command
                ),
                Change::Removed => format!(
                    "{}:{} {step}: `{}` is no longer on the page",
                    d.page,
                    line(d.was),
                    d.command
                ),
            };
            out.push_str(&format!("  {:<8} {text}\n", d.change.name()));
        }
        if self.shifted > 0 {
            out.push_str(&format!(
                "  ({} commands are at other lines, in the same order: no drift; re-import to update the lines)\n",
                self.shifted
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::common_subsequence;

    #[test]
    fn longest_common_subsequence() {
        assert_eq!(
            common_subsequence(&["a", "b", "c", "d"], &["a", "c", "x", "d", "b"]),
            [(0, 0), (2, 1), (3, 3)]
        );
        assert!(common_subsequence(&[], &["a"]).is_empty());
    }
}
