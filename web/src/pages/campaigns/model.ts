/*
 * Campaigns as the API has them (docs/openapi.yaml: Campaign,
 * CampaignCounts, campaign.progress), what each state allows (the API's
 * own table, fcgi/h_campaigns.c), the funnel and progress figures, and the
 * pacing in words.
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
