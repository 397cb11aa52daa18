/*
 * Outbound webhooks (/settings/webhooks): endpoints with their event
 * filters, the signing secret shown once (and again after a rotation, when
 * the old one still signs for 24 hours), a test event, on/off, and each
 * endpoint's delivery log with every attempt's answer, redeliver and
 * replay of the failed ones.
 */
import { Button } from 'primereact/button';
import { Calendar } from 'primereact/calendar';
import { Column } from 'primereact/column';
import { confirmDialog, ConfirmDialog } from 'primereact/confirmdialog';
import { DataTable, type DataTableExpandedRows } from 'primereact/datatable';
import { Dialog } from 'primereact/dialog';
import { InputSwitch } from 'primereact/inputswitch';
import { InputText } from 'primereact/inputtext';
import { MultiSelect } from 'primereact/multiselect';
import { Tag } from 'primereact/tag';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, errorText, get, patch, post } from '../api/client';
import PageHeader from '../components/PageHeader';
import TimeAgo from '../components/TimeAgo';
import { EVENT_NAMES } from '../realtime/events';
import { failed, saved } from '../toast';
import { Field, fieldErrors, type FieldErrors } from './auth/form';

export interface Endpoint {
	id: string; url: string; description: string; events: string[]; enabled: boolean; headers: string[];
	disabledReason: string | null; previousSecretUntil: string | null; createdAt: string; updatedAt: string;
}
interface Attempt { at: string; attempt: number; code: number | null; latencyMs: number; body: string; error: string | null }
interface Delivery {
	eventId: string; eventType: string; eventAt: string; status: 'pending' | 'sending' | 'delivered' | 'failed';
	attempts: number; nextAttemptAt: string | null; updatedAt: string; log: Attempt[];
}

/** The filters an endpoint can take: every type, each family, each type. */
export const EVENT_FILTERS = ['*', ...new Set(EVENT_NAMES.map((e) => `${e.type.split('.')[0]}.*`)),
	...EVENT_NAMES.map((e) => e.type), 'webhook.test'];

const SEVERITY = { delivered: 'success', failed: 'danger', pending: 'warning', sending: 'info' } as const;

function Secret({ secret, onHide }: { secret: string | null; onHide: () => void }) {
	const { t } = useTranslation();
	return (
		<Dialog visible={!!secret} onHide={onHide} header={t('webhooks.secretTitle')} className="dialog-md"
			footer={<Button label={t('common.done')} onClick={onHide} />}>
			<p>{t('webhooks.secretOnce')}</p>
			<div className="secret-box" dir="ltr" data-testid="webhook-secret">{secret}</div>
		</Dialog>
	);
}

function Deliveries({ endpoint, onHide }: { endpoint: Endpoint; onHide: () => void }) {
	const { t } = useTranslation();
	const [rows, setRows] = useState<Delivery[] | null>(null);
	const [expanded, setExpanded] = useState<DataTableExpandedRows | Delivery[]>({});
	const [since, setSince] = useState<Date | null>(new Date(Date.now() - 86400000));
	const load = useCallback(() => {
		get<{ deliveries: Delivery[] }>(`/api/v1/webhooks/${endpoint.id}/deliveries?limit=50`)
			.then((r) => setRows(r.deliveries), (e) => failed(t('webhooks.failed'), e));
	}, [endpoint.id, t]);
	useEffect(load, [load]);
	const redeliver = (d: Delivery) => void post(`/api/v1/webhooks/${endpoint.id}/deliveries/${d.eventId}/redeliver`)
		.then(() => { saved(t('webhooks.queued')); load(); }, (e) => failed(t('webhooks.failed'), e));
	const replay = () => since && void post(`/api/v1/webhooks/${endpoint.id}/replay`, { since: since.toISOString(), status: 'failed' })
		.then(() => { saved(t('webhooks.queued')); load(); }, (e) => failed(t('webhooks.failed'), e));
	const attempts = (d: Delivery) => (
		<DataTable value={d.log} size="small" aria-label={t('webhooks.attempts')} emptyMessage={t('webhooks.noAttempts')}>
			<Column field="attempt" header="#" />
			<Column header={t('webhooks.when')} body={(a: Attempt) => <TimeAgo iso={a.at} />} />
			<Column header={t('webhooks.answer')} body={(a: Attempt) => (a.code ?? a.error ?? '—')} />
			<Column header={t('webhooks.latency')} body={(a: Attempt) => `${a.latencyMs} ms`} />
			<Column header={t('webhooks.body')} body={(a: Attempt) => <code dir="ltr" className="text-sm">{a.body.slice(0, 200)}</code>} />
		</DataTable>
	);
	return (
		<Dialog visible onHide={onHide} header={t('webhooks.logOf', { url: endpoint.url })} className="dialog-xl">
			<div className="flex flex-wrap gap-2 align-items-end mb-3">
				<Field id="wh-since" label={t('webhooks.replaySince')}>
					<Calendar inputId="wh-since" value={since} onChange={(e) => setSince(e.value ?? null)} showTime hourFormat="24" />
				</Field>
				<Button label={t('webhooks.replay')} icon="pi pi-replay" outlined onClick={replay} />
				<Button label={t('webhooks.refresh')} icon="pi pi-refresh" text onClick={load} />
			</div>
			<DataTable value={rows ?? []} loading={!rows} dataKey="eventId" expandedRows={expanded} size="small"
				onRowToggle={(e) => setExpanded(e.data)} rowExpansionTemplate={attempts} emptyMessage={t('webhooks.noDeliveries')}
				aria-label={t('webhooks.log')}>
				<Column expander style={{ width: '3rem' }} />
				<Column field="eventType" header={t('webhooks.event')} />
				<Column header={t('premium.status')} body={(d: Delivery) => <Tag value={t(`webhooks.status.${d.status}`)}
					severity={SEVERITY[d.status]} data-testid={`delivery-${d.eventType}`} />} />
				<Column field="attempts" header={t('webhooks.attempts')} />
				<Column header={t('webhooks.when')} body={(d: Delivery) => <TimeAgo iso={d.eventAt} />} />
				<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(d: Delivery) =>
					<Button label={t('webhooks.redeliver')} icon="pi pi-send" text size="small" onClick={() => redeliver(d)}
						disabled={d.status === 'pending' || d.status === 'sending'} />} />
			</DataTable>
		</Dialog>
	);
}

export default function Webhooks() {
	const { t } = useTranslation();
	const [list, setList] = useState<Endpoint[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [adding, setAdding] = useState(false);
	const [form, setForm] = useState({ url: '', description: '', events: [] as string[] });
	const [fields, setFields] = useState<FieldErrors>({});
	const [secret, setSecret] = useState<string | null>(null);
	const [log, setLog] = useState<Endpoint | null>(null);
	const load = useCallback(() => {
		get<{ webhooks: Endpoint[] }>('/api/v1/webhooks').then((r) => setList(r.webhooks), (e) => setError(errorText(e)));
	}, []);
	useEffect(load, [load]);
	const act = (p: Promise<unknown>, done: string) => void p.then(() => { saved(done); load(); },
		(e) => failed(t('webhooks.failed'), e));
	const create = async (e: FormEvent) => {
		e.preventDefault();
		try {
			const r = await post<Endpoint & { secret: string }>('/api/v1/webhooks', form);
			setSecret(r.secret);
			setAdding(false);
			setForm({ url: '', description: '', events: [] });
			setFields({});
			load();
		} catch (err) {
			setFields(fieldErrors(err).fields);
			failed(t('webhooks.failed'), err);
		}
	};
	const rotate = (w: Endpoint) => confirmDialog({
		header: t('webhooks.rotateTitle'), message: t('webhooks.rotateText'), icon: 'pi pi-key',
		acceptLabel: t('webhooks.rotate'), rejectLabel: t('common.cancel'),
		accept: () => void post<{ secret: string }>(`/api/v1/webhooks/${w.id}/rotate-secret`).then((r) => { setSecret(r.secret); load(); },
			(e) => failed(t('webhooks.failed'), e)),
	});
	const remove = (w: Endpoint) => confirmDialog({
		header: t('webhooks.deleteTitle'), message: t('webhooks.deleteText', { url: w.url }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('notifications.delete'), rejectLabel: t('common.cancel'),
		accept: () => act(del(`/api/v1/webhooks/${w.id}`), t('webhooks.deleted')),
	});
	const filters = EVENT_FILTERS.map((f) => ({ label: f === '*' ? t('webhooks.every') : f, value: f }));

	return (
		<>
			<PageHeader title={t('menu.webhooks')} subtitle={t('webhooks.subtitle')}
				actions={<Button label={t('webhooks.add')} icon="pi pi-plus" onClick={() => setAdding(true)} />} />
			<div className="card">
				{error && <p className="error-text" role="alert">{error}</p>}
				<DataTable value={list ?? []} loading={list === null && !error} dataKey="id" emptyMessage={t('webhooks.none')}
					aria-label={t('menu.webhooks')} size="small">
					<Column header={t('webhooks.url')} body={(w: Endpoint) => <span dir="ltr">{w.url}</span>} />
					<Column field="description" header={t('webhooks.description')} />
					<Column header={t('webhooks.events')} body={(w: Endpoint) => (w.events.length ? w.events.join(', ') : t('webhooks.every'))} />
					<Column header={t('webhooks.enabled')} body={(w: Endpoint) => (
						<div className="flex align-items-center gap-2">
							<InputSwitch checked={w.enabled} inputId={`wh-on-${w.id}`}
								onChange={(e) => act(patch(`/api/v1/webhooks/${w.id}`, { enabled: !!e.value }), t('settings.saved'))} />
							<label htmlFor={`wh-on-${w.id}`} className="visually-hidden">{t('webhooks.enabledOf', { url: w.url })}</label>
							{w.disabledReason && <small className="error-text">{w.disabledReason}</small>}
						</div>)} />
					<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(w: Endpoint) => (
						<div className="flex gap-1 flex-wrap">
							<Button label={t('webhooks.test')} icon="pi pi-send" size="small" text
								onClick={() => act(post(`/api/v1/webhooks/${w.id}/test`), t('webhooks.testSent'))} />
							<Button label={t('webhooks.log')} icon="pi pi-list" size="small" text onClick={() => setLog(w)} />
							<Button label={t('webhooks.rotate')} icon="pi pi-key" size="small" text onClick={() => rotate(w)} />
							<Button icon="pi pi-trash" size="small" text severity="danger" aria-label={t('webhooks.deleteNamed', { url: w.url })}
								onClick={() => remove(w)} />
						</div>)} />
				</DataTable>
			</div>
			<Dialog visible={adding} onHide={() => setAdding(false)} header={t('webhooks.add')} className="dialog-sm">
				<form onSubmit={(e) => void create(e)} noValidate>
					<Field id="wh-url" label={t('webhooks.url')} error={fields.url}>
						<InputText id="wh-url" type="url" dir="ltr" value={form.url} invalid={!!fields.url}
							onChange={(e) => setForm((f) => ({ ...f, url: e.target.value }))} placeholder="https://example.com/waqtor" />
					</Field>
					<Field id="wh-desc" label={t('webhooks.description')} error={fields.description}>
						<InputText id="wh-desc" value={form.description} maxLength={500}
							onChange={(e) => setForm((f) => ({ ...f, description: e.target.value }))} />
					</Field>
					<Field id="wh-events" label={t('webhooks.events')} error={fields.events}>
						<MultiSelect inputId="wh-events" value={form.events} options={filters} display="chip" placeholder={t('webhooks.every')}
							onChange={(e) => setForm((f) => ({ ...f, events: e.value }))} />
					</Field>
					<Button type="submit" label={t('webhooks.create')} icon="pi pi-check" disabled={!form.url} />
				</form>
			</Dialog>
			<Secret secret={secret} onHide={() => setSecret(null)} />
			{log && <Deliveries endpoint={log} onHide={() => setLog(null)} />}
			<ConfirmDialog />
		</>
	);
}
