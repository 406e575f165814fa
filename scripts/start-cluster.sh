#!/usr/bin/env bash
# Starts a single-node Apus cluster on this machine: installs what is missing, builds, runs the server.
# The admin kubeconfig is written to <data-dir>/kubeconfig.yaml (default /var/lib/apus as root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/release-flags.sh
drop_objects_without_function_sections .build
swift build -c release --product apus "${release_flags[@]}"
mark_function_sections .build
exec .build/release/apus server "$@"
