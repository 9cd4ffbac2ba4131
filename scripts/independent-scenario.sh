#!/usr/bin/env bash
# Runs spec/independent/client_scenario.py against a server started from the built tree, on a
# free port with a temporary data folder, then checks the folder the server leaves behind.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(swift build --show-bin-path)/colonies"
work=$(mktemp -d /tmp/colonies-independent.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key=$("$bin" security generate)

"$bin" server start --port "$port" --data "$work/data" --serverprvkey "$key" \
    --log-level warning 2>"$work/server.log" &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do "$bin" server ping --port "$port" >/dev/null 2>&1 && break; sleep 0.1; done

python3 spec/independent/client_scenario.py 127.0.0.1 "$port" "$key" | tail -n 1
kill "$server"
wait "$server" || true
"$bin" store check --data "$work/data"
