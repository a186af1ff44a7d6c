//! A pasted command line split into words the way the shell splits it,
//! once, when the workflow is validated. `$NAME` and `${NAME}` stay inside
//! the word they were written in, as placeholders: filling one in later
//! can never add, remove or split a word, whatever the value holds.
//!
//! The shell's quoting rules apply: single quotes keep everything as it is
//! (`$HOME` stays `$HOME`, as in bash) except rehearse's own `${NAME}`
//! references, double quotes keep spaces and allow variables, a backslash
//! escapes the next character, and a backslash-newline continues the line.
//! `$$` is a literal `$`. Pipes,
//! redirections, `;`, `&`, subshells and backquotes need a shell: they are
//! refused, and the caller suggests a `run` step.

use crate::ground::span::{Node, Span};
use crate::template::{Part, content_offset, is_name, missing};

/// One word of a command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Word {
    /// Literal text and placeholders, in order; literal parts are never
    /// empty and never adjacent.
    pub parts: Vec<Part>,
    /// Where the word was written: exact when the TOML string was written
    /// without escapes, else the whole string.
    pub span: Span,
}

/// A command line as written, and its words.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The text as written (the TOML string's value).
    pub text: String,
    /// Where the string was written.
    pub span: Span,
    pub words: Vec<Word>,
    /// Where each placeholder sits in `text`, and its name: a report shows
    /// the line as written, with the values in place.
    holes: Vec<(std::ops::Range<usize>, String)>,
}

impl Line {
    /// The line as written, each placeholder replaced by its value.
    pub fn display(&self, value: &dyn Fn(&str) -> Option<String>) -> String {
        let mut out = String::new();
        let mut at = 0;
        for (range, name) in &self.holes {
            out.push_str(&self.text[at..range.start]);
            match value(name) {
                Some(v) => out.push_str(&v),
                None => out.push_str(&self.text[range.clone()]),
            }
            at = range.end;
        }
        out.push_str(&self.text[at..]);
        out
    }

    /// Every placeholder, in order.
    pub fn vars(&self) -> impl Iterator<Item = &Node<String>> {
        self.words.iter().flat_map(Word::vars)
    }
}

/// Why a command line cannot be split.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitError {
    pub message: String,
    pub hint: String,
    pub span: Span,
    /// The line uses shell syntax (a pipe, a redirection…): it needs a `run` step.
    pub needs_shell: bool,
}

impl Word {
    /// A word with no placeholders.
    pub fn literal(text: &str, span: Span) -> Word {
        let parts = if text.is_empty() {
            Vec::new()
        } else {
            vec![Part::Lit(text.to_string())]
        };
        Word { parts, span }
    }

    /// The text, when the word holds no placeholder.
    pub fn text(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(_) => return None,
            }
        }
        Some(out)
    }

    /// Whether the word is exactly this literal text.
    pub fn is(&self, text: &str) -> bool {
        self.text().is_some_and(|t| t == text)
    }

    pub fn has_placeholders(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var(_)))
    }

    /// The placeholders, in order.
    pub fn vars(&self) -> impl Iterator<Item = &Node<String>> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var(v) => Some(v),
            Part::Lit(_) => None,
        })
    }

    /// The literal text before the first placeholder.
    pub fn literal_prefix(&self) -> &str {
        match self.parts.first() {
            Some(Part::Lit(s)) => s,
            _ => "",
        }
    }

    /// The word as written, placeholders shown as `${NAME}`.
    pub fn source(&self) -> String {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Var(v) => format!("${{{}}}", v.value),
            })
            .collect()
    }

    /// Splits the word at the first `sep` found in its literal text before
    /// any placeholder (`--namespace=${NS}` at `=`): the text before it,
    /// and the rest as a word of its own.
    pub fn split_prefix(&self, sep: char) -> Option<(String, Word)> {
        let Some(Part::Lit(first)) = self.parts.first() else {
            return None;
        };
        let at = first.find(sep)?;
        let head = first[..at].to_string();
        let rest_text = &first[at + sep.len_utf8()..];
        let mut parts = Vec::new();
        if !rest_text.is_empty() {
            parts.push(Part::Lit(rest_text.to_string()));
        }
        parts.extend(self.parts[1..].iter().cloned());
        let offset = head.len() + sep.len_utf8();
        // Exact when the word's span is exactly its text (no quotes, no escapes).
        let span = if self.span.len() == self.source().len() {
            self.span.start + offset..self.span.end
        } else {
            self.span.clone()
        };
        Some((head, Word { parts, span }))
    }

    /// The text with each placeholder filled in by `value`.
    pub fn fill(&self, value: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(s) => out.push_str(s),
                Part::Var(v) => match value(&v.value) {
                    Some(text) => out.push_str(&text),
                    None => return Err(missing(&v.value)),
                },
            }
        }
        Ok(out)
    }
}

/// Splits `text`, the decoded value of the TOML string written at `span` in
/// `source`, into words.
pub fn split(text: &str, span: Span, source: &str) -> Result<Line, SplitError> {
    let mut lexer = Lexer {
        text,
        base: content_offset(text, &span, source),
        whole: span.clone(),
        words: Vec::new(),
        current: None,
        holes: Vec::new(),
    };
    lexer.run()?;
    lexer.words.shrink_to_fit();
    lexer.holes.shrink_to_fit();
    Ok(Line {
        text: text.to_string(),
        span,
        words: lexer.words,
        holes: lexer.holes,
    })
}

/// A word being read: its parts so far, and where it started.
struct Building {
    parts: Vec<Part>,
    lit: String,
    start: usize,
}

struct Lexer<'t> {
    text: &'t str,
    /// Where `text` starts in the file, when it was written verbatim.
    base: Option<usize>,
    whole: Span,
    words: Vec<Word>,
    current: Option<Building>,
    holes: Vec<(std::ops::Range<usize>, String)>,
}

impl Lexer<'_> {
    fn at(&self, from: usize, to: usize) -> Span {
        match self.base {
            Some(b) => b + from..b + to,
            None => self.whole.clone(),
        }
    }

    fn error(
        &self,
        from: usize,
        to: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> SplitError {
        SplitError {
            message: message.into(),
            hint: hint.into(),
            span: self.at(from, to),
            needs_shell: false,
        }
    }

    fn shell(&self, at: usize, what: &str) -> SplitError {
        SplitError {
            message: format!("shell syntax ({what}) in a command that rehearse runs without a shell"),
            hint: "pipes, redirections, `;`, `&&` and `$(…)` need a shell: write the line as a `run` step, \
                   or quote the character if it belongs to a value"
                .into(),
            span: self.at(at, at + 1),
            needs_shell: true,
        }
    }

    fn word(&mut self, at: usize) -> &mut Building {
        self.current.get_or_insert_with(|| Building {
            parts: Vec::new(),
            lit: String::new(),
            start: at,
        })
    }

    fn push_char(&mut self, at: usize, c: char) {
        self.word(at).lit.push(c);
    }

    fn end_word(&mut self, end: usize) {
        if let Some(mut w) = self.current.take() {
            if !w.lit.is_empty() {
                w.parts.push(Part::Lit(std::mem::take(&mut w.lit)));
            }
            let span = self.at(w.start, end);
            // Kept for the workflow's life, one per word of every line: a
            // grown vector would hold room for four parts where most have one.
            w.parts.shrink_to_fit();
            self.words.push(Word { parts: w.parts, span });
        }
    }

    fn run(&mut self) -> Result<(), SplitError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = text[i..].chars().next().unwrap_or_default();
            match c {
                ' ' | '\t' | '\n' | '\r' => {
                    self.end_word(i);
                    i += 1;
                }
                '\\' => i = self.backslash(i, false),
                '\'' => i = self.single_quoted(i)?,
                '"' => i = self.double_quoted(i)?,
                '$' => i = self.dollar(i)?,
                '|' | ';' | '&' | '<' | '>' | '(' | ')' | '`' => return Err(self.shell(i, &format!("`{c}`"))),
                '#' if self.current.is_none() => return Err(self.shell(i, "a `#` comment")),
                _ => {
                    self.push_char(i, c);
                    i += c.len_utf8();
                }
            }
        }
        self.end_word(bytes.len());
        Ok(())
    }

    /// A backslash at `i`: escapes the next character; before a newline it
    /// continues the line. In double quotes only `$`, `` ` ``, `"`, `\` and
    /// a newline are escaped, as in the shell.
    fn backslash(&mut self, i: usize, quoted: bool) -> usize {
        let Some(next) = self.text[i + 1..].chars().next() else {
            self.push_char(i, '\\');
            return i + 1;
        };
        if next == '\n' {
            return i + 2;
        }
        if quoted && !matches!(next, '$' | '`' | '"' | '\\') {
            self.push_char(i, '\\');
            return i + 1;
        }
        self.push_char(i, next);
        i + 1 + next.len_utf8()
    }

    /// Single quotes keep the text as it is, as in the shell, except for
    /// rehearse's own `${NAME}` references and `$$`: a tutorial's `$HOME` in
    /// single quotes stays `$HOME`, and a workflow can still put a value in
    /// a quoted JSON document.
    fn single_quoted(&mut self, open: usize) -> Result<usize, SplitError> {
        let Some(len) = self.text[open + 1..].find('\'') else {
            return Err(self.error(
                open,
                self.text.len(),
                "unclosed single quote",
                "close the quote with `'`",
            ));
        };
        self.word(open);
        let end = open + 1 + len;
        let mut i = open + 1;
        while i < end {
            let rest = &self.text[i..end];
            if rest.starts_with("$$") {
                self.push_char(i, '$');
                i += 2;
            } else if let Some(name) = braced_name(rest) {
                self.placeholder(i, name, i + name.len() + 3);
                i += name.len() + 3;
            } else {
                let c = rest.chars().next().unwrap_or_default();
                self.push_char(i, c);
                i += c.len_utf8();
            }
        }
        Ok(end + 1)
    }

    fn double_quoted(&mut self, open: usize) -> Result<usize, SplitError> {
        self.word(open);
        let mut i = open + 1;
        while let Some(c) = self.text[i..].chars().next() {
            match c {
                '"' => return Ok(i + 1),
                '\\' => i = self.backslash(i, true),
                '$' => i = self.dollar(i)?,
                '`' => return Err(self.shell(i, "a backquote")),
                _ => {
                    self.push_char(i, c);
                    i += c.len_utf8();
                }
            }
        }
        Err(self.error(
            open,
            self.text.len(),
            "unclosed double quote",
            "close the quote with `\"`",
        ))
    }

    /// A `$` at `i`: `$$`, `${NAME}`, `$NAME`, `$(`, or a literal `$`.
    fn dollar(&mut self, i: usize) -> Result<usize, SplitError> {
        let rest = &self.text[i + 1..];
        if rest.starts_with('$') {
            self.push_char(i, '$');
            return Ok(i + 2);
        }
        if rest.starts_with('(') {
            return Err(self.shell(i, "`$(…)`"));
        }
        if let Some(inner) = rest.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                return Err(self.error(
                    i,
                    self.text.len(),
                    "unclosed variable reference",
                    "write `${NAME}`, or `$$` for a literal `$`",
                ));
            };
            let name = &inner[..close];
            if !is_name(name) {
                return Err(self.error(
                    i,
                    i + 3 + close,
                    format!("`{name}` is not a variable name"),
                    "names are letters, digits and `_`, not starting with a digit; write `$$` for a literal `$`, \
                     or put the text in single quotes",
                ));
            }
            self.placeholder(i, name, i + 3 + close);
            return Ok(i + 3 + close);
        }
        let len = name_len(rest);
        if len == 0 {
            // `$` before anything else is literal, as in the shell.
            self.push_char(i, '$');
            return Ok(i + 1);
        }
        self.placeholder(i, &rest[..len], i + 1 + len);
        Ok(i + 1 + len)
    }

    fn placeholder(&mut self, start: usize, name: &str, end: usize) {
        self.holes.push((start..end, name.to_string()));
        let span = self.at(start, end);
        let w = self.word(start);
        if !w.lit.is_empty() {
            w.parts.push(Part::Lit(std::mem::take(&mut w.lit)));
        }
        w.parts.push(Part::Var(Node::new(name.to_string(), span)));
    }
}

/// The name of a `${NAME}` reference at the start of `s`, when it is one.
fn braced_name(s: &str) -> Option<&str> {
    let inner = s.strip_prefix("${")?;
    let name = &inner[..inner.find('}')?];
    is_name(name).then_some(name)
}

/// Length of the variable name at the start of `s` (0 if none).
fn name_len(s: &str) -> usize {
    s.char_indices()
        .take_while(|(i, c)| *c == '_' || c.is_ascii_alphabetic() || (*i > 0 && c.is_ascii_digit()))
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits a TOML basic string's content written verbatim in `src`.
    fn words(content: &str) -> Vec<Word> {
        let src = format!("\"{content}\"");
        split(content, 0..src.len(), &src).unwrap().words
    }

    fn texts(content: &str) -> Vec<String> {
        words(content).iter().map(Word::source).collect()
    }

    #[test]
    fn splits_like_the_shell() {
        assert_eq!(texts("get  pods -n x"), ["get", "pods", "-n", "x"]);
        assert_eq!(texts("a 'b c' \"d e\" f\\ g"), ["a", "b c", "d e", "f g"]);
        assert_eq!(texts("a''b \"\" ''"), ["ab", "", ""]);
        assert_eq!(texts("x \\\n y"), ["x", "y"]);
        assert_eq!(texts("\"a\\\"b\" 'a\\b'"), ["a\"b", "a\\b"]);
    }

    #[test]
    fn placeholders_stay_inside_their_word() {
        let w = words("get pod \"$EVIL\" -n ${NS}x 'lit $NOT ${aws:x}' $$HOME");
        assert_eq!(w.len(), 7);
        assert_eq!(
            w[2].vars().map(|v| v.value.as_str()).collect::<Vec<_>>(),
            ["EVIL"]
        );
        assert_eq!(w[2].parts.len(), 1);
        assert_eq!(w[4].source(), "${NS}x");
        assert_eq!(w[4].text(), None);
        assert_eq!(
            words("'lit $NOT ${aws:x}'")[0].text().as_deref(),
            Some("lit $NOT ${aws:x}")
        );
        assert_eq!(words("'{\"a\": \"${A}\"}'")[0].source(), "{\"a\": \"${A}\"}");
        assert!(words("'${A}'")[0].has_placeholders());
        assert_eq!(words("$$HOME")[0].text().as_deref(), Some("$HOME"));
        // A value full of quotes and flags is still one word.
        let evil = |_: &str| Some("x\" -n \"kube-system".to_string());
        assert_eq!(w[2].fill(&evil).unwrap(), "x\" -n \"kube-system");
    }

    #[test]
    fn placeholder_spans_are_exact() {
        let content = "get pod ${POD}";
        let src = format!("\"{content}\"");
        let w = split(content, 0..src.len(), &src).unwrap().words;
        let v = w[2].vars().next().unwrap();
        assert_eq!(&src[v.span.clone()], "${POD}");
        assert_eq!(&src[w[1].span.clone()], "pod");
    }

    #[test]
    fn shell_syntax_is_refused() {
        for line in [
            "get pods | grep x",
            "get pods > out",
            "a; b",
            "a && b",
            "echo $(date)",
            "echo `date`",
            "get pods # all",
        ] {
            let src = format!("\"{line}\"");
            let e = split(line, 0..src.len(), &src).unwrap_err();
            assert!(e.needs_shell, "{line}: {e:?}");
        }
        // Quoted, they are values.
        assert_eq!(
            texts("-p '{\"a\": \"b|c\"}' x#y"),
            ["-p", "{\"a\": \"b|c\"}", "x#y"]
        );
    }

    #[test]
    fn bad_quotes_and_references_are_errors() {
        for line in ["a 'b", "a \"b", "${A", "${1A}"] {
            let src = format!("\"{line}\"");
            let e = split(line, 0..src.len(), &src).unwrap_err();
            assert!(!e.needs_shell, "{line}");
        }
    }

    #[test]
    fn a_line_displays_as_written_with_its_values() {
        let content = "eks x --name $C --query 'a[?b == `$C`]' \"${C}-y\"";
        let src = format!("'{content}'");
        let line = split(content, 0..src.len(), &src).unwrap();
        let value = |_: &str| Some("v w".to_string());
        assert_eq!(
            line.display(&value),
            "eks x --name v w --query 'a[?b == `$C`]' \"v w-y\""
        );
        assert_eq!(line.vars().count(), 2);
    }

    #[test]
    fn split_prefix_keeps_the_placeholder_in_the_rest() {
        let w = &words("--namespace=${NS}-x")[0];
        let (flag, rest) = w.split_prefix('=').unwrap();
        assert_eq!(flag, "--namespace");
        assert_eq!(rest.source(), "${NS}-x");
        assert!(words("${A}=b")[0].split_prefix('=').is_none());
    }
}
