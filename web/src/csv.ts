/*
 * The header row of a CSV file to import into a contact list (POST
 * /api/v1/contact-lists/{id}/import reads it): the columns it names, the
 * mapping the API would pick by itself, and the file with its header row
 * renamed to the mapping chosen. The rows are sent as they are.
 */
/** The delimiter the header row uses (as the API reads it: `,`, `;` or a tab). */
function delimiter(header: string): string {
	const n = (d: string) => header.split(d).length;
	return [',', ';', '\t'].reduce((best, d) => (n(d) > n(best) ? d : best), ',');
}

/** A CSV file's header row and the rest, split at the first line end (a byte-order mark dropped). */
function splitHeader(text: string): { header: string; rest: string } {
	const t = text.replace(/^\uFEFF/, '');
	const i = t.search(/\r?\n/);
	return i < 0 ? { header: t, rest: '' } : { header: t.slice(0, i), rest: t.slice(i) };
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1').replace(/""/g, '"');

/** The column names of a CSV file's header row. */
export function csvColumns(text: string): string[] {
	const { header } = splitHeader(text);
	return header.split(delimiter(header)).map(unquote);
}

export const PHONE_NAMES = ['phone', 'phone_number', 'mobile', 'whatsapp', 'msisdn', 'number'];
export const NAME_NAMES = ['name', 'full_name'];
/** What a column becomes: the phone, the name, a variable (by its name), or nothing. */
export type Mapping = { kind: 'phone' } | { kind: 'name' } | { kind: 'variable'; name: string } | { kind: 'ignore' };

/** The mapping the API would pick by itself for these columns. */
export function guessMapping(columns: string[]): Mapping[] {
	let phone = false;
	let name = false;
	return columns.map((c) => {
		const k = c.trim().toLowerCase();
		if (!phone && PHONE_NAMES.includes(k)) { phone = true; return { kind: 'phone' }; }
		if (!name && NAME_NAMES.includes(k)) { name = true; return { kind: 'name' }; }
		return k ? { kind: 'variable', name: c.trim() } : { kind: 'ignore' };
	});
}

/** The file with its header row renamed to `mapping` (an ignored column is left unnamed, which the API skips). */
export function renameHeader(text: string, mapping: Mapping[]): string {
	const { header, rest } = splitHeader(text);
	const d = delimiter(header);
	const names = mapping.map((m) => {
		const n = m.kind === 'variable' ? m.name : m.kind === 'ignore' ? '' : m.kind;
		return /["\n\r]/.test(n) || n.includes(d) ? `"${n.replace(/"/g, '""')}"` : n;
	});
	return names.join(d) + rest;
}
