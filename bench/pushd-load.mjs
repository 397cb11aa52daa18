// Load generator of bench/pushd.sh: N socket.io-client connections, each one
// Manager (one websocket) joined to /status and /campaigns, spread over
// several worker processes; a publisher in this process PUBLISHes envelopes
// to Redis at a fixed rate per namespace; every reception is timed against
// the sentAt in the event (publish -> receive latency).
//
// Prints one JSON object (the measurements) on stdout. Usage:
//   node pushd-load.mjs --url http://127.0.0.1:PORT --token wq_... \
//     --tenant UUID --redis /path/redis.sock --conns N [--workers 4] \
//     [--secs 15] [--rate 50] [--campaigns 10] [--pid SERVER_PID] \
//     [--watch name=pid,...]
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";

const now = () => performance.timeOrigin + performance.now();	// ms, µs resolution
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Latency histogram: 10 µs buckets up to 2 s, then 1 ms buckets up to 120 s.
const FINE = 200000, COARSE = 118000;
function histNew() { return { fine: new Uint32Array(FINE), coarse: new Uint32Array(COARSE + 1), n: 0, max: 0 }; }
function histAdd(h, ms) {
	if (ms < 0) ms = 0;
	if (ms < 2000) h.fine[Math.floor(ms * 100)]++;
	else h.coarse[Math.min(COARSE, Math.floor(ms - 2000))]++;
	h.n++;
	if (ms > h.max) h.max = ms;
}
function histSparse(h) {
	const f = [], c = [];
	h.fine.forEach((v, i) => { if (v) f.push(i, v); });
	h.coarse.forEach((v, i) => { if (v) c.push(i, v); });
	return { f, c, n: h.n, max: h.max };
}
function histMerge(h, s) {
	for (let i = 0; i < s.f.length; i += 2) h.fine[s.f[i]] += s.f[i + 1];
	for (let i = 0; i < s.c.length; i += 2) h.coarse[s.c[i]] += s.c[i + 1];
	h.n += s.n;
	if (s.max > h.max) h.max = s.max;
}
function histPct(h, p) {
	if (h.n === 0) return null;
	let want = Math.ceil(h.n * p), seen = 0;
	for (let i = 0; i < FINE; i++) if ((seen += h.fine[i]) >= want) return (i + 1) / 100;
	for (let i = 0; i <= COARSE; i++) if ((seen += h.coarse[i]) >= want) return 2000 + i + 1;
	return h.max;
}

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) =>
	(v.startsWith("--") && a.push([v.slice(2), all[i + 1]]), a), []));

if (process.env.PUSHD_LOAD_WORKER) worker();
else await main();

// ------------------------------------------------------------ worker --
async function worker() {
	const { Manager } = await import("socket.io-client");
	const { url, token, conns } = JSON.parse(process.env.PUSHD_LOAD_WORKER);
	const concurrency = Number(process.env.PUSHD_LOAD_CONCURRENCY ?? 64);
	let h = histNew(), counting = false;
	const st = { connected: 0, connectErrors: 0, disconnects: 0, recv: { status: 0, progress: 0 }, other: 0, firstConnectMs: 0 };
	const managers = [];

	function onEvent(kind) {
		return (data) => {
			if (!counting || data == null || typeof data.sentAt !== "number") {
				st.other++;
				return;
			}
			st.recv[kind]++;
			histAdd(h, now() - data.sentAt);
		};
	}

	// one connection: resolves when both namespaces are connected (or failed)
	function open() {
		return new Promise((resolve) => {
			const m = new Manager(url, { transports: ["websocket"], reconnection: false, timeout: 60000 });
			managers.push(m);
			let pending = 2, ok = true;
			const done = (good) => {
				ok &&= good;
				if (--pending === 0) resolve(ok);
			};
			for (const [nsp, ev, kind] of [["/status", "status", "status"], ["/campaigns", "progress", "progress"]]) {
				const s = m.socket(nsp, { auth: { token } });
				s.on(ev, onEvent(kind));
				s.once("connect", () => {
					s.on("disconnect", () => st.disconnects++);
					done(true);
				});
				s.once("connect_error", () => { st.connectErrors++; done(false); });
				s.connect();
			}
		});
	}

	const t0 = Date.now();
	let next = 0;
	await Promise.all(Array.from({ length: Math.min(concurrency, conns) }, async () => {
		while (next < conns) {
			next++;
			if (await open()) st.connected++;
		}
	}));
	process.send({ type: "connected", connected: st.connected, connectErrors: st.connectErrors, ms: Date.now() - t0 });

	process.on("message", (msg) => {
		if (msg.type === "start") {
			h = histNew();
			st.recv = { status: 0, progress: 0 };
			st.disconnects = 0;
			counting = true;
		} else if (msg.type === "report") {
			process.send({ type: "report", recv: st.recv, disconnects: st.disconnects, other: st.other, hist: histSparse(h) });
		} else if (msg.type === "stop") {
			counting = false;
		} else if (msg.type === "close") {
			for (const m of managers) m.engine?.close();
			setTimeout(() => process.exit(0), 200);
		}
	});
}

// -------------------------------------------------------------- main --
function procStat(pid) {	// cpu seconds (utime+stime) and RSS kB, or null
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		const cpu = (Number(f[11]) + Number(f[12])) / 100;	// USER_HZ = 100
		const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
		return { cpu, sys: Number(f[12]) / 100, rss };
	} catch {
		return null;
	}
}
function cpuOf(pids) { return pids.reduce((s, p) => s + (procStat(p)?.cpu ?? 0), 0); }
function hostCpu() {	// busy and total jiffies of the whole machine
	const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
	const idle = f[3] + f[4];
	const total = f.reduce((a, b) => a + b, 0);
	return { busy: total - idle, total };
}

async function main() {
	const conns = Number(args.conns ?? 1000);
	const nworkers = Math.min(Number(args.workers ?? 4), conns);
	const secs = Number(args.secs ?? 15);
	const rate = Number(args.rate ?? 50);
	const ncampaigns = Number(args.campaigns ?? 10);
	const serverPid = args.pid ? Number(args.pid) : null;
	const watch = Object.fromEntries((args.watch ?? "").split(",").filter(Boolean).map((kv) => {
		const [k, v] = kv.split("=");
		return [k, v.split("+").map(Number)];
	}));
	const { createClient } = await import("redis");
	const redis = createClient({ socket: { path: args.redis } });
	await redis.connect();

	const loadavg = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
	const before = serverPid ? procStat(serverPid) : null;
	const t0 = Date.now();
	const workers = [];
	const connected = [];
	for (let i = 0; i < nworkers; i++) {
		const n = Math.floor(conns / nworkers) + (i < conns % nworkers ? 1 : 0);
		const w = fork(new URL(import.meta.url).pathname, [], {
			env: { ...process.env, PUSHD_LOAD_WORKER: JSON.stringify({ url: args.url, token: args.token, conns: n }) },
			stdio: ["ignore", "inherit", "inherit", "ipc"],
		});
		workers.push(w);
		connected.push(new Promise((r) => w.on("message", (m) => m.type === "connected" && r(m))));
	}
	const conn = await Promise.all(connected);
	const connectMs = Date.now() - t0;
	const genPids = workers.map((w) => w.pid);
	await sleep(1000);	// let the server settle (snapshots, GC)
	const after = serverPid ? procStat(serverPid) : null;

	// publishing window
	for (const w of workers) w.send({ type: "start" });
	await sleep(100);
	const c0 = { server: serverPid ? procStat(serverPid).cpu : 0, serverSys: serverPid ? procStat(serverPid).sys : 0, gen: cpuOf(genPids), main: procStat(process.pid).cpu,
		host: hostCpu(), ...Object.fromEntries(Object.entries(watch).map(([k, p]) => [k, cpuOf(p)])) };
	const tPub = now();
	let published = 0, pubErrors = 0;
	// one status and one progress event per 1/rate s, half a period apart
	const interval = 1000 / rate / 2;
	const channel = (ns) => `waqtor:${args.tenant}:${ns}`;
	while (now() - tPub < secs * 1000) {
		const due = Math.floor((now() - tPub) / interval) + 1;
		for (; published < due; published++) {
			const sentAt = now(), ts = new Date(sentAt).toISOString(), k = published >> 1;
			const env = published % 2 === 0
				? ["status", { id: randomUUID(), type: "session.status", tenantId: args.tenant, instanceId: null, ts,
					data: { status: "ready", sentAt } }]
				: ["campaigns", { id: randomUUID(), type: "campaign.progress", tenantId: args.tenant, instanceId: null, ts,
					data: { campaignId: `00000000-0000-4000-8000-${String(k % ncampaigns).padStart(12, "0")}`,
						sent: k, total: Math.ceil(rate * secs), sentAt } }];
			redis.publish(channel(env[0]), JSON.stringify(env[1])).catch(() => pubErrors++);
		}
		await sleep(Math.max(0, tPub + due * interval - now()));
	}
	const pubSecs = (now() - tPub) / 1000;
	const c1 = { server: serverPid ? procStat(serverPid).cpu : 0, serverSys: serverPid ? procStat(serverPid).sys : 0, gen: cpuOf(genPids), main: procStat(process.pid).cpu,
		host: hostCpu(), ...Object.fromEntries(Object.entries(watch).map(([k, p]) => [k, cpuOf(p)])) };
	const peak = serverPid ? procStat(serverPid) : null;

	// drain: wait until receptions stop growing (at most 10 s)
	const reports = async () => Promise.all(workers.map((w) => new Promise((r) => {
		const f = (m) => { if (m.type === "report") { w.off("message", f); r(m); } };
		w.on("message", f);
		w.send({ type: "report" });
	})));
	const total = (rs) => rs.reduce((s, r) => s + r.recv.status + r.recv.progress, 0);
	const expected = published * conn.reduce((s, c) => s + c.connected, 0);
	let rs, last = -1;
	const tDrain = Date.now();
	for (;;) {
		await sleep(500);
		rs = await reports();
		const t = total(rs);
		if (t >= expected || t === last || Date.now() - tDrain > 10000) break;
		last = t;
	}
	for (const w of workers) w.send({ type: "stop" });
	const h = histNew();
	for (const r of rs) histMerge(h, r.hist);
	const recvStatus = rs.reduce((s, r) => s + r.recv.status, 0);
	const recvProgress = rs.reduce((s, r) => s + r.recv.progress, 0);
	const cpuPct = (k) => +(100 * (c1[k] - c0[k]) / pubSecs).toFixed(1);
	const out = {
		loadavg, conns, workers: nworkers, secs: +pubSecs.toFixed(2), rate, campaigns: ncampaigns,
		connected: conn.reduce((s, c) => s + c.connected, 0),
		connectErrors: conn.reduce((s, c) => s + c.connectErrors, 0),
		connectMs,
		published, pubErrors,
		expected, recvStatus, recvProgress,
		delivered: recvStatus + recvProgress,
		deliveredPerSec: Math.round((recvStatus + recvProgress) / pubSecs),
		disconnects: rs.reduce((s, r) => s + r.disconnects, 0),
		p50: histPct(h, 0.5), p99: histPct(h, 0.99), max: +h.max.toFixed(2),
		serverCpuPct: serverPid ? cpuPct("server") : null,
		serverSysPct: serverPid ? cpuPct("serverSys") : null,
		genCpuPct: cpuPct("gen"), publisherCpuPct: cpuPct("main"),
		hostCpuPct: +(100 * cpus().length * (c1.host.busy - c0.host.busy) / (c1.host.total - c0.host.total)).toFixed(1),
		watchCpuPct: Object.fromEntries(Object.keys(watch).map((k) => [k, cpuPct(k)])),
		rssBeforeKb: before?.rss ?? null, rssConnectedKb: after?.rss ?? null, rssAfterKb: peak?.rss ?? null,
		rssPerConnKb: before && after ? +((after.rss - before.rss) / conns).toFixed(2) : null,
		serverCpuConnectSecs: before && after ? +(after.cpu - before.cpu).toFixed(2) : null,
	};
	for (const w of workers) w.send({ type: "close" });
	await redis.quit();
	console.log(JSON.stringify(out));
	await sleep(300);
	process.exit(0);
}
