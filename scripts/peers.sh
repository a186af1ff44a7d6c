#!/usr/bin/env bash
# Installs the peers the AWS and Kubernetes tests run against on loopback:
# moto (the AWS APIs), the AWS CLI v1 (to compare outputs with) and its
# jmespath (pinned: tests/jmespath_parity.rs compares our JMESPath with it)
# from PyPI; a Kubernetes v1.20.2 control plane, built once from Debian's source
# package and cached (scripts/cluster.sh build: about 7 minutes on a fresh
# machine, nothing when cached); and kubectl and jq (kubectl to compare
# outputs with, both for the side-by-side benchmark's checks) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check \
  'moto[server]==5.2.5' 'awscli==1.46.3' 'jmespath==1.1.0'
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
scripts/cluster.sh build
