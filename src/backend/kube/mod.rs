//! Kubernetes steps: `kubectl <verb> …` run natively through kube-rs, with
//! the output `kubectl -o json` prints.

pub mod cli;
