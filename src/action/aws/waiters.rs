//! `aws eks wait <waiter>`: the CLI's waiters (botocore's `waiters-2.json`
//! for EKS), as data. The engine polls the underlying describe operation
//! every `delay`, at most `max_attempts` times, and decides with the
//! acceptors in order: the first that matches ends the wait.

use std::time::Duration;

use serde_json::Value;

use crate::ground::port::ActionResult;

#[derive(Debug, PartialEq, Eq)]
pub struct Waiter {
    /// The CLI name: `addon-active`.
    pub name: &'static str,
    /// The CLI name of the operation it polls: `describe-addon`.
    pub operation: &'static str,
    pub delay: Duration,
    pub max_attempts: u32,
    pub acceptors: &'static [Acceptor],
}

#[derive(Debug, PartialEq, Eq)]
pub enum Acceptor {
    Success(Matcher),
    Failure(Matcher),
}

#[derive(Debug, PartialEq, Eq)]
pub enum Matcher {
    /// A JMESPath expression over the output equals the string.
    PathEquals {
        path: &'static str,
        expected: &'static str,
    },
    /// The call failed with this error code.
    ErrorCode(&'static str),
}

/// What one poll says about the wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitState {
    Success,
    Failure,
    Retry,
}

impl Matcher {
    /// Whether the matcher matches one result of the polled operation (its
    /// output, or its error with the `error.code` that `AwsBackend` puts in
    /// failures). Paths here are plain `a.b` member paths.
    pub fn matches(&self, result: &ActionResult) -> bool {
        match (self, result) {
            (Matcher::PathEquals { path, expected }, Ok(out)) => path
                .split('.')
                .try_fold(out, |v, key| v.get(key))
                .is_some_and(|v| v.as_str() == Some(expected)),
            (Matcher::ErrorCode(code), Err(e)) => e
                .output
                .as_ref()
                .and_then(|o| o.pointer("/error/code"))
                .and_then(Value::as_str)
                .is_some_and(|c| c == *code),
            _ => false,
        }
    }
}

impl Waiter {
    /// The state after one poll, the acceptors taken in order. Like the CLI,
    /// an error no acceptor expects fails the wait.
    pub fn state(&self, result: &ActionResult) -> WaitState {
        for acceptor in self.acceptors {
            match acceptor {
                Acceptor::Success(m) if m.matches(result) => return WaitState::Success,
                Acceptor::Failure(m) if m.matches(result) => return WaitState::Failure,
                _ => {}
            }
        }
        if result.is_err() {
            WaitState::Failure
        } else {
            WaitState::Retry
        }
    }
}

const fn path(path: &'static str, expected: &'static str) -> Matcher {
    Matcher::PathEquals { path, expected }
}

const NOT_FOUND: Matcher = Matcher::ErrorCode("ResourceNotFoundException");

pub static EKS_WAITERS: &[Waiter] = &[
    Waiter {
        name: "addon-active",
        operation: "describe-addon",
        delay: Duration::from_secs(10),
        max_attempts: 60,
        acceptors: &[
            Acceptor::Failure(path("addon.status", "CREATE_FAILED")),
            Acceptor::Failure(path("addon.status", "DEGRADED")),
            Acceptor::Success(path("addon.status", "ACTIVE")),
        ],
    },
    Waiter {
        name: "addon-deleted",
        operation: "describe-addon",
        delay: Duration::from_secs(10),
        max_attempts: 60,
        acceptors: &[
            Acceptor::Failure(path("addon.status", "DELETE_FAILED")),
            Acceptor::Success(NOT_FOUND),
        ],
    },
    Waiter {
        name: "cluster-active",
        operation: "describe-cluster",
        delay: Duration::from_secs(30),
        max_attempts: 40,
        acceptors: &[
            Acceptor::Failure(path("cluster.status", "DELETING")),
            Acceptor::Failure(path("cluster.status", "FAILED")),
            Acceptor::Success(path("cluster.status", "ACTIVE")),
        ],
    },
    Waiter {
        name: "cluster-deleted",
        operation: "describe-cluster",
        delay: Duration::from_secs(30),
        max_attempts: 40,
        acceptors: &[
            Acceptor::Failure(path("cluster.status", "ACTIVE")),
            Acceptor::Failure(path("cluster.status", "CREATING")),
            Acceptor::Failure(path("cluster.status", "PENDING")),
            Acceptor::Success(NOT_FOUND),
        ],
    },
    Waiter {
        name: "nodegroup-active",
        operation: "describe-nodegroup",
        delay: Duration::from_secs(30),
        max_attempts: 80,
        acceptors: &[
            Acceptor::Failure(path("nodegroup.status", "CREATE_FAILED")),
            Acceptor::Success(path("nodegroup.status", "ACTIVE")),
        ],
    },
    Waiter {
        name: "nodegroup-deleted",
        operation: "describe-nodegroup",
        delay: Duration::from_secs(30),
        max_attempts: 40,
        acceptors: &[
            Acceptor::Failure(path("nodegroup.status", "DELETE_FAILED")),
            Acceptor::Success(NOT_FOUND),
        ],
    },
];

pub fn eks_waiter(name: &str) -> Option<&'static Waiter> {
    EKS_WAITERS.iter().find(|w| w.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ground::port::ActionError;
    use serde_json::json;

    #[test]
    fn acceptors_decide_in_order() {
        let w = eks_waiter("addon-deleted").unwrap();
        let gone = Err(ActionError::failed(
            "x",
            Some(json!({"error": {"code": "ResourceNotFoundException"}})),
        ));
        assert_eq!(w.state(&gone), WaitState::Success);
        let deleting = Ok(json!({"addon": {"status": "DELETING"}}));
        assert_eq!(w.state(&deleting), WaitState::Retry);
        let failed = Ok(json!({"addon": {"status": "DELETE_FAILED"}}));
        assert_eq!(w.state(&failed), WaitState::Failure);
        let other = Err(ActionError::failed(
            "x",
            Some(json!({"error": {"code": "AccessDeniedException"}})),
        ));
        assert_eq!(w.state(&other), WaitState::Failure);

        let w = eks_waiter("addon-active").unwrap();
        assert_eq!(
            w.state(&Ok(json!({"addon": {"status": "ACTIVE"}}))),
            WaitState::Success
        );
        assert_eq!(
            w.state(&Ok(json!({"addon": {"status": "DEGRADED"}}))),
            WaitState::Failure
        );
    }

    #[test]
    fn every_waiter_polls_a_known_operation() {
        for w in EKS_WAITERS {
            assert!(super::super::spec::Service::Eks.operation(w.operation).is_some());
        }
    }
}
