// waqtor-pushd through nginx with the official clients. The disruptive
// cases (Redis restart, SIGTERM) run last; node:test runs a file's tests
// in order.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { Socket as EioSocket } from "engine.io-client";
import WebSocket from "ws";
import {
  URL, closeAll, collect, connect, connected, envelope, io, once, pid, publish, pushdGet, pushdLogHas,
  realtimeToken, realtimeUser,
  redis, sleep, tenant, until, waqtor,
} from "./lib.mjs";

afterEach(closeAll);

const A = tenant([{ name: "alpha", status: "ready" }, { name: "beta", status: "qr" }]);
const B = tenant([{ name: "gamma", status: "disconnected" }]);
const WS_URL = URL.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket";

function rawWs() {
  const ws = new WebSocket(WS_URL);
  const msgs = [];
  ws.on("message", (d, bin) => msgs.push(bin ? d : d.toString()));
  return { ws, msgs };
}

test("/status with an API key: connect, then the status of each instance", async () => {
  const s = connect("/status", { token: A.key });
  const statuses = collect(s, "status");
  await once(s, "connect");
  assert.ok(s.id);
  await until(() => statuses.length === 2);
  const byId = Object.fromEntries(statuses.map((x) => [x.instanceId, x]));
  assert.equal(byId[A.instances[0]].status, "ready");
  assert.equal(byId[A.instances[1]].status, "qr");
  assert.ok(!isNaN(Date.parse(byId[A.instances[0]].timestamp)));
  s.close();
});

test("instanceId narrows the /status emission and events to one instance", async () => {
  const s = connect("/status", { token: A.key, instanceId: A.instances[1] });
  const statuses = collect(s, "status");
  await once(s, "connect");
  await until(() => statuses.length >= 1);
  publish(A.id, "status", "session.status", { status: "ready" }, A.instances[0]);
  publish(A.id, "status", "session.status", { status: "connecting" }, A.instances[1]);
  // pushd relays Redis's messages in order: once "connecting" (published
  // second) is here, the other instance's event would have come before it
  await until(() => statuses.some((x) => x.status === "connecting"));
  assert.ok(statuses.every((x) => x.instanceId === A.instances[1]),
    JSON.stringify(statuses));
  s.close();
});

test("a realtime token from the API works like an API key", async () => {
  const u = realtimeUser(A.id);
  const s = await connected("/notifications", { token: u.token });
  const got = once(s, "notification:new");
  publish(A.id, "notifications", "notification.new", { userId: u.uid, title: "hi" });
  const n = await got;
  assert.equal(n.title, "hi");
  s.close();
});

const tamper = (t) => t.slice(0, -5) + (t.at(-5) === "A" ? "B" : "A") + t.slice(-4);

test("bad tokens get CONNECT_ERROR with a clear message", async () => {
  const cases = [
    [{}, /Authentication required/],
    [{ token: "nope" }, /Invalid token/],
    [{ token: "wq_000000000000_" + "0".repeat(64) }, /Invalid API key/],
    [{ token: A.key.slice(0, -1) + (A.key.endsWith("0") ? "1" : "0") }, /Invalid API key/],
    [{ token: realtimeToken(A.id, -10) }, /Invalid or expired realtime token/],
    // a character inside the MAC (the last one may carry only padding bits)
    [{ token: tamper(realtimeToken(A.id)) }, /Invalid or expired realtime token/],
    [{ token: A.key, instanceId: "x" }, /Invalid instanceId/],
  ];
  for (const [auth, re] of cases) {
    await assert.rejects(connected("/status", auth), (e) => re.test(e.message));
  }
});

test("an unknown namespace gets CONNECT_ERROR Invalid namespace", async () => {
  await assert.rejects(connected("/nope", { token: A.key }),
    (e) => e.message === "Invalid namespace");
  await assert.rejects(connected("/", { token: A.key }),
    (e) => e.message === "Invalid namespace");
});

test("every namespace gets its events under the seed's names, with data and timestamp", async () => {
  const table = [
    ["/status", "status", "session.qr", "qr", { qr: "QR" }],
    ["/status", "status", "session.status", "status", { status: "ready" }],
    ["/status", "status", "session.stats", "stats", { sent: 1 }],
    ["/status", "status", "message.sent", "message-status", { messageId: "m" }],
    ["/campaigns", "campaigns", "campaign.progress", "progress", { campaignId: "c", sent: 1 }],
    ["/campaigns", "campaigns", "campaign.completed", "completed", { campaignId: "c" }],
    ["/smartbot", "smartbot", "message.received", "incoming", { from: "x", body: "hi" }],
    ["/smartbot", "smartbot", "smartbot.reply", "reply", { to: "x" }],
    ["/smartbot", "smartbot", "smartbot.rule-updated", "rule-updated", { ruleId: "r" }],
    ["/notifications", "notifications", "notification.new", "notification:new",
      { userId: "00000000-0000-4000-8000-000000000001", title: "t" }],
  ];
  for (const [ns, chan, type, name, data] of table) {
    const s = await connected(ns, { token: A.key });
    const got = once(s, name);
    publish(A.id, chan, type, data, A.instances[0]);
    const ev = await got;
    for (const k of Object.keys(data)) assert.equal(ev[k], data[k], `${type}.${k}`);
    assert.ok(!isNaN(Date.parse(ev.timestamp)), `${type} has a timestamp`);
    assert.equal(ev.instanceId, A.instances[0]);
    s.close();
  }
});

test("tenant isolation: 30 tenants, each socket gets only its tenant's events", async () => {
  const tenants = Array.from({ length: 30 }, () => tenant());
  const socks = await Promise.all(tenants.map((t) => connected("/campaigns", { token: t.key })));
  const got = socks.map((s) => collect(s, "progress"));
  tenants.forEach((t, i) => publish(t.id, "campaigns", "campaign.progress",
    { campaignId: "c" + i, sent: i }));
  // and events that must reach nobody: a forged tenantId, a system channel
  redis("PUBLISH", `waqtor:${tenants[0].id}:campaigns`, JSON.stringify({
    id: "x", type: "campaign.progress", tenantId: tenants[1].id, ts: "", data: { campaignId: "forged" } }));
  redis("PUBLISH", "waqtor:system:campaigns", JSON.stringify({
    id: "x", type: "campaign.progress", tenantId: null, ts: "", data: { campaignId: "system" } }));
  // a last event to each tenant: Redis and pushd keep the order, so anything
  // forged that got through would have arrived before it
  tenants.forEach((t, i) => publish(t.id, "campaigns", "campaign.progress", { campaignId: "end" + i }));
  assert.ok(await until(() => got.every((g, i) => g.some((e) => e.campaignId === "end" + i))));
  got.forEach((g, i) => assert.deepEqual(g.map((e) => e.campaignId), ["c" + i, "end" + i]));
  socks.forEach((s) => s.close());
});

test("several namespaces multiplexed over one connection", async () => {
  const m = io(URL, { transports: ["websocket"], auth: { token: A.key }, reconnection: false,
    forceNew: true, autoConnect: false }).io;
  const st = m.socket("/status", { auth: { token: A.key } });
  const cp = m.socket("/campaigns", { auth: { token: A.key } });
  st.connect();
  cp.connect();
  await Promise.all([once(st, "connect"), once(cp, "connect")]);
  const a = once(st, "qr");
  const b = once(cp, "completed");
  publish(A.id, "status", "session.qr", { qr: "Q" });
  publish(A.id, "campaigns", "campaign.completed", { campaignId: "z" });
  assert.equal((await a).qr, "Q");
  assert.equal((await b).campaignId, "z");
  assert.equal(m.engine.transport.name, "websocket");
  st.close();
  cp.close();
});

test("ping is answered with pong {timestamp}, and with an ack when asked", async () => {
  const s = await connected("/status", { token: A.key });
  const pong = once(s, "pong");
  const before = Date.now();
  s.emit("ping");
  const p = await pong;
  assert.ok(p.timestamp >= before - 1000 && p.timestamp <= Date.now() + 1000);
  const acked = await s.timeout(3000).emitWithAck("ping");
  assert.equal(typeof acked.timestamp, "number");
  s.close();
});

test("acks and binary attachments both ways (echo)", async () => {
  const s = await connected("/smartbot", { token: A.key });
  const r = await s.timeout(3000).emitWithAck("echo", { a: 1 }, "two");
  assert.deepEqual(r, { a: 1 });
  const buf = Buffer.from([1, 2, 3, 250]);
  const [x, y] = await new Promise((resolve) =>
    s.emit("echo", { file: buf, n: 2 }, Buffer.from("zz"), (...args) => resolve(args)));
  assert.deepEqual([...x.file], [1, 2, 3, 250]);
  assert.equal(x.n, 2);
  assert.equal(Buffer.from(y).toString(), "zz");
  s.close();
});

test("default transports: HTTP long-polling first, then the upgrade to websocket", async () => {
  const s = io(URL + "/status", { auth: { token: A.key }, reconnection: false, forceNew: true });
  let first = null;
  s.io.on("open", () => { first = s.io.engine.transport.name; });
  await once(s, "connect");
  assert.equal(first, "polling");
  await until(() => s.io.engine.transport.name === "websocket", 5000);
  assert.equal(s.io.engine.transport.name, "websocket");
  const got = once(s, "stats");
  publish(A.id, "status", "session.stats", { sent: 7 });
  assert.equal((await got).sent, 7);
  s.close();
});

test("long-polling only: events, binary acks and the heartbeat", async () => {
  const s = io(URL + "/smartbot", { transports: ["polling"], auth: { token: A.key },
    reconnection: false, forceNew: true });
  await once(s, "connect");
  const got = once(s, "incoming");
  publish(A.id, "smartbot", "message.received", { body: "hello" });
  assert.equal((await got).body, "hello");
  const [x] = await new Promise((resolve) =>
    s.emit("echo", Buffer.from([9, 8]), (...args) => resolve(args)));
  assert.deepEqual([...Buffer.from(x)], [9, 8]);
  // three heartbeats (this stack's pingInterval is 1 s): the polling
  // client's pongs keep the session up
  let pings = 0;
  s.io.engine.on("ping", () => pings++);
  assert.ok(await until(() => pings >= 3, 10000), "pings seen: " + pings);
  assert.ok(s.connected);
  s.close();
});

test("engine.io-client: raw Engine.IO sessions over both transports", async () => {
  for (const transports of [["polling"], ["websocket"], ["polling", "websocket"]]) {
    const e = new EioSocket(URL, { path: "/socket.io/", transports });
    const opened = once(e, "open");
    await opened;
    assert.ok(e.id);
    e.send(`0/status,${JSON.stringify({ token: A.key })}`);
    const m = await once(e, "message");
    assert.match(m, /^0\/status,\{"sid":/);
    e.close();
  }
});

test("heartbeat: a client that does not answer pings is dropped", async () => {
  const { ws, msgs } = rawWs();
  await once(ws, "open");
  const t0 = Date.now();
  await once(ws, "close", 6000);
  assert.ok(Date.now() - t0 >= 1500, "not before pingInterval + pingTimeout");
  assert.match(msgs[0], /^0\{"sid":"[^"]+","upgrades":\[\],"pingInterval":1000,"pingTimeout":1000,"maxPayload":1000000\}$/);
  assert.equal(msgs[1], "2");
});

test("malformed frames close the connection", async () => {
  for (const bad of ["x", "4", "47", "40/status,{bad json", "42/status,[\"ping\"]",
    "40/status,[1]", "0", "451-[\"echo\"]", "42[\"connect\"]"]) {
    const { ws, msgs } = rawWs();
    await until(() => msgs.length > 0);
    ws.send(bad);
    await once(ws, "close", 3000);
  }
});

test("oversize payloads: websocket closed with 1009, poll body refused with 413", async () => {
  const { ws, msgs } = rawWs();
  await until(() => msgs.length > 0);
  ws.send("4" + "x".repeat(1000001));
  const code = await once(ws, "close", 5000);
  assert.equal(code, 1009);

  const open = await (await fetch(URL + "/socket.io/?EIO=4&transport=polling")).text();
  const sid = JSON.parse(open.slice(1)).sid;
  const r = await fetch(URL + `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
    { method: "POST", body: "4" + "x".repeat(1000001) });
  assert.equal(r.status, 413);
  const after = await fetch(URL + `/socket.io/?EIO=4&transport=polling&sid=${sid}`);
  assert.equal(after.status, 400);
});

test("bad EIO, transport or sid get 400", async () => {
  for (const q of ["transport=polling", "EIO=3&transport=polling", "EIO=4&transport=x",
    "EIO=4", "EIO=4&transport=polling&sid=nope"]) {
    const r = await fetch(URL + "/socket.io/?" + q);
    assert.equal(r.status, 400, q);
    assert.ok("code" in (await r.json()));
  }
});

// A polling session that connects /campaigns and does not poll: what the
// next poll returns shows the queue.
async function idlePollingSession(key) {
  const base = URL + "/socket.io/?EIO=4&transport=polling";
  const sid = JSON.parse((await (await fetch(base)).text()).slice(1)).sid;
  const u = base + "&sid=" + sid;
  await fetch(u, { method: "POST", body: "40/campaigns," + JSON.stringify({ token: key }) });
  const c = await (await fetch(u)).text();
  assert.match(c, /^40\/campaigns,\{"sid"/);
  return u;
}

test("/campaigns progress is coalesced per campaign for a slow socket (latest wins)", async () => {
  const T = tenant();
  const u = await idlePollingSession(T.key);
  const before = JSON.parse(pushdGet("/stats")).redis_messages;
  for (let i = 1; i <= 20; i++) {
    publish(T.id, "campaigns", "campaign.progress", { campaignId: "c1", sent: i });
    publish(T.id, "campaigns", "campaign.progress", { campaignId: "c2", sent: 100 + i });
  }
  publish(T.id, "campaigns", "campaign.completed", { campaignId: "c1" });
  // all 41 have reached pushd (it queues each as it reads it)
  assert.ok(await until(() => JSON.parse(pushdGet("/stats")).redis_messages - before >= 41));
  const body = await (await fetch(u)).text();
  const evs = body.split("\x1e").filter((p) => p.startsWith("42")).map((p) =>
    JSON.parse(p.slice(p.indexOf(","))  .slice(1)));
  assert.deepEqual(evs.map((e) => [e[0], e[1].campaignId, e[1].sent]),
    [["progress", "c1", 20], ["progress", "c2", 120], ["completed", "c1", undefined]]);
  const stats = JSON.parse(pushdGet("/stats"));
  assert.ok(stats.coalesced >= 38);
});

// With this stack's 1 s heartbeat the missing pong ends such a session
// before the 5 s over-the-queue rule would; both are counted.
test("a socket over its send queue loses events, then is dropped", async () => {
  const T = tenant();
  const u = await idlePollingSession(T.key);
  const before = JSON.parse(pushdGet("/stats"));
  for (let i = 0; i < 60; i++)
    publish(T.id, "campaigns", "campaign.completed", { campaignId: "c" + i });
  assert.ok(await until(() => JSON.parse(pushdGet("/stats")).dropped - before.dropped >= 10),
    "over the 50-packet queue: dropped");
  // watched from pushd's log: a poll would drain the queue it is over
  const sid = new globalThis.URL(u).searchParams.get("sid");
  assert.ok(await until(() => pushdLogHas(`eio: session ${sid} closed`), 15000), "the session is closed");
  publish(T.id, "campaigns", "campaign.completed", { campaignId: "late" });
  const r = await fetch(u);
  assert.equal(r.status, 400, "the session is gone");
  const after = JSON.parse(pushdGet("/stats"));
  assert.ok(after.slow_disconnects + after.ping_timeouts >
    before.slow_disconnects + before.ping_timeouts);
});

test("the first burst is twice the rate (this stack: 50/s, so 100 at once)", async () => {
  const s = await connected("/status", { token: A.key });
  const before = JSON.parse(pushdGet("/stats")).rate_limited;
  // the CONNECT was one packet: 98 events that need no answer, then one
  // ping whose ack shows all 100 arrived
  for (let i = 0; i < 98; i++) s.emit("nothing-to-answer", i);
  const acked = new Promise((resolve) => s.emit("ping", resolve));
  await Promise.race([acked, sleep(5000).then(() => { throw new Error("the 100th was not answered"); })]);
  assert.equal(JSON.parse(pushdGet("/stats")).rate_limited, before, "none of the 100 was refused");
  s.close();
});

test("an upper-case instanceId narrows like its lower-case form", async () => {
  const s = connect("/status", { token: A.key, instanceId: A.instances[0].toUpperCase() });
  const statuses = collect(s, "status");
  await once(s, "connect");
  publish(A.id, "status", "session.status", { status: "upper" }, A.instances[0]);
  assert.ok(await until(() => statuses.some((x) => x.status === "upper")), JSON.stringify(statuses));
  s.close();
});

test("a client flooding over the inbound rate limit is dropped", async () => {
  const s = await connected("/status", { token: A.key });
  const dis = once(s, "disconnect", 5000);
  for (let i = 0; i < 400; i++) s.emit("ping");
  await dis;
  assert.ok(JSON.parse(pushdGet("/stats")).rate_limited > 0);
});

test("connection state recovery: a dropped socket gets what it missed", async () => {
  const s = io(URL + "/campaigns", { transports: ["websocket"], auth: { token: A.key },
    forceNew: true, reconnectionDelay: 300, reconnectionDelayMax: 300 });
  const got = collect(s, "completed");
  await once(s, "connect");
  const id = s.id;
  publish(A.id, "campaigns", "campaign.completed", { campaignId: "before" });
  await until(() => got.length === 1);
  s.io.engine.close();	// as if the network dropped
  publish(A.id, "campaigns", "campaign.completed", { campaignId: "missed1" });
  publish(A.id, "campaigns", "campaign.completed", { campaignId: "missed2" });
  await once(s, "connect");
  assert.equal(s.recovered, true);
  assert.equal(s.id, id);
  await until(() => got.length === 3);
  assert.deepEqual(got.map((e) => e.campaignId), ["before", "missed1", "missed2"]);
  s.close();
});

test("recovery after direct emits: the /status snapshot and an echo carry an offset", async () => {
  const T = tenant([{ name: "one", status: "ready" }]);
  const s = io(URL + "/status", { transports: ["websocket"], auth: { token: T.key },
    forceNew: true, reconnectionDelay: 300, reconnectionDelayMax: 300 });
  const statuses = [];
  s.on("status", (...args) => statuses.push(args));
  await once(s, "connect");
  await until(() => statuses.length === 1);
  assert.equal(typeof statuses[0][statuses[0].length - 1], "string", "the snapshot ends with an offset");
  const echoed = once(s, "echo", 5000, true);
  s.emit("echo", "a string that must not become the offset");
  const args = await echoed;
  assert.equal(args[0], "a string that must not become the offset");
  assert.match(args[args.length - 1], /^\d+$/, "the echo ends with an offset");
  const got = collect(s, "status");
  s.io.engine.close();
  publish(T.id, "status", "session.status", { status: "missed" }, T.instances[0]);
  await once(s, "connect");
  assert.equal(s.recovered, true, "the reconnect recovers");
  await until(() => got.some((e) => e.status === "missed"));
  s.close();
});

test("a busy tenant only pushes out its own recovery history", async () => {
  const quiet = tenant(), busy = tenant();
  const s = io(URL + "/campaigns", { transports: ["websocket"], auth: { token: quiet.key },
    forceNew: true, reconnectionDelay: 500, reconnectionDelayMax: 500 });
  const got = collect(s, "completed");
  await once(s, "connect");
  publish(quiet.id, "campaigns", "campaign.completed", { campaignId: "before" });
  await until(() => got.length === 1);
  s.io.reconnection(false);	// it comes back by hand, after the flood
  const gone = once(s, "disconnect");
  s.io.engine.close();
  await gone;
  publish(quiet.id, "campaigns", "campaign.completed", { campaignId: "missed" });
  // 17,000 events of another tenant while the quiet one is away
  const before = JSON.parse(pushdGet("/stats")).redis_messages;
  redis("EVAL", "for i = 1, tonumber(ARGV[2]) do redis.call('PUBLISH', KEYS[1], ARGV[1]) end", "1",
    `waqtor:${busy.id}:campaigns`, envelope("campaign.completed", busy.id, { campaignId: "noise" }), "17000");
  assert.ok(await until(() => JSON.parse(pushdGet("/stats")).redis_messages - before >= 17000, 60000));
  const back = once(s, "connect", 10000);
  s.connect();
  await back;
  assert.equal(s.recovered, true, "the quiet tenant still recovers");
  await until(() => got.length === 2);
  assert.deepEqual(got.map((e) => e.campaignId), ["before", "missed"]);
  s.close();
});

test("/notifications: a user's notification reaches that user's sessions and the tenant's API keys only, live and recovered", async () => {
  const T = tenant(), U = tenant();
  const a = realtimeUser(T.id), b = realtimeUser(T.id), c = realtimeUser(U.id);
  const opts = { reconnection: true, reconnectionDelay: 300, reconnectionDelayMax: 300 };
  const sa = await connected("/notifications", { token: a.token }, opts);
  const sb = await connected("/notifications", { token: b.token });
  const sk = await connected("/notifications", { token: T.key });
  const sc = await connected("/notifications", { token: c.token });
  const got = { a: collect(sa, "notification:new"), b: collect(sb, "notification:new"),
    k: collect(sk, "notification:new"), c: collect(sc, "notification:new") };
  publish(T.id, "notifications", "notification.new", { userId: a.uid, title: "for a" });
  publish(T.id, "notifications", "notification.new", { userId: b.uid, title: "for b" });
  // the same user id on another tenant's channel reaches no one of T
  publish(U.id, "notifications", "notification.new", { userId: a.uid, title: "elsewhere" });
  publish(T.id, "notifications", "notification.new", { title: "no user: dropped" });
  await until(() => got.k.length === 2);
  await sleep(200);
  assert.deepEqual(got.a.map((e) => e.title), ["for a"]);
  assert.deepEqual(got.b.map((e) => e.title), ["for b"]);
  assert.deepEqual(got.k.map((e) => e.title), ["for a", "for b"], "an API key's socket hears the tenant's");
  assert.deepEqual(got.c.map((e) => e.title), [], "another tenant's user hears nothing of T");
  // recovered: what a missed while away, but not b's
  sa.io.engine.close();
  publish(T.id, "notifications", "notification.new", { userId: b.uid, title: "b while a was away" });
  publish(T.id, "notifications", "notification.new", { userId: a.uid, title: "a while away" });
  await once(sa, "connect");
  assert.equal(sa.recovered, true);
  await until(() => got.a.length === 2);
  await sleep(200);
  assert.deepEqual(got.a.map((e) => e.title), ["for a", "a while away"]);
  for (const s of [sa, sb, sk, sc]) s.close();
});

test("stats endpoint: JSON and Prometheus text", async () => {
  const s = await connected("/smartbot", { token: A.key });
  const j = JSON.parse(pushdGet("/stats"));
  assert.ok(j.namespaces["/smartbot"] >= 1);
  for (const k of ["events_in", "events_out", "coalesced", "dropped", "sessions"])
    assert.equal(typeof j[k], "number", k);
  const p = pushdGet("/metrics");
  assert.match(p, /^waqtor_pushd_sockets\{namespace="\/smartbot"\} [1-9]/m);
  assert.match(p, /^# TYPE waqtor_pushd_events_out_total counter$/m);
  s.close();
});

// The dashboard's API through nginx, with a session cookie (and the Origin
// its pages send) or an API key.
async function api(method, p, { cookie, key, body } = {}) {
  const headers = { "Content-Type": "application/json", Origin: URL };
  if (cookie) headers.Cookie = cookie;
  if (key) headers["X-API-Key"] = key;
  const r = await fetch(URL + p, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const set = r.headers.get("set-cookie");
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null,
    cookie: set ? set.split(";")[0] : null };
}

const login = async (email, password) =>
  (await api("POST", "/api/v1/auth/login", { body: { email, password } })).cookie;
const rtoken = async (cookie) => (await api("POST", "/api/v1/realtime/token", { cookie })).json.token;
const closedByServer = (s) => once(s, "disconnect", 5000);

test("revoking a key, logging out, a new password or removing a member closes their sockets", async () => {
  const email = `owner-${process.pid}@revoke.test`, pw = "correct horse 1";
  const up = await api("POST", "/api/v1/auth/signup",
    { body: { tenantName: "Revoke", name: "Owner", email, password: pw } });
  assert.equal(up.status, 201);
  const c1 = up.cookie, c2 = await login(email, pw);
  const key = (await api("POST", "/api/v1/api-keys", { cookie: c1, body: { name: "k" } })).json;
  const byKey = await connected("/status", { token: key.key });
  const bySession1 = await connected("/notifications", { token: await rtoken(c1) });
  const bySession2 = await connected("/notifications", { token: await rtoken(c2) });

  // an API key revoked: its socket goes, the sessions' stay
  let gone = closedByServer(byKey);
  assert.equal((await api("DELETE", "/api/v1/api-keys/" + key.id, { cookie: c1 })).status, 204);
  assert.equal(await gone, "io server disconnect");
  assert.ok(bySession1.connected && bySession2.connected);

  // a new password ends the other sessions: session 2's socket goes
  gone = closedByServer(bySession2);
  assert.equal((await api("POST", "/api/v1/me/password",
    { cookie: c1, body: { currentPassword: pw, newPassword: "a new horse 22" } })).status, 204);
  assert.equal(await gone, "io server disconnect");
  assert.ok(bySession1.connected, "the session that changed it keeps its socket");

  // logout: session 1's socket goes, and its token opens no new one
  const t1 = await rtoken(c1);
  gone = closedByServer(bySession1);
  assert.equal((await api("POST", "/api/v1/auth/logout", { cookie: c1 })).status, 204);
  assert.equal(await gone, "io server disconnect");
  await assert.rejects(connected("/notifications", { token: t1 }), /Session ended/);

  // a removed member's sockets go with them
  const owner = await login(email, "a new horse 22");
  const inv = await api("POST", "/api/v1/members", { cookie: owner, body: { email: `m-${process.pid}@revoke.test`,
    role: "member" } });
  assert.equal(inv.status, 201);
  const joined = await api("POST", "/api/v1/invitations/accept",
    { body: { token: inv.json.token, name: "Member", password: "member pass 1" } });
  assert.equal(joined.status, 201);
  const member = await login(`m-${process.pid}@revoke.test`, "member pass 1");
  const bySession3 = await connected("/status", { token: await rtoken(member) });
  const memberId = (await api("GET", "/api/v1/me", { cookie: member })).json.user.id;
  gone = closedByServer(bySession3);
  assert.equal((await api("DELETE", "/api/v1/members/" + memberId, { cookie: owner })).status, 200);
  assert.equal(await gone, "io server disconnect");
  assert.ok(JSON.parse(pushdGet("/stats")).revoked >= 4);
});

test("Redis restart mid-stream: pushd resubscribes while sockets stay up", async () => {
  const s = await connected("/status", { token: A.key });
  const id = s.id;
  let dropped = false;
  s.on("disconnect", () => { dropped = true; });
  process.kill(pid("redis"), "SIGKILL");
  await until(() => JSON.parse(pushdGet("/healthz")).redis === "down", 5000);
  waqtor("up");  // (this also starts the engine again: its own qr events may come too)
  await until(() => JSON.parse(pushdGet("/healthz")).redis === "ok", 10000);
  const got = new Promise((resolve) => s.on("qr", (d) => { if (d.qr === "after-restart") resolve(d); }));
  publish(A.id, "status", "session.qr", { qr: "after-restart" });
  assert.equal((await got).qr, "after-restart");
  assert.equal(dropped, false);
  assert.equal(s.id, id);
  s.close();
});

test("SIGTERM closes sockets cleanly", async () => {
  const s = await connected("/status", { token: A.key });
  const { ws, msgs } = rawWs();
  await until(() => msgs.length > 0);
  const dis = once(s, "disconnect", 8000);
  const closed = once(ws, "close", 8000);
  process.kill(pid("waqtor-pushd"), "SIGTERM");
  const code = await closed;
  assert.equal(code, 1001);
  await dis;
});
