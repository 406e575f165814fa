#!/usr/bin/env bash
# Starts a single-node Apus cluster on this machine: installs what is missing, builds, runs the server.
# The admin kubeconfig is written to <data-dir>/kubeconfig.yaml (default /var/lib/apus as root).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

# Release link settings that keep the idle server small (Benchmarks/run.sh uses the same ones).
# An idle server's memory is mostly mapped code, and a page of code counts as soon as one byte of it
# runs (the kernel maps up to 64 KiB around each fault), so the aim is fewer, denser code pages:
# - the Swift runtime and Foundation linked in statically: only what is referenced is linked, and
#   the loader no longer binds thousands of symbols across a dozen shared libraries;
# - lld with packed relative relocations (DT_RELR, needs glibc >= 2.36 where the server runs):
#   the relocation table, read in full at every start, shrinks from 3 MB to 26 KB;
# - no dynamic export of every symbol (-static-stdlib asks for it; nothing here looks symbols up);
# - one section per function, Swift and C, so --gc-sections also drops unused internal functions;
# - with scripts/apus.order present (scripts/generate-link-order.sh writes it): the functions a
#   starting and idle server runs are placed together at the start of the code.
release_flags=(--static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic
               -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [ "$(printf '%s\n' 2.36 "${glibc:-0}" | sort -V | head -n 1)" = 2.36 ]; then
  release_flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
fi
if [ -f scripts/apus.order ]; then
  release_flags+=(-Xlinker "--symbol-ordering-file=$PWD/scripts/apus.order" -Xlinker --no-warn-symbol-ordering)
fi
# swiftc re-emits an object only when its IR changes, so objects compiled before -function-sections
# would keep one .text section each: drop them once so they are compiled again.
if [ -d .build ] && [ "$(cat .build/.function-sections 2>/dev/null)" != 1 ]; then
  find .build -path '*/release/*' -name '*.swift.o' -delete
fi
swift build -c release --product apus "${release_flags[@]}"
mkdir -p .build && echo 1 > .build/.function-sections
exec .build/release/apus server "$@"
