/*
 * The stores against the real API: signing in and out, the profile, the
 * preferences (saved on the server, put on the document, rolled back when
 * refused) and the notifications of a real cause (a sandbox phone that
 * unlinks its device).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, get } from '../api/client';
import { jar, json, signup, until } from '../test/stack';
import { useAuth } from './auth';
import { useNotifications } from './notifications';
import { DEFAULT_PREFERENCES, useSettings } from './settings';

beforeEach(async () => {
	jar.clear();
	useAuth.setState({ status: 'unknown', user: null, tenant: null });
	useNotifications.getState().clear();
	document.documentElement.innerHTML = '<head><link id="theme-link" rel="stylesheet" href="/themes/light.css"></head><body></body>';
});

async function signedIn() {
	const a = await signup();
	await useAuth.getState().login(a.email, a.password);
	return a;
}

describe('auth store', () => {
	it('starts out when there is no session, and a wrong password changes nothing', async () => {
		await useAuth.getState().load();
		expect(useAuth.getState().status).toBe('out');
		const a = await signup(new Map());
		const err = await useAuth.getState().login(a.email, 'wrong password').catch((e) => e);
		expect(err).toBeInstanceOf(ApiError);
		expect(err.status).toBe(401);
		expect(useAuth.getState().status).toBe('out');
	});

	it('logs in, edits the profile, refuses a bad phone, logs out', async () => {
		const a = await signedIn();
		const s = useAuth.getState();
		expect(s.status).toBe('in');
		expect(s.user?.email).toBe(a.email);
		await useAuth.getState().updateProfile({ name: 'Renamed', phone: '+966501234567' });
		expect(useAuth.getState().user).toMatchObject({ name: 'Renamed', phone: '+966501234567' });
		const err = await useAuth.getState().updateProfile({ phone: '12' }).catch((e) => e);
		expect(err).toMatchObject({ status: 400, code: 'validation_failed' });
		expect(Object.keys(err.details)).toContain('phone');
		expect(useAuth.getState().user?.phone).toBe('+966501234567');
		await useAuth.getState().logout();
		expect(useAuth.getState().status).toBe('out');
		await expect(get('/api/v1/me', { quiet401: true })).rejects.toMatchObject({ status: 401 });
	});
});

describe('settings store', () => {
	it('loads every preference, saves a change on the server and puts it on the document', async () => {
		await signedIn();
		await useSettings.getState().load();
		expect(useSettings.getState().preferences).toEqual(DEFAULT_PREFERENCES);
		await useSettings.getState().savePreferences({ language: 'ar', theme: 'dark', scale: 16, compact_mode: true });
		const html = document.documentElement;
		expect([html.dir, html.lang, html.dataset.theme, html.style.fontSize]).toEqual(['rtl', 'ar', 'dark', '16px']);
		expect(html.classList.contains('compact')).toBe(true);
		expect(document.getElementById('theme-link')?.getAttribute('href')).toBe('/themes/dark.css');
		useSettings.setState({ settings: null, preferences: DEFAULT_PREFERENCES });
		await useSettings.getState().load();
		expect(useSettings.getState().preferences).toMatchObject({ language: 'ar', theme: 'dark', scale: 16, compact_mode: true });
	});

	it('a value the server refuses is rolled back', async () => {
		await signedIn();
		await useSettings.getState().load();
		await expect(useSettings.getState().savePreferences({ scale: 99 })).rejects.toMatchObject({ status: 400 });
		expect(useSettings.getState().preferences.scale).toBe(14);
		expect(document.documentElement.style.fontSize).toBe('14px');
	});
});

describe('notifications store', () => {
	it('counts, marks read, marks all and deletes real notifications', async () => {
		const a = await signedIn();
		const inst = await json<{ id: string }>(a.fetch, 'POST', '/api/v1/instances', { name: 'phone', provider: 'sandbox' });
		await json(a.fetch, 'POST', `/api/v1/instances/${inst.id}/sandbox/pair`, {});
		const ready = async () => (await json<{ status: string }>(a.fetch, 'GET', `/api/v1/instances/${inst.id}`)).status;
		for (let i = 0; i < 200 && (await ready()) !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
		await json(a.fetch, 'POST', `/api/v1/instances/${inst.id}/sandbox/unlink`, {});
		const st = useNotifications.getState;
		for (let i = 0; i < 200 && st().recent.length === 0; i++) {
			await st().loadRecent();
			await new Promise((r) => setTimeout(r, 50));
		}
		expect(st().unread).toBe(1);
		const n = st().recent[0];
		expect(n).toMatchObject({ kind: 'instance.disconnected', read: false });
		st().received(n); // the same one again over the socket: counted once
		expect(st().unread).toBe(1);
		await st().markRead(n.id);
		expect(st().unread).toBe(0);
		expect(st().recent[0].read).toBe(true);
		st().received({ ...n, id: crypto.randomUUID(), read: false });
		expect([st().unread, st().arrivals]).toEqual([1, 1]);
		await st().markAllRead();
		expect(st().unread).toBe(0);
		await st().remove(n.id);
		await until(() => !st().recent.some((x) => x.id === n.id));
		expect((await st().page('all', null, 20)).notifications).toEqual([]);
	});
});
