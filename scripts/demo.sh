#!/usr/bin/env bash
# The main job, end to end on one machine: build, start a server with a fresh data folder,
# register a colony and a runtime, approve it, start a worker, submit a process and print
# its output. Everything it makes lives in one temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
swift build --product colonies
bin="$PWD/.build/debug/colonies"

work=$(mktemp -d /tmp/colonies-demo.XXXXXX)
mkdir -m 700 "$work/keys"
server_pid=""
worker_pid=""
cleanup() {
    for pid in $worker_pid $server_pid; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# A free port, so the demo never collides with a server already running.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export COLONIES_SERVER_PORT=$port
export COLONIES_KEYCHAIN="$work/keys"

step() { printf '\n== %s\n' "$*"; }

step "make the server owner's key"
export COLONIES_SERVER_PRVKEY=$("$bin" security generate)
export COLONIES_SERVER_ID=$("$bin" security id --prvkey "$COLONIES_SERVER_PRVKEY")
echo "server owner: $COLONIES_SERVER_ID"

step "start a server on port $port with data in $work/data"
"$bin" server start --data "$work/data" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 50); do "$bin" server ping >/dev/null 2>&1 && break; sleep 0.1; done
"$bin" server ping

step "register a colony (its key goes to the keychain)"
export COLONIES_COLONY_ID=$("$bin" colony register --spec examples/colony.json)
echo "colony: $COLONIES_COLONY_ID"

step "register a runtime and approve it"
export COLONIES_RUNTIME_ID=$("$bin" runtime register --spec examples/runtime.json)
"$bin" runtime approve --runtimeid "$COLONIES_RUNTIME_ID"
"$bin" runtime ls

step "start a worker as that runtime"
"$bin" worker start 2>"$work/worker.log" &
worker_pid=$!

step "submit a process and watch it run"
process=$("$bin" process submit --spec examples/process_spec.json)
echo "process: $process"
"$bin" process watch --processid "$process"

step "read its output"
"$bin" process get --processid "$process"
"$bin" process pss

step "server log"
cat "$work/server.log"
