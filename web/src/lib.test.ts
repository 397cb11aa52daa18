/* The pure helpers, and that both languages have every key. */
import { describe, expect, it } from 'vitest';
import ar from './i18n/ar.json';
import en from './i18n/en.json';
import { avatarImage, initials } from './components/UserAvatar';
import { normaliseCode } from './components/OtpDialog';
import { timeAgo } from './components/TimeAgo';
import { safeReturn } from './pages/auth/Login';
import { avatarProblem } from './pages/Profile';
import type { User } from './api/types';

function keys(o: object, prefix = ''): string[] {
	return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
const plain = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations', () => {
	it('Arabic has every English key and no other (plural forms aside)', () => {
		expect([...new Set(keys(ar).map(plain))].sort()).toEqual([...new Set(keys(en).map(plain))].sort());
	});
	it('Arabic has all six plural forms wherever English has plurals', () => {
		const plurals = keys(en).filter((k) => k.endsWith('_other')).map(plain);
		for (const p of plurals)
			for (const f of ['zero', 'one', 'two', 'few', 'many', 'other']) expect(keys(ar)).toContain(`${p}_${f}`);
	});
});

describe('helpers', () => {
	it('returns only to a path on this site', () => {
		expect(safeReturn('/settings?tab=keys')).toBe('/settings?tab=keys');
		for (const bad of [null, '', 'https://evil.example/', '//evil.example', '/\\evil.example', '/auth/login', 'javascript:alert(1)'])
			expect(safeReturn(bad)).toBe('/dashboard');
	});
	it('checks an avatar before it is sent', () => {
		expect(avatarProblem({ type: 'image/png', size: 1000 })).toBeNull();
		expect(avatarProblem({ type: 'image/svg+xml', size: 10 })).toBe('type');
		expect(avatarProblem({ type: 'image/jpeg', size: 2 * 1024 * 1024 + 1 })).toBe('size');
	});
	it('normalises an access code as the server does', () => {
		expect(normaliseCode('abcd-efgh ijkl-mnop')).toBe('ABCDEFGHIJKLMNOP');
	});
	it('says how long ago, in the language', () => {
		const now = Date.parse('2026-12-03T12:00:00Z');
		expect(timeAgo('2026-12-03T11:55:00Z', 'en', now)).toBe('5 minutes ago');
		expect(timeAgo('2026-12-02T12:00:00Z', 'en', now)).toBe('yesterday');
		expect(timeAgo('2026-12-03T11:55:00Z', 'ar', now)).toMatch(/٥|5/);
	});
	it('picks the avatar: uploaded, else Gravatar only if allowed (and 404 when there is none), else the letter', () => {
		const u = (avatarUrl: string): User => ({ id: 'x', name: 'ann', email: 'a@b', role: 'owner', phone: null, avatarUrl });
		expect(avatarImage(u('/api/v1/avatars/x'), false)).toBe('/api/v1/avatars/x');
		const g = 'https://www.gravatar.com/avatar/abc?d=identicon';
		expect(avatarImage(u(g), false)).toBeNull();
		expect(avatarImage(u(g), true)).toBe('https://www.gravatar.com/avatar/abc?d=404');
		expect(initials(' émile')).toBe('É');
		expect(initials('علي')).toBe('ع');
	});
});
