/*
 * The contacts table: every contact of the tenant (/contacts), or the
 * members of one list (`listId`). Search by name or phone digits, filter by
 * a tag (click one), page by cursor. Every contact can be edited (phone,
 * name, tags, attributes) and deleted after a confirmation; the ones picked
 * go into a list together; in a list, a member is taken out of it.
 */
import { Button } from 'primereact/button';
import { Chip } from 'primereact/chip';
import { Chips } from 'primereact/chips';
import { Column } from 'primereact/column';
import { confirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { Dialog } from 'primereact/dialog';
import { Dropdown } from 'primereact/dropdown';
import { IconField } from 'primereact/iconfield';
import { InputIcon } from 'primereact/inputicon';
import { InputText } from 'primereact/inputtext';
import { Tag } from 'primereact/tag';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { del, errorText, get, patch, post } from '../../api/client';
import { usePages } from '../../api/pages';
import TimeAgo from '../../components/TimeAgo';
import { failed, saved } from '../../toast';
import { Field, fieldErrors, type FieldErrors } from '../auth/form';
import { shown, toBody, toDraft, type Contact, type ContactList, type Draft } from './model';

const SEARCH_MS = 300;

function Editor({ contact, onHide, onSaved }: { contact: Contact | null | undefined; onHide: () => void; onSaved: () => void }) {
	const { t } = useTranslation();
	const [d, setD] = useState<Draft>(toDraft());
	const [errors, setErrors] = useState<FieldErrors>({});
	const [busy, setBusy] = useState(false);
	useEffect(() => { setD(toDraft(contact ?? undefined)); setErrors({}); }, [contact]);
	const setAttr = (i: number, change: Partial<Draft['attributes'][number]>) =>
		setD((x) => ({ ...x, attributes: x.attributes.map((a, j) => (j === i ? { ...a, ...change } : a)) }));
	const submit = async (e: FormEvent) => {
		e.preventDefault();
		setBusy(true);
		try {
			if (contact) await patch(`/api/v1/contacts/${contact.id}`, toBody(d, contact));
			else await post('/api/v1/contacts', toBody(d));
			saved(t(contact ? 'contacts.saved' : 'contacts.created'));
			onSaved();
		} catch (err) {
			setErrors(fieldErrors(err).fields);
			failed(t('contacts.saveFailed'), err);
		} finally {
			setBusy(false);
		}
	};
	return (
		<Dialog visible={contact !== undefined} onHide={onHide} header={t(contact ? 'contacts.edit' : 'contacts.add')} className="dialog-md"
			footer={
				<div className="flex gap-2 justify-content-end">
					<Button label={t('common.cancel')} text onClick={onHide} type="button" />
					<Button label={t('common.save')} icon="pi pi-check" type="submit" form="contact-form" loading={busy} disabled={!d.phone.trim()} />
				</div>}>
			<form id="contact-form" onSubmit={(e) => void submit(e)} noValidate>
				<Field id="ct-phone" label={t('contacts.phone')} error={errors.phone}>
					<InputText id="ct-phone" value={d.phone} dir="ltr" inputMode="tel" invalid={!!errors.phone} placeholder="+966500000001"
						onChange={(e) => setD({ ...d, phone: e.target.value })} />
				</Field>
				<Field id="ct-name" label={t('contacts.name')} error={errors.name}>
					<InputText id="ct-name" value={d.name} maxLength={200} dir="auto" onChange={(e) => setD({ ...d, name: e.target.value })} />
				</Field>
				<Field id="ct-tags" label={t('contacts.tags')} error={errors.tags}>
					<Chips inputId="ct-tags" value={d.tags} max={20} separator="," allowDuplicate={false} aria-describedby="ct-tags-help"
						onChange={(e) => setD({ ...d, tags: e.value ?? [] })} />
					<small id="ct-tags-help" className="muted">{t('contacts.tagsHelp')}</small>
				</Field>
				<fieldset className="border-none p-0 m-0">
					<legend className="font-medium mb-2">{t('contacts.attributes')}</legend>
					<p className="muted text-sm mt-0">{t('contacts.attributesHelp', { example: '{{city}}' })}</p>
					{d.attributes.map((a, i) => (
						<div key={i} className="flex gap-2 mb-2">
							<InputText value={a.key} dir="ltr" aria-label={t('contacts.attrName', { n: i + 1 })} placeholder="city"
								invalid={!!errors[`attributes.${a.key}`]} onChange={(e) => setAttr(i, { key: e.target.value })} />
							<InputText value={a.value} dir="auto" aria-label={t('contacts.attrValue', { n: i + 1 })} className="flex-1"
								onChange={(e) => setAttr(i, { value: e.target.value })} />
							<Button type="button" icon="pi pi-trash" text severity="danger" aria-label={t('contacts.attrRemove', { n: i + 1 })}
								onClick={() => setD({ ...d, attributes: d.attributes.filter((_, j) => j !== i) })} />
						</div>
					))}
					{Object.entries(errors).filter(([k]) => k.startsWith('attributes')).map(([k, v]) => (
						<small key={k} className="error block" role="alert">{k.slice('attributes.'.length) || t('contacts.attributes')}: {v}</small>
					))}
					<Button type="button" label={t('contacts.attrAdd')} icon="pi pi-plus" text disabled={d.attributes.length >= 50}
						onClick={() => setD({ ...d, attributes: [...d.attributes, { key: '', value: '' }] })} />
				</fieldset>
			</form>
		</Dialog>
	);
}

/** The ones picked, into a list chosen among the tenant's. */
function AddToList({ picked, onDone }: { picked: Contact[]; onDone: () => void }) {
	const { t } = useTranslation();
	const [lists, setLists] = useState<ContactList[]>([]);
	const [listId, setListId] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	useEffect(() => {
		get<{ lists: ContactList[] }>('/api/v1/contact-lists?limit=100').then((r) => setLists(r.lists), (e) => failed(t('contacts.loadFailed'), e));
	}, [t]);
	const add = async () => {
		const list = lists.find((l) => l.id === listId);
		if (!list) return;
		setBusy(true);
		try {
			const r = await post<{ added: number }>(`/api/v1/contact-lists/${list.id}/members`, { contactIds: picked.map((c) => c.id) });
			saved(t('contacts.addedToList', { n: r.added, list: list.name }));
			onDone();
		} catch (e) {
			failed(t('contacts.addFailed'), e);
		} finally {
			setBusy(false);
		}
	};
	return (
		<div className="flex flex-wrap gap-2 align-items-center" data-testid="add-to-list">
			<span className="muted">{t('contacts.picked', { n: picked.length })}</span>
			<label htmlFor="ct-list" className="visually-hidden">{t('contacts.toList')}</label>
			<Dropdown inputId="ct-list" value={listId} onChange={(e) => setListId(e.value)} placeholder={t('contacts.toList')}
				emptyMessage={t('contacts.noLists')} options={lists.map((l) => ({ value: l.id, label: l.name }))} />
			<Button type="button" label={t('contacts.addToList')} icon="pi pi-plus" loading={busy} disabled={!listId} onClick={() => void add()} />
		</div>
	);
}

export default function Contacts({ listId, onChanged }: { listId?: string; onChanged?: () => void }) {
	const { t } = useTranslation();
	const [typed, setTyped] = useState('');
	const [search, setSearch] = useState('');
	const [tag, setTag] = useState<string | null>(null);
	const [editing, setEditing] = useState<Contact | null | undefined>(undefined);
	const [picked, setPicked] = useState<Contact[]>([]);
	useEffect(() => {
		const id = window.setTimeout(() => setSearch(typed.trim()), SEARCH_MS);
		return () => window.clearTimeout(id);
	}, [typed]);
	const q = new URLSearchParams({ limit: '50', ...(search ? { search } : {}), ...(tag ? { tag } : {}) });
	const base = listId ? `/api/v1/contact-lists/${listId}/members` : '/api/v1/contacts';
	const { items, more, reload, error } = usePages<Contact>(`${base}?${q}`, 'contacts');
	const changed = () => { reload(); onChanged?.(); };

	const remove = (c: Contact) => confirmDialog({
		header: t(listId ? 'contacts.takeOutTitle' : 'contacts.deleteTitle'), icon: 'pi pi-exclamation-triangle',
		message: t(listId ? 'contacts.takeOutText' : 'contacts.deleteText', { name: c.name || shown(c.phone) }),
		acceptClassName: 'p-button-danger', acceptLabel: t(listId ? 'contacts.takeOut' : 'contacts.delete'), rejectLabel: t('common.cancel'),
		accept: () => void del(listId ? `/api/v1/contact-lists/${listId}/members/${c.id}` : `/api/v1/contacts/${c.id}`).then(() => {
			saved(t(listId ? 'contacts.takenOut' : 'contacts.deleted'));
			setPicked((p) => p.filter((x) => x.id !== c.id));
			changed();
		}, (e) => failed(t('contacts.deleteFailed'), e)),
	});

	return (
		<div className="card">
			<div className="flex flex-wrap gap-2 align-items-center justify-content-between mb-3">
				<div className="flex flex-wrap gap-2 align-items-center">
					<IconField iconPosition="left">
						<InputIcon className="pi pi-search" />
						<InputText value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={t('contacts.search')}
							aria-label={t('contacts.search')} type="search" />
					</IconField>
					{tag && <Chip label={t('contacts.taggedWith', { tag })} removable onRemove={() => { setTag(null); return true; }}
						data-testid="tag-filter" />}
				</div>
				{!listId && <Button label={t('contacts.add')} icon="pi pi-plus" onClick={() => setEditing(null)} />}
			</div>
			{!listId && picked.length > 0 && <AddToList picked={picked} onDone={() => setPicked([])} />}
			{error != null && <p className="error-text" role="alert">{errorText(error)}</p>}
			<DataTable value={items ?? []} loading={items === null && error == null} dataKey="id" size="small"
				aria-label={t(listId ? 'contacts.members' : 'menu.contacts')} selectionMode="checkbox"
				selection={picked} onSelectionChange={(e) => setPicked(e.value as Contact[])}
				emptyMessage={<p className="m-0" data-testid="no-contacts">{t(search || tag ? 'contacts.noMatch' : listId ? 'contacts.noMembers' : 'contacts.none')}</p>}>
				{!listId && <Column selectionMode="multiple" headerStyle={{ width: '3rem' }} />}
				<Column header={t('contacts.phone')} body={(c: Contact) => (
					<div>
						<span dir="ltr" data-testid="contact-phone">{shown(c.phone)}</span>
						{c.optedOut && <Tag value={t('contacts.optedOut')} severity="warning" className="ms-2" />}
					</div>)} />
				<Column header={t('contacts.name')} body={(c: Contact) => <span dir="auto" data-testid="contact-name">{c.name ?? '—'}</span>} />
				<Column header={t('contacts.tags')} body={(c: Contact) => (
					<div className="flex flex-wrap gap-1">
						{c.tags.map((x) => (
							<Button key={x} type="button" label={x} size="small" outlined className="tag-button" onClick={() => setTag(x)}
								aria-label={t('contacts.filterTag', { tag: x })} />
						))}
					</div>)} />
				<Column header={t('contacts.attributes')} body={(c: Contact) => (
					<span className="text-sm">{Object.keys(c.attributes).length ? Object.entries(c.attributes).map(([k, v], i) => (
						<span key={k}>{i > 0 && ' · '}<bdi>{k}</bdi>: <bdi>{String(v)}</bdi></span>)) : '—'}</span>)} />
				<Column header={t('contacts.updated')} body={(c: Contact) => <TimeAgo iso={c.updatedAt} />} />
				<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(c: Contact) => (
					<div className="flex gap-1 justify-content-end">
						<Button icon="pi pi-pencil" text rounded aria-label={t('contacts.editOf', { name: c.name || shown(c.phone) })}
							onClick={() => setEditing(c)} />
						<Button icon={listId ? 'pi pi-minus-circle' : 'pi pi-trash'} text rounded severity="danger"
							aria-label={t(listId ? 'contacts.takeOutOf' : 'contacts.deleteOf', { name: c.name || shown(c.phone) })}
							onClick={() => remove(c)} />
					</div>)} />
			</DataTable>
			{more && <Button label={t('common.more')} text onClick={more} className="mt-2" />}
			<Editor contact={editing} onHide={() => setEditing(undefined)} onSaved={() => { setEditing(undefined); changed(); }} />
		</div>
	);
}
