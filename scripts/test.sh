#!/usr/bin/env bash
# The test suite, exactly as README.md gives it and .ci/run calls it.
# It installs the peers that tests run against on loopback (moto_server,
# the AWS CLI, the kmock Kubernetes emulator, kubectl; see scripts/peers.sh);
# the test binaries start and stop them themselves, on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/peers.sh
cargo test --all-targets --no-fail-fast
cargo test --doc
