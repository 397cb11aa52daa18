/*
 * The Sakai layout: topbar, sidebar menu (static, collapsible, or overlay;
 * a drawer on small screens), the page, footer, ScrollTop and the layout
 * configurator. After sign-in it loads the settings, opens the realtime
 * connection and keeps the notifications live.
 */
import { ScrollTop } from 'primereact/scrolltop';
import { Toast } from 'primereact/toast';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { returnPath } from '../App';
import type { Notification } from '../api/types';
import { closeRealtime, openRealtime, useResync, useSocketEvent } from '../realtime';
import { useAuth } from '../stores/auth';
import { useNotifications } from '../stores/notifications';
import { useSettings } from '../stores/settings';
import { setToast } from '../toast';
import AppConfig from './AppConfig';
import AppMenu from './AppMenu';
import AppTopbar from './AppTopbar';

function useLiveNotifications() {
	const received = useNotifications((s) => s.received);
	const loadRecent = useNotifications((s) => s.loadRecent);
	useSocketEvent<Notification>('/notifications', 'notification:new', received);
	useResync('/notifications', () => void loadRecent().catch(() => {}));
}

export default function AppLayout() {
	const { t } = useTranslation();
	const loc = useLocation();
	const navigate = useNavigate();
	const signedOut = useAuth((s) => s.signedOut);
	const prefs = useSettings((s) => s.preferences);
	const savePreferences = useSettings((s) => s.savePreferences);
	const loadSettings = useSettings((s) => s.load);
	const loadRecent = useNotifications((s) => s.loadRecent);
	const [overlayOpen, setOverlayOpen] = useState(false);
	const [mobileOpen, setMobileOpen] = useState(false);
	const [configOpen, setConfigOpen] = useState(false);
	const toast = useRef<Toast>(null);

	// navigate changes with every route: the connection must not
	const navigateRef = useRef(navigate);
	navigateRef.current = navigate;
	useEffect(() => {
		setToast(toast.current);
		void loadSettings().catch(() => {});
		void loadRecent().catch(() => {});
		openRealtime(() => {
			signedOut();
			navigateRef.current(returnPath(window.location), { replace: true });
		});
		return () => closeRealtime();
	}, [loadSettings, loadRecent, signedOut]);
	useLiveNotifications();

	useEffect(() => {
		setOverlayOpen(false);
		setMobileOpen(false);
	}, [loc.pathname]);

	const toggleMenu = () => {
		if (window.matchMedia('(max-width: 991px)').matches) setMobileOpen((o) => !o);
		else if (prefs.menu_mode === 'overlay') setOverlayOpen((o) => !o);
		else void savePreferences({ sidebar_collapsed: !prefs.sidebar_collapsed }).catch(() => {});
	};
	const classes = [
		'layout-wrapper',
		prefs.menu_mode === 'overlay' ? 'layout-overlay' : 'layout-static',
		prefs.menu_mode === 'static' && prefs.sidebar_collapsed ? 'layout-static-inactive' : '',
		overlayOpen ? 'layout-overlay-active' : '',
		mobileOpen ? 'layout-mobile-active' : '',
	].join(' ');
	const menuOpen = window.matchMedia?.('(max-width: 991px)').matches ? mobileOpen
		: prefs.menu_mode === 'overlay' ? overlayOpen : !prefs.sidebar_collapsed;

	return (
		<div className={classes}>
			<a className="skip-link" href="#main">{t('layout.skip')}</a>
			<AppTopbar onMenuToggle={toggleMenu} menuOpen={menuOpen} onConfig={() => setConfigOpen(true)} />
			<aside className="layout-sidebar" id="app-sidebar" aria-label={t('menu.label')}>
				<AppMenu onNavigate={() => setMobileOpen(false)} />
			</aside>
			<div className="layout-main-container">
				<main className="layout-main" id="main" tabIndex={-1}>
					<Outlet />
				</main>
				<footer className="layout-footer">
					<span>WaQtor</span>
					<span aria-hidden="true">·</span>
					<a href="/api/docs">{t('layout.apiDocs')}</a>
				</footer>
			</div>
			<div className="layout-mask" onClick={() => { setOverlayOpen(false); setMobileOpen(false); }} />
			<AppConfig visible={configOpen} onHide={() => setConfigOpen(false)} />
			<ScrollTop threshold={400} icon="pi pi-arrow-up" className="custom-scrolltop" aria-label={t('layout.top')} />
			<Toast ref={toast} position={document.documentElement.dir === 'rtl' ? 'top-left' : 'top-right'} />
		</div>
	);
}
