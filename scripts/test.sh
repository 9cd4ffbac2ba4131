#!/usr/bin/env bash
# The test command: builds everything (warnings are errors in our own code) and runs the suite.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests 2>&1 | tee /tmp/colonies-build.log
if grep -E "^/.*(Sources|Tests)/.*: warning:" /tmp/colonies-build.log; then
    echo "test: the build printed warnings (above); fix them" >&2
    exit 1
fi
swift test --skip-build

# Allocation counts mean something only in optimized code (Tests/WireTests/
# DecodeAllocationTests.swift): the zero-allocation decode test runs again in release.
swift test -c release --filter DecodeAllocationTests 2>&1 | tee /tmp/colonies-release-test.log
if grep -q "skipped" /tmp/colonies-release-test.log; then
    echo "test: the release allocation test was skipped" >&2
    exit 1
fi

# The protocol, checked by a second implementation written from spec/PROTOCOL.md alone:
# every vector, then a client scenario against a live server built from this tree.
python3 spec/independent/check_vectors.py spec/vectors | tail -n 1
bash scripts/independent-scenario.sh
