#!/usr/bin/env bash
# Runs the server's integration tests (Tests/ServerTests) under ThreadSanitizer and fails on
# any report. Its own build folder, .build-tsan, keeps the normal build untouched; the first
# build takes a few minutes. An argument replaces the test filter: scripts/tsan.sh AbuseTests.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp /tmp/colonies-tsan.XXXXXX)
trap 'rm -f "$log"' EXIT

swift build --build-tests --sanitize=thread --scratch-path .build-tsan
# Without halting, every race is reported and the tests still run to the end.
TSAN_OPTIONS="halt_on_error=0 ${TSAN_OPTIONS:-}" swift test --skip-build --sanitize=thread \
    --scratch-path .build-tsan --filter "${1:-ServerTests}" 2>&1 | tee "$log"

races=$(grep -c "WARNING: ThreadSanitizer" "$log" || true)
if [ "$races" -gt 0 ]; then
    echo "tsan: $races report(s) above" >&2
    exit 1
fi
echo "tsan: no reports"
