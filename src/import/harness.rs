//! Where the EKS Workshop's own test harness (`testing/util`, TypeScript
//! and Mocha) reads a block differently from what the page shows. The
//! importer imports what the page shows, and reports these differences.
//!
//! The harness's rules, from its `Gatherer.extractCommand` and `readScripts`:
//! - it reads a block line by line and stops at the first empty line, so
//!   a command after a blank line is never run;
//! - a line that starts with `$` is a command, its first two characters
//!   cut off; a line ending in `\` continues it;
//! - it knows one heredoc form, `<<EOF`, which ends at the first line that
//!   contains `EOF`: the lines of any other heredoc are dropped as output;
//! - it reads only the page's top-level blocks, so a block inside a list
//!   item is never run.

use super::block::heredocs;
use super::markdown::Block;

/// How the harness treats a command, when not as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Treatment {
    /// None of its lines is run.
    Skipped,
    /// Some of its lines are not run.
    Truncated,
    /// Its lines are run, but not as written.
    Altered,
}

/// A command the harness reads differently, or an output line it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The page line.
    pub line: usize,
    /// The command's first line, or the output line that is run.
    pub text: String,
    /// Which command of the block, or None for an output line run as a command.
    pub command: Option<usize>,
    /// None for an output line that the harness runs.
    pub treatment: Option<Treatment>,
    pub why: String,
}

/// The text the harness runs for each line of a block, None for the lines
/// it does not run (a port of `extractCommand`).
pub fn lines_run(body: &[String], raw: bool) -> Vec<Option<String>> {
    if raw {
        return body.iter().map(|l| Some(l.clone())).collect();
    }
    let mut out = vec![None; body.len()];
    let (mut in_command, mut in_heredoc) = (false, false);
    for (i, line) in body.iter().enumerate() {
        if line.is_empty() {
            break;
        }
        let mut part: String = line.clone();
        if part.starts_with('$') {
            in_command = true;
            part = part.chars().skip(2).collect();
        }
        if in_command {
            if part.contains("<<EOF") {
                in_heredoc = true;
            } else if in_heredoc && part.contains("EOF") {
                in_heredoc = false;
            }
            out[i] = Some(part.clone());
        }
        if !part.ends_with('\\') && !in_heredoc {
            in_command = false;
        }
    }
    out
}

/// The differences in one `bash` block (none in a `test=false` block,
/// which neither runs).
pub fn differences(block: &Block) -> Vec<Difference> {
    if block.attrs.no_test {
        return Vec::new();
    }
    let first_line = block.line + 1;
    if block.in_list {
        return block
            .commands
            .iter()
            .enumerate()
            .map(|(n, c)| Difference {
                line: c.line,
                text: c.first_line().to_string(),
                command: Some(n),
                treatment: Some(Treatment::Skipped),
                why: "the block is inside a list item, and the harness reads only a page's top-level blocks"
                    .into(),
            })
            .collect();
    }
    let run = lines_run(&block.body, block.attrs.raw);
    let blank = block.body.iter().position(String::is_empty);
    let mut out = Vec::new();
    let mut ours = vec![false; block.body.len()];
    for (n, c) in block.commands.iter().enumerate() {
        ours[c.lines.clone()].iter_mut().for_each(|o| *o = true);
        let seen = &run[c.lines.clone()];
        let treatment = if seen.iter().all(Option::is_none) {
            Treatment::Skipped
        } else if seen.iter().any(Option::is_none) {
            Treatment::Truncated
        } else {
            let text: Vec<&str> = seen.iter().flatten().map(String::as_str).collect();
            if text.join("\n") == c.text {
                continue;
            }
            Treatment::Altered
        };
        let first_missing = c.lines.start + seen.iter().position(Option::is_none).unwrap_or(0);
        let why = match (&treatment, blank) {
            (Treatment::Altered, _) => {
                "a line of it starts with `$`, and the harness cuts its first two characters".into()
            }
            (_, Some(b)) if b <= first_missing => format!(
                "it comes after the blank line at line {}, and the harness stops reading a block at its first blank line",
                first_line + b
            ),
            _ if heredocs_of(&c.text).iter().any(|h| !h.plain_eof) => {
                "the harness knows only heredocs written `<<EOF`, and drops this one's lines".into()
            }
            _ => format!(
                "the harness ends the heredoc early and reads line {} as output",
                first_line + first_missing
            ),
        };
        out.push(Difference {
            line: c.line,
            text: c.first_line().to_string(),
            command: Some(n),
            treatment: Some(treatment),
            why,
        });
    }
    for (i, text) in run.iter().enumerate() {
        if let (Some(text), false) = (text, ours[i]) {
            out.push(Difference {
                line: first_line + i,
                text: text.clone(),
                command: None,
                treatment: None,
                why: "the page shows it as output, and the harness runs it as a command".into(),
            });
        }
    }
    out
}

fn heredocs_of(text: &str) -> Vec<super::block::Heredoc> {
    text.lines().flat_map(heredocs).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::markdown::parse;
    use std::path::Path;

    fn block(text: &str) -> Block {
        parse(Path::new("p.md"), text).unwrap().blocks.remove(0)
    }

    #[test]
    fn a_command_after_a_blank_line_is_skipped() {
        let b = block("```bash\n$ aws eks create-addon --x y\n{}\n\n$ aws eks wait addon-active\n```\n");
        let d = differences(&b);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(d[0].line, 5);
        assert_eq!(d[0].text, "aws eks wait addon-active");
        assert_eq!(d[0].treatment, Some(Treatment::Skipped));
        assert!(d[0].why.contains("blank line at line 4"), "{}", d[0].why);
    }

    #[test]
    fn heredocs_the_harness_does_not_know_lose_their_lines() {
        let b = block(
            "```bash\n$ cat <<'EOF' | kubectl apply -f -\nkind: X\nEOF\n$ cat <<EOF > f\na\nEOF\n```\n",
        );
        let d = differences(&b);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].line, d[0].treatment.clone()),
            (2, Some(Treatment::Truncated))
        );
        assert!(d[0].why.contains("`<<EOF`"));
    }

    #[test]
    fn a_blank_line_inside_a_heredoc_truncates_it() {
        let b = block("```bash\n$ cat <<EOF > f\na\n\nb\nEOF\n```\n");
        let d = differences(&b);
        assert_eq!(d[0].treatment, Some(Treatment::Truncated));
        assert!(d[0].why.contains("blank line at line 4"));
    }

    #[test]
    fn dollar_lines_inside_a_heredoc_are_altered_and_output_dollars_run() {
        let b = block("```bash\n$ cat <<EOF\n$HOME\nEOF\n$ echo $PATH\n$PATH_LIKE_OUTPUT\n```\n");
        let d = differences(&b);
        assert_eq!(d.len(), 2, "{d:#?}");
        assert_eq!(d[0].treatment, Some(Treatment::Altered));
        assert_eq!((d[1].line, d[1].treatment.clone()), (6, None));
        assert_eq!(d[1].text, "ATH_LIKE_OUTPUT");
    }

    #[test]
    fn nested_and_untested_blocks() {
        let b = block("1. Step\n\n   ```bash\n   $ true\n   ```\n");
        assert!(b.in_list);
        assert_eq!(differences(&b)[0].treatment, Some(Treatment::Skipped));
        let b = block("```bash test=false\n$ a\n\n$ b\n```\n");
        assert!(differences(&b).is_empty());
        let b = block("```bash\n$ a \\\n  b\nout\n$ c\n```\n");
        assert!(differences(&b).is_empty(), "continuations are read alike");
    }

    #[test]
    fn the_port_of_extract_command() {
        let body: Vec<String> = ["$ a \\", "b", "out", "$ c <<EOF", "x", "EOF", "after", "", "$ d"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let run = lines_run(&body, false);
        let run: Vec<Option<&str>> = run.iter().map(|o| o.as_deref()).collect();
        assert_eq!(
            run,
            [
                Some("a \\"),
                Some("b"),
                None,
                Some("c <<EOF"),
                Some("x"),
                Some("EOF"),
                None,
                None,
                None
            ]
        );
    }
}
