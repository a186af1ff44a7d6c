#!/usr/bin/env bash
# The test suite, exactly as README.md gives it and .ci/run calls it.
# It needs only the Rust toolchain and bash: the engine's tests run real
# shell processes and the built binary on this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --all-targets --no-fail-fast
# Doc tests of the library (none need a peer).
cargo test --doc
