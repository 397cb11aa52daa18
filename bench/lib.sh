# Shared by the bench/*.sh scripts: a private stack, wrk runs, the machine.
# Source it; it sets ROOT, STATE, PORT and tears the stack down on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null

bench_stack_up() {
	STATE=$(mktemp -d /tmp/wq-bench-XXXX); chmod 755 "$STATE"
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	export WAQTOR_STATE=$STATE WAQTOR_PORT=$PORT
	export WAQTOR_API_WORKERS=${WAQTOR_API_WORKERS:-4} WAQTOR_LOG_LEVEL=warn
	# benchmarks make more of everything than a plan allows
	export WAQTOR_QUOTA_INSTANCES=1000000,1000000,1000000 \
		WAQTOR_QUOTA_API_KEYS=1000000,1000000,1000000 \
		WAQTOR_QUOTA_MEMBERS=1000000,1000000,1000000 \
		WAQTOR_QUOTA_MEDIA_MB=1000000,1000000,1000000
	trap '"$ROOT/waqtor" down >/dev/null 2>&1 || true; rm -rf "$STATE"' EXIT
	"$ROOT/waqtor" up >/dev/null
}

bench_machine() {
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)."
}

# total RSS of a pid and its children, in kB
bench_rss_kb() {
	ps -o rss= -p "$1" --ppid "$1" | awk '{s+=$1} END {print s+0}'
}

# One markdown row: bench_wrk LABEL PATH CONNS SECS [wrk args...]
bench_wrk() {
	local label=$1 path=$2 conns=$3 secs=$4 out rps p50 p99 errs threads=2
	shift 4
	[ "$conns" -lt 2 ] && threads=1
	out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$@" "http://127.0.0.1:$PORT$path")
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
	p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
	errs=$(awk '/Non-2xx|Socket errors/' <<<"$out" | tr '\n' ' ')
	printf '| %s | `%s` | %s | %s | %s | %s | %s |\n' "$label" "$path" "$conns" "$rps" "$p50" "$p99" "${errs:-none}"
}
