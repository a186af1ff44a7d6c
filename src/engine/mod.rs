//! The engine: runs a planned workflow's steps through a backend.

pub mod capture;
pub mod check;
pub mod outcome;
pub mod predicate;
pub mod template;
pub mod vars;
