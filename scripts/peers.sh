#!/usr/bin/env bash
# Local test peers on loopback. The Kubernetes tests run the kmock emulator
# (../shared/tools/kube-emulator.py) and compare with Debian's kubectl.
set -euo pipefail
python3 -m pip install --quiet 'kmock==0.8'
if ! command -v kubectl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && apt-get install -y -qq kubectl
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq kubectl
    fi
fi
