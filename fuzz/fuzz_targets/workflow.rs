//! A workflow file, parsed and validated: any bytes give a workflow or
//! diagnostics that render, never a panic; and reading it in parts (its
//! head, then its steps a batch at a time) gives what parsing it at once
//! gives; and validating it without keeping its steps (`rehearse
//! validate`) finds what validating it and keeping them finds.
#![no_main]

use std::path::PathBuf;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use rehearse::diagnostic::{self, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile {
        path: PathBuf::from("fuzz.toml"),
        text: Arc::from(text),
    };
    let parts = rehearse::format::parse::parse_partial(&file);
    let whole = rehearse::format::parse::parse_whole(&file);
    assert_eq!(format!("{parts:?}"), format!("{whole:?}"), "read in parts, then at once");
    let kept = rehearse::validate::check_file(&file);
    let summed = rehearse::validate::summarize(&file);
    match (&kept, &summed) {
        (Ok(w), Ok(s)) => assert_eq!((w.steps.len(), w.finally.len()), (s.steps, s.finally)),
        (Err(a), Err(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "kept, then not"),
        _ => panic!("kept: {kept:?}, not kept: {summed:?}"),
    }
    if let Err(diags) = kept {
        let _ = diagnostic::render(&file, &diags, false);
    }
});
