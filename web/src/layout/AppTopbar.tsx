/*
 * Topbar (the seed's Phase 1): menu toggle, the tenant's logo and text,
 * quick actions, the realtime status, the notification bell, and the
 * profile dropdown with the user's avatar.
 */
import { Menu } from 'primereact/menu';
import type { MenuItem } from 'primereact/menuitem';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import NotificationBell from '../components/NotificationBell';
import UserAvatar from '../components/UserAvatar';
import WebSocketStatus from '../components/WebSocketStatus';
import { closeRealtime } from '../realtime';
import { useAuth } from '../stores/auth';
import { useNotifications } from '../stores/notifications';
import { useSettings } from '../stores/settings';

export default function AppTopbar({ onMenuToggle, menuOpen, onConfig }: {
	onMenuToggle: () => void; menuOpen: boolean; onConfig: () => void;
}) {
	const { t } = useTranslation();
	const navigate = useNavigate();
	const user = useAuth((s) => s.user);
	const logout = useAuth((s) => s.logout);
	const branding = useSettings((s) => s.settings?.branding);
	const prefs = useSettings((s) => s.preferences);
	const clearNotifications = useNotifications((s) => s.clear);
	const profileMenu = useRef<Menu>(null);
	const quickMenu = useRef<Menu>(null);

	const signOut = async () => {
		closeRealtime();
		await logout();
		clearNotifications();
		navigate('/auth/login', { replace: true });
	};
	const profileItems: MenuItem[] = [
		{ template: () => user && (
			<div className="px-3 py-2">
				<div className="font-semibold">{user.name}</div>
				<div className="text-sm muted">{user.email}</div>
			</div>
		) },
		{ separator: true },
		{ label: t('menu.profile'), icon: 'pi pi-user', command: () => navigate('/profile') },
		{ label: t('menu.settings'), icon: 'pi pi-cog', command: () => navigate('/settings') },
		{ label: t('topbar.layout'), icon: 'pi pi-palette', command: onConfig },
		{ separator: true },
		{ label: t('topbar.logout'), icon: 'pi pi-sign-out', command: () => void signOut() },
	];
	const quickItems: MenuItem[] = [
		{ label: t('topbar.quick.apiKey'), icon: 'pi pi-key', command: () => navigate('/settings?tab=keys') },
		{ label: t('topbar.quick.invite'), icon: 'pi pi-user-plus', command: () => navigate('/settings?tab=members') },
		{ label: t('topbar.quick.notifications'), icon: 'pi pi-bell', command: () => navigate('/notifications') },
		{ label: t('topbar.quick.docs'), icon: 'pi pi-book', url: '/api/docs' },
	];
	const logoText = branding ? branding.app_logo_text : 'WaQtor';
	const showText = branding ? branding.app_show_logo_text : true;

	return (
		<header className="layout-topbar">
			<button type="button" className="layout-topbar-button" onClick={onMenuToggle}
				aria-label={t('topbar.menu')} aria-controls="app-sidebar" aria-expanded={menuOpen} data-testid="menu-toggle">
				<i className="pi pi-bars" aria-hidden="true" />
			</button>
			<Link to="/dashboard" className="layout-topbar-logo" aria-label={logoText || 'WaQtor'}>
				<img src={branding?.app_logo || '/logo.svg'} alt="" />
				{showText && logoText && <span>{logoText}</span>}
			</Link>
			<div className="layout-topbar-end">
				<WebSocketStatus />
				<button type="button" className="layout-topbar-button" aria-label={t('topbar.quick.title')}
					aria-haspopup="menu" onClick={(e) => quickMenu.current?.toggle(e)}>
					<i className="pi pi-bolt" aria-hidden="true" />
				</button>
				<Menu model={quickItems} popup ref={quickMenu} aria-label={t('topbar.quick.title')} />
				<NotificationBell />
				{user && (
					<button type="button" className="layout-topbar-button" aria-label={t('topbar.profile')}
						aria-haspopup="menu" onClick={(e) => profileMenu.current?.toggle(e)} data-testid="profile-button">
						<UserAvatar user={user} useGravatar={prefs.use_gravatar} />
					</button>
				)}
				<Menu model={profileItems} popup ref={profileMenu} aria-label={t('topbar.profile')} />
			</div>
		</header>
	);
}
