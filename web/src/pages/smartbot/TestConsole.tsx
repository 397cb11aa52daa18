/*
 * SmartBot's test console: a text (and, optionally, who sends it, on which
 * instance, in a group) goes to POST /smartbot/test, which evaluates the
 * rules as the engine would without sending anything; the answer shows
 * the text as rules see it (folded), each rule's outcome in order with
 * what matched, and the reply that would be sent.
 */
import { Button } from 'primereact/button';
import { Checkbox } from 'primereact/checkbox';
import { Dropdown } from 'primereact/dropdown';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { Tag } from 'primereact/tag';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../api/client';
import { Field, fieldErrors, type FieldErrors } from '../auth/form';
import type { InstanceOption } from './RuleEditor';
import { replyText } from './rules';

type Outcome = 'not_reached' | 'no_match' | 'answers' | 'answers_out_of_hours' | 'disabled' | 'other_instance'
	| 'no_groups' | 'out_of_hours' | 'cooldown' | 'failed' | 'fallback_unused';
export interface TestResult {
	normalizedText: string;
	rules: { ruleId: string; name: string; outcome: Outcome; matched?: string; score?: number }[];
	ruleId: string | null; outOfHours: boolean; reply: Record<string, unknown> | null;
}

const SEVERITY: Record<Outcome, 'success' | 'warning' | 'danger' | 'info' | 'secondary'> = {
	answers: 'success', answers_out_of_hours: 'success', cooldown: 'warning', out_of_hours: 'warning', failed: 'danger',
	no_match: 'secondary', not_reached: 'secondary', disabled: 'secondary', other_instance: 'info', no_groups: 'info',
	fallback_unused: 'secondary',
};

export default function TestConsole({ instances }: { instances: InstanceOption[] }) {
	const { t } = useTranslation();
	const [text, setText] = useState('');
	const [from, setFrom] = useState('');
	const [instanceId, setInstanceId] = useState<string | null>(null);
	const [group, setGroup] = useState(false);
	const [result, setResult] = useState<TestResult | null>(null);
	const [errors, setErrors] = useState<FieldErrors>({});
	const [error, setError] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const run = async (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		try {
			setResult(await post<TestResult>('/api/v1/smartbot/test', {
				text, group, ...(from.trim() ? { from: from.trim() } : {}), ...(instanceId ? { instanceId } : {}),
			}));
			setErrors({});
			setError(null);
		} catch (err) {
			const f = fieldErrors(err);
			setErrors(f.fields);
			setError(f.message);
			setResult(null);
		} finally {
			setBusy(false);
		}
	};
	const answering = result?.rules.find((r) => r.ruleId === result.ruleId);

	return (
		<section className="card" aria-labelledby="sb-test-title">
			<h2 id="sb-test-title" className="text-lg mt-0">{t('smartbot.test')}</h2>
			<form onSubmit={(e) => void run(e)} noValidate>
				<Field id="sb-test-text" label={t('smartbot.testText')} error={errors.text}>
					<InputTextarea id="sb-test-text" value={text} rows={2} autoResize maxLength={4096} dir="auto"
						onChange={(e) => setText(e.target.value)} invalid={!!errors.text} />
				</Field>
				<div className="grid">
					<div className="col-12 md:col-6">
						<Field id="sb-test-from" label={t('smartbot.testFrom')} error={errors.from}>
							<InputText id="sb-test-from" value={from} dir="ltr" inputMode="tel" placeholder="+966500000001"
								onChange={(e) => setFrom(e.target.value)} invalid={!!errors.from} />
						</Field>
					</div>
					<div className="col-12 md:col-6">
						<Field id="sb-test-instance" label={t('smartbot.testInstance')}>
							<Dropdown inputId="sb-test-instance" value={instanceId} showClear placeholder={t('smartbot.anyInstance')}
								options={instances.map((i) => ({ value: i.id, label: i.name }))} onChange={(e) => setInstanceId(e.value ?? null)} />
						</Field>
					</div>
				</div>
				<div className="flex align-items-center justify-content-between gap-2">
					<div className="flex align-items-center gap-2">
						<Checkbox inputId="sb-test-group" checked={group} onChange={(e) => setGroup(!!e.checked)} />
						<label htmlFor="sb-test-group">{t('smartbot.testGroup')}</label>
					</div>
					<Button type="submit" label={t('smartbot.runTest')} icon="pi pi-play" loading={busy} disabled={!text.trim()} />
				</div>
			</form>
			{error && !Object.keys(errors).length && <p className="error-text" role="alert">{error}</p>}
			{result && (
				<div className="mt-3" data-testid="test-result" aria-live="polite">
					<p className="m-0 mb-2">
						<span className="muted">{t('smartbot.folded')}</span>{' '}
						<code dir="auto" data-testid="folded">{result.normalizedText}</code>
					</p>
					{answering ? (
						<div className="test-answer" data-testid="test-answer">
							<strong>{t('smartbot.answersWith', { name: answering.name })}</strong>
							{result.outOfHours && <Tag value={t('smartbot.outcome.answers_out_of_hours')} severity="warning" className="ms-2" />}
							<div className="bubble bubble-out mt-2" dir="auto">{replyText(result.reply)}</div>
						</div>
					) : (
						<p className="muted" data-testid="test-answer">{t('smartbot.noAnswer')}</p>
					)}
					<ol className="test-rules">
						{result.rules.map((r) => (
							<li key={r.ruleId} data-testid="test-rule" data-outcome={r.outcome}>
								<span dir="auto">{r.name}</span>
								<Tag value={t(`smartbot.outcome.${r.outcome}`)} severity={SEVERITY[r.outcome]} />
								{r.matched && <span className="muted text-sm">{t('smartbot.matched')} <q dir="auto">{r.matched}</q>
									{r.score !== undefined && r.score < 1 && ` (${Math.round(r.score * 100)} %)`}</span>}
							</li>
						))}
					</ol>
				</div>
			)}
		</section>
	);
}
