#!/usr/bin/env bash
# Runs a command with the embedded store (FerretDB on SQLite) served by the
# built binary in a process of its own: `with-store.sh ./bin/plein go test ...`.
#
# Why: the Go tests run with -race, and the race detector instruments every
# package in the test binary. With the store inside the test binary, FerretDB
# and the SQLite engine (C translated to Go) run instrumented too: a server
# start with the demo seed took about 18 s, most of it in SQLite. Served by
# `plein store` (built without -race), the same tests talk to the same
# engine over the wire at native speed, and the race detector still checks
# all of Plein's own code. storetest reads PLEIN_TEST_MONGODB_URI; each test
# uses its own database, dropped at its end.
#
# STORE_TMP is the parent of the store's directory (default: $TMPDIR or
# /tmp). `make test-go` sets it to /dev/shm where the machine has it: the
# store commits with synchronous=full (the production default), each commit's
# fsync takes about 4 ms on this disk and an app start with the demo seed
# makes about 1,200 of them; the tests check what the store answers, never
# what survives a power cut (docs/performance.md, "make test time").
# Benchmarks that measure the store keep the default.
set -euo pipefail
BIN="$1"
shift
dir="$(mktemp -d -p "${STORE_TMP:-${TMPDIR:-/tmp}}")"
mkdir -p "$dir/data"
log="$dir/store.log"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 27917)"
"$BIN" store -listen "127.0.0.1:${port}" -dir "$dir/data" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
# Wait until the store accepts connections (bounded: 60 tries).
for _ in $(seq 1 60); do
	if grep -q "embedded store ready" "$log"; then break; fi
	if ! kill -0 "$pid" 2>/dev/null; then echo "store exited:"; cat "$log"; exit 1; fi
	sleep 0.5
done
grep -q "embedded store ready" "$log" || { echo "store not ready:"; tail -20 "$log"; exit 1; }
echo "with-store: embedded store at 127.0.0.1:${port} (pid $pid)"
PLEIN_TEST_MONGODB_URI="mongodb://127.0.0.1:${port}/" "$@"
