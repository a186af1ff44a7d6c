#!/usr/bin/env bash
# Imports every lab of an EKS Workshop checkout and validates each
# workflow; prints a line per lab, then the totals: labs, pages, commands,
# steps by kind, skipped steps, harness differences, validation results.
#   benches/import-workshop.sh WORKSHOP [OUT_DIR]
# WORKSHOP is a checkout of aws-samples/eks-workshop-v2 (never copied into
# this project). OUT_DIR keeps the workflows and each import's summary (a
# temporary folder otherwise). REHEARSE names the binary to use (default:
# the release build, built first). Exit 0 when every lab imports and every
# imported workflow validates. The `cli` column counts the aws and kubectl
# steps that run through the real CLI (in the aws and kubectl columns too).
#
# A lab is a folder of WORKSHOP/website/docs, not at or below a `.notest`,
# whose tests start by resetting the cluster with `prepare-environment`:
# its index page runs `$ prepare-environment` in a bash block, or its suite
# hook (tests/hook-suite.sh) does. Those are the workshop's modules
# (`sidebar_custom_props: { "module": true }`) and its cleanup page.
set -euo pipefail
workshop=${1:?usage: benches/import-workshop.sh WORKSHOP [OUT_DIR]}
docs=$(cd "$workshop" && pwd)/website/docs
[ -d "$docs" ] || { echo "error: $docs is not a folder: WORKSHOP is a checkout of eks-workshop-v2" >&2; exit 2; }
cd "$(dirname "$0")/.."
if [ -z "${REHEARSE:-}" ]; then
  cargo build --release --quiet
  REHEARSE=target/release/rehearse
fi
bin=$(realpath "$REHEARSE")
if [ -n "${2:-}" ]; then
  out=$(mkdir -p "$2" && cd "$2" && pwd)
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi

# Whether $1 or a folder above it (up to the docs) has a .notest file.
excluded() {
  local d=$1
  while [ "${#d}" -ge "${#docs}" ]; do
    [ -e "$d/.notest" ] && return 0
    d=$(dirname "$d")
  done
  return 1
}

is_lab() {
  local dir=$1 page
  for page in _index.md index.en.md index.md; do
    [ -f "$dir/$page" ] && grep -Eq '^[[:space:]]*\$ prepare-environment' "$dir/$page" && return 0
  done
  [ -f "$dir/tests/hook-suite.sh" ] && grep -q prepare-environment "$dir/tests/hook-suite.sh" &&
    ls "$dir"/*.md >/dev/null 2>&1
}

labs=()
while IFS= read -r dir; do
  excluded "$dir" || ! is_lab "$dir" || labs+=("$dir")
done < <(find "$docs" -mindepth 1 -type d -not -name tests | LC_ALL=C sort)

# The number after "KEY: " on the summary's line that starts with KEY.
field() { sed -n "s/^$2: \([0-9]*\).*/\1/p" "$1"; }
# The number after WORD inside the summary's "steps:" line.
in_steps() { sed -n "s/^steps: .*[(,;] *$2 \([0-9]*\).*/\1/p" "$1"; }
# The number of aws/kubectl steps that run through the CLI.
through_cli() { sed -n 's/^steps: .*through the CLI \([0-9]*\).*/\1/p' "$1"; }
# The Nth number of the summary's "blocks:" line.
blocks() { sed -n "s/^blocks: \([0-9]*\) bash (\([0-9]*\) test=false.*/\\$2/p" "$1"; }

cols='%-60s %5s %6s %5s %4s %7s %4s %4s %4s %7s %7s %8s\n'
# shellcheck disable=SC2059
printf "$cols" lab pages blocks cmds aws kubectl cli run hook skipped harness validate
keys=(pages blocks untested commands aws kubectl cli run hook skipped harness)
declare -A total=()
imported=0 failed=0 valid=0 invalid=0
for lab in "${labs[@]}"; do
  rel=${lab#"$docs"/}
  name=${rel//\//_}
  wf="$out/$name.toml"
  log="$out/$name.summary"
  # Exit 0: written and valid; 1: written, does not validate; 2: not imported.
  code=0
  "$bin" import "$lab" -o "$wf" 2>"$log" || code=$?
  if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
    failed=$((failed + 1))
    printf '%-60s IMPORT FAILED (exit %s): %s\n' "$rel" "$code" "$(grep -m1 '^error' "$log" || tail -1 "$log")"
    continue
  fi
  imported=$((imported + 1))
  if "$bin" validate "$wf" >/dev/null 2>"$out/$name.validate"; then
    result=pass valid=$((valid + 1))
  else
    result=FAIL invalid=$((invalid + 1))
  fi
  declare -A row=(
    [pages]=$(field "$log" pages)
    [blocks]=$(blocks "$log" 1)
    [untested]=$(blocks "$log" 2)
    [commands]=$(field "$log" commands)
    [aws]=$(in_steps "$log" aws)
    [kubectl]=$(in_steps "$log" kubectl)
    [cli]=$(through_cli "$log")
    [run]=$(in_steps "$log" run)
    [hook]=$(in_steps "$log" hook)
    [skipped]=$(in_steps "$log" skipped)
    [harness]=$(field "$log" "harness differences")
  )
  for k in "${keys[@]}"; do total[$k]=$((${total[$k]:-0} + ${row[$k]:-0})); done
  # shellcheck disable=SC2059
  printf "$cols" "$rel" "${row[pages]}" "${row[blocks]}" "${row[commands]}" "${row[aws]}" \
    "${row[kubectl]}" "${row[cli]}" "${row[run]}" "${row[hook]}" "${row[skipped]}" "${row[harness]}" "$result"
done

sources=0
"$bin" validate --sources "$out" >"$out/sources.txt" 2>&1 || sources=$?
t() { echo "${total[$1]:-0}"; }
steps=$(($(t aws) + $(t kubectl) + $(t run) + $(t hook)))
echo
echo "labs: ${#labs[@]} ($imported imported, $failed failed to import)"
echo "pages: $(t pages)"
echo "bash blocks: $(t blocks) ($(t untested) test=false)"
echo "commands: $(t commands)"
echo "steps: $steps (aws $(t aws), kubectl $(t kubectl), of which $(t cli) through the CLI; run $(t run), hook runs $(t hook); skipped $(t skipped))"
echo "harness differences: $(t harness)"
echo "validate: $valid pass, $invalid fail"
echo "validate --sources: exit $sources ($(grep -c '^ok:' "$out/sources.txt" || true) workflows as imported)"
[ "$failed" -eq 0 ] && [ "$invalid" -eq 0 ] && [ "$imported" -eq "${#labs[@]}" ]
