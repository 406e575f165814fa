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
# The node's images (busybox, pause), which its agent loads into containerd at start: no registry needed.
data_dir=/var/lib/apus
previous=""
for argument in "$@"; do
  [ "$previous" = "--data-dir" ] && data_dir="$argument"
  case "$argument" in --data-dir=*) data_dir="${argument#--data-dir=}" ;; esac
  previous="$argument"
done
bash scripts/build-images.sh "$data_dir/agent/images"
exec .build/release/apus server "$@"
