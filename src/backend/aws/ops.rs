//! One SDK call per operation: the request built from the input members,
//! the output converted to the CLI's JSON.

use std::collections::HashMap;

use aws_sdk_eks::types as eks;
use aws_sdk_iam::types as iam;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use serde_json::{Map, Value, json};

use super::AwsBackend;
use super::convert::{ToCli, cli_enum, cli_struct, policy_document};
use super::spec::{Operation, Service};
use crate::ground::port::ActionError;

/// Typed reads of the input members.
#[derive(Clone, Copy)]
struct In<'a>(&'a Map<String, Value>);

impl<'a> In<'a> {
    fn s(&self, k: &str) -> Option<String> {
        self.0.get(k)?.as_str().map(str::to_string)
    }
    fn i(&self, k: &str) -> Option<i32> {
        self.0.get(k)?.as_i64().and_then(|n| i32::try_from(n).ok())
    }
    fn b(&self, k: &str) -> Option<bool> {
        self.0.get(k)?.as_bool()
    }
    fn e<T: for<'x> From<&'x str>>(&self, k: &str) -> Option<T> {
        self.0.get(k)?.as_str().map(T::from)
    }
    fn sl(&self, k: &str) -> Option<Vec<String>> {
        let items = self.0.get(k)?.as_array()?;
        Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        )
    }
    fn sm(&self, k: &str) -> Option<HashMap<String, String>> {
        let map = self.0.get(k)?.as_object()?;
        Some(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
        )
    }
    fn obj(&self, k: &str) -> Option<In<'a>> {
        self.0.get(k)?.as_object().map(In)
    }
    fn objs(&self, k: &str) -> Option<Vec<In<'a>>> {
        let items = self.0.get(k)?.as_array()?;
        Some(items.iter().filter_map(|v| v.as_object().map(In)).collect())
    }
}

/// An error the API answered with, worded as the CLI words it; anything else
/// (no connection, no credentials) is a runtime error.
fn api_error<E>(op: &Operation, err: SdkError<E, HttpResponse>) -> ActionError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            // Without a modelled error, botocore names the HTTP status and
            // quotes the body.
            let raw = service.raw();
            let status = raw.status().as_u16().to_string();
            let body = raw
                .body()
                .bytes()
                .map(|b| String::from_utf8_lossy(b).trim().to_string())
                .filter(|b| !b.is_empty());
            let code = e.code().unwrap_or(&status);
            let message = e.message().or(body.as_deref()).unwrap_or("Unknown");
            ActionError::failed(
                format!(
                    "An error occurred ({code}) when calling the {} operation: {message}",
                    op.api
                ),
                Some(json!({"error": {"code": code, "message": message}})),
            )
        }
        // A replay that has no answer says so plainly, not as a dispatch failure.
        _ => match crate::transport::find_no_match(&err) {
            Some(no_match) => ActionError::runtime(format!("{}: {}", op.api, no_match.message)),
            None => ActionError::runtime(format!(
                "{} could not be called: {}",
                op.api,
                crate::ground::port::error_chain(&err)
            )),
        },
    }
}

fn invalid(op: &Operation, what: impl std::fmt::Display) -> ActionError {
    ActionError::failed(
        format!("Parameter validation failed for {}: {what}", op.api),
        None,
    )
}

macro_rules! send {
    ($op:expr, $request:expr) => {
        $request
            .send()
            .await
            .map_err(|e| api_error($op, e))?
            .to_cli()
            .unwrap_or_else(|| Value::Object(Map::new()))
    };
}

impl AwsBackend {
    /// Calls the operation once with these input members.
    pub(super) async fn call(
        &self,
        service: Service,
        op: &'static Operation,
        input: &Map<String, Value>,
    ) -> Result<Value, ActionError> {
        let i = In(input);
        let (e, m) = (&self.eks, &self.iam);
        let out = match (service, op.name) {
            (Service::Eks, "describe-cluster") => {
                send!(op, e.describe_cluster().set_name(i.s("name")))
            }
            (Service::Eks, "list-clusters") => send!(
                op,
                e.list_clusters()
                    .set_max_results(i.i("maxResults"))
                    .set_next_token(i.s("nextToken"))
                    .set_include(i.sl("include"))
            ),
            (Service::Eks, "create-addon") => send!(
                op,
                e.create_addon()
                    .set_cluster_name(i.s("clusterName"))
                    .set_addon_name(i.s("addonName"))
                    .set_addon_version(i.s("addonVersion"))
                    .set_service_account_role_arn(i.s("serviceAccountRoleArn"))
                    .set_resolve_conflicts(i.e("resolveConflicts"))
                    .set_client_request_token(i.s("clientRequestToken"))
                    .set_tags(i.sm("tags"))
                    .set_configuration_values(i.s("configurationValues"))
                    .set_pod_identity_associations(addon_pod_identities(op, i)?)
                    .set_namespace_config(i.obj("namespaceConfig").map(|n| {
                        eks::AddonNamespaceConfigRequest::builder()
                            .set_namespace(n.s("namespace"))
                            .build()
                    }))
            ),
            (Service::Eks, "describe-addon") => send!(
                op,
                e.describe_addon()
                    .set_cluster_name(i.s("clusterName"))
                    .set_addon_name(i.s("addonName"))
            ),
            (Service::Eks, "delete-addon") => send!(
                op,
                e.delete_addon()
                    .set_cluster_name(i.s("clusterName"))
                    .set_addon_name(i.s("addonName"))
                    .set_preserve(i.b("preserve"))
            ),
            (Service::Eks, "update-addon") => send!(
                op,
                e.update_addon()
                    .set_cluster_name(i.s("clusterName"))
                    .set_addon_name(i.s("addonName"))
                    .set_addon_version(i.s("addonVersion"))
                    .set_service_account_role_arn(i.s("serviceAccountRoleArn"))
                    .set_resolve_conflicts(i.e("resolveConflicts"))
                    .set_client_request_token(i.s("clientRequestToken"))
                    .set_configuration_values(i.s("configurationValues"))
                    .set_pod_identity_associations(addon_pod_identities(op, i)?)
            ),
            (Service::Eks, "list-addons") => send!(
                op,
                e.list_addons()
                    .set_cluster_name(i.s("clusterName"))
                    .set_max_results(i.i("maxResults"))
                    .set_next_token(i.s("nextToken"))
            ),
            (Service::Eks, "describe-addon-versions") => send!(
                op,
                e.describe_addon_versions()
                    .set_kubernetes_version(i.s("kubernetesVersion"))
                    .set_max_results(i.i("maxResults"))
                    .set_next_token(i.s("nextToken"))
                    .set_addon_name(i.s("addonName"))
                    .set_types(i.sl("types"))
                    .set_publishers(i.sl("publishers"))
                    .set_owners(i.sl("owners"))
            ),
            (Service::Eks, "create-pod-identity-association") => send!(
                op,
                e.create_pod_identity_association()
                    .set_cluster_name(i.s("clusterName"))
                    .set_namespace(i.s("namespace"))
                    .set_service_account(i.s("serviceAccount"))
                    .set_role_arn(i.s("roleArn"))
                    .set_client_request_token(i.s("clientRequestToken"))
                    .set_tags(i.sm("tags"))
                    .set_disable_session_tags(i.b("disableSessionTags"))
                    .set_target_role_arn(i.s("targetRoleArn"))
                    .set_policy(i.s("policy"))
            ),
            (Service::Eks, "describe-pod-identity-association") => send!(
                op,
                e.describe_pod_identity_association()
                    .set_cluster_name(i.s("clusterName"))
                    .set_association_id(i.s("associationId"))
            ),
            (Service::Eks, "delete-pod-identity-association") => send!(
                op,
                e.delete_pod_identity_association()
                    .set_cluster_name(i.s("clusterName"))
                    .set_association_id(i.s("associationId"))
            ),
            (Service::Eks, "list-pod-identity-associations") => send!(
                op,
                e.list_pod_identity_associations()
                    .set_cluster_name(i.s("clusterName"))
                    .set_namespace(i.s("namespace"))
                    .set_service_account(i.s("serviceAccount"))
                    .set_max_results(i.i("maxResults"))
                    .set_next_token(i.s("nextToken"))
            ),
            (Service::Eks, "list-nodegroups") => send!(
                op,
                e.list_nodegroups()
                    .set_cluster_name(i.s("clusterName"))
                    .set_max_results(i.i("maxResults"))
                    .set_next_token(i.s("nextToken"))
            ),
            (Service::Eks, "describe-nodegroup") => send!(
                op,
                e.describe_nodegroup()
                    .set_cluster_name(i.s("clusterName"))
                    .set_nodegroup_name(i.s("nodegroupName"))
            ),
            (Service::Eks, "update-nodegroup-config") => send!(
                op,
                e.update_nodegroup_config()
                    .set_cluster_name(i.s("clusterName"))
                    .set_nodegroup_name(i.s("nodegroupName"))
                    .set_labels(i.obj("labels").map(|l| {
                        eks::UpdateLabelsPayload::builder()
                            .set_add_or_update_labels(l.sm("addOrUpdateLabels"))
                            .set_remove_labels(l.sl("removeLabels"))
                            .build()
                    }))
                    .set_taints(i.obj("taints").map(|t| {
                        eks::UpdateTaintsPayload::builder()
                            .set_add_or_update_taints(taints(t, "addOrUpdateTaints"))
                            .set_remove_taints(taints(t, "removeTaints"))
                            .build()
                    }))
                    .set_scaling_config(i.obj("scalingConfig").map(|s| {
                        eks::NodegroupScalingConfig::builder()
                            .set_min_size(s.i("minSize"))
                            .set_max_size(s.i("maxSize"))
                            .set_desired_size(s.i("desiredSize"))
                            .build()
                    }))
                    .set_update_config(i.obj("updateConfig").map(|u| {
                        eks::NodegroupUpdateConfig::builder()
                            .set_max_unavailable(u.i("maxUnavailable"))
                            .set_max_unavailable_percentage(u.i("maxUnavailablePercentage"))
                            .set_update_strategy(u.e("updateStrategy"))
                            .build()
                    }))
                    .set_client_request_token(i.s("clientRequestToken"))
            ),
            (Service::Eks, "list-access-entries") => send!(
                op,
                e.list_access_entries()
                    .set_cluster_name(i.s("clusterName"))
                    .set_associated_policy_arn(i.s("associatedPolicyArn"))
                    .set_max_results(i.i("maxResults"))
                    .set_next_token(i.s("nextToken"))
            ),
            (Service::Iam, "get-role") => send!(op, m.get_role().set_role_name(i.s("RoleName"))),
            (Service::Iam, "get-policy") => {
                send!(op, m.get_policy().set_policy_arn(i.s("PolicyArn")))
            }
            (Service::Iam, "get-policy-version") => send!(
                op,
                m.get_policy_version()
                    .set_policy_arn(i.s("PolicyArn"))
                    .set_version_id(i.s("VersionId"))
            ),
            (Service::Iam, "list-attached-role-policies") => send!(
                op,
                m.list_attached_role_policies()
                    .set_role_name(i.s("RoleName"))
                    .set_path_prefix(i.s("PathPrefix"))
                    .set_marker(i.s("Marker"))
                    .set_max_items(i.i("MaxItems"))
            ),
            (Service::Iam, "list-role-policies") => send!(
                op,
                m.list_role_policies()
                    .set_role_name(i.s("RoleName"))
                    .set_marker(i.s("Marker"))
                    .set_max_items(i.i("MaxItems"))
            ),
            (Service::Iam, "get-role-policy") => send!(
                op,
                m.get_role_policy()
                    .set_role_name(i.s("RoleName"))
                    .set_policy_name(i.s("PolicyName"))
            ),
            (Service::Iam, "create-role") => {
                let tags = iam_tags(op, i)?;
                send!(
                    op,
                    m.create_role()
                        .set_path(i.s("Path"))
                        .set_role_name(i.s("RoleName"))
                        .set_assume_role_policy_document(i.s("AssumeRolePolicyDocument"))
                        .set_description(i.s("Description"))
                        .set_max_session_duration(i.i("MaxSessionDuration"))
                        .set_permissions_boundary(i.s("PermissionsBoundary"))
                        .set_tags(tags)
                )
            }
            (Service::Iam, "create-policy") => {
                let tags = iam_tags(op, i)?;
                send!(
                    op,
                    m.create_policy()
                        .set_policy_name(i.s("PolicyName"))
                        .set_path(i.s("Path"))
                        .set_policy_document(i.s("PolicyDocument"))
                        .set_description(i.s("Description"))
                        .set_tags(tags)
                )
            }
            (Service::Iam, "delete-policy") => {
                send!(op, m.delete_policy().set_policy_arn(i.s("PolicyArn")))
            }
            (Service::Iam, "delete-role") => {
                send!(op, m.delete_role().set_role_name(i.s("RoleName")))
            }
            (Service::Iam, "attach-role-policy") => send!(
                op,
                m.attach_role_policy()
                    .set_role_name(i.s("RoleName"))
                    .set_policy_arn(i.s("PolicyArn"))
            ),
            (Service::Iam, "detach-role-policy") => send!(
                op,
                m.detach_role_policy()
                    .set_role_name(i.s("RoleName"))
                    .set_policy_arn(i.s("PolicyArn"))
            ),
            (Service::Sts, "get-caller-identity") => send!(op, self.sts.get_caller_identity()),
            (service, name) => {
                return Err(ActionError::runtime(format!(
                    "{} {name} has no SDK call (a gap in rehearse)",
                    service.name()
                )));
            }
        };
        Ok(out)
    }
}

fn addon_pod_identities(
    op: &Operation,
    i: In<'_>,
) -> Result<Option<Vec<eks::AddonPodIdentityAssociations>>, ActionError> {
    let Some(items) = i.objs("podIdentityAssociations") else {
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

/// IAM's `--tags Key=k,Value=v ...`, shared by the create operations.
fn iam_tags(op: &Operation, i: In<'_>) -> Result<Option<Vec<iam::Tag>>, ActionError> {
    let Some(items) = i.objs("Tags") else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|t| {
            iam::Tag::builder()
                .set_key(t.s("Key"))
                .set_value(t.s("Value"))
                .build()
                .map_err(|e| invalid(op, e))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

fn taints(i: In<'_>, key: &str) -> Option<Vec<eks::Taint>> {
    let items = i.objs(key)?;
    Some(
        items
            .into_iter()
            .map(|t| {
                eks::Taint::builder()
                    .set_key(t.s("key"))
                    .set_value(t.s("value"))
                    .set_effect(t.e("effect"))
                    .build()
            })
            .collect(),
    )
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
    eks::ErrorCode,
    eks::NodegroupStatus,
    eks::CapacityTypes,
    eks::AmiTypes,
    eks::TaintEffect,
    eks::NodegroupIssueCode,
    eks::NodegroupUpdateStrategies,
    eks::RepairAction,
    eks::WarmPoolState,
    iam::PermissionsBoundaryAttachmentType,
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
        "createdAt" => created_at, "errors" => errors,
    }
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
    aws_sdk_eks::operation::list_access_entries::ListAccessEntriesOutput {
        "accessEntries" => access_entries, "nextToken" => next_token,
    }
}

// IAM structures and outputs.
cli_struct! {
    iam::Role {
        "Path" => path, "RoleName" => role_name, "RoleId" => role_id, "Arn" => arn,
        "CreateDate" => create_date,
        "AssumeRolePolicyDocument" => assume_role_policy_document | policy_document,
        "Description" => description, "MaxSessionDuration" => max_session_duration,
        "PermissionsBoundary" => permissions_boundary, "Tags" => tags,
        "RoleLastUsed" => role_last_used,
    }
    iam::AttachedPermissionsBoundary {
        "PermissionsBoundaryType" => permissions_boundary_type,
        "PermissionsBoundaryArn" => permissions_boundary_arn,
    }
    iam::Tag { "Key" => key, "Value" => value }
    iam::RoleLastUsed { "LastUsedDate" => last_used_date, "Region" => region }
    iam::Policy {
        "PolicyName" => policy_name, "PolicyId" => policy_id, "Arn" => arn, "Path" => path,
        "DefaultVersionId" => default_version_id, "AttachmentCount" => attachment_count,
        "PermissionsBoundaryUsageCount" => permissions_boundary_usage_count,
        "IsAttachable" => is_attachable, "Description" => description,
        "CreateDate" => create_date, "UpdateDate" => update_date, "Tags" => tags,
    }
    iam::PolicyVersion {
        "Document" => document | policy_document, "VersionId" => version_id,
        "IsDefaultVersion" => is_default_version, "CreateDate" => create_date,
    }
    iam::AttachedPolicy { "PolicyName" => policy_name, "PolicyArn" => policy_arn }

    aws_sdk_iam::operation::get_role::GetRoleOutput { "Role" => role }
    aws_sdk_iam::operation::get_policy::GetPolicyOutput { "Policy" => policy }
    aws_sdk_iam::operation::get_policy_version::GetPolicyVersionOutput {
        "PolicyVersion" => policy_version,
    }
    aws_sdk_iam::operation::list_attached_role_policies::ListAttachedRolePoliciesOutput {
        "AttachedPolicies" => attached_policies, "IsTruncated" => is_truncated,
        "Marker" => marker,
    }
    aws_sdk_iam::operation::list_role_policies::ListRolePoliciesOutput {
        "PolicyNames" => policy_names, "IsTruncated" => is_truncated, "Marker" => marker,
    }
    aws_sdk_iam::operation::get_role_policy::GetRolePolicyOutput {
        "RoleName" => role_name, "PolicyName" => policy_name,
        "PolicyDocument" => policy_document | required_policy_document,
    }
    aws_sdk_iam::operation::create_role::CreateRoleOutput { "Role" => role }
    aws_sdk_iam::operation::delete_role::DeleteRoleOutput {}
    aws_sdk_iam::operation::create_policy::CreatePolicyOutput { "Policy" => policy }
    aws_sdk_iam::operation::delete_policy::DeletePolicyOutput {}
    aws_sdk_iam::operation::attach_role_policy::AttachRolePolicyOutput {}
    aws_sdk_iam::operation::detach_role_policy::DetachRolePolicyOutput {}

    aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput {
        "UserId" => user_id, "Account" => account, "Arn" => arn,
    }
}

fn required_policy_document(doc: &str) -> Option<Value> {
    policy_document(&Some(doc.to_string()))
}
