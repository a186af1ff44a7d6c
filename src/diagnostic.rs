//! Errors about a workflow file: a message, where it is, and a hint.
//!
//! Rendered with miette: the file, line and column, the offending snippet
//! with a caret, and the hint. Every error of a file is reported, in order.

use std::path::PathBuf;
use std::sync::Arc;

use crate::ground::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub message: String,
    /// None for errors about the file as a whole (unreadable, not UTF-8).
    pub span: Option<Span>,
    /// A short text shown at the caret.
    pub label: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            message: message.into(),
            span: Some(span),
            label: None,
            hint: None,
        }
    }

    pub fn whole_file(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            span: None,
            label: None,
            hint: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A workflow file's text, shared by its AST and its diagnostics.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders a file's diagnostics for a terminal: each with its message, the
/// file, line and column, the snippet with the span underlined and labelled,
/// and the hint; then one line counting them. `color` adds ANSI colors.
pub fn render(file: &SourceFile, diags: &[Diagnostic], color: bool) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};

    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let name = file.path.display().to_string();
    let mut out = String::new();
    for d in diags {
        let report = Report {
            diag: d,
            source: miette::NamedSource::new(&name, file.text.clone()),
            span: d.span.as_ref().map(|s| clamp(&file.text, s)),
        };
        let mut one = String::new();
        let on_a_long_line = report.span.as_ref().is_some_and(|s| line_is_long(&file.text, s));
        // miette panics past column 65,535 and cannot read some spans: such
        // a diagnostic is shown plainly, with a short excerpt.
        if on_a_long_line || handler.render_report(&mut one, &report).is_err() {
            one = plain(file, &name, d, report.span.as_ref());
        }
        out.push_str(one.trim_end());
        out.push_str("\n\n");
    }
    out.push_str(&summary(file, diags.len()));
    out.push('\n');
    out
}

/// Lines longer than this get an excerpt instead of the whole line.
const LONG_LINE: usize = 400;

fn line_is_long(text: &str, span: &Span) -> bool {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.start..]
        .find('\n')
        .map_or(text.len(), |i| span.start + i);
    end - start > LONG_LINE
}

/// A diagnostic without miette: the message, `at file:line:col`, an
/// excerpt of at most 80 characters around the span, and the hint.
fn plain(file: &SourceFile, name: &str, d: &Diagnostic, span: Option<&Span>) -> String {
    let mut one = format!("  × {}\n", d.message);
    if let Some(span) = span {
        let (line, col) = file.line_col(span.start);
        one.push_str(&format!("  at {name}:{line}:{col}\n"));
        one.push_str(&format!("  near: {}\n", excerpt(&file.text, span)));
        if let Some(label) = d.label.as_deref().filter(|l| !l.is_empty()) {
            one.push_str(&format!("  {label}\n"));
        }
    }
    if let Some(hint) = &d.hint {
        one.push_str(&format!("  help: {hint}\n"));
    }
    one
}

/// Up to 40 characters either side of the span's start, on one line.
fn excerpt(text: &str, span: &Span) -> String {
    let before: String = text[..span.start]
        .chars()
        .rev()
        .take_while(|c| *c != '\n')
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[span.start..]
        .chars()
        .take_while(|c| *c != '\n')
        .take(40)
        .collect();
    format!("…{before}{after}…")
}

/// `workflows/x.toml: 3 errors`
pub fn summary(file: &SourceFile, count: usize) -> String {
    let s = if count == 1 { "" } else { "s" };
    format!("{}: {count} error{s}", file.path.display())
}

/// A span within the text and on character boundaries, whatever it was.
fn clamp(text: &str, span: &Span) -> Span {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let mut end = span.end.clamp(start, text.len());
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// A diagnostic as miette wants it.
struct Report<'a> {
    diag: &'a Diagnostic,
    source: miette::NamedSource<Arc<str>>,
    span: Option<Span>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.diag.fmt(f)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diag
            .hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.span
            .as_ref()
            .map(|_| &self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        let label = miette::LabeledSpan::new_primary_with_span(
            self.diag.label.clone(),
            (span.start, span.end - span.start),
        );
        Some(Box::new(std::iter::once(label)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from("dir/w.toml"),
            text: Arc::from(text),
        }
    }

    #[test]
    fn renders_message_location_label_hint_and_count() {
        let f = file("a = 1\nbé = 2\n");
        let d = Diagnostic::new("bad key", 6..9).label("here").hint("fix it");
        let out = render(&f, &[d.clone(), Diagnostic::whole_file("whole")], false);
        assert!(out.contains("× bad key"), "{out}");
        assert!(out.contains("dir/w.toml:2:1"), "{out}");
        assert!(out.contains("here"), "{out}");
        assert!(out.contains("help: fix it"), "{out}");
        assert!(out.contains("× whole"), "{out}");
        assert!(out.ends_with("dir/w.toml: 2 errors\n"), "{out}");
        assert_eq!(summary(&f, 1), "dir/w.toml: 1 error");
    }

    #[test]
    fn an_error_far_along_a_long_line_is_shown_with_an_excerpt() {
        let text = format!("run = \"{}\" bad = 1\n", "x".repeat(70_000));
        let f = file(&text);
        let at = text.find("bad").unwrap();
        let d = Diagnostic::new("unexpected key", at..at + 3).hint("remove it");
        let out = render(&f, &[d], false);
        assert!(out.contains("at dir/w.toml:1:70010"), "{out}");
        assert!(out.contains("xxxx\" bad = 1…"), "{out}");
        assert!(out.contains("help: remove it"), "{out}");
        assert!(out.len() < 400, "{out}");
    }

    #[test]
    fn spans_out_of_range_or_inside_a_character_do_not_panic() {
        let f = file("bé\n");
        let reversed = Span { start: 3, end: 1 };
        for span in [0..100, 2..2, 2..3, 50..60, reversed] {
            let out = render(&f, &[Diagnostic::new("x", span)], true);
            assert!(out.contains('x'));
        }
        let empty = file("");
        render(&empty, &[Diagnostic::new("x", 0..5)], false);
    }
}
