import { describe, expect, it } from 'vitest';
import { moved, replyText, toBody, toDraft, type Rule } from './rules';

const RULE: Rule = {
	id: '7f1e7a35-0000-4000-8000-000000000001', name: 'Prices', match: 'regex', keywords: [], pattern: '^(price|سعر)',
	normalize: true, threshold: 0.8, priority: 2, replies: [{ text: 'Hi {{name}}' }, { media: { type: 'image', url: 'https://x.test/a.png' } }],
	instanceIds: null, enabled: true, schedule: { days: ['sun', 'mon'], from: '09:00', to: '17:00', outOfHoursReply: { text: 'Closed' } },
	cooldownSeconds: 60, typingDelayMs: 500, allowGroups: false, hits: 3, lastHitAt: null, error: null,
	createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z',
};

describe('SmartBot rule drafts', () => {
	it('a rule comes back from its draft as the API has it', () => {
		const b = toBody(toDraft(RULE));
		expect(b).toEqual({
			name: 'Prices', match: 'regex', normalize: true, keywords: [], pattern: '^(price|سعر)',
			replies: [{ text: 'Hi {{name}}' }, { media: { type: 'image', url: 'https://x.test/a.png' } }],
			instanceIds: null, enabled: true,
			schedule: { days: ['sun', 'mon'], from: '09:00', to: '17:00', outOfHoursReply: { text: 'Closed' } },
			cooldownSeconds: 60, typingDelayMs: 500, allowGroups: false,
		});
	});
	it('sends only what applies to the match: no pattern for keywords, a threshold only when fuzzy', () => {
		const d = { ...toDraft(RULE), match: 'fuzzy' as const, keywords: ['price'], threshold: 0.7 };
		expect(toBody(d)).toMatchObject({ keywords: ['price'], pattern: null, threshold: 0.7 });
		expect(toBody({ ...d, match: 'word' })).not.toHaveProperty('threshold');
		expect(toBody({ ...d, match: 'fallback' })).toMatchObject({ keywords: [], pattern: null });
	});
	it('no schedule, all instances and a blank out-of-hours reply are sent as none', () => {
		const d = { ...toDraft(RULE), scheduled: false, instanceIds: [] };
		expect(toBody(d)).toMatchObject({ schedule: null, instanceIds: null });
		expect(toBody({ ...toDraft(RULE), outOfHours: '  ' }).schedule).toEqual({ days: ['sun', 'mon'], from: '09:00', to: '17:00' });
	});
	it('a new rule starts with one empty reply, on, always open', () => {
		const d = toDraft();
		expect(d).toMatchObject({ match: 'contains', enabled: true, scheduled: false, normalize: true });
		expect(d.replies).toHaveLength(1);
	});
	it('moves a rule up and down, and not past either end', () => {
		expect(moved(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
		expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		const l = ['a', 'b'];
		expect(moved(l, 0, -1)).toBe(l);
		expect(moved(l, 1, 2)).toBe(l);
	});
	it('a reply in a line: its text, else its caption or its file', () => {
		expect(replyText({ text: 'Hi' })).toBe('Hi');
		expect(replyText({ type: 'image', caption: 'Menu', link: 'https://x.test/m.png' })).toBe('Menu');
		expect(replyText({ media: { type: 'document', url: 'https://x.test/p.pdf', filename: 'prices.pdf' } })).toBe('prices.pdf');
		expect(replyText(null)).toBe('');
	});
});
