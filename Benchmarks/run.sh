#!/usr/bin/env bash
# Builds apus and apus-bench (release) and runs the benchmark with its default settings.
# Extra arguments go to apus-bench (see `apus-bench --help`), e.g. ./Benchmarks/run.sh --json out.json
# APUS_BENCH_SCRATCH picks the build folder (default: .build-bench at the package root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${APUS_BENCH_SCRATCH:-$root/.build-bench}"
cd "$root"
# The server is linked as scripts/start-cluster.sh links it (both products with the same flags, so
# building one does not rebuild the other).
source scripts/release-flags.sh
drop_objects_without_function_sections "$scratch"
build=(swift build -c release --scratch-path "$scratch" "${release_flags[@]}")
"${build[@]}" --product apus
"${build[@]}" --product apus-bench
mark_function_sections "$scratch"
bin="$("${build[@]}" --show-bin-path)"
exec "$bin/apus-bench" --apus "$bin/apus" "$@"
