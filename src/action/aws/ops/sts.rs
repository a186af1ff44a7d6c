//! STS: the account check, `sts get-caller-identity` and `sts assume-role`
//! (whose credentials the redactor keeps out of recordings and reports:
//! `SecretAccessKey` and `SessionToken` are credential fields).

use aws_sdk_sts::types as sts;

use super::{In, invalid, operations};
use crate::action::aws::convert::cli_struct;
use crate::action::aws::spec::Ty::*;
use crate::action::aws::spec::{Field, Operation, field, opt, req};
use crate::ground::port::ActionError;

const POLICY_ARN_FIELDS: &[Field] = &[field("arn", String)];
const TAG_FIELDS: &[Field] = &[field("Key", String), field("Value", String)];

operations! {
    client: sts;
    /// The STS operations `aws` steps can run.
    pub static STS = [
        "get-caller-identity" GetCallerIdentity get_caller_identity {}
        "assume-role" AssumeRole assume_role {
            req("RoleArn", "role-arn", String), s => set_role_arn;
            req("RoleSessionName", "role-session-name", String), s => set_role_session_name;
            opt("PolicyArns", "policy-arns", StructList(POLICY_ARN_FIELDS)), with(policy_arns) => set_policy_arns;
            opt("Policy", "policy", String), s => set_policy;
            opt("DurationSeconds", "duration-seconds", Integer), i => set_duration_seconds;
            opt("Tags", "tags", StructList(TAG_FIELDS)), with(tags) => set_tags;
            opt("TransitiveTagKeys", "transitive-tag-keys", StringList), sl => set_transitive_tag_keys;
            opt("ExternalId", "external-id", String), s => set_external_id;
            opt("SerialNumber", "serial-number", String), s => set_serial_number;
            opt("TokenCode", "token-code", String), s => set_token_code;
            opt("SourceIdentity", "source-identity", String), s => set_source_identity;
        }
    ];
}

type Read<T> = Result<Option<T>, ActionError>;

fn policy_arns(_: &Operation, i: In<'_>, name: &str) -> Read<Vec<sts::PolicyDescriptorType>> {
    Ok(i.objs(name).map(|items| {
        items
            .into_iter()
            .map(|p| sts::PolicyDescriptorType::builder().set_arn(p.s("arn")).build())
            .collect()
    }))
}

fn tags(op: &Operation, i: In<'_>, name: &str) -> Read<Vec<sts::Tag>> {
    let Some(items) = i.objs(name) else {
        return Ok(None);
    };
    items
        .into_iter()
        .map(|t| {
            sts::Tag::builder()
                .set_key(t.s("Key"))
                .set_value(t.s("Value"))
                .build()
                .map_err(|e| invalid(op, e))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

cli_struct! {
    aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput {
        "UserId" => user_id, "Account" => account, "Arn" => arn,
    }
    aws_sdk_sts::operation::assume_role::AssumeRoleOutput {
        "Credentials" => credentials, "AssumedRoleUser" => assumed_role_user,
        "PackedPolicySize" => packed_policy_size, "SourceIdentity" => source_identity,
    }
    sts::Credentials {
        "AccessKeyId" => access_key_id, "SecretAccessKey" => secret_access_key,
        "SessionToken" => session_token, "Expiration" => expiration,
    }
    sts::AssumedRoleUser { "AssumedRoleId" => assumed_role_id, "Arn" => arn }
}
