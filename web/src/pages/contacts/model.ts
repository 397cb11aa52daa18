/*
 * Contacts, lists and opt-outs as the API has them (docs/openapi.yaml:
 * Contact, ContactList, OptOut), and the contact editor's draft: what a new
 * contact sends, and what an edit sends (only the fields changed; the
 * attributes as a JSON merge patch, a removed one as null).
 */
export type Value = string | number | boolean;
export interface Contact {
	id: string; phone: string; name: string | null; attributes: Record<string, Value>; tags: string[]; optedOut: boolean;
	createdAt: string; updatedAt: string;
}
export interface ContactList { id: string; name: string; description: string; memberCount: number; createdAt: string; updatedAt: string }
export interface OptOut { phone: string; source: 'keyword' | 'api' | 'import'; reason: string | null; instanceId: string | null; createdAt: string }

export interface Draft { phone: string; name: string; tags: string[]; attributes: { key: string; value: string }[] }

export function toDraft(c?: Contact): Draft {
	if (!c) return { phone: '', name: '', tags: [], attributes: [] };
	return {
		phone: `+${c.phone}`, name: c.name ?? '', tags: [...c.tags],
		attributes: Object.entries(c.attributes).map(([key, value]) => ({ key, value: String(value) })),
	};
}

/** The body for POST /contacts (no `c`) or PATCH /contacts/{id} (`c`, what it was). */
export function toBody(d: Draft, c?: Contact): Record<string, unknown> {
	const attrs = d.attributes.map((a) => ({ key: a.key.trim(), value: a.value })).filter((a) => a.key);
	if (!c) {
		return {
			phone: d.phone.trim(), ...(d.name.trim() ? { name: d.name.trim() } : {}), tags: d.tags,
			attributes: Object.fromEntries(attrs.map((a) => [a.key, a.value])),
		};
	}
	const body: Record<string, unknown> = {};
	if (d.phone.trim() !== `+${c.phone}`) body.phone = d.phone.trim();
	if (d.name.trim() !== (c.name ?? '')) body.name = d.name.trim();
	if (JSON.stringify(d.tags) !== JSON.stringify(c.tags)) body.tags = d.tags;
	const patch: Record<string, Value | null> = {};
	for (const a of attrs)
		if (!(a.key in c.attributes) || String(c.attributes[a.key]) !== a.value) patch[a.key] = a.value;
	for (const k of Object.keys(c.attributes))
		if (!attrs.some((a) => a.key === k)) patch[k] = null;
	if (Object.keys(patch).length) body.attributes = patch;
	return body;
}

/** A stored phone (E.164 digits) as people read it. */
export const shown = (phone: string) => `+${phone}`;
