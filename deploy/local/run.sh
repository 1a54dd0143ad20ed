#!/usr/bin/env bash
# Run Plein as several instances on one machine, all on loopback:
#
#   plein store   127.0.0.1:27018   shared embedded store (FerretDB + SQLite)
#   plein devidp  127.0.0.1:9000    shared development identity provider
#   redis-server  127.0.0.1:6380    only if redis-server is on the PATH
#   plein serve   127.0.0.1:8081..  INSTANCES instances (default 3)
#   lb            127.0.0.1:8080    round-robin load balancer (deploy/local/lb)
#
# Open http://127.0.0.1:8080 and log in with a demo account. Ctrl-C stops all.
# Logs go to $DATA/logs/*.log. Development only: nothing here has passwords.
#
# Settings (environment): INSTANCES, LB_PORT, FIRST_PORT, STORE_PORT, IDP_PORT,
# REDIS_PORT, DATA (default ./data/local), FRESH=1 to start with an empty store.
set -euo pipefail

cd "$(dirname "$0")/../.."
ROOT=$PWD
INSTANCES=${INSTANCES:-3}
LB_PORT=${LB_PORT:-8080}
FIRST_PORT=${FIRST_PORT:-8081}
STORE_PORT=${STORE_PORT:-27018}
IDP_PORT=${IDP_PORT:-9000}
REDIS_PORT=${REDIS_PORT:-6380}
DATA=${DATA:-$ROOT/data/local}
LOGS=$DATA/logs
HOST=127.0.0.1
LB_URL=http://$HOST:$LB_PORT
ISSUER=http://$HOST:$IDP_PORT/dev-idp

if [[ ${FRESH:-0} == 1 ]]; then rm -rf "$DATA"; fi
mkdir -p "$DATA" "$LOGS" bin

echo "building bin/plein and bin/lb ..."
tags=()
if [[ -f frontend/dist/index.html ]]; then tags=(-tags frontend); fi
go build "${tags[@]}" -o bin/plein ./server/cmd/plein
go build -o bin/lb ./deploy/local/lb

PIDS=()
cleanup() {
	trap - EXIT
	echo
	echo "stopping ..."
	# Newest first: the load balancer, the instances, then what they use.
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill -TERM "${PIDS[i]}" 2>/dev/null || true
		wait "${PIDS[i]}" 2>/dev/null || true
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_until DESCRIPTION PID SECONDS COMMAND...: poll COMMAND until it
# succeeds, the process dies or the time is up.
wait_until() {
	local what=$1 pid=$2 limit=$3
	shift 3
	local deadline=$((SECONDS + limit))
	until "$@" >/dev/null 2>&1; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$what exited; see $LOGS" >&2
			exit 1
		fi
		if ((SECONDS >= deadline)); then
			echo "$what not ready after ${limit}s; see $LOGS" >&2
			exit 1
		fi
		sleep 0.2
	done
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

bin/plein store -listen "$HOST:$STORE_PORT" -dir "$DATA/store" >"$LOGS/store.log" 2>&1 &
PIDS+=($!)
wait_until "plein store" $! 60 tcp_open "$HOST" "$STORE_PORT"
echo "store     mongodb://$HOST:$STORE_PORT/"

# One client secret for the provider and every instance, new on each run.
OIDC_CLIENT_SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export OIDC_CLIENT_SECRET

PLEIN_BASE_URL=$LB_URL bin/plein devidp -listen "$HOST:$IDP_PORT" \
	-redirect "$LB_URL/auth/callback" -post-logout "$LB_URL/" >"$LOGS/devidp.log" 2>&1 &
PIDS+=($!)
wait_until "plein devidp" $! 30 http_ok "$ISSUER/.well-known/openid-configuration"
echo "provider  $ISSUER"

REDIS_URL=
if command -v redis-server >/dev/null; then
	redis-server --bind "$HOST" --port "$REDIS_PORT" --save "" --appendonly no --protected-mode yes >"$LOGS/redis.log" 2>&1 &
	PIDS+=($!)
	wait_until "redis-server" $! 15 tcp_open "$HOST" "$REDIS_PORT"
	REDIS_URL=redis://$HOST:$REDIS_PORT/0
	echo "redis     $REDIS_URL"
fi

backends=()
declare -a pids_inst=()
for ((n = 1; n <= INSTANCES; n++)); do
	port=$((FIRST_PORT + n - 1))
	env PLEIN_MODE=development \
		PLEIN_LISTEN="$HOST:$port" \
		PLEIN_BASE_URL="$LB_URL" \
		MONGODB_URI="mongodb://$HOST:$STORE_PORT/" \
		REDIS_URL="$REDIS_URL" \
		OIDC_ISSUER="$ISSUER" \
		PLEIN_TRUSTED_PROXIES=$HOST \
		bin/plein serve >"$LOGS/plein$n.log" 2>&1 &
	PIDS+=($!)
	backends+=("$HOST:$port")
	# The first instance migrates and seeds alone; the others wait for it.
	if ((n == 1)); then
		wait_until "instance 1" $! 120 http_ok "http://$HOST:$port/readyz"
	fi
	pids_inst[n]=$!
done
for ((n = 2; n <= INSTANCES; n++)); do
	wait_until "instance $n" "${pids_inst[n]}" 60 http_ok "http://$HOST:$((FIRST_PORT + n - 1))/readyz"
done
echo "instances ${backends[*]}"

(IFS=,; exec bin/lb -listen "$HOST:$LB_PORT" -backends "${backends[*]}") >"$LOGS/lb.log" 2>&1 &
PIDS+=($!)
wait_until "load balancer" $! 15 http_ok "$LB_URL/readyz"

cat <<EOF

  Plein runs at $LB_URL ($INSTANCES instances behind a round-robin load balancer).
  Log in with a demo account, e.g. Anouk de Vries. Response header
  X-Plein-Backend shows which instance answered. Logs: $LOGS
  Ctrl-C stops everything.

EOF
wait -n "${PIDS[@]}" || true
echo "a process stopped unexpectedly; see $LOGS" >&2
exit 1
