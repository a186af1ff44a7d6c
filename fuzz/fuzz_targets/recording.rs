//! A recording file, loaded: any text gives a recording or an error with
//! its location, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rehearse::recording::Recording;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = Recording::parse(text, Path::new("fuzz.recording.yaml")) {
        let _ = e.to_string();
    }
});
