//! Text for the terminal. A reader may go away at any time (`rehearse run
//! … | head -1`, a closed CI log): what cannot be written is dropped, and
//! the run goes on, runs its finally steps and writes its reports. The
//! standard `print!` family panics on a closed pipe instead.

use std::io::Write;

/// Writes `text` to stdout; a closed or broken stdout drops it.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Writes `text` to stderr; a closed or broken stderr drops it.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `text` and a newline on stdout.
pub fn out_line(text: &str) {
    out(&format!("{text}\n"));
}

/// `text` and a newline on stderr.
pub fn err_line(text: &str) {
    err(&format!("{text}\n"));
}
