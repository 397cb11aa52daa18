/*
 * An interactive message as it is composed: reply buttons or a list, the
 * Cloud API's limits on each part, what is wrong with a draft (field →
 * i18n key and its figure), and the `interactive` object it sends.
 */

export type Kind = 'button' | 'list';
export interface Reply { id: string; title: string }
export interface Row { id: string; title: string; description: string }
export interface Section { title: string; rows: Row[] }
export interface Draft {
	type: Kind; header: string; body: string; footer: string;
	buttons: Reply[]; // type button
	listButton: string; sections: Section[]; // type list
}

/** The Cloud API's limits (characters, counts). */
export const LIMITS = {
	header: 60, body: 1024, footer: 60, buttons: 3, buttonTitle: 20, id: 256,
	listButton: 20, sections: 10, rows: 10, sectionTitle: 24, rowTitle: 24, rowId: 200, rowDescription: 72,
} as const;

export const emptyDraft = (): Draft => ({
	type: 'button', header: '', body: '', footer: '',
	buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }],
	listButton: 'Options', sections: [{ title: '', rows: [{ id: 'row-1', title: '', description: '' }] }],
});

/** A problem: its i18n key under interactive.problem and the figure it names. */
export interface Problem { key: string; n?: number }
export type Problems = Record<string, Problem>;

/** Characters as WhatsApp counts them (code points, not UTF-16 units). */
export const length = (s: string) => [...s].length;

function text(p: Problems, field: string, v: string, max: number, required: boolean) {
	if (required && !v.trim()) p[field] = { key: 'required' };
	else if (length(v) > max) p[field] = { key: 'tooLong', n: max };
}

function ids(p: Problems, fields: [string, string][], max: number) {
	const seen = new Set<string>();
	for (const [field, id] of fields) {
		if (!id.trim()) p[field] = { key: 'required' };
		else if (length(id) > max) p[field] = { key: 'tooLong', n: max };
		else if (seen.has(id)) p[field] = { key: 'duplicate' };
		seen.add(id);
	}
}

/** What is wrong with a draft, by field (`body`, `buttons.0.title`, `sections.1.rows.0.id`…); empty when it can be sent. */
export function problems(d: Draft): Problems {
	const p: Problems = {};
	text(p, 'header', d.header, LIMITS.header, false);
	text(p, 'body', d.body, LIMITS.body, true);
	text(p, 'footer', d.footer, LIMITS.footer, false);
	if (d.type === 'button') {
		if (d.buttons.length < 1 || d.buttons.length > LIMITS.buttons) p.buttons = { key: 'buttonCount', n: LIMITS.buttons };
		d.buttons.forEach((b, i) => text(p, `buttons.${i}.title`, b.title, LIMITS.buttonTitle, true));
		ids(p, d.buttons.map((b, i) => [`buttons.${i}.id`, b.id]), LIMITS.id);
		const titles = d.buttons.map((b) => b.title.trim());
		titles.forEach((t, i) => { if (t && titles.indexOf(t) !== i) p[`buttons.${i}.title`] = { key: 'duplicate' }; });
		return p;
	}
	text(p, 'listButton', d.listButton, LIMITS.listButton, true);
	const rows = d.sections.flatMap((s) => s.rows);
	if (d.sections.length < 1 || d.sections.length > LIMITS.sections) p.sections = { key: 'sectionCount', n: LIMITS.sections };
	if (rows.length < 1 || rows.length > LIMITS.rows) p.rows = { key: 'rowCount', n: LIMITS.rows };
	d.sections.forEach((s, i) => {
		// a title is needed once there are several sections
		text(p, `sections.${i}.title`, s.title, LIMITS.sectionTitle, d.sections.length > 1);
		s.rows.forEach((r, j) => {
			text(p, `sections.${i}.rows.${j}.title`, r.title, LIMITS.rowTitle, true);
			text(p, `sections.${i}.rows.${j}.description`, r.description, LIMITS.rowDescription, false);
		});
	});
	ids(p, d.sections.flatMap((s, i) => s.rows.map((r, j): [string, string] => [`sections.${i}.rows.${j}.id`, r.id])), LIMITS.rowId);
	return p;
}

/** The Cloud API `interactive` object of a draft (empty optional parts left out). */
export function toInteractive(d: Draft): Record<string, unknown> {
	const o: Record<string, unknown> = { type: d.type, body: { text: d.body } };
	if (d.header.trim()) o.header = { type: 'text', text: d.header };
	if (d.footer.trim()) o.footer = { text: d.footer };
	o.action = d.type === 'button'
		? { buttons: d.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) }
		: {
			button: d.listButton,
			sections: d.sections.map((s) => ({
				...(s.title.trim() ? { title: s.title } : {}),
				rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description.trim() ? { description: r.description } : {}) })),
			})),
		};
	return o;
}
