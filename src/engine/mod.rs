//! The engine: runs a planned workflow's steps through a backend.

pub mod backoff;
pub mod capture;
pub mod check;
pub mod event;
pub mod outcome;
pub mod plan;
pub mod predicate;
pub mod run;
pub mod step;
pub mod vars;
