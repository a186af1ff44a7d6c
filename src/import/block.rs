//! The commands of a `bash` block, as the page shows them: a line that
//! starts with `$ ` is a command; a line ending in `\` continues it; a
//! heredoc (`<<EOF`, `<<'EOF'`, `<<-EOF`, any delimiter) takes the lines
//! up to its delimiter; every other line is the sample output of the
//! command before it. With `raw=true` the whole block is one command.

use std::ops::Range;

use crate::ground::hash::{FNV_OFFSET, fnv1a};

/// One command of a block.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// The page line where it starts (its `$ ` prompt), from 1.
    pub line: usize,
    /// The block lines it spans (indices into the block's body).
    pub lines: Range<usize>,
    /// The command as imported: its lines without the prompt, joined by newlines.
    pub text: String,
    /// The sample output the page shows after it, without blank lines at
    /// either end.
    pub output: Vec<String>,
}

impl Command {
    /// FNV-1a (64 bits, hex) of the text: what `source.fingerprint` holds.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.text)
    }

    /// The first line, for messages.
    pub fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("")
    }
}

pub fn fingerprint(text: &str) -> String {
    format!("{:016x}", fnv1a(FNV_OFFSET, text.as_bytes()))
}

/// The command a prompt line starts, if it is one.
fn prompt(line: &str) -> Option<&str> {
    if line == "$" {
        Some("")
    } else {
        line.strip_prefix("$ ")
    }
}

/// A heredoc whose delimiter line never comes before its block ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Unclosed {
    /// The block line (an index into its body) that opens it.
    pub line: usize,
    pub heredoc: Heredoc,
}

/// The commands of a block whose first line is page line `first_line`.
pub fn commands(body: &[String], first_line: usize, raw: bool) -> Result<Vec<Command>, Unclosed> {
    if raw {
        let end = body
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .map_or(0, |i| i + 1);
        let start = body.iter().position(|l| !l.trim().is_empty()).unwrap_or(end);
        if start == end {
            return Ok(Vec::new());
        }
        return Ok(vec![Command {
            line: first_line + start,
            lines: start..end,
            text: body[start..end].join("\n"),
            output: Vec::new(),
        }]);
    }
    let mut out: Vec<Command> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let Some(first) = prompt(&body[i]) else {
            if let Some(last) = out.last_mut() {
                last.output.push(body[i].clone());
            }
            i += 1;
            continue;
        };
        let start = i;
        let mut text = vec![first.to_string()];
        // Where the heredocs are in the block's line, its prompt included.
        let prompt_len = body[i].len() - first.len();
        let mut pending: Vec<(usize, Heredoc)> = heredocs(first)
            .into_iter()
            .map(|mut h| {
                h.at = h.at.start + prompt_len..h.at.end + prompt_len;
                (i, h)
            })
            .collect();
        i += 1;
        // The line continues while it ends in `\`; its heredocs' lines
        // come after the whole line.
        while text.last().is_some_and(|l| l.ends_with('\\')) && i < body.len() {
            pending.extend(heredocs(&body[i]).into_iter().map(|h| (i, h)));
            text.push(body[i].clone());
            i += 1;
        }
        for (opened, doc) in pending {
            let mut closed = false;
            while i < body.len() && !closed {
                let line = &body[i];
                text.push(line.clone());
                i += 1;
                closed = doc.ends_at(line);
            }
            if !closed {
                return Err(Unclosed {
                    line: opened,
                    heredoc: doc,
                });
            }
        }
        out.push(Command {
            line: first_line + start,
            lines: start..i,
            text: text.join("\n"),
            output: Vec::new(),
        });
    }
    for c in &mut out {
        trim_blank(&mut c.output);
    }
    Ok(out)
}

fn trim_blank(lines: &mut Vec<String>) {
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let lead = lines.iter().take_while(|l| l.trim().is_empty()).count();
    lines.drain(..lead);
}

/// A heredoc opened on a command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Heredoc {
    pub delimiter: String,
    /// Where the operator (`<<`) starts in its line, in bytes, and how
    /// many bytes it takes with its delimiter (`<<'EOF'`: 7).
    pub at: std::ops::Range<usize>,
    /// `<<-`: leading tabs are removed from its lines, the delimiter's too.
    pub strip_tabs: bool,
    /// Written exactly `<<EOF`, the only form the workshop's harness knows.
    pub plain_eof: bool,
}

impl Heredoc {
    fn ends_at(&self, line: &str) -> bool {
        let line = if self.strip_tabs {
            line.trim_start_matches('\t')
        } else {
            line
        };
        line.trim_end() == self.delimiter
    }
}

/// The heredocs a line opens, in order, outside quotes (`<<<` is a
/// here-string, not a heredoc).
pub fn heredocs(line: &str) -> Vec<Heredoc> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    i += 1;
                }
                i += 1;
                continue;
            }
            None if c == '\\' => {
                i += 2;
                continue;
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                i += 1;
                continue;
            }
            None => {}
        }
        if c == '<' && chars.get(i + 1) == Some(&'<') {
            if chars.get(i + 2) == Some(&'<') {
                i += 3;
                continue;
            }
            let op_start = i;
            let mut j = i + 2;
            let strip_tabs = chars.get(j) == Some(&'-');
            if strip_tabs {
                j += 1;
            }
            while chars.get(j).is_some_and(|c| *c == ' ' || *c == '\t') {
                j += 1;
            }
            let mut delimiter = String::new();
            while let Some(&d) = chars.get(j) {
                match d {
                    '\'' | '"' => {
                        j += 1;
                        while let Some(&e) = chars.get(j) {
                            j += 1;
                            if e == d {
                                break;
                            }
                            delimiter.push(e);
                        }
                    }
                    '\\' => {
                        if let Some(&e) = chars.get(j + 1) {
                            delimiter.push(e);
                        }
                        j += 2;
                    }
                    _ if d.is_whitespace() || ";|&<>()".contains(d) => break,
                    _ => {
                        delimiter.push(d);
                        j += 1;
                    }
                }
            }
            if !delimiter.is_empty() {
                let written: String = chars[op_start..j].iter().collect();
                let start: usize = chars[..op_start].iter().map(|c| c.len_utf8()).sum();
                out.push(Heredoc {
                    plain_eof: written == "<<EOF",
                    at: start..start + written.len(),
                    delimiter,
                    strip_tabs,
                });
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn prompts_continuations_and_output() {
        let body = lines(
            "$ aws iam get-role \\\n  --role-name x\n{\n  \"Role\": {}\n}\n\n$ kubectl get pods\nNAME  READY\n$ true",
        );
        let c = commands(&body, 10, false).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].text, "aws iam get-role \\\n  --role-name x");
        assert_eq!((c[0].line, c[0].lines.clone()), (10, 0..2));
        assert_eq!(
            c[0].output,
            ["{", "  \"Role\": {}", "}"],
            "no trailing blank line"
        );
        assert_eq!((c[1].line, c[1].text.as_str()), (16, "kubectl get pods"));
        assert_eq!(c[1].output, ["NAME  READY"]);
        assert!(c[2].output.is_empty());
    }

    #[test]
    fn output_before_any_command_belongs_to_none() {
        let c = commands(&lines("just output\n$ echo"), 1, false).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!((c[0].line, c[0].text.as_str()), (2, "echo"));
        assert!(
            commands(&lines("no prompt at all\n$x"), 1, false)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn heredocs_take_their_lines_whatever_the_delimiter() {
        let body = lines(
            "$ cat <<'EOF' | kubectl apply -f -\nkind: X\n\n$ not a prompt\nEOF\nservice/x created\n$ cat <<-END > f\n\tline\n\tEND\n$ cat <<EOF\n$ x\nEOF",
        );
        let c = commands(&body, 1, false).unwrap();
        assert_eq!(c.len(), 3, "{c:#?}");
        assert_eq!(
            c[0].text,
            "cat <<'EOF' | kubectl apply -f -\nkind: X\n\n$ not a prompt\nEOF"
        );
        assert_eq!(c[0].output, ["service/x created"]);
        assert_eq!(c[1].text, "cat <<-END > f\n\tline\n\tEND");
        assert_eq!(c[2].text, "cat <<EOF\n$ x\nEOF");
    }

    #[test]
    fn a_heredoc_starts_after_the_whole_line() {
        let body = lines("$ kubectl apply \\\n  -f - <<EOF\na: 1\nEOF\nok");
        let c = commands(&body, 1, false).unwrap();
        assert_eq!(c[0].text, "kubectl apply \\\n  -f - <<EOF\na: 1\nEOF");
        assert_eq!(c[0].output, ["ok"]);
        let body = lines("$ cat <<EOF \\\n  | kubectl apply -f -\na: 1\nEOF\nok");
        let c = commands(&body, 1, false).unwrap();
        assert_eq!(c[0].text, "cat <<EOF \\\n  | kubectl apply -f -\na: 1\nEOF");
        assert_eq!(c[0].output, ["ok"]);
    }

    #[test]
    fn an_unclosed_heredoc_is_an_error_at_its_line() {
        let body = lines("$ echo ok\n$ kubectl apply \\\n  -f - <<'EOF'\nkind: X\n$ next");
        let e = commands(&body, 1, false).unwrap_err();
        assert_eq!(e.line, 2, "the line that opens it");
        assert_eq!(e.heredoc.delimiter, "EOF");
        assert_eq!(&body[2][e.heredoc.at.clone()], "<<'EOF'");
        let body = lines("$ cat <<-END | kubectl apply -f -\nkind: X");
        let e = commands(&body, 1, false).unwrap_err();
        assert_eq!((e.line, &body[0][e.heredoc.at.clone()]), (0, "<<-END"));
        assert!(commands(&lines("$ cat <<EOF\nEOF"), 1, false).is_ok());
        assert!(
            commands(&lines("$ cat <<EOF\nx"), 1, true).is_ok(),
            "a raw block is one command, read as it is"
        );
    }

    #[test]
    fn heredoc_forms() {
        let h = heredocs("cat <<EOF > a; cat << 'END' | x; cat <<-\"Z\" <<< here 'a <<B' \\<<C");
        let shown: Vec<_> = h
            .iter()
            .map(|d| (d.delimiter.as_str(), d.strip_tabs, d.plain_eof))
            .collect();
        assert_eq!(
            shown,
            [("EOF", false, true), ("END", false, false), ("Z", true, false)]
        );
    }

    #[test]
    fn raw_blocks_are_one_command() {
        let c = commands(&lines("\nfor i in 1 2; do\n  echo $i\ndone\n\n"), 5, true).unwrap();
        assert_eq!(c.len(), 1);
        assert_eq!(
            (c[0].line, c[0].text.as_str()),
            (6, "for i in 1 2; do\n  echo $i\ndone")
        );
        assert!(commands(&lines("\n"), 1, true).unwrap().is_empty());
    }

    #[test]
    fn fingerprints_are_stable_hex() {
        assert_eq!(fingerprint(""), "cbf29ce484222325");
        assert_eq!(fingerprint("a"), "af63dc4c8601ec8c");
        assert_ne!(fingerprint("kubectl get pods"), fingerprint("kubectl get pod"));
    }
}
