#!/usr/bin/env bash
# Imports Apus' locally built images into a containerd's `k8s.io` namespace
# (the one the CRI plugin, and so the kubelet, sees).
# Usage: scripts/load-images.sh SOCKET [ARCHIVE...]
#   SOCKET   containerd gRPC socket, e.g. /run/containerd/containerd.sock
#   ARCHIVE  OCI archives from scripts/build-images.sh; default: the busybox and
#            pause archives in .build/images, (re)built first when missing or
#            older than their sources.
# Idempotent: re-importing an archive just re-points the same names at the
# same content. Names come from each archive's `io.containerd.image.name`
# annotation (set by build-images.sh), so no --base-name is passed; without
# that annotation ctr would call the image "import-YYYY-MM-DD:TAG".
set -euo pipefail

if [ "$#" -lt 1 ]; then
  echo "usage: $0 SOCKET [ARCHIVE...]" >&2
  exit 2
fi
sock="$1"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

command -v ctr >/dev/null 2>&1 || { echo "ctr not found (Debian package: containerd)" >&2; exit 1; }
[ -S "$sock" ] || { echo "no containerd socket at $sock" >&2; exit 1; }

if [ "$#" -eq 0 ]; then
  dir="$repo/.build/images"
  set -- "$dir/busybox.tar" "$dir/pause.tar"
  stale=0
  for a in "$@"; do
    # -nt is also true when the archive is missing.
    for src in "$here/build-images.sh" "$repo/images/pause/pause.c"; do
      [ "$src" -nt "$a" ] && stale=1
    done
  done
  if [ "$stale" -eq 1 ]; then
    "$here/build-images.sh" "$dir"
  fi
fi

ctr_() { ctr -a "$sock" -n k8s.io "$@"; }

for a in "$@"; do
  [ -f "$a" ] || { echo "no such archive: $a" >&2; exit 1; }
  ctr_ images import "$a"
  # Check the names the archive declares really exist now; a missing
  # annotation would otherwise silently give an "import-DATE" name.
  names="$(tar -xOf "$a" index.json | grep -o '"io.containerd.image.name":"[^"]*"' | cut -d'"' -f4 || true)"
  if [ -z "$names" ]; then
    echo "warning: $a has no io.containerd.image.name annotation; see 'ctr -n k8s.io images ls'" >&2
    continue
  fi
  for n in $names; do
    ctr_ images ls -q | grep -qxF "$n" || { echo "import of $a did not create $n" >&2; exit 1; }
    echo "loaded $n"
  done
done
