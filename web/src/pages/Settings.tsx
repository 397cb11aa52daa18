/*
 * Settings: preferences (language, theme, compact mode, notifications,
 * Gravatar), the tenant's general and messaging settings (time zone,
 * default country code), API keys (the secret shown once, with a copy
 * button), members and invitations, branding (logo upload, logo text and
 * its switch), and the subscription. Everything is saved on the server;
 * what a role may not change is shown but disabled (the API decides).
 */
import { Button } from 'primereact/button';
import { Column } from 'primereact/column';
import { confirmDialog, ConfirmDialog } from 'primereact/confirmdialog';
import { DataTable } from 'primereact/datatable';
import { Dialog } from 'primereact/dialog';
import { Dropdown } from 'primereact/dropdown';
import { FileUpload, type FileUploadSelectEvent } from 'primereact/fileupload';
import { InputSwitch } from 'primereact/inputswitch';
import { InputText } from 'primereact/inputtext';
import { TabPanel, TabView } from 'primereact/tabview';
import { Tag } from 'primereact/tag';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, del, errorText, get, post } from '../api/client';
import type { ApiKey, ApiKeyCreated, Branding, MemberList, PendingInvitation, Subscription, User } from '../api/types';
import OtpDialog from '../components/OtpDialog';
import PageHeader from '../components/PageHeader';
import TimeAgo from '../components/TimeAgo';
import { LANGUAGES } from '../i18n';
import { Choice, usePreferenceSaver } from '../layout/AppConfig';
import { useAuth, useIsAdmin } from '../stores/auth';
import { useSettings } from '../stores/settings';
import { failed, saved } from '../toast';
import { Field } from './auth/form';
import { avatarProblem } from './Profile';

const TABS = ['general', 'keys', 'members', 'branding', 'subscription'] as const;

function Switch({ id, label, checked, onChange, disabled }: {
	id: string; label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean;
}) {
	return (
		<div className="flex align-items-center gap-2 mb-3">
			<InputSwitch inputId={id} checked={checked} onChange={(e) => onChange(!!e.value)} disabled={disabled} />
			<label htmlFor={id}>{label}</label>
		</div>
	);
}

function General() {
	const { t } = useTranslation();
	const p = useSettings((s) => s.preferences);
	const settings = useSettings((s) => s.settings);
	const saveTenant = useSettings((s) => s.saveTenant);
	const save = usePreferenceSaver();
	const admin = useIsAdmin();
	const zones = useMemo(() => {
		const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
		return ['UTC', ...all.filter((z) => z !== 'UTC')].map((z) => ({ label: z, value: z }));
	}, []);
	const [cc, setCc] = useState(settings?.messaging.default_country_code ?? '');
	useEffect(() => setCc(settings?.messaging.default_country_code ?? ''), [settings?.messaging.default_country_code]);
	const tenant = (group: 'general' | 'messaging', values: Record<string, unknown>) =>
		void saveTenant(group, values).then(() => saved(t('settings.saved')), (e) => failed(t('settings.saveFailed'), e));

	const desktop = async (on: boolean) => {
		if (on && typeof Notification !== 'undefined' && Notification.permission !== 'granted') {
			const answer = await Notification.requestPermission();
			if (answer !== 'granted') return failed(t('settings.desktopDenied'), new Error(t('settings.desktopDeniedText')));
		}
		save({ desktop_notifications: on });
	};

	return (
		<div className="grid">
			<div className="col-12 lg:col-6">
				<h2 className="text-lg">{t('settings.yourPreferences')}</h2>
				<Field id="set-lang" label={t('config.language')}>
					<Dropdown inputId="set-lang" value={p.language} onChange={(e) => save({ language: e.value })}
						options={LANGUAGES.map((l) => ({ label: l.label, value: l.code }))} />
				</Field>
				<div className="field">
					<span id="set-theme" className="font-medium">{t('config.theme')}</span>
					<Choice name="set-theme" value={p.theme} onChange={(theme) => save({ theme })} options={[
						{ value: 'light', label: t('config.light') }, { value: 'dark', label: t('config.dark') },
						{ value: 'system', label: t('config.system') }]} />
				</div>
				<Switch id="set-compact" label={t('config.compact')} checked={p.compact_mode}
					onChange={(compact_mode) => save({ compact_mode })} />
				<Switch id="set-sound" label={t('settings.sound')} checked={p.notification_sound}
					onChange={(notification_sound) => save({ notification_sound })} />
				<Switch id="set-desktop" label={t('settings.desktop')} checked={p.desktop_notifications}
					onChange={(v) => void desktop(v)} />
				<Switch id="set-gravatar" label={t('settings.gravatar')} checked={p.use_gravatar}
					onChange={(use_gravatar) => save({ use_gravatar })} />
				<p className="muted text-sm mt-0">{t('settings.gravatarNote')}</p>
			</div>
			<div className="col-12 lg:col-6">
				<h2 className="text-lg">{t('settings.organisation')}</h2>
				{!admin && <p className="muted">{t('settings.adminsOnly')}</p>}
				<Field id="set-tz" label={t('settings.timeZone')}>
					<Dropdown inputId="set-tz" value={settings?.general.time_zone ?? 'UTC'} options={zones} filter
						disabled={!admin} onChange={(e) => tenant('general', { time_zone: e.value })} virtualScrollerOptions={{ itemSize: 38 }} />
				</Field>
				<form onSubmit={(e) => { e.preventDefault(); tenant('messaging', { default_country_code: cc }); }}>
					<Field id="set-cc" label={t('settings.countryCode')}>
						<div className="p-inputgroup">
							<span className="p-inputgroup-addon" dir="ltr">+</span>
							<InputText id="set-cc" value={cc} onChange={(e) => setCc(e.target.value.replace(/\D/g, ''))}
								inputMode="numeric" maxLength={3} disabled={!admin} dir="ltr" aria-describedby="set-cc-help" />
							<Button type="submit" label={t('common.save')} disabled={!admin} />
						</div>
						<small id="set-cc-help" className="muted">{t('settings.countryCodeHelp')}</small>
					</Field>
				</form>
			</div>
		</div>
	);
}

function ApiKeys() {
	const { t } = useTranslation();
	const [keys, setKeys] = useState<ApiKey[] | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [name, setName] = useState('');
	const [created, setCreated] = useState<ApiKeyCreated | null>(null);
	const [copied, setCopied] = useState(false);
	const load = () => get<{ apiKeys: ApiKey[] }>('/api/v1/api-keys').then((r) => setKeys(r.apiKeys),
		(e) => setError(errorText(e)));
	useEffect(() => void load(), []);
	const create = async (e: FormEvent) => {
		e.preventDefault();
		try {
			setCreated(await post<ApiKeyCreated>('/api/v1/api-keys', { name }));
			setCopied(false);
			setName('');
			void load();
		} catch (err) {
			failed(t('keys.createFailed'), err);
		}
	};
	const revoke = (k: ApiKey) => confirmDialog({
		header: t('keys.revokeTitle'), message: t('keys.revokeText', { name: k.name }), icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('keys.revoke'), rejectLabel: t('common.cancel'),
		accept: () => void del(`/api/v1/api-keys/${k.id}`).then(() => { saved(t('keys.revoked')); void load(); },
			(err) => failed(t('keys.revokeFailed'), err)),
	});
	const copy = async () => {
		if (!created) return;
		try {
			await navigator.clipboard.writeText(created.key);
			setCopied(true);
		} catch (err) {
			failed(t('keys.copyFailed'), err);
		}
	};
	if (error) return <p className="error-text" role="alert">{error}</p>;
	return (
		<>
			<form className="flex gap-2 flex-wrap align-items-end mb-3" onSubmit={(e) => void create(e)}>
				<div className="field m-0">
					<label htmlFor="key-name">{t('keys.name')}</label>
					<InputText id="key-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required />
				</div>
				<Button type="submit" label={t('keys.create')} icon="pi pi-plus" disabled={!name.trim()} />
			</form>
			<DataTable value={keys ?? []} loading={keys === null} dataKey="id" emptyMessage={t('keys.empty')} size="small"
				aria-label={t('settings.tabs.keys')}>
				<Column field="name" header={t('keys.name')} />
				<Column header={t('keys.prefix')} body={(k: ApiKey) => <code dir="ltr">{k.prefix}…</code>} />
				<Column header={t('keys.created')} body={(k: ApiKey) => <TimeAgo iso={k.createdAt} />} />
				<Column header={t('keys.lastUsed')} body={(k: ApiKey) => (k.lastUsedAt ? <TimeAgo iso={k.lastUsedAt} /> : t('keys.never'))} />
				<Column header={t('keys.by')} body={(k: ApiKey) => k.createdBy?.name ?? '—'} />
				<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(k: ApiKey) => (
					<Button icon="pi pi-trash" text rounded severity="danger" aria-label={t('keys.revokeNamed', { name: k.name })}
						onClick={() => revoke(k)} />)} />
			</DataTable>
			<Dialog visible={!!created} onHide={() => setCreated(null)} header={t('keys.createdTitle')} className="dialog-md"
				footer={<Button label={t('common.done')} onClick={() => setCreated(null)} />}>
				<p>{t('keys.onceOnly')}</p>
				<div className="secret-box" dir="ltr" data-testid="new-key">{created?.key}</div>
				<Button label={copied ? t('keys.copied') : t('keys.copy')} icon={copied ? 'pi pi-check' : 'pi pi-copy'}
					className="mt-3" onClick={() => void copy()} outlined data-testid="copy-key" />
			</Dialog>
		</>
	);
}

function Members() {
	const { t } = useTranslation();
	const me = useAuth((s) => s.user);
	const admin = useIsAdmin();
	const [list, setList] = useState<MemberList | null>(null);
	const [error, setError] = useState<string | null>(null);
	const [email, setEmail] = useState('');
	const [role, setRole] = useState<'member' | 'admin'>('member');
	const [invited, setInvited] = useState<string | null>(null);
	const load = () => get<MemberList>('/api/v1/members').then(setList, (e) => setError(errorText(e)));
	useEffect(() => void load(), []);
	const invite = async (e: FormEvent) => {
		e.preventDefault();
		try {
			const r = await post<{ acceptUrl: string }>('/api/v1/members', { email, role });
			setInvited(window.location.origin + r.acceptUrl);
			setEmail('');
			void load();
		} catch (err) {
			failed(t('members.inviteFailed'), err);
		}
	};
	const remove = (path: string, text: string) => confirmDialog({
		header: t('members.removeTitle'), message: text, icon: 'pi pi-exclamation-triangle',
		acceptClassName: 'p-button-danger', acceptLabel: t('members.remove'), rejectLabel: t('common.cancel'),
		accept: () => void del(path).then(() => void load(), (err) => failed(t('members.removeFailed'), err)),
	});
	const roles = [{ label: t('roles.member'), value: 'member' }, { label: t('roles.admin'), value: 'admin' }];
	if (error) return <p className="error-text" role="alert">{error}</p>;
	return (
		<>
			{admin && (
				<form className="flex gap-2 flex-wrap align-items-end mb-3" onSubmit={(e) => void invite(e)}>
					<div className="field m-0">
						<label htmlFor="inv-email">{t('auth.email')}</label>
						<InputText id="inv-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required dir="ltr" />
					</div>
					<div className="field m-0">
						<label htmlFor="inv-role">{t('members.role')}</label>
						<Dropdown inputId="inv-role" value={role} options={roles} onChange={(e) => setRole(e.value)} />
					</div>
					<Button type="submit" label={t('members.invite')} icon="pi pi-user-plus" disabled={!email} />
				</form>
			)}
			<DataTable value={list?.members ?? []} loading={list === null} dataKey="id" size="small"
				aria-label={t('members.title')} header={t('members.title')}>
				<Column field="name" header={t('auth.name')} />
				<Column header={t('auth.email')} body={(u: User) => <span dir="ltr">{u.email}</span>} />
				<Column header={t('members.role')} body={(u: User) => <Tag value={t(`roles.${u.role}`)}
					severity={u.role === 'owner' ? 'success' : u.role === 'admin' ? 'info' : undefined} />} />
				<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(u: User) =>
					admin && u.id !== me?.id && u.role !== 'owner' ? (
						<Button icon="pi pi-user-minus" text rounded severity="danger" aria-label={t('members.removeNamed', { name: u.name })}
							onClick={() => remove(`/api/v1/members/${u.id}`, t('members.removeText', { name: u.name }))} />) : null} />
			</DataTable>
			<DataTable value={list?.invitations ?? []} dataKey="id" size="small" className="mt-4" emptyMessage={t('members.noInvitations')}
				aria-label={t('members.invitations')} header={t('members.invitations')}>
				<Column header={t('auth.email')} body={(i: PendingInvitation) => <span dir="ltr">{i.email}</span>} />
				<Column header={t('members.role')} body={(i: PendingInvitation) => t(`roles.${i.role}`)} />
				<Column header={t('members.expires')} body={(i: PendingInvitation) => <TimeAgo iso={i.expiresAt} />} />
				<Column header={<span className="visually-hidden">{t('common.actions')}</span>} body={(i: PendingInvitation) => admin ? (
					<Button icon="pi pi-times" text rounded severity="danger" aria-label={t('members.withdrawNamed', { email: i.email })}
						onClick={() => remove(`/api/v1/invitations/${i.id}`, t('members.withdrawText', { email: i.email }))} />) : null} />
			</DataTable>
			<Dialog visible={!!invited} onHide={() => setInvited(null)} header={t('members.invitedTitle')} className="dialog-md"
				footer={<Button label={t('common.done')} onClick={() => setInvited(null)} />}>
				<p>{t('members.invitedText')}</p>
				<div className="secret-box" dir="ltr" data-testid="invite-link">{invited}</div>
			</Dialog>
		</>
	);
}

function BrandingTab() {
	const { t } = useTranslation();
	const settings = useSettings((s) => s.settings);
	const saveTenant = useSettings((s) => s.saveTenant);
	const setBranding = useSettings((s) => s.setBranding);
	const admin = useIsAdmin();
	const upload = useRef<FileUpload>(null);
	const b = settings?.branding;
	const [text, setText] = useState(b?.app_logo_text ?? '');
	useEffect(() => setText(b?.app_logo_text ?? ''), [b?.app_logo_text]);
	if (!b) return <p className="muted">{t('common.loading')}</p>;
	const change = (v: Partial<Branding>) =>
		void saveTenant('branding', v).then(() => saved(t('settings.saved')), (e) => failed(t('settings.saveFailed'), e));
	const pick = async (e: FileUploadSelectEvent) => {
		const f = e.files[0];
		upload.current?.clear();
		if (!f) return;
		const problem = avatarProblem(f);
		if (problem) return failed(t('branding.logoFailed'), new Error(t(`profile.avatar.${problem}`)));
		try {
			setBranding(await api<Branding>('POST', '/api/v1/settings/logo', f));
			saved(t('branding.logoSaved'));
		} catch (err) {
			failed(t('branding.logoFailed'), err);
		}
	};
	const removeLogo = () => void del('/api/v1/settings/logo').then(() => setBranding({ ...b, app_logo: '' }),
		(err) => failed(t('branding.logoFailed'), err));
	return (
		<div className="grid">
			<div className="col-12 lg:col-6">
				{!admin && <p className="muted">{t('settings.adminsOnly')}</p>}
				<div className="field">
					<span className="font-medium">{t('branding.logo')}</span>
					<div className="flex align-items-center gap-3 flex-wrap">
						<img src={b.app_logo || '/logo.svg'} alt={t('branding.logo')} style={{ height: '3rem', maxWidth: '10rem', objectFit: 'contain' }}
							data-testid="logo-preview" />
						<FileUpload ref={upload} mode="basic" name="logo" accept="image/png,image/jpeg,image/gif,image/webp" customUpload
							auto={false} chooseLabel={t('branding.upload')} onSelect={(e) => void pick(e)} disabled={!admin}
							chooseOptions={{ icon: 'pi pi-image' }} />
						{b.app_logo && <Button label={t('branding.removeLogo')} text severity="danger" disabled={!admin} onClick={removeLogo} />}
					</div>
				</div>
				<form onSubmit={(e) => { e.preventDefault(); change({ app_logo_text: text }); }}>
					<Field id="brand-text" label={t('branding.text')}>
						<div className="p-inputgroup">
							<InputText id="brand-text" value={text} onChange={(e) => setText(e.target.value)} maxLength={60} disabled={!admin} />
							<Button type="submit" label={t('common.save')} disabled={!admin} />
						</div>
					</Field>
				</form>
				<Switch id="brand-show" label={t('branding.showText')} checked={b.app_show_logo_text} disabled={!admin}
					onChange={(app_show_logo_text) => change({ app_show_logo_text })} />
			</div>
		</div>
	);
}

function SubscriptionTab() {
	const { t, i18n } = useTranslation();
	const owner = useAuth((s) => s.user?.role === 'owner');
	const tenant = useAuth((s) => s.tenant);
	const setTenant = useAuth((s) => s.setTenant);
	const [sub, setSub] = useState<Subscription | null>(null);
	const [dialog, setDialog] = useState(false);
	useEffect(() => void get<Subscription>('/api/v1/subscription').then(setSub, () => setSub(null)), []);
	if (!sub) return <p className="muted">{t('common.loading')}</p>;
	const sev = sub.status === 'active' ? 'success' : sub.status === 'expired' ? 'danger' : undefined;
	return (
		<div>
			<p data-testid="subscription">{t('subscription.plan')}: <strong>{t(`plans.${sub.plan}`)}</strong>{' '}
				<Tag value={t(`subscription.${sub.status}`)} severity={sev} /></p>
			<p>{t('subscription.expires')}: {sub.expiresAt
				? <strong>{new Date(sub.expiresAt).toLocaleString(i18n.language)}</strong> : t('subscription.never')}</p>
			{owner ? <Button label={t('premium.enterCode')} icon="pi pi-key" onClick={() => setDialog(true)} />
				: <p className="muted">{t('premium.askOwner')}</p>}
			<OtpDialog visible={dialog} onHide={() => setDialog(false)} onVerify={(s) => {
				setSub(s);
				setDialog(false);
				if (tenant) setTenant({ ...tenant, plan: s.plan });
				saved(t('subscription.redeemed'));
			}} />
		</div>
	);
}

const PANELS: Record<(typeof TABS)[number], () => JSX.Element> = {
	general: General, keys: ApiKeys, members: Members, branding: BrandingTab, subscription: SubscriptionTab,
};

export default function Settings() {
	const { t } = useTranslation();
	const [params, setParams] = useSearchParams();
	const admin = useIsAdmin();
	const tabs = TABS.filter((x) => x !== 'keys' || admin);
	const index = Math.max(0, tabs.indexOf(params.get('tab') as (typeof TABS)[number]));
	return (
		<>
			<PageHeader title={t('menu.settings')} subtitle={t('settings.subtitle')} />
			<div className="card">
				<TabView activeIndex={index} onTabChange={(e) => setParams({ tab: tabs[e.index] }, { replace: true })}>
					{tabs.map((k) => {
						const Panel = PANELS[k];
						return <TabPanel key={k} header={t(`settings.tabs.${k}`)}><Panel /></TabPanel>;
					})}
				</TabView>
			</div>
			<ConfirmDialog />
		</>
	);
}
