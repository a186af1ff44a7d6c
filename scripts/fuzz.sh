#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for SECONDS each (default 20), with
# cargo-fuzz on the nightly toolchain; installs cargo-fuzz when missing.
# A crash stops the script with its input under fuzz/artifacts/TARGET/;
# turn it into a regression test before anything else.
#
#   scripts/fuzz.sh            # each target 20 s: what .ci/run does
#   FUZZ_PROFILE=dev scripts/fuzz.sh   # the same on a debug build
#   scripts/fuzz.sh 900        # each target 15 min, optimised: the figures
#                              # in docs/reliability.md
#   scripts/fuzz.sh 900 query  # one target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(workflow recording command_line query)
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
# A short run needs a quick build more than fast executions.
profile=()
if [ "${FUZZ_PROFILE:-release}" = dev ]; then
  profile=(--dev)
fi
cd fuzz
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target"
  echo "fuzz: $target for ${seconds}s"
  # No sanitizer: the code is safe Rust, what is sought is a panic, an
  # abort or a hang; without one, builds and runs are several times faster.
  set +e
  cargo +nightly fuzz run "${profile[@]}" --sanitizer none "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+.*(DONE|pulse)|stat::|==|SUMMARY|error|.*panicked|.*Test unit written|INFO: Running with)"
  # grep only hides the progress lines; the status that counts is cargo's.
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target failed (exit $status); its input is in fuzz/artifacts/$target/" >&2
    exit "$status"
  fi
done
