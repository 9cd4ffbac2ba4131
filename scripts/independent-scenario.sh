#!/usr/bin/env bash
# Runs spec/independent/client_scenario.py against a server started from the built tree, on a
# free port with a temporary data folder: phase one, then a restart (SIGTERM, then a new
# server on the same folder and port), then phase two, which checks that phase one's state
# was kept. Finally it checks the folder the server leaves behind. Prints the failed checks,
# one line each, and ends with the total `N passed, M failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONDONTWRITEBYTECODE=1  # leave no __pycache__ in spec/independent

bin="$(swift build --show-bin-path)/colonies"
work=$(mktemp -d /tmp/colonies-independent.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
key=$("$bin" security generate)
server=""

start_server() {
    "$bin" server start --port "$port" --data "$work/data" --serverprvkey "$key" \
        --log-level warning 2>>"$work/server.log" &
    server=$!
    for _ in $(seq 100); do
        "$bin" server ping --port "$port" >/dev/null 2>&1 && return
        sleep 0.1
    done
    echo "independent-scenario: the server did not answer a ping within 10 s" >&2
}

# SIGTERM must stop the server cleanly (colonies server start --help); its status says so.
stop_server() {
    local status=0
    kill -TERM "$server"
    wait "$server" || status=$?
    server=""
    if [ "$status" -ne 0 ]; then
        echo "FAIL server exited with status $status after SIGTERM"
        failed=$((failed + 1))
    fi
}

cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
# One phase of the client: its FAIL lines, then its own summary; the counts add up.
run_phase() {
    local phase=$1 log="$work/$1.log" summary ok bad
    python3 spec/independent/client_scenario.py 127.0.0.1 "$port" "$key" \
        --phase "$phase" --state "$work/state.json" >"$log" 2>&1 || true
    grep -E '^FAIL' "$log" || true
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "FAIL $phase printed no summary:"; tail -n 5 "$log"
        failed=$((failed + 1))
        return
    fi
    echo "$phase: $summary"
    read -r ok _ bad _ <<<"$summary"
    passed=$((passed + ok))
    failed=$((failed + bad))
}

start_server
run_phase before-restart
stop_server
start_server
run_phase after-restart
stop_server

if ! "$bin" store check --data "$work/data"; then
    echo "FAIL store check"
    failed=$((failed + 1))
fi
if [ "$failed" -ne 0 ]; then
    echo "server log (last 20 lines):"; tail -n 20 "$work/server.log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
