//! The transport of `http` steps: one request, one answer, no redirects
//! (following them is the backend's business, so that a recording holds
//! every hop).

use crate::ground::port::{ActionError, BoxFuture};

/// One HTTP request.
#[derive(Clone, Copy, Debug)]
pub struct HttpCall<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: &'a [(String, String)],
    pub body: Option<&'a str>,
    /// The largest body accepted: a longer one is an error, read no
    /// further. None: any.
    pub max_body: Option<usize>,
}

/// One answer on the wire, before it becomes a step's output.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

pub trait HttpTransport: Send + Sync {
    /// The answer to `call`; an error when none came (DNS, refused, TLS,
    /// or a replay with no recorded answer).
    fn send<'a>(&'a self, call: HttpCall<'a>) -> BoxFuture<'a, Result<Answer, ActionError>>;
}
