// Helpers for the pushd suite: the stack that run.py started (WQ_* env),
// tenants and keys made directly in PostgreSQL, events published with
// redis-cli, and promise wrappers around socket.io-client.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { io as rawIo } from "socket.io-client";

export const URL = process.env.WQ_URL;
export const STATE = process.env.WQ_STATE;
export const SRC = process.env.WQ_SRC;

const asService = process.env.WQ_ROOT_USER
  ? ["setpriv", "--reuid=waqtor", "--regid=waqtor", "--init-groups"]
  : [];

// PostgreSQL's programs are not on PATH on Debian: the cluster's own version's.
const pgVersion = () => fs.readFileSync(path.join(STATE, "pg", "data", "PG_VERSION"), "utf8").trim();

export function psql(sql) {
  return execFileSync(`/usr/lib/postgresql/${pgVersion()}/bin/psql`, ["-X", "-h", path.join(STATE, "pg", "sock"),
    "-U", "waqtor", "-d", "waqtor", "-tAc", sql], { encoding: "utf8" }).trim();
}

export function redis(...args) {
  return execFileSync("redis-cli", ["-s", path.join(STATE, "run", "redis.sock"),
    ...args], { encoding: "utf8" }).trim();
}

// True when waqtor-pushd's log (at debug level in this suite) has text.
export function pushdLogHas(text) {
  return fs.readFileSync(path.join(STATE, "log", "waqtor-pushd.log"), "utf8").includes(text);
}

export function pid(name) {
  try {
    return parseInt(fs.readFileSync(path.join(STATE, "run", name + ".pid"), "utf8"), 10);
  } catch {
    return null;
  }
}

// GET on pushd's own socket (stats, healthz): curl speaks unix sockets.
export function pushdGet(p) {
  return execFileSync("curl", ["-s", "--unix-socket", path.join(STATE, "run", "pushd.sock"),
    "http://pushd" + p], { encoding: "utf8" });
}

export function waqtor(...args) {
  return execFileSync(path.join(SRC, "waqtor"), args, { encoding: "utf8", env: process.env });
}

let nTenants = 0;

// A tenant with one API key and the given instances ({name, status}).
export function tenant(instances = []) {
  const name = "t" + process.pid + "-" + (++nTenants);
  const id = psql(`INSERT INTO tenants(name) VALUES('${name}') RETURNING id`).split("\n")[0];
  const prefix = crypto.randomBytes(6).toString("hex");
  const key = `wq_${prefix}_${crypto.randomBytes(32).toString("hex")}`;
  psql(`INSERT INTO api_keys(tenant_id, name, prefix, key_hash) VALUES ` +
    `('${id}', 'k', '${prefix}', sha256('${key}'::bytea))`);
  const inst = instances.map((i) => psql(
    `INSERT INTO instances(tenant_id, name, provider, status) VALUES ` +
    `('${id}', '${i.name}', 'sandbox', '${i.status}') RETURNING id`).split("\n")[0]);
  return { id, key, instances: inst };
}

// A realtime token as the API mints it (lib/token.h), from the stack's key,
// for a live session of a new user of the tenant (pushd checks the session).
export function realtimeToken(tenantId, expSecs = 300) {
  return realtimeUser(tenantId, expSecs).token;
}

// The same, with the new user's id: { token, uid }.
export function realtimeUser(tenantId, expSecs = 300) {
  const key = Buffer.from(fs.readFileSync(path.join(STATE, "secret-key"), "utf8").trim(), "hex");
  const uid = psql(`INSERT INTO users(tenant_id, email, name, password_hash, role) VALUES ` +
    `('${tenantId}', '${crypto.randomUUID()}@rt.test', 'rt', 'x', 'member') RETURNING id`).split("\n")[0];
  const sid = psql(`INSERT INTO sessions(tenant_id, user_id, token_hash, expires_at) VALUES ` +
    `('${tenantId}', '${uid}', sha256('${crypto.randomUUID()}'::bytea), now() + interval '1 hour') ` +
    `RETURNING id`).split("\n")[0];
  const payload = JSON.stringify({ tid: tenantId, uid, sid,
    exp: Math.floor(Date.now() / 1000) + expSecs });
  const signed = "rt_" + Buffer.from(payload).toString("base64url");
  const mac = crypto.createHmac("sha256", key).update(signed).digest("base64url");
  return { token: signed + "." + mac, uid };
}

export function envelope(type, tenantId, data, instanceId = null) {
  return JSON.stringify({ id: crypto.randomUUID(), type, tenantId, instanceId,
    ts: new Date().toISOString(), data });
}

export function publish(tenantId, ns, type, data, instanceId = null) {
  return parseInt(redis("PUBLISH", `waqtor:${tenantId}:${ns}`,
    envelope(type, tenantId, data, instanceId)), 10);
}

// Every Socket.IO client a test opens, so that afterEach can close what a
// failed test left open (a reconnecting client would keep node running).
const opened = new Set();

export function io(...args) {
  const s = rawIo(...args);
  opened.add(s);
  return s;
}

export function closeAll() {
  for (const s of opened) {
    s.io.reconnection(false);
    s.close();
    if (s.io.engine) s.io.engine.close();
  }
  opened.clear();
}

export function connect(ns, auth, opts = {}) {
  return io(URL + ns, { transports: ["websocket"], auth, reconnection: false,
    forceNew: true, ...opts });
}

// The first argument of the next `event` (every argument with all).
export function once(emitter, event, ms = 5000, all = false) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${ms} ms`)), ms);
    emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(all ? args : args[0]);
    });
  });
}

// Resolves with the connected socket, rejects with the connect_error.
export async function connected(ns, auth, opts = {}) {
  const s = connect(ns, auth, opts);
  await new Promise((resolve, reject) => {
    s.once("connect", resolve);
    s.once("connect_error", (e) => { s.close(); reject(e); });
  });
  return s;
}

// Collects every event named `event` on s.
export function collect(s, event) {
  const got = [];
  s.on(event, (...args) => got.push(args[0]));
  return got;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function until(pred, ms = 5000, step = 25) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(step);
  }
  return pred();
}
