#!/usr/bin/env bash
# How much of the EKS Workshop's plain `aws` and `kubectl` lines rehearse
# runs, natively or through the CLI.
#   benches/workshop-coverage.sh WORKSHOP [OUT_DIR]
# WORKSHOP is a checkout of aws-samples/eks-workshop-v2 (never copied into
# this project). OUT_DIR keeps the one-step workflows and what rehearse said
# of them (a temporary folder otherwise). REHEARSE names the binary to use
# (default: the debug build, built first).
#
# 1. `rehearse import --commands WORKSHOP/website/docs` lists every `aws`
#    and `kubectl` command of the pages' bash blocks, read as `import` reads
#    them (pages under a `.notest` left out), and says which are plain: no
#    pipe, `$(…)`, redirection, `&&`, `;`… as the step parsers split them.
# 2. Each plain line becomes a one-step workflow (its variables declared,
#    read from the environment) in one folder.
# 3. One `rehearse validate` over the folder says which validate; one
#    `rehearse list` over those says which run natively and why the others
#    run through the CLI; one `rehearse validate --native-only` must refuse
#    exactly those.
# Prints the counts by tool and service, then the reasons lines go through
# the CLI, most frequent first. Exit 0 when every plain line validates.
set -euo pipefail
workshop=${1:?usage: benches/workshop-coverage.sh WORKSHOP [OUT_DIR]}
docs=$(cd "$workshop" && pwd)/website/docs
[ -d "$docs" ] || { echo "error: $docs is not a folder: WORKSHOP is a checkout of eks-workshop-v2" >&2; exit 2; }
cd "$(dirname "$0")/.."
if [ -z "${REHEARSE:-}" ]; then
  cargo build --quiet
  REHEARSE=target/debug/rehearse
fi
bin=$(realpath "$REHEARSE")
if [ -n "${2:-}" ]; then
  out=$(mkdir -p "$2" && cd "$2" && pwd)
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
rm -rf "$out/lines" "$out/invalid"
mkdir -p "$out/lines" "$out/invalid"

"$bin" import --commands "$docs" >"$out/commands.jsonl"

# Plain lines as one-step workflows: lines/NNNN.toml, NNNN the line's rank.
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
for n, raw in enumerate(open(f"{out}/commands.jsonl")):
    c = json.loads(raw)
    if not c["plain"]:
        continue
    toml = [f'[workflow]\nname = "line-{n:04}"\n', "[vars]"]
    toml += [f'{v} = {{ env = "{v}" }}' for v in c["vars"]]
    # A JSON string is a TOML basic string.
    toml += ["", "[[steps]]", 'id = "line"', f'{c["tool"]} = {json.dumps(c["line_text"])}', ""]
    with open(f"{out}/lines/{n:04}.toml", "w") as f:
        f.write("\n".join(toml))
PY

# Which validate: the others are moved aside (list needs valid files).
"$bin" validate "$out/lines" >/dev/null 2>"$out/validate.txt" || true
sed -n 's/^.*\/\([0-9]*\.toml\): [0-9]* errors*$/\1/p' "$out/validate.txt" | while read -r f; do
  mv "$out/lines/$f" "$out/invalid/"
done
"$bin" list "$out/lines" >"$out/list.txt"
"$bin" validate --native-only "$out/lines" >/dev/null 2>"$out/native-only.txt" || true

python3 - "$out" <<'PY'
import json, os, re, sys
from collections import Counter
out = sys.argv[1]
commands = [json.loads(l) for l in open(f"{out}/commands.jsonl")]
invalid = {f[:-5] for f in os.listdir(f"{out}/invalid")}
# list: "line-NNNN (path)", "  1. line [kind]", "       through the X CLI: why"
kind, why, current = {}, {}, None
for l in open(f"{out}/list.txt"):
    m = re.match(r"^line-(\d+) ", l)
    if m:
        current = m.group(1)
    elif m := re.match(r"^ +1\. line \[(.*)\]", l):
        kind[current] = m.group(1)
    elif m := re.match(r"^ +through the \w+ CLI: (.*)$", l):
        why[current] = m.group(1)
refused = set(re.findall(r"lines/(\d+)\.toml: \d+ errors?", open(f"{out}/native-only.txt").read()))

def group(c):
    if c["tool"] == "kubectl":
        return "kubectl"
    words = c["text"].split()[1:]
    service = next((w for w in words if not w.startswith("-")), "")
    return "aws eks|iam|sts" if service in ("eks", "iam", "sts") else "aws, other services"

groups = ["kubectl", "aws eks|iam|sts", "aws, other services"]
rows = {g: Counter() for g in groups}
reasons = {g: Counter() for g in groups}
for n, c in enumerate(commands):
    g, key = group(c), f"{n:04}"
    rows[g]["lines"] += 1
    if not c["plain"]:
        continue
    rows[g]["plain"] += 1
    if key in invalid:
        rows[g]["invalid"] += 1
        continue
    rows[g]["valid"] += 1
    if kind.get(key, "").endswith("(cli)"):
        rows[g]["cli"] += 1
        # One group per reason: a URL or a container name is not a reason.
        reason = re.sub(r"\((https?://[^)]*)\)", "(URL)", why.get(key, "?"))
        reasons[g][reason] += 1
    else:
        rows[g]["native"] += 1

pct = lambda a, b: f"{100 * a / b:.1f}%" if b else "-"
print(f"{'':22} {'lines':>6} {'plain':>6} {'validate':>9} {'native':>15} {'CLI':>6}")
total = Counter()
for g in groups + ["all"]:
    r = rows[g] if g != "all" else total
    print(f"{g:22} {r['lines']:6} {r['plain']:6} {r['valid']:5} {pct(r['valid'], r['plain']):>5}"
          f" {r['native']:5} {pct(r['native'], r['plain']):>9} {r['cli']:6}")
    if g != "all":
        total.update(r)
cli = sum(r["cli"] for r in rows.values())
print(f"\nvalidate --native-only refuses {len(refused)} of the {total['valid']} valid lines"
      f" ({'the' if len(refused) == cli else 'NOT the'} {cli} that list shows through the CLI)")
for g in groups:
    if reasons[g]:
        print(f"\nthrough the CLI, {g}:")
        for reason, n in reasons[g].most_common():
            print(f"  {n:4}  {reason}")
if invalid:
    print("\ninvalid plain lines:")
    for n in sorted(invalid):
        print(f"  {commands[int(n)]['page'].split('/docs/')[-1]}:{commands[int(n)]['line']}: {commands[int(n)]['text']}")
sys.exit(1 if invalid else 0)
PY
