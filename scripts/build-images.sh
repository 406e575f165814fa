#!/usr/bin/env bash
# Builds the OCI image archives the Apus kubelet needs, without any registry:
#   OUTDIR/busybox.tar  -> docker.io/library/busybox:latest (so `image: busybox` resolves)
#   OUTDIR/pause.tar    -> apus.local/pause:1.0 (the pod sandbox image)
# Everything comes from local Debian packages (busybox-static, gcc) and is
# assembled with umoci. Each archive is a tarred OCI layout whose index entry
# carries the full image name in the `io.containerd.image.name` annotation, so
# a plain `ctr -n k8s.io images import FILE` yields exactly that name (see
# scripts/load-images.sh; no --base-name needed).
# Usage: scripts/build-images.sh OUTDIR     (run as root; idempotent)
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
mkdir -p "$1"
out="$(cd "$1" && pwd)"

# Install build tools only when something is missing (apt-get is slow).
need=()
command -v umoci >/dev/null 2>&1 || need+=(umoci)
[ -x /bin/busybox ] && /bin/busybox --list-full >/dev/null 2>&1 || need+=(busybox-static)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
dpkg -s libc6-dev >/dev/null 2>&1 || need+=(libc6-dev)
if [ "${#need[@]}" -gt 0 ]; then
  echo "installing: ${need[*]}"
  apt-get update
  apt-get install -y --no-install-recommends "${need[@]}"
fi
# /bin/busybox may be the dynamic `busybox` package, which cannot run in an
# image without libc; only the static build is usable as the whole rootfs.
if ldd /bin/busybox >/dev/null 2>&1; then # ldd fails on static binaries
  echo "/bin/busybox is not statically linked; install busybox-static" >&2
  exit 1
fi
# umoci's default architecture is its own GOARCH; take the host's from dpkg
# so the image always matches the node containerd runs on.
arch="$(dpkg --print-architecture)"

work="$(mktemp -d "${TMPDIR:-/tmp}/apus-images.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# umoci records only the tag (`org.opencontainers.image.ref.name`), and
# `ctr images import` would name such an image "import-YYYY-MM-DD:TAG" unless
# given --base-name. containerd prefers the `io.containerd.image.name`
# annotation, so add it: the archive then names itself. umoci writes index.json
# as compact one-line JSON with a single manifest here, so sed is enough (and
# checked). `umoci gc` first drops the blobs of superseded manifests/configs.
name_layout() { # LAYOUT TAG FULLNAME
  umoci gc --layout "$1"
  sed -i "s|\"org.opencontainers.image.ref.name\":\"$2\"|\"io.containerd.image.name\":\"$3\",&|" "$1/index.json"
  grep -qF "\"io.containerd.image.name\":\"$3\"" "$1/index.json" || {
    echo "could not annotate $1/index.json with $3" >&2
    exit 1
  }
}

# Tar the layout's contents (oci-layout, index.json, blobs/) at the archive
# root, as `ctr images import` expects (no leading directory). Owner and
# mode are normalised so the archive does not leak the builder's umask/uid.
pack_layout() { # LAYOUT ARCHIVE
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --mode=a+rX \
    -C "$1" -cf "$2.tmp" oci-layout index.json blobs
  mv "$2.tmp" "$2"
}

# Pin every timestamp (file mtimes, config/history "created") so identical
# inputs give identical digests: re-importing a rebuilt image is then a no-op
# instead of leaving the previous build behind in containerd (the CRI plugin
# keeps a `sha256:<config>` reference to each image it has seen).
epoch="${SOURCE_DATE_EPOCH:-0}"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
# repack's history entry and the final config, both with the pinned time.
repack() { # LAYOUT:TAG BUNDLE
  find "$2/rootfs" -exec touch -h -d "@$epoch" {} +
  umoci repack --history.created "$created" --image "$1" "$2"
}
config() { # LAYOUT:TAG ARGS...
  local img="$1"
  shift
  umoci config --image "$img" --created "$created" --history.created "$created" \
    --architecture "$arch" --os linux \
    --clear config.entrypoint --clear config.cmd --clear config.env "$@"
}

# Same default PATH as the Docker Hub images, so `sh -c` finds every applet.
PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# ---- busybox ---------------------------------------------------------------
lay="$work/busybox-oci"
umoci init --layout "$lay"
umoci new --image "$lay:latest"
umoci unpack --image "$lay:latest" "$work/busybox-bundle"
root="$work/busybox-bundle/rootfs"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,var/www,tmp}
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
install -m 0755 /bin/busybox "$root/bin/busybox"
# One symlink per applet, at the path busybox itself reports. `linuxrc` (no
# directory) is the initrd entry point and is meaningless in a container.
/bin/busybox --list-full | while read -r applet; do
  case "$applet" in
    */*) [ "$applet" = bin/busybox ] || ln -sfn /bin/busybox "$root/$applet" ;;
  esac
done
# Minimal account database: `id`, `ls -l`, httpd etc. look names up here.
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
EOF
repack "$lay:latest" "$work/busybox-bundle"
config "$lay:latest" --config.env "$PATH_ENV" --config.cmd sh
name_layout "$lay" latest docker.io/library/busybox:latest
pack_layout "$lay" "$out/busybox.tar"

# ---- pause -----------------------------------------------------------------
lay="$work/pause-oci"
umoci init --layout "$lay"
umoci new --image "$lay:1.0"
umoci unpack --image "$lay:1.0" "$work/pause-bundle"
# Static so the image needs no libc or loader; stripped and -Os to stay small.
gcc -static -Os -s -Wall -Wextra -Werror -o "$work/pause-bundle/rootfs/pause" \
  "$repo/images/pause/pause.c"
chmod 0755 "$work/pause-bundle/rootfs/pause"
repack "$lay:1.0" "$work/pause-bundle"
config "$lay:1.0" --config.env "$PATH_ENV" --config.entrypoint /pause
name_layout "$lay" 1.0 apus.local/pause:1.0
pack_layout "$lay" "$out/pause.tar"

echo "$out/busybox.tar (docker.io/library/busybox:latest)"
echo "$out/pause.tar (apus.local/pause:1.0)"
