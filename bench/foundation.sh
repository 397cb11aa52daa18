#!/usr/bin/env bash
# Foundation benchmark: request throughput and latency of waqtor-api through
# nginx (/api/v1/version: routing only; /api/v1/health: a PostgreSQL and a
# Redis round trip), against nginx serving a static file in the same run as
# the ceiling, and the resident memory of each daemon at rest and after load.
# Writes bench/results/foundation-<date>.md. Usage: bench/foundation.sh [SECS]
source "$(dirname "$0")/lib.sh"
SECS=${1:-10}
CONNS=${CONNS:-64}
bench_stack_up

memory() {
	local n
	for n in waqtor-api waqtor-pushd waqtor-engine; do
		printf '| %s | %s | %s kB |\n' "$1" "$n" "$(bench_rss_kb "$(cat "$STATE/run/$n.pid")")"
	done
}

mkdir -p "$ROOT/bench/results"
OUT=$ROOT/bench/results/foundation-$(date -u +%Y%m%d).md
mem_rest=$(memory "at rest")
rows=$(bench_wrk "nginx static file (ceiling)" /app.css "$CONNS" "$SECS"
	bench_wrk "API routing only" /api/v1/version "$CONNS" "$SECS"
	bench_wrk "API + PostgreSQL + Redis" /api/v1/health "$CONNS" "$SECS")
mem_load=$(memory "after load")
{
	echo "# Foundation benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	bench_machine
	echo "Load: wrk -t2 for ${SECS}s per row, on the same machine as the stack (it competes for the 2 cores)."
	echo "Stack: ./waqtor up, WAQTOR_API_WORKERS=$WAQTOR_API_WORKERS, log level warn."
	echo
	echo "| what | path | connections | requests/s | p50 | p99 | errors |"
	echo "|---|---|---|---|---|---|---|"
	echo "$rows"
	echo
	echo "| when | process (and its children) | RSS |"
	echo "|---|---|---|"
	echo "$mem_rest"
	echo "$mem_load"
} >"$OUT"
cat "$OUT"
