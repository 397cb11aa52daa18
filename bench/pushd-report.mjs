// Renders bench/pushd.sh's JSON lines as bench/results/pushd-<date>.md.
// Usage: node pushd-report.mjs RESULTS.jsonl --machine ... --secs ... (see pushd.sh)
import { readFileSync } from "node:fs";

const [file, ...rest] = process.argv.slice(2);
const opt = {};
for (let i = 0; i < rest.length; i += 2) opt[rest[i].slice(2)] = rest[i + 1];
const runs = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));

const fmt = (v, d = 0) => v == null || Number.isNaN(v) ? "–" : Number(v).toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
const ratio = (a, b, d = 2) => a == null || b == null || b === 0 ? "–" : fmt(a / b, d);
const find = (n, mode, server) => runs.find((r) => r.n === n && r.mode === mode && r.server === server);
const usPerEvent = (l) => l.delivered ? l.serverCpuPct / 100 * l.secs * 1e6 / l.delivered : null;

// metric rows: [label, value(load, run), digits, ratio wanted]
const metrics = [
	["connected (of N)", (l) => l.connected, 0, false],
	["connection time, s (all N, both namespaces)", (l) => l.connectMs / 1000, 1, true],
	["connections/s", (l) => l.connected / (l.connectMs / 1000), 0, true],
	["publish rate per namespace, events/s", (l) => l.rate, 1, false],
	["events published (both namespaces)", (l) => l.published, 0, false],
	["deliveries expected (published × N)", (l) => l.expected, 0, false],
	["**delivered events/s**", (l) => l.deliveredPerSec, 0, true],
	["delivered, % of expected", (l) => 100 * l.delivered / l.expected, 1, false],
	["**latency p50, ms** (publish → receive)", (l) => l.p50, 2, true],
	["**latency p99, ms**", (l) => l.p99, 2, true],
	["latency max, ms", (l) => l.max, 1, true],
	["**server CPU, % of one core** (publishing)", (l) => l.serverCpuPct, 1, true],
	["… of which in the kernel (system time), %", (l) => l.serverSysPct, 1, true],
	["server CPU per delivered event, µs", usPerEvent, 2, true],
	["server CPU while connecting, s", (l) => l.serverCpuConnectSecs, 2, true],
	["server RSS before connecting, kB", (l) => l.rssBeforeKb, 0, true],
	["server RSS with N connected, kB", (l) => l.rssConnectedKb, 0, true],
	["server RSS after publishing, kB", (l) => l.rssAfterKb, 0, true],
	["**RSS per connection, kB**", (l) => l.rssPerConnKb, 2, true],
	["connect errors", (l) => l.connectErrors, 0, false],
	["disconnects while publishing", (l) => l.disconnects, 0, false],
	["load generator CPU, % of one core (all workers)", (l) => l.genCpuPct, 1, false],
	["publisher CPU, %", (l) => l.publisherCpuPct, 1, false],
	["nginx CPU, % (both workers)", (l) => l.watchCpuPct?.nginx, 1, false],
	["Redis CPU, %", (l) => l.watchCpuPct?.redis, 1, false],
	["whole machine CPU, % of 200", (l) => l.hostCpuPct, 1, false],
	["load average before the run", (l) => l.loadavg, 2, false],
];

const out = [];
const p = (s = "") => out.push(s);
const date = new Date().toISOString().slice(0, 16) + "Z";
p(`# waqtor-pushd fan-out benchmark — ${date}`);
p();
p(opt.machine);
p(`Software: Node ${opt.node}, ${opt.versions}; nginx ${opt.nginx}; libwebsockets ${opt.lws || "?"}.`);
p(`Run time of the measured part: ${opt.elapsed} s.`);
p();
p("## Setup");
p();
p(`- Stack: \`./waqtor up\` in a temporary state directory (bench/lib.sh), log level warn. A tenant and an API key made with \`waqtorctl\`; every socket authenticates with that key (\`auth.token\`).`);
p(`- Load: N socket.io-client 4.8 connections, each one \`Manager\` (one websocket, \`transports: ["websocket"]\`) with two sockets, \`/status\` and \`/campaigns\`, so 2N Socket.IO sockets; opened ${opt.workers} worker processes × 64 at a time; no reconnection (a drop is counted, not hidden).`);
p(opt["fixed-rate"]
	? `- Events: a fixed ${opt.fanout} events/s per namespace, for ${opt.secs} s.`
	: `- Events: a fixed rate per namespace for ${opt.secs} s, chosen so that the offered fan-out is ${fmt(Number(opt.fanout))} deliveries/s at every N (rate = ${fmt(Number(opt.fanout))} / 2N: the generator, on the same 2 cores, must not be the bottleneck).`);
p("  One process PUBLISHes to Redis, alternating `session.status` on `waqtor:<tenant>:status` and `campaign.progress` on `waqtor:<tenant>:campaigns` (10 campaign ids in turn), each with `data.sentAt` (ms since the epoch, µs resolution); every receiver records now − sentAt. Latency is publish → Redis → server → (nginx) → client parsed, client side included.");
p("- Delivered events/s: receptions of the measured events (both namespaces, all sockets) / publishing window; receptions still arriving after the window (up to 10 s) count, so “% of expected” says whether everything arrived.");
p("- Server CPU: utime+stime of the server process (/proc/<pid>/stat) over the publishing window, in % of one core; RSS: VmRSS before connecting, 1 s after the N-th connection, and after publishing; RSS per connection = (connected − before) / N. Every run starts a fresh server process.");
p("- waqtor-pushd: the stack's binary and environment (read from the running pushd's /proc/<pid>/environ), defaults (queue 1000, rate 50/s, connection state recovery on: every event carries an offset and is kept 120 s), only `WAQTOR_PUSHD_SOCKET` changed. No limit had to be raised.");
p("- Node reference (bench/pushd-node-server.mjs): socket.io 4.8 with @socket.io/redis-adapter on node-redis 4; verifies the same API key in PostgreSQL (`auth_api_key(prefix, sha256)` on one connection, like pushd) and sends the same `/status` snapshot; sockets join a room per tenant; a PSUBSCRIBE `waqtor:*` client maps each envelope to the same event and payload and emits `io.of(ns).to(tenant).emit()` through the adapter. No connection state recovery (the Redis adapter has none), no coalescing, no per-client limits. Same ping interval/timeout as pushd.");
p("- **direct**: each server listens on 127.0.0.1:<port>, clients connect to it. **nginx**: each server listens on a unix socket and clients go through a copy of the stack's rendered nginx.conf (same `/socket.io/` location) on its own port, set so that it can hold 10,000 websockets (each is two nginx connections, client and upstream, counted per worker): `worker_processes " + opt.nproc + "` with `reuseport` on the listener (even spread over the workers), `worker_connections 16384`, `worker_rlimit_nofile " + opt.nofile + "` (the hard limit). The stack's own rendered nginx.conf had: `" + opt["stack-nginx"] + "`. Both servers run as the same unprivileged user as the stack.");
p("- Everything is on the same 2-core machine: the generator workers, the publisher, Redis, PostgreSQL, nginx and the server compete for the cores. The load average is recorded before each run: other jobs running on the machine at the same time show there.");
p();

const ns = [...new Set(runs.map((r) => r.n))];
const modes = [...new Set(runs.map((r) => r.mode))];
for (const n of ns) {
	p(`## N = ${fmt(n)} connections (${fmt(2 * n)} sockets)`);
	p();
	const head = ["metric"], sep = ["---"];
	for (const m of modes) {
		head.push(`pushd ${m}`, `Node ${m}`, `ratio ${m} (pushd / Node)`);
		sep.push("---:", "---:", "---:");
	}
	p(`| ${head.join(" | ")} |`);
	p(`| ${sep.join(" | ")} |`);
	for (const [label, f, d, wantRatio] of metrics) {
		const row = [label];
		for (const m of modes) {
			const a = find(n, m, "pushd"), b = find(n, m, "node");
			const va = a ? f(a.load) : null, vb = b ? f(b.load) : null;
			row.push(fmt(va, d), fmt(vb, d), wantRatio ? ratio(va, vb) : "");
		}
		p(`| ${row.join(" | ")} |`);
	}
	const extra = modes.map((m) => {
		const s = find(n, m, "pushd")?.pushdStats;
		return s ? `${m}: events_in ${s.events_in}, events_out ${fmt(s.events_out)}, coalesced ${s.coalesced}, dropped ${s.dropped}, slow_disconnects ${s.slow_disconnects}, ping_timeouts ${s.ping_timeouts}, rate_limited ${s.rate_limited}, protocol_errors ${s.protocol_errors}, auth_failures ${s.auth_failures}` : null;
	}).filter(Boolean);
	if (extra.length) {
		p();
		p(`pushd's own counters (/stats) after the run — ${extra.join("; ")}.`);
	}
	p();
}

p("## Where the bottleneck was (per run, from the CPU figures)");
p();
for (const r of runs) {
	const l = r.load, w = l.watchCpuPct ?? {};
	const parts = [
		["server", l.serverCpuPct], ["generator", l.genCpuPct], ["nginx", w.nginx], ["Redis", w.redis], ["publisher", l.publisherCpuPct],
	].filter(([, v]) => v != null);
	const ours = parts.reduce((s, [, v]) => s + v, 0);
	const verdict = [];
	if (l.serverCpuPct >= 90) verdict.push("the server's single thread was saturated");
	if (l.hostCpuPct >= 185) verdict.push("the machine's 2 cores were saturated");
	if (l.delivered < 0.99 * l.expected) verdict.push(`only ${fmt(100 * l.delivered / l.expected, 1)} % of the deliveries arrived`);
	if (!verdict.length) verdict.push("nothing saturated: every delivery arrived and no process used a full core");
	p(`- N=${fmt(r.n)} ${r.mode} ${r.server === "node" ? "Node" : "pushd"}: ${parts.map(([k, v]) => `${k} ${fmt(v, 0)} %`).join(", ")} (sum ${fmt(ours, 0)} % of 200; whole machine ${fmt(l.hostCpuPct, 0)} %, ${fmt(l.hostCpuPct - ours, 0)} % outside these processes); ${verdict.join("; ")}.`);
}
p();
console.log(out.join("\n"));
