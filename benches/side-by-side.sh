#!/usr/bin/env bash
# Side by side with the incumbent's way, on the same moto_server on
# loopback: the Pod Identity lab's AWS reads and their checks
#   (a) as a bash script calling the `aws` CLI and `jq` per command, the
#       way the workshop harness runs them (benches/side-by-side/tutorial-reads.sh);
#   (b) as a live rehearse workflow (benches/side-by-side/tutorial-reads.toml).
# Prints the median of each over RUNS runs (default 10) and their ratio.
#   benches/side-by-side.sh            (needs scripts/peers.sh's peers)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-10}
for tool in moto_server aws jq; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/peers.sh" >&2; exit 2; }
done
cargo build --release --quiet
bin=$PWD/target/release/rehearse
work=$(mktemp -d)

# moto on a free loopback port, stopped on exit.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null; wait $moto 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

# Both sides see the same endpoint, fake credentials, and no user config.
: >"$work/config"
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
  AWS_REGION=us-west-2 AWS_DEFAULT_REGION=us-west-2 AWS_CONFIG_FILE=$work/config \
  AWS_SHARED_CREDENTIALS_FILE=$work/config EKS_CLUSTER_NAME=eks-workshop
unset AWS_PROFILE AWS_SESSION_TOKEN

"$bin" run benches/side-by-side/seed.toml >/dev/null
# One untimed run of each: both must pass before anything is timed.
benches/side-by-side/tutorial-reads.sh >/dev/null
"$bin" run benches/side-by-side/tutorial-reads.toml >/dev/null

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'; }
: >"$work/bash" ; : >"$work/rehearse"
for _ in $(seq "$runs"); do
  ms benches/side-by-side/tutorial-reads.sh >>"$work/bash"
  ms "$bin" run benches/side-by-side/tutorial-reads.toml >>"$work/rehearse"
done
a=$(median <"$work/bash")
b=$(median <"$work/rehearse")
echo "side by side, 6 AWS reads and 11 checks on moto_server, median of $runs runs:"
echo "  (a) bash + aws CLI $(aws --version 2>&1 | cut -d' ' -f1) + jq: $a ms"
echo "  (b) rehearse run (live):        $b ms"
awk -v a="$a" -v b="$b" 'BEGIN {printf "  ratio: %.1f times faster\n", a/b}'
