#!/usr/bin/env bash
# Builds apus and a benchmark (release) and runs it.
#   Benchmarks/run.sh [apus-bench options]          the API server benchmark, e.g. --json out.json
#   Benchmarks/run.sh cluster scheduling|scale ...   the control-plane benchmarks (apus-cluster-bench)
# APUS_BENCH_SCRATCH picks the build folder (default: .build-bench at the package root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${APUS_BENCH_SCRATCH:-$root/.build-bench}"
cd "$root"
bench=apus-bench
if [ "${1:-}" = cluster ]; then
  bench=apus-cluster-bench
  shift
fi
# The server is linked as scripts/start-cluster.sh links it (both products with the same flags, so
# building one does not rebuild the other).
source scripts/release-flags.sh
drop_objects_without_function_sections "$scratch"
build=(swift build -c release --scratch-path "$scratch" "${release_flags[@]}")
"${build[@]}" --product apus
"${build[@]}" --product "$bench"
mark_function_sections "$scratch"
bin="$("${build[@]}" --show-bin-path)"
if [ "$bench" = apus-cluster-bench ]; then
  exec "$bin/$bench" "${1:?scheduling or scale}" --apus "$bin/apus" "${@:2}"
fi
exec "$bin/$bench" --apus "$bin/apus" "$@"
