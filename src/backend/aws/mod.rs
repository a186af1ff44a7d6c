//! AWS steps (stub, being written): `aws <service> <operation> --flags…`
//! run natively through the SDK, with the output the AWS CLI prints.
