//! `aws eks wait <waiter>`: the CLI's waiters (botocore's `waiters-2.json`
//! for EKS), as data. Validation lowers a waiter into a wait on the
//! underlying describe operation (`validate::lower_waiters`): its success
//! states become `until` checks, its failure states and any unexpected
//! error `fail-if` checks, and the CLI's delay times attempts its timeout;
//! the engine then polls it like any other wait.

use std::time::Duration;

#[derive(Debug, PartialEq, Eq)]
pub struct Waiter {
    /// The CLI name: `addon-active`.
    pub name: &'static str,
    /// The name botocore gives it, as the CLI's failures say it: `AddonActive`.
    pub api: &'static str,
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

const fn path(path: &'static str, expected: &'static str) -> Matcher {
    Matcher::PathEquals { path, expected }
}

const NOT_FOUND: Matcher = Matcher::ErrorCode("ResourceNotFoundException");

pub static EKS_WAITERS: &[Waiter] = &[
    Waiter {
        name: "addon-active",
        api: "AddonActive",
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
        api: "AddonDeleted",
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
        api: "ClusterActive",
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
        api: "ClusterDeleted",
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
        api: "NodegroupActive",
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
        api: "NodegroupDeleted",
        operation: "describe-nodegroup",
        delay: Duration::from_secs(30),
        max_attempts: 40,
        acceptors: &[
            Acceptor::Failure(path("nodegroup.status", "DELETE_FAILED")),
            Acceptor::Success(NOT_FOUND),
        ],
    },
    Waiter {
        name: "fargate-profile-active",
        api: "FargateProfileActive",
        operation: "describe-fargate-profile",
        delay: Duration::from_secs(10),
        max_attempts: 60,
        acceptors: &[
            Acceptor::Failure(path("fargateProfile.status", "CREATE_FAILED")),
            Acceptor::Success(path("fargateProfile.status", "ACTIVE")),
        ],
    },
    Waiter {
        name: "fargate-profile-deleted",
        api: "FargateProfileDeleted",
        operation: "describe-fargate-profile",
        delay: Duration::from_secs(30),
        max_attempts: 60,
        acceptors: &[
            Acceptor::Failure(path("fargateProfile.status", "DELETE_FAILED")),
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

    #[test]
    fn every_waiter_polls_a_known_operation() {
        for w in EKS_WAITERS {
            assert!(
                crate::action::aws::spec::Service::Eks
                    .operation(w.operation)
                    .is_some()
            );
        }
    }
}
