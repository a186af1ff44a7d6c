//! TOML to AST (stub, to be written).
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::Workflow;

/// Parses a workflow file, reporting every error it finds, in source order.
pub fn parse(file: &SourceFile) -> Result<Workflow, Vec<Diagnostic>> {
    let _ = file;
    Err(vec![Diagnostic::whole_file("parser not written yet")])
}
