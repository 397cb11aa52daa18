import { describe, expect, it } from 'vitest';
import { toBody, toDraft, type Contact } from './model';

const SARA: Contact = {
	id: '7f1e7a35-0000-4000-8000-000000000001', phone: '966500000701', name: 'Sara', attributes: { city: 'Riyadh', plan: 'gold', visits: 3 },
	tags: ['vip'], optedOut: false, createdAt: '2026-12-01T00:00:00Z', updatedAt: '2026-12-01T00:00:00Z',
};

describe('the contact editor', () => {
	it('a new contact sends what was typed, no name when empty, unnamed attributes left out', () => {
		const d = { phone: ' +966 50 000 0701 ', name: ' ', tags: ['vip'], attributes: [{ key: 'city', value: 'Riyadh' }, { key: ' ', value: 'x' }] };
		expect(toBody(d)).toEqual({ phone: '+966 50 000 0701', tags: ['vip'], attributes: { city: 'Riyadh' } });
	});
	it('an unchanged contact sends nothing (a number attribute as it was)', () => {
		expect(toBody(toDraft(SARA), SARA)).toEqual({});
	});
	it('an edit sends only the changes: attributes as a merge patch, a removed one as null', () => {
		const d = toDraft(SARA);
		d.name = 'Sara Q';
		d.tags = ['vip', 'riyadh'];
		d.attributes = [{ key: 'city', value: 'Jeddah' }, { key: 'visits', value: '3' }, { key: 'lang', value: 'ar' }];
		expect(toBody(d, SARA)).toEqual({ name: 'Sara Q', tags: ['vip', 'riyadh'], attributes: { city: 'Jeddah', lang: 'ar', plan: null } });
	});
	it('a new number is sent; an emptied name clears it', () => {
		const d = { ...toDraft(SARA), phone: '+966500000799', name: '' };
		expect(toBody(d, SARA)).toEqual({ phone: '+966500000799', name: '' });
	});
});
