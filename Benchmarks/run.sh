#!/usr/bin/env bash
# Builds apus and apus-bench (release) and runs the benchmark with its default settings.
# Extra arguments go to apus-bench (see `apus-bench --help`), e.g. ./Benchmarks/run.sh --json out.json
# APUS_BENCH_SCRATCH picks the build folder (default: .build-bench at the package root).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${APUS_BENCH_SCRATCH:-$root/.build-bench}"
cd "$root"
swift build -c release --product apus --scratch-path "$scratch"
swift build -c release --product apus-bench --scratch-path "$scratch"
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
exec "$bin/apus-bench" --apus "$bin/apus" "$@"
