#!/bin/bash
# Measures start-up: milliseconds from exec to the first 200 from /readyz, then RSS after 2 s idle.
# usage: .ci/coldstart.sh BIN DATADIR   (an empty DATADIR measures a first start with demo seeding)
BIN=$1; D=$2; port=18123
start=$(date +%s%N)
PLEIN_LISTEN=127.0.0.1:$port PLEIN_BASE_URL=http://127.0.0.1:$port PLEIN_DATA_DIR=$D $BIN >/dev/null 2>&1 &
pid=$!
until curl -sf http://127.0.0.1:$port/readyz >/dev/null; do sleep 0.01; done
end=$(date +%s%N)
echo "ready_ms=$(( (end-start)/1000000 ))"
sleep 2; grep VmRSS /proc/$pid/status
kill $pid; wait $pid 2>/dev/null
