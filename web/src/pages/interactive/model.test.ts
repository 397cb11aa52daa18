import { describe, expect, it } from 'vitest';
import { emptyDraft, problems, toInteractive, type Draft } from './model';

const buttons = (over: Partial<Draft> = {}): Draft => ({ ...emptyDraft(), body: 'Pick one', ...over });
const list = (over: Partial<Draft> = {}): Draft => ({
	...emptyDraft(), type: 'list', body: 'Our menu', listButton: 'Menu',
	sections: [{ title: 'Drinks', rows: [{ id: 'tea', title: 'Tea', description: 'Hot' }, { id: 'juice', title: 'Juice', description: '' }] }],
	...over,
});

describe('a draft', () => {
	it('of buttons is sent as the Cloud API object, empty parts left out', () => {
		expect(problems(buttons())).toEqual({});
		expect(toInteractive(buttons({ footer: 'Reply below' }))).toEqual({
			type: 'button', body: { text: 'Pick one' }, footer: { text: 'Reply below' },
			action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
		});
	});
	it('of a list is sent with its sections and rows', () => {
		expect(problems(list())).toEqual({});
		expect(toInteractive(list({ header: 'Café' }))).toEqual({
			type: 'list', header: { type: 'text', text: 'Café' }, body: { text: 'Our menu' },
			action: { button: 'Menu', sections: [{ title: 'Drinks', rows: [{ id: 'tea', title: 'Tea', description: 'Hot' }, { id: 'juice', title: 'Juice' }] }] },
		});
	});
	it('names what breaks the limits, on its field', () => {
		const d = buttons({
			body: '', header: 'h'.repeat(61),
			buttons: [{ id: 'a', title: 'x'.repeat(21) }, { id: 'a', title: 'B' }, { id: 'c', title: 'B' }, { id: 'd', title: 'D' }],
		});
		expect(problems(d)).toEqual({
			body: { key: 'required' }, header: { key: 'tooLong', n: 60 }, buttons: { key: 'buttonCount', n: 3 },
			'buttons.0.title': { key: 'tooLong', n: 20 }, 'buttons.1.id': { key: 'duplicate' }, 'buttons.2.title': { key: 'duplicate' },
		});
	});
	it('counts characters, not UTF-16 units: an emoji is one', () => {
		expect(problems(buttons({ buttons: [{ id: 'ok', title: '👍'.repeat(20) }] }))).toEqual({});
		expect(problems(buttons({ buttons: [{ id: 'ok', title: '👍'.repeat(21) }] }))['buttons.0.title']).toEqual({ key: 'tooLong', n: 20 });
	});
	it('of a list needs a title per section once there are several, and at most 10 rows in all', () => {
		const rows = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, title: `Row ${i}`, description: '' }));
		const p = problems(list({ sections: [{ title: '', rows }, { title: 'More', rows: rows.map((r) => ({ ...r, id: r.id + 'b' })) }] }));
		expect(p).toEqual({ rows: { key: 'rowCount', n: 10 }, 'sections.0.title': { key: 'required' } });
		const dup = problems(list({ sections: [{ title: 'A', rows: [rows[0]] }, { title: 'B', rows: [rows[0]] }] }));
		expect(dup).toEqual({ 'sections.1.rows.0.id': { key: 'duplicate' } });
	});
});
