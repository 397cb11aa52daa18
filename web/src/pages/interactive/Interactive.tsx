/*
 * /interactive: compose a message with reply buttons or a list, see it as
 * WhatsApp shows it (the list's sheet opens from its button, as on a
 * phone), and send it to a number from one of the instances. Each part's
 * limit is checked as it is typed, on its field; the API's own reasons land
 * there too. What was sent follows its ticks live from /status.
 */
import { Button } from 'primereact/button';
import { Dropdown } from 'primereact/dropdown';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { SelectButton } from 'primereact/selectbutton';
import { Tag } from 'primereact/tag';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { get, post } from '../../api/client';
import type { Instance } from '../../api/types';
import { useSocketEvent } from '../../realtime';
import { saved } from '../../toast';
import { Field, fieldErrors } from '../auth/form';
import { emptyDraft, length, LIMITS, problems, toInteractive, type Draft, type Problem, type Row, type Section } from './model';

interface Sent { id: string; to: string; status: string; error?: string }
const SEVERITY: Record<string, 'info' | 'success' | 'danger' | 'warning'> = {
	pending: 'warning', sent: 'info', delivered: 'success', read: 'success', failed: 'danger',
};
const RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/** A text input with its limit counted as it is typed and its problem on it. */
function Text({ id, label, value, max, problem, onChange, area, dir = 'auto' }: {
	id: string; label: string; value: string; max: number; problem?: string; onChange: (v: string) => void;
	area?: boolean; dir?: string;
}) {
	const { t } = useTranslation();
	const props = {
		id, value, dir, invalid: !!problem, 'aria-invalid': !!problem, className: 'w-full',
		'aria-describedby': `${id}-count${problem ? ` ${id}-error` : ''}`,
	};
	return (
		<Field id={id} label={label} error={problem}>
			{area ? <InputTextarea {...props} rows={3} autoResize onChange={(e) => onChange(e.target.value)} />
				: <InputText {...props} onChange={(e) => onChange(e.target.value)} />}
			<small id={`${id}-count`} className="muted block text-end" aria-label={t('interactive.count', { n: length(value), max })}>
				{length(value)}/{max}
			</small>
		</Field>
	);
}

/** The message as WhatsApp draws it. */
function Preview({ d }: { d: Draft }) {
	const { t, i18n } = useTranslation();
	const [sheet, setSheet] = useState(false);
	const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(new Date());
	return (
		<div className="wa-preview" data-testid="preview" aria-label={t('interactive.preview')} role="figure">
			<div className="wa-bubble">
				{d.header.trim() && <div className="wa-header" dir="auto">{d.header}</div>}
				<div className="wa-body" dir="auto">{d.body || <span className="muted">{t('interactive.bodyPlaceholder')}</span>}</div>
				{d.footer.trim() && <div className="wa-footer" dir="auto">{d.footer}</div>}
				<div className="wa-time">{time}</div>
			</div>
			{d.type === 'button' ? d.buttons.map((b, i) => (
				<div key={i} className="wa-action" dir="auto" data-testid="preview-button">
					<i className="pi pi-reply" aria-hidden="true" /> {b.title}
				</div>
			)) : (
				<>
					<button type="button" className="wa-action w-full" onClick={() => setSheet(!sheet)} aria-expanded={sheet}
						data-testid="preview-list-button">
						<i className="pi pi-list" aria-hidden="true" /> {d.listButton}
					</button>
					{sheet && (
						<div className="wa-sheet" data-testid="preview-sheet">
							<div className="wa-sheet-title" dir="auto">{d.listButton}</div>
							{d.sections.map((s, i) => (
								<div key={i}>
									{s.title.trim() && <div className="wa-section" dir="auto">{s.title}</div>}
									{s.rows.map((r, j) => (
										<div key={j} className="wa-row">
											<div dir="auto">{r.title}</div>
											{r.description.trim() && <div className="muted text-sm" dir="auto">{r.description}</div>}
										</div>
									))}
								</div>
							))}
						</div>
					)}
				</>
			)}
		</div>
	);
}

export default function Interactive() {
	const { t } = useTranslation();
	const [d, setD] = useState<Draft>(emptyDraft);
	const [instances, setInstances] = useState<Instance[] | null>(null);
	const [instanceId, setInstanceId] = useState<string | null>(null);
	const [to, setTo] = useState('');
	const [busy, setBusy] = useState(false);
	const [server, setServer] = useState<Record<string, string>>({});
	const [error, setError] = useState<string | null>(null);
	const [sent, setSent] = useState<Sent[]>([]);
	const [tried, setTried] = useState(false);

	useEffect(() => {
		void get<{ instances: Instance[] }>('/api/v1/instances').then((r) => {
			setInstances(r.instances);
			setInstanceId((id) => id ?? r.instances.find((i) => i.status === 'ready')?.id ?? r.instances[0]?.id ?? null);
		}, () => setInstances([]));
	}, []);
	useSocketEvent<{ messageId: string; status: string; error?: { message?: string } }>('/status', 'message-status', (e) =>
		setSent((l) => l.map((m) => (m.id === e.messageId && RANK[e.status] > RANK[m.status]
			? { ...m, status: e.status, error: e.error?.message } : m))));

	const local = problems(d);
	const say = (p?: Problem) => (p ? t(`interactive.problem.${p.key}`, { n: p.n }) : undefined);
	/* a field's problem: the API's, else the draft's own once the field has text or a send was tried */
	const err = (field: string, value = '') => server[`interactive.${field}`] ?? server[field]
		?? (tried || value ? say(local[field]) : undefined);
	const edit = (change: Partial<Draft>) => { setD((x) => ({ ...x, ...change })); setServer({}); };
	const editSection = (i: number, s: Partial<Section>) => edit({ sections: d.sections.map((x, k) => (k === i ? { ...x, ...s } : x)) });
	const editRow = (i: number, j: number, r: Partial<Row>) =>
		editSection(i, { rows: d.sections[i].rows.map((x, k) => (k === j ? { ...x, ...r } : x)) });
	const rowCount = d.sections.reduce((n, s) => n + s.rows.length, 0);

	const send = async () => {
		setTried(true);
		if (Object.keys(local).length || !instanceId || !to.trim()) return;
		setBusy(true);
		setError(null);
		try {
			const q = await post<{ messageId: string }>('/api/v1/messages/send-interactive',
				{ instanceId, to: to.trim(), interactive: toInteractive(d) }, { headers: { 'Idempotency-Key': crypto.randomUUID() } });
			setSent((l) => [{ id: q.messageId, to: to.trim(), status: 'pending' }, ...l].slice(0, 10));
			saved(t('interactive.queued'));
			setServer({});
		} catch (e) {
			const f = fieldErrors(e);
			setServer(f.fields);
			setError(f.message);
		} finally {
			setBusy(false);
		}
	};

	const field = (id: string, label: string, key: 'header' | 'body' | 'footer' | 'listButton', max: number, area = false) => (
		<Text id={`ia-${id}`} label={label} value={d[key]} max={max} area={area} onChange={(v) => edit({ [key]: v })}
			problem={err(key, d[key])} />
	);
	const box = (title: string, children: ReactNode, testid?: string) => (
		<fieldset className="ia-box" data-testid={testid}><legend>{title}</legend>{children}</fieldset>
	);

	return (
		<div className="grid">
			<form className="col-12 lg:col-7" onSubmit={(e) => { e.preventDefault(); void send(); }} noValidate>
				<section className="card">
					<div className="field">
						<span id="ia-type" className="block mb-2">{t('interactive.type')}</span>
						<SelectButton value={d.type} aria-labelledby="ia-type" onChange={(e) => e.value && edit({ type: e.value })}
							options={[{ value: 'button', label: t('interactive.buttons') }, { value: 'list', label: t('interactive.list') }]} />
					</div>
					{field('header', t('interactive.header'), 'header', LIMITS.header)}
					{field('body', t('interactive.body'), 'body', LIMITS.body, true)}
					{field('footer', t('interactive.footer'), 'footer', LIMITS.footer)}
					{d.type === 'button' ? box(t('interactive.replyButtons'), (
						<>
							{d.buttons.map((b, i) => (
								<div key={i} className="flex gap-2 align-items-start">
									<div className="flex-1">
										<Text id={`ia-b${i}-title`} label={t('interactive.buttonN', { n: i + 1 })} value={b.title} max={LIMITS.buttonTitle}
											problem={err(`buttons.${i}.title`, b.title)}
											onChange={(v) => edit({ buttons: d.buttons.map((x, k) => (k === i ? { ...x, title: v } : x)) })} />
									</div>
									<div className="flex-1">
										<Text id={`ia-b${i}-id`} label={t('interactive.idN', { n: i + 1 })} value={b.id} max={LIMITS.id} dir="ltr"
											problem={err(`buttons.${i}.id`, b.id)}
											onChange={(v) => edit({ buttons: d.buttons.map((x, k) => (k === i ? { ...x, id: v } : x)) })} />
									</div>
									<Button type="button" icon="pi pi-trash" text severity="danger" className="mt-4" disabled={d.buttons.length <= 1}
										aria-label={t('interactive.removeButton', { n: i + 1 })}
										onClick={() => edit({ buttons: d.buttons.filter((_, k) => k !== i) })} />
								</div>
							))}
							<Button type="button" icon="pi pi-plus" label={t('interactive.addButton')} outlined size="small"
								disabled={d.buttons.length >= LIMITS.buttons}
								onClick={() => edit({ buttons: [...d.buttons, { id: `button-${d.buttons.length + 1}`, title: '' }] })} />
						</>
					)) : (
						<>
							{field('list-button', t('interactive.listButton'), 'listButton', LIMITS.listButton)}
							{err('rows') && <p className="error-text" role="alert">{err('rows')}</p>}
							{d.sections.map((s, i) => box(t('interactive.sectionN', { n: i + 1 }), (
								<>
									<div className="flex gap-2 align-items-start">
										<div className="flex-1">
											<Text id={`ia-s${i}-title`} label={t('interactive.sectionTitle')} value={s.title} max={LIMITS.sectionTitle}
												problem={err(`sections.${i}.title`, s.title)}
												onChange={(v) => editSection(i, { title: v })} />
										</div>
										<Button type="button" icon="pi pi-trash" text severity="danger" className="mt-4"
											disabled={d.sections.length <= 1} aria-label={t('interactive.removeSection', { n: i + 1 })}
											onClick={() => edit({ sections: d.sections.filter((_, k) => k !== i) })} />
									</div>
									{s.rows.map((r, j) => (
										<div key={j} className="flex flex-wrap gap-2 align-items-start">
											<div className="flex-1">
												<Text id={`ia-s${i}r${j}-title`} label={t('interactive.rowN', { n: j + 1 })} value={r.title} max={LIMITS.rowTitle}
													problem={err(`sections.${i}.rows.${j}.title`, r.title)}
													onChange={(v) => editRow(i, j, { title: v })} />
											</div>
											<div className="flex-1">
												<Text id={`ia-s${i}r${j}-desc`} label={t('interactive.description')} value={r.description}
													max={LIMITS.rowDescription} onChange={(v) => editRow(i, j, { description: v })}
													problem={err(`sections.${i}.rows.${j}.description`, r.description)} />
											</div>
											<div className="flex-1">
												<Text id={`ia-s${i}r${j}-id`} label={t('interactive.id')} value={r.id} max={LIMITS.rowId} dir="ltr"
													problem={err(`sections.${i}.rows.${j}.id`, r.id)}
													onChange={(v) => editRow(i, j, { id: v })} />
											</div>
											<Button type="button" icon="pi pi-trash" text severity="danger" className="mt-4"
												disabled={s.rows.length <= 1} aria-label={t('interactive.removeRow', { n: j + 1 })}
												onClick={() => editSection(i, { rows: s.rows.filter((_, k) => k !== j) })} />
										</div>
									))}
									<Button type="button" icon="pi pi-plus" label={t('interactive.addRow')} outlined size="small"
										disabled={rowCount >= LIMITS.rows}
										onClick={() => editSection(i, { rows: [...s.rows, { id: `row-${rowCount + 1}`, title: '', description: '' }] })} />
								</>
							), `section-${i}`))}
							<Button type="button" icon="pi pi-plus" label={t('interactive.addSection')} outlined size="small"
								disabled={d.sections.length >= LIMITS.sections || rowCount >= LIMITS.rows}
								onClick={() => edit({ sections: [...d.sections, { title: '', rows: [{ id: `row-${rowCount + 1}`, title: '', description: '' }] }] })} />
						</>
					)}
				</section>
				<section className="card" aria-labelledby="ia-send-title">
					<h2 id="ia-send-title" className="text-lg mt-0">{t('interactive.sendTo')}</h2>
					<div className="flex flex-wrap gap-3 align-items-start">
						<Field id="ia-instance" label={t('interactive.instance')}
							error={tried && !instanceId ? t('interactive.problem.noInstance') : server.instanceId}>
							<Dropdown inputId="ia-instance" value={instanceId} onChange={(e) => setInstanceId(e.value)}
								placeholder={instances?.length === 0 ? t('interactive.noInstances') : undefined}
								options={(instances ?? []).map((i) => ({ value: i.id, label: `${i.name} · ${t(`status.${i.status}`, { defaultValue: i.status })}` }))} />
						</Field>
						<Field id="ia-to" label={t('interactive.to')}
							error={(tried && !to.trim() ? t('interactive.problem.required') : undefined) ?? server.to}>
							<InputText id="ia-to" value={to} onChange={(e) => { setTo(e.target.value); setServer({}); }} dir="ltr"
								inputMode="tel" placeholder="+966501234567" invalid={!!server.to} />
						</Field>
						<Button type="submit" icon="pi pi-send" label={t('interactive.send')} loading={busy} className="mt-4" />
					</div>
					{error && <p className="error-text" role="alert">{error}</p>}
					{sent.length > 0 && (
						<ul className="list-none p-0 m-0" aria-label={t('interactive.sent')}>
							{sent.map((m) => (
								<li key={m.id} className="flex gap-2 align-items-center py-1" data-testid="sent">
									<span dir="ltr">{m.to}</span>
									<Tag value={t(`messages.status.${m.status}`)} severity={SEVERITY[m.status]} data-status={m.status} />
									{m.error && <span className="error-text text-sm">{m.error}</span>}
								</li>
							))}
						</ul>
					)}
				</section>
			</form>
			<div className="col-12 lg:col-5">
				<section className="card ia-preview-card" aria-labelledby="ia-preview-title">
					<h2 id="ia-preview-title" className="text-lg mt-0">{t('interactive.preview')}</h2>
					<Preview d={d} />
				</section>
			</div>
		</div>
	);
}
