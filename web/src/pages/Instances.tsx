/*
 * Instances: each WhatsApp number with its state live from /status, its
 * pairing QR drawn as the engine sends it, and what can be done to it
 * (pair, log out, restart, delete, pacing). A new one is a sandbox, or a
 * Cloud API number with the webhook URL and verify token to paste into
 * Meta's console.
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { confirmDialog, ConfirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { Dialog } from 'primereact/dialog';
import { InputNumber } from 'primereact/inputnumber';
import { InputText } from 'primereact/inputtext';
import { SelectButton } from 'primereact/selectbutton';
import { Tag } from 'primereact/tag';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, get, patch, post } from '../api/client';
import type { Instance } from '../api/types';
import PageHeader from '../components/PageHeader';
import Qr from '../components/Qr';
import { useSocketEvent } from '../realtime';
import { STATUS_SEVERITY, useLiveInstances, type StatusEvent } from '../realtime/instances';
import { useAuth } from '../stores/auth';
import { failed, saved } from '../toast';
import { Field } from './auth/form';

export function webhookUrl(id: string): string {
	return `${window.location.origin}/api/v1/providers/cloud/${id}/webhook`;
}

function CreateDialog({ visible, onHide, onCreated }: {
	visible: boolean; onHide: () => void; onCreated: (i: Instance, verifyToken?: string) => void;
}) {
	const { t } = useTranslation();
	const [provider, setProvider] = useState<'sandbox' | 'cloud'>('sandbox');
	const [name, setName] = useState('');
	const [cloud, setCloud] = useState({ phoneNumberId: '', accessToken: '', appSecret: '', verifyToken: '' });
	const [errors, setErrors] = useState<Record<string, string>>({});
	const [busy, setBusy] = useState(false);
	const submit = async (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		try {
			const body = provider === 'sandbox' ? { name, provider } : { name, provider, config: cloud };
			const i = await post<Instance>('/api/v1/instances', body);
			onCreated(i, provider === 'cloud' ? cloud.verifyToken : undefined);
			setName('');
			setCloud({ phoneNumberId: '', accessToken: '', appSecret: '', verifyToken: '' });
			setErrors({});
		} catch (err) {
			const d = (err as { details?: unknown }).details;
			setErrors(d && typeof d === 'object' ? (d as Record<string, string>) : {});
			failed(t('instances.createFailed'), err);
		} finally {
			setBusy(false);
		}
	};
	const cloudField = (k: keyof typeof cloud, secret = false) => (
		<Field id={`ci-${k}`} label={t(`instances.cloud.${k}`)} error={errors[`config.${k}`]}>
			<InputText id={`ci-${k}`} value={cloud[k]} type={secret ? 'password' : 'text'} dir="ltr" autoComplete="off"
				inputMode={k === 'phoneNumberId' ? 'numeric' : undefined} invalid={!!errors[`config.${k}`]}
				onChange={(e) => setCloud((c) => ({ ...c, [k]: e.target.value }))} />
		</Field>
	);
	return (
		<Dialog visible={visible} onHide={onHide} header={t('instances.new')} className="dialog-sm">
			<form onSubmit={(e) => void submit(e)} noValidate>
				<Field id="ci-name" label={t('instances.name')} error={errors.name}>
					<InputText id="ci-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} invalid={!!errors.name} />
				</Field>
				<div className="field">
					<span className="font-medium" id="ci-provider">{t('instances.provider')}</span>
					<SelectButton value={provider} onChange={(e) => e.value && setProvider(e.value)} aria-labelledby="ci-provider"
						options={[{ label: t('instances.sandbox'), value: 'sandbox' }, { label: t('instances.cloudApi'), value: 'cloud' }]} />
					<small className="muted">{t(provider === 'sandbox' ? 'instances.sandboxHelp' : 'instances.cloudHelp')}</small>
				</div>
				{provider === 'cloud' && <>
					{cloudField('phoneNumberId')}
					{cloudField('accessToken', true)}
					{cloudField('appSecret', true)}
					{cloudField('verifyToken', true)}
				</>}
				<Button type="submit" label={t('instances.create')} icon="pi pi-plus" loading={busy} disabled={!name.trim()} />
			</form>
		</Dialog>
	);
}

function PacingDialog({ instance, onHide, onSaved }: { instance: Instance | null; onHide: () => void; onSaved: (i: Instance) => void }) {
	const { t } = useTranslation();
	const config = (instance?.config ?? {}) as { ratePerSecond?: number; dailyRecipientCap?: number };
	const [rate, setRate] = useState<number | null>(null);
	const [cap, setCap] = useState<number | null>(null);
	useEffect(() => {
		setRate(config.ratePerSecond ?? null);
		setCap(config.dailyRecipientCap ?? null);
	}, [instance]); // the instance's fields, each time another is shown
	if (!instance) return null;
	const save = async () => {
		const change: Record<string, number | null> = { dailyRecipientCap: cap };
		if (instance.provider === 'cloud') change.ratePerSecond = rate;
		try {
			onSaved(await patch<Instance>(`/api/v1/instances/${instance.id}`, { config: change }));
			saved(t('settings.saved'));
		} catch (e) {
			failed(t('settings.saveFailed'), e);
		}
	};
	return (
		<Dialog visible onHide={onHide} header={t('instances.pacingOf', { name: instance.name })} className="w-full md:w-30rem"
			footer={<Button label={t('common.save')} icon="pi pi-check" onClick={() => void save()} />}>
			{instance.provider === 'cloud' && (
				<Field id="pace-rate" label={t('instances.rate')}>
					<InputNumber inputId="pace-rate" value={rate} onValueChange={(e) => setRate(e.value ?? null)} min={1} max={1000}
						suffix={` ${t('instances.perSecond')}`} />
				</Field>
			)}
			<Field id="pace-cap" label={t('instances.cap')}>
				<InputNumber inputId="pace-cap" value={cap} onValueChange={(e) => setCap(e.value ?? null)} min={1} max={10000000}
					placeholder={t('instances.noCap')} aria-describedby="pace-cap-help" />
				<small id="pace-cap-help" className="muted">{t('instances.capHelp')}</small>
			</Field>
		</Dialog>
	);
}

export default function Instances() {
	const { t } = useTranslation();
	const admin = useAuth((s) => s.user?.role !== 'member');
	const { list, setList, error, qr, setQr, load } = useLiveInstances();
	const [creating, setCreating] = useState(false);
	const [pairing, setPairing] = useState<string | null>(null);
	const [pacing, setPacing] = useState<Instance | null>(null);
	const [cloudCreated, setCloudCreated] = useState<{ i: Instance; verifyToken: string } | null>(null);

	useSocketEvent<StatusEvent>('/status', 'status', (e) => {
		if (e.status === 'ready') setPairing((p) => (p === e.instanceId ? null : p));
	});

	const act = (path: string, done: string) => void post(path).then(() => saved(done), (e) => failed(t('instances.failed'), e));
	const pair = async (i: Instance) => {
		setPairing(i.id);
		try {
			const s = await get<{ status: string; qr?: string }>(`/api/v1/instances/${i.id}/state`);
			if (s.qr) setQr((q) => ({ ...q, [i.id]: s.qr! }));
			// logged out, or never started: a new session brings a new QR
			else if (s.status === 'disconnected' || s.status === 'auth_failure') await post(`/api/v1/instances/${i.id}/restart`);
		} catch (e) {
			failed(t('instances.failed'), e);
		}
	};
	const remove = (i: Instance) => confirmDialog({
		header: t('instances.deleteTitle'), message: t('instances.deleteText', { name: i.name }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('notifications.delete'), rejectLabel: t('common.cancel'),
		accept: () => void del(`/api/v1/instances/${i.id}`).then(() => { saved(t('instances.deleted')); load(); },
			(e) => failed(t('instances.failed'), e)),
	});
	const shown = list?.find((i) => i.id === pairing) ?? null;

	return (
		<>
			<PageHeader title={t('menu.instances')} subtitle={t('instances.subtitle')}
				actions={admin && <Button label={t('instances.new')} icon="pi pi-plus" onClick={() => setCreating(true)} />} />
			<div className="card">
				{error && <p className="error-text" role="alert">{error}</p>}
				<DataTable value={list ?? []} loading={list === null && !error} dataKey="id" emptyMessage={t('dashboard.noInstances')}
					aria-label={t('menu.instances')} size="small">
					<Column field="name" header={t('instances.name')} />
					<Column header={t('instances.provider')} body={(i: Instance) => (i.provider === 'sandbox' ? t('instances.sandbox') : t('instances.cloudApi'))} />
					<Column header={t('premium.status')} body={(i: Instance) => (
						<Tag data-testid={`status-${i.id}`} value={t(`status.${i.status}`, { defaultValue: i.status })}
							severity={STATUS_SEVERITY[i.status] ?? 'info'} />)} />
					<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(i: Instance) => admin && (
						<div className="flex gap-1 flex-wrap">
							{i.status !== 'ready' && <Button label={t('instances.pair')} icon="pi pi-qrcode" size="small" text onClick={() => void pair(i)} />}
							{i.status === 'ready' && <Button label={t('instances.logout')} icon="pi pi-sign-out" size="small" text
								onClick={() => act(`/api/v1/instances/${i.id}/logout`, t('instances.loggedOut'))} />}
							<Button label={t('instances.restart')} icon="pi pi-refresh" size="small" text
								onClick={() => act(`/api/v1/instances/${i.id}/restart`, t('instances.restarted'))} />
							<Button label={t('instances.pacing')} icon="pi pi-sliders-h" size="small" text onClick={() => setPacing(i)} />
							<Button icon="pi pi-trash" size="small" text severity="danger" aria-label={t('instances.deleteNamed', { name: i.name })}
								onClick={() => remove(i)} />
						</div>)} />
				</DataTable>
			</div>
			<CreateDialog visible={creating} onHide={() => setCreating(false)} onCreated={(i, verifyToken) => {
				setCreating(false);
				load();
				if (verifyToken) setCloudCreated({ i, verifyToken });
				else void pair(i);
			}} />
			<Dialog visible={!!shown} onHide={() => setPairing(null)} header={t('instances.pairTitle', { name: shown?.name ?? '' })}
				className="w-full md:w-30rem">
				{shown && (
					<div className="flex flex-column align-items-center gap-3 text-center">
						{qr[shown.id] ? <Qr text={qr[shown.id]} /> : <p className="muted">{t('instances.waitingQr')}</p>}
						<p className="m-0">{t(shown.sandbox ? 'instances.scanSandbox' : 'instances.scan')}</p>
						{shown.sandbox && qr[shown.id] && (
							<Button label={t('instances.simulateScan')} icon="pi pi-mobile" outlined
								onClick={() => act(`/api/v1/instances/${shown.id}/sandbox/pair`, t('instances.scanned'))} />
						)}
					</div>
				)}
			</Dialog>
			<Dialog visible={!!cloudCreated} onHide={() => setCloudCreated(null)} header={t('instances.cloudCreated')}
				className="dialog-md" footer={<Button label={t('common.done')} onClick={() => setCloudCreated(null)} />}>
				{cloudCreated && <>
					<p>{t('instances.pasteInMeta')}</p>
					<Field id="cc-url" label={t('instances.callbackUrl')}>
						<div className="secret-box" dir="ltr" id="cc-url" data-testid="webhook-url">{webhookUrl(cloudCreated.i.id)}</div>
					</Field>
					<Field id="cc-token" label={t('instances.cloud.verifyToken')}>
						<div className="secret-box" dir="ltr" id="cc-token">{cloudCreated.verifyToken}</div>
					</Field>
					<p className="muted text-sm m-0">{t('instances.subscribeMessages')}</p>
				</>}
			</Dialog>
			<PacingDialog instance={pacing} onHide={() => setPacing(null)} onSaved={(i) => {
				setPacing(null);
				setList((l) => l?.map((x) => (x.id === i.id ? i : x)) ?? l);
			}} />
			<ConfirmDialog />
		</>
	);
}
