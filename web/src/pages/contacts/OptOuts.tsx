/*
 * The opt-out list (/contacts/opt-outs): the numbers every campaign skips,
 * newest first, searched by their first digits, with where each came from
 * (a stop keyword the number wrote, the API, an import) and why. A number
 * is added by hand with its reason; an owner or admin takes one off (the
 * API's rule: DELETE /opt-outs/{phone} is theirs).
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { confirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { InputText } from 'primereact/inputtext';
import { Tag } from 'primereact/tag';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, del, errorText } from '../../api/client';
import { usePages } from '../../api/pages';
import TimeAgo from '../../components/TimeAgo';
import { useIsAdmin } from '../../stores/auth';
import { failed, saved } from '../../toast';
import { Field, fieldErrors, type FieldErrors } from '../auth/form';
import { shown, type OptOut } from './model';

const SEARCH_MS = 300;
const SOURCE_SEVERITY: Record<OptOut['source'], 'warning' | 'info' | 'secondary'> = { keyword: 'warning', api: 'info', import: 'secondary' };

export default function OptOuts() {
	const { t } = useTranslation();
	const admin = useIsAdmin();
	const [typed, setTyped] = useState('');
	const [search, setSearch] = useState('');
	const [phone, setPhone] = useState('');
	const [reason, setReason] = useState('');
	const [errors, setErrors] = useState<FieldErrors>({});
	const [busy, setBusy] = useState(false);
	useEffect(() => {
		const id = window.setTimeout(() => setSearch(typed.replace(/\D/g, '').slice(0, 15)), SEARCH_MS);
		return () => window.clearTimeout(id);
	}, [typed]);
	const { items, more, reload, error } = usePages<OptOut>(`/api/v1/opt-outs?limit=50${search ? `&search=${search}` : ''}`, 'optOuts');

	const add = async (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		try {
			const r = await api<OptOut>('POST', '/api/v1/opt-outs', { phone: phone.trim(), ...(reason.trim() ? { reason: reason.trim() } : {}) });
			saved(t('optouts.added', { phone: shown(r.phone) }));
			setPhone('');
			setReason('');
			setErrors({});
			reload();
		} catch (err) {
			setErrors(fieldErrors(err).fields);
			failed(t('optouts.addFailed'), err);
		} finally {
			setBusy(false);
		}
	};
	const remove = (o: OptOut) => confirmDialog({
		header: t('optouts.removeTitle'), message: t('optouts.removeText', { phone: shown(o.phone) }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('optouts.remove'), rejectLabel: t('common.cancel'),
		accept: () => void del(`/api/v1/opt-outs/${o.phone}`).then(() => { saved(t('optouts.removed')); reload(); },
			(e) => failed(t('optouts.removeFailed'), e)),
	});

	return (
		<>
			<form className="card" onSubmit={(e) => void add(e)} noValidate aria-labelledby="oo-add">
				<h2 id="oo-add" className="text-lg mt-0">{t('optouts.add')}</h2>
				<p className="muted mt-0">{t('optouts.help')}</p>
				<div className="grid">
					<div className="col-12 md:col-4">
						<Field id="oo-phone" label={t('contacts.phone')} error={errors.phone}>
							<InputText id="oo-phone" value={phone} dir="ltr" inputMode="tel" invalid={!!errors.phone} placeholder="+966500000001"
								onChange={(e) => setPhone(e.target.value)} />
						</Field>
					</div>
					<div className="col-12 md:col-6">
						<Field id="oo-reason" label={t('optouts.reason')} error={errors.reason}>
							<InputText id="oo-reason" value={reason} maxLength={500} dir="auto" onChange={(e) => setReason(e.target.value)} />
						</Field>
					</div>
					<div className="col-12 md:col-2 flex align-items-center">
						<Button type="submit" label={t('optouts.addButton')} icon="pi pi-ban" loading={busy} disabled={!phone.trim()} />
					</div>
				</div>
			</form>
			<div className="card">
				<div className="flex flex-wrap gap-2 align-items-center justify-content-between mb-3">
					<InputText value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={t('optouts.search')} aria-label={t('optouts.search')}
						type="search" inputMode="tel" dir="ltr" />
					{!admin && <small className="muted">{t('optouts.adminOnly')}</small>}
				</div>
				{error != null && <p className="error-text" role="alert">{errorText(error)}</p>}
				<DataTable value={items ?? []} loading={items === null && error == null} dataKey="phone" size="small" aria-label={t('optouts.title')}
					emptyMessage={<p className="m-0" data-testid="no-optouts">{t(search ? 'optouts.noMatch' : 'optouts.none')}</p>}>
					<Column header={t('contacts.phone')} body={(o: OptOut) => <span dir="ltr" data-testid="optout-phone">{shown(o.phone)}</span>} />
					<Column header={t('optouts.source')} body={(o: OptOut) => (
						<Tag value={t(`optouts.sources.${o.source}`)} severity={SOURCE_SEVERITY[o.source]} data-testid="optout-source" />)} />
					<Column header={t('optouts.reason')} body={(o: OptOut) => <span dir="auto">{o.reason ?? '—'}</span>} />
					<Column header={t('optouts.since')} body={(o: OptOut) => <TimeAgo iso={o.createdAt} />} />
					{admin && <Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(o: OptOut) => (
						<Button icon="pi pi-times" text rounded severity="danger" aria-label={t('optouts.removeOf', { phone: shown(o.phone) })}
							onClick={() => remove(o)} />)} />}
				</DataTable>
				{more && <Button label={t('common.more')} text onClick={more} className="mt-2" />}
			</div>
		</>
	);
}
