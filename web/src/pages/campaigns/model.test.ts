import { describe, expect, it } from 'vitest';
import { allowed, fromProgress, funnel, pacingText, percent, type Campaign, type Counts } from './model';

const ZERO: Counts = { pending: 0, queued: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 0 };

describe('campaign figures', () => {
	it('the funnel counts a read recipient as delivered and sent too', () => {
		expect(funnel({ ...ZERO, sent: 2, delivered: 3, read: 4, failed: 1 })).toEqual({ sent: 9, delivered: 7, read: 4, failed: 1, skipped: 0 });
	});
	it('progress is the share done with, never past the whole', () => {
		expect(percent({ ...ZERO, pending: 5, sent: 1, read: 2, failed: 1, skipped: 1 }, 10)).toBe(50);
		expect(percent({ ...ZERO, read: 12 }, 10)).toBe(100);
		expect(percent(ZERO, 0)).toBe(0);
	});
	it('campaign.progress counts delivered and read in its sent; the counts do not', () => {
		const c = fromProgress({ campaignId: 'c', status: 'running', total: 10, pending: 2, queued: 1, sent: 6, delivered: 2, read: 3, failed: 1, skipped: 0 });
		expect(c).toEqual({ pending: 2, queued: 1, sent: 1, delivered: 2, read: 3, failed: 1, skipped: 0 });
		expect(percent(c, 10)).toBe(70);
	});
	it('retry is offered only with failed recipients; a completed campaign can only be duplicated or retried', () => {
		const c = { status: 'completed', counts: ZERO } as Campaign;
		expect(allowed(c).map((a) => a.action)).toEqual(['duplicate']);
		expect(allowed({ ...c, counts: { ...ZERO, failed: 1 } }).map((a) => a.action)).toEqual(['retry-failed', 'duplicate']);
		expect(allowed({ ...c, status: 'running' }).map((a) => a.action)).toEqual(['pause', 'cancel', 'duplicate']);
	});
});

describe('pacing in words', () => {
	const t = (k: string, o?: Record<string, unknown>) => `${k}${o ? JSON.stringify(o) : ''}`;
	it('no rate and a fixed pause say so', () => {
		expect(pacingText(t, { ratePerMinute: null, minDelayMs: 1200, maxDelayMs: 1200 }))
			.toBe('campaigns.pace.both{"rate":"campaigns.pace.noRate","delay":"campaigns.pace.delay{\\"min\\":1200,\\"max\\":1200}"}');
	});
	it('a rate and a range; a max below the min is the min', () => {
		expect(pacingText(t, { ratePerMinute: 30, minDelayMs: 0, maxDelayMs: 500 })).toContain('delayRange');
		expect(pacingText(t, { ratePerMinute: 30, minDelayMs: 0, maxDelayMs: 0 })).toContain('noDelay');
		expect(pacingText(t, { ratePerMinute: 30, minDelayMs: 900, maxDelayMs: 100 })).toContain('pace.delay{');
	});
});
