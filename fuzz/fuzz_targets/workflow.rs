//! A workflow file, parsed and validated: any bytes give a workflow or
//! diagnostics that render, never a panic.
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
    if let Err(diags) = rehearse::validate::check_file(&file) {
        let _ = diagnostic::render(&file, &diags, false);
    }
});
