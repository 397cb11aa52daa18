/*
 * The seed's Phase 2: the avatar (upload with preview, checked for type
 * and size before it is sent), name, e-mail and phone, the password, and
 * the user's own activity from the audit log.
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { DataTable } from 'primereact/datatable';
import { FileUpload, type FileUploadSelectEvent } from 'primereact/fileupload';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText, get, post } from '../api/client';
import type { AuditEntry, AuditPage, User } from '../api/types';
import PageHeader from '../components/PageHeader';
import TimeAgo from '../components/TimeAgo';
import UserAvatar from '../components/UserAvatar';
import { useAuth } from '../stores/auth';
import { useSettings } from '../stores/settings';
import { failed, saved } from '../toast';
import { fieldErrors, PasswordField, TextField, useSubmit, type FieldErrors } from './auth/form';

export const AVATAR_MAX = 2 * 1024 * 1024;
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** Why a picked file cannot be an avatar, or null. */
export function avatarProblem(f: { type: string; size: number }): 'type' | 'size' | null {
	if (!AVATAR_TYPES.includes(f.type)) return 'type';
	return f.size > AVATAR_MAX ? 'size' : null;
}

function AvatarCard({ user }: { user: User }) {
	const { t } = useTranslation();
	const setUser = useAuth((s) => s.setUser);
	const gravatar = useSettings((s) => s.preferences.use_gravatar);
	const upload = useRef<FileUpload>(null);
	const [file, setFile] = useState<File | null>(null);
	const [preview, setPreview] = useState<string | null>(null);
	const [problem, setProblem] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);

	const pick = (e: FileUploadSelectEvent) => {
		const f = e.files[0];
		upload.current?.clear();
		if (!f) return;
		const p = avatarProblem(f);
		setProblem(p ? t(`profile.avatar.${p}`) : null);
		setFile(p ? null : f);
		setPreview(null);
		if (p) return;
		// a data: URL, which the Content-Security-Policy allows (blob: it does not)
		const reader = new FileReader();
		reader.onload = () => setPreview(String(reader.result));
		reader.readAsDataURL(f);
	};
	const send = async () => {
		if (!file) return;
		setBusy(true);
		try {
			const r = await api<{ user: User }>('POST', '/api/v1/me/avatar', file);
			setUser({ ...r.user, avatarUrl: `${r.user.avatarUrl}?v=${Date.now()}` });
			setFile(null);
			setPreview(null);
			saved(t('profile.avatar.saved'));
		} catch (e) {
			failed(t('profile.avatar.failed'), e);
		} finally {
			setBusy(false);
		}
	};
	return (
		<div className="card">
			<h2 className="text-xl">{t('profile.avatar.title')}</h2>
			<div className="flex align-items-center gap-4 flex-wrap">
				{preview ? <img src={preview} alt={t('profile.avatar.preview')} width={96} height={96}
					style={{ borderRadius: '50%', objectFit: 'cover' }} data-testid="avatar-preview" />
					: <UserAvatar user={user} useGravatar={gravatar} size="xlarge" />}
				<div className="flex flex-column gap-2">
					<FileUpload ref={upload} mode="basic" name="avatar" accept={AVATAR_TYPES.join(',')} customUpload
						auto={false} chooseLabel={t('profile.avatar.choose')} onSelect={pick}
						chooseOptions={{ icon: 'pi pi-image' }} />
					<small className="muted">{t('profile.avatar.rule')}</small>
					{problem && <small className="error-text" role="alert">{problem}</small>}
					{file && <Button label={t('profile.avatar.upload')} icon="pi pi-upload" loading={busy}
						onClick={() => void send()} data-testid="avatar-upload" />}
				</div>
			</div>
		</div>
	);
}

function DetailsCard({ user }: { user: User }) {
	const { t } = useTranslation();
	const update = useAuth((s) => s.updateProfile);
	const [form, setForm] = useState({ name: user.name, email: user.email, phone: user.phone ?? '' });
	const [fields, setFields] = useState<FieldErrors>({});
	const [busy, setBusy] = useState(false);
	const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
	const submit = async (e: FormEvent) => {
		e.preventDefault();
		const change: Record<string, string> = {};
		if (form.name !== user.name) change.name = form.name;
		if (form.email !== user.email) change.email = form.email;
		if (form.phone !== (user.phone ?? '')) change.phone = form.phone;
		if (Object.keys(change).length === 0) return;
		setBusy(true);
		try {
			await update(change);
			setFields({});
			saved(t('profile.details.saved'));
		} catch (err) {
			setFields(fieldErrors(err).fields);
			failed(t('profile.details.failed'), err);
		} finally {
			setBusy(false);
		}
	};
	return (
		<form className="card" onSubmit={(e) => void submit(e)} noValidate>
			<h2 className="text-xl">{t('profile.details.title')}</h2>
			<TextField id="p-name" label={t('auth.name')} value={form.name} onChange={set('name')} autoComplete="name"
				error={fields.name} />
			<TextField id="p-email" label={t('auth.email')} type="email" value={form.email} onChange={set('email')}
				autoComplete="email" error={fields.email} dir="ltr" />
			<TextField id="p-phone" label={t('profile.details.phone')} type="tel" value={form.phone} onChange={set('phone')}
				autoComplete="tel" error={fields.phone} required={false} dir="ltr" />
			<Button type="submit" label={t('common.save')} icon="pi pi-check" loading={busy} />
		</form>
	);
}

function PasswordCard() {
	const { t } = useTranslation();
	const [current, setCurrent] = useState('');
	const [next, setNext] = useState('');
	const { busy, error, fields, onSubmit } = useSubmit(async () => {
		await post('/api/v1/me/password', { currentPassword: current, newPassword: next });
		setCurrent('');
		setNext('');
		saved(t('profile.password.saved'));
	});
	return (
		<form className="card" onSubmit={onSubmit} noValidate>
			<h2 className="text-xl">{t('profile.password.title')}</h2>
			<PasswordField id="p-current" label={t('profile.password.current')} value={current} onChange={setCurrent}
				autoComplete="current-password" error={fields.currentPassword} />
			<PasswordField id="p-new" label={t('profile.password.new')} value={next} onChange={setNext}
				autoComplete="new-password" error={fields.newPassword} feedback />
			<p className="muted text-sm mt-0">{t('profile.password.note')}</p>
			{error && <p className="error-text" role="alert">{error}</p>}
			<Button type="submit" label={t('profile.password.change')} icon="pi pi-lock" loading={busy}
				disabled={!current || next.length < 8} />
		</form>
	);
}

function ActivityCard() {
	const { t } = useTranslation();
	const [items, setItems] = useState<AuditEntry[]>([]);
	const [cursor, setCursor] = useState<string | null>(null);
	const [loading, setLoading] = useState(true);
	const [error, setError] = useState<string | null>(null);
	const load = (c: string | null) => {
		setLoading(true);
		get<AuditPage>(`/api/v1/me/activity?limit=20${c ? `&cursor=${c}` : ''}`).then((p) => {
			setItems((old) => (c ? [...old, ...p.items] : p.items));
			setCursor(p.nextCursor);
		}, (e) => setError(errorText(e))).finally(() => setLoading(false));
	};
	useEffect(() => load(null), []);
	return (
		<div className="card">
			<h2 className="text-xl">{t('profile.activity.title')}</h2>
			{error && <p className="error-text" role="alert">{error}</p>}
			<DataTable value={items} loading={loading && items.length === 0} emptyMessage={t('profile.activity.empty')}
				size="small" dataKey="id" aria-label={t('profile.activity.title')}>
				<Column header={t('profile.activity.action')} body={(a: AuditEntry) =>
					t(`audit.${a.action}`, { defaultValue: a.action })} />
				<Column header={t('profile.activity.ip')} body={(a: AuditEntry) => <span dir="ltr">{a.ip ?? '—'}</span>} />
				<Column header={t('profile.activity.when')} body={(a: AuditEntry) => <TimeAgo iso={a.createdAt} />} />
			</DataTable>
			{cursor && <Button label={t('common.more')} text className="mt-2" loading={loading} onClick={() => load(cursor)} />}
		</div>
	);
}

export default function Profile() {
	const { t } = useTranslation();
	const user = useAuth((s) => s.user);
	if (!user) return null;
	return (
		<>
			<PageHeader title={t('menu.profile')} subtitle={t('profile.subtitle')} />
			<div className="grid">
				<div className="col-12 lg:col-6">
					<AvatarCard user={user} />
					<DetailsCard user={user} />
				</div>
				<div className="col-12 lg:col-6">
					<PasswordCard />
					<ActivityCard />
				</div>
			</div>
		</>
	);
}
