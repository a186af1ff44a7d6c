//! IAM: the operations, and the shapes of their outputs as the CLI prints
//! them (PascalCase members; policy documents decoded into objects).

use aws_sdk_iam::types as iam;
use serde_json::Value;

use super::{In, invalid, operations};
use crate::action::aws::convert::{cli_enum, cli_struct, policy_document};
use crate::action::aws::spec::Ty::*;
use crate::action::aws::spec::{Field, Member, Operation, Paging, field, opt, req};
use crate::ground::port::ActionError;

const fn paging(result_key: &'static str) -> Paging {
    Paging {
        input_token: "Marker",
        output_token: "Marker",
        limit_key: "MaxItems",
        result_key,
        non_aggregate: &[],
    }
}

const ROLE_NAME: Member = req("RoleName", "role-name", String);
const POLICY_ARN: Member = req("PolicyArn", "policy-arn", String);
const MARKER: Member = opt("Marker", "marker", String);
const TAG_FIELDS: &[Field] = &[field("Key", String), field("Value", String)];
/// `--tags Key=k,Value=v ...` of IAM's create operations.
const TAGS: Member = opt("Tags", "tags", StructList(TAG_FIELDS));

// `MaxItems` is not a flag: the CLI's `--max-items` is its own paging
// option; `--page-size` sets `MaxItems` (the `limit` setter below).
operations! {
    client: iam;
    /// The IAM operations `aws` steps can run.
    pub static IAM = [
        "get-role" GetRole get_role {
            ROLE_NAME, s => set_role_name;
        }
        "get-policy" GetPolicy get_policy {
            POLICY_ARN, s => set_policy_arn;
        }
        "get-policy-version" GetPolicyVersion get_policy_version {
            POLICY_ARN, s => set_policy_arn;
            req("VersionId", "version-id", String), s => set_version_id;
        }
        "list-attached-role-policies" ListAttachedRolePolicies list_attached_role_policies
            paged(paging("AttachedPolicies"), limit set_max_items)
        {
            ROLE_NAME, s => set_role_name;
            opt("PathPrefix", "path-prefix", String), s => set_path_prefix;
            MARKER, s => set_marker;
        }
        "list-role-policies" ListRolePolicies list_role_policies
            paged(paging("PolicyNames"), limit set_max_items)
        {
            ROLE_NAME, s => set_role_name;
            MARKER, s => set_marker;
        }
        "get-role-policy" GetRolePolicy get_role_policy {
            ROLE_NAME, s => set_role_name;
            req("PolicyName", "policy-name", String), s => set_policy_name;
        }
        "create-role" CreateRole create_role {
            opt("Path", "path", String), s => set_path;
            ROLE_NAME, s => set_role_name;
            req("AssumeRolePolicyDocument", "assume-role-policy-document", String), s => set_assume_role_policy_document;
            opt("Description", "description", String), s => set_description;
            opt("MaxSessionDuration", "max-session-duration", Integer), i => set_max_session_duration;
            opt("PermissionsBoundary", "permissions-boundary", String), s => set_permissions_boundary;
            TAGS, with(tags) => set_tags;
        }
        "delete-role" DeleteRole delete_role {
            ROLE_NAME, s => set_role_name;
        }
        "create-policy" CreatePolicy create_policy {
            req("PolicyName", "policy-name", String), s => set_policy_name;
            opt("Path", "path", String), s => set_path;
            req("PolicyDocument", "policy-document", String), s => set_policy_document;
            opt("Description", "description", String), s => set_description;
            TAGS, with(tags) => set_tags;
        }
        "delete-policy" DeletePolicy delete_policy {
            POLICY_ARN, s => set_policy_arn;
        }
        "attach-role-policy" AttachRolePolicy attach_role_policy {
            ROLE_NAME, s => set_role_name;
            POLICY_ARN, s => set_policy_arn;
        }
        "detach-role-policy" DetachRolePolicy detach_role_policy {
            ROLE_NAME, s => set_role_name;
            POLICY_ARN, s => set_policy_arn;
        }
        "list-roles" ListRoles list_roles paged(paging("Roles"), limit set_max_items) {
            opt("PathPrefix", "path-prefix", String), s => set_path_prefix;
            MARKER, s => set_marker;
        }
        "list-policies" ListPolicies list_policies paged(paging("Policies"), limit set_max_items) {
            opt("Scope", "scope", String), e => set_scope;
            opt("OnlyAttached", "only-attached", Boolean), b => set_only_attached;
            opt("PathPrefix", "path-prefix", String), s => set_path_prefix;
            opt("PolicyUsageFilter", "policy-usage-filter", String), e => set_policy_usage_filter;
            MARKER, s => set_marker;
        }
        "put-role-policy" PutRolePolicy put_role_policy {
            ROLE_NAME, s => set_role_name;
            req("PolicyName", "policy-name", String), s => set_policy_name;
            req("PolicyDocument", "policy-document", String), s => set_policy_document;
        }
        "delete-role-policy" DeleteRolePolicy delete_role_policy {
            ROLE_NAME, s => set_role_name;
            req("PolicyName", "policy-name", String), s => set_policy_name;
        }
        "create-policy-version" CreatePolicyVersion create_policy_version {
            POLICY_ARN, s => set_policy_arn;
            req("PolicyDocument", "policy-document", String), s => set_policy_document;
            opt("SetAsDefault", "set-as-default", Boolean), b => set_set_as_default;
        }
        "list-policy-versions" ListPolicyVersions list_policy_versions
            paged(paging("Versions"), limit set_max_items)
        {
            POLICY_ARN, s => set_policy_arn;
            MARKER, s => set_marker;
        }
        "tag-role" TagRole tag_role {
            ROLE_NAME, s => set_role_name;
            req("Tags", "tags", StructList(TAG_FIELDS)), with(tags) => set_tags;
        }
        "list-open-id-connect-providers" ListOpenIDConnectProviders list_open_id_connect_providers {}
    ];
}

/// IAM's `--tags Key=k,Value=v ...`, shared by the create operations.
fn tags(op: &Operation, i: In<'_>, name: &str) -> Result<Option<Vec<iam::Tag>>, ActionError> {
    let Some(items) = i.objs(name) else {
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

cli_enum!(iam::PermissionsBoundaryAttachmentType);

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
    aws_sdk_iam::operation::list_roles::ListRolesOutput {
        "Roles" => roles, "IsTruncated" => is_truncated, "Marker" => marker,
    }
    aws_sdk_iam::operation::list_policies::ListPoliciesOutput {
        "Policies" => policies, "IsTruncated" => is_truncated, "Marker" => marker,
    }
    aws_sdk_iam::operation::put_role_policy::PutRolePolicyOutput {}
    aws_sdk_iam::operation::delete_role_policy::DeleteRolePolicyOutput {}
    aws_sdk_iam::operation::create_policy_version::CreatePolicyVersionOutput {
        "PolicyVersion" => policy_version,
    }
    aws_sdk_iam::operation::list_policy_versions::ListPolicyVersionsOutput {
        "Versions" => versions, "IsTruncated" => is_truncated, "Marker" => marker,
    }
    aws_sdk_iam::operation::tag_role::TagRoleOutput {}
    aws_sdk_iam::operation::list_open_id_connect_providers::ListOpenIdConnectProvidersOutput {
        "OpenIDConnectProviderList" => open_id_connect_provider_list,
    }
    iam::OpenIdConnectProviderListEntry { "Arn" => arn }

}

fn required_policy_document(doc: &str) -> Option<Value> {
    policy_document(&Some(doc.to_string()))
}
