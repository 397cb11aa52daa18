/*
 * The campaigns (/campaigns, a paid plan's): newest first with a status
 * filter, each with its progress bar moving live from /campaigns
 * (`progress`, `completed`), and the actions its state allows (start,
 * pause, resume, retry the failed, cancel after a confirmation,
 * duplicate). A campaign's name opens its detail; "New campaign" the wizard.
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { confirmDialog, ConfirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { ProgressBar } from 'primereact/progressbar';
import { SelectButton } from 'primereact/selectbutton';
import { Tag } from 'primereact/tag';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { errorText, post } from '../../api/client';
import { usePages } from '../../api/pages';
import TimeAgo from '../../components/TimeAgo';
import { useResync, useSocketEvent } from '../../realtime';
import { failed, saved } from '../../toast';
import { allowed, fromProgress, percent, STATUS_SEVERITY, type Action, type Campaign, type Progress, type Status } from './model';

const FILTERS: (Status | 'all')[] = ['all', 'running', 'scheduled', 'paused', 'draft', 'completed'];

/** Runs an action on a campaign; a duplicate opens the copy. */
export function useCampaignAction(onDone: (c: Campaign) => void) {
	const { t } = useTranslation();
	const navigate = useNavigate();
	const run = (c: Campaign, a: Action) => void post<Campaign>(`/api/v1/campaigns/${c.id}/${a}`).then((r) => {
		saved(t(`campaigns.done.${a}`));
		if (a === 'duplicate') navigate(`/campaigns/${r.id}`);
		else onDone(r);
	}, (e) => failed(t('campaigns.actionFailed'), e));
	return (c: Campaign, a: Action) => (a === 'cancel' ? confirmDialog({
		header: t('campaigns.cancelTitle'), message: t('campaigns.cancelText', { name: c.name }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('campaigns.action.cancel'), rejectLabel: t('campaigns.keep'),
		accept: () => run(c, a),
	}) : run(c, a));
}

export function Actions({ c, act }: { c: Campaign; act: (c: Campaign, a: Action) => void }) {
	const { t } = useTranslation();
	return (
		<div className="flex gap-1 flex-wrap">
			{allowed(c).map(({ action, icon }) => (
				<Button key={action} icon={icon} text size="small" severity={action === 'cancel' ? 'danger' : undefined}
					label={t(`campaigns.action.${action}`)} aria-label={t('campaigns.actionOf', { action: t(`campaigns.action.${action}`), name: c.name })}
					onClick={() => act(c, action)} />
			))}
		</div>
	);
}

export function Bar({ c }: { c: Campaign }) {
	const { t } = useTranslation();
	const pct = percent(c.counts, c.total);
	return (
		<div>
			<ProgressBar value={pct} aria-label={t('campaigns.progressOf', { name: c.name })} style={{ height: '0.75rem' }}
				showValue={false} data-testid="campaign-progress" data-value={pct} />
			<small className="muted">{t('campaigns.doneOf', { pct, total: c.total.toLocaleString() })}</small>
		</div>
	);
}

export default function Campaigns() {
	const { t } = useTranslation();
	const [filter, setFilter] = useState<Status | 'all'>('all');
	const { items: list, setItems: setList, more, reload: load, error } =
		usePages<Campaign>(`/api/v1/campaigns?limit=50${filter === 'all' ? '' : `&status=${filter}`}`, 'campaigns');
	useResync('/campaigns', load);
	useSocketEvent<Progress>('/campaigns', 'progress', (p) => {
		if (!list?.some((c) => c.id === p.campaignId)) return;
		setList((l) => l?.map((c) => (c.id === p.campaignId ? { ...c, status: p.status, total: p.total, counts: fromProgress(p) } : c)) ?? l);
	});
	useSocketEvent<{ campaignId: string }>('/campaigns', 'completed', (p) => {
		if (list?.some((c) => c.id === p.campaignId)) load();
	});
	const act = useCampaignAction(() => load());

	return (
		<>
			<div className="flex flex-wrap gap-2 justify-content-between align-items-center mb-3">
				<SelectButton value={filter} onChange={(e) => e.value && setFilter(e.value)} aria-label={t('campaigns.filter')}
					options={FILTERS.map((f) => ({ value: f, label: t(f === 'all' ? 'campaigns.all' : `campaigns.status.${f}`) }))} />
				<Link to="/campaigns/new" className="p-button p-component no-underline">
					<i className="pi pi-plus me-2" aria-hidden="true" />{t('campaigns.new')}
				</Link>
			</div>
			<div className="card">
				{error != null && <p className="error-text" role="alert">{errorText(error)}</p>}
				<DataTable value={list ?? []} loading={list === null && error == null} dataKey="id" size="small" aria-label={t('menu.campaigns')}
					emptyMessage={<p className="m-0" data-testid="no-campaigns">{t('campaigns.none')}</p>}>
					<Column header={t('campaigns.name')} body={(c: Campaign) => (
						<div>
							<Link to={`/campaigns/${c.id}`} className="font-medium" dir="auto" data-testid="campaign-name">{c.name}</Link>
							<div className="muted text-sm"><TimeAgo iso={c.createdAt} /></div>
						</div>)} />
					<Column header={t('premium.status')} body={(c: Campaign) => (
						<div className="flex flex-column gap-1 align-items-start">
							<Tag value={t(`campaigns.status.${c.status}`)} severity={STATUS_SEVERITY[c.status]} data-testid="campaign-status"
								data-status={c.status} />
							{c.pauseReason && <small className="muted">{t(`campaigns.pauseReason.${c.pauseReason}`, { defaultValue: c.pauseReason })}</small>}
						</div>)} />
					<Column header={t('campaigns.progress')} style={{ minWidth: '12rem' }} body={(c: Campaign) => <Bar c={c} />} />
					<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(c: Campaign) => <Actions c={c} act={act} />} />
				</DataTable>
				{more && <Button label={t('common.more')} text onClick={more} className="mt-2" />}
			</div>
			<ConfirmDialog />
		</>
	);
}
