#!/usr/bin/env bash
# Starts a single-node Apus cluster on this machine: installs what is missing, builds, runs the server.
# The admin kubeconfig is written to <data-dir>/kubeconfig.yaml (default /var/lib/apus as root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
swift build -c release --product apus
exec .build/release/apus server "$@"
