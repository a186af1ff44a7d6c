//! STS: the account check and `sts get-caller-identity`.

use super::operations;
use crate::action::aws::convert::cli_struct;

operations! {
    client: sts;
    /// The STS operations `aws` steps can run.
    pub static STS = [
        "get-caller-identity" GetCallerIdentity get_caller_identity {}
    ];
}

cli_struct! {
    aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput {
        "UserId" => user_id, "Account" => account, "Arn" => arn,
    }
}
