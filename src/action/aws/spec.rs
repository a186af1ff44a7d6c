//! The operations `aws` steps can run: for each, the AWS CLI's name, the API
//! name, and its input members with the CLI flag that sets each one.
//!
//! Member names are the API's (`clusterName` for EKS, `RoleName` for IAM);
//! the flag is what the CLI derives from them (`--cluster-name`,
//! `--role-name`).

/// The shape of an input member, as far as the command line needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    String,
    Integer,
    /// A flag without a value: `--preserve` / `--no-preserve`.
    Boolean,
    /// `--x a b c`, repeated flags, or a JSON array.
    StringList,
    /// `--tags k1=v1,k2=v2` or a JSON object.
    StringMap,
    /// A structure: JSON, or shorthand `k=v,k=v` for its scalar fields.
    Struct(&'static [Field]),
    /// A list of structures: JSON, or one shorthand structure per word.
    StructList(&'static [Field]),
    /// Any other structure: JSON only.
    Json,
}

impl Ty {
    /// Lists and maps, whose repeated flags add up.
    pub fn is_collection(self) -> bool {
        matches!(self, Ty::StringList | Ty::StringMap | Ty::StructList(_))
    }
}

/// A field of a structure written in shorthand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// The API member name: `clusterName`, `RoleName`.
    pub name: &'static str,
    /// The CLI flag without its dashes: `cluster-name`, `role-name`.
    pub flag: &'static str,
    pub ty: Ty,
    pub required: bool,
}

/// How the CLI pages through a list operation (botocore's paginators).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: &'static str,
    pub result_key: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Operation {
    /// The CLI name: `describe-addon`.
    pub name: &'static str,
    /// The API name, as error messages give it: `DescribeAddon`.
    pub api: &'static str,
    pub members: &'static [Member],
    pub paging: Option<Paging>,
}

impl Operation {
    pub fn member(&self, name: &str) -> Option<&'static Member> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn member_by_flag(&self, flag: &str) -> Option<&'static Member> {
        self.members.iter().find(|m| m.flag == flag)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    Eks,
    Iam,
    Sts,
}

impl Service {
    pub const ALL: [Service; 3] = [Service::Eks, Service::Iam, Service::Sts];

    pub fn name(self) -> &'static str {
        match self {
            Service::Eks => "eks",
            Service::Iam => "iam",
            Service::Sts => "sts",
        }
    }

    pub fn from_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.name() == name)
    }

    pub fn operations(self) -> &'static [Operation] {
        match self {
            Service::Eks => EKS,
            Service::Iam => IAM,
            Service::Sts => STS,
        }
    }

    pub fn operation(self, name: &str) -> Option<&'static Operation> {
        self.operations().iter().find(|o| o.name == name)
    }
}

const fn req(name: &'static str, flag: &'static str, ty: Ty) -> Member {
    Member {
        name,
        flag,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, flag: &'static str, ty: Ty) -> Member {
    Member {
        name,
        flag,
        ty,
        required: false,
    }
}

const fn field(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}

const fn op(name: &'static str, api: &'static str, members: &'static [Member]) -> Operation {
    Operation {
        name,
        api,
        members,
        paging: None,
    }
}

const fn paged(
    name: &'static str,
    api: &'static str,
    members: &'static [Member],
    paging: Paging,
) -> Operation {
    Operation {
        name,
        api,
        members,
        paging: Some(paging),
    }
}

const fn eks_paging(result_key: &'static str) -> Paging {
    Paging {
        input_token: "nextToken",
        output_token: "nextToken",
        limit_key: "maxResults",
        result_key,
    }
}

const fn iam_paging(result_key: &'static str) -> Paging {
    Paging {
        input_token: "Marker",
        output_token: "Marker",
        limit_key: "MaxItems",
        result_key,
    }
}

use Ty::*;

const CLUSTER_NAME: Member = req("clusterName", "cluster-name", String);
const MAX_RESULTS: Member = opt("maxResults", "max-results", Integer);
const NEXT_TOKEN: Member = opt("nextToken", "next-token", String);
const TOKEN: Member = opt("clientRequestToken", "client-request-token", String);
const EKS_TAGS: Member = opt("tags", "tags", StringMap);
const ADDON_POD_IDENTITIES: Member = opt(
    "podIdentityAssociations",
    "pod-identity-associations",
    StructList(&[field("serviceAccount", String), field("roleArn", String)]),
);

pub static EKS: &[Operation] = &[
    op(
        "describe-cluster",
        "DescribeCluster",
        &[req("name", "name", String)],
    ),
    paged(
        "list-clusters",
        "ListClusters",
        &[MAX_RESULTS, NEXT_TOKEN, opt("include", "include", StringList)],
        eks_paging("clusters"),
    ),
    op(
        "create-addon",
        "CreateAddon",
        &[
            CLUSTER_NAME,
            req("addonName", "addon-name", String),
            opt("addonVersion", "addon-version", String),
            opt("serviceAccountRoleArn", "service-account-role-arn", String),
            opt("resolveConflicts", "resolve-conflicts", String),
            TOKEN,
            EKS_TAGS,
            opt("configurationValues", "configuration-values", String),
            ADDON_POD_IDENTITIES,
            opt(
                "namespaceConfig",
                "namespace-config",
                Struct(&[field("namespace", String)]),
            ),
        ],
    ),
    op(
        "describe-addon",
        "DescribeAddon",
        &[CLUSTER_NAME, req("addonName", "addon-name", String)],
    ),
    op(
        "delete-addon",
        "DeleteAddon",
        &[
            CLUSTER_NAME,
            req("addonName", "addon-name", String),
            opt("preserve", "preserve", Boolean),
        ],
    ),
    op(
        "update-addon",
        "UpdateAddon",
        &[
            CLUSTER_NAME,
            req("addonName", "addon-name", String),
            opt("addonVersion", "addon-version", String),
            opt("serviceAccountRoleArn", "service-account-role-arn", String),
            opt("resolveConflicts", "resolve-conflicts", String),
            TOKEN,
            opt("configurationValues", "configuration-values", String),
            ADDON_POD_IDENTITIES,
        ],
    ),
    paged(
        "list-addons",
        "ListAddons",
        &[CLUSTER_NAME, MAX_RESULTS, NEXT_TOKEN],
        eks_paging("addons"),
    ),
    paged(
        "describe-addon-versions",
        "DescribeAddonVersions",
        &[
            opt("kubernetesVersion", "kubernetes-version", String),
            MAX_RESULTS,
            NEXT_TOKEN,
            opt("addonName", "addon-name", String),
            opt("types", "types", StringList),
            opt("publishers", "publishers", StringList),
            opt("owners", "owners", StringList),
        ],
        eks_paging("addons"),
    ),
    op(
        "create-pod-identity-association",
        "CreatePodIdentityAssociation",
        &[
            CLUSTER_NAME,
            req("namespace", "namespace", String),
            req("serviceAccount", "service-account", String),
            req("roleArn", "role-arn", String),
            TOKEN,
            EKS_TAGS,
            opt("disableSessionTags", "disable-session-tags", Boolean),
            opt("targetRoleArn", "target-role-arn", String),
            opt("policy", "policy", String),
        ],
    ),
    op(
        "describe-pod-identity-association",
        "DescribePodIdentityAssociation",
        &[CLUSTER_NAME, req("associationId", "association-id", String)],
    ),
    op(
        "delete-pod-identity-association",
        "DeletePodIdentityAssociation",
        &[CLUSTER_NAME, req("associationId", "association-id", String)],
    ),
    paged(
        "list-pod-identity-associations",
        "ListPodIdentityAssociations",
        &[
            CLUSTER_NAME,
            opt("namespace", "namespace", String),
            opt("serviceAccount", "service-account", String),
            MAX_RESULTS,
            NEXT_TOKEN,
        ],
        eks_paging("associations"),
    ),
    paged(
        "list-nodegroups",
        "ListNodegroups",
        &[CLUSTER_NAME, MAX_RESULTS, NEXT_TOKEN],
        eks_paging("nodegroups"),
    ),
    op(
        "describe-nodegroup",
        "DescribeNodegroup",
        &[CLUSTER_NAME, req("nodegroupName", "nodegroup-name", String)],
    ),
    op(
        "update-nodegroup-config",
        "UpdateNodegroupConfig",
        &[
            CLUSTER_NAME,
            req("nodegroupName", "nodegroup-name", String),
            opt("labels", "labels", Json),
            opt("taints", "taints", Json),
            opt(
                "scalingConfig",
                "scaling-config",
                Struct(&[
                    field("minSize", Integer),
                    field("maxSize", Integer),
                    field("desiredSize", Integer),
                ]),
            ),
            opt(
                "updateConfig",
                "update-config",
                Struct(&[
                    field("maxUnavailable", Integer),
                    field("maxUnavailablePercentage", Integer),
                    field("updateStrategy", String),
                ]),
            ),
            TOKEN,
        ],
    ),
    paged(
        "list-access-entries",
        "ListAccessEntries",
        &[
            CLUSTER_NAME,
            opt("associatedPolicyArn", "associated-policy-arn", String),
            MAX_RESULTS,
            NEXT_TOKEN,
        ],
        eks_paging("accessEntries"),
    ),
];

const ROLE_NAME: Member = req("RoleName", "role-name", String);
const POLICY_ARN: Member = req("PolicyArn", "policy-arn", String);
/// `--tags Key=k,Value=v ...` of IAM's create operations.
const IAM_TAGS: Member = opt(
    "Tags",
    "tags",
    StructList(&[field("Key", String), field("Value", String)]),
);
const MARKER: Member = opt("Marker", "marker", String);

pub static IAM: &[Operation] = &[
    op("get-role", "GetRole", &[ROLE_NAME]),
    op("get-policy", "GetPolicy", &[POLICY_ARN]),
    op(
        "get-policy-version",
        "GetPolicyVersion",
        &[POLICY_ARN, req("VersionId", "version-id", String)],
    ),
    // `MaxItems` is not a flag: the CLI's `--max-items` is its own paging
    // option (not supported here); `--page-size` sets `MaxItems`.
    paged(
        "list-attached-role-policies",
        "ListAttachedRolePolicies",
        &[ROLE_NAME, opt("PathPrefix", "path-prefix", String), MARKER],
        iam_paging("AttachedPolicies"),
    ),
    paged(
        "list-role-policies",
        "ListRolePolicies",
        &[ROLE_NAME, MARKER],
        iam_paging("PolicyNames"),
    ),
    op(
        "get-role-policy",
        "GetRolePolicy",
        &[ROLE_NAME, req("PolicyName", "policy-name", String)],
    ),
    op(
        "create-role",
        "CreateRole",
        &[
            opt("Path", "path", String),
            ROLE_NAME,
            req("AssumeRolePolicyDocument", "assume-role-policy-document", String),
            opt("Description", "description", String),
            opt("MaxSessionDuration", "max-session-duration", Integer),
            opt("PermissionsBoundary", "permissions-boundary", String),
            IAM_TAGS,
        ],
    ),
    op("delete-role", "DeleteRole", &[ROLE_NAME]),
    op(
        "create-policy",
        "CreatePolicy",
        &[
            req("PolicyName", "policy-name", String),
            opt("Path", "path", String),
            req("PolicyDocument", "policy-document", String),
            opt("Description", "description", String),
            IAM_TAGS,
        ],
    ),
    op("delete-policy", "DeletePolicy", &[POLICY_ARN]),
    op("attach-role-policy", "AttachRolePolicy", &[ROLE_NAME, POLICY_ARN]),
    op("detach-role-policy", "DetachRolePolicy", &[ROLE_NAME, POLICY_ARN]),
];

pub static STS: &[Operation] = &[op("get-caller-identity", "GetCallerIdentity", &[])];

#[cfg(test)]
mod tests {
    use super::*;

    /// The flag is the CLI's transformation of the member name.
    #[test]
    fn flags_are_kebab_case_of_member_names() {
        for service in Service::ALL {
            for op in service.operations() {
                for m in op.members {
                    let mut kebab = std::string::String::new();
                    for (i, c) in m.name.chars().enumerate() {
                        if c.is_ascii_uppercase() {
                            if i > 0 {
                                kebab.push('-');
                            }
                            kebab.push(c.to_ascii_lowercase());
                        } else {
                            kebab.push(c);
                        }
                    }
                    assert_eq!(kebab, m.flag, "{} {}", service.name(), op.name);
                }
            }
        }
    }
}
