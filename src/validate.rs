//! Checks what can be known before running (stub, to be written).
use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::Workflow;

/// Parses and validates a workflow file: every error of the file, in order.
pub fn check_file(file: &SourceFile) -> Result<Workflow, Vec<Diagnostic>> {
    crate::format::parse(file)
}
