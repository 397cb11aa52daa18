#!/usr/bin/env bash
# Foundation benchmark: request throughput and latency of waqtor-api through
# nginx (/api/v1/version: routing only; /api/v1/health: a PostgreSQL and a
# Redis round trip), against nginx serving a static file in the same run as
# the ceiling, and the resident memory of each daemon at rest and after load.
# Writes bench/results/foundation-<date>.md. Usage: bench/foundation.sh [SECS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECS=${1:-10}
CONNS=${CONNS:-64}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }

STATE=$(mktemp -d /tmp/wq-bench-XXXX); chmod 755 "$STATE"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export WAQTOR_STATE=$STATE WAQTOR_PORT=$PORT WAQTOR_API_WORKERS=${WAQTOR_API_WORKERS:-4}
export WAQTOR_LOG_LEVEL=warn
trap '"$ROOT/waqtor" down >/dev/null 2>&1 || true; rm -rf "$STATE"' EXIT
"$ROOT/waqtor" up >/dev/null

rss_kb() {	# total RSS of a pid and its children, in kB
	ps -o rss= -p "$1" --ppid "$1" | awk '{s+=$1} END {print s+0}'
}
memory() {
	local n
	for n in waqtor-api waqtor-pushd waqtor-engine; do
		printf '| %s | %s | %s kB |\n' "$1" "$n" "$(rss_kb "$(cat "$STATE/run/$n.pid")")"
	done
}

run() {	# run LABEL PATH
	local out rps p50 p99
	out=$(wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$PORT$2")
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	errs=$(awk '/Non-2xx|Socket errors/' <<<"$out" | tr '\n' ' ')
	printf '| %s | `%s` | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "${errs:-none}"
}

mkdir -p "$ROOT/bench/results"
OUT=$ROOT/bench/results/foundation-$(date -u +%Y%m%d).md
mem_rest=$(memory "at rest")
rows=$(run "nginx static file (ceiling)" /app.css; run "API routing only" /api/v1/version; run "API + PostgreSQL + Redis" /api/v1/health)
mem_load=$(memory "after load")
{
	echo "# Foundation benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)."
	echo "Load: wrk -t2 -c$CONNS for ${SECS}s per row, on the same machine as the stack (it competes for the 2 cores)."
	echo "Stack: ./waqtor up, WAQTOR_API_WORKERS=$WAQTOR_API_WORKERS, log level warn."
	echo
	echo "| what | path | requests/s | p50 | p99 | errors |"
	echo "|---|---|---|---|---|---|"
	echo "$rows"
	echo
	echo "| when | process (and its children) | RSS |"
	echo "|---|---|---|"
	echo "$mem_rest"
	echo "$mem_load"
} >"$OUT"
cat "$OUT"
