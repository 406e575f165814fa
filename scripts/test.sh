#!/usr/bin/env bash
# Runs every test: unit tests and the end-to-end tests (the real kubectl against a real `apus server`).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product apus
swift test "$@"
