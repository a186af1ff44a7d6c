//! Helpers of the parser's tests.

use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, SourceFile};
use crate::format::ast::Workflow;
use crate::format::keys::Table;
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

/// The enum of a one-of group (`one_of_keys!`) has exactly the keys of the
/// group `what` of `table`, in order, and each of its keys names it.
pub fn assert_one_of_keys<E: Copy + PartialEq + std::fmt::Debug>(
    table: &Table,
    what: &str,
    all: &[E],
    key: fn(E) -> &'static str,
    named: fn(&str) -> Option<E>,
) {
    let group = table.one_of.iter().find(|g| g.what == what);
    let keys: Vec<_> = all.iter().map(|e| key(*e)).collect();
    assert_eq!(
        Some(keys.as_slice()),
        group.map(|g| g.keys),
        "{what} in {}",
        table.name
    );
    for e in all {
        assert_eq!(named(key(*e)), Some(*e));
    }
}
