//! The workflow format: the AST with positions, the parser that builds it
//! from TOML, the key reference that drives both the parser and the JSON
//! Schema, and `${NAME}` templates.

pub mod ast;
pub mod keys;
pub mod parse;
pub mod schema;

// Templates moved down a floor (the command words use them too).
pub use crate::template;

pub use ast::Workflow;
pub use parse::parse;
