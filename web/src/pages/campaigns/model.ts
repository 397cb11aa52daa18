/*
 * Campaigns as the API has them (docs/openapi.yaml: Campaign,
 * CampaignCounts, campaign.progress), what each state allows (the API's
 * own table, fcgi/h_campaigns.c), the funnel and progress figures, and the
 * CSV header helpers of the wizard's import (the columns a file names, and
 * the file with its header row renamed to the mapping chosen).
 */
export type Status = 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled' | 'failed';
export type RecipientStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped';
export type Counts = Record<RecipientStatus, number>;
export interface Campaign {
	id: string; name: string; instanceId: string; status: Status; pauseReason: string | null;
	message: { text?: string; media?: { type: string; url: string; filename?: string }; template?: { name: string; language: string } };
	variables: Record<string, unknown>; contactListId: string | null; scheduleAt: string | null; scheduleAtLocal: string | null;
	timeZone: string; pacing: { ratePerMinute: number | null; minDelayMs: number; maxDelayMs: number };
	total: number; counts: Counts; startedAt: string | null; completedAt: string | null; createdAt: string; updatedAt: string;
	etaSeconds?: number | null;
}
/** campaign.progress on /campaigns: `sent` counts every recipient sent to (delivered and read too); the rest are states. */
export interface Progress extends Omit<Counts, 'sent'> { campaignId: string; status: Status; total: number; sent: number }

export type Action = 'start' | 'pause' | 'resume' | 'cancel' | 'retry-failed' | 'duplicate';
/** The states each action takes a campaign from. */
export const ACTIONS: { action: Action; icon: string; from: Status[] }[] = [
	{ action: 'start', icon: 'pi pi-play', from: ['draft'] },
	{ action: 'pause', icon: 'pi pi-pause', from: ['scheduled', 'running'] },
	{ action: 'resume', icon: 'pi pi-play', from: ['paused'] },
	{ action: 'retry-failed', icon: 'pi pi-replay', from: ['running', 'paused', 'completed', 'failed'] },
	{ action: 'cancel', icon: 'pi pi-times', from: ['draft', 'scheduled', 'running', 'paused'] },
	{ action: 'duplicate', icon: 'pi pi-copy', from: ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed'] },
];
export const allowed = (c: Campaign) => ACTIONS.filter((a) => a.from.includes(c.status) &&
	(a.action !== 'retry-failed' || c.counts.failed > 0));

export const STATUS_SEVERITY: Record<Status, 'success' | 'info' | 'warning' | 'danger' | 'secondary'> = {
	draft: 'secondary', scheduled: 'info', running: 'info', paused: 'warning', completed: 'success', cancelled: 'secondary', failed: 'danger',
};

/** A campaign's counts from a progress event. */
export function fromProgress(p: Progress): Counts {
	return { pending: p.pending, queued: p.queued, sent: p.sent - p.delivered - p.read, delivered: p.delivered, read: p.read,
		failed: p.failed, skipped: p.skipped };
}

/** The funnel: how many reached each step (read ones were delivered and sent too). */
export function funnel(c: Counts) {
	const read = c.read;
	const delivered = c.delivered + read;
	const sent = c.sent + delivered;
	return { sent, delivered, read, failed: c.failed, skipped: c.skipped };
}

/** The share of recipients done with (sent or further, failed, skipped), 0 to 100. */
export function percent(c: Counts, total: number): number {
	if (total <= 0) return 0;
	const done = funnel(c).sent + c.failed + c.skipped;
	return Math.min(100, Math.round((done * 100) / total));
}

/** The pacing in words: the rate (or none) and the pause after each message (none, fixed, or a random one in a range). */
export function pacingText(t: (key: string, o?: Record<string, unknown>) => string, p: Campaign['pacing']): string {
	const max = Math.max(p.minDelayMs, p.maxDelayMs);
	const rate = p.ratePerMinute == null ? t('campaigns.pace.noRate') : t('campaigns.pace.rate', { rate: p.ratePerMinute });
	const delay = max === 0 ? t('campaigns.pace.noDelay') :
		t(p.minDelayMs === max ? 'campaigns.pace.delay' : 'campaigns.pace.delayRange', { min: p.minDelayMs, max });
	return t('campaigns.pace.both', { rate, delay });
}

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
