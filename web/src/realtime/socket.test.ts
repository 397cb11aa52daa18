// @vitest-environment node
/*
 * The socket layer against the real pushd of the test stack, with the
 * official socket.io-client underneath (no mock): realtime tokens from a
 * real session, heartbeat latency, events, a refused token retried on the
 * backoff, recovery of events missed while the connection was down, and
 * the end of the session closing it.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { json, publish, signup, until, URL, type Account } from '../test/stack';
import { backoff, Realtime, type RealtimeOptions } from './socket';

const open: Realtime[] = [];
afterEach(() => {
	open.splice(0).forEach((r) => r.close());
});

function realtime(a: Account, opts: Partial<RealtimeOptions> = {}): { rt: Realtime; calls: () => number } {
	let n = 0;
	const rt = new Realtime({
		url: URL, transports: ['websocket'], delayMs: 50, delayMaxMs: 400,
		token: () => {
			n++;
			return json<{ token: string; expiresAt: string }>(a.fetch, 'POST', '/api/v1/realtime/token', {});
		},
		...opts,
	});
	open.push(rt);
	return { rt, calls: () => n };
}

const note = (a: Account, title: string) => ({ id: randomUUID(), userId: a.userId, title, type: 'info' });

describe('backoff', () => {
	it('doubles from the first delay, within its jitter, up to the cap', () => {
		expect(backoff(0, 1000, 30000, 0.5, () => 0)).toBe(500);
		expect(backoff(0, 1000, 30000, 0.5, () => 1)).toBe(1500);
		expect(backoff(3, 1000, 30000, 0, () => 0.3)).toBe(8000);
		expect(backoff(10, 1000, 30000, 0, () => 0.3)).toBe(30000);
		expect(backoff(1000, 1000, 30000, 0.5, () => 1)).toBe(45000);
		for (let i = 0; i < 50; i++) {
			const d = backoff(2, 1000, 30000, 0.5);
			expect(d).toBeGreaterThanOrEqual(2000);
			expect(d).toBeLessThanOrEqual(6000);
		}
	});
});

describe('Realtime against pushd', () => {
	it('connects with a realtime token, measures latency and receives the user\'s events', async () => {
		const a = await signup();
		const { rt, calls } = realtime(a);
		const states: string[] = [];
		rt.on((s) => states.push(s.state));
		const got: { title: string }[] = [];
		rt.socket('/notifications').on('notification:new', (d: { title: string }) => got.push(d));
		await until(() => rt.snapshot.state === 'online', 10000, 'online');
		expect(rt.snapshot.connected).toEqual(['/notifications']);
		const ms = await rt.ping();
		expect(ms).toBeGreaterThanOrEqual(0);
		expect(rt.snapshot.latency).toBe(ms);
		publish(a.tenantId, 'notifications', 'notification.new', note(a, 'hello'));
		await until(() => got.length === 1, 10000, 'the event');
		expect(got[0].title).toBe('hello');
		rt.socket('/status');
		await until(() => rt.snapshot.connected.length === 2, 10000, 'a second namespace');
		expect(calls()).toBe(1); // the token is reused until shortly before it expires
		expect(states[0]).toBe('connecting');
	});

	it('only the user\'s own notifications and the tenant\'s own events arrive', async () => {
		const a = await signup();
		const b = await signup();
		const { rt } = realtime(a);
		const got: { title: string }[] = [];
		rt.socket('/notifications').on('notification:new', (d: { title: string }) => got.push(d));
		await until(() => rt.snapshot.state === 'online');
		publish(b.tenantId, 'notifications', 'notification.new', note(b, 'other tenant'));
		publish(a.tenantId, 'notifications', 'notification.new', { ...note(a, 'other user'), userId: randomUUID() });
		publish(a.tenantId, 'notifications', 'notification.new', note(a, 'mine'));
		await until(() => got.length >= 1);
		await new Promise((r) => setTimeout(r, 300));
		expect(got.map((g) => g.title)).toEqual(['mine']);
	});

	it('a refused token is replaced and the namespace retried on the backoff', async () => {
		const a = await signup();
		let n = 0;
		const { rt } = realtime(a, {
			token: async () => (++n === 1 ? { token: 'rt_AAAA.BBBB' }
				: json<{ token: string; expiresAt: string }>(a.fetch, 'POST', '/api/v1/realtime/token', {})),
		});
		const errors: string[] = [];
		const s = rt.socket('/notifications');
		s.on('connect_error', (e: Error) => errors.push(e.message));
		await until(() => rt.snapshot.state === 'online', 10000, 'online after the retry');
		expect(errors[0]).toMatch(/Invalid or expired realtime token/);
		expect(n).toBe(2);
	});

	it('events published while the connection was down arrive when it is back (recovery)', async () => {
		const a = await signup();
		const { rt } = realtime(a);
		const resyncs: string[] = [];
		rt.onResync((ns) => resyncs.push(ns));
		const s = rt.socket('/notifications');
		const got: string[] = [];
		s.on('notification:new', (d: { title: string }) => got.push(d.title));
		await until(() => rt.snapshot.state === 'online');
		publish(a.tenantId, 'notifications', 'notification.new', note(a, 'before'));
		await until(() => got.length === 1);
		const id = s.id;
		(s.io.engine as unknown as { close: () => void }).close(); // the network goes
		await until(() => rt.snapshot.state !== 'online', 5000, 'offline');
		publish(a.tenantId, 'notifications', 'notification.new', note(a, 'while away'));
		await until(() => got.length === 2, 10000, 'the missed event');
		expect(got).toEqual(['before', 'while away']);
		expect(s.recovered).toBe(true);
		expect(s.id).toBe(id);
		expect(resyncs).toEqual([]);
	});

	it('logging out ends the realtime connection and says so', async () => {
		const a = await signup();
		let ended = 0;
		const { rt } = realtime(a, { onSessionEnded: () => ended++ });
		rt.socket('/notifications');
		await until(() => rt.snapshot.state === 'online');
		await json(a.fetch, 'POST', '/api/v1/auth/logout', {});
		await until(() => ended === 1, 10000, 'onSessionEnded');
		expect(rt.snapshot.state).toBe('offline');
		expect(rt.snapshot.connected).toEqual([]);
	});
});
