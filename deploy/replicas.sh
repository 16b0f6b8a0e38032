#!/usr/bin/env bash
# Start N Rebound (Streamlit) replicas sharing one data folder, behind nginx, on loopback.
#
#   deploy/replicas.sh DATA_DIR [N=2] [PROXY_PORT=8080] [FIRST_PORT=8601]
#
# Replicas listen on 127.0.0.1:FIRST_PORT.. ; nginx on 127.0.0.1:PROXY_PORT with sticky
# sessions (see deploy/nginx.conf). Run files go to DATA_DIR/../run-<PROXY_PORT>/:
# server.pids (the replicas' pids, for benchmarks/load.py --pids-file), nginx.pid, logs.
# Stops everything it started on Ctrl-C / TERM. Set REBOUND_KDF=test only for tests.
set -euo pipefail

DATA_DIR=$(realpath "${1:?usage: deploy/replicas.sh DATA_DIR [N] [PROXY_PORT] [FIRST_PORT]}")
N=${2:-2}
PROXY_PORT=${3:-8080}
FIRST_PORT=${4:-8601}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
RUN=$(dirname "$DATA_DIR")/run-$PROXY_PORT
mkdir -p "$RUN/tmp" "$DATA_DIR"
: > "$RUN/server.pids"

pids=()
cleanup() {
    [[ -f $RUN/nginx.pid ]] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null || true
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

upstreams=""
for ((i = 0; i < N; i++)); do
    port=$((FIRST_PORT + i))
    REBOUND_DATA_DIR=$DATA_DIR PYTHONUNBUFFERED=1 "$PY" -m workbook.ui.serve \
        --server.port "$port" --server.headless true --server.address 127.0.0.1 \
        --browser.gatherUsageStats false >"$RUN/replica-$port.log" 2>&1 &
    pids+=($!)
    echo "$!" >> "$RUN/server.pids"
    upstreams+="server 127.0.0.1:$port;  "
done

for ((i = 0; i < N; i++)); do
    port=$((FIRST_PORT + i))
    for _ in $(seq 300); do
        curl -fs "http://127.0.0.1:$port/_stcore/health" >/dev/null && break
        sleep 0.2
    done
    curl -fs "http://127.0.0.1:$port/_stcore/health" >/dev/null \
        || { echo "replica on $port did not start; see $RUN/replica-$port.log" >&2; exit 1; }
done

sed -e "s#@PREFIX@#$RUN#g" -e "s#@LISTEN@#$PROXY_PORT#g" -e "s#@UPSTREAMS@#$upstreams#" \
    "$ROOT/deploy/nginx.conf" > "$RUN/nginx.conf"
"$NGINX" -t -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/error.log"
"$NGINX" -p "$RUN" -c "$RUN/nginx.conf" -e "$RUN/error.log"
for _ in $(seq 50); do
    curl -fs "http://127.0.0.1:$PROXY_PORT/_stcore/health" >/dev/null && break
    sleep 0.1
done
echo "ready: http://127.0.0.1:$PROXY_PORT -> $N replicas (pids $(tr '\n' ' ' < "$RUN/server.pids"))"
wait
