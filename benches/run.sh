#!/usr/bin/env bash
# Whole-process figures, printed: start-up, validation throughput, replay
# wall time and peak memory. Builds the release binary first.
#   benches/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/rehearse
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Median of N runs of a command, in milliseconds (stdout and stderr discarded).
median_ms() {
  local n=$1; shift
  local times=()
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f", a[int((NR+1)/2)]/1000}'
}

# Peak resident memory of one run, in MiB (GNU time when present, else /proc).
peak_mib() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'
  else
    "$@" >/dev/null 2>&1 &
    local pid=$! peak=0
    while kill -0 "$pid" 2>/dev/null; do
      local rss
      rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    done
    awk -v k="$peak" 'BEGIN {printf "%.1f (sampled)", k/1024}'
  fi
}

echo "$($bin --version)"
echo "start-up: rehearse --version, median of 50: $(median_ms 50 $bin --version) ms"

# 1,000 varied workflow files.
python3 - "$work/wf" <<'PY'
import os, sys
out = sys.argv[1]
os.makedirs(out)
kinds = [
  'run = "echo {i}"\nexpect = [{{ query = "stdout", contains = "{i}" }}]',
  'aws = "eks describe-addon --cluster-name ${{C}} --addon-name a{i}"\nwait = {{ until = [{{ query = "addon.status", equals = "ACTIVE" }}] }}',
  'kubectl = "-n ns{i} get pods -l app=a{i}"\nexpect = [{{ jq = ".items | length", greater = 0 }}]',
  'http = "http://example.test/{i}"\nwait = {{ until = [{{ query = "status", equals = 200 }}], interval = "2s" }}',
  'aws = "iam get-role --role-name r{i} --query Role.AssumeRolePolicyDocument"\nexpect = [{{ query = "Statement[0].Action", contains = "sts:AssumeRole" }}]',
]
for n in range(1000):
    steps = []
    for s in range(4 + n % 7):
        steps.append(f'[[steps]]\nid = "s{s}"\n' + kinds[(n + s) % len(kinds)].format(i=n * 10 + s) + '\ncapture = { X%d = "a" }\n' % s)
    text = f'[workflow]\nname = "w{n:04}"\n\n[vars]\nC = {{ env = "C", default = "c" }}\n\n' + "\n".join(steps)
    open(os.path.join(out, f"w{n:04}.toml"), "w").write(text)
PY
t=$(median_ms 5 $bin validate "$work/wf")
echo "validation: 1000 files, median of 5: $t ms = $(awk -v t="$t" 'BEGIN {printf "%.0f", 1000/(t/1000)}') files/s"

# Validation memory: one workflow just under the 1 MiB limit (steps of a
# kubectl line and two checks), against one of three such steps.
big_workflow() {
  local steps=$1
  printf '[workflow]\nname = "big"\n\n[vars]\nNAME = "carts"\n\n'
  for i in $(seq 0 $((steps - 1))); do
    printf '[[steps]]\nid = "step-%d"\ntitle = "Step number %d checks the deployment"\n' "$i" "$i"
    printf 'kubectl = "-n carts get deployment ${NAME} -o json"\n'
    printf 'expect = [{ query = "spec.replicas", equals = 1 }, { jq = ".status.readyReplicas", greater = 0 }]\n\n'
  done
}
big_workflow 4500 > "$work/big.toml"
big_workflow 3 > "$work/small.toml"
big_kib=$(( $(stat -c %s "$work/big.toml") / 1024 ))
echo "validation memory: ${big_kib} KiB workflow $(peak_mib $bin validate "$work/big.toml") MiB, 3 steps $(peak_mib $bin validate "$work/small.toml") MiB"

# Replays (no network): the EKS reference recording, and the lab when it has one.
cp tests/fixtures/eks-reference/eks-addons.* "$work/"
echo "replay eks-addons (13 steps): median of 20: $(median_ms 20 $bin run --replay "$work/eks-addons.toml") ms, peak $(peak_mib $bin run --replay "$work/eks-addons.toml") MiB"
if [ -f workflows/eks-pod-identity.recording.yaml ]; then
  echo "replay eks-pod-identity: median of 20: $(median_ms 20 $bin run --replay workflows/eks-pod-identity.toml) ms, peak $(peak_mib $bin run --replay workflows/eks-pod-identity.toml) MiB"
fi

# Many workflows at once: 100 copies of the lab (each with its recording),
# replayed in one process with --jobs 1, 2 and 8.
if [ -f workflows/eks-pod-identity.recording.yaml ]; then
  mkdir -p "$work/many"
  for i in $(seq -w 1 100); do
    cp workflows/eks-pod-identity.toml "$work/many/lab-$i.toml"
    cp workflows/eks-pod-identity.recording.yaml "$work/many/lab-$i.recording.yaml"
  done
  echo "100 replays of eks-pod-identity in one process ($(nproc) cores):"
  for jobs in 1 2 8; do
    t=$(median_ms 5 $bin run --replay --jobs "$jobs" "$work/many")
    echo "  --jobs $jobs: median of 5: $t ms = $(awk -v t="$t" 'BEGIN {printf "%.0f", 100/(t/1000)}') workflows/s, peak $(peak_mib $bin run --replay --jobs "$jobs" "$work/many") MiB"
  done
fi
