//! `rehearse import`: tutorial markdown, as the EKS Workshop writes it, into
//! a workflow that validates and reads well.
//!
//! Split by concept:
//! - `markdown`: a page (front matter, headings, admonitions, fences and
//!   their attributes);
//! - `block`: the commands of a `bash` block (prompts, continuations,
//!   heredocs, sample output) and their fingerprints;
//! - `harness`: where the workshop's own harness reads a block differently.

pub mod block;
pub mod harness;
pub mod markdown;
