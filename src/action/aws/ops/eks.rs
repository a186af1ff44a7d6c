//! EKS: the operations, and the shapes of their outputs as the CLI prints
//! them (wire member names, in the order of the API model).

use aws_sdk_eks::types as eks;

use super::{In, invalid, operations};
use crate::action::aws::convert::{cli_enum, cli_struct};
use crate::action::aws::spec::Ty::*;
use crate::action::aws::spec::{Member, Operation, Paging, field, opt, req};
use crate::ground::port::ActionError;

const fn paging(result_key: &'static str) -> Paging {
    Paging {
        input_token: "nextToken",
        output_token: "nextToken",
        limit_key: "maxResults",
        result_key,
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
            opt("labels", "labels", Json), with(labels) => set_labels;
            opt("taints", "taints", Json), with(taints) => set_taints;
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
    let list = |t: In<'_>, key: &str| {
        t.objs(key).map(|items| {
            items
                .into_iter()
                .map(|t| {
                    eks::Taint::builder()
                        .set_key(t.s("key"))
                        .set_value(t.s("value"))
                        .set_effect(t.e("effect"))
                        .build()
                })
                .collect()
        })
    };
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

cli_enum!(
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
}
