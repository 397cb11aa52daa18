// The cases of the public Engine.IO protocol test suite
// (socketio/engine.io-protocol, test-suite/), mirrored against pushd in the
// mode that suite expects: WAQTOR_PUSHD_ECHO (an echo server at
// /engine.io/), pingInterval 300, pingTimeout 200, maxPayload 1000000.
// pushd runs on its own TCP port, apart from the stack.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { after, before, test } from "node:test";
import WebSocket from "ws";

const PING_INTERVAL = 300;
const PING_TIMEOUT = 200;
let URL, WS_URL, child;

// The few fixed waits below are the public engine.io-protocol suite's own
// (this file mirrors it): the ping timeout itself, and its upgrade pauses.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve) => {
  const srv = net.createServer().listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
function waitFor(socket, type) {
  return new Promise((resolve) => socket.addEventListener(type, resolve, { once: true }));
}
async function initLongPollingSession() {
  const r = await fetch(`${URL}/engine.io/?EIO=4&transport=polling`);
  return JSON.parse((await r.text()).substring(1)).sid;
}
const poll = (sid, q = "") => fetch(`${URL}/engine.io/?EIO=4&transport=polling&sid=${sid}${q}`);
const push = (sid, body) => fetch(`${URL}/engine.io/?EIO=4&transport=polling&sid=${sid}`,
  { method: "post", body });

before(async () => {
  const port = await freePort();
  URL = `http://127.0.0.1:${port}`;
  WS_URL = URL.replace("http", "ws");
  child = spawn(path.join(process.env.WAQTOR_BUILD_DIR, "waqtor-pushd"), [], {
    env: { ...process.env, WAQTOR_PUSHD_SOCKET: `127.0.0.1:${port}`, WAQTOR_PUSHD_ECHO: "1",
      WAQTOR_PUSHD_PING_INTERVAL_MS: String(PING_INTERVAL),
      WAQTOR_PUSHD_PING_TIMEOUT_MS: String(PING_TIMEOUT),
      WAQTOR_PUSHD_MAX_PAYLOAD: "1000000", WAQTOR_LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100; i++) {
    try { await fetch(URL + "/healthz"); return; } catch { await sleep(50); }
  }
  throw new Error("pushd (echo mode) did not start");
});
after(async () => {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
});

test("engine.io-protocol: polling handshake: the open packet", async () => {
  const r = await fetch(`${URL}/engine.io/?EIO=4&transport=polling`);
  assert.equal(r.status, 200);
  const c = await r.text();
  assert.ok(c.startsWith("0"));
  const v = JSON.parse(c.substring(1));
  assert.deepEqual(Object.keys(v).sort(),
    ["maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"]);
  assert.equal(typeof v.sid, "string");
  assert.deepEqual(v.upgrades, ["websocket"]);
  assert.equal(v.pingInterval, PING_INTERVAL);
  assert.equal(v.pingTimeout, PING_TIMEOUT);
  assert.equal(v.maxPayload, 1000000);
});
test("engine.io-protocol: polling handshake: 400 for a bad EIO, transport or method", async () => {
  for (const q of ["transport=polling", "EIO=abc&transport=polling", "EIO=4", "EIO=4&transport=abc"])
    assert.equal((await fetch(`${URL}/engine.io/?${q}`)).status, 400, q);
  for (const method of ["post", "put"])
    assert.equal((await fetch(`${URL}/engine.io/?EIO=4&transport=polling`, { method })).status, 400);
});
test("engine.io-protocol: websocket handshake: the open packet; bad EIO or transport refused", async () => {
  const s = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket`);
  const { data } = await waitFor(s, "message");
  const v = JSON.parse(data.substring(1));
  assert.ok(data.startsWith("0"));
  assert.deepEqual(v.upgrades, []);
  assert.equal(v.pingInterval, PING_INTERVAL);
  s.close();
  for (const q of ["transport=websocket", "EIO=abc&transport=websocket", "EIO=4", "EIO=4&transport=abc"]) {
    const b = new WebSocket(`${WS_URL}/engine.io/?${q}`);
    b.on("error", () => {});
    await waitFor(b, "close");
  }
});
test("engine.io-protocol: polling: one, several, and text plus binary packets echoed", async () => {
  for (const body of ["4hello", "4test1\x1e4test2\x1e4test3", "4hello\x1ebAQIDBA=="]) {
    const sid = await initLongPollingSession();
    const p = await push(sid, body);
    assert.equal(p.status, 200);
    assert.equal(await p.text(), "ok");
    const g = await poll(sid);
    assert.equal(g.status, 200);
    assert.equal(await g.text(), body);
  }
});
test("engine.io-protocol: polling: an invalid packet closes the session", async () => {
  const sid = await initLongPollingSession();
  try { assert.equal((await push(sid, "abc")).status, 400); } catch { /* hung up */ }
  assert.equal((await poll(sid)).status, 400);
});
test("engine.io-protocol: polling: duplicate poll requests close the session", async () => {
  const sid = await initLongPollingSession();
  const [a, b] = await Promise.all([poll(sid), sleep(5).then(() => poll(sid, "&t=burst"))]);
  assert.equal(a.status, 200);
  assert.equal(await a.text(), "1");
  assert.ok([400, 500].includes(b.status));
  assert.equal((await poll(sid)).status, 400);
});
test("engine.io-protocol: websocket: text and binary echoed; an invalid packet closes", async () => {
  const s = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket`);
  s.binaryType = "arraybuffer";
  await waitFor(s, "message");
  s.send("4hello");
  assert.equal((await waitFor(s, "message")).data, "4hello");
  s.send(Uint8Array.from([1, 2, 3, 4]));
  assert.deepEqual(new Uint8Array((await waitFor(s, "message")).data), Uint8Array.from([1, 2, 3, 4]));
  s.send("abc");
  await waitFor(s, "close");
});
test("engine.io-protocol: heartbeat over polling: ping/pong, then the ping timeout", async () => {
  const sid = await initLongPollingSession();
  for (let i = 0; i < 3; i++) {
    const g = await poll(sid);
    assert.equal(await g.text(), "2");
    assert.equal((await push(sid, "3")).status, 200);
  }
  const sid2 = await initLongPollingSession();
  await sleep(PING_INTERVAL + PING_TIMEOUT + 50);
  assert.equal((await poll(sid2)).status, 400);
});
test("engine.io-protocol: heartbeat over websocket: ping/pong, then the ping timeout", async () => {
  const s = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket`);
  await waitFor(s, "message");
  for (let i = 0; i < 3; i++) {
    assert.equal((await waitFor(s, "message")).data, "2");
    s.send("3");
  }
  s.close();
  const t = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket`);
  await waitFor(t, "close");
});
test("engine.io-protocol: close: a close packet ends the session on both transports", async () => {
  const sid = await initLongPollingSession();
  const [g] = await Promise.all([poll(sid), push(sid, "1")]);
  assert.equal(g.status, 200);
  assert.equal(await g.text(), "6");
  assert.equal((await poll(sid)).status, 400);
  const s = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket`);
  await waitFor(s, "message");
  s.send("1");
  await waitFor(s, "close");
});
test("engine.io-protocol: upgrade: 2probe/3probe, the pending poll gets a noop, then 5", async () => {
  const sid = await initLongPollingSession();
  const s = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
  await waitFor(s, "open");
  s.send("2probe");
  assert.equal((await waitFor(s, "message")).data, "3probe");
  const g = await poll(sid);
  assert.equal(g.status, 200);
  assert.equal(await g.text(), "6");
  s.send("5");
  s.send("4hello");
  assert.equal((await waitFor(s, "message")).data, "4hello");
  s.close();
});
test("engine.io-protocol: upgrade: later polls and websockets with the same sid are refused", async () => {
  const sid = await initLongPollingSession();
  const s = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
  await waitFor(s, "open");
  s.send("2probe");
  s.send("5");
  await sleep(50);
  assert.equal((await poll(sid)).status, 400);
  const s2 = new WebSocket(`${WS_URL}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
  s2.on("error", () => {});
  await waitFor(s2, "close");
  s.send("4hello");
  let m;
  do m = (await waitFor(s, "message")).data; while (m === "3probe" || m === "2");
  assert.equal(m, "4hello");
  s.close();
});
