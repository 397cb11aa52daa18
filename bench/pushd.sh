#!/usr/bin/env bash
# Real-time fan-out benchmark (issue 5): N socket.io-client connections, each
# joined to /status and /campaigns, while events are PUBLISHed to Redis at a
# fixed rate; waqtor-pushd against a Node socket.io 4.8 server with
# @socket.io/redis-adapter (bench/pushd-node-server.mjs) in the same run,
# both direct on TCP and both behind the same nginx configuration.
# Writes bench/results/pushd-<date>.md. Usage: bench/pushd.sh [N...]
#
# Environment: SECS (publishing window, 15), WORKERS (load generator
# processes, 4), FANOUT (offered deliveries per second: the publish rate per
# namespace is FANOUT / 2N, 20000), RATE (a fixed rate per namespace instead),
# MODES ("direct nginx"), SERVERS ("pushd node"), TAG (results file
# pushd-<date>-<TAG>.md, for a run with other settings).
source "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] && NS=("$@") || NS=(1000 10000)
SECS=${SECS:-15}
WORKERS=${WORKERS:-4}
FANOUT=${FANOUT:-20000}
read -r -a MODES <<<"${MODES:-direct nginx}"
read -r -a SERVERS <<<"${SERVERS:-pushd node}"
B=$ROOT/bench

# 10,000 sockets need descriptors: as many as the hard limit allows (every
# process below inherits it).
ulimit -n "$(ulimit -Hn)"
command -v node >/dev/null || { echo "pushd.sh: node is required" >&2; exit 1; }
[ -d "$B/node_modules/socket.io" ] || (cd "$B" && npm ci --no-audit --no-fund >/dev/null)

bench_stack_up
W=$STATE/pushd-bench	# our servers' sockets, nginx copy, logs
mkdir -p "$W"/{nginx,log}
SVC=()
if [ "$(id -u)" -eq 0 ]; then
	SVC=(setpriv --reuid=waqtor --regid=waqtor --init-groups)
	chown -R waqtor: "$W"
fi

PIDS=()
stop_pid() {	# TERM, then KILL after 5 s
	local p=$1 i
	kill "$p" 2>/dev/null || return 0
	for ((i = 0; i < 50; i++)); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$p" 2>/dev/null || true
}
cleanup() {
	local p
	for p in "${PIDS[@]}"; do stop_pid "$p"; done
	[ -f "$W/nginx.pid" ] && stop_pid "$(cat "$W/nginx.pid")"
	"$ROOT/waqtor" down >/dev/null 2>&1 || true
	rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

TENANT=$("$ROOT/waqtor" ctl tenant create Bench | tail -n 1)
KEY=$("$ROOT/waqtor" ctl apikey create --tenant "$TENANT" | tail -n 1)
REDIS_SOCK=$STATE/run/redis.sock
REDIS_PID=$(cat "$STATE/run/redis.pid")
# the stack's pushd environment, for our own pushd processes
STACK_PUSHD=$(cat "$STATE/run/waqtor-pushd.pid")
mapfile -d '' PUSHD_ENV < <(tr '\0' '\n' <"/proc/$STACK_PUSHD/environ" | grep '^WAQTOR_\|^HOME=' | tr '\n' '\0')

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_server pushd|node ADDR LOG: a fresh server process; sets SRV_PID
start_server() {
	local kind=$1 addr=$2 log=$3 i probe
	if [ "$kind" = pushd ]; then
		"${SVC[@]}" env -i "${PUSHD_ENV[@]}" WAQTOR_PUSHD_SOCKET="$addr" \
			"$STATE/app/bin/waqtor-pushd" >>"$log" 2>&1 </dev/null &
	else
		"${SVC[@]}" env HOME="$W" LISTEN="${addr#127.0.0.1:}" REDIS_SOCKET="$REDIS_SOCK" \
			PG_HOST="$STATE/pg/sock" node "$B/pushd-node-server.mjs" \
			>>"$log" 2>&1 </dev/null &
	fi
	SRV_PID=$!
	PIDS+=("$SRV_PID")
	if [[ $addr == /* ]]; then probe=(--unix-socket "$addr" http://srv/stats); else probe=("http://$addr/stats"); fi
	for ((i = 0; i < 100; i++)); do
		curl -sf -o /dev/null "${probe[@]}" && return 0
		sleep 0.1
	done
	echo "pushd.sh: $kind did not start on $addr (see $W/log)" >&2
	exit 1
}

# nginx_up SOCKET: a copy of the stack's rendered nginx.conf, on its own port,
# with /socket.io/ proxied to SOCKET, set so that it can hold 10,000 websockets
# (each is two nginx connections, client and upstream, counted per worker):
# one worker per core, reuseport (the kernel spreads the connections evenly
# over the workers), worker_connections 16384, worker_rlimit_nofile = the hard
# limit. Whatever the stack's template says about these, they are replaced.
STACK_NGINX=$(grep -E '^[[:space:]]*(worker_processes|worker_connections|worker_rlimit_nofile)' \
	"$STATE/nginx/nginx.conf" | tr -s ' \t' ' ' | sed 's/^ //' | paste -sd ' ')
NGX_PORT=$(free_port)
nginx_up() {
	sed -e '/^[[:space:]]*worker_rlimit_nofile/d' \
		-e "s|^worker_processes .*;|worker_processes $(nproc);\nworker_rlimit_nofile $(ulimit -Hn);|" \
		-e 's|worker_connections [^;]*;|worker_connections 16384;|' \
		-e "s|listen \(.*\):$PORT\( reuseport\)\{0,1\};|listen \1:$NGX_PORT reuseport;|" \
		-e "s|^pid .*|pid $W/nginx.pid;|" \
		-e "s|error_log [^ ]*|error_log $W/log/nginx-error.log|" \
		-e "s|access_log [^;]*|access_log $W/log/nginx-access.log|" \
		-e "s|server unix:$STATE/run/pushd.sock;|server unix:$1;|" \
		"$STATE/nginx/nginx.conf" >"$W/nginx/nginx.conf"
	grep -q "server unix:$1;" "$W/nginx/nginx.conf" && grep -q "reuseport;" "$W/nginx/nginx.conf" &&
		grep -q "worker_connections 16384;" "$W/nginx/nginx.conf" ||
		{ echo "pushd.sh: the nginx.conf copy does not have the expected lines" >&2; exit 1; }
	[ ${#SVC[@]} -gt 0 ] && chown -R waqtor: "$W"
	"${SVC[@]}" nginx -e "$W/log/nginx-error.log" -p "$W/nginx/" -c "$W/nginx/nginx.conf"
	NGX_WORKERS=""
	for ((i = 0; i < 50; i++)); do
		[ -s "$W/nginx.pid" ] && NGX_WORKERS=$(pgrep -d+ -P "$(cat "$W/nginx.pid")" || true)
		[ "$(tr '+' '\n' <<<"$NGX_WORKERS" | grep -c .)" -ge "$(nproc)" ] && return 0
		sleep 0.1
	done
	echo "pushd.sh: nginx did not start" >&2
	exit 1
}
nginx_down() {
	stop_pid "$(cat "$W/nginx.pid")"
	rm -f "$W/nginx.pid"
}

RESULTS=$W/results.jsonl
: >"$RESULTS"
# one_run N MODE SERVER: a fresh server, the load, one JSON line
one_run() {
	local n=$1 mode=$2 kind=$3 addr url watch rate stats=null out
	if [ "$mode" = direct ]; then
		addr=127.0.0.1:$(free_port)
		url=http://$addr
		watch="redis=$REDIS_PID"
	else
		addr=$W/$kind.sock
		url=http://127.0.0.1:$NGX_PORT
	fi
	start_server "$kind" "$addr" "$W/log/$n-$mode-$kind.log"
	if [ "$mode" = nginx ]; then
		nginx_up "$addr"
		watch="redis=$REDIS_PID,nginx=$NGX_WORKERS"
	fi
	rate=${RATE:-$(python3 -c "print($FANOUT / (2 * $n))")}
	echo "pushd.sh: N=$n $mode $kind: $rate events/s per namespace for ${SECS}s" >&2
	out=$(node "$B/pushd-load.mjs" --url "$url" --token "$KEY" --tenant "$TENANT" \
		--redis "$REDIS_SOCK" --conns "$n" --workers "$WORKERS" --secs "$SECS" \
		--rate "$rate" --pid "$SRV_PID" --watch "$watch" --load "$(cut -d' ' -f1 /proc/loadavg)")
	if [ "$kind" = pushd ]; then
		if [[ $addr == /* ]]; then
			stats=$(curl -s --unix-socket "$addr" http://pushd/stats)
		else
			stats=$(curl -s "http://$addr/stats")
		fi
	fi
	printf '{"n":%s,"mode":"%s","server":"%s","load":%s,"pushdStats":%s}\n' \
		"$n" "$mode" "$kind" "$out" "${stats:-null}" >>"$RESULTS"
	[ "$mode" = nginx ] && nginx_down
	stop_pid "$SRV_PID"
	sleep 1	# let the closed sockets leave TIME_WAIT pressure behind
}

T0=$(date +%s)
for n in "${NS[@]}"; do
	for mode in "${MODES[@]}"; do
		for kind in "${SERVERS[@]}"; do
			one_run "$n" "$mode" "$kind"
		done
	done
done
T1=$(date +%s)

# what the servers and nginx logged (warn and above: pushd runs at WAQTOR_LOG_LEVEL=warn)
LOGS=$(cd "$W/log" && for f in *.log; do
	[ -s "$f" ] || { printf '%s: empty\n' "$f"; continue; }
	printf '%s: %s lines\n' "$f" "$(wc -l <"$f")"
	if [ "$f" = nginx-access.log ]; then	# one line per websocket: the statuses
		awk '{print "HTTP status " $9}' "$f" | sort | uniq -c | sed 's/^ */    /'
		continue
	fi
	sed -E 's/^ts=[^ ]+ //; s/pid=[0-9]+ //; s/session [^ :]+/session …/; s/^[0-9/]+ [0-9:]+ //; s/[0-9]+#[0-9]+: \*?[0-9]* ?//' "$f" |
		sort | uniq -c | sort -rn | head -n 5 | sed 's/^ */    /'
done)

mkdir -p "$B/results"
OUT=$B/results/pushd-$(date -u +%Y%m%d)${TAG:+-$TAG}.md
node "$B/pushd-report.mjs" "$RESULTS" \
	--machine "$(bench_machine)" --secs "$SECS" --workers "$WORKERS" --fanout "${RATE:-$FANOUT}" \
	--fixed-rate "${RATE:+1}" --elapsed "$((T1 - T0))" --versions "$(cd "$B" && npm ls --depth=0 2>/dev/null | tail -n +2 | tr -d '├└─│ ' | grep . | paste -sd ' ')" \
	--lws "$(dpkg-query -W -f '${Version}' libwebsockets17 2>/dev/null || dpkg -l | awk '/libwebsockets[0-9]/ {print $3; exit}')" \
	--stack-nginx "$STACK_NGINX" --nproc "$(nproc)" --nofile "$(ulimit -Hn)" \
	--node "$(node --version)" --nginx "$(nginx -v 2>&1 | sed 's|.*/||')" >"$OUT"
{
	echo "## Logs (warnings and errors of the servers and the nginx copy)"
	echo
	echo '```'
	echo "${LOGS:-(nothing logged)}"
	echo '```'
	echo
	echo "<details><summary>Raw measurements (JSON, one line per run)</summary>"
	echo
	echo '```json'
	cat "$RESULTS"
	echo '```'
	echo
	echo "</details>"
} >>"$OUT"
cat "$OUT"
