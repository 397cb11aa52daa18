/*
 * One campaign (/campaigns/:id): its state and the actions it allows, the
 * funnel (recipients, sent, delivered, read; failed and skipped) moving
 * live from /campaigns `progress`, its message, pacing and schedule, and
 * the recipients a page at a time with their state and error, filtered by
 * state, exported as CSV (the API's export).
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { ConfirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { Dropdown } from 'primereact/dropdown';
import { Tag } from 'primereact/tag';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { errorText, get } from '../../api/client';
import { usePages } from '../../api/pages';
import TimeAgo from '../../components/TimeAgo';
import { useResync, useSocketEvent } from '../../realtime';
import { failed } from '../../toast';
import { Actions, Bar, useCampaignAction } from './Campaigns';
import { fromProgress, funnel, pacingText, STATUS_SEVERITY, type Campaign, type Progress, type RecipientStatus } from './model';

interface Recipient {
	seq: number; chatId: string; to: string; name: string | null; variables: Record<string, unknown>; status: RecipientStatus;
	reason: string | null; errorCode: number | null; messageId: string | null; queuedAt: string | null; updatedAt: string;
}
const RECIPIENT_STATES: RecipientStatus[] = ['pending', 'queued', 'sent', 'delivered', 'read', 'failed', 'skipped'];
const RECIPIENT_SEVERITY: Record<RecipientStatus, 'success' | 'info' | 'warning' | 'danger' | 'secondary'> = {
	pending: 'secondary', queued: 'info', sent: 'info', delivered: 'success', read: 'success', failed: 'danger', skipped: 'warning',
};
const REFRESH_MS = 1000;

function Funnel({ c }: { c: Campaign }) {
	const { t } = useTranslation();
	const f = funnel(c.counts);
	const steps = [
		{ key: 'recipients', n: c.total }, { key: 'sent', n: f.sent }, { key: 'delivered', n: f.delivered }, { key: 'read', n: f.read },
		{ key: 'failed', n: f.failed }, { key: 'skipped', n: f.skipped },
	];
	return (
		<ol className="funnel list-none p-0 m-0" aria-label={t('campaigns.funnel')}>
			{steps.map((s) => {
				const pct = c.total ? Math.round((s.n * 100) / c.total) : 0;
				return (
					<li key={s.key} className={`funnel-step funnel-${s.key}`} data-testid={`funnel-${s.key}`} data-value={s.n}>
						<span className="funnel-label">{t(`campaigns.funnelStep.${s.key}`)}</span>
						<span className="funnel-bar" aria-hidden="true"><span style={{ inlineSize: `${pct}%` }} /></span>
						<span className="funnel-value">{s.n.toLocaleString()} <span className="muted text-sm">{pct} %</span></span>
					</li>
				);
			})}
		</ol>
	);
}

function Recipients({ c }: { c: Campaign }) {
	const { t } = useTranslation();
	const [status, setStatus] = useState<RecipientStatus | null>(null);
	const { items: rows, more, reload, error } =
		usePages<Recipient>(`/api/v1/campaigns/${c.id}/recipients?limit=100${status ? `&status=${status}` : ''}`, 'recipients');
	useEffect(() => { if (error != null) failed(t('campaigns.loadFailed'), error); }, [error, t]);
	/* the counts moved: the first page is read again (at most once a second) */
	const stamp = JSON.stringify(c.counts);
	const first = useRef(true);
	useEffect(() => {
		if (first.current) { first.current = false; return; }
		const id = window.setTimeout(reload, REFRESH_MS);
		return () => window.clearTimeout(id);
	}, [stamp]); // reload changes with the filter, which loads by itself

	return (
		<section className="card" aria-labelledby="cd-recipients">
			<div className="flex flex-wrap gap-2 align-items-center justify-content-between mb-2">
				<h2 id="cd-recipients" className="text-lg m-0">{t('campaigns.recipients')}</h2>
				<div className="flex gap-2 align-items-center">
					<label htmlFor="cd-status" className="visually-hidden">{t('campaigns.filterRecipients')}</label>
					<Dropdown inputId="cd-status" value={status} showClear placeholder={t('campaigns.allStates')}
						options={RECIPIENT_STATES.map((s) => ({ value: s, label: t(`campaigns.recipientStatus.${s}`) }))}
						onChange={(e) => setStatus(e.value ?? null)} />
					<a className="p-button p-button-outlined p-component no-underline" href={`/api/v1/campaigns/${c.id}/recipients/export`}
						download data-testid="export">
						<i className="pi pi-download me-2" aria-hidden="true" />{t('campaigns.export')}
					</a>
				</div>
			</div>
			<DataTable value={rows ?? []} loading={rows === null} dataKey="seq" size="small" aria-label={t('campaigns.recipients')}
				emptyMessage={t('campaigns.noRecipients')}>
				<Column field="seq" header="#" style={{ width: '4rem' }} />
				<Column header={t('campaigns.to')} body={(r: Recipient) => (
					<div><span dir="ltr">{r.to}</span>{r.name && <div className="muted text-sm" dir="auto">{r.name}</div>}</div>)} />
				<Column header={t('premium.status')} body={(r: Recipient) => (
					<Tag value={t(`campaigns.recipientStatus.${r.status}`)} severity={RECIPIENT_SEVERITY[r.status]}
						data-testid="recipient-status" data-status={r.status} />)} />
				<Column header={t('campaigns.reason')} body={(r: Recipient) => (r.reason || r.errorCode
					? <span className="text-sm">{[r.errorCode, r.reason].filter(Boolean).join(' · ')}</span> : '—')} />
				<Column header={t('campaigns.updated')} body={(r: Recipient) => <TimeAgo iso={r.updatedAt} />} />
			</DataTable>
			{more && <Button label={t('common.more')} text onClick={more} className="mt-2" />}
		</section>
	);
}

export default function Detail() {
	const { t, i18n } = useTranslation();
	const { id } = useParams();
	const [c, setC] = useState<Campaign | null>(null);
	const [error, setError] = useState<string | null>(null);
	const load = useCallback(() => {
		get<Campaign>(`/api/v1/campaigns/${id}`).then((r) => { setC(r); setError(null); }, (e) => setError(errorText(e)));
	}, [id]);
	useEffect(load, [load]);
	useResync('/campaigns', load);
	useSocketEvent<Progress>('/campaigns', 'progress', (p) => {
		if (p.campaignId === id) setC((x) => (x ? { ...x, status: p.status, total: p.total, counts: fromProgress(p) } : x));
	});
	useSocketEvent<{ campaignId: string }>('/campaigns', 'completed', (p) => p.campaignId === id && load());
	const act = useCampaignAction(setC);
	const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');

	if (error) return <p className="error-text" role="alert">{error}</p>;
	if (!c) return <p className="muted">{t('common.loading')}</p>;
	return (
		<>
			<p className="m-0 mb-2"><Link to="/campaigns">{t('campaigns.back')}</Link></p>
			<section className="card" aria-labelledby="cd-title">
				<div className="flex flex-wrap gap-2 align-items-center justify-content-between">
					<h2 id="cd-title" className="text-xl m-0 flex gap-2 align-items-center">
						<span dir="auto">{c.name}</span>
						<Tag value={t(`campaigns.status.${c.status}`)} severity={STATUS_SEVERITY[c.status]} data-testid="campaign-status" data-status={c.status} />
					</h2>
					<Actions c={c} act={act} />
				</div>
				{c.pauseReason && <p className="muted">{t(`campaigns.pauseReason.${c.pauseReason}`, { defaultValue: c.pauseReason })}</p>}
				<div className="my-3"><Bar c={c} /></div>
				<div className="grid">
					<div className="col-12 lg:col-7"><Funnel c={c} /></div>
					<div className="col-12 lg:col-5">
						<dl className="campaign-facts">
							<dt>{t('campaigns.message')}</dt>
							<dd dir="auto" className="white-space-pre-wrap">{c.message.text ?? c.message.template?.name ?? c.message.media?.url}</dd>
							<dt>{t('campaigns.schedule')}</dt>
							<dd>{c.scheduleAtLocal ? `${when(c.scheduleAt)} (${c.timeZone})` : t('campaigns.now')}</dd>
							<dt>{t('campaigns.pacing')}</dt>
							<dd>{pacingText(t, c.pacing)}</dd>
							<dt>{t('campaigns.started')}</dt><dd>{when(c.startedAt)}</dd>
							<dt>{t('campaigns.completed')}</dt><dd>{when(c.completedAt)}</dd>
							{c.etaSeconds != null && <><dt>{t('campaigns.eta')}</dt><dd>{t('campaigns.etaText', { min: Math.ceil(c.etaSeconds / 60) })}</dd></>}
						</dl>
					</div>
				</div>
			</section>
			<Recipients c={c} />
			<ConfirmDialog />
		</>
	);
}
