//! `aws …` and `kubectl …` lines as pasted from a tutorial: split into
//! words and parsed into typed commands, or refused with a message.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rehearse::action::line;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // `file://` values are read from a folder that does not exist.
    let _ = line::aws(text, Path::new("/nonexistent-fuzz-dir"));
    let _ = line::kubectl(text);
});
