//! The engine: runs a planned workflow's steps through a backend.

pub mod outcome;
pub mod template;
pub mod vars;
