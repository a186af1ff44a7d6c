#!/usr/bin/env bash
# Installs the peers the AWS and Kubernetes tests run against on loopback:
# moto (the AWS APIs), the AWS CLI v1 (to compare outputs with) and its
# jmespath (pinned: tests/jmespath_parity.rs compares our JMESPath with it),
# kmock, and kubectl and jq (the side-by-side benchmark's checks) when they
# are missing.
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check \
  'moto[server]==5.2.5' 'awscli==1.46.3' 'jmespath==1.1.0' 'kmock==0.8'
missing=()
for tool in kubectl jq; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
command -v chromium >/dev/null 2>&1 || missing+=(chromium)  # the HTML report's browser test
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "${missing[@]}"
fi
