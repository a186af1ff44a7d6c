//! rehearse runs tutorial and workshop labs end to end from TOML workflow
//! files, against live AWS and Kubernetes or a recording of an earlier run.
//!
//! Data flows one way: `format` parses a file into an AST with positions,
//! `validate` checks what can be known before running, `engine::plan`
//! selects the steps, `engine` runs them through a `backend`, and `report`
//! renders the outcome. `session` owns one invocation of `run` (which
//! workflows, in which mode, how many at once, Ctrl-C, what is saved) and
//! tells `cli` everything through events.
//!
//! Backends reach the world through `transport`s: live ones, the live ones
//! wrapped by a `recording`'s recorder, or a recording's player; only the
//! session knows which.
//!
//! Floors, lowest first (a module imports only from the floors below; see
//! ARCHITECTURE.md, and tests/layers.rs, which enforces them): ground <
//! transport, query, template < action < diagnostic < format < validate,
//! import < engine, recording < backend < report < session < cli.

pub mod action;
pub mod backend;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod format;
pub mod ground;
pub mod import;
pub mod query;
pub mod recording;
pub mod report;
pub mod session;
pub mod template;
pub mod transport;
pub mod validate;
