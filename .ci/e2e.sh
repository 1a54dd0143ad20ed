#!/usr/bin/env bash
# Starts the built server on a free loopback port with a fresh data dir and
# runs the browser end-to-end tests against it in headless Chromium.
# E2E_ONLY=learning runs only the suites whose file name contains that word.
set -euo pipefail
BIN="$(cd "$(dirname "${1:-./bin/plein}")" && pwd)/$(basename "${1:-./bin/plein}")"
root="$(cd "$(dirname "$0")/.." && pwd)"
# The push suite subscribes a loopback push service (the server refuses
# loopback push addresses unless told, and always in production).
export PLEIN_TEST_PUSH_LOOPBACK=on
# The server's data dir in memory where the machine has /dev/shm: every
# commit of the embedded store fsyncs (about 4 ms each on disk), which the
# suites do not test (docs/performance.md, "make test time").
if [ -z "${SERVER_TMP:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export SERVER_TMP=/dev/shm; fi
cd "$root/frontend"
exec bash "$root/.ci/with-server.sh" "$BIN" bash -c '
status=0
for f in e2e/*.e2e.mjs; do
	if [ -n "${E2E_ONLY:-}" ] && [[ "$f" != *"${E2E_ONLY}"* ]]; then continue; fi
	echo "e2e: $f"
	node "$f" || status=1
done
exit $status'
