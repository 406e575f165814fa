#!/usr/bin/env bash
# Builds apus and apus-bench (release) and runs the benchmark with its default settings.
# Extra arguments go to apus-bench (see `apus-bench --help`), e.g. ./Benchmarks/run.sh --json out.json
# APUS_BENCH_SCRATCH picks the build folder (default: .build-bench at the package root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${APUS_BENCH_SCRATCH:-$root/.build-bench}"
cd "$root"
# The server is linked as scripts/start-cluster.sh links it (see there for why): static Swift
# runtime and Foundation, lld, packed relative relocations, no dynamic exports, one section per
# function, and the start-up functions first when scripts/apus.order exists.
release_flags=(--static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic
               -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
if [ "$(printf '%s\n' 2.36 "${glibc:-0}" | sort -V | head -n 1)" = 2.36 ]; then
  release_flags+=(-Xlinker -z -Xlinker pack-relative-relocs)
fi
if [ -f scripts/apus.order ]; then
  release_flags+=(-Xlinker "--symbol-ordering-file=$root/scripts/apus.order" -Xlinker --no-warn-symbol-ordering)
fi
# swiftc re-emits an object only when its IR changes, so objects compiled before -function-sections
# would keep one .text section each: drop them once so they are compiled again.
if [ -d "$scratch" ] && [ "$(cat "$scratch/.function-sections" 2>/dev/null)" != 1 ]; then
  find "$scratch" -name '*.swift.o' -delete
fi
build=(swift build -c release --scratch-path "$scratch" "${release_flags[@]}")
"${build[@]}" --product apus
"${build[@]}" --product apus-bench
echo 1 > "$scratch/.function-sections"
bin="$("${build[@]}" --show-bin-path)"
exec "$bin/apus-bench" --apus "$bin/apus" "$@"
