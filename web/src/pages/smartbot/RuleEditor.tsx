/*
 * The dialog that creates or changes a SmartBot rule, with every field the
 * API has: how it matches (keywords, or a regex, or the fallback), the
 * replies (variations, each a text and/or a medium), the instances it
 * answers on, its opening hours with an out-of-hours reply, cooldown,
 * typing delay and groups. The API checks the rule whole (a regex is
 * compiled by PCRE2); its reasons are shown on the fields they name.
 */
import { Button } from 'primereact/button';
import { Checkbox } from 'primereact/checkbox';
import { Chips } from 'primereact/chips';
import { Dialog } from 'primereact/dialog';
import { Dropdown } from 'primereact/dropdown';
import { InputNumber } from 'primereact/inputnumber';
import { InputSwitch } from 'primereact/inputswitch';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { MultiSelect } from 'primereact/multiselect';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { patch, post } from '../../api/client';
import { failed, saved } from '../../toast';
import { Field, fieldErrors, type FieldErrors } from '../auth/form';
import { DAYS, emptyReply, MATCHES, MEDIA, takesKeywords, toBody, toDraft, type Draft, type Rule } from './rules';

export interface InstanceOption { id: string; name: string }

function Toggle({ id, label, checked, onChange }: { id: string; label: string; checked: boolean; onChange: (v: boolean) => void }) {
	return (
		<div className="flex align-items-center gap-2 mb-3">
			<InputSwitch inputId={id} checked={checked} onChange={(e) => onChange(!!e.value)} />
			<label htmlFor={id}>{label}</label>
		</div>
	);
}

function Section({ title, children }: { title: string; children: ReactNode }) {
	return (
		<fieldset className="rule-section">
			<legend>{title}</legend>
			{children}
		</fieldset>
	);
}

/** `rule` null: a new rule; undefined: the dialog is closed. */
export default function RuleEditor({ rule, instances, onHide, onSaved }: {
	rule: Rule | null | undefined; instances: InstanceOption[]; onHide: () => void; onSaved: (r: Rule) => void;
}) {
	const { t, i18n } = useTranslation();
	const [d, setD] = useState<Draft>(toDraft());
	const [errors, setErrors] = useState<FieldErrors>({});
	const [busy, setBusy] = useState(false);
	useEffect(() => {
		setD(toDraft(rule ?? undefined));
		setErrors({});
	}, [rule]);
	const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setD((x) => ({ ...x, [k]: v }));
	const setReply = (i: number, change: Partial<Draft['replies'][number]>) =>
		set('replies', d.replies.map((r, j) => (j === i ? { ...r, ...change } : r)));
	const weekday = new Intl.DateTimeFormat(i18n.language, { weekday: 'short', timeZone: 'UTC' });
	/* 2024-01-01 was a Monday */
	const days = DAYS.map((v, i) => ({ value: v, label: weekday.format(new Date(Date.UTC(2024, 0, 1 + i))) }));

	const submit = async (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		try {
			const body = toBody(d);
			const r = rule ? await patch<Rule>(`/api/v1/smartbot/rules/${rule.id}`, body)
				: await post<Rule>('/api/v1/smartbot/rules', body);
			saved(t(rule ? 'smartbot.updated' : 'smartbot.created'));
			onSaved(r);
		} catch (err) {
			setErrors(fieldErrors(err).fields);
			failed(t('smartbot.saveFailed'), err);
		} finally {
			setBusy(false);
		}
	};

	return (
		<Dialog visible={rule !== undefined} onHide={onHide} header={t(rule ? 'smartbot.edit' : 'smartbot.add')}
			className="dialog-lg" footer={
				<div className="flex gap-2 justify-content-end">
					<Button label={t('common.cancel')} text onClick={onHide} type="button" />
					<Button label={t('common.save')} icon="pi pi-check" type="submit" form="rule-form" loading={busy}
						disabled={!d.name.trim()} />
				</div>}>
			<form id="rule-form" onSubmit={(e) => void submit(e)} noValidate>
				<div className="grid">
					<div className="col-12 md:col-8">
						<Field id="rule-name" label={t('smartbot.name')} error={errors.name}>
							<InputText id="rule-name" value={d.name} maxLength={200} invalid={!!errors.name}
								onChange={(e) => set('name', e.target.value)} />
						</Field>
					</div>
					<div className="col-12 md:col-4 flex align-items-end">
						<Toggle id="rule-enabled" label={t('smartbot.enabled')} checked={d.enabled} onChange={(v) => set('enabled', v)} />
					</div>
				</div>
				<Section title={t('smartbot.when')}>
					<Field id="rule-match" label={t('smartbot.match')} error={errors.match}>
						<Dropdown inputId="rule-match" value={d.match} onChange={(e) => set('match', e.value)}
							options={MATCHES.map((m) => ({ value: m, label: t(`smartbot.matches.${m}`) }))} />
						<small className="muted">{t(`smartbot.matchHelp.${d.match}`)}</small>
					</Field>
					{takesKeywords(d.match) && (
						<Field id="rule-keywords" label={t('smartbot.keywords')} error={errors.keywords}>
							<Chips inputId="rule-keywords" value={d.keywords} onChange={(e) => set('keywords', e.value ?? [])}
								separator="," max={50} addOnBlur allowDuplicate={false} className={errors.keywords ? 'p-invalid' : ''}
								aria-describedby="rule-keywords-help" />
							<small id="rule-keywords-help" className="muted">{t('smartbot.keywordsHelp')}</small>
						</Field>
					)}
					{d.match === 'regex' && (
						<Field id="rule-pattern" label={t('smartbot.pattern')} error={errors.pattern}>
							<InputText id="rule-pattern" value={d.pattern} dir="ltr" className="font-mono" maxLength={1000}
								invalid={!!errors.pattern} aria-invalid={!!errors.pattern} aria-describedby={errors.pattern ? 'rule-pattern-error' : undefined}
								onChange={(e) => set('pattern', e.target.value)} placeholder="^(hi|hello)\b" />
						</Field>
					)}
					{d.match === 'fuzzy' && (
						<Field id="rule-threshold" label={t('smartbot.threshold')} error={errors.threshold}>
							<InputNumber inputId="rule-threshold" value={d.threshold} min={0.01} max={1} step={0.05} showButtons
								minFractionDigits={2} maxFractionDigits={2} onValueChange={(e) => set('threshold', e.value ?? 0.8)} />
						</Field>
					)}
					{d.match !== 'fallback' && (
						<Toggle id="rule-normalize" label={t('smartbot.normalize')} checked={d.normalize}
							onChange={(v) => set('normalize', v)} />
					)}
					<Field id="rule-instances" label={t('smartbot.instances')} error={errors.instanceIds}>
						<MultiSelect inputId="rule-instances" value={d.instanceIds} display="chip" placeholder={t('smartbot.allInstances')}
							options={instances.map((i) => ({ value: i.id, label: i.name }))} onChange={(e) => set('instanceIds', e.value)} />
					</Field>
					<div className="flex align-items-center gap-2 mb-3">
						<Checkbox inputId="rule-groups" checked={d.allowGroups} onChange={(e) => set('allowGroups', !!e.checked)} />
						<label htmlFor="rule-groups">{t('smartbot.allowGroups')}</label>
					</div>
				</Section>
				<Section title={t('smartbot.replies')}>
					<p className="muted text-sm mt-0">{t('smartbot.repliesHelp')}</p>
					{d.replies.map((r, i) => (
						<div key={i} className="reply-draft" data-testid="reply-draft">
							<Field id={`rule-reply-${i}`} label={t('smartbot.replyN', { n: i + 1 })} error={errors[`replies.${i}`] ?? errors[`replies.${i}.text`]}>
								<InputTextarea id={`rule-reply-${i}`} value={r.text} rows={2} autoResize maxLength={4096} dir="auto"
									onChange={(e) => setReply(i, { text: e.target.value })} />
							</Field>
							<div className="grid">
								<div className="col-12 md:col-3">
									<Field id={`rule-media-type-${i}`} label={t('smartbot.mediaType')}>
										<Dropdown inputId={`rule-media-type-${i}`} value={r.mediaType} onChange={(e) => setReply(i, { mediaType: e.value })}
											options={MEDIA.map((m) => ({ value: m, label: t(`messages.kind.${m}`) }))} />
									</Field>
								</div>
								<div className="col-12 md:col-6">
									<Field id={`rule-media-url-${i}`} label={t('smartbot.mediaUrl')} error={errors[`replies.${i}.media.url`]}>
										<InputText id={`rule-media-url-${i}`} value={r.mediaUrl} type="url" dir="ltr" placeholder="https://"
											onChange={(e) => setReply(i, { mediaUrl: e.target.value })} />
									</Field>
								</div>
								<div className="col-12 md:col-3">
									<Field id={`rule-filename-${i}`} label={t('smartbot.filename')}>
										<InputText id={`rule-filename-${i}`} value={r.filename} dir="ltr" maxLength={240}
											onChange={(e) => setReply(i, { filename: e.target.value })} />
									</Field>
								</div>
							</div>
							{d.replies.length > 1 && (
								<Button type="button" label={t('smartbot.removeReply')} icon="pi pi-trash" text size="small" severity="danger"
									onClick={() => set('replies', d.replies.filter((_, j) => j !== i))} />
							)}
						</div>
					))}
					{d.replies.length < 10 && (
						<Button type="button" label={t('smartbot.addReply')} icon="pi pi-plus" text size="small"
							onClick={() => set('replies', [...d.replies, emptyReply()])} />
					)}
					<p className="muted text-sm mb-0">{t('smartbot.variables')} <code dir="ltr">{'{{name}} {{phone}} {{time}} {{date}}'}</code></p>
				</Section>
				<Section title={t('smartbot.hours')}>
					<Toggle id="rule-scheduled" label={t('smartbot.scheduled')} checked={d.scheduled} onChange={(v) => set('scheduled', v)} />
					{d.scheduled && <>
						<Field id="rule-days" label={t('smartbot.days')} error={errors['schedule.days']}>
							<MultiSelect inputId="rule-days" value={d.days} options={days} display="chip" onChange={(e) => set('days', e.value)} />
						</Field>
						<div className="grid">
							<div className="col-6">
								<Field id="rule-from" label={t('smartbot.from')} error={errors['schedule.from']}>
									<InputText id="rule-from" type="time" value={d.from} dir="ltr" onChange={(e) => set('from', e.target.value)} />
								</Field>
							</div>
							<div className="col-6">
								<Field id="rule-to" label={t('smartbot.to')} error={errors['schedule.to']}>
									<InputText id="rule-to" type="time" value={d.to} dir="ltr" onChange={(e) => set('to', e.target.value)} />
								</Field>
							</div>
						</div>
						<Field id="rule-ooh" label={t('smartbot.outOfHours')} error={errors['schedule.outOfHoursReply.text']}>
							<InputTextarea id="rule-ooh" value={d.outOfHours} rows={2} autoResize maxLength={4096} dir="auto"
								onChange={(e) => set('outOfHours', e.target.value)} />
						</Field>
					</>}
				</Section>
				<Section title={t('smartbot.pacing')}>
					<div className="grid">
						<div className="col-12 md:col-6">
							<Field id="rule-cooldown" label={t('smartbot.cooldown')} error={errors.cooldownSeconds}>
								<InputNumber inputId="rule-cooldown" value={d.cooldownSeconds} min={0} max={604800} suffix=" s"
									onValueChange={(e) => set('cooldownSeconds', e.value ?? 0)} />
							</Field>
						</div>
						<div className="col-12 md:col-6">
							<Field id="rule-typing" label={t('smartbot.typing')} error={errors.typingDelayMs}>
								<InputNumber inputId="rule-typing" value={d.typingDelayMs} min={0} max={30000} suffix=" ms"
									onValueChange={(e) => set('typingDelayMs', e.value ?? 0)} />
							</Field>
						</div>
					</div>
				</Section>
			</form>
		</Dialog>
	);
}
