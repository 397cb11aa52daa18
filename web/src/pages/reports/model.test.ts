import { describe, expect, it } from 'vitest';
import { addDays, dayIn, days, defaultBucket, figureText, pointLabel, presetRange, reportQuery, startOf } from './model';

const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe('the days of the tenant time zone', () => {
	it('start at its midnight, east and west of UTC', () => {
		expect(iso(startOf({ y: 2026, m: 12, d: 4 }, 'Asia/Riyadh'))).toBe('2026-12-03T21:00:00.000Z');
		expect(iso(startOf({ y: 2026, m: 12, d: 4 }, 'America/New_York'))).toBe('2026-12-04T05:00:00.000Z');
		expect(iso(startOf({ y: 2026, m: 12, d: 4 }, 'UTC'))).toBe('2026-12-04T00:00:00.000Z');
	});
	it('follow daylight saving time on both edges', () => {
		// New York leaves DST on 2026-11-01: that day has 25 hours
		const a = startOf({ y: 2026, m: 11, d: 1 }, 'America/New_York');
		const b = startOf({ y: 2026, m: 11, d: 2 }, 'America/New_York');
		expect(iso(a)).toBe('2026-11-01T04:00:00.000Z');
		expect((b - a) / 3600000).toBe(25);
		// Beirut (and Santiago, Havana) skip midnight itself: the day starts at 01:00
		expect(iso(startOf({ y: 2026, m: 3, d: 29 }, 'Asia/Beirut'))).toBe('2026-03-28T22:00:00.000Z');
		expect(iso(startOf({ y: 2026, m: 3, d: 30 }, 'Asia/Beirut'))).toBe('2026-03-29T21:00:00.000Z');
	});
	it('a moment falls on its zone day', () => {
		expect(dayIn(at('2026-12-03T22:30:00Z'), 'Asia/Riyadh')).toEqual({ y: 2026, m: 12, d: 4 });
		expect(dayIn(at('2026-12-04T03:00:00Z'), 'America/New_York')).toEqual({ y: 2026, m: 12, d: 3 });
		expect(addDays({ y: 2026, m: 3, d: 1 }, -1)).toEqual({ y: 2026, m: 2, d: 28 });
	});
});

describe('the query of a range', () => {
	const now = at('2026-12-04T10:15:00Z');
	it('a preset ends today and to is now', () => {
		const r = presetRange('7d', now, 'Asia/Riyadh');
		expect(days(r)).toBe(7);
		expect(defaultBucket(r)).toBe('day');
		const q = new URLSearchParams(reportQuery(r, 'Asia/Riyadh', now, { instanceId: 'i1' }, 'day'));
		expect(q.get('from')).toBe('2026-11-27T21:00:00.000Z');
		expect(q.get('to')).toBe('2026-12-04T10:15:00.000Z');
		expect(q.get('instanceId')).toBe('i1');
		expect(q.has('campaignId')).toBe(false);
		expect(defaultBucket(presetRange('today', now, 'UTC'))).toBe('hour');
	});
	it('a past range ends where its last day does', () => {
		const q = new URLSearchParams(reportQuery({ from: { y: 2026, m: 10, d: 31 }, to: { y: 2026, m: 11, d: 1 } },
			'America/New_York', now, { campaignId: 'c1' }));
		expect(q.get('from')).toBe('2026-10-31T04:00:00.000Z');
		expect(q.get('to')).toBe('2026-11-02T05:00:00.000Z');
		expect(q.get('campaignId')).toBe('c1');
		expect(q.has('bucket')).toBe(false);
	});
});

describe('what a point and a figure read', () => {
	it('a point is labelled in the tenant zone whatever the browser is in', () => {
		expect(pointLabel({ local: '2026-12-04T00:00:00+03:00' }, 'day', 'en-GB')).toBe('Fri 4 Dec');
		expect(pointLabel({ local: '2026-12-04T23:00:00-05:00' }, 'hour', 'en-GB')).toBe('4 Dec, 23:00');
	});
	it('rates are percentages, times seconds, nothing a dash', () => {
		expect(figureText('replyRate', 0.25, 'en')).toBe('25%');
		expect(figureText('avgReadMs', 1500, 'en')).toBe('1.5 sec');
		expect(figureText('avgDeliveredMs', null, 'en')).toBe('—');
		expect(figureText('sent', 12345, 'en')).toBe('12,345');
	});
});
