//! Errors about a workflow file: a message, where it is, and a hint.
//!
//! Rendered with miette: the file, line and column, the offending snippet
//! with a caret, and the hint. Every error of a file is reported, in order.

use std::path::PathBuf;
use std::sync::Arc;

use crate::format::ast::Span;

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
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
