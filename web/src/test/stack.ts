/*
 * The stack the tests run against (tests/e2e/run.py starts it): its URL,
 * a fetch that keeps cookies like a browser, tenants made through the API,
 * and events published the way the engine publishes them.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

export const URL = process.env.WQ_URL ?? '';
export const STATE = process.env.WQ_STATE ?? '';
export const ACCESS_CODES = (process.env.WQ_ACCESS_CODES ?? '').split(',').filter(Boolean);

export type Jar = Map<string, string>;
export const jar: Jar = new Map();
const realFetch = globalThis.fetch;

/** Each Set-Cookie of an answer (Node 18's fetch has no getSetCookie: it joins them with commas). */
function setCookies(h: Headers): string[] {
	if (typeof h.getSetCookie === 'function') return h.getSetCookie();
	const joined = h.get('set-cookie');
	return joined ? joined.split(/,(?=\s*[\w-]+=)/) : [];
}

/** fetch against the stack, with a cookie jar and the browser's Origin. */
export function stackFetch(cookies: Jar): typeof fetch {
	return async (input, init = {}) => {
		const url = new globalThis.URL(typeof input === 'string' ? input : input instanceof Request ? input.url : input.href, URL);
		const headers = new Headers(init.headers);
		headers.set('Origin', new globalThis.URL(URL).origin);
		if (cookies.size) headers.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
		const res = await realFetch(url, { ...init, headers, redirect: 'manual' });
		for (const c of setCookies(res.headers)) {
			const [pair, ...attrs] = c.split(';');
			const [k, v] = pair.split('=');
			const expired = attrs.some((a) => /max-age=0/i.test(a)) || v === '';
			if (expired) cookies.delete(k.trim());
			else cookies.set(k.trim(), v);
		}
		return res;
	};
}

export interface Account {
	email: string;
	password: string;
	fetch: typeof fetch;
	userId: string;
	tenantId: string;
}

/** A new tenant and its owner, signed in on a jar of its own (or the given one). */
export async function signup(cookies: Jar = new Map()): Promise<Account> {
	const f = stackFetch(cookies);
	const email = `${randomUUID()}@web.test`;
	const password = 'correct horse 1';
	const r = await f('/api/v1/auth/signup', {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ tenantName: 'Web test', name: 'Wendy Web', email, password }),
	});
	if (r.status !== 201) throw new Error(`signup: ${r.status} ${await r.text()}`);
	const me = (await r.json()) as { user: { id: string }; tenant: { id: string } };
	return { email, password, fetch: f, userId: me.user.id, tenantId: me.tenant.id };
}

export async function json<T>(f: typeof fetch, method: string, path: string, body?: unknown): Promise<T> {
	const r = await f(path, {
		method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
	return (r.status === 204 ? undefined : await r.json()) as T;
}

/** Publishes an event as the engine does (waqtor:<tenant>:<namespace>). */
export function publish(tenantId: string, ns: string, type: string, data: object): void {
	execFileSync('redis-cli', ['-s', join(STATE, 'run', 'redis.sock'), 'PUBLISH', `waqtor:${tenantId}:${ns}`,
		JSON.stringify({ id: randomUUID(), type, tenantId, instanceId: null, ts: new Date().toISOString(), data })]);
}

/** Resolves when `cond` holds, polling; rejects after `ms`. */
export async function until(cond: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 25));
	}
}
