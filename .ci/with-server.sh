#!/usr/bin/env bash
# Starts the built server on a free loopback port with a fresh data dir (demo
# data), waits until it is ready, runs the given command with PLEIN_URL set,
# then stops the server and removes the data dir. Used by .ci/e2e.sh and
# `make bench-web`.
#   bash .ci/with-server.sh ./bin/plein <command> [args…]
# SERVER_TMP is the parent of the data dir (default: $TMPDIR or /tmp);
# .ci/e2e.sh puts it in memory, `make bench-web` keeps it on disk.
set -euo pipefail
BIN="$1"
shift
data="$(mktemp -d -p "${SERVER_TMP:-${TMPDIR:-/tmp}}")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18080)"
url="http://127.0.0.1:${port}"
log="$data/server.log"
PLEIN_LISTEN="127.0.0.1:${port}" PLEIN_BASE_URL="$url" PLEIN_DATA_DIR="$data" "$BIN" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
# Wait for readiness (bounded: 120 tries).
for _ in $(seq 1 120); do
	if curl -sf "$url/readyz" >/dev/null; then break; fi
	if ! kill -0 "$pid" 2>/dev/null; then echo "server exited:"; cat "$log"; exit 1; fi
	sleep 0.5
done
curl -sf "$url/readyz" >/dev/null || { echo "server not ready:"; tail -50 "$log"; exit 1; }
status=0
PLEIN_URL="$url" PLEIN_SERVER_LOG="$log" "$@" || status=$?
if [ $status -ne 0 ]; then echo "--- server log (tail)"; tail -40 "$log"; fi
exit $status
