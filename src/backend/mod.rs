//! Backends carry out a step's action and return its output as JSON.
//!
//! The engine knows nothing of shells, AWS or Kubernetes: it hands a
//! filled-in action to a backend through the port (`ground::port`) and
//! checks what comes back. Cancellation is by drop: a backend must clean
//! up (kill its processes) when its future is dropped at a deadline or on
//! a signal.
//!
//! Backends reach the world through transports (`crate::transport`): the
//! live ones are here ([`live`]); recording and replay wrap or replace
//! them, and no backend can tell which it has.

pub mod aws;
pub mod cli;
pub mod dispatch;
pub mod http;
pub mod kube;
pub mod live;
pub mod shell;
