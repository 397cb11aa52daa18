/*
 * The new-campaign wizard (/campaigns/new): audience (numbers pasted, a
 * contact list, or a CSV file whose columns are mapped to phone, name and
 * variables and imported into a new list, with the import's errors by
 * line), message (a text with optional media, or a Cloud API template;
 * campaign-wide variables; a preview rendered by the server for the first
 * recipients as it is typed), pacing, schedule, and a review that creates
 * the campaign (started, scheduled, or kept as a draft).
 */
import { Button } from 'primereact/button';
import { Calendar } from 'primereact/calendar';
import { Dropdown } from 'primereact/dropdown';
import { InputNumber } from 'primereact/inputnumber';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { SelectButton } from 'primereact/selectbutton';
import { Steps } from 'primereact/steps';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, errorText, get, post } from '../../api/client';
import { failed } from '../../toast';
import { Field } from '../auth/form';
import CsvImport from '../../components/CsvImport';
import { pacingText, type Campaign } from './model';

interface Instance { id: string; name: string; provider: string }
interface List { id: string; name: string; memberCount: number }
interface Preview { total: number; previews: { to: string; type: string; content: Record<string, unknown> }[] }

const STEPS = ['audience', 'message', 'pacing', 'schedule', 'review'] as const;
const PREVIEW_MS = 400;

/** Numbers pasted one per line (or separated by commas or semicolons). */
const pasted = (s: string) => [...new Set(s.split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean))];

export default function Wizard() {
	const { t } = useTranslation();
	const navigate = useNavigate();
	const [step, setStep] = useState(0);
	const [instances, setInstances] = useState<Instance[]>([]);
	const [lists, setLists] = useState<List[]>([]);
	const [name, setName] = useState('');
	const [instanceId, setInstanceId] = useState<string | null>(null);
	const [audience, setAudience] = useState<'paste' | 'list' | 'csv'>('paste');
	const [numbers, setNumbers] = useState('');
	const [listId, setListId] = useState<string | null>(null);
	const [imported, setImported] = useState<List | null>(null);
	/* the CSV's list: made on the first import, filled again by the next */
	const csvListRef = useRef<Promise<{ id: string }> | null>(null);
	const csvList = () => (csvListRef.current ??= post<List>('/api/v1/contact-lists',
		{ name: `${name.trim() || t('campaigns.untitled')} · ${new Date().toLocaleString()}`.slice(0, 100) })
		.catch((e) => { csvListRef.current = null; throw e; }));
	const [text, setText] = useState('');
	const [mediaUrl, setMediaUrl] = useState('');
	const [template, setTemplate] = useState({ name: '', language: 'en_US' });
	const [vars, setVars] = useState<{ key: string; value: string }[]>([]);
	const [rate, setRate] = useState<number | null>(null);
	const [minDelay, setMinDelay] = useState(0);
	const [maxDelay, setMaxDelay] = useState(0);
	const [when, setWhen] = useState<'now' | 'later' | 'draft'>('now');
	const [at, setAt] = useState<Date | null>(null);
	const [preview, setPreview] = useState<Preview | null>(null);
	const [previewError, setPreviewError] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	useEffect(() => {
		get<{ instances: Instance[] }>('/api/v1/instances').then((r) => {
			setInstances(r.instances);
			if (r.instances.length === 1) setInstanceId(r.instances[0].id);
		}, (e) => failed(t('campaigns.loadFailed'), e));
		get<{ lists: List[] }>('/api/v1/contact-lists?limit=100').then((r) => setLists(r.lists), (e) => failed(t('campaigns.loadFailed'), e));
	}, [t]);
	const cloud = instances.find((i) => i.id === instanceId)?.provider === 'cloud';

	const body = useMemo(() => {
		const audienceBody = audience === 'paste' ? { recipients: pasted(numbers) }
			: { contactListId: (audience === 'csv' ? imported?.id : listId) ?? undefined };
		const media = mediaUrl.trim() ? { media: { type: 'image', url: mediaUrl.trim() } } : {};
		const message = cloud ? { template: { name: template.name.trim(), language: template.language.trim() } }
			: { ...(text ? { text } : {}), ...media };
		const variables = Object.fromEntries(vars.filter((v) => v.key.trim()).map((v) => [v.key.trim(), v.value]));
		return {
			name: name.trim(), instanceId: instanceId ?? undefined, ...audienceBody, message, variables,
			pacing: { ratePerMinute: rate, minDelayMs: minDelay, maxDelayMs: Math.max(minDelay, maxDelay) },
			...(when === 'later' && at ? { scheduleAt: at.toISOString() } : {}),
			start: when !== 'draft',
		};
	}, [audience, numbers, imported, listId, mediaUrl, cloud, template, text, vars, name, instanceId, rate, minDelay, maxDelay, when, at]);

	/* the server renders the message for the first recipients as it is written */
	const previewKey = JSON.stringify({ ...body, start: false, scheduleAt: undefined });
	useEffect(() => {
		if (step < 1 || !body.instanceId || !body.name) return;
		const ctl = new AbortController();
		const id = window.setTimeout(() => {
			api<Preview>('POST', '/api/v1/campaigns/preview?limit=3', { ...body, start: false, scheduleAt: undefined }, { signal: ctl.signal })
				.then((p) => { setPreview(p); setPreviewError(null); }, (e) => {
					if (e instanceof DOMException) return;
					setPreview(null);
					const missing = e instanceof ApiError && e.code === 'missing_variables'
						? Object.keys((e.details as { missing?: Record<string, unknown> })?.missing ?? {}) : [];
					setPreviewError(missing.length ? t('campaigns.missing', { names: missing.join(', ') }) : errorText(e));
				});
		}, PREVIEW_MS);
		return () => { window.clearTimeout(id); ctl.abort(); };
	}, [previewKey, step]); // previewKey is body, as a string

	const audienceReady = audience === 'paste' ? pasted(numbers).length > 0 : audience === 'list' ? !!listId : !!imported;
	const ready = [
		!!name.trim() && !!instanceId && audienceReady,
		cloud ? !!template.name.trim() && !!template.language.trim() : !!text.trim() || !!mediaUrl.trim(),
		true,
		when !== 'later' || (!!at && at.getTime() > Date.now()),
		!previewError,
	];
	const create = async () => {
		setBusy(true);
		try {
			const c = await post<Campaign>('/api/v1/campaigns', body);
			navigate(`/campaigns/${c.id}`);
		} catch (e) {
			failed(t('campaigns.createFailed'), e);
		} finally {
			setBusy(false);
		}
	};

	const previewPane = (
		<aside className="card preview-pane" aria-label={t('campaigns.preview')} data-testid="preview">
			<h3 className="text-base mt-0">{t('campaigns.preview')}</h3>
			{previewError && <p className="error-text" role="alert" data-testid="preview-error">{previewError}</p>}
			{!previewError && !preview && <p className="muted">{t('campaigns.previewHint')}</p>}
			{preview && <>
				<p className="muted text-sm mt-0">{t('campaigns.previewTotal', { n: preview.total })}</p>
				{preview.previews.map((p) => (
					<div key={p.to} className="mb-2">
						<small className="muted" dir="ltr">{p.to}</small>
						<div className="bubble bubble-out" dir="auto" data-testid="preview-bubble">
							{String(p.content.text ?? p.content.caption ?? (p.content as { name?: string }).name ?? p.type)}
						</div>
					</div>
				))}
			</>}
		</aside>
	);

	const stepBody = [
		<div key="a">
			<Field id="cw-name" label={t('campaigns.name')}>
				<InputText id="cw-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
			</Field>
			<Field id="cw-instance" label={t('campaigns.instance')}>
				<Dropdown inputId="cw-instance" value={instanceId} onChange={(e) => setInstanceId(e.value)} placeholder={t('campaigns.pickInstance')}
					options={instances.map((i) => ({ value: i.id, label: i.name }))} />
			</Field>
			<div className="field">
				<span id="cw-audience" className="font-medium block mb-2">{t('campaigns.audience')}</span>
				<SelectButton value={audience} onChange={(e) => e.value && setAudience(e.value)} aria-labelledby="cw-audience"
					options={(['paste', 'list', 'csv'] as const).map((a) => ({ value: a, label: t(`campaigns.audienceFrom.${a}`) }))} />
			</div>
			{audience === 'paste' && (
				<Field id="cw-numbers" label={t('campaigns.numbers')}>
					<InputTextarea id="cw-numbers" value={numbers} rows={5} dir="ltr" onChange={(e) => setNumbers(e.target.value)}
						placeholder={'+966500000001\n+966500000002'} aria-describedby="cw-numbers-help" />
					<small id="cw-numbers-help" className="muted">{t('campaigns.numbersHelp', { n: pasted(numbers).length })}</small>
				</Field>
			)}
			{audience === 'list' && (
				<Field id="cw-list" label={t('campaigns.list')}>
					<Dropdown inputId="cw-list" value={listId} onChange={(e) => setListId(e.value)} placeholder={t('campaigns.pickList')}
						emptyMessage={t('campaigns.noLists')}
						options={lists.map((l) => ({ value: l.id, label: t('campaigns.listOption', { name: l.name, n: l.memberCount }) }))} />
				</Field>
			)}
			{audience === 'csv' && <CsvImport id="cw-csv" list={csvList} onPick={() => setImported(null)}
				onImported={(r, id) => setImported({ id, name: '', memberCount: r.contacts })} />}
		</div>,
		<div key="m" className="grid">
			<div className="col-12 lg:col-7">
				{cloud ? <>
					<p className="muted mt-0">{t('campaigns.templateHelp')}</p>
					<Field id="cw-template" label={t('campaigns.template')}>
						<InputText id="cw-template" value={template.name} dir="ltr" onChange={(e) => setTemplate((x) => ({ ...x, name: e.target.value }))} />
					</Field>
					<Field id="cw-language" label={t('campaigns.language')}>
						<InputText id="cw-language" value={template.language} dir="ltr" onChange={(e) => setTemplate((x) => ({ ...x, language: e.target.value }))} />
					</Field>
				</> : <>
					<Field id="cw-text" label={t('campaigns.text')}>
						<InputTextarea id="cw-text" value={text} rows={5} autoResize maxLength={4096} dir="auto" onChange={(e) => setText(e.target.value)}
							aria-describedby="cw-text-help" />
						<small id="cw-text-help" className="muted">{t('campaigns.textHelp', { name: '{{name}}', phone: '{{phone}}' })}</small>
					</Field>
					<Field id="cw-media" label={t('campaigns.mediaUrl')}>
						<InputText id="cw-media" value={mediaUrl} type="url" dir="ltr" placeholder="https://" onChange={(e) => setMediaUrl(e.target.value)} />
					</Field>
				</>}
				<fieldset className="rule-section">
					<legend>{t('campaigns.variables')}</legend>
					<p className="muted text-sm mt-0">{t('campaigns.variablesHelp')}</p>
					{vars.map((v, i) => (
						<div key={i} className="flex gap-2 mb-2">
							<InputText value={v.key} dir="ltr" aria-label={t('campaigns.variableName', { n: i + 1 })} placeholder="discount"
								onChange={(e) => setVars((l) => l.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
							<InputText value={v.value} dir="auto" aria-label={t('campaigns.variableValue', { n: i + 1 })}
								onChange={(e) => setVars((l) => l.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
							<Button icon="pi pi-trash" text severity="danger" type="button" aria-label={t('campaigns.removeVariable', { n: i + 1 })}
								onClick={() => setVars((l) => l.filter((_, j) => j !== i))} />
						</div>
					))}
					<Button label={t('campaigns.addVariable')} icon="pi pi-plus" text size="small" type="button"
						onClick={() => setVars((l) => [...l, { key: '', value: '' }])} />
				</fieldset>
			</div>
			<div className="col-12 lg:col-5">{previewPane}</div>
		</div>,
		<div key="p" className="grid">
			<div className="col-12 md:col-4">
				<Field id="cw-rate" label={t('campaigns.rate')}>
					<InputNumber inputId="cw-rate" value={rate} min={1} max={60000} onValueChange={(e) => setRate(e.value ?? null)}
						placeholder={t('campaigns.rateNone')} aria-describedby="cw-rate-help" />
					<small id="cw-rate-help" className="muted">{t('campaigns.rateHelp')}</small>
				</Field>
			</div>
			<div className="col-12 md:col-4">
				<Field id="cw-min" label={t('campaigns.minDelay')}>
					<InputNumber inputId="cw-min" value={minDelay} min={0} max={3600000} suffix=" ms" onValueChange={(e) => setMinDelay(e.value ?? 0)} />
				</Field>
			</div>
			<div className="col-12 md:col-4">
				<Field id="cw-max" label={t('campaigns.maxDelay')}>
					<InputNumber inputId="cw-max" value={maxDelay} min={0} max={3600000} suffix=" ms" onValueChange={(e) => setMaxDelay(e.value ?? 0)} />
				</Field>
			</div>
			<p className="col-12 muted text-sm m-0">{t('campaigns.pacingHelp')}</p>
		</div>,
		<div key="s">
			<SelectButton value={when} onChange={(e) => e.value && setWhen(e.value)} aria-label={t('campaigns.schedule')}
				options={(['now', 'later', 'draft'] as const).map((w) => ({ value: w, label: t(`campaigns.when.${w}`) }))} />
			{when === 'later' && (
				<Field id="cw-at" label={t('campaigns.at')}>
					<Calendar inputId="cw-at" value={at} onChange={(e) => setAt(e.value ?? null)} showTime hourFormat="24" minDate={new Date()} />
				</Field>
			)}
		</div>,
		<div key="r" className="grid">
			<div className="col-12 lg:col-7">
				<dl className="campaign-facts" data-testid="review">
					<dt>{t('campaigns.name')}</dt><dd dir="auto">{name}</dd>
					<dt>{t('campaigns.instance')}</dt><dd dir="auto">{instances.find((i) => i.id === instanceId)?.name}</dd>
					<dt>{t('campaigns.recipients')}</dt><dd>{preview?.total ?? '…'}</dd>
					<dt>{t('campaigns.schedule')}</dt>
					<dd>{when === 'later' && at ? at.toLocaleString() : t(`campaigns.when.${when}`)}</dd>
					<dt>{t('campaigns.pacing')}</dt>
					<dd>{pacingText(t, { ratePerMinute: rate, minDelayMs: minDelay, maxDelayMs: maxDelay })}</dd>
				</dl>
			</div>
			<div className="col-12 lg:col-5">{previewPane}</div>
		</div>,
	];

	return (
		<div className="card">
			<Steps model={STEPS.map((s) => ({ label: t(`campaigns.steps.${s}`) }))} activeIndex={step} readOnly className="mb-4"
				aria-label={t('campaigns.stepsLabel')} />
			<h2 className="text-lg mt-0">{t(`campaigns.steps.${STEPS[step]}`)}</h2>
			{stepBody[step]}
			<div className="flex justify-content-between mt-4">
				<Button label={t('campaigns.backStep')} icon="pi pi-arrow-left" text disabled={step === 0} onClick={() => setStep((s) => s - 1)} />
				{step < STEPS.length - 1
					? <Button label={t('campaigns.next')} icon="pi pi-arrow-right" iconPos="right" disabled={!ready[step]} onClick={() => setStep((s) => s + 1)} />
					: <Button label={t(when === 'draft' ? 'campaigns.saveDraft' : 'campaigns.create')} icon="pi pi-check" loading={busy}
						disabled={!ready.every(Boolean)} onClick={() => void create()} />}
			</div>
		</div>
	);
}
