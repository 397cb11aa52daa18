// The Node reference for bench/pushd.sh: what waqtor-pushd does, written the
// usual way with socket.io 4.8 and @socket.io/redis-adapter.
//
//  - namespaces /status, /campaigns, /smartbot, /notifications;
//  - a namespace CONNECT carries auth.token, an API key, checked like pushd
//    does: SELECT ... FROM auth_api_key(prefix, sha256) on one PostgreSQL
//    connection (as role waqtor_app); the socket joins a room per tenant;
//  - a /status connect gets one `status` per instance of the tenant (the same
//    query and transaction as pushd);
//  - a client on PSUBSCRIBE waqtor:* turns each envelope into the Socket.IO
//    event pushd emits (data's members + timestamp + instanceId) and emits it
//    to the tenant's room with io.of(ns).to(tenant).emit(): through the Redis
//    adapter, which publishes it for the other nodes too (with one node that
//    is one extra PUBLISH per event, not per socket).
//
// Not mirrored: connection state recovery (the Redis adapter has none),
// auth.instanceId narrowing, /campaigns coalescing, per-client rate limits.
//
// Environment: LISTEN (a TCP port on 127.0.0.1, or a unix socket path),
// REDIS_SOCKET (path of Redis's unix socket), PG_HOST (the PostgreSQL socket
// directory), PG_DATABASE, PG_USER.
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import pg from "pg";

const LISTEN = process.env.LISTEN ?? "3000";
const REDIS_SOCKET = process.env.REDIS_SOCKET;
const EVENTS = {
	"session.qr": ["status", "qr"],
	"session.status": ["status", "status"],
	"session.stats": ["status", "stats"],
	"message.sent": ["status", "message-status"],
	"campaign.progress": ["campaigns", "progress"],
	"campaign.completed": ["campaigns", "completed"],
	"message.received": ["smartbot", "incoming"],
	"smartbot.reply": ["smartbot", "reply"],
	"smartbot.rule-updated": ["smartbot", "rule-updated"],
	"notification.new": ["notifications", "notification:new"],
};
const NAMESPACES = ["status", "campaigns", "smartbot", "notifications"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const APIKEY = /^wq_([0-9a-f]{12})_[0-9a-f]{64}$/;

const db = new pg.Pool({
	host: process.env.PG_HOST, database: process.env.PG_DATABASE ?? "waqtor",
	user: process.env.PG_USER ?? "waqtor", max: 1,
	options: "-c role=waqtor_app",	// pushd's SET ROLE, at connection start
});

const redisOpts = { socket: { path: REDIS_SOCKET } };
const pub = createClient(redisOpts);
const sub = pub.duplicate();
const app = pub.duplicate();
await Promise.all([pub.connect(), sub.connect(), app.connect()]);

const http = createServer();
const io = new Server(http, {
	pingInterval: 15000, pingTimeout: 10000, maxHttpBufferSize: 1e6,
	adapter: createAdapter(pub, sub),
});
const counters = { connects: 0, authFailures: 0, redisMessages: 0, eventsIn: 0, rejected: 0 };

async function authenticate(socket, next) {
	const m = APIKEY.exec(socket.handshake.auth?.token ?? "");
	if (!m)
		return next(new Error("Invalid token: expected an API key or a realtime token"));
	try {
		const hash = createHash("sha256").update(socket.handshake.auth.token).digest();
		const r = await db.query("SELECT key_id, tenant_id FROM auth_api_key($1, $2)", [m[1], hash]);
		if (r.rowCount === 0) {
			counters.authFailures++;
			return next(new Error("Invalid API key"));
		}
		socket.data.tenant = r.rows[0].tenant_id;
		next();
	} catch {
		next(new Error("Authentication unavailable, try again later"));
	}
}

async function statusSnapshot(socket) {
	const c = await db.connect();
	try {
		await c.query("BEGIN");
		await c.query("SELECT set_config('waqtor.tenant_id', $1, true)", [socket.data.tenant]);
		const r = await c.query("SELECT id, name, status FROM instances WHERE $1 = '' OR id::text = $1 ORDER BY name", [""]);
		await c.query("COMMIT");
		const timestamp = new Date().toISOString();
		for (const row of r.rows)
			socket.emit("status", { instanceId: row.id, name: row.name, status: row.status, timestamp });
	} catch {
		await c.query("ROLLBACK").catch(() => {});
	} finally {
		c.release();
	}
}

for (const ns of NAMESPACES) {
	const nsp = io.of("/" + ns);
	nsp.use(authenticate);
	nsp.on("connection", (socket) => {
		counters.connects++;
		socket.join(socket.data.tenant);
		socket.on("ping", (...args) => {
			const pong = { timestamp: Date.now() };
			socket.emit("pong", pong);
			if (typeof args.at(-1) === "function")
				args.at(-1)(pong);
		});
		if (ns === "status")
			statusSnapshot(socket);
	});
}

await app.pSubscribe("waqtor:*", (message, channel) => {
	counters.redisMessages++;
	const parts = channel.split(":");
	if (parts.length !== 3 || !UUID.test(parts[1]))
		return;
	const [, tenant, ns] = parts;
	let env;
	try {
		env = JSON.parse(message);
	} catch {
		counters.rejected++;
		return;
	}
	const ev = EVENTS[env?.type];
	if (!ev || ev[0] !== ns || env.tenantId !== tenant) {
		counters.rejected++;
		return;
	}
	const out = env.data !== null && typeof env.data === "object" && !Array.isArray(env.data) ? { ...env.data } : {};
	if (!("timestamp" in out))
		out.timestamp = env.ts ?? new Date().toISOString();
	if (env.instanceId != null && !("instanceId" in out))
		out.instanceId = env.instanceId;
	counters.eventsIn++;
	io.of("/" + ns).to(tenant).emit(ev[1], out);
});

http.on("request", (req, res) => {
	if (req.url === "/stats") {
		res.setHeader("Content-Type", "application/json");
		res.end(JSON.stringify({ ...counters, clients: io.engine.clientsCount }));
	}
});

const port = Number(LISTEN);
if (Number.isInteger(port)) {
	http.listen(port, "127.0.0.1", 4096);
} else {
	rmSync(LISTEN, { force: true });
	http.listen({ path: LISTEN, backlog: 4096 }, () => {
		import("node:fs").then((fs) => fs.chmodSync(LISTEN, 0o666));
	});
}
http.on("listening", () => console.log(`listening on ${LISTEN}`));

async function shutdown() {
	io.close();
	await Promise.allSettled([pub.quit(), sub.quit(), app.quit(), db.end()]);
	process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
