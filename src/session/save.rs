//! What a run leaves behind: recordings and reports, both written
//! atomically so that an interrupted run never leaves half a file.

use std::path::Path;

use crate::recording::Recorder;
use crate::report::{self, RunReport};
use crate::session::options::Options;

/// Writes a recording; an interrupted run keeps the previous one. Returns
/// what became of it, for the workflow's report and the run's notes.
pub fn recording(recorder: &Recorder, path: &Path, interrupted: bool) -> String {
    if interrupted {
        return format!(
            "recording not written (interrupted): {} is unchanged",
            path.display()
        );
    }
    let recording = recorder.finish();
    match recording.save(path) {
        Ok(()) => format!(
            "recording written: {} ({} exchanges)",
            path.display(),
            recording.exchanges.len()
        ),
        Err(e) => format!("error: recording not written: {e}"),
    }
}

/// Writes the reports the options ask for.
pub fn reports(options: &Options, run: &RunReport<'_>) -> Result<(), String> {
    let write = |path: &Path, result: std::io::Result<()>| {
        result.map_err(|e| format!("cannot write the report {}: {e}", path.display()))
    };
    if let Some(path) = &options.report_json {
        write(path, report::json::write(path, run))?;
    }
    if let Some(path) = &options.report_junit {
        write(path, report::junit::write(path, run))?;
    }
    if let Some(path) = &options.report_html {
        write(path, report::html::write(path, run))?;
    }
    Ok(())
}
