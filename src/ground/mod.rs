//! The ground floor: concepts every other module builds on, importing
//! nothing from the floors above (see ARCHITECTURE.md and tests/layers.rs).
//!
//! - [`clock`]: real or virtual time;
//! - [`span`]: where a value was written;
//! - [`port`]: how the engine hands an action to a backend, and what comes
//!   back (results, errors, the run's mode);
//! - [`atomic_file`]: replacing a file so that no reader sees half of it;
//! - [`regular_file`]: reading an input file: regular files only, up to a
//!   limit;
//! - [`redact`]: the one redactor of everything that leaves the process;
//! - [`hash`]: FNV-1a, a hash stable enough to write to files;
//! - [`json`]: JSON with its keys sorted, where text must not depend on the
//!   order members came in;
//! - [`names`]: the known names closest to a mistyped one.

pub mod atomic_file;
pub mod clock;
pub mod hash;
pub mod json;
pub mod names;
pub mod port;
pub mod redact;
pub mod regular_file;
pub mod span;
