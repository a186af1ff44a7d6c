//! EKS: the operations, and the shapes of their outputs as the CLI prints
//! them (wire member names, in the order of the API model).

use aws_sdk_eks::types as eks;

use super::{In, invalid, operations};
use crate::action::aws::convert::{cli_enum, cli_struct};
use crate::action::aws::spec::Ty::*;
use crate::action::aws::spec::{Field, Member, Operation, Paging, field, opt, req};
use crate::ground::port::ActionError;

const fn paging(result_key: &'static str) -> Paging {
    Paging {
        input_token: "nextToken",
        output_token: "nextToken",
        limit_key: "maxResults",
        result_key,
        non_aggregate: &[],
    }
}

const CLUSTER_NAME: Member = req("clusterName", "cluster-name", String);
const ADDON_NAME: Member = req("addonName", "addon-name", String);
const NODEGROUP_NAME: Member = req("nodegroupName", "nodegroup-name", String);
const MAX_RESULTS: Member = opt("maxResults", "max-results", Integer);
const NEXT_TOKEN: Member = opt("nextToken", "next-token", String);
const TOKEN: Member = opt("clientRequestToken", "client-request-token", String);
const TAGS: Member = opt("tags", "tags", StringMap);
const ADDON_VERSION: Member = opt("addonVersion", "addon-version", String);
const SERVICE_ACCOUNT_ROLE_ARN: Member = opt("serviceAccountRoleArn", "service-account-role-arn", String);
const RESOLVE_CONFLICTS: Member = opt("resolveConflicts", "resolve-conflicts", String);
const CONFIGURATION_VALUES: Member = opt("configurationValues", "configuration-values", String);
const ADDON_POD_IDENTITIES: Member = opt(
    "podIdentityAssociations",
    "pod-identity-associations",
    StructList(&[field("serviceAccount", String), field("roleArn", String)]),
);
const NAMESPACE_CONFIG: Member = opt(
    "namespaceConfig",
    "namespace-config",
    Struct(&[field("namespace", String)]),
);
const ASSOCIATION_ID: Member = req("associationId", "association-id", String);
const SCALING_CONFIG: Member = opt(
    "scalingConfig",
    "scaling-config",
    Struct(&[
        field("minSize", Integer),
        field("maxSize", Integer),
        field("desiredSize", Integer),
    ]),
);
const UPDATE_CONFIG: Member = opt(
    "updateConfig",
    "update-config",
    Struct(&[
        field("maxUnavailable", Integer),
        field("maxUnavailablePercentage", Integer),
        field("updateStrategy", String),
    ]),
);

const PRINCIPAL_ARN: Member = req("principalArn", "principal-arn", String);
const FARGATE_PROFILE_NAME: Member = req("fargateProfileName", "fargate-profile-name", String);
// Structures, their fields as the SDK calls below read them (and shorthand
// is read by).
const REMOTE_ACCESS: Member = opt(
    "remoteAccess",
    "remote-access",
    Struct(&[
        field("ec2SshKey", String),
        field("sourceSecurityGroups", StringList),
    ]),
);
const ACCESS_CONFIG: Member = opt(
    "accessConfig",
    "access-config",
    Struct(&[field("authenticationMode", String)]),
);
const UPGRADE_POLICY: Member = opt(
    "upgradePolicy",
    "upgrade-policy",
    Struct(&[field("supportType", String)]),
);
const ZONAL_SHIFT: Member = opt(
    "zonalShiftConfig",
    "zonal-shift-config",
    Struct(&[field("enabled", Boolean)]),
);
const ACCESS_SCOPE: Member = req(
    "accessScope",
    "access-scope",
    Struct(&[field("type", String), field("namespaces", StringList)]),
);
const SELECTORS: Member = opt(
    "selectors",
    "selectors",
    StructList(&[field("namespace", String), field("labels", StringMap)]),
);
const TAINT_FIELDS: &[Field] = &[
    field("key", String),
    field("value", String),
    field("effect", String),
];
const UPDATE_LABELS: Member = opt(
    "labels",
    "labels",
    Struct(&[
        field("addOrUpdateLabels", StringMap),
        field("removeLabels", StringList),
    ]),
);
const UPDATE_TAINTS: Member = opt(
    "taints",
    "taints",
    Struct(&[
        field("addOrUpdateTaints", StructList(TAINT_FIELDS)),
        field("removeTaints", StructList(TAINT_FIELDS)),
    ]),
);
const VPC_CONFIG: Member = opt(
    "resourcesVpcConfig",
    "resources-vpc-config",
    Struct(&[
        field("subnetIds", StringList),
        field("securityGroupIds", StringList),
        field("endpointPublicAccess", Boolean),
        field("endpointPrivateAccess", Boolean),
        field("publicAccessCidrs", StringList),
    ]),
);
const LOGGING: Member = opt(
    "logging",
    "logging",
    Struct(&[field(
        "clusterLogging",
        StructList(&[field("types", StringList), field("enabled", Boolean)]),
    )]),
);
const LAUNCH_TEMPLATE: Member = opt(
    "launchTemplate",
    "launch-template",
    Struct(&[
        field("name", String),
        field("version", String),
        field("id", String),
    ]),
);

operations! {
    client: eks;
    /// The EKS operations `aws` steps can run.
    pub static EKS = [
        "describe-cluster" DescribeCluster describe_cluster {
            req("name", "name", String), s => set_name;
        }
        "list-clusters" ListClusters list_clusters paged(paging("clusters")) {
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
            opt("include", "include", StringList), sl => set_include;
        }
        "create-addon" CreateAddon create_addon {
            CLUSTER_NAME, s => set_cluster_name;
            ADDON_NAME, s => set_addon_name;
            ADDON_VERSION, s => set_addon_version;
            SERVICE_ACCOUNT_ROLE_ARN, s => set_service_account_role_arn;
            RESOLVE_CONFLICTS, e => set_resolve_conflicts;
            TOKEN, s => set_client_request_token;
            TAGS, sm => set_tags;
            CONFIGURATION_VALUES, s => set_configuration_values;
            ADDON_POD_IDENTITIES, with(addon_pod_identities) => set_pod_identity_associations;
            NAMESPACE_CONFIG, with(namespace_config) => set_namespace_config;
        }
        "describe-addon" DescribeAddon describe_addon {
            CLUSTER_NAME, s => set_cluster_name;
            ADDON_NAME, s => set_addon_name;
        }
        "delete-addon" DeleteAddon delete_addon {
            CLUSTER_NAME, s => set_cluster_name;
            ADDON_NAME, s => set_addon_name;
            opt("preserve", "preserve", Boolean), b => set_preserve;
        }
        "update-addon" UpdateAddon update_addon {
            CLUSTER_NAME, s => set_cluster_name;
            ADDON_NAME, s => set_addon_name;
            ADDON_VERSION, s => set_addon_version;
            SERVICE_ACCOUNT_ROLE_ARN, s => set_service_account_role_arn;
            RESOLVE_CONFLICTS, e => set_resolve_conflicts;
            TOKEN, s => set_client_request_token;
            CONFIGURATION_VALUES, s => set_configuration_values;
            ADDON_POD_IDENTITIES, with(addon_pod_identities) => set_pod_identity_associations;
        }
        "list-addons" ListAddons list_addons paged(paging("addons")) {
            CLUSTER_NAME, s => set_cluster_name;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "describe-addon-versions" DescribeAddonVersions describe_addon_versions paged(paging("addons")) {
            opt("kubernetesVersion", "kubernetes-version", String), s => set_kubernetes_version;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
            opt("addonName", "addon-name", String), s => set_addon_name;
            opt("types", "types", StringList), sl => set_types;
            opt("publishers", "publishers", StringList), sl => set_publishers;
            opt("owners", "owners", StringList), sl => set_owners;
        }
        "create-pod-identity-association" CreatePodIdentityAssociation create_pod_identity_association {
            CLUSTER_NAME, s => set_cluster_name;
            req("namespace", "namespace", String), s => set_namespace;
            req("serviceAccount", "service-account", String), s => set_service_account;
            req("roleArn", "role-arn", String), s => set_role_arn;
            TOKEN, s => set_client_request_token;
            TAGS, sm => set_tags;
            opt("disableSessionTags", "disable-session-tags", Boolean), b => set_disable_session_tags;
            opt("targetRoleArn", "target-role-arn", String), s => set_target_role_arn;
            opt("policy", "policy", String), s => set_policy;
        }
        "describe-pod-identity-association" DescribePodIdentityAssociation describe_pod_identity_association {
            CLUSTER_NAME, s => set_cluster_name;
            ASSOCIATION_ID, s => set_association_id;
        }
        "delete-pod-identity-association" DeletePodIdentityAssociation delete_pod_identity_association {
            CLUSTER_NAME, s => set_cluster_name;
            ASSOCIATION_ID, s => set_association_id;
        }
        "list-pod-identity-associations" ListPodIdentityAssociations list_pod_identity_associations
            paged(paging("associations"))
        {
            CLUSTER_NAME, s => set_cluster_name;
            opt("namespace", "namespace", String), s => set_namespace;
            opt("serviceAccount", "service-account", String), s => set_service_account;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "list-nodegroups" ListNodegroups list_nodegroups paged(paging("nodegroups")) {
            CLUSTER_NAME, s => set_cluster_name;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "describe-nodegroup" DescribeNodegroup describe_nodegroup {
            CLUSTER_NAME, s => set_cluster_name;
            NODEGROUP_NAME, s => set_nodegroup_name;
        }
        "update-nodegroup-config" UpdateNodegroupConfig update_nodegroup_config {
            CLUSTER_NAME, s => set_cluster_name;
            NODEGROUP_NAME, s => set_nodegroup_name;
            UPDATE_LABELS, with(labels) => set_labels;
            UPDATE_TAINTS, with(taints) => set_taints;
            SCALING_CONFIG, with(scaling_config) => set_scaling_config;
            UPDATE_CONFIG, with(update_config) => set_update_config;
            TOKEN, s => set_client_request_token;
        }
        "describe-update" DescribeUpdate describe_update {
            req("name", "name", String), s => set_name;
            req("updateId", "update-id", String), s => set_update_id;
            opt("nodegroupName", "nodegroup-name", String), s => set_nodegroup_name;
            opt("addonName", "addon-name", String), s => set_addon_name;
            opt("capabilityName", "capability-name", String), s => set_capability_name;
        }
        "list-access-entries" ListAccessEntries list_access_entries paged(paging("accessEntries")) {
            CLUSTER_NAME, s => set_cluster_name;
            opt("associatedPolicyArn", "associated-policy-arn", String), s => set_associated_policy_arn;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "list-access-policies" ListAccessPolicies list_access_policies paged(paging("accessPolicies")) {
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "create-nodegroup" CreateNodegroup create_nodegroup {
            CLUSTER_NAME, s => set_cluster_name;
            NODEGROUP_NAME, s => set_nodegroup_name;
            SCALING_CONFIG, with(scaling_config) => set_scaling_config;
            opt("diskSize", "disk-size", Integer), i => set_disk_size;
            req("subnets", "subnets", StringList), sl => set_subnets;
            opt("instanceTypes", "instance-types", StringList), sl => set_instance_types;
            opt("amiType", "ami-type", String), e => set_ami_type;
            REMOTE_ACCESS, with(remote_access) => set_remote_access;
            req("nodeRole", "node-role", String), s => set_node_role;
            opt("labels", "labels", StringMap), sm => set_labels;
            opt("taints", "taints", StructList(TAINT_FIELDS)), with(taint_list) => set_taints;
            TAGS, sm => set_tags;
            TOKEN, s => set_client_request_token;
            LAUNCH_TEMPLATE, with(launch_template) => set_launch_template;
            UPDATE_CONFIG, with(update_config) => set_update_config;
            opt("capacityType", "capacity-type", String), e => set_capacity_type;
            opt("version", "version", String), s => set_version;
            opt("releaseVersion", "release-version", String), s => set_release_version;
        }
        "delete-nodegroup" DeleteNodegroup delete_nodegroup {
            CLUSTER_NAME, s => set_cluster_name;
            NODEGROUP_NAME, s => set_nodegroup_name;
        }
        "update-nodegroup-version" UpdateNodegroupVersion update_nodegroup_version {
            CLUSTER_NAME, s => set_cluster_name;
            NODEGROUP_NAME, s => set_nodegroup_name;
            opt("version", "version", String), s => set_version;
            opt("releaseVersion", "release-version", String), s => set_release_version;
            LAUNCH_TEMPLATE, with(launch_template) => set_launch_template;
            opt("force", "force", Boolean), b => set_force;
            TOKEN, s => set_client_request_token;
        }
        "list-updates" ListUpdates list_updates paged(paging("updateIds")) {
            req("name", "name", String), s => set_name;
            opt("nodegroupName", "nodegroup-name", String), s => set_nodegroup_name;
            opt("addonName", "addon-name", String), s => set_addon_name;
            opt("capabilityName", "capability-name", String), s => set_capability_name;
            NEXT_TOKEN, s => set_next_token;
            MAX_RESULTS, i => set_max_results;
        }
        "update-cluster-config" UpdateClusterConfig update_cluster_config {
            req("name", "name", String), s => set_name;
            VPC_CONFIG, with(vpc_config) => set_resources_vpc_config;
            LOGGING, with(logging) => set_logging;
            TOKEN, s => set_client_request_token;
            ACCESS_CONFIG, with(access_config) => set_access_config;
            UPGRADE_POLICY, with(upgrade_policy) => set_upgrade_policy;
            ZONAL_SHIFT, with(zonal_shift) => set_zonal_shift_config;
            opt("deletionProtection", "deletion-protection", Boolean), b => set_deletion_protection;
        }
        "create-access-entry" CreateAccessEntry create_access_entry {
            CLUSTER_NAME, s => set_cluster_name;
            PRINCIPAL_ARN, s => set_principal_arn;
            opt("kubernetesGroups", "kubernetes-groups", StringList), sl => set_kubernetes_groups;
            TAGS, sm => set_tags;
            TOKEN, s => set_client_request_token;
            opt("username", "username", String), s => set_username;
            opt("type", "type", String), s => set_type;
        }
        "describe-access-entry" DescribeAccessEntry describe_access_entry {
            CLUSTER_NAME, s => set_cluster_name;
            PRINCIPAL_ARN, s => set_principal_arn;
        }
        "delete-access-entry" DeleteAccessEntry delete_access_entry {
            CLUSTER_NAME, s => set_cluster_name;
            PRINCIPAL_ARN, s => set_principal_arn;
        }
        "associate-access-policy" AssociateAccessPolicy associate_access_policy {
            CLUSTER_NAME, s => set_cluster_name;
            PRINCIPAL_ARN, s => set_principal_arn;
            req("policyArn", "policy-arn", String), s => set_policy_arn;
            ACCESS_SCOPE, with(access_scope) => set_access_scope;
        }
        "disassociate-access-policy" DisassociateAccessPolicy disassociate_access_policy {
            CLUSTER_NAME, s => set_cluster_name;
            PRINCIPAL_ARN, s => set_principal_arn;
            req("policyArn", "policy-arn", String), s => set_policy_arn;
        }
        "list-associated-access-policies" ListAssociatedAccessPolicies list_associated_access_policies
            paged(Paging {
                non_aggregate: &["clusterName", "principalArn"],
                ..paging("associatedAccessPolicies")
            })
        {
            CLUSTER_NAME, s => set_cluster_name;
            PRINCIPAL_ARN, s => set_principal_arn;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "create-fargate-profile" CreateFargateProfile create_fargate_profile {
            FARGATE_PROFILE_NAME, s => set_fargate_profile_name;
            CLUSTER_NAME, s => set_cluster_name;
            req("podExecutionRoleArn", "pod-execution-role-arn", String), s => set_pod_execution_role_arn;
            opt("subnets", "subnets", StringList), sl => set_subnets;
            SELECTORS, with(selectors) => set_selectors;
            TOKEN, s => set_client_request_token;
            TAGS, sm => set_tags;
        }
        "describe-fargate-profile" DescribeFargateProfile describe_fargate_profile {
            CLUSTER_NAME, s => set_cluster_name;
            FARGATE_PROFILE_NAME, s => set_fargate_profile_name;
        }
        "delete-fargate-profile" DeleteFargateProfile delete_fargate_profile {
            CLUSTER_NAME, s => set_cluster_name;
            FARGATE_PROFILE_NAME, s => set_fargate_profile_name;
        }
        "list-fargate-profiles" ListFargateProfiles list_fargate_profiles paged(paging("fargateProfileNames")) {
            CLUSTER_NAME, s => set_cluster_name;
            MAX_RESULTS, i => set_max_results;
            NEXT_TOKEN, s => set_next_token;
        }
        "describe-capability" DescribeCapability describe_capability {
            CLUSTER_NAME, s => set_cluster_name;
            req("capabilityName", "capability-name", String), s => set_capability_name;
        }
        "describe-addon-configuration" DescribeAddonConfiguration describe_addon_configuration {
            ADDON_NAME, s => set_addon_name;
            req("addonVersion", "addon-version", String), s => set_addon_version;
        }
    ];
}

type Read<T> = Result<Option<T>, ActionError>;

fn addon_pod_identities(
    op: &Operation,
    i: In<'_>,
    name: &str,
) -> Read<Vec<eks::AddonPodIdentityAssociations>> {
    let Some(items) = i.objs(name) else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|p| {
            eks::AddonPodIdentityAssociations::builder()
                .set_service_account(p.s("serviceAccount"))
                .set_role_arn(p.s("roleArn"))
                .build()
                .map_err(|e| invalid(op, e))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn namespace_config(_: &Operation, i: In<'_>, name: &str) -> Read<eks::AddonNamespaceConfigRequest> {
    Ok(i.obj(name).map(|n| {
        eks::AddonNamespaceConfigRequest::builder()
            .set_namespace(n.s("namespace"))
            .build()
    }))
}

fn labels(_: &Operation, i: In<'_>, name: &str) -> Read<eks::UpdateLabelsPayload> {
    Ok(i.obj(name).map(|l| {
        eks::UpdateLabelsPayload::builder()
            .set_add_or_update_labels(l.sm("addOrUpdateLabels"))
            .set_remove_labels(l.sl("removeLabels"))
            .build()
    }))
}

fn taints(_: &Operation, i: In<'_>, name: &str) -> Read<eks::UpdateTaintsPayload> {
    let list = |t: In<'_>, key: &str| t.objs(key).map(|items| items.into_iter().map(taint).collect());
    Ok(i.obj(name).map(|t| {
        eks::UpdateTaintsPayload::builder()
            .set_add_or_update_taints(list(t, "addOrUpdateTaints"))
            .set_remove_taints(list(t, "removeTaints"))
            .build()
    }))
}

fn scaling_config(_: &Operation, i: In<'_>, name: &str) -> Read<eks::NodegroupScalingConfig> {
    Ok(i.obj(name).map(|s| {
        eks::NodegroupScalingConfig::builder()
            .set_min_size(s.i("minSize"))
            .set_max_size(s.i("maxSize"))
            .set_desired_size(s.i("desiredSize"))
            .build()
    }))
}

fn update_config(_: &Operation, i: In<'_>, name: &str) -> Read<eks::NodegroupUpdateConfig> {
    Ok(i.obj(name).map(|u| {
        eks::NodegroupUpdateConfig::builder()
            .set_max_unavailable(u.i("maxUnavailable"))
            .set_max_unavailable_percentage(u.i("maxUnavailablePercentage"))
            .set_update_strategy(u.e("updateStrategy"))
            .build()
    }))
}

fn taint(t: In<'_>) -> eks::Taint {
    eks::Taint::builder()
        .set_key(t.s("key"))
        .set_value(t.s("value"))
        .set_effect(t.e("effect"))
        .build()
}

fn taint_list(_: &Operation, i: In<'_>, name: &str) -> Read<Vec<eks::Taint>> {
    Ok(i.objs(name).map(|items| items.into_iter().map(taint).collect()))
}

fn remote_access(_: &Operation, i: In<'_>, name: &str) -> Read<eks::RemoteAccessConfig> {
    Ok(i.obj(name).map(|r| {
        eks::RemoteAccessConfig::builder()
            .set_ec2_ssh_key(r.s("ec2SshKey"))
            .set_source_security_groups(r.sl("sourceSecurityGroups"))
            .build()
    }))
}

fn launch_template(_: &Operation, i: In<'_>, name: &str) -> Read<eks::LaunchTemplateSpecification> {
    Ok(i.obj(name).map(|l| {
        eks::LaunchTemplateSpecification::builder()
            .set_name(l.s("name"))
            .set_version(l.s("version"))
            .set_id(l.s("id"))
            .build()
    }))
}

fn vpc_config(_: &Operation, i: In<'_>, name: &str) -> Read<eks::VpcConfigRequest> {
    Ok(i.obj(name).map(|v| {
        eks::VpcConfigRequest::builder()
            .set_subnet_ids(v.sl("subnetIds"))
            .set_security_group_ids(v.sl("securityGroupIds"))
            .set_endpoint_public_access(v.b("endpointPublicAccess"))
            .set_endpoint_private_access(v.b("endpointPrivateAccess"))
            .set_public_access_cidrs(v.sl("publicAccessCidrs"))
            .build()
    }))
}

fn logging(_: &Operation, i: In<'_>, name: &str) -> Read<eks::Logging> {
    Ok(i.obj(name).map(|l| {
        let setups = l.objs("clusterLogging").map(|items| {
            items
                .into_iter()
                .map(|s| {
                    let types = s
                        .sl("types")
                        .map(|ts| ts.iter().map(|t| eks::LogType::from(t.as_str())).collect());
                    eks::LogSetup::builder()
                        .set_types(types)
                        .set_enabled(s.b("enabled"))
                        .build()
                })
                .collect()
        });
        eks::Logging::builder().set_cluster_logging(setups).build()
    }))
}

fn access_config(_: &Operation, i: In<'_>, name: &str) -> Read<eks::UpdateAccessConfigRequest> {
    Ok(i.obj(name).map(|a| {
        eks::UpdateAccessConfigRequest::builder()
            .set_authentication_mode(a.e("authenticationMode"))
            .build()
    }))
}

fn upgrade_policy(_: &Operation, i: In<'_>, name: &str) -> Read<eks::UpgradePolicyRequest> {
    Ok(i.obj(name).map(|u| {
        eks::UpgradePolicyRequest::builder()
            .set_support_type(u.e("supportType"))
            .build()
    }))
}

fn zonal_shift(_: &Operation, i: In<'_>, name: &str) -> Read<eks::ZonalShiftConfigRequest> {
    Ok(i.obj(name).map(|z| {
        eks::ZonalShiftConfigRequest::builder()
            .set_enabled(z.b("enabled"))
            .build()
    }))
}

fn access_scope(_: &Operation, i: In<'_>, name: &str) -> Read<eks::AccessScope> {
    Ok(i.obj(name).map(|a| {
        eks::AccessScope::builder()
            .set_type(a.e("type"))
            .set_namespaces(a.sl("namespaces"))
            .build()
    }))
}

fn selectors(_: &Operation, i: In<'_>, name: &str) -> Read<Vec<eks::FargateProfileSelector>> {
    Ok(i.objs(name).map(|items| {
        items
            .into_iter()
            .map(|s| {
                eks::FargateProfileSelector::builder()
                    .set_namespace(s.s("namespace"))
                    .set_labels(s.sm("labels"))
                    .build()
            })
            .collect()
    }))
}

cli_enum!(
    eks::CapabilityType,
    eks::CapabilityStatus,
    eks::ArgoCdRole,
    eks::SsoIdentityType,
    eks::CapabilityIssueCode,
    eks::CapabilityDeletePropagationPolicy,
    eks::FargateProfileStatus,
    eks::FargateProfileIssueCode,
    eks::AccessScopeType,
    eks::ClusterStatus,
    eks::LogType,
    eks::ClusterIssueCode,
    eks::AuthenticationMode,
    eks::SupportType,
    eks::ProvisionedControlPlaneTier,
    eks::IpFamily,
    eks::AddonStatus,
    eks::AddonIssueCode,
    eks::UpdateStatus,
    eks::UpdateType,
    eks::UpdateParamType,
    eks::CancellationStatus,
    eks::ErrorCode,
    eks::NodegroupStatus,
    eks::CapacityTypes,
    eks::AmiTypes,
    eks::TaintEffect,
    eks::NodegroupIssueCode,
    eks::NodegroupUpdateStrategies,
    eks::RepairAction,
    eks::WarmPoolState,
);

// EKS structures, members in the order of the API model.
cli_struct! {
    eks::Cluster {
        "name" => name, "arn" => arn, "createdAt" => created_at, "version" => version,
        "endpoint" => endpoint, "roleArn" => role_arn,
        "resourcesVpcConfig" => resources_vpc_config,
        "kubernetesNetworkConfig" => kubernetes_network_config,
        "logging" => logging, "identity" => identity, "status" => status,
        "certificateAuthority" => certificate_authority,
        "clientRequestToken" => client_request_token,
        "platformVersion" => platform_version, "tags" => tags,
        "encryptionConfig" => encryption_config, "connectorConfig" => connector_config,
        "id" => id, "health" => health, "outpostConfig" => outpost_config,
        "accessConfig" => access_config, "upgradePolicy" => upgrade_policy,
        "zonalShiftConfig" => zonal_shift_config,
        "remoteNetworkConfig" => remote_network_config,
        "computeConfig" => compute_config, "storageConfig" => storage_config,
        "deletionProtection" => deletion_protection,
        "controlPlaneScalingConfig" => control_plane_scaling_config,
    }
    eks::VpcConfigResponse {
        "subnetIds" => subnet_ids, "securityGroupIds" => security_group_ids,
        "clusterSecurityGroupId" => cluster_security_group_id, "vpcId" => vpc_id,
        "endpointPublicAccess" => endpoint_public_access,
        "endpointPrivateAccess" => endpoint_private_access,
        "publicAccessCidrs" => public_access_cidrs,
    }
    eks::KubernetesNetworkConfigResponse {
        "serviceIpv4Cidr" => service_ipv4_cidr, "serviceIpv6Cidr" => service_ipv6_cidr,
        "ipFamily" => ip_family, "elasticLoadBalancing" => elastic_load_balancing,
    }
    eks::ElasticLoadBalancing { "enabled" => enabled }
    eks::Logging { "clusterLogging" => cluster_logging }
    eks::LogSetup { "types" => types, "enabled" => enabled }
    eks::Identity { "oidc" => oidc }
    eks::Oidc { "issuer" => issuer }
    eks::Certificate { "data" => data }
    eks::EncryptionConfig { "resources" => resources, "provider" => provider }
    eks::Provider { "keyArn" => key_arn }
    eks::ConnectorConfigResponse {
        "activationId" => activation_id, "activationCode" => activation_code,
        "activationExpiry" => activation_expiry, "provider" => provider, "roleArn" => role_arn,
    }
    eks::ClusterHealth { "issues" => issues }
    eks::ClusterIssue { "code" => code, "message" => message, "resourceIds" => resource_ids }
    eks::OutpostConfigResponse {
        "outpostArns" => outpost_arns,
        "controlPlaneInstanceType" => control_plane_instance_type,
        "controlPlanePlacement" => control_plane_placement,
    }
    eks::ControlPlanePlacementResponse { "groupName" => group_name }
    eks::AccessConfigResponse {
        "bootstrapClusterCreatorAdminPermissions" => bootstrap_cluster_creator_admin_permissions,
        "authenticationMode" => authentication_mode,
    }
    eks::UpgradePolicyResponse { "supportType" => support_type }
    eks::ZonalShiftConfigResponse { "enabled" => enabled }
    eks::RemoteNetworkConfigResponse {
        "remoteNodeNetworks" => remote_node_networks,
        "remotePodNetworks" => remote_pod_networks,
    }
    eks::RemoteNodeNetwork { "cidrs" => cidrs }
    eks::RemotePodNetwork { "cidrs" => cidrs }
    eks::ComputeConfigResponse {
        "enabled" => enabled, "nodePools" => node_pools, "nodeRoleArn" => node_role_arn,
    }
    eks::StorageConfigResponse { "blockStorage" => block_storage }
    eks::BlockStorage { "enabled" => enabled }
    eks::ControlPlaneScalingConfig { "tier" => tier }

    eks::Addon {
        "addonName" => addon_name, "clusterName" => cluster_name, "status" => status,
        "addonVersion" => addon_version, "health" => health, "addonArn" => addon_arn,
        "createdAt" => created_at, "modifiedAt" => modified_at,
        "serviceAccountRoleArn" => service_account_role_arn, "tags" => tags,
        "publisher" => publisher, "owner" => owner,
        "marketplaceInformation" => marketplace_information,
        "configurationValues" => configuration_values,
        "podIdentityAssociations" => pod_identity_associations,
        "namespaceConfig" => namespace_config,
    }
    eks::AddonHealth { "issues" => issues }
    eks::AddonIssue { "code" => code, "message" => message, "resourceIds" => resource_ids }
    eks::MarketplaceInformation { "productId" => product_id, "productUrl" => product_url }
    eks::AddonNamespaceConfigResponse { "namespace" => namespace }
    eks::AddonInfo {
        "addonName" => addon_name, "type" => r#type, "addonVersions" => addon_versions,
        "publisher" => publisher, "owner" => owner,
        "marketplaceInformation" => marketplace_information,
        "defaultNamespace" => default_namespace,
    }
    eks::AddonVersionInfo {
        "addonVersion" => addon_version, "architecture" => architecture,
        "computeTypes" => compute_types, "compatibilities" => compatibilities,
        "requiresConfiguration" => requires_configuration,
        "requiresIamPermissions" => requires_iam_permissions,
    }
    eks::Compatibility {
        "clusterVersion" => cluster_version, "platformVersions" => platform_versions,
        "defaultVersion" => default_version,
    }
    eks::Update {
        "id" => id, "status" => status, "type" => r#type, "params" => params,
        "createdAt" => created_at, "errors" => errors, "cancellation" => cancellation,
    }
    eks::Cancellation { "status" => status, "reason" => reason }
    eks::UpdateParam { "type" => r#type, "value" => value }
    eks::ErrorDetail {
        "errorCode" => error_code, "errorMessage" => error_message,
        "resourceIds" => resource_ids,
    }
    eks::PodIdentityAssociation {
        "clusterName" => cluster_name, "namespace" => namespace,
        "serviceAccount" => service_account, "roleArn" => role_arn,
        "associationArn" => association_arn, "associationId" => association_id,
        "tags" => tags, "createdAt" => created_at, "modifiedAt" => modified_at,
        "ownerArn" => owner_arn, "disableSessionTags" => disable_session_tags,
        "targetRoleArn" => target_role_arn, "externalId" => external_id, "policy" => policy,
    }
    eks::PodIdentityAssociationSummary {
        "clusterName" => cluster_name, "namespace" => namespace,
        "serviceAccount" => service_account, "associationArn" => association_arn,
        "associationId" => association_id, "ownerArn" => owner_arn,
    }
    eks::Nodegroup {
        "nodegroupName" => nodegroup_name, "nodegroupArn" => nodegroup_arn,
        "clusterName" => cluster_name, "version" => version,
        "releaseVersion" => release_version, "createdAt" => created_at,
        "modifiedAt" => modified_at, "status" => status, "capacityType" => capacity_type,
        "scalingConfig" => scaling_config, "instanceTypes" => instance_types,
        "subnets" => subnets, "remoteAccess" => remote_access, "amiType" => ami_type,
        "nodeRole" => node_role, "labels" => labels, "taints" => taints,
        "resources" => resources, "diskSize" => disk_size, "health" => health,
        "updateConfig" => update_config, "nodeRepairConfig" => node_repair_config,
        "launchTemplate" => launch_template, "tags" => tags,
        "warmPoolConfig" => warm_pool_config,
    }
    eks::NodegroupScalingConfig {
        "minSize" => min_size, "maxSize" => max_size, "desiredSize" => desired_size,
    }
    eks::RemoteAccessConfig {
        "ec2SshKey" => ec2_ssh_key, "sourceSecurityGroups" => source_security_groups,
    }
    eks::Taint { "key" => key, "value" => value, "effect" => effect }
    eks::NodegroupResources {
        "autoScalingGroups" => auto_scaling_groups,
        "remoteAccessSecurityGroup" => remote_access_security_group,
    }
    eks::AutoScalingGroup { "name" => name }
    eks::NodegroupHealth { "issues" => issues }
    eks::Issue { "code" => code, "message" => message, "resourceIds" => resource_ids }
    eks::NodegroupUpdateConfig {
        "maxUnavailable" => max_unavailable,
        "maxUnavailablePercentage" => max_unavailable_percentage,
        "updateStrategy" => update_strategy,
    }
    eks::NodeRepairConfig {
        "enabled" => enabled,
        "maxUnhealthyNodeThresholdCount" => max_unhealthy_node_threshold_count,
        "maxUnhealthyNodeThresholdPercentage" => max_unhealthy_node_threshold_percentage,
        "maxParallelNodesRepairedCount" => max_parallel_nodes_repaired_count,
        "maxParallelNodesRepairedPercentage" => max_parallel_nodes_repaired_percentage,
        "nodeRepairConfigOverrides" => node_repair_config_overrides,
    }
    eks::NodeRepairConfigOverrides {
        "nodeMonitoringCondition" => node_monitoring_condition,
        "nodeUnhealthyReason" => node_unhealthy_reason,
        "minRepairWaitTimeMins" => min_repair_wait_time_mins,
        "repairAction" => repair_action,
    }
    eks::LaunchTemplateSpecification { "name" => name, "version" => version, "id" => id }
    eks::FargateProfile {
        "fargateProfileName" => fargate_profile_name, "fargateProfileArn" => fargate_profile_arn,
        "clusterName" => cluster_name, "createdAt" => created_at,
        "podExecutionRoleArn" => pod_execution_role_arn, "subnets" => subnets,
        "selectors" => selectors, "status" => status, "tags" => tags, "health" => health,
    }
    eks::FargateProfileSelector { "namespace" => namespace, "labels" => labels }
    eks::FargateProfileHealth { "issues" => issues }
    eks::FargateProfileIssue { "code" => code, "message" => message, "resourceIds" => resource_ids }
    eks::AccessEntry {
        "clusterName" => cluster_name, "principalArn" => principal_arn,
        "kubernetesGroups" => kubernetes_groups, "accessEntryArn" => access_entry_arn,
        "createdAt" => created_at, "modifiedAt" => modified_at, "tags" => tags,
        "username" => username, "type" => r#type,
    }
    eks::AssociatedAccessPolicy {
        "policyArn" => policy_arn, "accessScope" => access_scope,
        "associatedAt" => associated_at, "modifiedAt" => modified_at,
    }
    eks::AccessScope { "type" => r#type, "namespaces" => namespaces }
    eks::AccessPolicy { "name" => name, "arn" => arn }
    eks::AddonPodIdentityConfiguration {
        "serviceAccount" => service_account, "recommendedManagedPolicies" => recommended_managed_policies,
    }
    // As botocore's model has it (the SDK's newer ACK configuration and
    // ArgoCD endpoint prefix are not in the CLI v1's output).
    eks::Capability {
        "capabilityName" => capability_name, "arn" => arn, "clusterName" => cluster_name,
        "type" => r#type, "roleArn" => role_arn, "status" => status, "version" => version,
        "configuration" => configuration, "tags" => tags, "health" => health,
        "createdAt" => created_at, "modifiedAt" => modified_at,
        "deletePropagationPolicy" => delete_propagation_policy,
    }
    eks::CapabilityConfigurationResponse { "argoCd" => argo_cd }
    eks::ArgoCdConfigResponse {
        "namespace" => namespace, "awsIdc" => aws_idc, "rbacRoleMappings" => rbac_role_mappings,
        "networkAccess" => network_access, "serverUrl" => server_url,
    }
    eks::ArgoCdAwsIdcConfigResponse {
        "idcInstanceArn" => idc_instance_arn, "idcRegion" => idc_region,
        "idcManagedApplicationArn" => idc_managed_application_arn,
    }
    eks::ArgoCdRoleMapping { "role" => role, "identities" => identities }
    eks::SsoIdentity { "id" => id, "type" => r#type }
    eks::ArgoCdNetworkAccessConfigResponse { "vpceIds" => vpce_ids }
    eks::CapabilityHealth { "issues" => issues }
    eks::CapabilityIssue { "code" => code, "message" => message }
    eks::WarmPoolConfig {
        "enabled" => enabled, "minSize" => min_size,
        "maxGroupPreparedCapacity" => max_group_prepared_capacity,
        "poolState" => pool_state, "reuseOnScaleIn" => reuse_on_scale_in,
    }
}

// EKS operation outputs.
cli_struct! {
    aws_sdk_eks::operation::describe_cluster::DescribeClusterOutput { "cluster" => cluster }
    aws_sdk_eks::operation::list_clusters::ListClustersOutput {
        "clusters" => clusters, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::create_addon::CreateAddonOutput { "addon" => addon }
    aws_sdk_eks::operation::describe_addon::DescribeAddonOutput { "addon" => addon }
    aws_sdk_eks::operation::delete_addon::DeleteAddonOutput { "addon" => addon }
    aws_sdk_eks::operation::update_addon::UpdateAddonOutput { "update" => update }
    aws_sdk_eks::operation::list_addons::ListAddonsOutput {
        "addons" => addons, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::describe_addon_versions::DescribeAddonVersionsOutput {
        "addons" => addons, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::create_pod_identity_association::CreatePodIdentityAssociationOutput {
        "association" => association,
    }
    aws_sdk_eks::operation::describe_pod_identity_association::DescribePodIdentityAssociationOutput {
        "association" => association,
    }
    aws_sdk_eks::operation::delete_pod_identity_association::DeletePodIdentityAssociationOutput {
        "association" => association,
    }
    aws_sdk_eks::operation::list_pod_identity_associations::ListPodIdentityAssociationsOutput {
        "associations" => associations, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::list_nodegroups::ListNodegroupsOutput {
        "nodegroups" => nodegroups, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::describe_nodegroup::DescribeNodegroupOutput {
        "nodegroup" => nodegroup,
    }
    aws_sdk_eks::operation::update_nodegroup_config::UpdateNodegroupConfigOutput {
        "update" => update,
    }
    aws_sdk_eks::operation::describe_update::DescribeUpdateOutput { "update" => update }
    aws_sdk_eks::operation::list_access_entries::ListAccessEntriesOutput {
        "accessEntries" => access_entries, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::list_access_policies::ListAccessPoliciesOutput {
        "accessPolicies" => access_policies, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::create_nodegroup::CreateNodegroupOutput { "nodegroup" => nodegroup }
    aws_sdk_eks::operation::delete_nodegroup::DeleteNodegroupOutput { "nodegroup" => nodegroup }
    aws_sdk_eks::operation::update_nodegroup_version::UpdateNodegroupVersionOutput { "update" => update }
    aws_sdk_eks::operation::list_updates::ListUpdatesOutput {
        "updateIds" => update_ids, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::update_cluster_config::UpdateClusterConfigOutput { "update" => update }
    aws_sdk_eks::operation::create_access_entry::CreateAccessEntryOutput { "accessEntry" => access_entry }
    aws_sdk_eks::operation::describe_access_entry::DescribeAccessEntryOutput {
        "accessEntry" => access_entry,
    }
    aws_sdk_eks::operation::delete_access_entry::DeleteAccessEntryOutput {}
    aws_sdk_eks::operation::associate_access_policy::AssociateAccessPolicyOutput {
        "clusterName" => cluster_name, "principalArn" => principal_arn,
        "associatedAccessPolicy" => associated_access_policy,
    }
    aws_sdk_eks::operation::disassociate_access_policy::DisassociateAccessPolicyOutput {}
    aws_sdk_eks::operation::list_associated_access_policies::ListAssociatedAccessPoliciesOutput {
        "clusterName" => cluster_name, "principalArn" => principal_arn,
        "nextToken" => next_token, "associatedAccessPolicies" => associated_access_policies,
    }
    aws_sdk_eks::operation::create_fargate_profile::CreateFargateProfileOutput {
        "fargateProfile" => fargate_profile,
    }
    aws_sdk_eks::operation::describe_fargate_profile::DescribeFargateProfileOutput {
        "fargateProfile" => fargate_profile,
    }
    aws_sdk_eks::operation::delete_fargate_profile::DeleteFargateProfileOutput {
        "fargateProfile" => fargate_profile,
    }
    aws_sdk_eks::operation::list_fargate_profiles::ListFargateProfilesOutput {
        "fargateProfileNames" => fargate_profile_names, "nextToken" => next_token,
    }
    aws_sdk_eks::operation::describe_capability::DescribeCapabilityOutput { "capability" => capability }
    aws_sdk_eks::operation::describe_addon_configuration::DescribeAddonConfigurationOutput {
        "addonName" => addon_name, "addonVersion" => addon_version,
        "configurationSchema" => configuration_schema,
        "podIdentityConfiguration" => pod_identity_configuration,
    }
}
