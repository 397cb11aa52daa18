/*
 * A CSV import into a contact list: the file is read in the browser (at
 * most the API's 64 MB), each column of its header row is mapped to the
 * phone, the name, a variable or nothing (guessed as the API would), and
 * the file is sent with its header renamed to that mapping (POST
 * /api/v1/contact-lists/{id}/import). The API's errors are shown by line.
 * `modes` offers the import's mode and whether valid rows go in when
 * others are invalid; without it, the API's defaults (add, all or nothing).
 * `list` names the list to import into when the import starts (the wizard
 * creates one then).
 */
import { Button } from 'primereact/button';
import { Checkbox } from 'primereact/checkbox';
import { Dropdown } from 'primereact/dropdown';
import { InputText } from 'primereact/inputtext';
import { useMemo, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorText } from '../api/client';
import { csvColumns, guessMapping, renameHeader, type Mapping } from '../csv';

export type ImportMode = 'add' | 'update' | 'opt_out';
export interface ImportResult {
	mode: ImportMode; rows: number; imported: number; contacts: number; duplicates: number; created: number; updated: number;
	addedToList: number; optedOut: number; invalid: number; errors: ImportError[];
}
interface ImportError { line: number; reason: string }

const MAX_CSV = 64 * 1024 * 1024;
const MODES: ImportMode[] = ['add', 'update', 'opt_out'];
const KINDS: Mapping['kind'][] = ['phone', 'name', 'variable', 'ignore'];

export default function CsvImport({ id, list, modes = false, onPick, onImported }: {
	id: string; list: () => Promise<{ id: string }>; modes?: boolean;
	onPick?: () => void; onImported: (r: ImportResult, listId: string) => void;
}) {
	const { t } = useTranslation();
	const [file, setFile] = useState<{ name: string; text: string } | null>(null);
	const [mapping, setMapping] = useState<Mapping[]>([]);
	const [mode, setMode] = useState<ImportMode>('add');
	const [allOrNothing, setAllOrNothing] = useState(true);
	const [errors, setErrors] = useState<ImportError[]>([]);
	const [message, setMessage] = useState<string | null>(null);
	const [result, setResult] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const columns = useMemo(() => (file ? csvColumns(file.text) : []), [file]);
	const pick = async (e: ChangeEvent<HTMLInputElement>) => {
		const f = e.target.files?.[0];
		setErrors([]);
		setResult(null);
		onPick?.();
		if (!f) return;
		if (f.size > MAX_CSV) {
			setMessage(t('csv.tooBig'));
			return;
		}
		const text = await f.text();
		setMessage(null);
		setFile({ name: f.name, text });
		setMapping(guessMapping(csvColumns(text)));
	};
	const setKind = (i: number, kind: Mapping['kind']) => setMapping((m) => m.map((x, j) => (j !== i ? x
		: kind === 'variable' ? { kind, name: columns[i] } : { kind })));
	const phones = mapping.filter((m) => m.kind === 'phone').length;
	const upload = async () => {
		if (!file) return;
		setBusy(true);
		setErrors([]);
		setMessage(null);
		try {
			const l = await list();
			const body = new Blob([renameHeader(file.text, mapping)], { type: 'text/csv' });
			const r = await api<ImportResult>('POST', `/api/v1/contact-lists/${l.id}/import?mode=${mode}&allOrNothing=${allOrNothing}`, body);
			setErrors(r.errors);
			setResult(t(r.mode === 'opt_out' ? 'csv.optedOut' : 'csv.imported', { ...r }) +
				(r.invalid ? ` ${t('csv.skipped', { n: r.invalid })}` : ''));
			onImported(r, l.id);
		} catch (e) {
			const details = e instanceof ApiError ? (e.details as { errors?: ImportError[] } | null) : null;
			setErrors(details?.errors ?? []);
			setMessage(errorText(e));
		} finally {
			setBusy(false);
		}
	};
	return (
		<div>
			<div className="field">
				<label htmlFor={`${id}-file`}>{t('csv.file')}</label>
				<input id={`${id}-file`} type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e)} className="block"
					aria-describedby={`${id}-help`} />
				<small id={`${id}-help`} className="muted">{t('csv.help')}</small>
			</div>
			{columns.length > 0 && (
				<table className="mapping" aria-label={t('csv.mapping')}>
					<thead><tr><th scope="col">{t('csv.column')}</th><th scope="col">{t('csv.becomes')}</th></tr></thead>
					<tbody>
						{columns.map((c, i) => (
							<tr key={i}>
								<td dir="auto">{c || <span className="muted">{t('csv.unnamed')}</span>}</td>
								<td className="flex gap-2">
									<label htmlFor={`${id}-map-${i}`} className="visually-hidden">{t('csv.mapOf', { column: c })}</label>
									<Dropdown inputId={`${id}-map-${i}`} value={mapping[i]?.kind} onChange={(e) => setKind(i, e.value)}
										options={KINDS.map((k) => ({ value: k, label: t(`csv.kind.${k}`) }))} />
									{mapping[i]?.kind === 'variable' && (
										<InputText value={(mapping[i] as { name: string }).name} dir="ltr" aria-label={t('csv.variableOf', { column: c })}
											onChange={(e) => setMapping((m) => m.map((x, j) => (j === i ? { kind: 'variable', name: e.target.value } : x)))} />
									)}
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{file && modes && (
				<div className="flex flex-wrap gap-3 align-items-center mt-2">
					<label htmlFor={`${id}-mode`}>{t('csv.mode')}</label>
					<Dropdown inputId={`${id}-mode`} value={mode} onChange={(e) => setMode(e.value)}
						options={MODES.map((m) => ({ value: m, label: t(`csv.modes.${m}`) }))} />
					<div className="flex align-items-center gap-2">
						<Checkbox inputId={`${id}-partial`} checked={!allOrNothing} onChange={(e) => setAllOrNothing(!e.checked)} />
						<label htmlFor={`${id}-partial`}>{t('csv.partial')}</label>
					</div>
				</div>
			)}
			{file && (
				<Button type="button" label={t('csv.import')} icon="pi pi-upload" className="mt-2" loading={busy}
					disabled={phones !== 1} onClick={() => void upload()} />
			)}
			{file && phones !== 1 && <p className="error-text" role="alert">{t('csv.onePhone')}</p>}
			{message && <p className="error-text" role="alert">{message}</p>}
			{errors.length > 0 && (
				<table className="mapping" aria-label={t('csv.errors')} data-testid="import-errors">
					<thead><tr><th scope="col">{t('csv.line')}</th><th scope="col">{t('csv.reason')}</th></tr></thead>
					<tbody>{errors.map((x) => <tr key={x.line}><td>{x.line}</td><td>{x.reason}</td></tr>)}</tbody>
				</table>
			)}
			{result && <p className="success-text" role="status" data-testid="import-result">{result}</p>}
		</div>
	);
}
