//! Actions: what one attempt of a step does, every variable filled in.
//! The engine builds them from a step; backends carry them out.

pub mod arg;
pub mod aws;
pub mod kubectl;
pub mod process;
pub mod words;

/// An action with its variables substituted.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Run { script: String },
    Aws { command: String },
    Kubectl { command: String },
    Http(HttpRequest),
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
        }
    }

    /// The command as a person would read it in a report.
    pub fn command(&self) -> &str {
        match self {
            Action::Run { script } => script,
            Action::Aws { command } | Action::Kubectl { command } => command,
            Action::Http(h) => &h.line,
        }
    }
}

/// One attempt of a step, as the engine hands it to a backend.
pub type Request = crate::ground::port::Request<Action>;
