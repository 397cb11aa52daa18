/* One notification: its type's icon, title, message, when, and its actions. */
import { Button } from 'primereact/button';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Notification } from '../api/types';
import TimeAgo from './TimeAgo';

export const TYPE_ICONS: Record<Notification['type'], string> = {
	info: 'pi pi-info-circle',
	success: 'pi pi-check-circle',
	warning: 'pi pi-exclamation-triangle',
	error: 'pi pi-times-circle',
};

export default function NotificationItem({ n, onRead, onDelete, onOpen }: {
	n: Notification; onRead: (id: string) => void; onDelete: (id: string) => void; onOpen?: () => void;
}) {
	const { t } = useTranslation();
	const icon = n.icon || TYPE_ICONS[n.type];
	return (
		<li className={`notif-item type-${n.type}${n.read ? '' : ' unread'}`} data-id={n.id}>
			<i className={`icon ${icon}`} aria-hidden="true" />
			<div className="body">
				<div className="title">
					{!n.read && <span className="visually-hidden">{t('notifications.unread')}: </span>}
					{n.link ? <Link to={n.link} onClick={onOpen}>{n.title}</Link> : n.title}
				</div>
				<div className="message">{n.message}</div>
				<div className="when"><TimeAgo iso={n.createdAt} /></div>
			</div>
			<div className="tools">
				{!n.read && (
					<Button icon="pi pi-check" rounded text size="small" aria-label={t('notifications.markRead')}
						tooltip={t('notifications.markRead')} onClick={() => onRead(n.id)} />
				)}
				<Button icon="pi pi-trash" rounded text size="small" severity="danger" aria-label={t('notifications.delete')}
					tooltip={t('notifications.delete')} onClick={() => onDelete(n.id)} />
			</div>
		</li>
	);
}
