//! Helpers of the parser's tests.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::Workflow;
use crate::format::parse::parse;

pub fn file(text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from("t.toml"),
        text: Arc::from(text),
    }
}

pub fn ok(text: &str) -> Workflow {
    match parse(&file(text)) {
        Ok(w) => w,
        Err(d) => panic!("{d:#?}"),
    }
}

pub fn errs(text: &str) -> Vec<Diagnostic> {
    parse(&file(text)).expect_err("an error")
}

pub const HEAD: &str = "[workflow]\nname = \"t\"\n";
