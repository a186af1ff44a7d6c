//! One invocation of `rehearse run`: which workflows run, how, and what is
//! left of them afterwards.

pub mod parallel;
pub mod shard;
