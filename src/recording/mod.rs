//! Recordings: the HTTP and process traffic of a run, written next to the
//! workflow as `<stem>.recording.yaml`, and the transports that record and
//! replay it.
//!
//! - [`format`]: the file (header, exchanges), loading with errors that
//!   point at a line, atomic saving;
//!   (what is scrubbed so that credentials never reach a file is
//!   `crate::ground::redact`, shared with the reports);
//! - [`results`]: step results, which a recording may hold instead of a
//!   step's exchanges, and the transport that answers attempts with them;
//! - [`scaffold`]: the skeleton of a workflow's reference recording;
//! - [`matcher`]: request keys and the [`Player`] that answers requests
//!   and attempts;
//! - [`Recorder`]: collects exchanges during a recorded run;
//! - the transports that record and replay, one module per kind of
//!   traffic ([`http`], [`process`], [`aws`]: `HttpClient`s for the AWS SDK,
//!   [`kube`]: kube clients), and [`transports`]: a [`Recorder`] and a
//!   [`Player`] as the transports of their mode (see `crate::transport`).

pub mod aws;
pub mod format;
pub mod http;
pub mod kube;
pub mod matcher;
pub mod process;
pub mod recorder;
pub mod results;
pub mod scaffold;
pub mod transports;

pub use self::format::{
    Capture, Exchange, Header, HttpExchange, ProcessExchange, RecordedRequest, RecordedResponse, Recording,
    RecordingError, path_for,
};
pub use self::matcher::{NoMatch, Player, RequestKey};
pub use self::recorder::Recorder;
pub use self::results::{ResultError, ResultErrorKind, StepResult};
