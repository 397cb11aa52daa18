/*
 * SmartBot's rules as the API has them (docs/openapi.yaml, SmartbotRule),
 * and the editor's draft of one: `toDraft` fills a form from a rule (or
 * the defaults), `toBody` turns the form back into exactly what the API
 * takes, so fields that do not apply to the match (keywords of a regex
 * rule, a threshold that is not fuzzy) are never sent.
 */
export const MATCHES = ['contains', 'word', 'exact', 'starts_with', 'ends_with', 'fuzzy', 'regex', 'fallback'] as const;
export type Match = (typeof MATCHES)[number];
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const MEDIA = ['image', 'video', 'audio', 'document'] as const;

export interface Reply {
	text?: string;
	media?: { type: (typeof MEDIA)[number]; url: string; filename?: string };
}
export interface Schedule { days: Day[]; from: string; to: string; outOfHoursReply?: Reply }
export interface Rule {
	id: string; name: string; match: Match; keywords: string[]; pattern: string | null; normalize: boolean;
	threshold: number; priority: number; replies: Reply[]; instanceIds: string[] | null; enabled: boolean;
	schedule: Schedule | null; cooldownSeconds: number; typingDelayMs: number; allowGroups: boolean;
	hits: number; lastHitAt: string | null; error: string | null; createdAt: string; updatedAt: string;
}

/** A reply as the form edits it: a text and an optional medium. */
export interface ReplyDraft { text: string; mediaType: (typeof MEDIA)[number]; mediaUrl: string; filename: string }
export interface Draft {
	name: string; match: Match; keywords: string[]; pattern: string; normalize: boolean; threshold: number;
	replies: ReplyDraft[]; instanceIds: string[]; enabled: boolean;
	scheduled: boolean; days: Day[]; from: string; to: string; outOfHours: string;
	cooldownSeconds: number; typingDelayMs: number; allowGroups: boolean;
}

export const emptyReply = (): ReplyDraft => ({ text: '', mediaType: 'image', mediaUrl: '', filename: '' });

/** Whether a match takes keywords (all but regex and fallback). */
export const takesKeywords = (m: Match) => m !== 'regex' && m !== 'fallback';

const replyDraft = (r: Reply): ReplyDraft => ({
	text: r.text ?? '', mediaType: r.media?.type ?? 'image', mediaUrl: r.media?.url ?? '', filename: r.media?.filename ?? '',
});

export function toDraft(r?: Rule): Draft {
	return {
		name: r?.name ?? '', match: r?.match ?? 'contains', keywords: r?.keywords ?? [], pattern: r?.pattern ?? '',
		normalize: r?.normalize ?? true, threshold: r?.threshold ?? 0.8,
		replies: r?.replies.length ? r.replies.map(replyDraft) : [emptyReply()],
		instanceIds: r?.instanceIds ?? [], enabled: r?.enabled ?? true,
		scheduled: !!r?.schedule, days: r?.schedule?.days ?? ['mon', 'tue', 'wed', 'thu', 'fri'],
		from: r?.schedule?.from ?? '09:00', to: r?.schedule?.to ?? '17:00', outOfHours: r?.schedule?.outOfHoursReply?.text ?? '',
		cooldownSeconds: r?.cooldownSeconds ?? 0, typingDelayMs: r?.typingDelayMs ?? 0, allowGroups: r?.allowGroups ?? false,
	};
}

function replyBody(d: ReplyDraft): Reply {
	const r: Reply = {};
	if (d.text.trim()) r.text = d.text;
	if (d.mediaUrl.trim()) r.media = { type: d.mediaType, url: d.mediaUrl.trim(), ...(d.filename.trim() ? { filename: d.filename.trim() } : {}) };
	return r;
}

/** The request body of a create, or of an update (which also clears what no longer applies). */
export function toBody(d: Draft): Record<string, unknown> {
	return {
		name: d.name.trim(), match: d.match, normalize: d.normalize,
		keywords: takesKeywords(d.match) ? d.keywords : [],
		pattern: d.match === 'regex' ? d.pattern : null,
		...(d.match === 'fuzzy' ? { threshold: d.threshold } : {}),
		replies: d.replies.map(replyBody),
		instanceIds: d.instanceIds.length ? d.instanceIds : null,
		enabled: d.enabled,
		schedule: d.scheduled ? {
			days: d.days, from: d.from, to: d.to, ...(d.outOfHours.trim() ? { outOfHoursReply: { text: d.outOfHours } } : {}),
		} : null,
		cooldownSeconds: d.cooldownSeconds, typingDelayMs: d.typingDelayMs, allowGroups: d.allowGroups,
	};
}

/** A reply in a line: its text, or its medium's file name or address. */
export function replyText(r: Reply | Record<string, unknown> | null | undefined): string {
	if (!r) return '';
	const x = r as Record<string, unknown>;
	const media = (x.media ?? x) as Record<string, unknown>;
	for (const v of [x.text, x.caption, x.body, media.filename, media.url, media.link])
		if (typeof v === 'string' && v) return v;
	return '';
}

/** The rules in their new order after the one at `from` moved to `to`. */
export function moved<T>(list: T[], from: number, to: number): T[] {
	if (to < 0 || to >= list.length || from === to) return list;
	const l = list.slice();
	const [x] = l.splice(from, 1);
	l.splice(to, 0, x);
	return l;
}
