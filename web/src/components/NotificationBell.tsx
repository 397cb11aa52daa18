/*
 * The seed's NotificationBell: the unread count on a Badge, a dropdown of
 * the latest (mark read, mark all, delete, a link to the center), a short
 * ring when one arrives, and, if the user turned them on, a sound and a
 * desktop notification (the browser's permission is asked when the user
 * turns that on in settings, never unprompted).
 */
import { Badge } from 'primereact/badge';
import { Button } from 'primereact/button';
import { OverlayPanel } from 'primereact/overlaypanel';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useNotifications } from '../stores/notifications';
import { useSettings } from '../stores/settings';
import { failed } from '../toast';
import NotificationItem from './NotificationItem';

function chime(): void {
	try {
		const ctx = new AudioContext();
		const osc = ctx.createOscillator();
		const gain = ctx.createGain();
		osc.frequency.value = 880;
		gain.gain.setValueAtTime(0.15, ctx.currentTime);
		gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
		osc.connect(gain).connect(ctx.destination);
		osc.start();
		osc.stop(ctx.currentTime + 0.4);
		osc.onended = () => void ctx.close();
	} catch {
		/* no audio: the badge still shows it */
	}
}

export default function NotificationBell() {
	const { t } = useTranslation();
	const panel = useRef<OverlayPanel>(null);
	const { unread, recent, arrivals, last, markRead, markAllRead, remove } = useNotifications();
	const prefs = useSettings((s) => s.preferences);
	const [ringing, setRinging] = useState(false);
	const seen = useRef(arrivals);

	useEffect(() => {
		if (arrivals === seen.current) return;
		seen.current = arrivals;
		setRinging(true);
		const id = setTimeout(() => setRinging(false), 900);
		if (prefs.notification_sound) chime();
		if (prefs.desktop_notifications && last && typeof Notification !== 'undefined' &&
			Notification.permission === 'granted' && document.visibilityState !== 'visible')
			new Notification(last.title, { body: last.message, tag: last.id });
		return () => clearTimeout(id);
	}, [arrivals, last, prefs.notification_sound, prefs.desktop_notifications]);

	const act = (f: () => Promise<void>) => void f().catch((e) => failed(t('notifications.failed'), e));
	const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
	return (
		<div className="bell-wrap">
			<button type="button" className={`layout-topbar-button${ringing ? ' bell-ring' : ''}`} aria-label={label}
				aria-haspopup="dialog" onClick={(e) => panel.current?.toggle(e)} data-testid="bell">
				<i className="pi pi-bell" aria-hidden="true" />
				{unread > 0 && <Badge value={unread > 99 ? '99+' : unread} severity="danger" data-testid="bell-count" />}
			</button>
			<OverlayPanel ref={panel} className="notif-panel" aria-label={t('notifications.title')}>
				<div className="flex align-items-center justify-content-between mb-2">
					<strong>{t('notifications.title')}</strong>
					<Button label={t('notifications.markAll')} text size="small" disabled={unread === 0}
						onClick={() => act(markAllRead)} />
				</div>
				{recent.length === 0 ? (
					<p className="muted m-0 py-3 text-center">{t('notifications.empty')}</p>
				) : (
					<ul className="notif-list">
						{recent.map((n) => (
							<NotificationItem key={n.id} n={n} onRead={(id) => act(() => markRead(id))}
								onDelete={(id) => act(() => remove(id))} onOpen={() => panel.current?.hide()} />
						))}
					</ul>
				)}
				<div className="text-center mt-2">
					<Link to="/notifications" onClick={() => panel.current?.hide()}>{t('notifications.viewAll')}</Link>
				</div>
			</OverlayPanel>
		</div>
	);
}
