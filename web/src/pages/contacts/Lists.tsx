/*
 * Contact lists (/contacts/lists): each with its members' count, created,
 * renamed and described, deleted after a confirmation (its contacts stay),
 * exported as CSV; one list (/contacts/lists/:id): its members, an import
 * of a CSV file into it (mode, all or nothing) and its export.
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { confirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { Dialog } from 'primereact/dialog';
import { InputText } from 'primereact/inputtext';
import { InputTextarea } from 'primereact/inputtextarea';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, del, errorText, get, patch, post } from '../../api/client';
import { usePages } from '../../api/pages';
import CsvImport from '../../components/CsvImport';
import TimeAgo from '../../components/TimeAgo';
import { failed, saved } from '../../toast';
import { Field, fieldErrors, type FieldErrors } from '../auth/form';
import Contacts from './Contacts';
import type { ContactList } from './model';

function ListEditor({ list, onHide, onSaved }: { list: ContactList | null | undefined; onHide: () => void; onSaved: (l: ContactList) => void }) {
	const { t } = useTranslation();
	const [name, setName] = useState('');
	const [description, setDescription] = useState('');
	const [errors, setErrors] = useState<FieldErrors>({});
	const [busy, setBusy] = useState(false);
	useEffect(() => { setName(list?.name ?? ''); setDescription(list?.description ?? ''); setErrors({}); }, [list]);
	const submit = async (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		try {
			const body = { name: name.trim(), description };
			const l = list ? await patch<ContactList>(`/api/v1/contact-lists/${list.id}`, body) : await post<ContactList>('/api/v1/contact-lists', body);
			saved(t(list ? 'lists.updated' : 'lists.created'));
			onSaved(l);
		} catch (err) {
			const f = fieldErrors(err).fields;
			setErrors(err instanceof ApiError && err.code === 'conflict' ? { name: t('lists.taken') } : f);
			failed(t('lists.saveFailed'), err);
		} finally {
			setBusy(false);
		}
	};
	return (
		<Dialog visible={list !== undefined} onHide={onHide} header={t(list ? 'lists.edit' : 'lists.add')} className="dialog-sm"
			footer={
				<div className="flex gap-2 justify-content-end">
					<Button label={t('common.cancel')} text onClick={onHide} type="button" />
					<Button label={t('common.save')} icon="pi pi-check" type="submit" form="list-form" loading={busy} disabled={!name.trim()} />
				</div>}>
			<form id="list-form" onSubmit={(e) => void submit(e)} noValidate>
				<Field id="ls-name" label={t('lists.name')} error={errors.name}>
					<InputText id="ls-name" value={name} maxLength={100} dir="auto" invalid={!!errors.name} onChange={(e) => setName(e.target.value)} />
				</Field>
				<Field id="ls-description" label={t('lists.description')} error={errors.description}>
					<InputTextarea id="ls-description" value={description} maxLength={500} rows={3} dir="auto"
						onChange={(e) => setDescription(e.target.value)} />
				</Field>
			</form>
		</Dialog>
	);
}

const exportLink = (l: ContactList, label: string) => (
	<a className="p-button p-button-outlined p-button-sm p-component no-underline" href={`/api/v1/contact-lists/${l.id}/export`} download
		data-testid="list-export" aria-label={label}>
		<i className="pi pi-download me-2" aria-hidden="true" />CSV
	</a>
);

function useDeleteList(then: () => void) {
	const { t } = useTranslation();
	return (l: ContactList) => confirmDialog({
		header: t('lists.deleteTitle'), message: t('lists.deleteText', { name: l.name, n: l.memberCount }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('contacts.delete'), rejectLabel: t('common.cancel'),
		accept: () => void del(`/api/v1/contact-lists/${l.id}`).then(() => { saved(t('lists.deleted')); then(); },
			(e) => failed(t('lists.deleteFailed'), e)),
	});
}

export function Lists() {
	const { t } = useTranslation();
	const { items, more, reload, error } = usePages<ContactList>('/api/v1/contact-lists?limit=50', 'lists');
	const [editing, setEditing] = useState<ContactList | null | undefined>(undefined);
	const remove = useDeleteList(reload);
	return (
		<div className="card">
			<div className="flex justify-content-end mb-3">
				<Button label={t('lists.add')} icon="pi pi-plus" onClick={() => setEditing(null)} />
			</div>
			{error != null && <p className="error-text" role="alert">{errorText(error)}</p>}
			<DataTable value={items ?? []} loading={items === null && error == null} dataKey="id" size="small" aria-label={t('lists.title')}
				emptyMessage={<p className="m-0" data-testid="no-lists">{t('lists.none')}</p>}>
				<Column header={t('lists.name')} body={(l: ContactList) => (
					<div>
						<Link to={`/contacts/lists/${l.id}`} className="font-medium" dir="auto" data-testid="list-name">{l.name}</Link>
						{l.description && <div className="muted text-sm" dir="auto">{l.description}</div>}
					</div>)} />
				<Column header={t('lists.members')} body={(l: ContactList) => <span data-testid="list-count">{l.memberCount.toLocaleString()}</span>} />
				<Column header={t('contacts.updated')} body={(l: ContactList) => <TimeAgo iso={l.updatedAt} />} />
				<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(l: ContactList) => (
					<div className="flex gap-1 justify-content-end align-items-center">
						{exportLink(l, t('lists.exportOf', { name: l.name }))}
						<Button icon="pi pi-pencil" text rounded aria-label={t('lists.editOf', { name: l.name })} onClick={() => setEditing(l)} />
						<Button icon="pi pi-trash" text rounded severity="danger" aria-label={t('lists.deleteOf', { name: l.name })} onClick={() => remove(l)} />
					</div>)} />
			</DataTable>
			{more && <Button label={t('common.more')} text onClick={more} className="mt-2" />}
			<ListEditor list={editing} onHide={() => setEditing(undefined)} onSaved={() => { setEditing(undefined); reload(); }} />
		</div>
	);
}

export function ListDetail() {
	const { t } = useTranslation();
	const { id } = useParams();
	const navigate = useNavigate();
	const [list, setList] = useState<ContactList | null>(null);
	const [error, setError] = useState<unknown>(null);
	const [importing, setImporting] = useState(false);
	const [editing, setEditing] = useState<ContactList | null | undefined>(undefined);
	const [members, setMembers] = useState(0);
	const load = useCallback(() => {
		get<ContactList>(`/api/v1/contact-lists/${id}`).then((l) => { setList(l); setError(null); }, setError);
	}, [id]);
	useEffect(load, [load]);
	const remove = useDeleteList(() => navigate('/contacts/lists'));
	if (error != null) return <div className="card"><p className="error-text" role="alert">{errorText(error)}</p></div>;
	if (!list) return <div className="card" aria-busy="true"><p className="muted">{t('common.loading')}</p></div>;
	return (
		<>
			<Link to="/contacts/lists" className="inline-block mb-2">{t('lists.back')}</Link>
			<section className="card" aria-labelledby="ld-name">
				<div className="flex flex-wrap gap-2 align-items-center justify-content-between">
					<div>
						<h2 id="ld-name" className="text-xl m-0" dir="auto">{list.name}</h2>
						{list.description && <p className="muted m-0 mt-1" dir="auto">{list.description}</p>}
						<p className="m-0 mt-1" data-testid="list-members">{t('lists.memberCount', { n: list.memberCount })}</p>
					</div>
					<div className="flex flex-wrap gap-2 align-items-center">
						<Button label={t('lists.import')} icon="pi pi-upload" outlined onClick={() => setImporting((v) => !v)} aria-expanded={importing} />
						{exportLink(list, t('lists.exportOf', { name: list.name }))}
						<Button icon="pi pi-pencil" text rounded aria-label={t('lists.editOf', { name: list.name })} onClick={() => setEditing(list)} />
						<Button icon="pi pi-trash" text rounded severity="danger" aria-label={t('lists.deleteOf', { name: list.name })} onClick={() => remove(list)} />
					</div>
				</div>
				{importing && (
					<div className="mt-3" data-testid="list-import">
						<CsvImport id="ld-csv" modes list={async () => list} onImported={() => { load(); setMembers((n) => n + 1); }} />
					</div>
				)}
			</section>
			<Contacts key={members} listId={list.id} onChanged={load} />
			<ListEditor list={editing} onHide={() => setEditing(undefined)} onSaved={(l) => { setEditing(undefined); setList(l); }} />
		</>
	);
}
