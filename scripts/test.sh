#!/usr/bin/env bash
# Runs every test: unit tests and the end-to-end tests (the real kubectl against a real `apus server`).
# End-to-end tests each start a server with its controllers and scheduler (and simulated nodes), so
# at most four tests run at once: more would starve a 2-core machine and turn timing into failures.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product apus
swift test --experimental-maximum-parallelization-width 4 "$@"
