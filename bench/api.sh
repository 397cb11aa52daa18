#!/usr/bin/env bash
# REST core benchmark (issue 3): wrk through nginx on loopback against
#   GET /api/v1/health, GET /api/v1/me with an API key, GET /api/v1/instances
#   (50 rows), POST /api/v1/auth/login (argon2id by design),
# at 16 and 128 connections, with nginx serving a static file in the same
# run as the ceiling. Writes bench/results/api-<date>.md.
# Usage: bench/api.sh [SECS]
source "$(dirname "$0")/lib.sh"
SECS=${1:-10}
# the benchmark measures throughput, not the limits
export WAQTOR_RATE_ANON=100000000 WAQTOR_RATE_FREE=100000000
bench_stack_up
B=http://127.0.0.1:$PORT
ORIGIN="Origin: $B"

curl -s -c "$STATE/cj" -H 'Content-Type: application/json' -H "$ORIGIN" \
	-d '{"tenantName":"Bench","name":"Bench","email":"bench@bench.test","password":"bench password"}' \
	"$B/api/v1/auth/signup" >/dev/null
# login: 256 accounts in turn, as one account is slowed to 10 tries a minute
LOGINS=256
for i in $(seq 1 $LOGINS); do
	curl -s -o /dev/null -H 'Content-Type: application/json' -H "$ORIGIN" \
		-d "{\"tenantName\":\"Login $i\",\"name\":\"L\",\"email\":\"login$i@bench.test\",\"password\":\"bench password\"}" \
		"$B/api/v1/auth/signup"
done
KEY=$(curl -s -b "$STATE/cj" -H 'Content-Type: application/json' -H "$ORIGIN" -d '{"name":"bench"}' \
	"$B/api/v1/api-keys" | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
for i in $(seq 1 50); do
	curl -s -o /dev/null -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
		-d "{\"name\":\"instance $i\",\"provider\":\"sandbox\"}" "$B/api/v1/instances"
done
n=$(curl -s -H "X-API-Key: $KEY" "$B/api/v1/instances" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["instances"]))')
cat >"$STATE/login.lua" <<LUA
local n = 0
request = function()
	n = n % $LOGINS + 1
	return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
		'{"email":"login' .. n .. '@bench.test","password":"bench password"}')
end
LUA

rows=""
for c in 16 128; do
	rows+=$(bench_wrk "nginx static file (ceiling)" /app.css "$c" "$SECS")$'\n'
	rows+=$(bench_wrk "health" /api/v1/health "$c" "$SECS")$'\n'
	rows+=$(bench_wrk "me, API key" /api/v1/me "$c" "$SECS" -H "X-API-Key: $KEY")$'\n'
	rows+=$(bench_wrk "instances ($n rows), API key" /api/v1/instances "$c" "$SECS" -H "X-API-Key: $KEY")$'\n'
	rows+=$(bench_wrk "login (argon2id)" /api/v1/auth/login "$c" "$SECS" -s "$STATE/login.lua")$'\n'
done

mkdir -p "$ROOT/bench/results"
OUT=$ROOT/bench/results/api-$(date -u +%Y%m%d).md
{
	echo "# REST core benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	bench_machine
	echo "Load: wrk (2 threads) for ${SECS}s per row on the same 2-core machine as the whole stack."
	echo "Stack: ./waqtor up, WAQTOR_API_WORKERS=$WAQTOR_API_WORKERS, log level warn, rate limits lifted."
	echo "Login hashes with argon2id (libsodium's interactive limits: 64 MiB, 2 passes) on purpose: its rate is the cost of the hash."
	echo
	echo "| what | path | connections | requests/s | p50 | p99 | errors |"
	echo "|---|---|---|---|---|---|---|"
	printf '%s' "$rows"
} >"$OUT"
cat "$OUT"
