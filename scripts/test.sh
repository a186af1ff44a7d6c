#!/usr/bin/env bash
# The test suite, exactly as README.md gives it and .ci/run calls it.
# It installs the peers that tests run against on loopback (moto_server,
# the AWS CLI, a Kubernetes control plane, kubectl; see scripts/peers.sh),
# starts one Kubernetes control plane for the whole run (the kube test
# binaries share it through REHEARSE_TEST_KUBECONFIG; each registers its own
# fake kubelet) and stops it at the end, failed or interrupted as well.
# The AWS test binaries start and stop their own moto, on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/peers.sh

cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-test-cluster.XXXXXX")
stop_cluster() {
  scripts/cluster.sh stop "$cluster_dir" --clean || true
  rmdir "$cluster_dir" 2>/dev/null || true
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
started=$(date +%s.%N)
REHEARSE_TEST_KUBECONFIG=$(scripts/cluster.sh start "$cluster_dir")
export REHEARSE_TEST_KUBECONFIG
awk -v a="$started" -v b="$(date +%s.%N)" \
  'BEGIN { printf "test.sh: the Kubernetes control plane started in %.1f s\n", b - a }' >&2

cargo test --all-targets --no-fail-fast
cargo test --doc
