//! `aws` lines and tables as typed calls: the operation, its input members,
//! `--query` and the output options, parsed once at validation (see
//! [`parse`]) and filled in by the engine (see [`Call::fill`]).

mod call;
pub mod convert;
mod input;
pub mod kubeconfig;
pub mod ops;
mod options;
pub mod parse;
pub mod print;
mod shorthand;
pub mod spec;
pub mod waiters;

pub use call::{Call, Request};
pub use parse::{parse, parse_table};
pub use spec::Service;

#[cfg(test)]
mod tests;
