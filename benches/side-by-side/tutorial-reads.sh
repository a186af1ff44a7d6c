#!/usr/bin/env bash
# The Pod Identity lab's AWS reads and their checks, done the way the
# workshop's harness does them: a bash step per command, an `aws` process
# each, the output checked with jq (its hooks' `sleep 10` left out).
# tutorial-reads.toml is the same as a rehearse workflow.
# Needs AWS_ENDPOINT_URL (or real credentials), `aws` and `jq`.
set -euo pipefail
EKS_CLUSTER_NAME=${EKS_CLUSTER_NAME:-eks-workshop}
AWS_REGION=${AWS_REGION:-us-west-2}
CARTS_DYNAMODB_TABLENAME=${CARTS_DYNAMODB_TABLENAME:-eks-workshop-carts}
endpoint=()
if [ -n "${AWS_ENDPOINT_URL:-}" ]; then endpoint=(--endpoint-url "$AWS_ENDPOINT_URL"); fi
aws() { command aws "${endpoint[@]}" --region "$AWS_REGION" "$@"; }
fail() { echo "check failed: $*" >&2; exit 1; }

AWS_ACCOUNT_ID=$(aws sts get-caller-identity --query Account --output text)
[[ $AWS_ACCOUNT_ID =~ ^[0-9]{12}$ ]] || fail "account id: $AWS_ACCOUNT_ID"

status=$(aws eks describe-cluster --name "$EKS_CLUSTER_NAME" --query cluster.status --output text)
[ "$status" = ACTIVE ] || fail "cluster status: $status"

policy_arn="arn:aws:iam::${AWS_ACCOUNT_ID}:policy/${EKS_CLUSTER_NAME}-carts-dynamo"
version=$(aws iam get-policy --policy-arn "$policy_arn" --query Policy.DefaultVersionId --output text)
[ "$version" = v1 ] || fail "default version: $version"

doc=$(aws iam get-policy-version --version-id v1 --policy-arn --query 'PolicyVersion.Document' "$policy_arn")
jq -e '.Statement[0].Action == "dynamodb:*"' <<<"$doc" >/dev/null || fail "policy action"
jq -e '.Statement[0].Effect == "Allow"' <<<"$doc" >/dev/null || fail "policy effect"
jq -e '.Statement[0].Resource | length == 2' <<<"$doc" >/dev/null || fail "policy resources"
jq -e --arg t "arn:aws:dynamodb:${AWS_REGION}:${AWS_ACCOUNT_ID}:table/${CARTS_DYNAMODB_TABLENAME}" \
  '.Statement[0].Resource[0] == $t' <<<"$doc" >/dev/null || fail "policy table"

trust=$(aws iam get-role --query 'Role.AssumeRolePolicyDocument' --role-name "${EKS_CLUSTER_NAME}-carts-dynamo")
jq -e '.Statement[0].Principal.Service == "pods.eks.amazonaws.com"' <<<"$trust" >/dev/null || fail "trust principal"
jq -e '.Statement[0].Action | index("sts:AssumeRole") != null' <<<"$trust" >/dev/null || fail "trust AssumeRole"
jq -e '.Statement[0].Action | index("sts:TagSession") != null' <<<"$trust" >/dev/null || fail "trust TagSession"

attached=$(aws iam list-attached-role-policies --role-name "${EKS_CLUSTER_NAME}-carts-dynamo")
jq -e --arg p "${EKS_CLUSTER_NAME}-carts-dynamo" '[.AttachedPolicies[].PolicyName] | index($p) != null' \
  <<<"$attached" >/dev/null || fail "attached policy"
echo "all checks passed"
