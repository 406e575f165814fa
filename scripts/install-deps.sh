#!/usr/bin/env bash
# Installs the system packages Apus needs to build and test on Debian (run as root).
# kubectl comes from the machine's configured package repository; the others from Debian.
set -euo pipefail
need=()
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v kubectl >/dev/null 2>&1 || need+=(kubectl)
# The node agent: containerd and runc run the containers, the CNI plugins give pods their network.
command -v containerd >/dev/null 2>&1 || need+=(containerd)
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
# The bridge plugin masquerades and portmap maps host ports with iptables.
command -v iptables >/dev/null 2>&1 || need+=(iptables)
# Local images (scripts/build-images.sh): busybox from Debian, a pause program built with gcc.
command -v umoci >/dev/null 2>&1 || need+=(umoci)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
dpkg -s libc6-dev >/dev/null 2>&1 || need+=(libc6-dev)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
command -v swift >/dev/null 2>&1 || { echo "swift (6.x) is required on PATH" >&2; exit 1; }
command -v kubectl >/dev/null 2>&1 || { echo "kubectl could not be installed" >&2; exit 1; }
