//! Actions: what one attempt of a step does.
//!
//! `aws` and `kubectl` lines are parsed once, at validation, into typed
//! commands ([`aws::Call`], [`kubectl::Command`]) whose values may wait for
//! `${NAME}` placeholders; the engine fills them in for each attempt
//! ([`arg`]), and backends carry out the [`Action`] that results.

pub mod arg;
pub mod aws;
pub mod cli;
pub mod kubectl;
pub mod process;
pub mod words;

/// An action with every value filled in.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Run {
        script: String,
    },
    Aws {
        /// The line as written, values in place, for reports.
        line: String,
        request: aws::Request,
    },
    Kubectl {
        /// The line as written, values in place, for reports.
        line: String,
        command: kubectl::Command,
    },
    Http(HttpRequest),
    /// An `aws` or `kubectl` line rehearse does not run natively, run by the real CLI.
    Cli {
        /// The line as written, values in place, for reports.
        line: String,
        command: cli::Command,
    },
}

/// An HTTP request of an `http` step, variables substituted.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    /// `GET https://...`, for reports.
    pub line: String,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub follow_redirects: bool,
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::Run { .. } => "run",
            Action::Aws { .. } => "aws",
            Action::Kubectl { .. } => "kubectl",
            Action::Http(_) => "http",
            Action::Cli { command, .. } => command.tool.kind(),
        }
    }

    /// The command as a person would read it in a report.
    pub fn command(&self) -> &str {
        match self {
            Action::Run { script } => script,
            Action::Aws { line, .. } | Action::Kubectl { line, .. } | Action::Cli { line, .. } => line,
            Action::Http(h) => &h.line,
        }
    }
}

/// One attempt of a step, as the engine hands it to a backend.
pub type Request = crate::ground::port::Request<Action>;

/// A line written outside a workflow (a test, a benchmark, the account
/// check), split, parsed and filled in with no variables: what the engine
/// would hand a backend for it.
pub mod line {
    use std::path::Path;

    use super::arg::{CommandError, Context, Filler};
    use super::{aws, kubectl, words};

    fn split(text: &str) -> Result<words::Line, CommandError> {
        words::split(text, 0..0, "").map_err(|e| CommandError::new(e.message, e.hint))
    }

    fn no_vars(_: &str) -> Option<String> {
        None
    }

    /// `aws …` as a request; `file://` paths start at `dir`.
    pub fn aws(text: &str, dir: &Path) -> Result<aws::Request, CommandError> {
        let call = aws::parse(&split(text)?.words)?;
        call.fill(&Filler {
            value: &no_vars,
            context: Context { dir },
        })
    }

    /// `kubectl …` as a command.
    pub fn kubectl(text: &str) -> Result<kubectl::Command, CommandError> {
        let command = kubectl::parse(&split(text)?.words)?;
        command.fill(&Filler {
            value: &no_vars,
            context: Context { dir: Path::new(".") },
        })
    }
}
